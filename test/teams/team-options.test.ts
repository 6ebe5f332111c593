import { MemberBinding, NamespaceIsolation, TeamPolicyKind } from '../../src/teams/team-options';

describe('team options', () => {
  test('members', () => {
    expect(Object.values(NamespaceIsolation)).toEqual(['closed', 'open', 'none']);
    expect(Object.values(TeamPolicyKind)).toEqual(['kubernetes', 'calico']);
    expect(Object.values(MemberBinding)).toEqual(['namespace-group', 'member-service-accounts']);
  });
});
