import { Testing } from 'cdk8s';
import { BROAD_GROUPS, checkGroups, checkUsers, userAndGroupSubjects } from '../../src/teams/team-subjects';

describe('team subjects', () => {
  test('users and groups become subjects', () => {
    const chart = Testing.chart();
    const subjects = userAndGroupSubjects(chart, ['alice'], ['oidc:security']);
    expect(subjects.map((s) => s.toSubjectConfiguration())).toEqual([
      { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Group', name: 'oidc:security', apiGroup: 'rbac.authorization.k8s.io' },
    ]);
  });

  test('absent lists are empty', () => {
    expect(checkUsers('o', 'users', undefined)).toEqual([]);
    expect(checkGroups('o', 'groups', undefined)).toEqual([]);
  });

  test('refuses the groups that contain everyone', () => {
    expect(BROAD_GROUPS).toEqual(['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts']);
    expect(() => checkGroups('SecurityTeam "c/s"', 'groups', ['ok', 'system:authenticated'])).toThrow(
      'SecurityTeam "c/s": groups[1]: "system:authenticated" contains every user; bind the identity-provider group of the team instead',
    );
    expect(() => checkGroups('o', 'groups', ['system:serviceaccounts'])).toThrow(/contains every service account of the cluster/);
    expect(checkGroups('o', 'groups', ['system:serviceaccounts:security'])).toEqual(['system:serviceaccounts:security']);
  });

  test('refuses empty, padded and repeated names and non-lists', () => {
    expect(() => checkUsers('o', 'users', [''])).toThrow('o: users[0]: "" is not a user name');
    expect(() => checkUsers('o', 'users', [' alice'])).toThrow(/users\[0\]: " alice" is not a user name/);
    expect(() => checkGroups('o', 'groups', ['a', 'a'])).toThrow('o: groups[1]: the group "a" is listed twice; list it once');
    expect(() => checkUsers('o', 'users', 'alice' as any)).toThrow('o: users: must be a list of user names');
  });
});
