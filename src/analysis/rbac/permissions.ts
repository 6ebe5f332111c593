/**
 * A subject's effective permissions: the finite set of questions a set of RBAC manifests can
 * answer yes to, asked with the model's own decision (Kubernetes RBAC and Calico tier
 * authorization), so that "what may this subject do" and "what changed between two sets of
 * manifests" use exactly the semantics of `RbacModel.check()`.
 *
 * The questions come from the rules that can grant the subject something — those of the roles
 * its bindings reference: each rule's verbs × its (API group, resource[/subresource]) pairs × its
 * `resourceNames` (and no name), asked cluster-wide (every namespace) for a ClusterRoleBinding and
 * in its namespace for a RoleBinding; in any other namespace only ClusterRoleBindings apply, so
 * the answer there is the cluster-wide one. Wildcards
 * (`*`) are asked as themselves: verb `*` stands for every verb, resource `*` for every
 * resource. Calico's tiered policy resources are asked through the `tier.<resource>` rules that
 * authorize them, for every tier the rules name, the built-in tiers, and `*`: any other tier,
 * which the rules treat alike. Rules on the plain `projectcalico.org` policy resources play no
 * part (Calico authorizes tiered policies through `tier.<resource>`), and rules for non-resource
 * URLs are not asked.
 */
import { ClusterRoleAggregation } from './aggregation';
import { RbacAuthorizer } from './authorizer';
import { candidateTiers } from './calico-tiers';
import { Identity, identityKeys, isPrivileged, subjectKey } from './identity';
import { BindingObject, PolicyRuleSpec, RbacObjects } from './objects';
import {
  CALICO_GROUP, CATALOGUE, findResource, isClusterScopedResource, isTieredPolicyResource, TIER_RESOURCE_PREFIX, tieredPolicyResources,
} from '../../core/resource-catalogue';

/** The tier of a permission that holds in every tier, including tiers no rule names. */
export const ANY_TIER = '*';

const ALL = '*';

/** A question about what a subject may do (the request of `RbacModel.check()` without the user). */
export interface PermissionQuery {
  /** The verb, e.g. `create`; `*` stands for every verb (only a rule listing `*` grants it). */
  readonly verb: string;

  /** The API group, `''` for the core group; `*` for every group. */
  readonly apiGroup: string;

  /** The resource (plural), e.g. `networkpolicies`; `*` for every resource. */
  readonly resource: string;

  /**
   * The subresource, e.g. `log` for `pods/log`.
   *
   * @default - the resource itself
   */
  readonly subresource?: string;

  /**
   * The namespace.
   *
   * @default - cluster-wide: a cluster-scoped resource, or every namespace
   */
  readonly namespace?: string;

  /**
   * The object name.
   *
   * @default - any object
   */
  readonly name?: string;

  /**
   * The Calico tier of a tiered policy resource (`projectcalico.org` `networkpolicies`,
   * `globalnetworkpolicies` and their staged kinds); `*` for every tier.
   *
   * @default - not a tiered policy resource
   */
  readonly tier?: string;
}

/** Something a subject may do, with what grants it. */
export interface Permission extends PermissionQuery {
  /**
   * The role/binding pairs that grant it, e.g. `ClusterRole x via ClusterRoleBinding y`; empty
   * for the group `system:masters`, whom no binding needs to grant.
   */
  readonly grants: string[];
}

/** The answer to one permission question (what the model's decision returns). */
export interface PermissionAnswer {
  readonly allowed: boolean;
  readonly grants: string[];
}

/** The rules a subject's bindings reach, with the namespace each binding grants them in (undefined: cluster-wide). */
interface ScopedRules {
  readonly rules: readonly PolicyRuleSpec[];
  readonly namespace?: string;
}

/** What `rulesReaching` looks up in a set of manifests, built once per set (they never change). */
interface RuleIndex {
  readonly aggregation: ClusterRoleAggregation;
  /** Role rules by `namespace/name`. */
  readonly roles: Map<string, readonly PolicyRuleSpec[]>;
  /** Bindings by the `subjectKey` of each of their subjects; ClusterRoleBindings first, in manifest order. */
  readonly bindings: Map<string, BindingObject[]>;
}

const INDEXES = new WeakMap<RbacObjects, RuleIndex>();

function ruleIndex(objects: RbacObjects): RuleIndex {
  let index = INDEXES.get(objects);
  if (index === undefined) {
    const bindings = new Map<string, BindingObject[]>();
    for (const binding of [...objects.clusterRoleBindings, ...objects.roleBindings]) {
      for (const key of new Set(binding.subjects.map((subject) => subjectKey(subject, binding.namespace)))) {
        if (key === undefined) continue;
        const list = bindings.get(key);
        if (list === undefined) bindings.set(key, [binding]);
        else list.push(binding);
      }
    }
    index = {
      aggregation: new ClusterRoleAggregation(objects.clusterRoles),
      roles: new Map(objects.roles.map((role) => [`${role.namespace}/${role.name}`, role.rules])),
      bindings,
    };
    INDEXES.set(objects, index);
  }
  return index;
}

/**
 * The rules that can grant the identity something, with their scope: those of the roles of the
 * bindings that name the identity (its user or one of its groups), a RoleBinding's in its
 * namespace, a ClusterRoleBinding's cluster-wide (aggregated ClusterRoles included). For an
 * identity the API server allows everything (`system:masters`), every rule: a Role's in its
 * namespace, a ClusterRole's cluster-wide and in each namespace with a RoleBinding to a ClusterRole.
 */
function rulesReaching(objects: RbacObjects, identity: Identity): ScopedRules[] {
  const index = ruleIndex(objects);
  const clusterRules = (name: string) => (index.aggregation.rulesOf(name) ?? []).map((sourced) => sourced.rule);
  const roleRules = (namespace: string, name: string) => index.roles.get(`${namespace}/${name}`) ?? [];
  if (isPrivileged(identity)) {
    const namespaces = [...new Set(objects.roleBindings.filter((b) => b.roleRef.kind === 'ClusterRole').map((b) => b.namespace!))];
    return [
      ...objects.roles.map((role) => ({ rules: role.rules, namespace: role.namespace })),
      ...objects.clusterRoles.flatMap((role) => [undefined, ...namespaces].map((namespace) => ({ rules: clusterRules(role.name), namespace }))),
    ];
  }
  const result: ScopedRules[] = [];
  const seen = new Set<BindingObject>();
  for (const binding of identityKeys(identity).flatMap((key) => index.bindings.get(key) ?? [])) {
    if (seen.has(binding)) continue;
    seen.add(binding);
    const rules = binding.roleRef.kind === 'ClusterRole' ? clusterRules(binding.roleRef.name) : roleRules(binding.namespace!, binding.roleRef.name);
    result.push({ rules, namespace: binding.namespace });
  }
  return result;
}

/**
 * The questions the rules reaching an identity can answer yes to (see the module
 * documentation and `rulesReaching`), without duplicates, sorted. Any question the model allows
 * the identity is one of them or implied by one of them (see {@link impliesPermission}).
 */
export function permissionQueries(objects: RbacObjects, authorizer: RbacAuthorizer, identity: Identity): PermissionQuery[] {
  const tiers = [...tiersNamed(objects, authorizer), ANY_TIER];
  const found = new Map<string, PermissionQuery>();
  const add = (query: PermissionQuery) => {
    const key = permissionKey(query);
    if (!found.has(key)) found.set(key, query);
  };
  for (const { rules, namespace: scope } of rulesReaching(objects, identity)) {
    for (const rule of rules) {
      if (rule.resources.length === 0) continue;
      for (const verb of rule.verbs) {
        for (const apiGroup of rule.apiGroups) {
          for (const text of rule.resources) {
            for (const tiered of tieredResourcesAuthorizedBy(apiGroup, text)) {
              // Calico: apiserver/pkg/registry/projectcalico/authorizer/authorizer.go AuthorizeTierOperation
              const namespace = findResource(CALICO_GROUP, tiered)!.namespaced ? scope : undefined;
              const names = [undefined, ...rule.resourceNames.filter((n) => !n.endsWith('.*'))];
              for (const tier of tiers) {
                for (const name of namesAsked(verb, undefined, names)) {
                  add(question(verb, CALICO_GROUP, tiered, undefined, namespace, name, tier));
                }
              }
            }
            const slash = text.indexOf('/');
            const resource = slash < 0 ? text : text.slice(0, slash);
            const subresource = slash < 0 ? undefined : text.slice(slash + 1);
            if (!isPlainQuestion(apiGroup, resource)) continue;
            const namespace = isClusterScopedResource(apiGroup, resource) === true ? undefined : scope;
            for (const name of namesAsked(verb, subresource, [undefined, ...rule.resourceNames])) {
              add(question(verb, apiGroup, resource, subresource, namespace, name, undefined));
            }
          }
        }
      }
    }
  }
  return [...found.values()].sort(comparePermissions);
}

/**
 * Asks each question (the model's own ones and `extra`, without duplicates) with `decide` and
 * returns the allowed ones with their grants, sorted. A query of tier `*` is asked for a tier no
 * rule names (`otherTier`, see {@link unnamedTier}).
 */
export function evaluatePermissions(
  queries: readonly PermissionQuery[],
  extra: readonly PermissionQuery[],
  otherTier: string,
  decide: (query: PermissionQuery) => PermissionAnswer,
): Permission[] {
  const seen = new Set<string>();
  const result: Permission[] = [];
  for (const raw of [...queries, ...extra]) {
    const q = question(raw.verb, raw.apiGroup, raw.resource, raw.subresource, raw.namespace, raw.name, raw.tier);
    const key = permissionKey(q);
    if (seen.has(key)) continue;
    seen.add(key);
    const answer = decide(q.tier === ANY_TIER ? { ...q, tier: otherTier } : q);
    if (answer.allowed) result.push({ ...q, grants: answer.grants });
  }
  return result.sort(comparePermissions);
}

/**
 * The tiers worth asking about: the built-in tiers and every name a Calico rule could mean as a
 * tier — `tiers` resourceNames, `<tier>.*` names, also under resource `*` (which covers `tiers`
 * and the `tier.<resource>` pseudo-resources). Any other tier is treated alike by every rule.
 */
export function tiersNamed(objects: RbacObjects, authorizer: RbacAuthorizer): string[] {
  let tiers = TIERS_NAMED.get(objects);
  if (tiers === undefined) {
    const named = new Set(candidateTiers(authorizer));
    for (const rule of [...objects.clusterRoles, ...objects.roles].flatMap((r) => r.rules)) {
      if (!rule.apiGroups.some((g) => g === CALICO_GROUP || g === ALL)) continue;
      for (const name of rule.resourceNames) {
        const tier = name.endsWith('.*') ? name.slice(0, -2) : name;
        if (tier !== '' && !tier.includes('.')) named.add(tier);
      }
    }
    tiers = [...named];
    TIERS_NAMED.set(objects, tiers);
  }
  return [...tiers];
}

/** `tiersNamed` of each set of manifests. */
const TIERS_NAMED = new WeakMap<RbacObjects, string[]>();

/** A tier name no rule names (see {@link tiersNamed}): the tiers it stands for are all treated alike. */
export function unnamedTier(objects: RbacObjects, authorizer: RbacAuthorizer): string {
  const named = new Set(tiersNamed(objects, authorizer));
  let name = 'any-other-tier';
  for (let i = 2; named.has(name); i++) name = `any-other-tier-${i}`;
  return name;
}

/** The identity of a question: equal keys are the same question. */
export function permissionKey(q: PermissionQuery): string {
  return [q.verb, q.apiGroup, q.resource, q.subresource ?? '', q.namespace ?? '', q.name ?? '', q.tier ?? ''].map((part) => JSON.stringify(part)).join(' ');
}

/** Orders permissions by API group, resource, subresource, tier, namespace, verb and name (cluster-wide and unnamed first). */
export function comparePermissions(a: PermissionQuery, b: PermissionQuery): number {
  const fields: ((q: PermissionQuery) => string)[] = [
    (q) => q.apiGroup, (q) => q.resource, (q) => q.subresource ?? '', (q) => q.tier ?? '', (q) => q.namespace ?? '', (q) => q.verb, (q) => q.name ?? '',
  ];
  for (const field of fields) {
    const x = field(a);
    const y = field(b);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Whether `broader` being allowed implies `q` is: each of its parts is the same or wider (verb,
 * group or resource `*`; no subresource under resource `*`; no namespace; no name; tier `*`).
 * A question implies itself.
 */
export function impliesPermission(broader: PermissionQuery, q: PermissionQuery): boolean {
  const wider = (b: string | undefined, x: string | undefined, widest: string | undefined) => b === x || b === widest;
  const resourceCovers = broader.resource === ALL && broader.subresource === undefined
    ? true
    : wider(broader.resource, q.resource, ALL) && broader.subresource === q.subresource;
  return wider(broader.verb, q.verb, ALL)
    && wider(broader.apiGroup, q.apiGroup, ALL)
    && resourceCovers
    && wider(broader.namespace, q.namespace, undefined)
    && wider(broader.name, q.name, undefined)
    && wider(broader.tier, q.tier, ANY_TIER);
}

/**
 * The permissions of a list that no other permission of the list implies (see
 * {@link impliesPermission}): what a reader needs to see.
 */
export function broadestPermissions<P extends PermissionQuery>(permissions: readonly P[]): P[] {
  return permissions.filter((p) => !permissions.some((other) => other !== p
    && permissionKey(other) !== permissionKey(p) && impliesPermission(other, p)));
}

/**
 * A permission in words, e.g. `create projectcalico.org/networkpolicies in tier security in
 * namespace be`, `get pods/log 'api-0' in namespace be`, `list example.com/widgets cluster-wide`
 * (a resource of unknown scope).
 */
export function describePermission(p: PermissionQuery): string {
  return `${p.verb === ALL ? '* (every verb)' : p.verb} ${describePermissionTarget(p)}`;
}

/** What a permission is on, without its verb: `projectcalico.org/networkpolicies in tier security in namespace be`. */
export function describePermissionTarget(p: PermissionQuery): string {
  const group = p.apiGroup === '' ? '' : `${p.apiGroup}/`;
  const resource = `${group}${p.resource}${p.subresource === undefined ? '' : `/${p.subresource}`}`;
  const name = p.name === undefined ? '' : ` '${p.name}'`;
  const tier = p.tier === undefined ? '' : p.tier === ANY_TIER ? ' in every tier' : ` in tier ${p.tier}`;
  let where = '';
  if (p.namespace !== undefined) {
    where = ` in namespace ${p.namespace}`;
  } else {
    const clusterScoped = isClusterScopedResource(p.apiGroup, p.resource);
    where = clusterScoped === true ? '' : clusterScoped === false ? ' in every namespace' : ' cluster-wide';
  }
  return `${resource}${name}${tier}${where}`;
}

/** A question with its absent parts left out (so that equal questions are equal objects). */
function question(
  verb: string, apiGroup: string, resource: string, subresource: string | undefined,
  namespace: string | undefined, name: string | undefined, tier: string | undefined,
): PermissionQuery {
  return {
    verb,
    apiGroup,
    resource,
    ...(subresource === undefined ? {} : { subresource }),
    ...(namespace === undefined ? {} : { namespace }),
    ...(name === undefined ? {} : { name }),
    ...(tier === undefined ? {} : { tier }),
  };
}

/**
 * The names worth asking with a verb: a create of the resource itself and a deletecollection
 * carry no name at authorization time, so only the unnamed question.
 */
function namesAsked(verb: string, subresource: string | undefined, names: readonly (string | undefined)[]): (string | undefined)[] {
  if (verb === 'deletecollection' || (verb === 'create' && subresource === undefined)) return [undefined];
  return [...new Set(names)];
}

/**
 * The tiered policy resources a rule entry `(apiGroup, resource)` authorizes: `tier.<resource>`
 * of `projectcalico.org` (or `*`), and every one of them for resource `*`.
 */
function tieredResourcesAuthorizedBy(apiGroup: string, resource: string): string[] {
  if (apiGroup !== CALICO_GROUP && apiGroup !== ALL) return [];
  if (resource === ALL) return tieredPolicyResources().map((entry) => entry.resource);
  if (!resource.startsWith(TIER_RESOURCE_PREFIX)) return [];
  const base = resource.slice(TIER_RESOURCE_PREFIX.length);
  return isTieredPolicyResource(CALICO_GROUP, base) ? [base] : [];
}

/**
 * Whether `(apiGroup, resource)` is asked as a plain question: not a `tier.` pseudo-resource nor
 * a tiered policy resource (both are asked per tier), and not a resource the catalogue knows
 * only in other groups (`apps` `pods` from a rule listing both groups and both resources).
 */
function isPlainQuestion(apiGroup: string, resource: string): boolean {
  if (resource.startsWith(TIER_RESOURCE_PREFIX) && (apiGroup === CALICO_GROUP || apiGroup === ALL)) return false;
  if (isTieredPolicyResource(apiGroup, resource)) return false;
  if (apiGroup === ALL || resource === ALL) return true;
  return findResource(apiGroup, resource) !== undefined || !CATALOGUE.some((entry) => entry.resource === resource);
}
