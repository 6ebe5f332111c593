/**
 * The RBAC objects the role constructs create, as a reviewer reads them: plain objects (no
 * cdk8s-plus wrappers) with compact rules (see `compactPolicyRules`) and subjects without the
 * empty `apiGroup` of service accounts.
 *
 * This module is internal: it is not re-exported by the `rbac` barrel.
 */
import { ApiObject, ApiObjectProps, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { RbacGrant } from './rbac-grant';
import { compactPolicyRules } from './rule-compaction';
import { SubjectSet } from './subject-set';
import { RBAC_GROUP } from '../core/resource-catalogue';
import { dropChartNamespace } from '../policy/metadata';

/**
 * The RoleBinding or ClusterRoleBinding of a role, created at the first `bind()`: its subjects
 * are checked and kept once each (same kind, name and namespace), in order, and rendered at
 * synthesis by `renderSubjects`.
 */
export class BindingObject {
  private object?: ApiObject;
  private readonly subjects: kplus.ISubject[] = [];
  private readonly subjectSet: SubjectSet;

  /**
   * @param scope the construct scope
   * @param id the construct id
   * @param owner how errors name the owning construct
   * @param roleRef the role: a Role (namespaced binding) or a ClusterRole
   * @param metadata the binding's name, and namespace for a RoleBinding
   */
  constructor(
    private readonly scope: Construct,
    private readonly id: string,
    owner: string,
    private readonly roleRef: { readonly kind: 'Role' | 'ClusterRole'; readonly name: string },
    private readonly metadata: { readonly name: string; readonly namespace?: string },
  ) {
    this.subjectSet = new SubjectSet(owner);
  }

  /** The binding object, once `bind()` was called. */
  public get apiObject(): ApiObject | undefined {
    return this.object;
  }

  /**
   * Checks `subjects`, adds those not yet bound, and returns the binding object (created the first time).
   *
   * @param field how errors name the call, e.g. `bind()`
   * @param subjects users, groups or service accounts
   */
  public bind(field: string, subjects: kplus.ISubject[]): ApiObject {
    const fresh = this.subjectSet.addAll(field, subjects);
    this.object ??= this.createObject();
    this.subjects.push(...fresh);
    return this.object;
  }

  private createObject(): ApiObject {
    const gvk = this.metadata.namespace === undefined ? kplus.k8s.KubeClusterRoleBinding.GVK : kplus.k8s.KubeRoleBinding.GVK;
    const object = new ApiObject(this.scope, this.id, {
      ...gvk,
      metadata: { ...this.metadata },
      roleRef: { apiGroup: RBAC_GROUP, kind: this.roleRef.kind, name: this.roleRef.name },
      subjects: Lazy.any({ produce: () => renderSubjects(this.subjects) }),
    });
    if (this.metadata.namespace === undefined) {
      dropChartNamespace(object);
    }
    return object;
  }
}

/**
 * The manifest of a Role (with a namespace) or ClusterRole (without) whose rules are `grants`,
 * in compact form (see `compactPolicyRules`), rendered at synthesis from the grants added by then.
 *
 * @param metadata the role's name, and namespace for a Role
 * @param grants the grants, which the caller adds to later
 */
export function roleProps(metadata: { readonly name: string; readonly namespace?: string }, grants: readonly RbacGrant[]): ApiObjectProps {
  const gvk = metadata.namespace === undefined ? kplus.k8s.KubeClusterRole.GVK : kplus.k8s.KubeRole.GVK;
  const rules = Lazy.any({ produce: () => compactRules(grants.flatMap((grant) => grant.toPolicyRules())) });
  return { ...gvk, metadata: { ...metadata }, rules };
}

/** Compact forms already computed, by their rules (every team's Role has the same rules). */
const COMPACT_RULES = new Map<string, any[]>();
const COMPACT_RULES_LIMIT = 1000;

/** `compactPolicyRules(rules)`, computed once for each distinct list of rules. */
function compactRules(rules: any[]): any[] {
  const key = JSON.stringify(rules);
  let compact = COMPACT_RULES.get(key);
  if (compact === undefined) {
    if (COMPACT_RULES.size >= COMPACT_RULES_LIMIT) {
      COMPACT_RULES.clear();
    }
    compact = compactPolicyRules(rules);
    COMPACT_RULES.set(key, compact);
  }
  // Shared between roles: cdk8s copies what a Lazy produces when it resolves it, so no manifest holds it.
  return compact;
}

/**
 * The `subjects` entries of a binding for cdk8s-plus subjects: `apiGroup` for users and groups,
 * none for service accounts, where `""` is the default (Kubernetes: rbac/v1 Subject.apiGroup).
 *
 * @param subjects the subjects, in order
 */
export function renderSubjects(subjects: readonly kplus.ISubject[]): kplus.k8s.Subject[] {
  return subjects.map((subject) => {
    const config = subject.toSubjectConfiguration();
    const apiGroup = config.apiGroup === 'core' ? '' : config.apiGroup;
    const defaultGroup = config.kind === 'ServiceAccount' && apiGroup === '';
    return {
      ...(apiGroup === undefined || defaultGroup ? {} : { apiGroup }),
      kind: config.kind,
      name: config.name,
      ...(config.namespace === undefined ? {} : { namespace: config.namespace }),
    };
  });
}
