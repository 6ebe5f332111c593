import { CalicoApiGroups } from '../../src/rbac/api-groups';

describe('CalicoApiGroups', () => {
  test('members', () => {
    expect(CalicoApiGroups.BOTH).toBe('both');
    expect(CalicoApiGroups.PROJECTCALICO_ORG).toBe('projectcalico.org');
    expect(CalicoApiGroups.CRD_PROJECTCALICO_ORG).toBe('crd.projectcalico.org');
  });
});
