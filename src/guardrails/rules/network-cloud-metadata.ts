/**
 * CC-NET-002: workloads that reach the cloud metadata service.
 */
import { AuditContext } from '../context';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { reachFindings } from './reachability';

/** The findings of CC-NET-002. */
export function cloudMetadataFindings(ctx: AuditContext): RuleFinding[] {
  const destinations = ctx.options.metadataAddresses.map((address) => ({ address, protocol: 'TCP', port: 80 }));
  return reachFindings(ctx, destinations, {
    severity: Severity.HIGH,
    what: 'the cloud metadata service',
    consequence: 'The metadata service hands out the node\'s cloud credentials and bootstrap data.',
    fix: 'Deny egress to 169.254.0.0/16 and fe80::/10 (and fd00:ec2::254/128) for every pod in the security tier, '
      + 'before any allow of the baseline or the teams.',
  });
}

/** CC-NET-002. */
export const CLOUD_METADATA: AuditRule = {
  id: 'CC-NET-002',
  severity: Severity.HIGH,
  title: 'Workloads reach the cloud metadata service',
  description: 'Pods that reach 169.254.169.254 or fd00:ec2::254 on TCP 80, one finding per namespace.',
  check: cloudMetadataFindings,
};
