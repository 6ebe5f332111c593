/**
 * How the constructs read a tier given to them: an `ITier` (a `Tier` construct, `Tier.DEFAULT`,
 * `Tier.fromName()`), or, from untyped JavaScript and deprecated, a tier name. A construct helper
 * shared by the policy, rbac and teams constructs; internal: not re-exported by the `policy`
 * barrel.
 */
import { ITier, Tier } from './tier';
import { checkTierName } from './validation';
import { describeValue, fail } from '../core/errors';

/**
 * The tier `tier` stands for, checked; `Tier.DEFAULT` when it is undefined. A string is still
 * accepted (deprecated: the props are typed `ITier`; write `Tier.fromName('security')`).
 */
export function resolveTier(owner: string, field: string, tier: ITier | string | undefined): ITier {
  if (tier === undefined) {
    return Tier.DEFAULT;
  }
  if (typeof tier === 'string') {
    checkTierName(owner, field, tier);
    return Tier.fromName(tier);
  }
  if (tier === null || typeof tier !== 'object' || typeof tier.tierName !== 'string') {
    fail(owner, field, `${describeValue(tier)} is not a tier; pass a Tier construct, Tier.fromName('security') or Tier.DEFAULT`);
  }
  checkTierName(owner, field, tier.tierName);
  return tier;
}
