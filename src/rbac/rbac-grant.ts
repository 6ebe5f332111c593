import * as kplus from 'cdk8s-plus-27';
import { AccessLevel } from './access';
import { apiGroupNames, NETWORKING_K8S_IO } from './api-group-names';
import { CalicoApiGroups } from './api-groups';
import { ApiResourceRef } from './api-resource-ref';
import { CalicoResource, TieredPolicyResource } from './calico-resources';
import { ALL_CALICO_RESOURCES, ALL_TIERED_POLICY_RESOURCES } from './resource-lists';
import { KNOWN_VERBS, verbsOf } from './verbs';

/**
 * A set of verbs on a set of resources: the unit the role constructs add to a cdk8s-plus `Role`
 * or `ClusterRole`. cdk8s-plus renders one rule per resource; the role constructs of this
 * package write their rules grouped by API group, verb set and resource names instead (the same
 * grants), and `addTo()` a role of your own leaves cdk8s-plus's rendering as it is.
 *
 * Verbs are spelled out (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`,
 * `deletecollection`); `*` is refused, as are wildcard groups and resources (see
 * `ApiResourceRef`).
 */
export class RbacGrant {
  /**
   * Verbs on resources.
   *
   * @param verbs the verbs, e.g. `['get', 'list', 'watch']`
   * @param resources the resources
   */
  public static of(verbs: string[], ...resources: ApiResourceRef[]): RbacGrant {
    return new RbacGrant(verbs, resources);
  }

  /**
   * Kubernetes NetworkPolicies (`networking.k8s.io` `networkpolicies`), used by `kubectl`.
   *
   * @param access read only or manage
   */
  public static kubernetesNetworkPolicies(access: AccessLevel): RbacGrant {
    return new RbacGrant(verbsOf('RbacGrant.kubernetesNetworkPolicies()', 'access', access), [
      ApiResourceRef.of(NETWORKING_K8S_IO, 'networkpolicies'),
    ]);
  }

  /**
   * Plain Calico resources in the chosen API groups (no tier restriction: in `projectcalico.org`
   * Calico still checks tiered policies against the tier grants, see `tierAccess()`).
   *
   * @param groups `projectcalico.org`, `crd.projectcalico.org` or both
   * @param access read only or manage
   * @param resources the resources (default: every `CalicoResource`)
   */
  public static calicoResources(groups: CalicoApiGroups, access: AccessLevel, resources?: CalicoResource[]): RbacGrant {
    const where = 'RbacGrant.calicoResources()';
    const names = apiGroupNames(where, 'groups', groups);
    const list = checkMembers(where, 'resources', resources ?? [...ALL_CALICO_RESOURCES], Object.values(CalicoResource), 'CalicoResource');
    const refs: ApiResourceRef[] = [];
    for (const group of names) {
      for (const resource of list) {
        refs.push(ApiResourceRef.of(group, resource));
      }
    }
    return new RbacGrant(verbsOf(where, 'access', access), refs);
  }

  /**
   * Calico's first tier check: `get` on `projectcalico.org` `tiers` named `tier`. Tiers are
   * cluster-scoped, so this only counts in a ClusterRole bound by a ClusterRoleBinding.
   *
   * @param tier the tier name
   */
  public static tierRead(tier: string): RbacGrant {
    return new RbacGrant(['get'], [ApiResourceRef.calicoTier(tier)]);
  }

  /**
   * Calico's second tier check: the verbs on `projectcalico.org` `tier.<resource>` named
   * `<tier>.*`. In a namespaced Role it covers the namespaced resources in that namespace.
   *
   * @param tier the tier name
   * @param access read only or manage
   * @param resources the tiered resources (default: all four)
   */
  public static tierPolicies(tier: string, access: AccessLevel, resources?: TieredPolicyResource[]): RbacGrant {
    const where = 'RbacGrant.tierPolicies()';
    const list = checkMembers(where, 'resources', resources ?? [...ALL_TIERED_POLICY_RESOURCES], Object.values(TieredPolicyResource), 'TieredPolicyResource');
    return new RbacGrant(
      verbsOf(where, 'access', access),
      list.map((resource) => ApiResourceRef.tieredPolicies(resource, tier)),
    );
  }

  /**
   * Both grants Calico needs for policies of one tier: `tierRead(tier)` and
   * `tierPolicies(tier, access, resources)`.
   *
   * @param tier the tier name
   * @param access read only or manage
   * @param resources the tiered resources (default: all four)
   */
  public static tierAccess(tier: string, access: AccessLevel, resources?: TieredPolicyResource[]): RbacGrant[] {
    return [RbacGrant.tierRead(tier), RbacGrant.tierPolicies(tier, access, resources)];
  }

  /** The verbs. */
  public readonly verbs: string[];

  /** The resources. */
  public readonly resources: ApiResourceRef[];

  private constructor(verbs: string[], resources: ApiResourceRef[]) {
    if (!Array.isArray(verbs) || verbs.length === 0) {
      throw new Error(`RbacGrant: give at least one verb (${KNOWN_VERBS.join(', ')})`);
    }
    const seen = new Set<string>();
    for (const verb of verbs) {
      if (!KNOWN_VERBS.includes(verb)) {
        throw new Error(
          `RbacGrant: ${JSON.stringify(verb)} is not an allowed verb; spell out the verbs (${KNOWN_VERBS.join(', ')}), never '*'`,
        );
      }
      if (seen.has(verb)) {
        throw new Error(`RbacGrant: the verb "${verb}" is listed twice; list each verb once`);
      }
      seen.add(verb);
    }
    if (resources.length === 0) {
      throw new Error('RbacGrant: give at least one resource');
    }
    for (const resource of resources) {
      if (!(resource instanceof ApiResourceRef)) {
        throw new Error(`RbacGrant: ${JSON.stringify(resource)} is not an ApiResourceRef; build resources with ApiResourceRef.of()`);
      }
    }
    this.verbs = [...verbs];
    this.resources = [...resources];
  }

  /**
   * The RBAC rules of this grant, one per resource (as cdk8s-plus writes them): its verbs on
   * the resource's API group, type and, for a named resource, name.
   */
  public toPolicyRules(): kplus.k8s.PolicyRule[] {
    return this.resources.map((resource) => ({
      verbs: [...this.verbs],
      apiGroups: [resource.apiGroup === 'core' ? '' : resource.apiGroup],
      ...(resource.resourceName ? { resourceNames: [resource.resourceName] } : {}),
      ...(resource.resourceType ? { resources: [resource.resourceType] } : {}),
    }));
  }

  /**
   * Adds this grant to a cdk8s-plus Role or ClusterRole.
   *
   * @param role the role
   */
  public addTo(role: kplus.Role | kplus.ClusterRole): void {
    role.allow([...this.verbs], ...this.resources);
  }
}

function checkMembers<T extends string>(where: string, field: string, values: T[], allowed: string[], enumName: string): T[] {
  if (!Array.isArray(values) || values.length === 0) {
    throw new Error(`${where}: ${field} must list at least one ${enumName}, or be left out for all of them`);
  }
  for (const value of values) {
    if (!allowed.includes(value)) {
      throw new Error(`${where}: ${field}: ${JSON.stringify(value)} is not a ${enumName}; use one of ${allowed.join(', ')}`);
    }
  }
  return [...new Set(values)];
}
