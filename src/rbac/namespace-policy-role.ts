import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AccessLevel } from './access';
import { PROJECTCALICO_ORG } from './api-group-names';
import { ApiResourceRef } from './api-resource-ref';
import { TieredPolicyResource } from './calico-resources';
import { checkRoleName, tierNameOf } from './checks';
import { RbacGrant } from './rbac-grant';
import { BindingObject, roleProps } from './rbac-rendering';
import { verbsOf } from './verbs';
import { fail } from '../core/errors';
import { generatedChildName } from '../policy/metadata';
import { ITier } from '../policy/tier';
import { TypedApiObject } from '../policy/typed-api-object';
import { checkDnsLabel, describeChild } from '../policy/validation';

/** Properties of a `NamespacePolicyRole`. */
export interface NamespacePolicyRoleProps {
  /** The namespace the Role (and its binding) lives in and grants access to. */
  readonly namespace: string;

  /**
   * The Role name (also the name of its RoleBinding).
   *
   * @default - a name generated from the construct path
   */
  readonly name?: string;

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
   * Tiers in which Calico NetworkPolicies of this namespace may be written (typically
   * `[Tier.DEFAULT]`). Adds `projectcalico.org` `networkpolicies` and Calico's namespaced tier grant
   * (`tier.networkpolicies` named `<tier>.*`) for each tier.
   *
   * Calico's other tier grant, `get` on the tier, is cluster-scoped and cannot live in a Role:
   * bind the same subjects to a `CalicoTierReaderRole` as well.
   *
   * @default - no Calico policies
   */
  readonly calicoTiers?: ITier[];

  /**
   * With `calicoTiers`, also allow staged Calico NetworkPolicies (`stagednetworkpolicies`,
   * `tier.stagednetworkpolicies`) in those tiers.
   *
   * @default false
   */
  readonly stagedCalicoPolicies?: boolean;
}

/**
 * A namespaced Role for the people who write the network policy of one namespace: Kubernetes
 * NetworkPolicies and, optionally, Calico NetworkPolicies in named tiers only. Nothing
 * cluster-scoped and nothing in other namespaces.
 *
 * Only `projectcalico.org` is granted for Calico policies, never `crd.projectcalico.org`:
 * Calico enforces tier authorization in `projectcalico.org` only, so write access to the CRD
 * group would let the holder place policies in any tier.
 *
 * The Role's rules are written grouped by API group, verb set and resource names (the same
 * grants as one rule per resource), as `BindableClusterRole` writes them. The construct is itself
 * the Role object (`name` is the Role name); `bind()` creates the RoleBinding below it.
 */
export class NamespacePolicyRole extends TypedApiObject {
  /** The namespace. */
  public readonly namespace: string;

  /** The tiers Calico policies may be written in. */
  public readonly calicoTierNames: string[];

  private readonly binding: BindingObject;

  constructor(scope: Construct, id: string, props: NamespacePolicyRoleProps) {
    const owner = describeChild('NamespacePolicyRole', scope, id);
    checkDnsLabel(owner, 'namespace', props.namespace, 'namespace');
    const name = props.name ?? generatedChildName(scope, id);
    checkRoleName(owner, 'name', name);
    const access = props.access ?? AccessLevel.MANAGE;
    const tiers = props.calicoTiers ?? [];
    if (!Array.isArray(tiers)) {
      fail(owner, 'calicoTiers', 'must be a list of tiers, e.g. [Tier.DEFAULT]');
    }
    const calicoTierNames = [...new Set(tiers.map((tier, i) => tierNameOf(owner, `calicoTiers[${i}]`, tier)))];
    if (props.stagedCalicoPolicies && calicoTierNames.length === 0) {
      fail(owner, 'stagedCalicoPolicies', 'staged Calico policies need calicoTiers (the tiers they may be written in)');
    }
    if (!(props.kubernetesNetworkPolicies ?? true) && calicoTierNames.length === 0) {
      fail(owner, 'kubernetesNetworkPolicies', 'the role would grant nothing: keep Kubernetes NetworkPolicies or give calicoTiers');
    }
    const grants: RbacGrant[] = [];
    if (props.kubernetesNetworkPolicies ?? true) {
      grants.push(RbacGrant.kubernetesNetworkPolicies(access));
    }
    if (calicoTierNames.length > 0) {
      const resources = [TieredPolicyResource.NETWORK_POLICIES];
      if (props.stagedCalicoPolicies) {
        resources.push(TieredPolicyResource.STAGED_NETWORK_POLICIES);
      }
      grants.push(RbacGrant.of(verbsOf(owner, 'access', access), ...resources.map((resource) => ApiResourceRef.of(PROJECTCALICO_ORG, resource))));
      for (const tier of calicoTierNames) {
        grants.push(RbacGrant.tierPolicies(tier, access, resources));
      }
    }

    // The Role is a plain object (no cdk8s-plus wrapper), its rules rendered at synthesis.
    super(scope, id, roleProps({ name, namespace: props.namespace }, grants));
    this.namespace = props.namespace;
    this.calicoTierNames = calicoTierNames;
    this.binding = new BindingObject(this, 'Binding', owner, { kind: 'Role', name }, { name, namespace: props.namespace });
  }

  /** The Role object (escape hatch): the construct itself. */
  public get role(): ApiObject {
    return this;
  }

  /**
   * Binds the Role in its namespace. The first call creates a RoleBinding named like the Role;
   * later calls add subjects to it (a subject already bound is skipped).
   *
   * @param subjects users, groups or service accounts
   * @returns the RoleBinding
   */
  public bind(...subjects: kplus.ISubject[]): ApiObject {
    return this.binding.bind('bind()', subjects);
  }

  /** The RoleBinding, once `bind()` was called. */
  public get roleBinding(): ApiObject | undefined {
    return this.binding.apiObject;
  }
}
