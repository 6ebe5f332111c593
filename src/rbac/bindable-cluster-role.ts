import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkRoleName } from './checks';
import { RbacGrant } from './rbac-grant';
import { BindingObject, roleProps } from './rbac-rendering';
import { fail } from '../core/errors';
import { dropChartNamespace, generatedChildName } from '../policy/metadata';
import { TypedApiObject } from '../policy/typed-api-object';
import { describeChild } from '../policy/validation';

/**
 * Base of the cluster-wide role constructs: a `ClusterRole` with a deterministic
 * name (the construct is itself that object; `name` is its name), and at most one
 * `ClusterRoleBinding` of the same name that `bind()` creates below it and extends.
 *
 * The ClusterRole's rules are written as a reviewer reads them: one rule per API group, verb set
 * and resource names (resources, names and groups sorted, no empty `resourceNames`), granting
 * exactly what one rule per resource would.
 * ServiceAccount subjects of the binding leave out their default `apiGroup: ""`.
 */
export abstract class BindableClusterRole extends TypedApiObject {
  /** How errors name this construct. */
  protected readonly owner: string;

  private readonly grants: RbacGrant[];
  private readonly binding: BindingObject;

  protected constructor(scope: Construct, id: string, kind: string, name: string | undefined) {
    const owner = describeChild(kind, scope, id);
    const roleName = name ?? generatedChildName(scope, id);
    checkRoleName(owner, 'name', roleName);
    const grants: RbacGrant[] = [];
    super(scope, id, roleProps({ name: roleName }, grants));
    dropChartNamespace(this);
    this.owner = owner;
    this.grants = grants;
    this.binding = new BindingObject(this, 'Binding', owner, { kind: 'ClusterRole', name: roleName }, { name: roleName });
  }

  /** The ClusterRole object (escape hatch): the construct itself. */
  public get clusterRole(): ApiObject {
    return this;
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
    this.grants.push(grant);
  }

  /**
   * Binds the ClusterRole cluster-wide to subjects. The first call creates a ClusterRoleBinding
   * named like the role; later calls add subjects to it (a subject already bound is skipped).
   *
   * @param subjects users, groups or service accounts
   * @returns the ClusterRoleBinding
   */
  public bind(...subjects: kplus.ISubject[]): ApiObject {
    return this.binding.bind('bind()', subjects);
  }

  /** The ClusterRoleBinding, once `bind()` was called. */
  public get clusterRoleBinding(): ApiObject | undefined {
    return this.binding.apiObject;
  }
}
