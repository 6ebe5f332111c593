/**
 * `cdk8s-calico audit`: the guardrails rule pack on the command line — exit codes, text and JSON
 * output, --fail-on, --rule, the network options, and errors.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parse, run, usageError } from './cli-run';
import { AuditArgs } from '../../src/cli/commands/audit';
import { Audit, AuditOptions, Severity } from '../../src/guardrails';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-calico-audit-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** A namespace under Pod Security restricted whose pods the security tier keeps inside the cluster. */
const CLEAN_YAML = `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { pod-security.kubernetes.io/enforce: restricted } }
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: { name: security }
spec: { order: 100 }
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: security.deny-outside }
spec:
  tier: security
  order: 10
  selector: all()
  types: [Egress]
  egress:
  - action: Deny
    destination: { nets: [0.0.0.0/0] }
  - action: Deny
    destination: { nets: ['::/0'] }
`;

/** A CI service account that may impersonate anyone (critical), and a namespace without Pod Security (medium). */
const RISKY_YAML = `apiVersion: v1
kind: Namespace
metadata: { name: ci }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: deployer, namespace: ci }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: impersonator }
rules:
- apiGroups: ['']
  resources: [users]
  verbs: [impersonate]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: impersonator }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: impersonator }
subjects:
- { kind: ServiceAccount, name: deployer, namespace: ci }
`;

function objects(yaml: string): any[] {
  return parseAllDocuments(yaml).map((d) => d.toJS());
}

describe('audit: exit codes and text output', () => {
  test('clean manifests: exit 0, "No findings."', () => {
    const file = write('clean.yaml', CLEAN_YAML);
    expect(run(['audit', '--manifests', file])).toEqual({ code: 0, out: 'No findings.\n', err: '' });
  });

  test('findings at or above medium: exit 1, one block per finding, highest first, then a summary', () => {
    const file = write('risky.yaml', RISKY_YAML);
    const result = run(['audit', '-f', file]);
    expect(result.code).toBe(1);
    expect(result.err).toBe('');
    const blocks = result.out.trimEnd().split('\n\n');
    expect(blocks[0].split('\n')[0]).toBe('CRITICAL CC-RBAC-005 ServiceAccount:ci/deployer');
    expect(blocks[0]).toContain('  objects: ServiceAccount ci/deployer, ClusterRole impersonator, ClusterRoleBinding impersonator');
    expect(blocks[0]).toMatch(/\n {2}fix: Remove impersonate/);
    expect(blocks.some((b) => b.startsWith('MEDIUM CC-NS-001\n'))).toBe(true);
    // impersonate (CC-RBAC-005) and living where pods run (CC-RBAC-013); the probe pod of ci reaches the metadata
    // service (CC-NET-002) and the internet (CC-NET-001); ci has no Pod Security (CC-NS-001).
    expect(blocks.map((b) => b.split('\n')[0])).toEqual([
      'CRITICAL CC-RBAC-005 ServiceAccount:ci/deployer',
      'CRITICAL CC-RBAC-013 ServiceAccount:ci/deployer',
      'HIGH CC-NET-002',
      'MEDIUM CC-NET-001',
      'MEDIUM CC-NS-001',
      '5 findings (2 critical, 1 high, 2 medium); 5 at or above medium.',
    ]);
  });

  test('--fail-on critical: high and medium findings are printed but exit 0', () => {
    const file = write('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: { name: open }\n');
    const result = run(['audit', '-f', file, '--fail-on', 'critical']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('MEDIUM CC-NS-001');
    expect(result.out).toMatch(/; 0 at or above critical\.\n$/);
    expect(run(['audit', '-f', file, '--fail-on', 'low']).code).toBe(1);
  });

  test('--rule runs only the named rules', () => {
    const file = write('risky.yaml', RISKY_YAML);
    const result = run(['audit', '-f', file, '--rule', 'CC-NS-001']);
    expect(result.code).toBe(1);
    expect(result.out).not.toContain('CC-RBAC-005');
    expect(run(['audit', '-f', file, '--rule', 'CC-RBAC-010', '--rule', 'CC-RBAC-004'])).toEqual({ code: 0, out: 'No findings.\n', err: '' });
  });

  test('reads standard input', () => {
    expect(run(['audit', '-f', '-'], CLEAN_YAML)).toEqual({ code: 0, out: 'No findings.\n', err: '' });
  });
});

describe('audit --output json', () => {
  test('prints exactly {"findings": [{rule, severity, subject, message, objects, fix}]} with every finding, as Audit.objects() finds them', () => {
    const file = write('risky.yaml', RISKY_YAML);
    const result = run(['audit', '-f', file, '--output', 'json']);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.out);
    expect(Object.keys(json)).toEqual(['findings']);
    for (const f of json.findings) {
      expect(Object.keys(f)).toEqual(['rule', 'severity', 'subject', 'message', 'objects', 'fix']);
    }
    const expected = Audit.objects(objects(RISKY_YAML)).map((f) => ({
      rule: f.rule, severity: f.severity, subject: f.subject ?? null, message: f.message, objects: f.objects, fix: f.fix,
    }));
    expect(json.findings).toEqual(expected);
    expect(json.findings.find((f: any) => f.rule === 'CC-NS-001').subject).toBeNull();
    expect(json.findings[0].subject).toBe('ServiceAccount:ci/deployer');
  });

  test('no findings: an empty list and exit 0', () => {
    const file = write('clean.yaml', CLEAN_YAML);
    expect(run(['audit', '-f', file, '--output', 'json'])).toEqual({ code: 0, out: '{\n  "findings": []\n}\n', err: '' });
  });
});

describe('audit: network options', () => {
  test('--node-cidr makes the kubelet rule look at the nodes; the security tier\'s deny covers them', () => {
    const open = write('open.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: { name: open, labels: { pod-security.kubernetes.io/enforce: baseline } }\n');
    expect(run(['audit', '-f', open, '--rule', 'CC-NET-003']).code).toBe(0);
    const result = run(['audit', '-f', open, '--rule', 'CC-NET-003', '--node-cidr', '172.16.0.0/24']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('172.16.0.1 in 172.16.0.0/24');
    const clean = write('clean.yaml', CLEAN_YAML);
    expect(run(['audit', '-f', clean, '--node-cidr', '172.16.0.0/24']).code).toBe(0);
  });

  test('the options reach the audit as given', () => {
    const args = parse('audit', [
      '-f', 'x.yaml', '--tier', 'platform=50:Pass', '--pod-cidr', '10.244.0.0/16', '--pod-cidr', 'fd00:10:244::/56',
      '--service-cidr', '10.96.0.0/12', '--node-cidr', '10.0.0.0/16', '--security-tier', 'security', '--rule', 'CC-NET-001',
    ]) as AuditArgs;
    expect(args).toEqual({
      manifests: ['x.yaml'],
      output: 'text',
      failOn: Severity.MEDIUM,
      rules: ['CC-NET-001'],
      tiers: [{ name: 'platform', order: 50, defaultAction: 'Pass' }],
      podCidrs: ['10.244.0.0/16', 'fd00:10:244::/56'],
      serviceCidrs: ['10.96.0.0/12'],
      nodeCidrs: ['10.0.0.0/16'],
      securityTiers: ['security'],
    });
    const options: AuditOptions = { securityTiers: ['nope'] };
    expect(() => Audit.objects(objects(CLEAN_YAML), options)).toThrow('securityTiers: "nope" is not a tier');
  });

  test('--security-tier names the tiers whose selectors the label rules read', () => {
    const yaml = `${CLEAN_YAML}---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: platform-allow }
spec:
  order: 1
  selector: egress == 'open'
  types: [Egress]
  egress: [{ action: Allow }]
`;
    const file = write('labels.yaml', yaml);
    // platform-allow is in tier default, which is not a security tier unless named.
    expect(run(['audit', '-f', file, '--rule', 'CC-LBL-001']).code).toBe(0);
    const result = run(['audit', '-f', file, '--rule', 'CC-LBL-001', '--security-tier', 'security', '--security-tier', 'default']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('pod label "egress"');
  });
});

describe('audit: errors', () => {
  test.each([
    [['audit'], 'audit needs --manifests <path>... (YAML/JSON files, directories, or - for standard input)'],
    [['audit', '-f', 'x.yaml', '--output', 'yaml'], '--output must be text or json, got "yaml"'],
    [['audit', '-f', 'x.yaml', '--fail-on', 'severe'], '--fail-on must be one of low, medium, high, critical, got "severe"'],
    [['audit', '-f', 'x.yaml', '--rule', 'CC-RBAC-99'], '--rule "CC-RBAC-99" is not a rule; the rules are CC-'],
    [['audit', 'extra', '-f', 'x.yaml'], 'audit takes no positional arguments, got "extra"'],
    [['audit', '-f', 'x.yaml', '--tier', 'bad'], '--tier "bad": expected <name>=<order>[:Deny|Pass]'],
  ])('usage error: %j', (argv, message) => {
    const error = usageError(argv as string[]);
    expect(error.message).toContain(message);
    expect(error.pointer).toBe('Run "cdk8s-calico audit --help" for usage.');
  });

  test('a malformed option value or manifest is an error with exit 2, naming what is wrong', () => {
    const clean = write('clean.yaml', CLEAN_YAML);
    const badCidr = run(['audit', '-f', clean, '--pod-cidr', '10.0.0.0/33']);
    expect(badCidr.code).toBe(2);
    expect(badCidr.out).toBe('');
    expect(badCidr.err).toMatch(/^cdk8s-calico: error: Audit\.objects\(\): NetworkModel options: podCidrs\[0\]: /);
    const broken = write('broken.yaml', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: { name: b }\nroleRef: 7\n');
    const result = run(['audit', '-f', broken]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('ClusterRoleBinding');
    expect(run(['audit', '-f', path.join(dir, 'missing.yaml')]).code).toBe(2);
  });
});
