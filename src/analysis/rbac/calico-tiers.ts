/**
 * Calico tier authorization for the tiered policy resources of `projectcalico.org`, as the
 * Calico API server performs it (Calico: apiserver/pkg/registry/projectcalico/authorizer/
 * authorizer.go AuthorizeTierOperation).
 *
 * A request on a tiered policy is allowed only when the requester has BOTH
 * 1. `get` on `projectcalico.org` `tiers` named after the policy's tier — asked without a
 *    namespace, so only a ClusterRoleBinding can grant it; and
 * 2. the request's verb on the pseudo-resource `tier.<resource>` (e.g. `tier.networkpolicies`)
 *    in the request's namespace, asked twice: once with the request's own name, exactly as the
 *    API server has it (no name for create, deletecollection and an unfiltered list/watch) and
 *    once with `<tier>.*`; either suffices. So `resourceNames` may be empty (any policy of any
 *    tier), `<tier>.*` (every policy of the tier) or a policy name (that policy of any tier the
 *    requester may `get`; never enough for create or an unfiltered list/watch). Calico does not
 *    prefix the name with the tier: `[security.db]` does not grant policy `db` of tier security.
 *
 * The tier is the policy's `spec.tier`, `default` when empty (Calico: libcalico-go/lib/names/
 * policy.go TierOrDefault) — never taken from the name. A list, watch or deletecollection names
 * no policy: it is authorized for the tier of its `projectcalico.org/tier` label selector (or
 * `spec.tier` field selector) when it has one, and otherwise for every tier, answering with the
 * policies of the tiers the requester is authorized for and refused when there is none
 * (Calico: apiserver/pkg/registry/projectcalico/util/rbac.go EnsureTierSelector).
 *
 * Rules on the plain resource (`projectcalico.org` `networkpolicies`) play no part: Calico's
 * installation binds a pass-through ClusterRole for them to every user and decides on the
 * `tier.*` pseudo-resources. `stagedkubernetesnetworkpolicies` is not tiered in the API server
 * and follows plain RBAC, as does everything in `crd.projectcalico.org`.
 */
import { describeGrant, describeGrantScope, describeMissingRole, RbacAuthorizer, RoleGrant } from './authorizer';
import { Identity } from './identity';
import { authorizedName, describeRequest, ResourceAttributes } from './rules';
import { DEFAULT_TIER, KUBE_ADMIN_TIER, KUBE_BASELINE_TIER } from '../../core/calico';
import { CALICO_GROUP, findResource, TIER_RESOURCE_PREFIX } from '../../core/resource-catalogue';

/** The tiers that always exist (Calico: libcalico-go/lib/names/policy.go ProtectedTierNames). */
export const PROTECTED_TIERS: readonly string[] = [DEFAULT_TIER, KUBE_ADMIN_TIER, KUBE_BASELINE_TIER];

/** The verbs whose requests name no single policy and carry a tier selector (Calico: util/rbac.go EnsureTierSelector callers). */
const TIER_SELECTOR_VERBS = ['list', 'watch', 'deletecollection'];

/** The outcome of tier authorization for one request and one tier. */
export interface TierAuthorization {
  readonly allowed: boolean;
  readonly tier: string;
  /** Grants of `get` on the tier. */
  readonly tierGrants: RoleGrant[];
  /** Grants of the verb on `tier.<resource>` (the request's name or `<tier>.*`). */
  readonly policyGrants: RoleGrant[];
  /** The human reason, starting with `allowed:` or `denied:`. */
  readonly reason: string;
}

/** The outcome of tier authorization for one request, over every tier it concerns. */
export interface TieredRequestAuthorization {
  readonly allowed: boolean;
  /** The human reason, starting with `allowed:` or `denied:`. */
  readonly reason: string;
  /** Every grant that contributed (only when allowed). */
  readonly grants: RoleGrant[];
}

/** Whether the request names no policy and carries a tier selector (list, watch, deletecollection). */
export function usesTierSelector(verb: string): boolean {
  return TIER_SELECTOR_VERBS.includes(verb);
}

/**
 * Tier authorization of a request on a tiered policy resource. `tier` is the policy's
 * `spec.tier` (default `default`); for list, watch and deletecollection it is the tier selector,
 * and without one every tier is tried: the protected tiers and the tiers named by RBAC rules
 * (`tiers` resourceNames, `<tier>.*`), which are assumed to exist.
 */
export function authorizeTieredRequest(
  authorizer: RbacAuthorizer,
  identity: Identity,
  attrs: ResourceAttributes,
  tier: string | undefined,
): TieredRequestAuthorization {
  if (tier !== undefined || !usesTierSelector(attrs.verb)) {
    const result = authorizeTierOperation(authorizer, identity, attrs, tier ?? DEFAULT_TIER);
    if (result.allowed) return { allowed: true, reason: result.reason, grants: [...result.tierGrants, ...result.policyGrants] };
    const prefix = attrs.name === undefined ? -1 : attrs.name.indexOf('.');
    const hint = tier === undefined && prefix > 0
      ? `; the tier is the policy's spec.tier (${DEFAULT_TIER} when not given), not the prefix of its name: `
        + `if ${attrs.name} is in tier ${attrs.name!.slice(0, prefix)}, ask with that tier`
      : '';
    return { allowed: false, reason: `${result.reason}${hint}`, grants: [] };
  }
  // Calico: apiserver/pkg/registry/projectcalico/util/rbac.go getAuthorizedTiers
  const tiers = candidateTiers(authorizer);
  const results = tiers.map((candidate) => authorizeTierOperation(authorizer, identity, attrs, candidate));
  const allowed = results.filter((result) => result.allowed);
  const what = `${attrs.verb} without a tier selector`;
  if (allowed.length === 0) {
    const first = results[0];
    return {
      allowed: false,
      reason: `denied: ${what} needs tier authorization for at least one tier, and there is none (tried ${tiers.join(', ')}); ${first.reason.slice('denied: '.length)}`,
      grants: [],
    };
  }
  return {
    allowed: true,
    reason: `allowed: ${what} is narrowed to the tiers the requester is authorized for: ${allowed.map((result) => result.tier).join(', ')}; `
      + allowed[0].reason.slice('allowed: '.length),
    grants: allowed.flatMap((result) => [...result.tierGrants, ...result.policyGrants]),
  };
}

/**
 * Calico's `AuthorizeTierOperation` for one tier: `get` on the tier, and the verb on
 * `tier.<resource>` with the request's own name or `<tier>.*`.
 */
export function authorizeTierOperation(
  authorizer: RbacAuthorizer,
  identity: Identity,
  attrs: ResourceAttributes,
  tier: string,
): TierAuthorization {
  const tierAttrs: ResourceAttributes = { verb: 'get', apiGroup: CALICO_GROUP, resource: 'tiers', name: tier };
  const requestName = authorizedName(attrs);
  const policyResource = `${TIER_RESOURCE_PREFIX}${attrs.resource}`;
  const exactAttrs: ResourceAttributes = { ...attrs, resource: policyResource, name: requestName };
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
    const names = requestName === undefined ? `'${tier}.*'` : `'${requestName}' or '${tier}.*'`;
    const where = attrs.namespace ? ` in namespace ${attrs.namespace}` : '';
    missing.push(`missing ${attrs.verb} on ${CALICO_GROUP}/${policyResource} ${names}${where}`);
    const prefixed = `${tier}.${requestName}`;
    if (requestName !== undefined && authorizer.authorize(identity, { ...exactAttrs, name: prefixed }).grants.length > 0) {
      notes.push(`a rule grants '${prefixed}', but Calico checks the policy's own name '${requestName}', never a tier-prefixed one`);
    }
    if (authorizer.authorize(identity, { ...attrs, name: requestName }).grants.length > 0) {
      notes.push(`rules on ${CALICO_GROUP}/${attrs.resource} itself do not count: Calico authorizes tiered policies through ${policyResource}`);
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

/** `candidateTiers` of each authorizer (its manifests never change). */
const CANDIDATE_TIERS = new WeakMap<RbacAuthorizer, string[]>();

/**
 * The tiers a request without tier selector may be authorized for: the protected tiers, then
 * every other tier RBAC rules name (`tiers` resourceNames, `<tier>.*` on `tier.*` resources),
 * sorted.
 */
export function candidateTiers(authorizer: RbacAuthorizer): string[] {
  let tiers = CANDIDATE_TIERS.get(authorizer);
  if (tiers === undefined) {
    tiers = tiersNamedByRules(authorizer);
    CANDIDATE_TIERS.set(authorizer, tiers);
  }
  return [...tiers];
}

function tiersNamedByRules(authorizer: RbacAuthorizer): string[] {
  const named = new Set<string>();
  for (const rule of authorizer.allRules()) {
    for (const resource of rule.resources) {
      const tierResource = resource === 'tiers';
      const policyResource = resource.startsWith(TIER_RESOURCE_PREFIX) && findResource(CALICO_GROUP, resource) !== undefined;
      for (const name of rule.resourceNames) {
        if (tierResource) named.add(name);
        else if (policyResource && name.endsWith('.*') && name.length > 2) named.add(name.slice(0, -2));
      }
    }
  }
  for (const tier of PROTECTED_TIERS) named.delete(tier);
  return [...PROTECTED_TIERS, ...[...named].sort()];
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
