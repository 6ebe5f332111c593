/**
 * The reference platform's YAML as reviewers read it: at most 60 % of the lines it had before the
 * YAML rework (compact RBAC rules, no empty fields, short lists on one line), with the same
 * meaning: the RBAC and network models built from the frozen pre-rework manifests and from the
 * YAML written now give the same verdicts.
 *
 * The fixture `fixtures/reference-platform-before.json` holds the manifests of the reference
 * platform (per chart, in apply order) as they were before the rework (commit aaa1bd0), generated
 * once with `Testing.synth()` of each chart of `buildReferencePlatform(Testing.app())`. If the
 * platform's meaning changes on purpose, regenerate it the same way from the new code.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { buildReferencePlatform, REFERENCE_CLUSTER_NETWORKS } from '../../examples/reference-platform/main';
import { AccessRequest, NetworkModel, RbacModel } from '../../src';
import { CATALOGUE, isTieredPolicyResource } from '../../src/core';
import { parseManifestYaml } from '../../src/core/manifest-yaml';
import { KNOWN_VERBS } from '../../src/rbac/verbs';
import { ReviewableApp } from '../../src/teams';

/**
 * Lines of `npm run synth` (dist/*.k8s.yaml, `wc -l`) before the YAML rework, at commit aaa1bd0:
 * 676 + 346 + 236 + 198. The test derives it again from the fixture, written as cdk8s's `App`
 * writes it.
 */
const LINES_BEFORE = 1456;

/** The most the reviewable YAML may take, relative to `LINES_BEFORE`. */
const MAX_SHARE = 0.6;

const BEFORE: { [chart: string]: any[] } = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'reference-platform-before.json'), 'utf8'));

const MODEL_OPTIONS = { podCidrs: REFERENCE_CLUSTER_NETWORKS.podCidrs, serviceCidrs: REFERENCE_CLUSTER_NETWORKS.serviceCidrs };

/** The reference platform written by `ReviewableApp` (as `npm run synth` writes it): file name → text. */
const AFTER: { [file: string]: string } = (() => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'reviewable-reference-'));
  try {
    const app = new ReviewableApp({ outdir });
    buildReferencePlatform(app);
    app.synth();
    return Object.fromEntries(fs.readdirSync(outdir).sort().map((file) => [file, fs.readFileSync(path.join(outdir, file), 'utf8')]));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
})();

const beforeManifests = (): any[] => Object.values(BEFORE).flat();
const afterManifests = (): any[] => Object.entries(AFTER).flatMap(([file, text]) => parseManifestYaml(text, file));
const lineCount = (text: string) => text.split('\n').length - 1;

/** Sample workloads (the same in both models) so that the network model has endpoints to compare. */
const WORKLOADS: any[] = (() => {
  const chart = new Chart(Testing.app(), 'workloads');
  const workload = (namespace: string, name: string, labels: { [key: string]: string }, serviceAccount?: string, port = 8080) => {
    new kplus.Deployment(chart, `${namespace}-${name}`, {
      metadata: { name, namespace },
      podMetadata: { labels },
      serviceAccount: serviceAccount === undefined ? undefined
        : kplus.ServiceAccount.fromServiceAccountName(chart, `${namespace}-${name}-sa`, serviceAccount, { namespaceName: namespace }),
      containers: [{ image: 'registry.example/app:1', portNumber: port }],
    });
  };
  workload('fe', 'web', { app: 'web' });
  workload('be-dev-team', 'api', { app: 'api' }, undefined, 443);
  workload('be-dev-team', 'partner-sync', { app: 'partner-sync' }, 'partner-client');
  workload('database', 'mongo', { app: 'mongo' }, undefined, 27017);
  workload('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, undefined, 53);
  workload('monitoring', 'collector', { app: 'metrics-collector' }, 'metrics-collector');
  workload('webapp', 'backend', { app: 'backend' });
  workload('client', 'client', { app: 'client' });
  workload('prod-engineering', 'db', { app: 'db' }, 'db', 5432);
  workload('prod-engineering', 'api', { app: 'api' }, 'api-service');
  workload('prod-engineering', 'web', { app: 'web' }, 'web-frontend');
  workload('prod-engineering', 'intern', { app: 'intern' }, 'intern');
  return Testing.synth(chart);
})();

/** Who to ask about: every subject of every binding (users for service accounts and users; a member for groups), and an outsider. */
function requesters(manifests: any[]): Array<{ label: string; user: string; groups?: string[] }> {
  const result = new Map<string, { label: string; user: string; groups?: string[] }>();
  for (const binding of manifests.filter((m) => m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding')) {
    for (const s of binding.subjects ?? []) {
      const entry = s.kind === 'ServiceAccount' ? { label: `ServiceAccount ${s.namespace}/${s.name}`, user: `system:serviceaccount:${s.namespace}:${s.name}` }
        : s.kind === 'User' ? { label: `User ${s.name}`, user: s.name }
          : { label: `Group ${s.name}`, user: 'a-member', groups: [s.name] };
      result.set(entry.label, entry);
    }
  }
  result.set('outsider', { label: 'outsider', user: 'someone-else' });
  return [...result.values()];
}

/** Every (API group, resource) of the RBAC rules of `manifests`, and the object names they name. */
function ruleResources(manifests: any[]): { resources: Array<[string, string]>; names: string[] } {
  const resources = new Map<string, [string, string]>();
  const names = new Set<string>();
  for (const role of manifests.filter((m) => m.kind === 'Role' || m.kind === 'ClusterRole')) {
    for (const rule of role.rules ?? []) {
      for (const group of rule.apiGroups ?? []) {
        for (const resource of rule.resources ?? []) resources.set(`${group}/${resource}`, [group, resource]);
      }
      for (const name of rule.resourceNames ?? []) names.add(name);
    }
  }
  return { resources: [...resources.values()], names: [...names] };
}

/**
 * The grid of questions: subjects × verbs × resources × namespaces × tiers (and object names for
 * the resources the rules name). Resources: those of the rules and every resource (and
 * subresource) of the resource catalogue.
 */
function accessGrid(manifests: any[]): AccessRequest[] {
  const { resources: ruled, names } = ruleResources(manifests);
  const namespaces = [undefined, 'kube-system', ...manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name)];
  const tiers = [undefined, 'default', 'security', 'platform'];
  const objectNames = [undefined, ...names, 'default.be', 'security.closed-namespace', 'intern'];
  const resources = new Map<string, { group: string; resource: string; subresource?: string; named: boolean }>();
  for (const [group, resource] of ruled) resources.set(`${group}/${resource}`, { group, resource, named: true });
  for (const entry of CATALOGUE) {
    const key = `${entry.group}/${entry.resource}`;
    if (!resources.has(key)) resources.set(key, { group: entry.group, resource: entry.resource, named: false });
    for (const subresource of entry.subresources) {
      resources.set(`${key}/${subresource}`, { group: entry.group, resource: entry.resource, subresource, named: false });
    }
  }
  const grid: AccessRequest[] = [];
  for (const who of requesters(manifests)) {
    for (const verb of KNOWN_VERBS) {
      for (const { group, resource, subresource, named } of resources.values()) {
        const tiered = subresource === undefined && isTieredPolicyResource(group, resource);
        for (const namespace of namespaces) {
          for (const tier of tiered ? tiers : [undefined]) {
            for (const name of named || tiered ? objectNames : [undefined]) {
              grid.push({ user: who.user, groups: who.groups, verb, apiGroup: group, resource, subresource, namespace, tier, name });
            }
          }
        }
      }
    }
  }
  return grid;
}

/** The verdicts of `model` on `grid` that differ from `expected`'s, described (at most 10). */
function differences(grid: AccessRequest[], expected: RbacModel, actual: RbacModel): string[] {
  const found: string[] = [];
  for (const request of grid) {
    const a = expected.check(request);
    const b = actual.check(request);
    if (a.allowed !== b.allowed || a.reason !== b.reason || JSON.stringify(a.grants) !== JSON.stringify(b.grants)) {
      found.push(`${JSON.stringify(request)}: before ${a.reason} / after ${b.reason}`);
      if (found.length === 10) break;
    }
  }
  return found;
}

describe('the reference platform in reviewable YAML', () => {
  test(`at most ${MAX_SHARE * 100} % of the ${LINES_BEFORE} lines of before`, () => {
    // The "before" figure, derived again: the frozen manifests as cdk8s's App writes them (one file per chart).
    expect(Object.values(BEFORE).reduce((sum, objects) => sum + lineCount(Yaml.stringify(...objects)), 0)).toBe(LINES_BEFORE);
    expect(Object.keys(AFTER)).toEqual(['0000-security.k8s.yaml', '0001-teams.k8s.yaml', '0002-webapp.k8s.yaml', '0003-prod-engineering.k8s.yaml']);
    const after = Object.values(AFTER).reduce((sum, text) => sum + lineCount(text), 0);
    expect(after).toBeLessThanOrEqual(Math.floor(LINES_BEFORE * MAX_SHARE));
  });

  test('the same objects, in the same order; only RBAC rules and empty fields are written differently', () => {
    const before = beforeManifests();
    const after = afterManifests();
    const id = (m: any) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
    expect(after.map(id)).toEqual(before.map(id));
    const changed = after.filter((m, i) => JSON.stringify(m) !== JSON.stringify(before[i])).map((m) => m.kind);
    expect([...new Set(changed)].sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'Namespace', 'NetworkPolicy', 'Role', 'RoleBinding']);
  });

  test('RbacModel: identical verdicts over subjects × verbs × resources × namespaces × tiers', () => {
    const before = RbacModel.fromManifests(beforeManifests());
    const after = RbacModel.fromManifests(afterManifests());
    const grid = accessGrid(beforeManifests());
    expect(grid.length).toBeGreaterThan(50_000);
    // The grid asks questions the platform answers both ways.
    const allowed = grid.filter((request) => before.check(request).allowed).length;
    expect(allowed).toBeGreaterThan(1000);
    expect(grid.length - allowed).toBeGreaterThan(1000);
    expect(differences(grid, before, after)).toEqual([]);
  });

  test('the grid finds a grant that changed (a check of the check)', () => {
    const widened = afterManifests().map((m) => (m.kind === 'ClusterRole' && m.metadata.name === 'security-network-policy-admin'
      ? { ...m, rules: m.rules.map((rule: any) => ({ ...rule, resourceNames: undefined })) }
      : m));
    const grid = accessGrid(beforeManifests()).filter((request) => request.resource === 'tiers');
    expect(differences(grid, RbacModel.fromManifests(beforeManifests()), RbacModel.fromManifests(widened)).length).toBeGreaterThan(0);
  });

  test('NetworkModel: identical reachability matrix', () => {
    const ports = [{ port: 443 }, { port: 8080 }, { port: 27017 }, { port: 5432 }, { port: 9898 }, { port: 10250 }, { protocol: 'UDP', port: 53 }, { port: 53 }, {}];
    // One matrix per IP family of the outside addresses (a flow stays within one family).
    const outside = [
      ['ip:203.0.113.10', 'ip:93.184.216.34', 'ip:169.254.169.254', 'ip:172.16.0.10', 'ip:198.51.100.7'],
      ['ip:2001:db8:203::10', 'ip:2001:db8:ffff::1', 'ip:fd00:ec2::254'],
    ];
    const cells = (manifests: any[]) => {
      const model = NetworkModel.fromManifests([...manifests, ...WORKLOADS], MODEL_OPTIONS);
      return outside.flatMap((includeExternal) => model.matrix({ ports, includeExternal }).cells);
    };
    const before = cells(beforeManifests());
    const after = cells(afterManifests());
    // A check of the check: without the expose-frontend policy, the matrix differs.
    const without = afterManifests().filter((m) => !(m.kind === 'NetworkPolicy' && m.metadata.name === 'expose-frontend'));
    expect(cells(without)).not.toEqual(before);
    expect(new Set(before.map((cell) => cell.from)).size).toBeGreaterThan(15);
    const allowed = before.filter((cell) => cell.allowed).length;
    expect(allowed).toBeGreaterThan(20);
    expect(before.length - allowed).toBeGreaterThan(20);
    expect(after).toEqual(before);
  });
});
