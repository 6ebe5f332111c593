import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parseAllDocuments } from 'yaml';
import { buildReferencePlatform, buildReferencePlatformCharts, REFERENCE_CLUSTER_NETWORKS } from '../../examples/reference-platform/main';
import { networkModelOf, rbacModelOf } from '../../src/testing';
import { validateCalicoManifests } from '../policy/crd-schema';
import { findObject, subjectsOf, wildcardProblems } from '../rbac/rbac-manifests';

/** The user name of a member service account, wherever the platform keeps it. */
function memberUser(manifests: any[], name: string): string {
  const accounts = manifests.filter((m) => m.kind === 'ServiceAccount' && m.metadata.name === name);
  if (accounts.length !== 1) {
    throw new Error(`expected one ServiceAccount ${name}, found ${accounts.length}`);
  }
  return `system:serviceaccount:${accounts[0].metadata.namespace}:${name}`;
}

const MANIFESTS = (() => {
  const app = Testing.app();
  return buildReferencePlatform(app).flatMap((chart) => Testing.synth(chart));
})();
const SECURITY_MEMBER = memberUser(MANIFESTS, 'security-member');
const BE_MEMBER = memberUser(MANIFESTS, 'be-dev-member');
const PROD_MEMBER = memberUser(MANIFESTS, 'prod-dev-member');
const MODEL_OPTIONS = { podCidrs: REFERENCE_CLUSTER_NETWORKS.podCidrs, serviceCidrs: REFERENCE_CLUSTER_NETWORKS.serviceCidrs };

function platform() {
  const app = Testing.app();
  const charts = buildReferencePlatform(app);
  const manifests = () => validateCalicoManifests(charts.flatMap((chart) => Testing.synth(chart)));
  return { app, charts, manifests };
}

/** Sample workloads (not part of the platform) to ask the network model about. */
function addWorkloads(app: App): void {
  const chart = new Chart(app, 'workloads');
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
  workload('be-dev-team', 'worker', { app: 'worker' });
  workload('database', 'mongo', { app: 'mongo' }, undefined, 27017);
  workload('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, undefined, 53);
  workload('monitoring', 'collector', { app: 'metrics-collector' }, 'metrics-collector');
  workload('be-dev-team', 'partner-sync', { app: 'partner-sync' }, 'partner-client');
  workload('webapp', 'backend', { app: 'backend' });
  workload('client', 'client', { app: 'client' });
  workload('prod-engineering', 'db', { app: 'db' }, 'db', 5432);
  workload('prod-engineering', 'api', { app: 'api' }, 'api-service');
  workload('prod-engineering', 'auth', { app: 'auth' }, 'user-auth-service');
  workload('prod-engineering', 'web', { app: 'web' }, 'web-frontend');
  workload('prod-engineering', 'intern', { app: 'intern' }, 'intern');
  workload('prod-engineering', 'intern-tool', { app: 'intern-tool' }, 'intern');
  workload('prod-engineering', 'batch', { app: 'batch' }, 'batch');
}

describe('reference platform', () => {
  test('snapshot', () => {
    const { charts } = platform();
    expect(Object.fromEntries(charts.map((chart) => [chart.node.id, Testing.synth(chart)]))).toMatchSnapshot();
  });

  test('four charts, written in apply order, the Tier before its policies and namespaces first', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'reference-platform-'));
    try {
      const app = new App({ outdir });
      expect(buildReferencePlatform(app).map((chart) => chart.node.id)).toEqual(['security', 'teams', 'webapp', 'prod-engineering']);
      app.synth();
      const files = fs.readdirSync(outdir).sort();
      expect(files).toEqual(['0000-security.k8s.yaml', '0001-teams.k8s.yaml', '0002-webapp.k8s.yaml', '0003-prod-engineering.k8s.yaml']);
      const seen = new Set<string>();
      for (const file of files) {
        const docs = parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8')).map((d) => d.toJSON());
        for (const doc of docs) {
          expect(Object.keys(doc)).not.toContain('Spec');
          if (doc.metadata.namespace !== undefined) {
            expect(seen).toContain(`Namespace/${doc.metadata.namespace}`);
          }
          if (doc.spec?.tier !== undefined) {
            expect(seen).toContain(`Tier/${doc.spec.tier}`);
          }
          seen.add(`${doc.kind}/${doc.metadata.name}`);
        }
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('every Calico object matches its CRD; no RBAC wildcard anywhere', () => {
    const all = platform().manifests();
    expect(all.filter((m) => m.apiVersion === 'projectcalico.org/v3').length).toBeGreaterThan(0);
    expect(wildcardProblems(all)).toEqual([]);
    for (const role of all.filter((m) => m.kind === 'Role' || m.kind === 'ClusterRole')) {
      for (const rule of role.rules) {
        expect(rule.verbs).not.toContain('*');
      }
    }
  });

  test('service accounts have no mounted token and no legacy token reference', () => {
    for (const sa of platform().manifests().filter((m) => m.kind === 'ServiceAccount')) {
      expect(sa.automountServiceAccountToken).toBe(false);
      expect(sa.secrets).toBeUndefined();
    }
  });

  test('the blog\'s security team: tier security before default, the baseline with its denies, one egress approval', () => {
    const all = platform().manifests();
    expect(findObject(all, 'Tier', 'security').spec).toEqual({ order: 100, defaultAction: 'Pass' });
    expect(subjectsOf(findObject(all, 'ClusterRoleBinding', 'security-network-policy-admin'))).toEqual(['ServiceAccount:security/security-member']);
    expect(all.filter((m) => m.kind === 'GlobalNetworkPolicy').map((m) => m.metadata.name)).toEqual([
      'security.global-deny-link-local-egress',
      'security.global-deny-node-ports',
      'security.global-allow-metric-collector',
      'security.global-allow-egress-dns-pods',
      'security.global-deny-external-egress',
      'security.approved-egress-be-partner-api',
    ]);
    // The controls the security team relies on are in its tier.
    expect(all.filter((m) => m.kind === 'NetworkPolicy' && m.spec?.tier === 'security').map((m) => `${m.metadata.namespace}/${m.metadata.name}`)).toEqual([
      'be-dev-team/security.closed-namespace',
      'database/security.closed-namespace',
      'webapp/security.closed-namespace',
      'client/security.closed-namespace',
      'prod-engineering/security.restrict-intern-access',
    ]);
  });

  test('team namespaces: Pod Security baseline, no token for default, quota and limits for the backend', () => {
    const all = platform().manifests();
    for (const name of ['be-dev-team', 'fe', 'database', 'webapp', 'client', 'prod-engineering']) {
      expect(findObject(all, 'Namespace', name).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
      expect(findObject(all, 'ServiceAccount', 'default', name).automountServiceAccountToken).toBe(false);
    }
    expect(findObject(all, 'ResourceQuota', 'team-quota', 'be-dev-team').spec.hard.pods).toBe('50');
    expect(findObject(all, 'LimitRange', 'team-limits', 'be-dev-team').spec.limits).toHaveLength(1);
  });

  test('RBAC: who may change which policy', () => {
    const { app } = platform();
    const model = rbacModelOf(app);
    // The blog's verification commands for security-member.
    expect(model).toPermit({ user: SECURITY_MEMBER, verb: 'list', apiGroup: 'networking.k8s.io', resource: 'networkpolicies' });
    expect(model).toPermit({ user: SECURITY_MEMBER, verb: 'list', apiGroup: '', resource: 'pods' });
    // calicoctl's crd.projectcalico.org group bypasses tier authorization: an explicit opt-in only.
    expect(model).toForbid({ user: SECURITY_MEMBER, verb: 'list', apiGroup: 'crd.projectcalico.org', resource: 'globalnetworkpolicies' });
    expect(model).toPermit({ user: SECURITY_MEMBER, verb: 'create', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier: 'security' });
    expect(model).toPermit({ user: SECURITY_MEMBER, verb: 'patch', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'be-dev-team', name: 'default.be' });
    expect(model).toPermit({ user: SECURITY_MEMBER, verb: 'patch', apiGroup: '', resource: 'serviceaccounts', namespace: 'prod-engineering', name: 'intern' });
    // The backend team: Kubernetes NetworkPolicies in its own namespace.
    expect(model).toPermit({ user: BE_MEMBER, verb: 'create', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'be-dev-team' });
    expect(model).toPermit({ user: BE_MEMBER, verb: 'patch', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'be-dev-team', name: 'be-security-policy' });
    expect(model).toForbid({ user: BE_MEMBER, verb: 'create', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'fe' });
    expect(model).toForbid({ user: BE_MEMBER, verb: 'list', apiGroup: 'crd.projectcalico.org', resource: 'globalnetworkpolicies' });
    expect(model).toForbid({ user: BE_MEMBER, verb: 'create', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'be-dev-team', tier: 'default' });
    // prod-engineering writes Calico policies, in the default tier of its namespace only.
    expect(model).toPermit({ user: PROD_MEMBER, verb: 'create', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'prod-engineering', tier: 'default' });
    expect(model).toForbid({ user: PROD_MEMBER, verb: 'create', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'prod-engineering', tier: 'security' });
    expect(model).toForbid({ user: PROD_MEMBER, verb: 'create', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier: 'default' });
    // Only the security team labels service accounts.
    for (const user of [BE_MEMBER, PROD_MEMBER]) {
      expect(model).toForbid({ user, verb: 'patch', apiGroup: '', resource: 'serviceaccounts', namespace: 'prod-engineering', name: 'intern' });
    }
  });

  test('network: every documented flow, under Calico\'s tiers', () => {
    const { app } = platform();
    addWorkloads(app);
    const model = networkModelOf(app, MODEL_OPTIONS);
    // Shift-left blog: be-dev-team accepts team fe on 443, reaches team database on 27017, resolves names.
    expect(model).toAllow({ from: 'fe/web', to: 'be-dev-team/api', port: 443 });
    expect(model).toDeny({ from: 'fe/web', to: 'be-dev-team/api', port: 8443 });
    expect(model).toDeny({ from: 'webapp/backend', to: 'be-dev-team/api', port: 443 });
    expect(model).toAllow({ from: 'be-dev-team/api', to: 'database/mongo', port: 27017 });
    expect(model).toDeny({ from: 'be-dev-team/api', to: 'database/mongo', port: 5432 });
    expect(model).toDeny({ from: 'be-dev-team/api', to: 'fe/web', port: 8080 });
    expect(model).toAllow({ from: 'be-dev-team/worker', to: 'be-dev-team/api', port: 443 });
    expect(model).toAllow({ from: 'be-dev-team/api', to: 'kube-system/coredns', protocol: 'UDP', port: 53 });
    expect(model).toAllow({ from: 'be-dev-team/api', to: 'kube-system/coredns', protocol: 'TCP', port: 53 });
    expect(model).toDeny({ from: 'fe/web', to: 'database/mongo', port: 27017 });
    // The metrics collector scrapes port 9898 everywhere; nobody else does.
    expect(model).toAllow({ from: 'monitoring/collector', to: 'database/mongo', port: 9898 });
    expect(model).toAllow({ from: 'monitoring/collector', to: 'be-dev-team/api', port: 9898 });
    expect(model).toDeny({ from: 'fe/web', to: 'be-dev-team/api', port: 9898 });
    // Nobody leaves the cluster but the approved partner client, to the partner's networks on 443.
    expect(model).toAllow({ from: 'be-dev-team/partner-sync', to: 'ip:203.0.113.10', port: 443 });
    expect(model).toAllow({ from: 'be-dev-team/partner-sync', to: 'ip:2001:db8:203::10', port: 443 });
    expect(model).toDeny({ from: 'be-dev-team/partner-sync', to: 'ip:203.0.113.10', port: 80 });
    expect(model).toDeny({ from: 'be-dev-team/partner-sync', to: 'ip:93.184.216.34', port: 443 });
    expect(model).toDeny({ from: 'be-dev-team/api', to: 'ip:203.0.113.10', port: 443 });
    expect(model).toDeny({ from: 'webapp/backend', to: 'ip:93.184.216.34', port: 443 });
    expect(model).toDeny({ from: 'client/client', to: 'ip:169.254.169.254', port: 80 });
    expect(model).toDeny({ from: 'client/client', to: 'ip:172.16.0.10', port: 10250 });
    // Namespace blog: closed namespaces, with the frontend service exposed to the cluster on exactly its port.
    expect(model).toAllow({ from: 'client/client', to: 'webapp/frontend', port: 8080 });
    expect(model).toDeny({ from: 'ip:198.51.100.7', to: 'webapp/frontend', port: 8080 });
    expect(model).toDeny({ from: 'client/client', to: 'webapp/frontend', port: 9090 });
    expect(model).toDeny({ from: 'client/client', to: 'webapp/backend', port: 8080 });
    expect(model).toAllow({ from: 'webapp/frontend', to: 'webapp/backend', port: 8080 });
    expect(model).toDeny({ from: 'webapp/backend', to: 'client/client', port: 8080 });
    // Calico guide: service-account rules in prod-engineering.
    expect(model).toAllow({ from: 'prod-engineering/api', to: 'prod-engineering/db', port: 5432 });
    expect(model).toAllow({ from: 'prod-engineering/auth', to: 'prod-engineering/db', port: 5432 });
    expect(model).toAllow({ from: 'prod-engineering/web', to: 'prod-engineering/db', port: 5432 });
    expect(model).toDeny({ from: 'prod-engineering/batch', to: 'prod-engineering/db', port: 5432 });
    expect(model).toDeny({ from: 'prod-engineering/intern', to: 'prod-engineering/db', port: 5432 });
    expect(model).toAllow({ from: 'prod-engineering/intern', to: 'prod-engineering/intern-tool', port: 8080 });
    expect(model).toDeny({ from: 'prod-engineering/api', to: 'prod-engineering/intern-tool', port: 8080 });
    // Interns still resolve names: the security tier decides DNS before their default-tier policy.
    expect(model).toAllow({ from: 'prod-engineering/intern', to: 'kube-system/coredns', protocol: 'UDP', port: 53 });
  });

  test('buildReferencePlatformCharts() exposes the charts and the security constructs', () => {
    const app = Testing.app();
    const result = buildReferencePlatformCharts(app);
    expect(result.securityTeam.namespaceName).toBe('security');
    expect(result.baseline.tierName).toBe('security');
    expect([result.security, result.teams, result.webapp, result.prodEngineering].map((c) => c.node.id)).toEqual([
      'security', 'teams', 'webapp', 'prod-engineering',
    ]);
  });

  test('docs/credentials.md uses short-lived tokens and the member\'s own user in each context', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'credentials.md'), 'utf8');
    expect(doc).toContain('kubectl create token security-member --namespace security');
    expect(doc).toContain('kubectl create token be-dev-member --namespace be-dev-team');
    const steps = doc.slice(doc.indexOf('## 1.'));
    expect(steps).not.toContain('.secrets');
    expect(steps).not.toContain('base64 -D');
    const beContext = doc.slice(doc.indexOf('kubectl config set-context be-dev'));
    expect(beContext.slice(0, beContext.indexOf('\n\n'))).toContain('--user=be-dev-member');
  });
});
