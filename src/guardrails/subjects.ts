/**
 * RBAC subjects as findings name them (`User:<name>`, `Group:<name>`,
 * `ServiceAccount:<namespace>/<name>`), and which of them the audit leaves alone.
 *
 * Internal module.
 */
import { Subject } from '../analysis';
import {
  AUTHENTICATED_GROUP, identityOfUser, SERVICE_ACCOUNTS_GROUP, serviceAccountsGroup, serviceAccountUser, UNAUTHENTICATED_GROUP,
} from '../analysis/rbac';
import { describeValue } from '../core';

/** Groups that contain every user, every service account or every anonymous request. */
export const BROAD_GROUPS: readonly string[] = [AUTHENTICATED_GROUP, UNAUTHENTICATED_GROUP, SERVICE_ACCOUNTS_GROUP];

/** The namespace whose service accounts make up `group` (`system:serviceaccounts:<namespace>`), if it is such a group. */
export function serviceAccountsGroupNamespace(group: string): string | undefined {
  const prefix = serviceAccountsGroup('');
  return group.startsWith(prefix) && group.length > prefix.length ? group.slice(prefix.length) : undefined;
}

/** The groups the API server puts a service account in, as the RBAC model decides them. */
export function groupsOfServiceAccount(namespace: string, name: string): string[] {
  return identityOfUser(serviceAccountUser(namespace, name)).groups;
}

/**
 * The control plane's own identities: they hold broad rights by design, so reporting them
 * would bury the findings that matter.
 */
export const SYSTEM_SUBJECTS: readonly string[] = [
  'Group:system:masters',
  'Group:system:nodes',
  'User:system:kube-controller-manager',
  'User:system:kube-scheduler',
  'User:system:kube-proxy',
  'User:system:apiserver',
  'ServiceAccount:kube-system/*',
];

/** `User:alice`, `Group:devs`, `ServiceAccount:ns/name`. */
export function subjectId(subject: Subject): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount:${subject.namespace}/${subject.name}` : `${subject.kind}:${subject.name}`;
}

/** A service account as a Subject. */
export function serviceAccount(namespace: string, name: string): Subject {
  return { kind: 'ServiceAccount', namespace, name };
}

/** How a message names a subject: `ServiceAccount security/security-member`, `Group system:authenticated`. */
export function describeSubject(subject: Subject): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount ${subject.namespace}/${subject.name}` : `${subject.kind} ${subject.name}`;
}

/**
 * Checks a subject pattern given in options: `User:<name>`, `Group:<name>`,
 * `ServiceAccount:<namespace>/<name>`, and with `allowWildcard` `ServiceAccount:<namespace>/*`.
 *
 * @throws Error naming the option and the accepted forms
 */
export function checkSubjectPattern(where: string, field: string, value: any, allowWildcard: boolean): string {
  const forms = `User:<name>, Group:<name> or ServiceAccount:<namespace>/<name>${allowWildcard ? ' (or ServiceAccount:<namespace>/* for all of a namespace)' : ''}`;
  if (typeof value !== 'string') {
    throw new Error(`${where}: ${field}: ${describeValue(value)} is not a subject; write ${forms}`);
  }
  const m = /^(User|Group|ServiceAccount):(.+)$/.exec(value);
  if (m === null) {
    throw new Error(`${where}: ${field}: "${value}" is not a subject; write ${forms}, e.g. ServiceAccount:security/security-member`);
  }
  if (m[1] === 'ServiceAccount') {
    const parts = m[2].split('/');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '' || (parts[1] === '*' && !allowWildcard)) {
      throw new Error(`${where}: ${field}: "${value}" does not name a service account; write ServiceAccount:<namespace>/<name>, e.g. ServiceAccount:security/security-member`);
    }
  }
  return value;
}

/** Whether a subject matches one of the patterns (exact ids, or `ServiceAccount:<ns>/*`). */
export function subjectMatches(subject: Subject, patterns: readonly string[]): boolean {
  const id = subjectId(subject);
  return patterns.some((p) => p === id || (subject.kind === 'ServiceAccount' && p === `ServiceAccount:${subject.namespace}/*`));
}
