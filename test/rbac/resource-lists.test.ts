import { CalicoResource, TieredPolicyResource } from '../../src/rbac/calico-resources';
import { ALL_CALICO_RESOURCES, ALL_TIERED_POLICY_RESOURCES } from '../../src/rbac/resource-lists';

describe('resource lists', () => {
  test('every member, in declaration order', () => {
    expect(ALL_CALICO_RESOURCES).toEqual(Object.values(CalicoResource));
    expect(ALL_CALICO_RESOURCES).toHaveLength(8);
    expect(ALL_TIERED_POLICY_RESOURCES).toEqual(Object.values(TieredPolicyResource));
    expect(ALL_TIERED_POLICY_RESOURCES).toHaveLength(4);
  });
});
