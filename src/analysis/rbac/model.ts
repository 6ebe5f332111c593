import { App, Chart } from 'cdk8s';
import { describeGrant, describeGrantScope, describeMissingRole, RbacAuthorizer, RoleGrant } from './authorizer';
import { authorizeTieredRequest } from './calico-tiers';
import {
  describeIdentity,
  Identity,
  identityOfGroupMember,
  identityOfUser,
  isPrivileged,
  serviceAccountUser,
  SYSTEM_MASTERS_GROUP,
} from './identity';
import { parseRbacObjects, RbacObjects } from './objects';
import { evaluatePermissions, Permission, PermissionQuery, permissionQueries, unnamedTier } from './permissions';
import { authorizedName, describeRequest, describeResource, ResourceAttributes } from './rules';
import { isClusterScopedResource, isTieredPolicyResource } from '../../core/resource-catalogue';
import { manifestsOfApp, manifestsOfChart } from '../manifests';

/**
 * A question to the RBAC model: may this user do this verb on this resource?
 */
export interface AccessRequest {
  /**
   * The user name, e.g. `alice` or `system:serviceaccount:be:be-dev-member`. Service accounts
   * are automatically in `system:serviceaccounts`, `system:serviceaccounts:<namespace>` and
   * `system:authenticated`; `system:anonymous` is in `system:unauthenticated`; every other user
   * is in `system:authenticated`.
   */
  readonly user: string;

  /**
   * Further groups of the user (from the authenticator).
   *
   * @default - only the implicit groups
   */
  readonly groups?: string[];

  /** The verb, e.g. `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`. */
  readonly verb: string;

  /** The API group; `''` is the core group. */
  readonly apiGroup: string;

  /** The resource (plural, lower case), e.g. `networkpolicies`. */
  readonly resource: string;

  /**
   * The subresource, e.g. `log` for `pods/log`.
   *
   * @default - no subresource
   */
  readonly subresource?: string;

  /**
   * The namespace of the request. A cluster-scoped resource (`namespaces`, `clusterroles`,
   * `projectcalico.org` `tiers` and `globalnetworkpolicies`, … — any the resource catalogue
   * lists as cluster-scoped) is never requested in a namespace: a namespace given for one is
   * ignored, so only ClusterRoleBindings can grant it.
   *
   * @default - a cluster-scoped resource, or all namespaces
   */
  readonly namespace?: string;

  /**
   * The object name. A `create` (of the resource itself) and a `deletecollection` are never
   * matched by rules with `resourceNames`, name or not: the API server authorizes them before the
   * name is known. For `list`/`watch` a name stands for a `metadata.name` field selector. For a
   * Calico tiered policy it is the policy's own name, which Calico checks as is (never
   * prefixed with its tier).
   *
   * @default - no name (the whole collection)
   */
  readonly name?: string;

  /**
   * The tier of a Calico tiered policy (`projectcalico.org` `networkpolicies`,
   * `globalnetworkpolicies`, `stagednetworkpolicies`, `stagedglobalnetworkpolicies`): the
   * policy's `spec.tier`. For `list`, `watch` and `deletecollection` it is the tier selector
   * (`projectcalico.org/tier` label or `spec.tier` field selector); without one Calico answers
   * with the policies of every tier the requester is authorized for, so the request is allowed
   * when there is at least one. An update that moves a policy to another tier needs both tiers:
   * ask for each.
   *
   * @default - `default` (`spec.tier` empty); for list/watch/deletecollection, no tier selector
   */
  readonly tier?: string;
}

/**
 * The model's answer to an `AccessRequest`.
 */
export interface AccessVerdict {
  /** Whether the request is allowed. */
  readonly allowed: boolean;

  /**
   * A human sentence starting with `allowed:` or `denied:` that explains the verdict,
   * naming the granting role and binding, or what is missing.
   */
  readonly reason: string;

  /**
   * Every role/binding pair that contributed, e.g.
   * `ClusterRole security-calico via ClusterRoleBinding sec-team`. For tiered Calico policies,
   * the grants of both the tier `get` and the `tier.<resource>` permission (only when allowed).
   * Empty when denied, and for members of `system:masters`, whom no binding needs to grant.
   */
  readonly grants: string[];
}

/**
 * A subject of RBAC bindings.
 */
export interface Subject {
  /** `User`, `Group` or `ServiceAccount`. */
  readonly kind: string;

  /** The user, group or service account name. */
  readonly name: string;

  /**
   * The namespace of a ServiceAccount.
   *
   * @default - none (users and groups)
   */
  readonly namespace?: string;
}

/**
 * A question to the RBAC model about a subject of RBAC bindings rather than a user name: a
 * User, a ServiceAccount (as the user it authenticates as), or a Group standing for "any member
 * of the group" (a member with no other identity than the group and the groups it implies), as
 * `RbacModel.whoCan()` decides for each subject.
 */
export interface SubjectAccessRequest {
  /** The subject: `User`, `Group` or `ServiceAccount` (with its namespace). */
  readonly subject: Subject;

  /** The verb, e.g. `create`. */
  readonly verb: string;

  /** The API group; `''` is the core group. */
  readonly apiGroup: string;

  /** The resource (plural, lower case), e.g. `pods`. */
  readonly resource: string;

  /**
   * The subresource, e.g. `token` for `serviceaccounts/token`.
   *
   * @default - no subresource
   */
  readonly subresource?: string;

  /**
   * The namespace of the request (as `AccessRequest.namespace`).
   *
   * @default - a cluster-scoped resource, or all namespaces
   */
  readonly namespace?: string;

  /**
   * The object name (as `AccessRequest.name`).
   *
   * @default - no name (the whole collection)
   */
  readonly name?: string;

  /**
   * The tier of a Calico tiered policy (as `AccessRequest.tier`).
   *
   * @default - as `AccessRequest.tier`
   */
  readonly tier?: string;
}

/** A role and the binding that granted (part of) a request. */
export interface GrantingRole {
  /** `Role` or `ClusterRole`. */
  readonly roleKind: string;

  /** The role's name. */
  readonly roleName: string;

  /** `RoleBinding` or `ClusterRoleBinding`. */
  readonly bindingKind: string;

  /** The binding's name. */
  readonly bindingName: string;

  /**
   * The namespace of a RoleBinding (and of its Role).
   *
   * @default - none: a ClusterRoleBinding
   */
  readonly bindingNamespace?: string;

  /**
   * For an aggregated ClusterRole: the ClusterRole whose rule granted.
   *
   * @default - the role itself
   */
  readonly aggregatedFrom?: string;
}

/** The model's answer to a `SubjectAccessRequest`: an `AccessVerdict` with its grants as structures. */
export interface SubjectAccessVerdict extends AccessVerdict {
  /** The role/binding pairs of `grants`, in the same order. */
  readonly grantedBy: GrantingRole[];
}

/**
 * An offline model of Kubernetes RBAC (with Calico tier authorization) built from plain
 * manifests: it answers who can change which policy without a cluster.
 *
 * It reads `rbac.authorization.k8s.io/v1` Roles, ClusterRoles (including aggregated ones),
 * RoleBindings and ClusterRoleBindings, and `v1` ServiceAccounts and Namespaces, also inside
 * lists (`List`, `ClusterRoleList`, …); other kinds are ignored. Members of `system:masters`
 * are allowed everything, as the API server allows them before RBAC runs. Otherwise only
 * roles present in the manifests count: a binding to a role that is not in them (for example
 * the built-in `cluster-admin`) grants nothing, and verdicts say so. Calico tier authorization
 * follows the Calico API server (v3.32); the tiered-RBAC admission webhook used with native
 * `projectcalico.org` CRDs differs (it does not authorize reads, and checks a create with the
 * new policy's name).
 */
export class RbacModel {
  /**
   * Builds the model from plain Kubernetes objects (as in YAML). Throws an Error naming the
   * object and field when an RBAC object is malformed.
   */
  public static fromManifests(objects: any[]): RbacModel {
    return new RbacModel(parseRbacObjects(objects));
  }

  /** Builds the model from the objects a chart synthesizes. */
  public static fromChart(chart: Chart): RbacModel {
    return RbacModel.fromManifests(manifestsOfChart(chart));
  }

  /** Builds the model from the objects every chart of an app synthesizes. */
  public static fromApp(app: App): RbacModel {
    return RbacModel.fromManifests(manifestsOfApp(app));
  }

  /** The names of the Namespaces declared in the manifests, in manifest order. */
  public readonly namespaces: string[];

  /** The ServiceAccounts declared in the manifests, in manifest order. */
  public readonly serviceAccounts: Subject[];

  private readonly authorizer: RbacAuthorizer;
  private readonly objects: RbacObjects;

  private constructor(objects: RbacObjects) {
    this.objects = objects;
    this.authorizer = new RbacAuthorizer(objects);
    this.namespaces = [...objects.namespaces];
    this.serviceAccounts = objects.serviceAccounts.map((sa) => ({ kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace }));
  }

  /**
   * Decides a request with Kubernetes RBAC semantics (deny by default, union of all grants) and,
   * for tiered Calico policy resources, Calico tier authorization.
   */
  public check(request: AccessRequest): AccessVerdict {
    const where = 'RbacModel.check';
    if (!isPlainObject(request)) {
      throw new Error(`${where}: expected an AccessRequest object, got ${describeValue(request)}`);
    }
    requireName(request.user, `${where}: user`, 'e.g. "alice" or "system:serviceaccount:be:be-dev-member"');
    if (request.groups !== undefined) {
      if (!Array.isArray(request.groups)) {
        throw new Error(`${where}: groups must be an array of group names, got ${describeValue(request.groups)}`);
      }
      request.groups.forEach((group, index) => requireName(group, `${where}: groups[${index}]`, 'e.g. "platform-team"'));
    }
    validateResourceQuestion(where, request.verb, request.apiGroup, request.resource, request.namespace, request.tier);
    if (request.subresource !== undefined) {
      requireName(request.subresource, `${where}: subresource`, 'e.g. "log" for pods/log');
      if (request.subresource.includes('/')) {
        throw new Error(`${where}: subresource "${request.subresource}" must not contain "/"`);
      }
    }
    if (request.name !== undefined) requireName(request.name, `${where}: name`, 'the object name');
    return this.decide(identityOfUser(request.user, request.groups ?? []), request);
  }

  /**
   * Every subject the manifests name: the User, Group and ServiceAccount subjects of the
   * bindings (a ServiceAccount without namespace in a RoleBinding is of the binding's namespace)
   * and the declared ServiceAccounts, once each, sorted by kind, namespace and name. These are
   * the subjects `whoCan()` considers, besides `system:masters`.
   */
  public subjects(): Subject[] {
    const result: Subject[] = [];
    const seen = new Set<string>();
    for (const subject of [...this.authorizer.boundSubjects(), ...this.serviceAccounts]) {
      const key = subjectKey(subject);
      if (seen.has(key)) continue;
      seen.add(key);
      result.push(subject.namespace === undefined
        ? { kind: subject.kind, name: subject.name }
        : { kind: subject.kind, name: subject.name, namespace: subject.namespace });
    }
    return result.sort((a, b) => subjectKey(a).localeCompare(subjectKey(b)));
  }

  /**
   * Decides a request for a subject (as `whoCan()` decides for each subject it lists), with the
   * granting roles and bindings as structures.
   *
   * @throws Error naming the field when the subject or the request is malformed
   */
  public checkSubject(request: SubjectAccessRequest): SubjectAccessVerdict {
    const where = 'RbacModel.checkSubject';
    if (!isPlainObject(request)) {
      throw new Error(`${where}: expected a SubjectAccessRequest object, got ${describeValue(request)}`);
    }
    const subject = request.subject;
    requireSubject(where, subject);
    validateResourceQuestion(where, request.verb, request.apiGroup, request.resource, request.namespace, request.tier);
    if (request.subresource !== undefined) {
      requireName(request.subresource, `${where}: subresource`, 'e.g. "token" for serviceaccounts/token');
      if (request.subresource.includes('/')) {
        throw new Error(`${where}: subresource "${request.subresource}" must not contain "/"`);
      }
    }
    if (request.name !== undefined) requireName(request.name, `${where}: name`, 'the object name');
    const { verdict, roleGrants } = this.decideWithGrants(identityOfSubject(subject), request);
    return { ...verdict, grantedBy: roleGrants.map(grantOf) };
  }

  /**
   * The subjects that can do `verb` on `resource` (the whole collection: list/watch/create):
   * the group `system:masters` (always: the API server allows its members everything), every
   * User, Group and ServiceAccount named by a binding, plus every ServiceAccount declared in the
   * manifests (which may be allowed through groups such as `system:serviceaccounts:<namespace>`).
   * A Group is listed when membership alone is enough, i.e. a member with no other identity than
   * the group (and the groups it implies, such as `system:authenticated`) is allowed. For tiered
   * Calico policy resources, tier authorization is applied for `tier`. The result is sorted by
   * kind, namespace and name.
   *
   * @param verb the verb, e.g. `create`
   * @param apiGroup the API group, `''` for core
   * @param resource the resource, e.g. `networkpolicies`
   * @param namespace the namespace; absent means cluster-scoped or all namespaces
   * @param tier the Calico tier for tiered policy resources (as `AccessRequest.tier`)
   */
  public whoCan(verb: string, apiGroup: string, resource: string, namespace?: string, tier?: string): Subject[] {
    validateResourceQuestion('RbacModel.whoCan', verb, apiGroup, resource, namespace, tier);
    const question = { verb, apiGroup, resource, namespace, tier };
    const candidates: Subject[] = [];
    const seen = new Set<string>();
    const masters: Subject = { kind: 'Group', name: SYSTEM_MASTERS_GROUP };
    for (const subject of [masters, ...this.authorizer.boundSubjects(), ...this.serviceAccounts]) {
      const key = subjectKey(subject);
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push(subject);
    }
    return candidates
      .filter((subject) => this.decide(identityOfSubject(subject), question).allowed)
      .map((subject) => subject.namespace === undefined
        ? { kind: subject.kind, name: subject.name }
        : { kind: subject.kind, name: subject.name, namespace: subject.namespace })
      .sort((a, b) => subjectKey(a).localeCompare(subjectKey(b)));
  }

  /**
   * The effective permissions of a subject (a User, a ServiceAccount as the user it
   * authenticates as, or a Group standing for any member of it, as `whoCan()` decides): every
   * question the rules of the roles its bindings reference can answer yes to, decided like
   * `check()` — each rule's verbs × resources × `resourceNames` (and no name), cluster-wide for a
   * ClusterRoleBinding and in its namespace for a RoleBinding; tiered Calico policy resources per
   * tier the rules name, built-in tier and `*` (any other tier). Wildcards are asked as themselves
   * (verb `*` is every verb). Whatever `check()` allows the subject is listed or implied by a
   * broader permission listed; broader permissions do not hide narrower ones. For
   * `system:masters`, every question of every rule. Sorted by API group, resource, tier,
   * namespace, verb.
   *
   * @param subject the subject (kind `User`, `Group` or `ServiceAccount` with its namespace)
   * @param alsoAsk further questions to decide, e.g. the permissions of the same subject in
   *   another set of manifests (their `grants` are ignored)
   * @throws Error naming the field when the subject or a question is malformed
   */
  public permissionsOf(subject: Subject, alsoAsk?: PermissionQuery[]): Permission[] {
    const where = 'RbacModel.permissionsOf';
    requireSubject(where, subject);
    if (alsoAsk !== undefined && !Array.isArray(alsoAsk)) {
      throw new Error(`${where}: alsoAsk must be an array of questions { verb, apiGroup, resource, ... }, got ${describeValue(alsoAsk)}`);
    }
    (alsoAsk ?? []).forEach((q, i) => {
      const at = `${where}: alsoAsk[${i}]`;
      if (!isPlainObject(q)) throw new Error(`${at} must be a question { verb, apiGroup, resource, ... }, got ${describeValue(q)}`);
      validateResourceQuestion(at, q.verb, q.apiGroup, q.resource, q.namespace, q.tier === '*' ? undefined : q.tier);
      if (q.subresource !== undefined) requireName(q.subresource, `${at}: subresource`, 'e.g. "log" for pods/log');
      if (q.name !== undefined) requireName(q.name, `${at}: name`, 'the object name');
    });
    const identity = identityOfSubject(subject);
    const queries = permissionQueries(this.objects, this.authorizer, identity);
    return evaluatePermissions(queries, alsoAsk ?? [], unnamedTier(this.objects, this.authorizer), (q) => this.decide(identity, q));
  }

  private decide(identity: Identity, request: ResourceQuestion): AccessVerdict {
    return this.decideWithGrants(identity, request).verdict;
  }

  private decideWithGrants(identity: Identity, request: ResourceQuestion): { verdict: AccessVerdict; roleGrants: RoleGrant[] } {
    if (isPrivileged(identity)) {
      // Kubernetes: pkg/kubeapiserver/authorizer/config.go puts the privileged-groups
      // authorizer for system:masters before RBAC (and Calico asks the same chain).
      return {
        verdict: {
          allowed: true,
          reason: `allowed: group ${SYSTEM_MASTERS_GROUP}: the API server allows every request of its members before RBAC runs`,
          grants: [],
        },
        roleGrants: [],
      };
    }
    // A cluster-scoped resource is never requested in a namespace: only cluster-wide grants count.
    const clusterScoped = isClusterScopedResource(request.apiGroup, request.resource) === true;
    const ignoredNamespace = clusterScoped && request.namespace !== undefined
      ? `; ${request.resource} is cluster-scoped, so the namespace ${request.namespace} of the request is ignored and only ClusterRoleBindings count`
      : '';
    const described: ResourceAttributes = {
      verb: request.verb,
      apiGroup: request.apiGroup,
      resource: request.resource,
      subresource: request.subresource,
      namespace: clusterScoped ? undefined : request.namespace,
      name: request.name,
    };
    if (isTieredPolicyResource(request.apiGroup, request.resource)) {
      const result = authorizeTieredRequest(this.authorizer, identity, described, request.tier);
      const roleGrants = uniqueGrants(result.grants);
      return {
        verdict: { allowed: result.allowed, reason: `${result.reason}${ignoredNamespace}`, grants: roleGrants.map(describeGrant) },
        roleGrants,
      };
    }

    const attrs: ResourceAttributes = { ...described, name: authorizedName(described) };
    const result = this.authorizer.authorize(identity, attrs);
    if (result.grants.length > 0) {
      const first = result.grants[0];
      const what = `${request.verb} on ${describeResource(described)}`;
      const roleGrants = uniqueGrants(result.grants);
      return {
        verdict: {
          allowed: true,
          reason: `allowed: ${describeGrant(first)} grants ${what} ${describeGrantScope(first)}${ignoredNamespace}`,
          grants: roleGrants.map(describeGrant),
        },
        roleGrants,
      };
    }
    const notes = unique(result.missingRoles.map(describeMissingRole));
    return {
      verdict: {
        allowed: false,
        reason: `denied: no rule grants ${describeRequest(described)} to ${describeIdentity(identity)}${notes.length ? `; ${notes.join('; ')}` : ''}${ignoredNamespace}`,
        grants: [],
      },
      roleGrants: [],
    };
  }
}

/** The parts of an AccessRequest that describe the resource (what `whoCan` asks about). */
interface ResourceQuestion {
  readonly verb: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly tier?: string;
}

function identityOfSubject(subject: Subject): Identity {
  switch (subject.kind) {
    case 'User':
      return identityOfUser(subject.name);
    case 'Group':
      return identityOfGroupMember(subject.name);
    default:
      return identityOfUser(serviceAccountUser(subject.namespace!, subject.name));
  }
}

/** Throws an Error naming the field unless `subject` is a User, Group or ServiceAccount (with namespace). */
function requireSubject(where: string, subject: any): void {
  if (!isPlainObject(subject)) {
    throw new Error(`${where}: subject must be { kind, name, namespace? }, got ${describeValue(subject)}`);
  }
  if (!['User', 'Group', 'ServiceAccount'].includes(subject.kind)) {
    throw new Error(`${where}: subject.kind must be User, Group or ServiceAccount, got ${describeValue(subject.kind)}`);
  }
  requireName(subject.name, `${where}: subject.name`, 'e.g. "alice"');
  if (subject.kind === 'ServiceAccount') {
    requireName(subject.namespace, `${where}: subject.namespace`, 'the namespace of the service account');
  }
}

function subjectKey(subject: Subject): string {
  return `${subject.kind}/${subject.namespace ?? ''}/${subject.name}`;
}

function validateResourceQuestion(
  where: string,
  verb: any,
  apiGroup: any,
  resource: any,
  namespace: any,
  tier: any,
): void {
  requireName(verb, `${where}: verb`, 'e.g. "create"');
  if (typeof apiGroup !== 'string') {
    throw new Error(`${where}: apiGroup must be a string ("" for the core group, e.g. "networking.k8s.io"), got ${describeValue(apiGroup)}`);
  }
  requireName(resource, `${where}: resource`, 'e.g. "networkpolicies"');
  if (resource.includes('/')) {
    const [res, sub] = resource.split('/', 2);
    throw new Error(`${where}: resource "${resource}" contains "/"; pass the subresource separately (resource: "${res}", subresource: "${sub}")`);
  }
  if (namespace !== undefined) requireName(namespace, `${where}: namespace`, 'omit it for cluster-scoped resources or all namespaces');
  if (tier !== undefined) {
    requireName(tier, `${where}: tier`, 'e.g. "security"');
    if (tier.includes('.')) {
      throw new Error(`${where}: tier "${tier}" must not contain "."; a tier name is a single DNS label (e.g. "security")`);
    }
  }
}

function requireName(value: any, what: string, hint: string): void {
  if (typeof value !== 'string' || value === '') {
    throw new Error(`${what} must be a non-empty string (${hint}), got ${describeValue(value)}`);
  }
}

function isPlainObject(value: any): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: any): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value}"`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** The grants with distinct descriptions, in first-seen order. */
function uniqueGrants(grants: readonly RoleGrant[]): RoleGrant[] {
  const seen = new Set<string>();
  return grants.filter((g) => {
    const text = describeGrant(g);
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
}

/** A grant as the public `GrantingRole`. */
function grantOf(g: RoleGrant): GrantingRole {
  return {
    roleKind: g.roleKind,
    roleName: g.roleName,
    bindingKind: g.bindingKind,
    bindingName: g.bindingName,
    ...(g.bindingNamespace === undefined ? {} : { bindingNamespace: g.bindingNamespace }),
    ...(g.aggregatedFrom === undefined ? {} : { aggregatedFrom: g.aggregatedFrom }),
  };
}
