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
  ])('%s → "%s"', (resource, group) => {
    expect(groupOfBareResource(resource)).toBe(group);
  });

  test.each(['widgets', 'toString', 'constructor', ''])('"%s" is unknown', (resource) => {
    expect(groupOfBareResource(resource)).toBeUndefined();
  });
});
