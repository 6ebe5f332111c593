import { Construct } from 'constructs';
import { BindableClusterRole } from './bindable-cluster-role';
import { tierNameOf } from './checks';
import { RbacGrant } from './rbac-grant';
import { fail } from '../core/errors';
import { ITier } from '../policy/tier';

/** Properties of a `CalicoTierReaderRole`. */
export interface CalicoTierReaderRoleProps {
  /** The tiers that may be read, e.g. `[Tier.DEFAULT]`. */
  readonly tiers: ITier[];

  /**
   * The ClusterRole name (also the name of its binding).
   *
   * @default - a name generated from the construct path
   */
  readonly name?: string;
}

/**
 * A ClusterRole with only Calico's first tier grant: `get` on `projectcalico.org` `tiers`, for
 * the named tiers.
 *
 * Tiers are cluster-scoped, so this grant only counts through a ClusterRoleBinding. Teams that
 * write policies in one namespace (a `NamespacePolicyRole` with `calicoTiers`) need it as well:
 * the security team owns this role and binds the teams to it.
 */
export class CalicoTierReaderRole extends BindableClusterRole {
  /** The tier names. */
  public readonly tierNames: string[];

  constructor(scope: Construct, id: string, props: CalicoTierReaderRoleProps) {
    super(scope, id, 'CalicoTierReaderRole', props.name);
    if (!Array.isArray(props.tiers) || props.tiers.length === 0) {
      fail(this.owner, 'tiers', 'list at least one tier, e.g. [Tier.DEFAULT]');
    }
    this.tierNames = [...new Set(props.tiers.map((tier, i) => tierNameOf(this.owner, `tiers[${i}]`, tier)))];
    for (const tier of this.tierNames) {
      this.addGrant(RbacGrant.tierRead(tier));
    }
  }
}
