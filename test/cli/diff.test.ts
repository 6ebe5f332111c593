/**
 * `cdk8s-calico diff`: the flows and permissions a change opens and closes, with the policy or
 * binding behind each, for a pull-request gate (exit 1 when anything is opened).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, usageError } from './cli-run';
import { SHOP_YAML } from './fixtures';
import { FlowVerdict, NetworkModel } from '../../src/analysis';
import { EXIT_DENIED, EXIT_ERROR, EXIT_OK, loadManifests } from '../../src/cli';
import { synthPlatform, tempDir } from '../report/reference-platform';

/** The change lines of the text output: `  + …` and `  - …`. */
function changeLines(out: string): string[] {
  return out.split('\n').filter((line) => /^ {2}[+-] /.test(line));
}

describe('the reference platform and a copy with one more allowed flow', () => {
  let dir: string;
  let before: string;
  let after: string;
  let withAuditor: string;
  /** The model's verdicts of the flow before and after the change. */
  let was: FlowVerdict;
  let is: FlowVerdict;

  beforeAll(() => {
    dir = tempDir('cdk8s-calico-diff-');
    before = synthPlatform(path.join(dir, 'before'));
    after = synthPlatform(path.join(dir, 'after'), { allowFeOn8443: true });
    withAuditor = synthPlatform(path.join(dir, 'auditor'), { auditorReadsPods: true });
    const flow = { from: 'fe/web', to: 'be-dev-team/api', port: 8443 };
    was = NetworkModel.fromManifests(loadManifests([before])).check(flow);
    is = NetworkModel.fromManifests(loadManifests([after])).check(flow);
  }, 120_000);

  test('the change opens the flow by a rule on the ingress side (the premise of the tests below)', () => {
    expect(was.allowed).toBe(false);
    expect(is.allowed).toBe(true);
    expect(was.egress.reason).toBe(is.egress.reason);
    expect(is.ingress.decidedBy).toBe('RULE');
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('prints exactly that flow, with the policy and rule that opened it, and exits 1', () => {
    const result = run(['diff', '--before', before, '--after', after]);
    expect(result.err).toBe('');
    expect(result.code).toBe(EXIT_DENIED);
    expect(result.out.split('\n')[0]).toBe('1 flow opened, 0 closed; 0 permissions gained, 0 lost');
    expect(changeLines(result.out)).toEqual(['  + fe/web -> be-dev-team/api TCP 8443']);
    expect(result.out).toContain('Flows opened:\n  + fe/web -> be-dev-team/api TCP 8443\n'
      + `      ingress of be-dev-team/api: allowed: ${is.ingress.reason} (was denied: ${was.ingress.reason})\n\n`);
    expect(result.out).not.toContain('Flows closed');
    expect(result.out).not.toContain('Permissions');
  }, 60_000);

  test('the reverse change closes the flow and opens nothing: exit 0', () => {
    const result = run(['diff', '--before', after, '--after', before]);
    expect(result.code).toBe(EXIT_OK);
    expect(changeLines(result.out)).toEqual(['  - fe/web -> be-dev-team/api TCP 8443']);
    expect(result.out).toContain(`ingress of be-dev-team/api: denied: ${was.ingress.reason} (was allowed: ${is.ingress.reason})\n`);
  }, 60_000);

  test('no change: nothing opened or closed, exit 0', () => {
    const result = run(['diff', '--before', before, '--after', before]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.out.split('\n')[0]).toBe('0 flows opened, 0 closed; 0 permissions gained, 0 lost');
    expect(changeLines(result.out)).toEqual([]);
  }, 60_000);

  test('--output md is a pull-request comment with the flow in a table', () => {
    const result = run(['diff', '--before', before, '--after', after, '--output', 'md']);
    expect(result.code).toBe(EXIT_DENIED);
    const lines = result.out.split('\n');
    expect(lines[0]).toBe('### cdk8s-calico diff: 1 flow opened, 0 closed; 0 permissions gained, 0 lost');
    expect(result.out).toContain('#### Flows opened\n\n| from | to | protocol | ports | why |\n| --- | --- | --- | --- | --- |\n'
      + `| \`fe/web\` | \`be-dev-team/api\` | TCP | 8443 | ingress of be-dev-team/api: allowed: ${is.ingress.reason} (was denied: ${was.ingress.reason}) |\n`);
    expect(lines.filter((line) => line.startsWith('| `'))).toHaveLength(1);
    expect(result.out).toContain('<details><summary>What was compared</summary>');
    expect(result.out).not.toContain('#### Permissions');
  }, 60_000);

  test('--output json: stable fields, both sides of the flow', () => {
    const side = (v: FlowVerdict['ingress']) => ({
      allowed: v.allowed,
      decidedBy: v.decidedBy,
      tier: v.tier ?? null,
      policy: v.policy ?? null,
      ruleIndex: v.ruleIndex ?? null,
      action: v.action ?? null,
      reason: v.reason,
    });
    const result = run(['diff', '--before', before, '--after', after, '-o', 'json']);
    expect(result.code).toBe(EXIT_DENIED);
    const json = JSON.parse(result.out);
    expect(Object.keys(json)).toEqual(['opensAnything', 'summary', 'flows', 'permissions', 'endpoints', 'probes']);
    expect(json.opensAnything).toBe(true);
    expect(json.summary).toEqual({ flowsOpened: 1, flowsClosed: 0, permissionsGained: 0, permissionsLost: 0 });
    expect(json.flows).toEqual([{
      change: 'opened',
      from: 'fe/web',
      fromDescription: null,
      to: 'be-dev-team/api',
      toDescription: null,
      protocol: 'TCP',
      ports: '8443',
      before: { allowed: false, egress: side(was.egress), ingress: side(was.ingress) },
      after: { allowed: true, egress: side(is.egress), ingress: side(is.ingress) },
    }]);
    expect(json.permissions).toEqual([]);
    expect(json.endpoints).toEqual({ added: [], removed: [] });
    expect(json.probes.ports).toEqual(expect.arrayContaining(['TCP 443', 'TCP 8443', 'UDP 53']));
    expect(json.probes.addresses.length).toBeGreaterThan(0);
  }, 60_000);

  test('a new ClusterRoleBinding: the user gains get and list on pods everywhere, with the binding', () => {
    const result = run(['diff', '--before', before, '--after', withAuditor]);
    expect(result.code).toBe(EXIT_DENIED);
    expect(changeLines(result.out)).toEqual(['  + User:auditor: get, list pods in every namespace']);
    expect(result.out).toContain('      granted by ClusterRole platform-reader via ClusterRoleBinding auditor-reads-pods\n');
    const json = JSON.parse(run(['diff', '--before', before, '--after', withAuditor, '-o', 'json']).out);
    expect(json.permissions).toEqual(['get', 'list'].map((verb) => ({
      change: 'gained',
      subject: { kind: 'User', name: 'auditor', namespace: null },
      verb,
      apiGroup: '',
      resource: 'pods',
      subresource: null,
      namespace: null,
      name: null,
      tier: null,
      grants: ['ClusterRole platform-reader via ClusterRoleBinding auditor-reads-pods'],
    })));
    const back = run(['diff', '--before', withAuditor, '--after', before]);
    expect(back.code).toBe(EXIT_OK);
    expect(changeLines(back.out)).toEqual(['  - User:auditor: get, list pods in every namespace']);
  }, 60_000);
});

describe('small changes', () => {
  let dir: string;

  beforeEach(() => {
    dir = tempDir('cdk8s-calico-diff-small-');
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, text: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  }

  const denyEgress = `---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: web-egress, namespace: shop }
spec:
  selector: app == 'web'
  types: [Egress]
`;
  const internetEgress = `---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: web-egress, namespace: shop }
spec:
  selector: app == 'web'
  types: [Egress]
  egress:
  - action: Allow
    destination: { nets: [0.0.0.0/0], notNets: [10.0.0.0/8] }
`;

  test('egress to the internet: the flow to the class of outside addresses is opened, naming the class', () => {
    const before = write('before.yaml', SHOP_YAML + denyEgress);
    const after = write('after.yaml', SHOP_YAML + internetEgress);
    const result = run(['diff', '--before', before, '--after', after]);
    expect(result.code).toBe(EXIT_DENIED);
    // Adjacent port ranges with the same reasons are merged; pods without a known address are
    // inside 0.0.0.0/0 and outside 10.0.0.0/8, so web also reaches api (db admits only api).
    expect(changeLines(result.out)).toEqual([
      '  + shop/web -> shop/api TCP 1-65535',
      '  + shop/web -> shop/api UDP 1-65535',
      '  + shop/web -> ip:203.0.113.10 (0.0.0.0/0 except 10.0.0.0/8) TCP 1-65535',
      '  + shop/web -> ip:203.0.113.10 (0.0.0.0/0 except 10.0.0.0/8) UDP 1-65535',
    ]);
    expect(result.out).toContain('egress of shop/web: allowed: egress rule 0 (Allow) of NetworkPolicy shop/web-egress in tier default'
      + ' (was denied: end of tier default without a verdict: drop)');
    // 10.0.0.0/8 stays closed: it is asked, and no flow to it changes.
    expect(result.out).toContain('Addresses outside the cluster asked: ip:203.0.113.10 (0.0.0.0/0 except 10.0.0.0/8), ip:10.0.0.0 (10.0.0.0/8)');
  });

  test('a new pod: its flows are opened, marked as new, and the endpoint is listed', () => {
    const before = write('before.yaml', SHOP_YAML);
    const after = write('after.yaml', `${SHOP_YAML}---
apiVersion: v1
kind: Pod
metadata: { name: batch, namespace: shop, labels: { app: batch } }
spec: { containers: [{ name: main, image: batch }] }
`);
    const result = run(['diff', '--before', before, '--after', after]);
    expect(result.code).toBe(EXIT_DENIED);
    expect(result.out).toContain('Endpoints added: shop/batch');
    expect(changeLines(result.out)).toContain('  + shop/batch -> shop/api TCP 1-65535');
    expect(result.out).toContain('      an end of the flow is new\n');
    // db admits only api on 5432: nothing from batch to db.
    expect(result.out).not.toContain('shop/batch -> shop/db');
  });

  test('Calico tiers: a group gains every change of policies in tier security', () => {
    const tierRbac = (verbs: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: security-policies }
rules:
- { apiGroups: [projectcalico.org], resources: [tiers], resourceNames: [security], verbs: [get] }
- { apiGroups: [projectcalico.org], resources: [tier.networkpolicies], resourceNames: [security.*], verbs: [${verbs}] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: security-policies }
subjects: [{ kind: Group, name: sec, apiGroup: rbac.authorization.k8s.io }]
roleRef: { kind: ClusterRole, name: security-policies, apiGroup: rbac.authorization.k8s.io }
`;
    const before = write('before.yaml', tierRbac('get, list'));
    const after = write('after.yaml', tierRbac('get, list, create, delete'));
    const result = run(['diff', '--before', before, '--after', after]);
    expect(result.code).toBe(EXIT_DENIED);
    expect(changeLines(result.out)).toEqual(['  + Group:sec: create, delete projectcalico.org/networkpolicies in tier security in every namespace']);
    const back = run(['diff', '--before', after, '--after', before]);
    expect(back.code).toBe(EXIT_OK);
    expect(changeLines(back.out)).toEqual(['  - Group:sec: create, delete projectcalico.org/networkpolicies in tier security in every namespace']);
  });

  test('--port adds a port to ask; standard input for one side', () => {
    const before = write('before.yaml', SHOP_YAML);
    const result = run(['diff', '--before', before, '--after', '-', '--port', '9999', '--port', 'udp/5353', '-o', 'json'], SHOP_YAML);
    expect(result.code).toBe(EXIT_OK);
    const json = JSON.parse(result.out);
    expect(json.opensAnything).toBe(false);
    expect(json.probes.ports).toEqual(expect.arrayContaining(['TCP 9999', 'UDP 5353', 'TCP 5432']));
  });

  test('--service-cidr: ClusterIPs are not asked (Calico sees the pod behind them); --pod-cidr places pods in networks', () => {
    const policy = (nets: string) => `${SHOP_YAML}---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: web-egress, namespace: shop }
spec:
  selector: app == 'web'
  types: [Egress]
  egress:
  - { action: Allow, destination: { nets: [${nets}] } }
`;
    const before = write('before.yaml', policy('10.96.0.0/12'));
    const after = write('after.yaml', policy('10.96.0.0/12, 10.244.0.0/16'));
    const plain = JSON.parse(run(['diff', '--before', before, '--after', after, '-o', 'json']).out);
    expect(plain.probes.addresses.map((a: any) => a.description)).toEqual(['10.96.0.0/12', '10.244.0.0/16', 'any other IPv4 address']);
    const clustered = run(['diff', '--before', before, '--after', after, '-o', 'json', '--service-cidr', '10.96.0.0/12', '--pod-cidr', '10.244.0.0/16']);
    expect(clustered.code).toBe(EXIT_DENIED);
    const json = JSON.parse(clustered.out);
    expect(json.probes.addresses.map((a: any) => a.description)).toEqual(['10.244.0.0/16', 'any other IPv4 address']);
    // Pods without a known address are in the pod network: allowing it opens web's egress to the other pods.
    expect(json.flows.map((f: any) => `${f.from} -> ${f.to} ${f.protocol} ${f.ports}`)).toEqual([
      'shop/web -> shop/api TCP 1-65535',
      'shop/web -> shop/api UDP 1-65535',
      'shop/web -> ip:10.244.0.0 TCP 1-65535',
      'shop/web -> ip:10.244.0.0 UDP 1-65535',
    ]);
  });

  describe('errors (exit 2)', () => {
    test('missing sides, both on standard input, unknown format', () => {
      expect(usageError(['diff', '--after', 'x.yaml']).message).toBe('diff needs --before <path>...: the manifests before the change (files, directories, or -)');
      expect(usageError(['diff', '--before', 'x.yaml']).message).toBe('diff needs --after <path>...: the manifests after the change (files, directories, or -)');
      expect(usageError(['diff', '--before', '-', '--after', '-']).message).toBe('diff can read standard input (-) for --before or --after, not both');
      expect(usageError(['diff', '--before', 'a', '--after', 'b', '--output', 'csv']).message)
        .toBe('--output "csv": diff does not print csv; diff prints text, md, json');
      expect(usageError(['diff', '--before', 'a', '--after', 'b', '--output', 'yaml']).message)
        .toBe('--output "yaml": unknown format; diff prints text, md, json');
    });

    test('a malformed manifest names the side', () => {
      const good = write('good.yaml', SHOP_YAML);
      const bad = write('bad.yaml', `${SHOP_YAML}---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: broken, namespace: shop }
spec: { selector: "app ==" }
`);
      const result = run(['diff', '--before', good, '--after', bad]);
      expect(result.code).toBe(EXIT_ERROR);
      expect(result.out).toBe('');
      expect(result.err).toMatch(/^cdk8s-calico: error: after: .*NetworkPolicy shop\/broken/);
    });

    test('a missing directory', () => {
      const result = run(['diff', '--before', path.join(dir, 'nope'), '--after', path.join(dir, 'nope')]);
      expect(result.code).toBe(EXIT_ERROR);
      expect(result.err).toContain('no such file or directory');
    });
  });
});
