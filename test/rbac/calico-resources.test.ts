import { CalicoResource, TieredPolicyResource } from '../../src/rbac/calico-resources';

describe('Calico resources', () => {
  test('the eight policy-related resources, as RBAC names them', () => {
    expect(Object.values(CalicoResource)).toEqual([
      'networkpolicies',
      'globalnetworkpolicies',
      'tiers',
      'networksets',
      'globalnetworksets',
      'stagednetworkpolicies',
      'stagedglobalnetworkpolicies',
      'stagedkubernetesnetworkpolicies',
    ]);
  });

  test('the four tiered resources (staged Kubernetes policies have no tier)', () => {
    expect(Object.values(TieredPolicyResource)).toEqual(['networkpolicies', 'globalnetworkpolicies', 'stagednetworkpolicies', 'stagedglobalnetworkpolicies']);
  });
});
