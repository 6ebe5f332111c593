import * as kplus from 'cdk8s-plus-27';
import { PROJECTCALICO_ORG } from './api-group-names';
import { TieredPolicyResource } from './calico-resources';
import { isDns1123Label } from '../core/names';

const API_GROUP = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RESOURCE_TYPE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(\/[a-z0-9]+)?$/;
const TIER_WILDCARD = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.\*$/;

/**
 * One API resource in an RBAC rule: API group, resource type and, optionally, one object name
 * (rendered as `resourceNames`). Works with cdk8s-plus `Role.allow()` (as an `IApiResource`)
 * and `ClusterRole.allow()` (as an `IApiEndpoint`).
 *
 * Wildcards are refused: the group, the resource and the name must be spelled out, except for
 * Calico's tier wildcard `<tier>.*` on the `tier.<resource>` pseudo-resources, which is how Calico
 * names every policy of a tier.
 *
 * @example
 * role.allow(['get'], ApiResourceRef.calicoTier('security'));
 * role.allow(['create'], ApiResourceRef.tieredPolicies(TieredPolicyResource.NETWORK_POLICIES, 'default'));
 */
export class ApiResourceRef implements kplus.IApiResource, kplus.IApiEndpoint {
  /**
   * A resource of an API group, optionally restricted to one object name.
   *
   * @param apiGroup the API group, `''` for the core group (e.g. `networking.k8s.io`)
   * @param resourceType the plural resource name, optionally with a subresource (e.g. `pods/log`)
   * @param resourceName one object name (`resourceNames`); a `*` is only accepted as `<tier>.*` on `tier.*` resources
   */
  public static of(apiGroup: string, resourceType: string, resourceName?: string): ApiResourceRef {
    return new ApiResourceRef(apiGroup, resourceType, resourceName);
  }

  /**
   * `get` target of Calico's first tier check: `projectcalico.org` `tiers` named `tier`.
   *
   * @param tier the tier name
   */
  public static calicoTier(tier: string): ApiResourceRef {
    checkTierName(tier, 'ApiResourceRef.calicoTier()');
    return new ApiResourceRef(PROJECTCALICO_ORG, 'tiers', tier);
  }

  /**
   * Target of Calico's second tier check: the pseudo-resource `tier.<resource>` of
   * `projectcalico.org`, named `<tier>.*` (every policy of the tier).
   *
   * @param resource the tiered policy resource
   * @param tier the tier name
   */
  public static tieredPolicies(resource: TieredPolicyResource, tier: string): ApiResourceRef {
    checkTierName(tier, 'ApiResourceRef.tieredPolicies()');
    if (!Object.values(TieredPolicyResource).includes(resource)) {
      throw new Error(
        `ApiResourceRef.tieredPolicies(): ${JSON.stringify(resource)} is not a tiered policy resource; use a TieredPolicyResource member ` +
          `(${Object.values(TieredPolicyResource).join(', ')})`,
      );
    }
    return new ApiResourceRef(PROJECTCALICO_ORG, `tier.${resource}`, `${tier}.*`);
  }

  /** The API group (`''` for the core group). */
  public readonly apiGroup: string;

  /** The resource type, e.g. `networkpolicies` or `tier.networkpolicies`. */
  public readonly resourceType: string;

  /** The object name the rule is restricted to, if any. */
  public readonly resourceName?: string;

  private constructor(apiGroup: string, resourceType: string, resourceName: string | undefined) {
    const where = `ApiResourceRef.of(${JSON.stringify(apiGroup)}, ${JSON.stringify(resourceType)}${resourceName === undefined ? '' : `, ${JSON.stringify(resourceName)}`})`;
    if (typeof apiGroup !== 'string' || (apiGroup !== '' && !API_GROUP.test(apiGroup))) {
      throw new Error(`${where}: apiGroup must be '' (core) or a DNS subdomain such as "networking.k8s.io"; wildcards are not allowed`);
    }
    if (typeof resourceType !== 'string' || !RESOURCE_TYPE.test(resourceType)) {
      throw new Error(`${where}: resourceType must be a plural lower-case resource such as "networkpolicies" or "pods/log"; wildcards are not allowed`);
    }
    if (resourceName !== undefined) {
      if (typeof resourceName !== 'string' || resourceName.length === 0) {
        throw new Error(`${where}: resourceName must be a non-empty object name, or left out for every object`);
      }
      if (resourceName.includes('*')) {
        if (!resourceType.startsWith('tier.') || !TIER_WILDCARD.test(resourceName)) {
          throw new Error(
            `${where}: resourceName may only contain '*' as Calico's tier wildcard "<tier>.*" on a tier.<resource> pseudo-resource; ` +
              'name the object exactly, or leave resourceName out',
          );
        }
      }
    }
    this.apiGroup = apiGroup;
    this.resourceType = resourceType;
    this.resourceName = resourceName;
  }

  /** This object, as cdk8s-plus `ClusterRole.allow()` expects. */
  public asApiResource(): kplus.IApiResource | undefined {
    return this;
  }

  /** Always undefined: this is a resource, not a non-resource URL. */
  public asNonApiResource(): string | undefined {
    return undefined;
  }

  /** How the resource reads in messages, e.g. `projectcalico.org/tier.networkpolicies "default.*"`. */
  public toString(): string {
    const group = this.apiGroup === '' ? 'core' : this.apiGroup;
    return `${group}/${this.resourceType}${this.resourceName === undefined ? '' : ` "${this.resourceName}"`}`;
  }
}

function checkTierName(tier: string, where: string): void {
  if (!isDns1123Label(tier)) {
    throw new Error(
      `${where}: ${JSON.stringify(tier)} is not a tier name; tier names are DNS-1123 labels (lower-case letters, digits and '-'), e.g. "security"`,
    );
  }
}
