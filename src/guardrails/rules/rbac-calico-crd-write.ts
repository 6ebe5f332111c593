/**
 * CC-RBAC-007: writing `crd.projectcalico.org` bypasses Calico's tier authorization and
 * validation.
 */
import { AuditContext } from '../context';
import { CRD_WRITE_QUESTIONS } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { permissionFindings } from './common';

/** The findings of CC-RBAC-007. */
export function calicoCrdWriteFindings(ctx: AuditContext): RuleFinding[] {
  // Calico: apiserver/pkg/registry/projectcalico/authorizer/authorizer.go AuthorizeTierOperation (projectcalico.org only;
  // crd.projectcalico.org objects are plain CRDs that Kubernetes RBAC alone guards)
  return permissionFindings(
    ctx,
    CRD_WRITE_QUESTIONS,
    'Grant projectcalico.org only (SecurityTeam calicoApiGroups: CalicoApiGroups.PROJECTCALICO_ORG); keep '
      + 'crd.projectcalico.org write for Calico\'s own components, or for a named calicoctl operator when the CRD group is '
      + 'explicitly asked for.',
    () => ({
      severity: Severity.HIGH,
      consequence: 'crd.projectcalico.org is Calico\'s storage API: the Calico API server\'s tier authorization and '
        + 'validation do not apply there, so it can write policies in any tier, the security tier included.',
    }),
  );
}

/** CC-RBAC-007. */
export const CALICO_CRD_WRITE: AuditRule = {
  id: 'CC-RBAC-007',
  severity: Severity.HIGH,
  title: 'Writing crd.projectcalico.org',
  description: 'Any write on crd.projectcalico.org policy resources bypasses Calico tier authorization and validation.',
  check: calicoCrdWriteFindings,
};
