import { Construct } from 'constructs';
import { AccessLevel } from './access';
import { BindableClusterRole } from './bindable-cluster-role';
import { TieredPolicyResource } from './calico-resources';
import { rethrow, tierNameOf } from './checks';
import { RbacGrant } from './rbac-grant';
import { ITier } from '../policy/tier';

/** Properties of a `CalicoTierRole`. */
export interface CalicoTierRoleProps {
  /** The tier: a `Tier` construct, `Tier.fromName('security')` or a built-in tier such as `Tier.DEFAULT`. */
  readonly tier: ITier;

  /**
   * The ClusterRole name (also the name of its binding).
   *
   * @default - a name generated from the construct path
   */
  readonly name?: string;

  /**
   * Read only, or manage (get, list, watch, create, update, patch, delete) the tier's policies.
   *
   * @default AccessLevel.MANAGE
   */
  readonly access?: AccessLevel;

  /**
   * The tiered policy resources to cover.
   *
   * @default - all four: network policies, global network policies and their staged kinds
   */
  readonly resources?: TieredPolicyResource[];
}

/**
 * A ClusterRole with Calico's two tier grants for one tier, cluster-wide:
 * `get` on `projectcalico.org` `tiers` named after the tier, and the verbs on the
 * `projectcalico.org` pseudo-resources `tier.networkpolicies`, `tier.globalnetworkpolicies`,
 * `tier.stagednetworkpolicies` and `tier.stagedglobalnetworkpolicies` named `<tier>.*`.
 *
 * Calico lets a user create, change or delete a policy of a tier only when both grants allow it.
 *
 * @example
 * new CalicoTierRole(chart, 'security-tier', { tier: securityTier, name: 'security-calico-tier-security' })
 *   .bind(kplus.Group.fromName(chart, 'sec', 'system:serviceaccounts:security'));
 */
export class CalicoTierRole extends BindableClusterRole {
  /** The tier name. */
  public readonly tierName: string;

  constructor(scope: Construct, id: string, props: CalicoTierRoleProps) {
    super(scope, id, 'CalicoTierRole', props.name);
    this.tierName = tierNameOf(this.owner, 'tier', props.tier);
    const access = props.access ?? AccessLevel.MANAGE;
    for (const grant of rethrow(this.owner, () => RbacGrant.tierAccess(this.tierName, access, props.resources))) {
      this.addGrant(grant);
    }
  }
}
