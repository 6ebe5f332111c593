/**
 * Calico tier authorization for tiered policy resources of `projectcalico.org` (the Calico API
 * server, or the admission webhook with native v3 CRDs).
 *
 * A request on a tiered policy is allowed only when the requester has BOTH
 * 1. `get` on `projectcalico.org` `tiers` named after the policy's tier — tiers are
 *    cluster-scoped, so only a ClusterRoleBinding can grant it; and
 * 2. the request's verb on the pseudo-resource `tier.<resource>` (e.g. `tier.networkpolicies`)
 *    in the request's namespace, checked twice: once with the policy's own tier-qualified name
 *    (`<tier>.<policy>`, nameless for list/watch/create) and once with `<tier>.*`; either
 *    suffices. So `resourceNames` may be empty (any tier), `<tier>.*` (the whole tier) or
 *    `<tier>.<policy>` (that policy only, never enough for list/watch/create).
 *
 * Rules on the plain resource (`projectcalico.org` `networkpolicies`) play no part: Calico
 * installs a pass-through ClusterRole for them and decides on the `tier.*` pseudo-resources.
 * `stagedkubernetesnetworkpolicies` is not tiered (its objects have no tier) and follows plain
 * RBAC, as does everything in `crd.projectcalico.org`.
 */
import { describeGrant, describeGrantScope, describeMissingRole, RbacAuthorizer, RoleGrant } from './authorizer';
import { Identity } from './identity';
import { authorizedName, describeRequest, ResourceAttributes } from './rules';

/** The API group of the Calico v3 API. */
export const CALICO_API_GROUP = 'projectcalico.org';

/** The tier of a policy that names none. */
export const DEFAULT_TIER = 'default';

/** The `projectcalico.org` resources whose objects live in a tier and need tier authorization. */
export const TIERED_POLICY_RESOURCES = [
  'networkpolicies',
  'globalnetworkpolicies',
  'stagednetworkpolicies',
  'stagedglobalnetworkpolicies',
];

/** The outcome of tier authorization for one request. */
export interface TierAuthorization {
  readonly allowed: boolean;
  readonly tier: string;
  /** Grants of `get` on the tier. */
  readonly tierGrants: RoleGrant[];
  /** Grants of the verb on `tier.<resource>` (exact name or `<tier>.*`). */
  readonly policyGrants: RoleGrant[];
  /** The human reason, starting with `allowed:` or `denied:`. */
  readonly reason: string;
}

/** Whether the request is on a tiered Calico policy resource. */
export function isTieredPolicyResource(apiGroup: string, resource: string): boolean {
  return apiGroup === CALICO_API_GROUP && TIERED_POLICY_RESOURCES.includes(resource);
}

/**
 * The tier a request is about: the explicit tier; else the prefix of a `<tier>.<policy>` name;
 * else `default`.
 */
export function tierOfRequest(tier: string | undefined, name: string | undefined): string {
  if (tier !== undefined) return tier;
  if (name !== undefined) {
    const dot = name.indexOf('.');
    if (dot > 0) return name.slice(0, dot);
  }
  return DEFAULT_TIER;
}

/** The tier-qualified policy name: `name` if it already starts with `<tier>.`, else `<tier>.<name>`. */
export function tierQualifiedName(tier: string, name: string): string {
  return name.startsWith(`${tier}.`) ? name : `${tier}.${name}`;
}

/**
 * Tier authorization of a request (whose `attrs.name` is the policy name as requested, or absent)
 * for the given tier.
 */
export function authorizeTieredRequest(
  authorizer: RbacAuthorizer,
  identity: Identity,
  attrs: ResourceAttributes,
  tier: string,
): TierAuthorization {
  const tierAttrs: ResourceAttributes = { verb: 'get', apiGroup: CALICO_API_GROUP, resource: 'tiers', name: tier };
  const requestName = authorizedName(attrs);
  const exactName = requestName === undefined ? undefined : tierQualifiedName(tier, requestName);
  const policyResource = `tier.${attrs.resource}`;
  const exactAttrs: ResourceAttributes = { ...attrs, resource: policyResource, name: exactName };
  const wildcardAttrs: ResourceAttributes = { ...attrs, resource: policyResource, name: `${tier}.*` };

  const tierResult = authorizer.authorize(identity, tierAttrs);
  const exactResult = authorizer.authorize(identity, exactAttrs);
  const wildcardResult = authorizer.authorize(identity, wildcardAttrs);
  const tierGrants = tierResult.grants;
  const policyGrants = uniqueGrants([...exactResult.grants, ...wildcardResult.grants]);
  const allowed = tierGrants.length > 0 && policyGrants.length > 0;
  const prefix = `tier authorization for tier ${tier}`;
  const tierPart = `get on tiers '${tier}'`;

  if (allowed) {
    const policyAttrs = exactResult.grants.length > 0 ? exactAttrs : wildcardAttrs;
    const policyGrant = policyGrants[0];
    const reason = `allowed: ${prefix}: ${tierPart} granted by ${describeGrant(tierGrants[0])}; `
      + `${describeRequest({ ...policyAttrs, namespace: undefined })} granted by ${describeGrant(policyGrant)} ${describeGrantScope(policyGrant)}`;
    return { allowed, tier, tierGrants, policyGrants, reason };
  }

  const missing: string[] = [];
  const notes: string[] = [];
  if (tierGrants.length === 0) {
    missing.push(`missing ${tierPart}`);
    if (attrs.namespace !== undefined && authorizer.authorize(identity, { ...tierAttrs, namespace: attrs.namespace }).grants.length > 0) {
      notes.push(`a RoleBinding in namespace ${attrs.namespace} grants get on tiers '${tier}', but tiers are cluster-scoped so only a ClusterRoleBinding counts`);
    }
  }
  if (policyGrants.length === 0) {
    const names = exactName === undefined ? `'${tier}.*'` : `'${exactName}' or '${tier}.*'`;
    const where = attrs.namespace ? ` in namespace ${attrs.namespace}` : '';
    missing.push(`missing ${attrs.verb} on ${CALICO_API_GROUP}/${policyResource} ${names}${where}`);
    if (authorizer.authorize(identity, { ...attrs, name: requestName }).grants.length > 0) {
      notes.push(`rules on ${CALICO_API_GROUP}/${attrs.resource} itself do not count: Calico authorizes tiered policies through ${policyResource}`);
    }
  }
  for (const result of [tierResult, exactResult, wildcardResult]) {
    for (const note of result.missingRoles) {
      const text = describeMissingRole(note);
      if (!notes.includes(text)) notes.push(text);
    }
  }
  const reason = `denied: ${prefix}: ${missing.join(' and ')}${notes.length ? `; ${notes.join('; ')}` : ''}`;
  return { allowed, tier, tierGrants, policyGrants, reason };
}

function uniqueGrants(grants: RoleGrant[]): RoleGrant[] {
  const seen = new Set<string>();
  return grants.filter((grant) => {
    const key = describeGrant(grant);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
