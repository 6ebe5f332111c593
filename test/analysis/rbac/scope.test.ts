import { isClusterScoped } from '../../../src/analysis/rbac/scope';

describe('isClusterScoped', () => {
  test.each([
    ['', 'namespaces'],
    ['', 'nodes'],
    ['rbac.authorization.k8s.io', 'clusterroles'],
    ['rbac.authorization.k8s.io', 'clusterrolebindings'],
    ['projectcalico.org', 'globalnetworkpolicies'],
    ['projectcalico.org', 'tiers'],
    ['projectcalico.org', 'globalnetworksets'],
    ['projectcalico.org', 'tier.globalnetworkpolicies'],
    ['crd.projectcalico.org', 'globalnetworkpolicies'],
    ['crd.projectcalico.org', 'tiers'],
  ])('%s/%s is cluster-scoped', (group, resource) => {
    expect(isClusterScoped(group, resource)).toBe(true);
  });

  test.each([
    ['', 'pods'],
    ['', 'serviceaccounts'],
    ['networking.k8s.io', 'networkpolicies'],
    ['projectcalico.org', 'networkpolicies'],
    ['projectcalico.org', 'tier.networkpolicies'],
    ['rbac.authorization.k8s.io', 'roles'],
    ['example.com', 'widgets'],
  ])('%s/%s is not', (group, resource) => {
    expect(isClusterScoped(group, resource)).toBe(false);
  });
});
