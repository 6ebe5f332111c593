/**
 * CC-RBAC-005: `impersonate` acts as another user, group or service account.
 */
import { AuditContext } from '../context';
import { IMPERSONATE_QUESTIONS } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { clusterWide, permissionFindings } from './common';

/** The findings of CC-RBAC-005. */
export function impersonateFindings(ctx: AuditContext): RuleFinding[] {
  // Kubernetes: staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go WithImpersonation
  return permissionFindings(
    ctx,
    IMPERSONATE_QUESTIONS,
    'Remove impersonate; where an operator needs it, restrict it with resourceNames to named, unprivileged users or service accounts.',
    (holder) => ({
      severity: clusterWide(holder.scopes) ? Severity.CRITICAL : Severity.HIGH,
      consequence: 'It can send requests as another identity (Impersonate-User/-Group headers), so it holds the permissions '
        + 'of every identity it may impersonate: users and groups such as system:masters when cluster-wide.',
    }),
  );
}

/** CC-RBAC-005. */
export const IMPERSONATE: AuditRule = {
  id: 'CC-RBAC-005',
  severity: Severity.CRITICAL,
  title: 'Impersonating users, groups or service accounts',
  description: 'impersonate on users, groups or serviceaccounts lets a subject act as those identities.',
  check: impersonateFindings,
};
