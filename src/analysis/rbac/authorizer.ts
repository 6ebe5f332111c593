/**
 * The Kubernetes RBAC authorizer over a fixed set of manifests: which role/binding pairs grant
 * a request to an identity. Deny by default, union of all grants.
 */
import { effectiveClusterRoleRules, SourcedRule } from './aggregation';
import { Identity, subjectAppliesTo } from './identity';
import { BindingObject, RbacObjects, SubjectSpec } from './objects';
import { ResourceAttributes, ruleAllows } from './rules';

/** One role/binding pair that grants a request. */
export interface RoleGrant {
  /** `Role` or `ClusterRole`. */
  readonly roleKind: string;
  readonly roleName: string;
  /** `RoleBinding` or `ClusterRoleBinding`. */
  readonly bindingKind: string;
  readonly bindingName: string;
  /** Namespace of a RoleBinding (and of its Role); absent for a ClusterRoleBinding. */
  readonly bindingNamespace?: string;
  /** For an aggregated ClusterRole: the ClusterRole whose rule granted. */
  readonly aggregatedFrom?: string;
}

/** A binding that applies to the requester but references a role missing from the manifests. */
export interface MissingRoleNote {
  readonly binding: BindingObject;
}

/** The outcome of authorizing one request. */
export interface AuthorizationResult {
  readonly grants: RoleGrant[];
  readonly missingRoles: MissingRoleNote[];
}

/** A binding subject with the binding's namespace applied to namespace-less ServiceAccounts. */
export interface BoundSubject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** Evaluates Kubernetes RBAC over parsed manifests. */
export class RbacAuthorizer {
  private readonly clusterRoleRules: Map<string, SourcedRule[]>;
  private readonly roleRules = new Map<string, SourcedRule[]>();

  constructor(private readonly objects: RbacObjects) {
    this.clusterRoleRules = effectiveClusterRoleRules(objects.clusterRoles);
    for (const role of objects.roles) {
      this.roleRules.set(roleKey(role.namespace!, role.name), role.rules.map((rule) => ({ rule, origin: role.name })));
    }
  }

  /**
   * Every role/binding pair granting the request to the identity: ClusterRoleBindings first
   * (they grant cluster-wide and in every namespace), then — only when the request has a
   * namespace — the RoleBindings of that namespace. Also reports applicable bindings whose role
   * is not in the manifests (they grant nothing).
   */
  public authorize(identity: Identity, attrs: ResourceAttributes): AuthorizationResult {
    const grants: RoleGrant[] = [];
    const missingRoles: MissingRoleNote[] = [];
    const bindings = [
      ...this.objects.clusterRoleBindings,
      ...(attrs.namespace === undefined ? [] : this.objects.roleBindings.filter((b) => b.namespace === attrs.namespace)),
    ];
    for (const binding of bindings) {
      if (!binding.subjects.some((subject) => subjectAppliesTo(subject, binding.namespace, identity))) continue;
      const rules = this.rulesOf(binding);
      if (rules === undefined) {
        missingRoles.push({ binding });
        continue;
      }
      const granting = rules.find((sourced) => ruleAllows(sourced.rule, attrs));
      if (!granting) continue;
      grants.push({
        roleKind: binding.roleRef.kind,
        roleName: binding.roleRef.name,
        bindingKind: binding.kind,
        bindingName: binding.name,
        bindingNamespace: binding.namespace,
        aggregatedFrom: granting.origin !== binding.roleRef.name ? granting.origin : undefined,
      });
    }
    return { grants, missingRoles };
  }

  /** Every subject named by a binding, once each, in manifest order (ClusterRoleBindings first). */
  public boundSubjects(): BoundSubject[] {
    const result: BoundSubject[] = [];
    const seen = new Set<string>();
    for (const binding of [...this.objects.clusterRoleBindings, ...this.objects.roleBindings]) {
      for (const subject of binding.subjects) {
        const bound = normaliseSubject(subject, binding.namespace);
        const key = `${bound.kind}/${bound.namespace ?? ''}/${bound.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        result.push(bound);
      }
    }
    return result;
  }

  private rulesOf(binding: BindingObject): SourcedRule[] | undefined {
    if (binding.roleRef.kind === 'ClusterRole') return this.clusterRoleRules.get(binding.roleRef.name);
    return this.roleRules.get(roleKey(binding.namespace!, binding.roleRef.name));
  }
}

/** `ClusterRole x via ClusterRoleBinding y`, `Role x via RoleBinding ns/y`, with aggregation noted. */
export function describeGrant(grant: RoleGrant): string {
  const binding = grant.bindingNamespace ? `${grant.bindingNamespace}/${grant.bindingName}` : grant.bindingName;
  const aggregated = grant.aggregatedFrom ? ` (aggregated from ClusterRole ${grant.aggregatedFrom})` : '';
  return `${grant.roleKind} ${grant.roleName}${aggregated} via ${grant.bindingKind} ${binding}`;
}

/** Where a grant applies: `cluster-wide` or `in namespace ns`. */
export function describeGrantScope(grant: RoleGrant): string {
  return grant.bindingNamespace ? `in namespace ${grant.bindingNamespace}` : 'cluster-wide';
}

/** `RoleBinding ns/b references Role r, which is not in the manifests, so it grants nothing`. */
export function describeMissingRole(note: MissingRoleNote): string {
  const b = note.binding;
  const binding = b.namespace ? `${b.namespace}/${b.name}` : b.name;
  const role = b.roleRef.kind === 'Role' ? `Role ${b.namespace}/${b.roleRef.name}` : `ClusterRole ${b.roleRef.name}`;
  return `${b.kind} ${binding} references ${role}, which is not in the manifests, so it grants nothing`;
}

function normaliseSubject(subject: SubjectSpec, bindingNamespace: string | undefined): BoundSubject {
  if (subject.kind === 'ServiceAccount') {
    return { kind: subject.kind, name: subject.name, namespace: subject.namespace ?? bindingNamespace };
  }
  return { kind: subject.kind, name: subject.name };
}

function roleKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

