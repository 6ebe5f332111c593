/**
 * CC-RBAC-002: `create serviceaccounts/token` mints a token for any service account of the scope.
 */
import { AuditContext } from '../context';
import { TOKEN_QUESTIONS } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { clusterWide, gainsClusterWide, permissionFindings, targetObjects, targetsIn, targetsText } from './common';

/** The findings of CC-RBAC-002. */
export function serviceAccountTokenFindings(ctx: AuditContext): RuleFinding[] {
  return permissionFindings(
    ctx,
    TOKEN_QUESTIONS,
    'Grant create on serviceaccounts/token only with resourceNames of the service accounts a subject may act as, in '
      + 'their namespace; members get tokens through their identity provider or kubectl create token run by an admin.',
    (holder) => {
      const targets = targetsIn(ctx, holder.subject, holder.scopes);
      const wide = clusterWide(holder.scopes);
      const severity = wide || gainsClusterWide(targets) ? Severity.CRITICAL : targets.length > 0 ? Severity.HIGH : Severity.MEDIUM;
      const gains = targets.length > 0
        ? `It can authenticate as ${targetsText(targets)}.`
        : 'It can authenticate as any service account there, present or future (none holds more than it today).';
      return { severity, consequence: gains, extraObjects: targetObjects(ctx, targets) };
    },
  );
}

/** CC-RBAC-002. */
export const SERVICE_ACCOUNT_TOKENS: AuditRule = {
  id: 'CC-RBAC-002',
  severity: Severity.CRITICAL,
  title: 'Minting service-account tokens',
  description: 'create on serviceaccounts/token issues a token for any service account of the scope: the subject acts as '
    + 'each of them.',
  check: serviceAccountTokenFindings,
};
