/**
 * The verbs of each access level.
 *
 * This module is internal: it is not re-exported by the `rbac` barrel.
 */
import { AccessLevel } from './access';
import { fail } from '../core/errors';

/** The read verbs. */
export const READ_VERBS: readonly string[] = ['get', 'list', 'watch'];

/** The verbs of `AccessLevel.MANAGE`: read plus every single-object write. */
export const MANAGE_VERBS: readonly string[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** Every verb a grant may name (the Kubernetes resource verbs; `*` is never allowed). */
export const KNOWN_VERBS: readonly string[] = [...MANAGE_VERBS, 'deletecollection'];

/** The verbs of an access level. Throws for a value that is not an `AccessLevel` member. */
export function verbsOf(owner: string, field: string, level: AccessLevel): string[] {
  switch (level) {
    case AccessLevel.READ:
      return [...READ_VERBS];
    case AccessLevel.MANAGE:
      return [...MANAGE_VERBS];
    default:
      return fail(owner, field, `${JSON.stringify(level)} is not an access level; use AccessLevel.READ or AccessLevel.MANAGE`);
  }
}
