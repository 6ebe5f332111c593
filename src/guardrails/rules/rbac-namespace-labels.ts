/**
 * CC-RBAC-008: whoever changes namespace labels decides which namespaceSelectors match.
 */
import { CORE_GROUP } from '../../core';
import { AuditContext } from '../context';
import { describeSite, policyRef, settableKeys, teamLabelGains } from '../label-trust';
import { unique } from '../manifests';
import { ask, NAMESPACE_LABEL_QUESTIONS } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { permissionFindings } from './common';

/** The findings of CC-RBAC-008. */
export function namespaceLabelFindings(ctx: AuditContext): RuleFinding[] {
  // Calico: libcalico-go/lib/backend/k8s/conversion/conversion.go NamespaceToProfile (namespace labels reach selectors as pcns.<key>)
  const byName = ctx.access.namespaces.flatMap((name) => ask(['update', 'patch'], CORE_GROUP, ['namespaces'], { name }));
  return permissionFindings(
    ctx,
    [...NAMESPACE_LABEL_QUESTIONS, ...byName],
    'Leave namespace changes to the platform pipeline; select namespaces in policies by projectcalico.org/name (derived '
      + 'from the name, which no one can change) rather than by labels.',
    (holder) => {
      const gains = teamLabelGains(ctx, holder, 'namespace');
      if (gains.length === 0) {
        return undefined;
      }
      return {
        severity: Severity.HIGH,
        consequence: `Namespace labels are what namespaceSelectors match: it can set ${unique(gains.flatMap((g) => settableKeys(g.selector, 'namespace'))).map((k) => `"${k}"`).join(', ')} `
          + `on a namespace (or create one with them) and so move its pods into the peers of ${unique(gains.map(describeSite)).join('; ')}.`,
        extraObjects: unique(gains.map((g) => policyRef(g.policy))),
      };
    },
  );
}

/** CC-RBAC-008. */
export const NAMESPACE_LABELS: AuditRule = {
  id: 'CC-RBAC-008',
  severity: Severity.HIGH,
  title: 'Changing namespace labels that team policies select on (identity spoofing)',
  description: 'create, update or patch on namespaces sets the labels that namespaceSelectors of policies outside the '
    + 'security tiers match (CC-LBL-002 covers the security tiers), for a subject that cannot change those policies itself.',
  check: namespaceLabelFindings,
};
