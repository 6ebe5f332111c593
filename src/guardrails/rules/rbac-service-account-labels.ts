/**
 * CC-RBAC-009: whoever changes service-account labels decides which serviceAccountSelectors
 * match.
 */
import { AuditContext } from '../context';
import { describeSite, policyRef, settableKeys, teamLabelGains } from '../label-trust';
import { unique } from '../manifests';
import { SERVICE_ACCOUNT_LABEL_QUESTIONS } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { clusterWide, permissionFindings } from './common';

/** The findings of CC-RBAC-009. */
export function serviceAccountLabelFindings(ctx: AuditContext): RuleFinding[] {
  // Calico: libcalico-go/lib/backend/k8s/conversion/conversion.go ServiceAccountToProfile (account labels reach selectors as pcsa.<key>)
  return permissionFindings(
    ctx,
    SERVICE_ACCOUNT_LABEL_QUESTIONS,
    'Restrict create/update/patch on serviceaccounts to named members of the team that owns the selecting policies; '
      + 'select in policies on service-account names or on label keys only the security team sets.',
    (holder) => {
      const gains = teamLabelGains(ctx, holder, 'serviceAccount');
      if (gains.length === 0) {
        return undefined;
      }
      return {
        severity: clusterWide(holder.scopes) ? Severity.HIGH : Severity.MEDIUM,
        consequence: `Service-account labels are what serviceAccountSelectors match: it can set ${unique(gains.flatMap((g) => settableKeys(g.selector, 'serviceAccount'))).map((k) => `"${k}"`).join(', ')} `
          + `on an account (or create one with them) and so let the pods that run as it pass ${unique(gains.map(describeSite)).join('; ')}.`,
        extraObjects: unique(gains.map((g) => policyRef(g.policy))),
      };
    },
  );
}

/** CC-RBAC-009. */
export const SERVICE_ACCOUNT_LABELS: AuditRule = {
  id: 'CC-RBAC-009',
  severity: Severity.HIGH,
  title: 'Changing service-account labels that team policies select on (identity spoofing)',
  description: 'create, update or patch on serviceaccounts sets the labels that serviceAccountSelectors of policies outside '
    + 'the security tiers match (CC-LBL-002 covers the security tiers), for a subject that cannot change those policies itself.',
  check: serviceAccountLabelFindings,
};
