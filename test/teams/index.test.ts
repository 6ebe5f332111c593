import * as teams from '../../src/teams';

describe('teams barrel', () => {
  test('exports the public API and no internal functions', () => {
    expect(Object.keys(teams).sort()).toEqual([
      'BaselineGlobalPolicies',
      'ClusterPolicyApi',
      'DevTeamNamespace',
      'EgressSource',
      'MemberBinding',
      'MemberServiceAccount',
      'NamespaceIsolation',
      'PodSecurityLevel',
      'ReviewableApp',
      'SecurityTeam',
      'ServiceAccountPolicy',
      'TeamPolicyKind',
    ]);
  });
});
