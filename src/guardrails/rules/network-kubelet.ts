/**
 * CC-NET-003: workloads that reach the kubelet API of the nodes.
 */
import { AuditContext } from '../context';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { reachFindings } from './reachability';

/** The kubelet's authenticated API port. */
// Kubernetes: pkg/cluster/ports/ports.go KubeletPort
const KUBELET_PORT = 10250;

/** The findings of CC-NET-003 (none without `nodeCidrs`). */
export function kubeletFindings(ctx: AuditContext): RuleFinding[] {
  const networks = ctx.options.nodeNetworks;
  if (networks.length === 0) {
    return [];
  }
  const destinations = networks.map((n) => ({ address: n.address, protocol: 'TCP', port: KUBELET_PORT }));
  return reachFindings(ctx, destinations, {
    severity: Severity.HIGH,
    what: `the kubelet port of the nodes (${networks.map((n) => `${n.address} in ${n.cidr}`).join(', ')})`,
    consequence: 'The kubelet API runs commands in the node\'s pods for anyone whose credentials it accepts, and leaks '
      + 'pod specs and metrics.',
    fix: 'Deny egress to the node CIDRs for every pod in the security tier, except the ports pods need (e.g. DNS on a '
      + 'node-local cache), before any allow of the baseline or the teams.',
  });
}

/** CC-NET-003. */
export const KUBELET: AuditRule = {
  id: 'CC-NET-003',
  severity: Severity.HIGH,
  title: 'Workloads reach the kubelet',
  description: 'Pods that reach TCP 10250 on an address of the node CIDRs (only when nodeCidrs are given), one finding per namespace.',
  check: kubeletFindings,
};
