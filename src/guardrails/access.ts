/**
 * Asking the RBAC model who holds a permission, where (cluster-wide or in which namespaces) and
 * through which role and binding.
 *
 * Internal module.
 */
import { AccessRequest, AccessVerdict, RbacModel, Subject } from '../analysis';
import { bindingSubjects, objectRef, unique } from './manifests';
import { SERVICE_ACCOUNT_USER_PREFIX, SERVICE_ACCOUNTS_GROUP_PREFIX, subjectId, subjectMatches } from './subjects';

/** A permission to ask about (no namespace: the scope is chosen when asking). */
export interface Question {
  /** The verb, e.g. `create`; `*` asks for a rule with all verbs. */
  readonly verb: string;
  /** The API group, `''` for core. */
  readonly apiGroup: string;
  /** The resource; `*` asks for a rule with all resources. */
  readonly resource: string;
  /** The subresource, e.g. `token`. */
  readonly subresource?: string;
  /** The Calico tier of a tiered policy resource. */
  readonly tier?: string;
}

/** Where a subject holds a permission: cluster-wide (no namespace) or in one namespace. */
export interface Scope {
  /** The namespace; absent means cluster-wide (every namespace, and cluster-scoped objects). */
  readonly namespace?: string;
  /** The questions allowed there, e.g. `create pods/exec`. */
  readonly questions: Question[];
  /** The role/binding pairs that grant them, as the model describes them. */
  readonly grants: string[];
}

/** A subject and where it holds a set of permissions. */
export interface Holder {
  readonly subject: Subject;
  readonly scopes: Scope[];
}

/** `create pods/exec`, `create projectcalico.org/globalnetworkpolicies (tier security)`. */
export function describeQuestion(q: Question): string {
  const group = q.apiGroup === '' ? '' : `${q.apiGroup}/`;
  const sub = q.subresource === undefined ? '' : `/${q.subresource}`;
  const tier = q.tier === undefined ? '' : ` (tier ${q.tier})`;
  return `${q.verb} ${group}${q.resource}${sub}${tier}`;
}

/** `cluster-wide` or `in namespace ns`. */
export function describeScope(scope: { readonly namespace?: string }): string {
  return scope.namespace === undefined ? 'cluster-wide' : `in namespace ${scope.namespace}`;
}

/**
 * `create/patch pods, create apps/{deployments,statefulsets}`: the verbs of each resource, and
 * resources with the same verbs together, in first-seen order.
 */
export function describeQuestions(questions: readonly Question[]): string {
  const verbs = new Map<string, { q: Question; verbs: string[] }>();
  for (const q of questions) {
    const key = `${q.apiGroup}|${q.resource}|${q.subresource ?? ''}|${q.tier ?? ''}`;
    const entry = verbs.get(key) ?? { q, verbs: [] };
    if (!entry.verbs.includes(q.verb)) {
      entry.verbs.push(q.verb);
    }
    verbs.set(key, entry);
  }
  const groups = new Map<string, { verbs: string; q: Question; resources: string[] }>();
  for (const { q, verbs: v } of verbs.values()) {
    const key = `${v.join('/')}|${q.apiGroup}|${q.subresource ?? ''}|${q.tier ?? ''}`;
    const entry = groups.get(key) ?? { verbs: v.join('/'), q, resources: [] };
    entry.resources.push(q.resource);
    groups.set(key, entry);
  }
  return [...groups.values()].map(({ verbs: v, q, resources }) => {
    const resource = resources.length === 1 ? resources[0] : `{${resources.join(',')}}`;
    return describeQuestion({ ...q, verb: v, resource });
  }).join(', ');
}

/** `create pods cluster-wide (ClusterRole x via ClusterRoleBinding y)`. */
export function describeChain(scope: Scope): string {
  return `${describeQuestions(scope.questions)} ${describeScope(scope)} (${scope.grants.join('; ')})`;
}

const GRANT = /^(Role|ClusterRole) (\S+)(?: \(aggregated from ClusterRole (\S+)\))? via (RoleBinding|ClusterRoleBinding) (\S+)$/;

/**
 * The objects of a grant as the model describes it (`ClusterRole x via ClusterRoleBinding y`,
 * `Role x via RoleBinding ns/y`, optionally `(aggregated from ClusterRole z)`), as findings name
 * them: `ClusterRole x`, `ClusterRoleBinding y`, `Role ns/x`, `RoleBinding ns/y`.
 *
 * Stopgap: `AccessVerdict.grants` is text only; a structured grant (role kind and name, binding
 * kind, namespace and name, aggregated-from) would make this parse unnecessary.
 */
export function grantObjects(grant: string): string[] {
  const m = GRANT.exec(grant);
  if (m === null) {
    return [];
  }
  const [, roleKind, roleName, aggregatedFrom, bindingKind, binding] = m;
  const slash = binding.indexOf('/');
  const namespace = bindingKind === 'RoleBinding' && slash > 0 ? binding.slice(0, slash) : undefined;
  const bindingName = namespace === undefined ? binding : binding.slice(slash + 1);
  const result = [
    roleKind === 'Role' ? objectRef('Role', roleName, namespace) : objectRef('ClusterRole', roleName),
    objectRef(bindingKind, bindingName, namespace),
  ];
  if (aggregatedFrom !== undefined) {
    result.push(objectRef('ClusterRole', aggregatedFrom));
  }
  return result;
}

/**
 * The RBAC questions of the audit, answered by `RbacModel.whoCan()` (who) and
 * `RbacModel.check()` (through which grants), with answers cached.
 */
export class Access {
  /** Every subject the manifests name or declare (bindings' subjects and ServiceAccounts). */
  public readonly candidates: Subject[];

  private readonly cache = new Map<string, AccessVerdict>();
  private readonly whoCanCache = new Map<string, Subject[]>();
  private readonly known = new Map<string, Subject>();
  private readonly userNames: Set<string>;

  /**
   * @param rbac the model
   * @param objects the manifests (for the subjects of bindings)
   * @param namespaces the namespaces to ask about
   * @param excluded subject patterns never reported
   */
  constructor(
    private readonly rbac: RbacModel,
    objects: readonly any[],
    public readonly namespaces: readonly string[],
    private readonly excluded: readonly string[],
  ) {
    const seen = new Set<string>();
    this.candidates = [];
    for (const subject of [...bindingSubjects(objects), ...rbac.serviceAccounts]) {
      const id = subjectId(subject);
      if (!seen.has(id)) {
        seen.add(id);
        this.candidates.push(subject);
      }
    }
    this.userNames = new Set(this.candidates.filter((s) => s.kind === 'User').map((s) => s.name));
  }

  /** Whether the audit reports this subject (not a system subject or an excluded one). */
  public reportable(subject: Subject): boolean {
    return !subjectMatches(subject, this.excluded);
  }

  /** The model's verdict for a subject, a question and a scope. */
  public verdict(subject: Subject, q: Question, namespace?: string): AccessVerdict {
    const key = `${subjectId(subject)}|${q.verb}|${q.apiGroup}|${q.resource}|${q.subresource ?? ''}|${q.tier ?? ''}|${namespace ?? ''}`;
    let verdict = this.cache.get(key);
    if (verdict === undefined) {
      verdict = this.rbac.check(this.request(subject, q, namespace));
      this.cache.set(key, verdict);
    }
    return verdict;
  }

  /**
   * Where a subject holds any of the questions: cluster-wide when one is allowed there (with
   * every question allowed cluster-wide); otherwise each namespace where some are allowed.
   */
  public scopes(subject: Subject, questions: readonly Question[]): Scope[] {
    const cluster = this.scopeAt(subject, questions, undefined);
    if (cluster !== undefined) {
      return [cluster];
    }
    const result: Scope[] = [];
    for (const namespace of this.namespaces) {
      const scope = this.scopeAt(subject, questions, namespace);
      if (scope !== undefined) {
        result.push(scope);
      }
    }
    return result;
  }

  private scopeAt(subject: Subject, questions: readonly Question[], namespace: string | undefined): Scope | undefined {
    const allowed: Question[] = [];
    const grants: string[] = [];
    for (const q of questions) {
      const v = this.verdict(subject, q, namespace);
      if (v.allowed) {
        allowed.push(q);
        grants.push(...v.grants);
      }
    }
    if (allowed.length === 0) {
      return undefined;
    }
    return namespace === undefined ? { questions: allowed, grants: unique(grants) } : { namespace, questions: allowed, grants: unique(grants) };
  }

  /**
   * Every reportable subject that holds any of the questions somewhere, with where, sorted by
   * subject. Subjects come from `RbacModel.whoCan()`; for questions with a subresource (which
   * `whoCan` does not take) every candidate is asked.
   */
  public holders(questions: readonly Question[]): Holder[] {
    const found = new Map<string, Subject>();
    for (const q of questions) {
      const subjects = q.subresource !== undefined
        ? this.candidates
        : unique([undefined, ...this.namespaces].flatMap((ns) => this.whoCan(q, ns).map(subjectId)))
          .map((id) => this.byId(id));
      for (const s of subjects) {
        if (s !== undefined && this.reportable(s)) {
          found.set(subjectId(s), s);
        }
      }
    }
    return [...found.keys()].sort().map((id) => ({ subject: found.get(id)!, scopes: this.scopes(found.get(id)!, questions) }))
      .filter((h) => h.scopes.length > 0);
  }

  private whoCan(q: Question, namespace?: string): Subject[] {
    const key = `${q.verb}|${q.apiGroup}|${q.resource}|${q.tier ?? ''}|${namespace ?? ''}`;
    let result = this.whoCanCache.get(key);
    if (result === undefined) {
      result = this.rbac.whoCan(q.verb, q.apiGroup, q.resource, namespace, q.tier);
      for (const s of result) {
        this.remember(s);
      }
      this.whoCanCache.set(key, result);
    }
    return result;
  }

  private remember(subject: Subject): void {
    const id = subjectId(subject);
    if (!this.known.has(id)) {
      this.known.set(id, subject);
    }
  }

  private byId(id: string): Subject | undefined {
    return this.known.get(id) ?? this.candidates.find((s) => subjectId(s) === id);
  }

  private request(subject: Subject, q: Question, namespace?: string): AccessRequest {
    const question = {
      verb: q.verb,
      apiGroup: q.apiGroup,
      resource: q.resource,
      subresource: q.subresource,
      tier: q.tier,
      namespace,
    };
    switch (subject.kind) {
      case 'User':
        return { ...question, user: subject.name };
      case 'ServiceAccount':
        return { ...question, user: `${SERVICE_ACCOUNT_USER_PREFIX}${subject.namespace}:${subject.name}` };
      default:
        return { ...question, user: this.memberOf(subject.name), groups: this.groupsOfMember(subject.name) };
    }
  }

  /**
   * A user name that stands for "any member of the group": bound nowhere by name, so that only
   * the group (and the groups every member is in) grants anything, as `RbacModel.whoCan()`
   * decides for a Group.
   */
  private memberOf(group: string): string {
    if (group === 'system:unauthenticated') {
      return 'system:anonymous';
    }
    let name = `guardrails:any-member-of:${group}`;
    while (this.userNames.has(name)) {
      name = `${name}:`;
    }
    return name;
  }

  private groupsOfMember(group: string): string[] {
    // Kubernetes: staging/src/k8s.io/apiserver/pkg/authentication/serviceaccount/util.go MakeGroupNames
    return group.startsWith(SERVICE_ACCOUNTS_GROUP_PREFIX) ? [group, 'system:serviceaccounts'] : [group];
  }
}
