/**
 * CC-NET-004: host-networked workloads, which Calico's workload policies do not cover.
 */
import { AuditContext } from '../context';
import { objectRef } from '../manifests';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';

/** The findings of CC-NET-004, one per namespace. */
export function hostNetworkFindings(ctx: AuditContext): RuleFinding[] {
  // Calico: libcalico-go/lib/backend/k8s/conversion/conversion.go IsValidCalicoWorkloadEndpoint (no endpoint, no policy)
  const byNamespace = new Map<string, string[]>();
  for (const e of ctx.workloadEndpoints()) {
    if (e.hostNetwork) {
      byNamespace.set(e.namespace!, [...(byNamespace.get(e.namespace!) ?? []), objectRef(e.kind, e.name, e.namespace)]);
    }
  }
  return [...byNamespace.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([namespace, refs]) => ({
    severity: Severity.HIGH,
    message: `In namespace ${namespace}, ${refs.join(', ')} use${refs.length === 1 ? 's' : ''} the host network: no Calico `
      + 'network policy applies to them, they reach whatever the node reaches (kubelet, metadata, internet) and share the '
      + 'node\'s addresses, so other pods\' policies cannot tell them apart from the node.',
    objects: refs,
    fix: 'Enforce Pod Security baseline or restricted on the namespace (pod-security.kubernetes.io/enforce), which forbids '
      + 'hostNetwork; run host-network components in system namespaces only.',
  }));
}

/** CC-NET-004. */
export const HOST_NETWORK: AuditRule = {
  id: 'CC-NET-004',
  severity: Severity.HIGH,
  title: 'Host-network workloads bypass network policy',
  description: 'Pods and workloads with hostNetwork: true outside the system namespaces, one finding per namespace.',
  check: hostNetworkFindings,
};
