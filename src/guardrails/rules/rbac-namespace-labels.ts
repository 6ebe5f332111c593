/**
 * CC-RBAC-008: whoever changes namespace labels decides which namespaceSelectors match.
 */
import { AuditContext } from '../context';
import { NAMESPACE_LABEL_QUESTIONS } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { permissionFindings } from './common';

/** The findings of CC-RBAC-008. */
export function namespaceLabelFindings(ctx: AuditContext): RuleFinding[] {
  // Calico: libcalico-go/lib/backend/k8s/conversion/constants.go NamespaceLabelPrefix (namespace labels reach selectors)
  return permissionFindings(
    ctx,
    NAMESPACE_LABEL_QUESTIONS,
    'Leave namespace changes to the platform pipeline; select namespaces in policies by projectcalico.org/name (set by '
      + 'Calico from the name, not by anyone\'s labels) or by labels only the security team sets.',
    () => ({
      severity: Severity.HIGH,
      consequence: 'Namespace labels are what namespaceSelectors match (Calico exposes them to selectors as pcns.<label>): '
        + 'relabelling a namespace moves all its pods into other policies\' peers, e.g. team: fe to reach the backend.',
    }),
  );
}

/** CC-RBAC-008. */
export const NAMESPACE_LABELS: AuditRule = {
  id: 'CC-RBAC-008',
  severity: Severity.HIGH,
  title: 'Changing namespace labels (identity spoofing)',
  description: 'update or patch on namespaces changes the labels that policies\' namespaceSelectors match.',
  check: namespaceLabelFindings,
};
