import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { TypedApiObject } from '../policy/typed-api-object';

/** Properties of a `MemberServiceAccount`. */
export interface MemberServiceAccountProps {
  /** The service account name (the member's name). */
  readonly name: string;

  /** The namespace of the service account. */
  readonly namespace: string;
}

/**
 * The ServiceAccount of a team member: a person, not a workload, so it is declared without an
 * automounted token (`automountServiceAccountToken: false`).
 *
 * It is the `v1` ServiceAccount object itself (one construct) and an RBAC subject: bind it
 * wherever cdk8s-plus subjects are taken, e.g. `role.bind(member)` or
 * `kplus.RoleBinding.addSubjects(member)`.
 *
 * @example
 * const alice = team.addMember('alice');
 * myRole.bind(alice);
 */
export class MemberServiceAccount extends TypedApiObject implements kplus.ISubject {
  /** The service account's namespace. */
  public readonly namespaceName: string;

  /**
   * @param scope the construct scope
   * @param id the construct id
   * @param props the name and namespace
   */
  constructor(scope: Construct, id: string, props: MemberServiceAccountProps) {
    super(scope, id, {
      ...kplus.k8s.KubeServiceAccount.GVK,
      metadata: { name: props.name, namespace: props.namespace },
      automountServiceAccountToken: false,
    });
    this.namespaceName = props.namespace;
  }

  /** The RBAC subject: this ServiceAccount (kind `ServiceAccount`, API group `""`). */
  public toSubjectConfiguration(): kplus.SubjectConfiguration {
    return { apiGroup: '', kind: 'ServiceAccount', name: this.name, namespace: this.namespaceName };
  }
}
