import { Construct } from 'constructs';
import { ApiResourceRef } from './api-resource-ref';
import { BindableClusterRole } from './bindable-cluster-role';
import { RbacGrant } from './rbac-grant';

/** Properties of a `ServiceAccountLabelerRole`. */
export interface ServiceAccountLabelerRoleProps {
  /**
   * The ClusterRole name (also the name of its binding).
   *
   * @default - a name generated from the construct path
   */
  readonly name?: string;
}

/**
 * A ClusterRole that may read service accounts and change their labels: `get`, `list`,
 * `watch` and `patch` on core `serviceaccounts` — no `update`, `create` or `delete`, and no
 * `serviceaccounts/token` (the role cannot mint tokens).
 *
 * Calico policies can select pods by the labels of their service account
 * (`serviceAccountSelector`, `serviceAccounts.selector`), so whoever may label service accounts
 * decides who passes those policies. Give this role to the security team only.
 *
 * RBAC cannot limit `patch` to labels: a holder can also patch a service account's annotations,
 * `imagePullSecrets`, `secrets` and `automountServiceAccountToken`, in every namespace
 * (including `kube-system`). None of these grants the holder new API rights, but treat the role
 * as privileged and bind it to named people only.
 */
export class ServiceAccountLabelerRole extends BindableClusterRole {
  constructor(scope: Construct, id: string, props: ServiceAccountLabelerRoleProps = {}) {
    super(scope, id, 'ServiceAccountLabelerRole', props.name);
    // `patch` is all `kubectl label` needs; `update` would let a holder replace the whole object.
    this.addGrant(RbacGrant.of(['get', 'list', 'watch', 'patch'], ApiResourceRef.of('', 'serviceaccounts')));
  }
}
