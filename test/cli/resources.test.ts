import { groupOfBareResource } from '../../src/cli/resources';

describe('groupOfBareResource', () => {
  test.each([
    ['pods', ''],
    ['serviceaccounts', ''],
    ['networkpolicies', 'networking.k8s.io'],
    ['deployments', 'apps'],
    ['roles', 'rbac.authorization.k8s.io'],
    ['globalnetworkpolicies', 'projectcalico.org'],
    ['tiers', 'projectcalico.org'],
    ['*', ''],
    ['events', ''],
    ['leases', 'coordination.k8s.io'],
    ['ipamblocks', 'projectcalico.org'],
    ['clusternetworkpolicies', 'policy.networking.k8s.io'],
  ])('%s → "%s"', (resource, group) => {
    expect(groupOfBareResource(resource)).toBe(group);
  });

  test.each(['widgets', 'toString', 'constructor', '', 'tier.networkpolicies'])('"%s" is unknown', (resource) => {
    expect(groupOfBareResource(resource)).toBeUndefined();
  });
});
