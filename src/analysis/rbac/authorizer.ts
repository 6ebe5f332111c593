/**
 * The Kubernetes RBAC authorizer over a fixed set of manifests: which role/binding pairs grant
 * a request to an identity. Deny by default, union of all grants.
 */
import { ClusterRoleAggregation, SourcedRule } from './aggregation';
import { Identity, identityKeys, subjectKey } from './identity';
import { BindingObject, PolicyRuleSpec, RbacObjects, SubjectSpec } from './objects';
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

/**
 * Evaluates Kubernetes RBAC over parsed manifests. Bindings are indexed by the subjects they
 * name, so a request only looks at the bindings that can apply to its requester.
 */
export class RbacAuthorizer {
  private readonly aggregation: ClusterRoleAggregation;
  private readonly roleRules = new Map<string, SourcedRule[]>();
  /** Every binding: ClusterRoleBindings first, then RoleBindings, each in manifest order. */
  private readonly bindings: BindingObject[];
  /** Positions in `bindings` by `subjectKey`, ascending. */
  private readonly bindingsBySubject = new Map<string, number[]>();

  constructor(private readonly objects: RbacObjects) {
    this.aggregation = new ClusterRoleAggregation(objects.clusterRoles);
    for (const role of objects.roles) {
      this.roleRules.set(roleKey(role.namespace!, role.name), role.rules.map((rule) => ({ rule, origin: role.name })));
    }
    this.bindings = [...objects.clusterRoleBindings, ...objects.roleBindings];
    this.bindings.forEach((binding, position) => {
      for (const subject of binding.subjects) {
        const key = subjectKey(subject, binding.namespace);
        if (key === undefined) continue;
        const positions = this.bindingsBySubject.get(key);
        if (positions === undefined) this.bindingsBySubject.set(key, [position]);
        else if (positions[positions.length - 1] !== position) positions.push(position);
      }
    });
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
    for (const binding of this.bindingsApplyingTo(identity)) {
      // A RoleBinding grants only in its own namespace, never cluster-wide.
      if (binding.namespace !== undefined && binding.namespace !== attrs.namespace) continue;
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

  /** Every rule of every Role and ClusterRole in the manifests (aggregated roles' own rules included). */
  public allRules(): PolicyRuleSpec[] {
    return [...this.objects.roles, ...this.objects.clusterRoles].flatMap((role) => role.rules);
  }

  /** The bindings with a subject covering the identity, ClusterRoleBindings first, in manifest order. */
  private bindingsApplyingTo(identity: Identity): BindingObject[] {
    const positions = new Set<number>();
    for (const key of identityKeys(identity)) {
      for (const position of this.bindingsBySubject.get(key) ?? []) positions.add(position);
    }
    return [...positions].sort((a, b) => a - b).map((position) => this.bindings[position]);
  }

  private rulesOf(binding: BindingObject): SourcedRule[] | undefined {
    if (binding.roleRef.kind === 'ClusterRole') return this.aggregation.rulesOf(binding.roleRef.name);
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

