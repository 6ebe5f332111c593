/**
 * CC-NET-001: workloads that reach the internet (IPv4 or IPv6).
 */
import { AuditContext } from '../context';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { reachFindings } from './reachability';

/** The findings of CC-NET-001. */
export function internetEgressFindings(ctx: AuditContext): RuleFinding[] {
  const destinations = ctx.options.internetAddresses.flatMap((address) => [443, 80].map((port) => ({ address, protocol: 'TCP', port })));
  return reachFindings(ctx, destinations, {
    severity: Severity.MEDIUM,
    what: 'the internet',
    consequence: 'A compromised pod can send data out and fetch tools.',
    fix: 'Deny egress outside the cluster networks (pod, service and node CIDRs, IPv4 and IPv6) in the security tier for '
      + 'every workload pod (BaselineGlobalPolicies with the cluster networks), and approve it only for identities tenants '
      + 'cannot set (a service account or a namespace, by name), never by a pod label.',
  });
}

/** CC-NET-001. */
export const INTERNET_EGRESS: AuditRule = {
  id: 'CC-NET-001',
  severity: Severity.MEDIUM,
  title: 'Workloads reach the internet',
  description: 'Pods that reach representative internet addresses (IPv4 and IPv6, TCP 443 and 80), one finding per namespace.',
  check: internetEgressFindings,
};
