import * as rbac from '../../src/rbac';

describe('rbac barrel', () => {
  test('exports the public API and no internal functions', () => {
    expect(Object.keys(rbac).sort()).toEqual([
      'AccessLevel',
      'ApiResourceRef',
      'BindableClusterRole',
      'CalicoApiGroups',
      'CalicoResource',
      'CalicoTierReaderRole',
      'CalicoTierRole',
      'NamespacePolicyRole',
      'NetworkPolicyAdminRole',
      'PolicyTroubleshootingRole',
      'RbacGrant',
      'ServiceAccountLabelerRole',
      'TieredPolicyResource',
    ]);
  });
});
