/**
 * Users and groups of a team, checked, as cdk8s-plus subjects.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail } from '../core/errors';

/** Groups that stand for (almost) everyone: binding a team role to them would hand it to all. */
export const BROAD_GROUPS: readonly string[] = ['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts'];

/** Checks a list of user or group names: non-empty strings without duplicates. */
function checkNames(owner: string, field: string, names: string[] | undefined, what: string): string[] {
  if (names === undefined) {
    return [];
  }
  if (!Array.isArray(names)) {
    fail(owner, field, `must be a list of ${what} names`);
  }
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (typeof name !== 'string' || name.trim().length === 0 || name !== name.trim()) {
      fail(owner, `${field}[${i}]`, `${JSON.stringify(name)} is not a ${what} name; give the name exactly as the authenticator reports it, without surrounding spaces`);
    }
    if (seen.has(name)) {
      fail(owner, `${field}[${i}]`, `the ${what} "${name}" is listed twice; list it once`);
    }
    seen.add(name);
  });
  return [...names];
}

/** Checks user names. */
export function checkUsers(owner: string, field: string, users: string[] | undefined): string[] {
  return checkNames(owner, field, users, 'user');
}

/** Checks group names and refuses the groups that contain every user or service account. */
export function checkGroups(owner: string, field: string, groups: string[] | undefined): string[] {
  const list = checkNames(owner, field, groups, 'group');
  list.forEach((group, i) => {
    if (BROAD_GROUPS.includes(group)) {
      fail(
        owner,
        `${field}[${i}]`,
        `"${group}" contains every ${group === 'system:serviceaccounts' ? 'service account of the cluster' : 'user'}; ` +
          'bind the identity-provider group of the team instead',
      );
    }
  });
  return list;
}

/** cdk8s-plus subjects for the given users and groups, created under `scope`. */
export function userAndGroupSubjects(scope: Construct, users: string[], groups: string[]): kplus.ISubject[] {
  return [
    ...users.map((user) => kplus.User.fromName(scope, `User-${user}`, user)),
    ...groups.map((group) => kplus.Group.fromName(scope, `Group-${group}`, group)),
  ];
}
