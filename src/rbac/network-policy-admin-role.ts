import { Construct } from 'constructs';
import { AccessLevel } from './access';
import { apiGroupNames, CRD_PROJECTCALICO_ORG } from './api-group-names';
import { CalicoApiGroups } from './api-groups';
import { ApiResourceRef } from './api-resource-ref';
import { BindableClusterRole } from './bindable-cluster-role';
import { CalicoResource } from './calico-resources';
import { rethrow } from './checks';
import { RbacGrant } from './rbac-grant';

/** Properties of a `NetworkPolicyAdminRole`. */
export interface NetworkPolicyAdminRoleProps {
  /**
   * The ClusterRole name (also the name of its binding).
   *
   * @default - a name generated from the construct path
   */
  readonly name?: string;

  /**
   * Which Calico API groups to cover: `projectcalico.org` for kubectl, `crd.projectcalico.org`
   * for calicoctl in Kubernetes-datastore mode, or both.
   *
   * @default CalicoApiGroups.BOTH
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
}

/**
 * A ClusterRole for network-policy administrators: Kubernetes NetworkPolicies and the Calico
 * policy resources, cluster-wide, with explicit verbs (never `*`).
 *
 * When `crd.projectcalico.org` is covered, the role can also read `clusterinformations`, which
 * calicoctl reads to compare its version with the cluster's before every command.
 *
 * In `projectcalico.org`, Calico authorizes policies per tier on top of this role: pair it with
 * a `CalicoTierRole` for each tier the administrators write to.
 *
 * @example
 * const admin = new NetworkPolicyAdminRole(chart, 'admin', { name: 'security-network-policy-admin' });
 * admin.bind(kplus.Group.fromName(chart, 'sec', 'system:serviceaccounts:security'));
 */
export class NetworkPolicyAdminRole extends BindableClusterRole {
  /** The Calico API groups the role covers, e.g. `['projectcalico.org', 'crd.projectcalico.org']`. */
  public readonly calicoApiGroupNames: string[];

  constructor(scope: Construct, id: string, props: NetworkPolicyAdminRoleProps = {}) {
    super(scope, id, 'NetworkPolicyAdminRole', props.name);
    const access = props.access ?? AccessLevel.MANAGE;
    const groups = props.calicoApiGroups ?? CalicoApiGroups.BOTH;
    this.calicoApiGroupNames = apiGroupNames(this.owner, 'calicoApiGroups', groups);
    if (props.kubernetesNetworkPolicies ?? true) {
      this.addGrant(RbacGrant.kubernetesNetworkPolicies(access));
    }
    this.addGrant(rethrow(this.owner, () => RbacGrant.calicoResources(groups, access, props.calicoResources)));
    if (this.calicoApiGroupNames.includes(CRD_PROJECTCALICO_ORG)) {
      this.addGrant(RbacGrant.of(['get', 'list'], ApiResourceRef.of(CRD_PROJECTCALICO_ORG, 'clusterinformations')));
    }
  }
}
