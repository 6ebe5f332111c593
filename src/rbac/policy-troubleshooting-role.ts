import { Construct } from 'constructs';
import { ApiResourceRef } from './api-resource-ref';
import { BindableClusterRole } from './bindable-cluster-role';
import { RbacGrant } from './rbac-grant';

/** Properties of a `PolicyTroubleshootingRole`. */
export interface PolicyTroubleshootingRoleProps {
  /**
   * The ClusterRole name (also the name of its binding).
   *
   * @default - a name generated from the construct path
   */
  readonly name?: string;
}

/**
 * A read-only ClusterRole for writing and debugging network policy: `get`, `list`, `watch` on
 * pods, namespaces, services, endpoints, service accounts (core) and endpoint slices
 * (`discovery.k8s.io`) — the labels, addresses and ports that selectors and rules refer to.
 * No secrets, no logs, no exec.
 */
export class PolicyTroubleshootingRole extends BindableClusterRole {
  constructor(scope: Construct, id: string, props: PolicyTroubleshootingRoleProps = {}) {
    super(scope, id, 'PolicyTroubleshootingRole', props.name);
    this.addGrant(
      RbacGrant.of(
        ['get', 'list', 'watch'],
        ApiResourceRef.of('', 'pods'),
        ApiResourceRef.of('', 'namespaces'),
        ApiResourceRef.of('', 'services'),
        ApiResourceRef.of('', 'endpoints'),
        ApiResourceRef.of('', 'serviceaccounts'),
        ApiResourceRef.of('discovery.k8s.io', 'endpointslices'),
      ),
    );
  }
}
