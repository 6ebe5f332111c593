/**
 * CC-RBAC-009: whoever changes service-account labels decides which serviceAccountSelectors
 * match.
 */
import { AuditContext } from '../context';
import { SERVICE_ACCOUNT_LABEL_QUESTIONS } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { clusterWide, permissionFindings } from './common';

/** The findings of CC-RBAC-009. */
export function serviceAccountLabelFindings(ctx: AuditContext): RuleFinding[] {
  // Calico: libcalico-go/lib/backend/k8s/conversion/constants.go ServiceAccountLabelPrefix (account labels reach selectors)
  return permissionFindings(
    ctx,
    SERVICE_ACCOUNT_LABEL_QUESTIONS,
    'Restrict update/patch on serviceaccounts to the namespaces (or resourceNames) that need it, bound to named members; '
      + 'SecurityTeam canLabelServiceAccounts: false when the pipeline sets service-account labels.',
    (holder) => ({
      severity: clusterWide(holder.scopes) ? Severity.HIGH : Severity.MEDIUM,
      consequence: 'Service-account labels are what serviceAccountSelectors match (Calico exposes them as pcsa.<label>): '
        + 'relabelling an account lets its pods pass policies meant for other workloads.',
    }),
  );
}

/** CC-RBAC-009. */
export const SERVICE_ACCOUNT_LABELS: AuditRule = {
  id: 'CC-RBAC-009',
  severity: Severity.HIGH,
  title: 'Changing service-account labels (identity spoofing)',
  description: 'update or patch on serviceaccounts changes the labels that policies\' serviceAccountSelectors match.',
  check: serviceAccountLabelFindings,
};
