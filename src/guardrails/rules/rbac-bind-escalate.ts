/**
 * CC-RBAC-004: `bind` and `escalate` switch off Kubernetes' RBAC escalation prevention.
 */
import { AuditContext } from '../context';
import { BIND_ESCALATE_QUESTIONS } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { clusterWide, permissionFindings } from './common';

/** The findings of CC-RBAC-004. */
export function bindEscalateFindings(ctx: AuditContext): RuleFinding[] {
  // Kubernetes: pkg/registry/rbac/escalation_check.go BindingAuthorized, EscalationAllowed
  return permissionFindings(
    ctx,
    BIND_ESCALATE_QUESTIONS,
    'Remove bind and escalate on roles and clusterroles; if a delegated admin must bind roles, restrict bind with '
      + 'resourceNames to the roles it may hand out.',
    (holder) => ({
      severity: clusterWide(holder.scopes) ? Severity.CRITICAL : Severity.HIGH,
      consequence: 'bind lets it grant roles with permissions it does not hold, escalate lets it write such roles: '
        + 'with either (and write access to bindings or roles) it can give itself any permission of the scope.',
    }),
  );
}

/** CC-RBAC-004. */
export const BIND_ESCALATE: AuditRule = {
  id: 'CC-RBAC-004',
  severity: Severity.CRITICAL,
  title: 'bind or escalate on roles',
  description: 'bind and escalate on roles/clusterroles bypass the rule that one can only grant permissions one holds.',
  check: bindEscalateFindings,
};
