import { Construct } from 'constructs';
import { AccessLevel } from './access';
import { apiGroupNames, CRD_PROJECTCALICO_ORG } from './api-group-names';
import { CalicoApiGroups } from './api-groups';
import { ApiResourceRef } from './api-resource-ref';
import { BindableClusterRole } from './bindable-cluster-role';
import { CalicoResource } from './calico-resources';
import { rethrow, tierNameOf } from './checks';
import { RbacGrant } from './rbac-grant';
import { ALL_CALICO_RESOURCES } from './resource-lists';
import { READ_VERBS } from './verbs';
import { fail } from '../core/errors';
import { ITier } from '../policy/tier';

/** The verbs on a tier object that name it (`create` cannot: the API server authorizes it before the name is known). */
const TIER_WRITE_VERBS = ['update', 'patch', 'delete'];

/** Properties of a `NetworkPolicyAdminRole`. */
export interface NetworkPolicyAdminRoleProps {
  /**
   * The ClusterRole name (also the name of its binding).
   *
   * @default - a name generated from the construct path
   */
  readonly name?: string;

  /**
   * Which Calico API groups to cover: `projectcalico.org` for kubectl (with Calico's tier
   * authorization and validation), `crd.projectcalico.org` for calicoctl in Kubernetes-datastore
   * mode, or both.
   *
   * Covering `crd.projectcalico.org` gives away Calico's controls: writes there go straight to
   * Calico's storage CRDs, so no tier authorization applies (every tier's policies can be
   * written) and the Calico API server validates nothing. Only opt in for calicoctl users who
   * are trusted with every tier.
   *
   * @default CalicoApiGroups.PROJECTCALICO_ORG
   */
  readonly calicoApiGroups?: CalicoApiGroups;

  /**
   * Read only, or manage (get, list, watch, create, update, patch, delete).
   *
   * @default AccessLevel.MANAGE
   */
  readonly access?: AccessLevel;

  /**
   * Include Kubernetes NetworkPolicies (`networking.k8s.io` `networkpolicies`).
   *
   * @default true
   */
  readonly kubernetesNetworkPolicies?: boolean;

  /**
   * The Calico resources to cover.
   *
   * @default - every CalicoResource: network policies, global network policies, tiers, network sets, global network sets and the three staged kinds
   */
  readonly calicoResources?: CalicoResource[];

  /**
   * The tiers (objects) the role may `update`, `patch` and `delete`, by name: the tiers its
   * holders own. Every other tier is read only (`get`, `list`, `watch`), so holders can neither
   * reorder another team's tier nor change its default action or delete it. Needs `tiers` among
   * `calicoResources` and `AccessLevel.MANAGE`.
   *
   * This is about tier objects; writing the policies of a tier is what a `CalicoTierRole` grants.
   *
   * @default - none: tiers are read only
   */
  readonly writableTiers?: ITier[];

  /**
   * Let the role create tiers. RBAC cannot limit `create` to names, so this allows any new tier,
   * at any order: a tier ordered before yours decides first. Needs `tiers` among
   * `calicoResources` and `AccessLevel.MANAGE`.
   *
   * @default false
   */
  readonly canCreateTiers?: boolean;
}

/**
 * A ClusterRole for network-policy administrators: Kubernetes NetworkPolicies and the Calico
 * policy resources, cluster-wide, with explicit verbs (never `*`).
 *
 * Tiers are the exception: the role may read them all, but writes (`update`, `patch`,
 * `delete`) only the `writableTiers`, by name, and creates tiers only with `canCreateTiers`.
 * (Calico authorizes tier objects with plain RBAC; `tier.*` grants are for their policies.)
 *
 * When `crd.projectcalico.org` is covered, the role can also read `clusterinformations`, which
 * calicoctl reads to compare its version with the cluster's before every command.
 *
 * In `projectcalico.org`, Calico authorizes policies per tier on top of this role: pair it with
 * a `CalicoTierRole` for each tier the administrators write to.
 *
 * @example
 * const admin = new NetworkPolicyAdminRole(chart, 'admin', { name: 'security-network-policy-admin', writableTiers: [Tier.fromName('security')] });
 * admin.bind(kplus.Group.fromName(chart, 'sec', 'oidc:security'));
 */
export class NetworkPolicyAdminRole extends BindableClusterRole {
  /** The Calico API groups the role covers, e.g. `['projectcalico.org']`. */
  public readonly calicoApiGroupNames: string[];

  /** The names of the tiers the role may update, patch and delete. */
  public readonly writableTierNames: string[];

  constructor(scope: Construct, id: string, props: NetworkPolicyAdminRoleProps = {}) {
    super(scope, id, 'NetworkPolicyAdminRole', props.name);
    const access = props.access ?? AccessLevel.MANAGE;
    const groups = props.calicoApiGroups ?? CalicoApiGroups.PROJECTCALICO_ORG;
    this.calicoApiGroupNames = apiGroupNames(this.owner, 'calicoApiGroups', groups);
    if (props.kubernetesNetworkPolicies ?? true) {
      this.addGrant(RbacGrant.kubernetesNetworkPolicies(access));
    }
    const resources = props.calicoResources ?? [...ALL_CALICO_RESOURCES];
    const others = Array.isArray(resources) ? resources.filter((r) => r !== CalicoResource.TIERS) : [];
    const tiers = Array.isArray(resources) && resources.includes(CalicoResource.TIERS);
    const writable = props.writableTiers ?? [];
    if (!Array.isArray(writable)) {
      fail(this.owner, 'writableTiers', "must be a list of tiers, e.g. [Tier.fromName('security')]");
    }
    this.writableTierNames = [...new Set(writable.map((tier, i) => tierNameOf(this.owner, `writableTiers[${i}]`, tier)))];
    const canCreateTiers = props.canCreateTiers ?? false;
    if (typeof canCreateTiers !== 'boolean') {
      fail(this.owner, 'canCreateTiers', `${JSON.stringify(canCreateTiers)} is not true or false`);
    }
    for (const [field, asked] of [['writableTiers', this.writableTierNames.length > 0], ['canCreateTiers', canCreateTiers]] as const) {
      if (asked && (!tiers || access !== AccessLevel.MANAGE)) {
        fail(this.owner, field, 'writes tier objects, so it needs CalicoResource.TIERS among calicoResources and access AccessLevel.MANAGE');
      }
    }
    if (!tiers || others.length > 0) {
      // Without tiers, the whole list (RbacGrant checks it: not empty, only CalicoResource members).
      this.addGrant(rethrow(this.owner, () => RbacGrant.calicoResources(groups, access, tiers ? others : resources)));
    }
    if (tiers) {
      // Calico: apiserver/pkg/registry/projectcalico/tier/storage.go — tier objects get plain RBAC, no tier authorization.
      const refs = (names: (string | undefined)[] = [undefined]) =>
        this.calicoApiGroupNames.flatMap((group) => names.map((name) => ApiResourceRef.of(group, CalicoResource.TIERS, name)));
      this.addGrant(RbacGrant.of([...READ_VERBS], ...refs()));
      if (this.writableTierNames.length > 0) {
        this.addGrant(RbacGrant.of([...TIER_WRITE_VERBS], ...refs(this.writableTierNames)));
      }
      if (canCreateTiers) {
        this.addGrant(RbacGrant.of(['create'], ...refs()));
      }
    }
    if (this.calicoApiGroupNames.includes(CRD_PROJECTCALICO_ORG)) {
      this.addGrant(RbacGrant.of(['get', 'list'], ApiResourceRef.of(CRD_PROJECTCALICO_ORG, 'clusterinformations')));
    }
  }
}
