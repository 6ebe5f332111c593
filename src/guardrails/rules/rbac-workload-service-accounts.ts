/**
 * CC-RBAC-001: whoever creates or changes pods (or their controllers) in a namespace, or execs
 * into them, runs code as any service account of that namespace, and so holds its permissions.
 */
import { AuditContext } from '../context';
import { WORKLOAD_QUESTIONS } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { gainsClusterWide, permissionFindings, targetObjects, targetsIn, targetsText } from './common';

/** The findings of CC-RBAC-001. */
export function workloadServiceAccountFindings(ctx: AuditContext): RuleFinding[] {
  return permissionFindings(
    ctx,
    WORKLOAD_QUESTIONS,
    'Keep service accounts that hold these permissions out of namespaces where others create pods: put member and '
      + 'automation accounts in a namespace where no one creates pods, bind them by name, and give pod creators no '
      + 'rights beyond their namespace.',
    (holder) => {
      // Kubernetes: plugin/pkg/admission/serviceaccount/admission.go (a pod may name any service account of its namespace)
      const targets = targetsIn(ctx, holder.subject, holder.scopes);
      if (targets.length === 0) {
        return undefined;
      }
      return {
        severity: gainsClusterWide(targets) ? Severity.CRITICAL : Severity.HIGH,
        consequence: `A pod may run as any service account of its namespace (and exec runs as the pod's), so it gains: ${targetsText(targets)}.`,
        extraObjects: targetObjects(ctx, targets),
      };
    },
  );
}

/** CC-RBAC-001. */
export const WORKLOAD_SERVICE_ACCOUNTS: AuditRule = {
  id: 'CC-RBAC-001',
  severity: Severity.CRITICAL,
  title: 'Pod creators act as the powerful service accounts of their namespace',
  description: 'Creating or changing pods or pod controllers (deployments, daemonsets, statefulsets, replicasets, jobs, '
    + 'cronjobs, replicationcontrollers), or exec into pods, in a namespace lets one run code as any service account there. '
    + 'Reported when such a service account holds policy-write or escalation permissions the subject lacks.',
  check: workloadServiceAccountFindings,
};
