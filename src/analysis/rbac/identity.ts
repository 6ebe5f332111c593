/**
 * Who a request comes from: the user name, the groups the API server's authenticators add
 * implicitly, and whether a binding subject applies to that identity.
 */
import { SubjectSpec } from './objects';

/** Prefix of the user names of service accounts: `system:serviceaccount:<namespace>:<name>`. */
export const SERVICE_ACCOUNT_USER_PREFIX = 'system:serviceaccount:';
/** Group of all service accounts. */
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';
/** Group of every authenticated user. */
export const AUTHENTICATED_GROUP = 'system:authenticated';
/** Group of the anonymous user. */
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
/** The user name of unauthenticated requests. */
export const ANONYMOUS_USER = 'system:anonymous';
/**
 * The group the API server allows every request of, before RBAC runs (Kubernetes:
 * pkg/kubeapiserver/authorizer, the privileged-groups authorizer for `system:masters`).
 */
export const SYSTEM_MASTERS_GROUP = 'system:masters';

/** A requester: a user name (absent for "any member of these groups") and all its groups. */
export interface Identity {
  readonly user?: string;
  readonly groups: string[];
}

/** A service account's namespace and name. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/** The user name a service account authenticates as. */
export function serviceAccountUser(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${name}`;
}

/** The group of all service accounts of a namespace. */
export function serviceAccountsGroup(namespace: string): string {
  return `${SERVICE_ACCOUNTS_GROUP}:${namespace}`;
}

/** The service account a user name denotes, if it is of the form `system:serviceaccount:<ns>:<name>`. */
export function parseServiceAccountUser(user: string): ServiceAccountRef | undefined {
  if (!user.startsWith(SERVICE_ACCOUNT_USER_PREFIX)) return undefined;
  const parts = user.slice(SERVICE_ACCOUNT_USER_PREFIX.length).split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/**
 * The identity of a user as the API server sees it: a service account is also in
 * `system:serviceaccounts`, `system:serviceaccounts:<ns>` and `system:authenticated`;
 * `system:anonymous` is in `system:unauthenticated`; any other user is in
 * `system:authenticated`. Extra `groups` are added as given.
 */
export function identityOfUser(user: string, groups: string[] = []): Identity {
  const implicit: string[] = [];
  const sa = parseServiceAccountUser(user);
  if (sa) {
    implicit.push(SERVICE_ACCOUNTS_GROUP, serviceAccountsGroup(sa.namespace), AUTHENTICATED_GROUP);
  } else if (user === ANONYMOUS_USER) {
    implicit.push(UNAUTHENTICATED_GROUP);
  } else {
    implicit.push(AUTHENTICATED_GROUP);
  }
  return { user, groups: unique([...implicit, ...groups]) };
}

/**
 * The identity of "any member of a group": no user name, the group itself and the groups every
 * member is necessarily in (members of `system:serviceaccounts:<ns>` are service accounts, so
 * also in `system:serviceaccounts`; every member of any group but `system:unauthenticated`
 * is authenticated).
 */
export function identityOfGroupMember(group: string): Identity {
  const groups = [group];
  if (group.startsWith(`${SERVICE_ACCOUNTS_GROUP}:`)) groups.push(SERVICE_ACCOUNTS_GROUP);
  if (group !== UNAUTHENTICATED_GROUP) groups.push(AUTHENTICATED_GROUP);
  return { groups: unique(groups) };
}

/** Whether the API server allows the identity everything before RBAC: it is in `system:masters`. */
export function isPrivileged(identity: Identity): boolean {
  return identity.groups.includes(SYSTEM_MASTERS_GROUP);
}

/**
 * What a binding subject matches, as a key shared with `identityKeys`: `user:<name>` for a
 * User, `user:system:serviceaccount:<ns>:<name>` for a ServiceAccount (a ServiceAccount subject
 * without namespace, allowed in a RoleBinding only, means one of the binding's own namespace,
 * as the Kubernetes RBAC authorizer defaults it), `group:<name>` for a Group; undefined for a
 * ServiceAccount subject without any namespace, which matches nobody.
 */
export function subjectKey(subject: SubjectSpec, bindingNamespace: string | undefined): string | undefined {
  switch (subject.kind) {
    case 'User':
      return `user:${subject.name}`;
    case 'Group':
      return `group:${subject.name}`;
    default: {
      const namespace = subject.namespace ?? bindingNamespace;
      return namespace ? `user:${serviceAccountUser(namespace, subject.name)}` : undefined;
    }
  }
}

/** The keys (see `subjectKey`) of the subjects that cover the identity: its user name and each of its groups. */
export function identityKeys(identity: Identity): string[] {
  const keys = identity.groups.map((group) => `group:${group}`);
  return identity.user === undefined ? keys : [`user:${identity.user}`, ...keys];
}

/** Whether a binding subject covers the identity (see `subjectKey`). */
export function subjectAppliesTo(subject: SubjectSpec, bindingNamespace: string | undefined, identity: Identity): boolean {
  const key = subjectKey(subject, bindingNamespace);
  return key !== undefined && identityKeys(identity).includes(key);
}

/** How reasons name the requester: the user name, or `members of group X`. */
export function describeIdentity(identity: Identity): string {
  if (identity.user !== undefined) return identity.user;
  return `members of group ${identity.groups[0]}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
