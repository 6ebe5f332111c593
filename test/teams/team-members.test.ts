import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { TeamMembers } from '../../src/teams/team-members';

function members(tokenSecrets: boolean) {
  const chart = Testing.chart();
  const namespaceResource = new kplus.Namespace(chart, 'ns', { metadata: { name: 'team' } });
  const team = new TeamMembers(chart, 'members', { owner: 'Team "t"', namespace: 'team', namespaceResource, tokenSecrets });
  return { chart, team };
}

describe('TeamMembers', () => {
  test('one ServiceAccount per member, without a mounted token, after the Namespace', () => {
    const { chart, team } = members(false);
    const member = team.add('alice', 'members[0]');
    team.add('bob', 'members[1]');
    expect(member.tokenSecret).toBeUndefined();
    expect(team.names).toEqual(['alice', 'bob']);
    expect(team.get('alice')).toBe(member);
    expect(team.get('carol')).toBeUndefined();
    const manifests = Testing.synth(chart);
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Namespace/team', 'ServiceAccount/alice', 'ServiceAccount/bob']);
    expect(manifests[1]).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'alice', namespace: 'team' },
      automountServiceAccountToken: false,
    });
  });

  test('token Secrets on request, after their ServiceAccount', () => {
    const { chart, team } = members(true);
    const member = team.add('alice', 'members[0]');
    expect(member.tokenSecret).toBeDefined();
    const manifests = Testing.synth(chart);
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Namespace/team', 'ServiceAccount/alice', 'Secret/alice-token']);
    expect(manifests[2].type).toBe('kubernetes.io/service-account-token');
    expect(manifests[2].metadata).toEqual({
      name: 'alice-token',
      namespace: 'team',
      annotations: { 'kubernetes.io/service-account.name': 'alice' },
    });
  });

  test('refuses bad, repeated and too long names', () => {
    const { team } = members(true);
    expect(() => team.add('Alice', 'members[0]')).toThrow(/^Team "t": members\[0\]: "Alice" is not a valid member \(service account\) name/);
    team.add('alice', 'members[0]');
    expect(() => team.add('alice', 'addMember()')).toThrow('Team "t": addMember(): "alice" is already a member of the team in namespace team; add each member once');
    expect(() => team.add('a'.repeat(250), 'members[1]')).toThrow(/is too long for its token Secret/);
  });
});
