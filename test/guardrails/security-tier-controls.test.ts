/**
 * Finding 5 of "Secure by default": the controls the security team relies on
 * (`restrict-intern-access`, the isolation of closed namespaces) live in its tier, where the
 * teams can neither delete them nor pre-empt them with a policy at `order: 1`.
 */
import { memberUser, platform } from './platforms';

const reference = platform();
const abused = platform(true);
const calico = 'projectcalico.org';
const PROD = memberUser(reference.manifests, 'prod-dev-member');
const DEV = memberUser(reference.manifests, 'be-dev-member');

describe('finding 5: controls that must hold are in the security tier', () => {
  test('restrict-intern-access and every closed-namespace isolation are security-tier objects', () => {
    const controls = reference.manifests.filter((m) => m.kind === 'NetworkPolicy' && m.apiVersion === 'projectcalico.org/v3' && m.spec.tier === 'security');
    expect(controls.map((m) => `${m.metadata.namespace}/${m.metadata.name}`).sort()).toEqual([
      'be-dev-team/security.closed-namespace',
      'client/security.closed-namespace',
      'database/security.closed-namespace',
      'prod-engineering/security.restrict-intern-access',
      'webapp/security.closed-namespace',
    ]);
    for (const control of controls) {
      expect(control.spec.ingress[control.spec.ingress.length - 1]).toEqual({ action: 'Deny' });
    }
  });

  test('the teams cannot edit or delete them; they may edit their own default-tier policies', () => {
    for (const verb of ['update', 'patch', 'delete']) {
      expect(reference.rbac).toForbid({ user: PROD, verb, apiGroup: calico, resource: 'networkpolicies', namespace: 'prod-engineering', tier: 'security', name: 'security.restrict-intern-access' });
      expect(reference.rbac).toForbid({ user: DEV, verb, apiGroup: calico, resource: 'networkpolicies', namespace: 'be-dev-team', tier: 'security', name: 'security.closed-namespace' });
      expect(reference.rbac).toForbid({ user: DEV, verb, apiGroup: 'crd.projectcalico.org', resource: 'networkpolicies', namespace: 'be-dev-team', name: 'security.closed-namespace' });
      expect(reference.rbac).toPermit({ user: DEV, verb, apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'be-dev-team', name: 'closed-namespace' });
    }
    // The abuse below is within the prod-engineering team's rights.
    expect(reference.rbac).toPermit({ user: PROD, verb: 'create', apiGroup: calico, resource: 'networkpolicies', namespace: 'prod-engineering', tier: 'default' });
  });

  test('an allow-all policy at order 1 in the default tier does not free the interns', () => {
    for (const network of [reference.network, abused.network]) {
      expect(network).toAllow({ from: 'prod-engineering/intern-a', to: 'prod-engineering/intern-b', port: 8080 });
      expect(network).toDeny({ from: 'prod-engineering/intern-a', to: 'prod-engineering/db', port: 5432 });
      expect(network).toDeny({ from: 'prod-engineering/api', to: 'prod-engineering/intern-b', port: 8080 });
      expect(network).toAllow({ from: 'prod-engineering/intern-a', to: 'kube-system/coredns', protocol: 'UDP', port: 53 });
    }
    expect(abused.network.check({ from: 'prod-engineering/intern-a', to: 'prod-engineering/db', port: 5432 }).egress.reason)
      .toContain('NetworkPolicy prod-engineering/security.restrict-intern-access in tier security');
  });

  test('an allow-all policy at order 1 does not open a closed namespace', () => {
    for (const network of [reference.network, abused.network]) {
      expect(network).toDeny({ from: 'client/curl', to: 'webapp/backend', port: 8080 });
      expect(network).toDeny({ from: 'ip:198.51.100.7', to: 'webapp/backend', port: 8080 });
      expect(network).toAllow({ from: 'webapp/frontend', to: 'webapp/backend', port: 8080 });
      // What the team opened (the frontend service) stays open.
      expect(network).toAllow({ from: 'client/curl', to: 'webapp/frontend', port: 8080 });
    }
    expect(abused.network.check({ from: 'client/curl', to: 'webapp/backend', port: 8080 }).ingress.reason)
      .toContain('NetworkPolicy webapp/security.closed-namespace in tier security');
  });
});
