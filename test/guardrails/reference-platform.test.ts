/**
 * Guardrails of the team constructs, proven on the reference platform with the offline models:
 * who can reach whom (network) and who can change what (RBAC, with Calico tier authorization).
 *
 * The platform's charts declare namespaces, service accounts and policies; the workloads the
 * teams would deploy are added here as plain Pod manifests, as they would come from the teams'
 * own repositories.
 */
import { memberUser, platform, TARGETS } from './platforms';

const { network, rbac, manifests } = platform();

const DEV = memberUser(manifests, 'be-dev-member');
const SEC = memberUser(manifests, 'security-member');

describe('network guardrails', () => {
  test('the backend team\'s policy: ingress from team fe on TCP 443 only', () => {
    expect(network).toAllow({ from: 'fe/web', to: 'be-dev-team/api', port: 443 });
    expect(network).toDeny({ from: 'fe/web', to: 'be-dev-team/api', port: 80 });
    expect(network).toDeny({ from: 'client/curl', to: 'be-dev-team/api', port: 443 });
  });

  test('the backend team\'s policy: egress to team database on TCP 27017 only', () => {
    expect(network).toAllow({ from: 'be-dev-team/api', to: 'database/mongo', port: 27017 });
    expect(network).toDeny({ from: 'be-dev-team/api', to: 'database/mongo', port: 5432 });
    expect(network).toDeny({ from: 'be-dev-team/api', to: 'fe/web', port: 8080 });
    expect(network).toDeny({ from: 'be-dev-team/api', to: TARGETS.internet, port: 443 });
  });

  test('baseline DNS reaches kube-dns over UDP and TCP 53, and nothing else in kube-system', () => {
    for (const from of ['be-dev-team/api', 'fe/web', 'webapp/backend', 'prod-engineering/intern-a']) {
      expect(network).toAllow({ from, to: 'kube-system/coredns', protocol: 'UDP', port: 53 });
      expect(network).toAllow({ from, to: 'kube-system/coredns', protocol: 'TCP', port: 53 });
    }
    expect(network).toDeny({ from: 'be-dev-team/api', to: 'kube-system/coredns', protocol: 'TCP', port: 8080 });
  });

  test('closed namespaces refuse outside traffic except the exposed service', () => {
    expect(network).toAllow({ from: 'client/curl', to: 'webapp/frontend', port: 8080 });
    expect(network).toDeny({ from: 'client/curl', to: 'webapp/frontend', port: 9090 });
    expect(network).toDeny({ from: 'client/curl', to: 'webapp/backend', port: 8080 });
    expect(network).toDeny({ from: 'fe/web', to: 'webapp/backend', port: 8080 });
  });

  test('closed namespaces allow traffic from inside the namespace', () => {
    expect(network).toAllow({ from: 'webapp/frontend', to: 'webapp/backend', port: 8080 });
  });

  test('an open namespace is reachable from anywhere', () => {
    expect(network).toAllow({ from: 'client/curl', to: 'fe/web', port: 8080 });
  });

  test('the service-account policies of the Calico guide', () => {
    // restrict-intern-access: interns talk only to interns.
    expect(network).toAllow({ from: 'prod-engineering/intern-a', to: 'prod-engineering/intern-b', port: 8080 });
    expect(network).toDeny({ from: 'prod-engineering/intern-a', to: 'prod-engineering/db', port: 5432 });
    // demo-calico and allow-web-frontend: db accepts api-service and web-frontend.
    expect(network).toAllow({ from: 'prod-engineering/api', to: 'prod-engineering/db', port: 5432 });
    expect(network).toAllow({ from: 'prod-engineering/web', to: 'prod-engineering/db', port: 5432 });
  });

  test('verdicts name the deciding tier and policy', () => {
    const verdict = network.check({ from: 'client/curl', to: 'webapp/backend', port: 8080 });
    expect(verdict.allowed).toBe(false);
    expect(verdict.ingress.allowed).toBe(false);
    expect(verdict.explanation).toContain('webapp/backend');
  });
});

describe('RBAC guardrails', () => {
  const calico = 'projectcalico.org';

  test('a dev-team member manages Kubernetes NetworkPolicies in its own namespace', () => {
    for (const verb of ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']) {
      expect(rbac).toPermit({ user: DEV, verb, apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'be-dev-team' });
    }
  });

  test('a dev-team member cannot touch GlobalNetworkPolicies, Tiers or network sets', () => {
    for (const verb of ['create', 'update', 'delete']) {
      expect(rbac).toForbid({ user: DEV, verb, apiGroup: calico, resource: 'globalnetworkpolicies' });
      expect(rbac).toForbid({ user: DEV, verb, apiGroup: 'crd.projectcalico.org', resource: 'globalnetworkpolicies' });
      expect(rbac).toForbid({ user: DEV, verb, apiGroup: calico, resource: 'tiers', name: 'security' });
      expect(rbac).toForbid({ user: DEV, verb, apiGroup: calico, resource: 'globalnetworksets' });
    }
  });

  test('a dev-team member cannot write policies in the security tier', () => {
    for (const verb of ['create', 'update', 'delete']) {
      expect(rbac).toForbid({ user: DEV, verb, apiGroup: calico, resource: 'networkpolicies', namespace: 'be-dev-team', tier: 'security', name: 'security.x' });
    }
  });

  test('a dev-team member cannot change RBAC objects or service accounts', () => {
    for (const resource of ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings']) {
      expect(rbac).toForbid({ user: DEV, verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource, namespace: 'be-dev-team' });
      expect(rbac).toForbid({ user: DEV, verb: 'update', apiGroup: 'rbac.authorization.k8s.io', resource, namespace: 'be-dev-team' });
    }
    expect(rbac).toForbid({ user: DEV, verb: 'patch', apiGroup: '', resource: 'serviceaccounts', namespace: 'be-dev-team' });
  });

  test('a dev-team member cannot do anything outside its namespace', () => {
    for (const namespace of ['fe', 'security', 'kube-system', 'prod-engineering']) {
      expect(rbac).toForbid({ user: DEV, verb: 'create', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace });
      expect(rbac).toForbid({ user: DEV, verb: 'delete', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace });
    }
    expect(rbac).toForbid({ user: DEV, verb: 'list', apiGroup: 'networking.k8s.io', resource: 'networkpolicies' });
  });

  test('the security team can do all of it', () => {
    for (const verb of ['create', 'update', 'patch', 'delete']) {
      expect(rbac).toPermit({ user: SEC, verb, apiGroup: calico, resource: 'globalnetworkpolicies', tier: 'security' });
      expect(rbac).toPermit({ user: SEC, verb, apiGroup: calico, resource: 'globalnetworkpolicies', tier: 'default' });
      expect(rbac).toPermit({ user: SEC, verb, apiGroup: calico, resource: 'networkpolicies', namespace: 'be-dev-team', tier: 'security' });
      expect(rbac).toPermit({ user: SEC, verb, apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'be-dev-team' });
      // The CRD group bypasses tier authorization and validation: nobody gets it by default.
      expect(rbac).toForbid({ user: SEC, verb, apiGroup: 'crd.projectcalico.org', resource: 'globalnetworkpolicies' });
    }
    expect(rbac).toPermit({ user: SEC, verb: 'patch', apiGroup: '', resource: 'serviceaccounts', namespace: 'prod-engineering' });
  });

  test('the prod-engineering team writes Calico policies in tier default only', () => {
    const PROD = 'system:serviceaccount:prod-engineering-members:prod-dev-member';
    expect(rbac).toPermit({ user: PROD, verb: 'create', apiGroup: calico, resource: 'networkpolicies', namespace: 'prod-engineering', tier: 'default' });
    expect(rbac).toForbid({ user: PROD, verb: 'create', apiGroup: calico, resource: 'networkpolicies', namespace: 'prod-engineering', tier: 'security' });
    expect(rbac).toForbid({ user: PROD, verb: 'create', apiGroup: calico, resource: 'networkpolicies', namespace: 'be-dev-team', tier: 'default' });
  });

  test('only the security team may change the security tier\'s policies', () => {
    // The subjects of the security team's own ClusterRoleBindings (security-…).
    const team = new Set(manifests
      .filter((m) => m.kind === 'ClusterRoleBinding' && m.metadata.name.startsWith('security-'))
      .flatMap((m) => (m.subjects ?? []).map((s: any) => `${s.kind}:${s.namespace ? `${s.namespace}/` : ''}${s.name}`)));
    for (const resource of ['globalnetworkpolicies', 'networkpolicies']) {
      // system:masters is allowed everything by the API server itself, whatever the manifests say.
      const subjects = rbac.whoCan('create', calico, resource, resource === 'networkpolicies' ? 'be-dev-team' : undefined, 'security')
        .filter((subject) => subject.name !== 'system:masters');
      expect(subjects.length).toBeGreaterThan(0);
      for (const subject of subjects) {
        const key = `${subject.kind}:${subject.namespace ? `${subject.namespace}/` : ''}${subject.name}`;
        const viaGroup = subject.kind === 'ServiceAccount' && team.has(`Group:system:serviceaccounts:${subject.namespace}`);
        expect({ key, team: team.has(key) || viaGroup }).toEqual({ key, team: true });
      }
    }
  });

  test('no generated RBAC rule uses a wildcard', () => {
    const rules = manifests
      .filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')
      .flatMap((o) => o.rules ?? []);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      for (const field of ['verbs', 'apiGroups', 'resources']) {
        expect(rule[field] ?? []).not.toContain('*');
      }
    }
  });
});
