import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkRoleName } from './checks';
import { RbacGrant } from './rbac-grant';
import { BindingObject, RoleObject } from './rbac-rendering';
import { SubjectSet } from './subject-set';
import { fail } from '../core/errors';
import { generatedName } from '../policy/metadata';
import { describeConstruct } from '../policy/validation';

/**
 * Base of the cluster-wide role constructs: a `ClusterRole` with a deterministic
 * name, and at most one `ClusterRoleBinding` of the same name that `bind()` creates and extends.
 *
 * The ClusterRole's rules are written as a reviewer reads them: one rule per API group, verb set
 * and resource names (resources, names and groups sorted, no empty `resourceNames`), granting
 * exactly what one rule per resource would.
 * ServiceAccount subjects of the binding leave out their default `apiGroup: ""`.
 */
export abstract class BindableClusterRole extends Construct {
  /** The ClusterRole name (and the name of its binding). */
  public readonly name: string;

  /** The ClusterRole object (escape hatch). */
  public readonly clusterRole: ApiObject;

  /** How errors name this construct. */
  protected readonly owner: string;

  private readonly roleObject: RoleObject;
  private binding?: BindingObject;
  private readonly subjects: SubjectSet;

  protected constructor(scope: Construct, id: string, kind: string, name: string | undefined) {
    super(scope, id);
    this.owner = describeConstruct(kind, this);
    this.name = name ?? generatedName(this);
    checkRoleName(this.owner, 'name', this.name);
    this.roleObject = new RoleObject(this, 'Resource', { name: this.name });
    this.clusterRole = this.roleObject.apiObject;
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
    this.roleObject.add(grant);
  }

  /**
   * Binds the ClusterRole cluster-wide to subjects. The first call creates a ClusterRoleBinding
   * named like the role; later calls add subjects to it (a subject already bound is skipped).
   *
   * @param subjects users, groups or service accounts
   * @returns the ClusterRoleBinding
   */
  public bind(...subjects: kplus.ISubject[]): ApiObject {
    const fresh = this.subjects.addAll('bind()', subjects);
    this.binding ??= new BindingObject(this, 'Binding', { kind: 'ClusterRole', name: this.name }, { name: this.name });
    this.binding.add(fresh);
    return this.binding.apiObject;
  }

  /** The ClusterRoleBinding, once `bind()` was called. */
  public get clusterRoleBinding(): ApiObject | undefined {
    return this.binding?.apiObject;
  }
}
