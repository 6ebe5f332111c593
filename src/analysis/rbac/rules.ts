/**
 * Matching one RBAC policy rule against one resource request, with the semantics of the
 * Kubernetes RBAC authorizer (`rbac/v1` evaluation helpers).
 */
import { PolicyRuleSpec } from './objects';

/**
 * The authorization attributes of a resource request, as the API server hands them to the
 * authorizer: `name` is the name the server knows at authorization time (see `authorizedName`).
 */
export interface ResourceAttributes {
  readonly verb: string;
  /** `''` is the core API group. */
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource?: string;
  /** Absent for cluster-scoped resources and for requests across all namespaces. */
  readonly namespace?: string;
  readonly name?: string;
}

const ALL = '*';

/**
 * The object name the API server puts in the authorization attributes. A `create` of a resource
 * (POST to the collection) and a `deletecollection` carry no name, so a rule restricted by
 * `resourceNames` never matches them; `create` of a subresource (e.g. `pods/exec`) does carry
 * the parent object's name. `list`/`watch` carry a name when they select a single object by
 * `metadata.name` field selector, which is what a request with `name` stands for.
 */
export function authorizedName(attrs: ResourceAttributes): string | undefined {
  if (attrs.verb === 'deletecollection') return undefined;
  if (attrs.verb === 'create' && !attrs.subresource) return undefined;
  return attrs.name;
}

/** Whether the rule lists the verb (or `*`). */
export function verbMatches(rule: PolicyRuleSpec, verb: string): boolean {
  return rule.verbs.includes(ALL) || rule.verbs.includes(verb);
}

/** Whether the rule lists the API group (or `*`). */
export function apiGroupMatches(rule: PolicyRuleSpec, apiGroup: string): boolean {
  return rule.apiGroups.includes(ALL) || rule.apiGroups.includes(apiGroup);
}

/**
 * Whether the rule lists the resource: `*` matches every resource and subresource; otherwise the
 * rule must name `resource` exactly (no subresource requested) or `resource/subresource`, or use
 * `*` followed by `/subresource` for that subresource of any resource. As in Kubernetes, `pods/*` is not a
 * wildcard: it only matches a subresource literally called `*`.
 */
export function resourceMatches(rule: PolicyRuleSpec, resource: string, subresource?: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const ruleResource of rule.resources) {
    if (ruleResource === ALL || ruleResource === combined) return true;
    if (subresource && ruleResource === `${ALL}/${subresource}`) return true;
  }
  return false;
}

/** Whether the rule's `resourceNames` (empty = any) admit the name. A nameless request needs an unrestricted rule. */
export function resourceNameMatches(rule: PolicyRuleSpec, name: string | undefined): boolean {
  if (rule.resourceNames.length === 0) return true;
  return name !== undefined && rule.resourceNames.includes(name);
}

/** Whether the rule grants the request. Rules for non-resource URLs never grant resource requests. */
export function ruleAllows(rule: PolicyRuleSpec, attrs: ResourceAttributes): boolean {
  if (rule.nonResourceURLs.length > 0) return false;
  return verbMatches(rule, attrs.verb)
    && apiGroupMatches(rule, attrs.apiGroup)
    && resourceMatches(rule, attrs.resource, attrs.subresource)
    && resourceNameMatches(rule, attrs.name);
}

/**
 * A human description of the requested resource: `networking.k8s.io/networkpolicies`,
 * `pods/log` (core group), with ` 'name'` appended when the request names an object.
 */
export function describeResource(attrs: ResourceAttributes): string {
  const group = attrs.apiGroup ? `${attrs.apiGroup}/` : '';
  const sub = attrs.subresource ? `/${attrs.subresource}` : '';
  const name = attrs.name !== undefined ? ` '${attrs.name}'` : '';
  return `${group}${attrs.resource}${sub}${name}`;
}

/** `verb on resource` plus the namespace when there is one, e.g. `create on networking.k8s.io/networkpolicies in namespace be`. */
export function describeRequest(attrs: ResourceAttributes): string {
  const where = attrs.namespace ? ` in namespace ${attrs.namespace}` : '';
  return `${attrs.verb} on ${describeResource(attrs)}${where}`;
}
