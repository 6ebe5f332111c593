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
 * A ClusterRole that may read service accounts and change their labels (`get`, `list`, `watch`,
 * `patch`, `update` on core `serviceaccounts`; no `create` or `delete`).
 *
 * Calico policies can select pods by the labels of their service account
 * (`serviceAccountSelector`, `serviceAccounts.selector`), so whoever may label service accounts
 * decides who passes those policies. Give this role to the security team only.
 */
export class ServiceAccountLabelerRole extends BindableClusterRole {
  constructor(scope: Construct, id: string, props: ServiceAccountLabelerRoleProps = {}) {
    super(scope, id, 'ServiceAccountLabelerRole', props.name);
    this.addGrant(RbacGrant.of(['get', 'list', 'watch', 'patch', 'update'], ApiResourceRef.of('', 'serviceaccounts')));
  }
}
