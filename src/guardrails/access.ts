/**
 * Asking the RBAC model who holds a permission, where (cluster-wide or in which namespaces) and
 * through which role and binding.
 *
 * Internal module.
 */
import { GrantingRole, RbacModel, Subject, SubjectAccessVerdict } from '../analysis';
import { objectRef, unique } from './manifests';
import { subjectId, subjectMatches } from './subjects';

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
  /** The object name, e.g. of one namespace. */
  readonly name?: string;
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
  /** The roles and bindings of `grants`, as findings name objects (`ClusterRole x`, `RoleBinding ns/y`). */
  readonly objects: string[];
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
  const name = q.name === undefined ? '' : ` ${q.name}`;
  const tier = q.tier === undefined ? '' : ` (tier ${q.tier})`;
  return `${q.verb} ${group}${q.resource}${sub}${name}${tier}`;
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
    const key = `${q.apiGroup}|${q.resource}|${q.subresource ?? ''}|${q.name ?? ''}|${q.tier ?? ''}`;
    const entry = verbs.get(key) ?? { q, verbs: [] };
    if (!entry.verbs.includes(q.verb)) {
      entry.verbs.push(q.verb);
    }
    verbs.set(key, entry);
  }
  const groups = new Map<string, { verbs: string; q: Question; resources: string[] }>();
  for (const { q, verbs: v } of verbs.values()) {
    const key = `${v.join('/')}|${q.apiGroup}|${q.subresource ?? ''}|${q.name ?? ''}|${q.tier ?? ''}`;
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

/**
 * The objects of a grant as findings name them: `ClusterRole x`, `ClusterRoleBinding y`,
 * `Role ns/x`, `RoleBinding ns/y`, and the aggregated-from ClusterRole when there is one.
 */
export function grantObjects(grant: GrantingRole): string[] {
  const namespace = grant.bindingNamespace;
  const result = [
    grant.roleKind === 'Role' ? objectRef('Role', grant.roleName, namespace) : objectRef('ClusterRole', grant.roleName),
    objectRef(grant.bindingKind, grant.bindingName, namespace),
  ];
  if (grant.aggregatedFrom !== undefined) {
    result.push(objectRef('ClusterRole', grant.aggregatedFrom));
  }
  return result;
}

/**
 * The RBAC questions of the audit, answered by `RbacModel.whoCan()` (who) and
 * `RbacModel.checkSubject()` (through which roles and bindings), with answers cached.
 */
export class Access {
  /** Every subject the manifests name or declare (bindings' subjects and ServiceAccounts). */
  public readonly candidates: Subject[];

  private readonly cache = new Map<string, SubjectAccessVerdict>();
  private readonly whoCanCache = new Map<string, Subject[]>();
  private readonly byIdCache = new Map<string, Subject>();

  /**
   * @param rbac the model
   * @param namespaces the namespaces to ask about
   * @param excluded subject patterns never reported
   */
  constructor(
    private readonly rbac: RbacModel,
    public readonly namespaces: readonly string[],
    private readonly excluded: readonly string[],
  ) {
    this.candidates = rbac.subjects();
    for (const s of this.candidates) {
      this.byIdCache.set(subjectId(s), s);
    }
  }

  /** Whether the audit reports this subject (not a system subject or an excluded one). */
  public reportable(subject: Subject): boolean {
    return !subjectMatches(subject, this.excluded);
  }

  /** The model's verdict for a subject, a question and a scope. */
  public verdict(subject: Subject, q: Question, namespace?: string): SubjectAccessVerdict {
    const key = `${subjectId(subject)}|${questionKey(q)}|${namespace ?? ''}`;
    let verdict = this.cache.get(key);
    if (verdict === undefined) {
      verdict = this.rbac.checkSubject({
        subject,
        verb: q.verb,
        apiGroup: q.apiGroup,
        resource: q.resource,
        subresource: q.subresource,
        name: q.name,
        tier: q.tier,
        namespace,
      });
      this.cache.set(key, verdict);
    }
    return verdict;
  }

  /**
   * Where a subject holds any of the questions: cluster-wide when one is allowed there (with
   * every question allowed cluster-wide); otherwise each namespace where some are allowed.
   *
   * @param namespaces the namespaces to look at (default: all the audit knows)
   */
  public scopes(subject: Subject, questions: readonly Question[], namespaces: readonly string[] = this.namespaces): Scope[] {
    const cluster = this.scopeAt(subject, questions, undefined);
    if (cluster !== undefined) {
      return [cluster];
    }
    const result: Scope[] = [];
    for (const namespace of namespaces) {
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
    const objects: string[] = [];
    for (const q of questions) {
      const v = this.verdict(subject, q, namespace);
      if (v.allowed) {
        allowed.push(q);
        grants.push(...v.grants);
        objects.push(...v.grantedBy.flatMap(grantObjects));
      }
    }
    if (allowed.length === 0) {
      return undefined;
    }
    // A question about one object (with a name) says nothing more when the whole collection is allowed.
    const collection = new Set(allowed.filter((q) => q.name === undefined).map((q) => questionKey(q)));
    const shown = allowed.filter((q) => q.name === undefined || !collection.has(questionKey({ ...q, name: undefined })));
    const scope = { questions: shown, grants: unique(grants), objects: unique(objects) };
    return namespace === undefined ? scope : { namespace, ...scope };
  }

  /**
   * Every reportable subject that holds any of the questions somewhere (cluster-wide or in one
   * of `namespaces`), with where, sorted by subject. Subjects come from `RbacModel.whoCan()`; for
   * questions with a subresource or a name (which `whoCan` does not take) every candidate is
   * asked.
   *
   * @param namespaces the namespaces to look at (default: all the audit knows)
   */
  public holders(questions: readonly Question[], namespaces: readonly string[] = this.namespaces): Holder[] {
    const found = new Map<string, Subject>();
    for (const q of questions) {
      const subjects = q.subresource !== undefined || q.name !== undefined
        ? this.candidates
        : unique([undefined, ...namespaces].flatMap((ns) => this.whoCan(q, ns).map(subjectId))).map((id) => this.byIdCache.get(id)!);
      for (const s of subjects) {
        if (this.reportable(s)) {
          found.set(subjectId(s), s);
        }
      }
    }
    return [...found.keys()].sort()
      .map((id) => ({ subject: found.get(id)!, scopes: this.scopes(found.get(id)!, questions, namespaces) }))
      .filter((h) => h.scopes.length > 0);
  }

  private whoCan(q: Question, namespace?: string): Subject[] {
    const key = `${questionKey(q)}|${namespace ?? ''}`;
    let result = this.whoCanCache.get(key);
    if (result === undefined) {
      result = this.rbac.whoCan(q.verb, q.apiGroup, q.resource, namespace, q.tier);
      for (const s of result) {
        const id = subjectId(s);
        if (!this.byIdCache.has(id)) {
          this.byIdCache.set(id, s);
        }
      }
      this.whoCanCache.set(key, result);
    }
    return result;
  }
}

function questionKey(q: Question): string {
  return `${q.verb}|${q.apiGroup}|${q.resource}|${q.subresource ?? ''}|${q.name ?? ''}|${q.tier ?? ''}`;
}
