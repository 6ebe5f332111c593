/**
 * End to end: the real `cdk8s synth` (cdk8s-cli) runs the plugin as documented in docs/plugin.md
 * on a plain-JavaScript scratch app.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { mainJs, makeApp, REPO_ROOT } from './app-fixture';

const CDK8S = path.join(REPO_ROOT, 'node_modules', '.bin', 'cdk8s');

/** The ```yaml block of docs/plugin.md: the cdk8s.yaml users paste. */
function documentedValidations(): string {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'plugin.md'), 'utf8');
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks).toHaveLength(1);
  return blocks[0];
}

function cdk8sYaml(validations: string): string {
  return `language: typescript\napp: node main.js\n${validations}`;
}

/** The documented block with its properties changed by `edit`. */
function editedValidations(edit: (properties: any) => void): string {
  const doc = parse(documentedValidations());
  edit(doc.validations[0].properties);
  return stringify(doc);
}

interface SynthResult {
  readonly status: number | null;
  readonly output: string;
  readonly report: any;
}

function synth(dir: string): SynthResult {
  const reportFile = path.join(dir, 'validation-report.json');
  const result = spawnSync(CDK8S, ['synth', '--validation-reports-output-file', reportFile], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', FORCE_COLOR: '0', NO_COLOR: '1' },
    timeout: 60_000,
  });
  const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : undefined;
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`, report };
}

function violations(result: SynthResult): any[] {
  expect(result.report).toBeDefined();
  return result.report.reports.flatMap((r: any) => r.violations);
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function run(main: string, validations: string): SynthResult {
  const dir = makeApp(main, cdk8sYaml(validations));
  dirs.push(dir);
  return synth(dir);
}

jest.setTimeout(90_000);

test('the documented cdk8s.yaml passes on a reference-platform-like app (exit 0)', () => {
  const result = run(mainJs(), documentedValidations());
  expect({ status: result.status, violations: violations(result) }).toEqual({ status: 0, violations: [] });
  expect(result.report.reports[0].summary).toMatchObject({ status: 'success', metadata: { assertions: '4' } });
});

test('a guardrail broken by the app fails the synth (exit 2) naming the rule, the object and its construct path', () => {
  // A backend developer made cluster admin: every policy, every secret, any identity.
  const result = run(mainJs(`
new ApiObject(teams, 'cluster-admin', {
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
  metadata: { name: 'cluster-admin' },
  rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
});
new ApiObject(teams, 'be-admin', {
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
  metadata: { name: 'be-admin' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'be-dev-member' }],
});`), documentedValidations());
  expect(result.status).toBe(2);
  expect(result.output).toContain('Validation failed');
  const found = violations(result);
  const admin = found.filter((v) => v.violatingConstructs.some((c: any) => c.resourceName === 'be-admin'));
  expect(admin.length).toBeGreaterThan(0);
  expect(admin[0].ruleName).toMatch(/^CC-RBAC-\d+ \(critical\) User:be-dev-member$/);
  expect(admin[0].recommendation).toContain('ClusterRole cluster-admin via ClusterRoleBinding be-admin');
  expect(admin[0].fix).not.toBe('');
  const construct = admin[0].violatingConstructs.find((c: any) => c.resourceName === 'be-admin');
  expect(construct.constructPath).toBe('teams/be-admin');
  expect(construct.manifestPath).toMatch(/teams\.k8s\.yaml$/);
});

test('a failing reachability assertion fails the synth naming the flow and the verdict explanation', () => {
  const result = run(mainJs(), editedValidations((properties) => {
    properties.assertions = [{ from: 'fe/web', to: 'database/db', port: 27017, expect: 'allow' }];
  }));
  expect(result.status).toBe(2);
  const found = violations(result);
  expect(found.map((v) => v.ruleName)).toEqual(['cdk8s-calico/reachability fe/web -> database/db port 27017 expect allow']);
  expect(found[0].recommendation).toMatch(/^Expected fe\/web -> database\/db port 27017 to be allowed, but it is denied: /);
  expect(result.output).toContain('fe/web -> database/db port 27017');
});

test('assertions from a YAML file, a failing permission assertion and a CRD schema error', () => {
  const dir = makeApp(mainJs(`
new ApiObject(teams, 'bad-set', { apiVersion: 'projectcalico.org/v3', kind: 'NetworkSet',
  metadata: { name: 'bad-set', namespace: 'fe' }, spec: { nets: ['10.0.0.0/8'], bogus: 1 } });`),
  cdk8sYaml(editedValidations((properties) => {
    properties.assertions = ['assertions.yaml'];
  })));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'assertions.yaml'), stringify([
    { as: 'be-dev-member', verb: 'delete', resource: 'networkpolicies.networking.k8s.io', namespace: 'fe', expect: 'allow' },
  ]));
  const result = synth(dir);
  expect(result.status).toBe(2);
  const found = violations(result);
  const names = found.map((v) => v.ruleName).sort();
  expect(names).toEqual([
    'cdk8s-calico/crd-schema',
    'cdk8s-calico/permission be-dev-member delete networkpolicies.networking.k8s.io -n fe expect allow',
  ]);
  const schema = found.find((v) => v.ruleName === 'cdk8s-calico/crd-schema');
  expect(schema.recommendation).toContain('bogus');
  expect(schema.violatingConstructs[0]).toMatchObject({ resourceName: 'bad-set', constructPath: 'teams/bad-set' });
});
