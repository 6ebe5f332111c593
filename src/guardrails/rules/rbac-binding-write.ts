/**
 * CC-RBAC-006: writing RoleBindings or ClusterRoleBindings hands permissions to any subject.
 */
import { RBAC_GROUP } from '../../core';
import { AuditContext } from '../context';
import { BINDING_WRITE_QUESTIONS } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { clusterWide, permissionFindings } from './common';

/** The findings of CC-RBAC-006. */
export function bindingWriteFindings(ctx: AuditContext): RuleFinding[] {
  return permissionFindings(
    ctx,
    BINDING_WRITE_QUESTIONS,
    'Leave binding changes to the platform pipeline; if a team must bind roles, let it write RoleBindings in its namespace '
      + 'only, with resourceNames.',
    (holder) => {
      const clusterBindings = holder.scopes.some((s) => s.questions.some((q) => q.apiGroup === RBAC_GROUP && q.resource === 'clusterrolebindings'));
      return {
        severity: clusterBindings || clusterWide(holder.scopes) ? Severity.HIGH : Severity.MEDIUM,
        consequence: 'It can bind any role whose permissions it holds to any subject (system:authenticated included), and '
          + 'any role at all with bind; new bindings are how a foothold spreads.',
      };
    },
  );
}

/** CC-RBAC-006. */
export const BINDING_WRITE: AuditRule = {
  id: 'CC-RBAC-006',
  severity: Severity.HIGH,
  title: 'Writing role bindings',
  description: 'create, update or patch on rolebindings/clusterrolebindings hands the subject\'s permissions (or, with bind, '
    + 'any role) to other subjects.',
  check: bindingWriteFindings,
};
