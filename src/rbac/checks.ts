import { fail } from '../core/errors';
import { ITier } from '../policy/tier';
import { resolveTier } from '../policy/tier-resolution';

const ROLE_NAME = /^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$/;

/** Longest RBAC object name accepted here (a DNS subdomain's length). */
export const MAX_ROLE_NAME_LENGTH = 253;

/**
 * Checks the name of a Role, ClusterRole or binding: lower-case letters, digits, '-', '.' and ':',
 * starting and ending with a letter or digit, at most 253 characters.
 */
export function checkRoleName(owner: string, field: string, name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_ROLE_NAME_LENGTH || !ROLE_NAME.test(name)) {
    fail(
      owner,
      field,
      `${JSON.stringify(name)} is not a valid RBAC object name: use at most ${MAX_ROLE_NAME_LENGTH} lower-case letters, digits, '-', '.' and ':', ` +
        'starting and ending with a letter or digit, e.g. "security-network-policy-admin"',
    );
  }
}

/** Runs `build`, re-throwing its error with `owner` in front. */
export function rethrow<T>(owner: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    return fail(owner, '', (e as Error).message);
  }
}

/** The name of a tier (an `ITier`, or, deprecated, a tier name), checked. */
export function tierNameOf(owner: string, field: string, tier: ITier | string): string {
  if (tier === undefined) {
    fail(owner, field, "give a tier: a Tier construct, Tier.fromName('security') or Tier.DEFAULT");
  }
  return resolveTier(owner, field, tier).tierName;
}
