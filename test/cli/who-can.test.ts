/**
 * `cdk8s-calico who-can`: the subjects allowed a verb on a resource, in every output format.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, run, usageError } from './cli-run';
import { RBAC_YAML } from './fixtures';
import { EXIT_ERROR, EXIT_OK } from '../../src/cli';
import { tempDir } from '../report/reference-platform';

let dir: string;
let rbac: string;

beforeAll(() => {
  dir = tempDir('cdk8s-calico-who-can-');
  rbac = path.join(dir, 'rbac.yaml');
  fs.writeFileSync(rbac, RBAC_YAML);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('who-can', () => {
  test('text: one subject per line; tier authorization decides Calico policies', () => {
    expect(run(['who-can', 'create', 'networkpolicies.projectcalico.org', '-n', 'be', '--tier', 'security', '-f', rbac])).toEqual({
      code: EXIT_OK,
      out: 'Group:security-team\nGroup:system:masters\n',
      err: '',
    });
    // The default tier: only system:masters.
    expect(run(['who-can', 'create', 'networkpolicies.projectcalico.org', '-n', 'be', '-f', rbac]).out).toBe('Group:system:masters\n');
  });

  test('service accounts are named with their namespace; a RoleBinding counts only in its namespace', () => {
    expect(run(['who-can', 'get', 'pods', '-n', 'be', '-f', rbac]).out).toBe('Group:system:masters\nServiceAccount:be/ci\n');
    expect(run(['who-can', 'get', 'pods', '-n', 'fe', '-f', rbac]).out).toBe('Group:system:masters\n');
  });

  test('--output json: the question and the subjects, with stable fields', () => {
    const result = run(['who-can', 'list', 'pods', '-n', 'be', '-f', rbac, '--output', 'json']);
    expect(result.code).toBe(EXIT_OK);
    expect(JSON.parse(result.out)).toEqual({
      verb: 'list',
      apiGroup: '',
      resource: 'pods',
      namespace: 'be',
      tier: null,
      subjects: [
        { kind: 'Group', name: 'system:masters', namespace: null },
        { kind: 'ServiceAccount', name: 'ci', namespace: 'be' },
      ],
    });
  });

  test('--output csv and md', () => {
    expect(run(['who-can', 'list', 'pods', '-n', 'be', '-f', rbac, '-o', 'csv']).out).toBe('kind,namespace,name\nGroup,,system:masters\nServiceAccount,be,ci\n');
    expect(run(['who-can', 'delete', 'globalnetworkpolicies.projectcalico.org', '--tier', 'security', '-f', rbac, '-o', 'md']).out).toBe(
      '**Who can delete `globalnetworkpolicies.projectcalico.org` in tier `security`?**\n\n'
      + '| subject |\n| --- |\n| `Group:security-team` |\n| `Group:system:masters` |\n',
    );
  });

  test('parsing: the verb and resource may come after other options', () => {
    expect(parse('who-can', ['-n', 'be', 'get', 'pods', '-f', 'a.yaml'])).toEqual({
      manifests: ['a.yaml'], verb: 'get', apiGroup: '', resource: 'pods', namespace: 'be', tier: undefined, output: 'text',
    });
  });

  describe('errors (exit 2)', () => {
    test('usage', () => {
      expect(usageError(['who-can', '-f', 'a.yaml', 'get', 'pods']).message).toMatch(/^who-can needs <verb> <resource>, got none; note that --manifests/);
      expect(usageError(['who-can', 'get', '-f', 'a.yaml']).message).toMatch(/^who-can needs <verb> <resource>, got "get"/);
      expect(usageError(['who-can', 'get', 'pods/log', '-f', 'a.yaml'])).toEqual({
        message: 'who-can asks about a whole resource, not a subresource; got "pods/log", ask about pods or use can-i for pods/log',
        pointer: 'Run "cdk8s-calico who-can --help" for usage.',
      });
      expect(usageError(['who-can', 'get', 'widgets', '-f', 'a.yaml'])).toEqual({
        message: 'resource "widgets" is not a well-known resource and has no API group; name its group as kubectl does, e.g. widgets.example.com',
        pointer: 'Run "cdk8s-calico who-can --help" for usage.',
      });
      expect(usageError(['who-can', '', 'pods', '-f', 'a.yaml']).message).toBe('who-can: the verb must not be empty, e.g. create');
      expect(usageError(['who-can', 'get', 'pods', '-f', 'a.yaml', '-o', 'dot']).message).toBe('--output "dot": who-can does not print dot; who-can prints text, json, md, csv');
    });

    test('a tier with a dot is refused by the model', () => {
      const result = run(['who-can', 'create', 'networkpolicies.projectcalico.org', '--tier', 'a.b', '-f', rbac]);
      expect(result.code).toBe(EXIT_ERROR);
      expect(result.err).toContain('tier "a.b" must not contain "."');
    });
  });
});
