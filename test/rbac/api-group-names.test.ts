import { apiGroupNames, CRD_PROJECTCALICO_ORG, NETWORKING_K8S_IO, PROJECTCALICO_ORG } from '../../src/rbac/api-group-names';
import { CalicoApiGroups } from '../../src/rbac/api-groups';

describe('apiGroupNames', () => {
  test('group names', () => {
    expect(PROJECTCALICO_ORG).toBe('projectcalico.org');
    expect(CRD_PROJECTCALICO_ORG).toBe('crd.projectcalico.org');
    expect(NETWORKING_K8S_IO).toBe('networking.k8s.io');
  });

  test('BOTH covers both groups, projectcalico.org first', () => {
    expect(apiGroupNames('o', 'f', CalicoApiGroups.BOTH)).toEqual(['projectcalico.org', 'crd.projectcalico.org']);
  });

  test('a single group', () => {
    expect(apiGroupNames('o', 'f', CalicoApiGroups.PROJECTCALICO_ORG)).toEqual(['projectcalico.org']);
    expect(apiGroupNames('o', 'f', CalicoApiGroups.CRD_PROJECTCALICO_ORG)).toEqual(['crd.projectcalico.org']);
  });

  test('rejects other values, naming the owner and field', () => {
    expect(() => apiGroupNames('SecurityTeam "a/b"', 'calicoApiGroups', 'calico' as CalicoApiGroups)).toThrow(
      /^SecurityTeam "a\/b": calicoApiGroups: "calico" is not a Calico API group choice; use CalicoApiGroups.BOTH/,
    );
  });
});
