import {
  describeIdentity,
  identityKeys,
  identityOfGroupMember,
  identityOfUser,
  isPrivileged,
  parseServiceAccountUser,
  serviceAccountUser,
  subjectAppliesTo,
  subjectKey,
} from '../../../src/analysis/rbac';

describe('identityOfUser', () => {
  test('a service account is in its implicit groups', () => {
    expect(identityOfUser('system:serviceaccount:be:dev')).toEqual({
      user: 'system:serviceaccount:be:dev',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:be', 'system:authenticated'],
    });
  });

  test('any other user is authenticated, plus the given groups (deduplicated)', () => {
    expect(identityOfUser('alice', ['devs', 'system:authenticated'])).toEqual({ user: 'alice', groups: ['system:authenticated', 'devs'] });
  });

  test('the anonymous user is unauthenticated', () => {
    expect(identityOfUser('system:anonymous')).toEqual({ user: 'system:anonymous', groups: ['system:unauthenticated'] });
  });

  test('a malformed service account name is an ordinary user', () => {
    expect(identityOfUser('system:serviceaccount:be').groups).toEqual(['system:authenticated']);
    expect(identityOfUser('system:serviceaccount:a:b:c').groups).toEqual(['system:authenticated']);
  });
});

describe('service account user names', () => {
  test('round trip', () => {
    expect(serviceAccountUser('be', 'dev')).toBe('system:serviceaccount:be:dev');
    expect(parseServiceAccountUser('system:serviceaccount:be:dev')).toEqual({ namespace: 'be', name: 'dev' });
  });

  test.each(['alice', 'system:serviceaccount:', 'system:serviceaccount::dev', 'system:serviceaccount:be:'])('%s is not a service account', (user) => {
    expect(parseServiceAccountUser(user)).toBeUndefined();
  });
});

describe('identityOfGroupMember', () => {
  test.each([
    ['devs', ['devs', 'system:authenticated']],
    ['system:serviceaccounts:be', ['system:serviceaccounts:be', 'system:serviceaccounts', 'system:authenticated']],
    ['system:authenticated', ['system:authenticated']],
    ['system:unauthenticated', ['system:unauthenticated']],
  ])('members of %s', (group, groups) => {
    expect(identityOfGroupMember(group)).toEqual({ groups });
  });
});

describe('subjectAppliesTo', () => {
  const sa = identityOfUser('system:serviceaccount:be:dev', ['devs']);
  test.each([
    ['User by name', { kind: 'User', name: 'system:serviceaccount:be:dev' }, undefined, true],
    ['another User', { kind: 'User', name: 'alice' }, undefined, false],
    ['Group the user is in', { kind: 'Group', name: 'devs' }, undefined, true],
    ['implicit Group', { kind: 'Group', name: 'system:serviceaccounts:be' }, undefined, true],
    ['Group the user is not in', { kind: 'Group', name: 'ops' }, undefined, false],
    ['ServiceAccount with namespace', { kind: 'ServiceAccount', name: 'dev', namespace: 'be' }, undefined, true],
    ['ServiceAccount in another namespace', { kind: 'ServiceAccount', name: 'dev', namespace: 'fe' }, 'be', false],
    ['ServiceAccount defaulting to the binding namespace', { kind: 'ServiceAccount', name: 'dev' }, 'be', true],
    ['ServiceAccount defaulting to another binding namespace', { kind: 'ServiceAccount', name: 'dev' }, 'fe', false],
    ['ServiceAccount without any namespace', { kind: 'ServiceAccount', name: 'dev' }, undefined, false],
  ])('%s', (_title, subject, bindingNamespace, expected) => {
    expect(subjectAppliesTo(subject, bindingNamespace, sa)).toBe(expected);
  });

  test('a group member without user name matches no User or ServiceAccount subject', () => {
    const member = identityOfGroupMember('system:serviceaccounts:be');
    expect(subjectAppliesTo({ kind: 'ServiceAccount', name: 'dev', namespace: 'be' }, undefined, member)).toBe(false);
    expect(subjectAppliesTo({ kind: 'Group', name: 'system:serviceaccounts' }, undefined, member)).toBe(true);
  });
});

describe('describeIdentity', () => {
  test('names the user or the group', () => {
    expect(describeIdentity(identityOfUser('alice'))).toBe('alice');
    expect(describeIdentity(identityOfGroupMember('devs'))).toBe('members of group devs');
  });
});

describe('subjectKey and identityKeys', () => {
  test('a subject applies exactly when its key is one of the identity\'s keys', () => {
    expect(subjectKey({ kind: 'User', name: 'alice' }, undefined)).toBe('user:alice');
    expect(subjectKey({ kind: 'Group', name: 'devs' }, 'be')).toBe('group:devs');
    expect(subjectKey({ kind: 'ServiceAccount', name: 'dev' }, 'be')).toBe('user:system:serviceaccount:be:dev');
    expect(subjectKey({ kind: 'ServiceAccount', name: 'dev', namespace: 'fe' }, 'be')).toBe('user:system:serviceaccount:fe:dev');
    expect(subjectKey({ kind: 'ServiceAccount', name: 'dev' }, undefined)).toBeUndefined();
    expect(identityKeys(identityOfUser('alice', ['devs']))).toEqual(['user:alice', 'group:system:authenticated', 'group:devs']);
    expect(identityKeys(identityOfGroupMember('devs'))).toEqual(['group:devs', 'group:system:authenticated']);
  });

  test('a User subject naming a service account user applies to that service account', () => {
    expect(subjectAppliesTo({ kind: 'User', name: 'system:serviceaccount:be:dev' }, undefined, identityOfUser('system:serviceaccount:be:dev'))).toBe(true);
  });
});

describe('isPrivileged', () => {
  test('members of system:masters, and only they', () => {
    expect(isPrivileged(identityOfUser('root', ['system:masters']))).toBe(true);
    expect(isPrivileged(identityOfGroupMember('system:masters'))).toBe(true);
    expect(isPrivileged(identityOfUser('system:masters'))).toBe(false);
    expect(isPrivileged(identityOfUser('alice', ['admins']))).toBe(false);
  });
});
