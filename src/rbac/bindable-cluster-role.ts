import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkRoleName } from './checks';
import { RbacGrant } from './rbac-grant';
import { compactRulesOnSynth, compactSubjectsOnSynth } from './rbac-rendering';
import { SubjectSet } from './subject-set';
import { fail } from '../core/errors';
import { dropChartNamespace, generatedName } from '../policy/metadata';
import { describeConstruct } from '../policy/validation';

/**
 * Base of the cluster-wide role constructs: a cdk8s-plus `ClusterRole` with a deterministic
 * name, and at most one `ClusterRoleBinding` of the same name that `bind()` creates and extends.
 *
 * The ClusterRole's rules are written as a reviewer reads them: one rule per API group, verb set
 * and resource names (resources, names and groups sorted, no empty `resourceNames`), granting
 * exactly what one rule per resource would, including rules added through `clusterRole`.
 * ServiceAccount subjects of the binding leave out their default `apiGroup: ""`.
 */
export abstract class BindableClusterRole extends Construct {
  /** The ClusterRole name (and the name of its binding). */
  public readonly name: string;

  /** The cdk8s-plus ClusterRole (escape hatch). */
  public readonly clusterRole: kplus.ClusterRole;

  /** How errors name this construct. */
  protected readonly owner: string;

  private binding?: kplus.ClusterRoleBinding;
  private readonly subjects: SubjectSet;

  protected constructor(scope: Construct, id: string, kind: string, name: string | undefined) {
    super(scope, id);
    this.owner = describeConstruct(kind, this);
    this.name = name ?? generatedName(this);
    checkRoleName(this.owner, 'name', this.name);
    this.clusterRole = new kplus.ClusterRole(this, 'Resource', { metadata: { name: this.name } });
    dropChartNamespace(ApiObject.of(this.clusterRole));
    compactRulesOnSynth(this.clusterRole);
    this.subjects = new SubjectSet(this.owner);
  }

  /**
   * Adds a grant to the ClusterRole.
   *
   * @param grant verbs on resources
   */
  public addGrant(grant: RbacGrant): void {
    if (!(grant instanceof RbacGrant)) {
      fail(this.owner, 'grant', `${JSON.stringify(grant)} is not an RbacGrant; build one with RbacGrant.of() or its factories`);
    }
    grant.addTo(this.clusterRole);
  }

  /**
   * Binds the ClusterRole cluster-wide to subjects. The first call creates a ClusterRoleBinding
   * named like the role; later calls add subjects to it (a subject already bound is skipped).
   *
   * @param subjects users, groups or service accounts
   * @returns the ClusterRoleBinding
   */
  public bind(...subjects: kplus.ISubject[]): kplus.ClusterRoleBinding {
    const fresh = this.subjects.addAll('bind()', subjects);
    if (this.binding === undefined) {
      this.binding = new kplus.ClusterRoleBinding(this, 'Binding', { metadata: { name: this.name }, role: this.clusterRole });
      dropChartNamespace(ApiObject.of(this.binding));
      compactSubjectsOnSynth(this.binding);
    }
    this.binding.addSubjects(...fresh);
    return this.binding;
  }

  /** The ClusterRoleBinding, once `bind()` was called. */
  public get clusterRoleBinding(): kplus.ClusterRoleBinding | undefined {
    return this.binding;
  }
}
