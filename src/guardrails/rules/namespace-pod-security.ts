/**
 * CC-NS-001: namespaces without Pod Security baseline or restricted enforcement.
 */
import { POD_SECURITY_LABEL_PREFIX, POD_SECURITY_LEVELS } from '../../core';
import { AuditContext } from '../context';
import { objectRef, objectsOfKind } from '../manifests';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';

/** The Pod Security Admission label that refuses pods, and the levels that forbid host namespaces (all but privileged). */
const ENFORCE_LABEL = `${POD_SECURITY_LABEL_PREFIX}enforce`;
// Kubernetes: staging/src/k8s.io/pod-security-admission/policy/check_hostNamespaces.go (baseline and up forbid hostNetwork)
const SAFE_LEVELS: readonly string[] = POD_SECURITY_LEVELS.slice(POD_SECURITY_LEVELS.indexOf('baseline'));

/** The findings of CC-NS-001. */
export function podSecurityFindings(ctx: AuditContext): RuleFinding[] {
  const result: RuleFinding[] = [];
  for (const ns of objectsOfKind(ctx.objects, 'Namespace', '')) {
    const name = ns.metadata?.name;
    if (typeof name !== 'string' || ctx.options.excludedNamespaces.includes(name)) {
      continue;
    }
    const level = ns.metadata?.labels?.[ENFORCE_LABEL];
    if (typeof level === 'string' && SAFE_LEVELS.includes(level)) {
      continue;
    }
    result.push({
      severity: Severity.MEDIUM,
      message: `Namespace ${name} does not enforce Pod Security baseline or restricted (${ENFORCE_LABEL} is `
        + `${level === undefined ? 'not set' : `"${level}"`}): its pods may use hostNetwork, hostPID or privileged containers, `
        + 'which bypass Calico network policy and reach the node.',
      objects: [objectRef('Namespace', name)],
      fix: `Label the namespace ${ENFORCE_LABEL}: restricted (or baseline where restricted is too strict).`,
    });
  }
  return result.sort((a, b) => a.objects[0].localeCompare(b.objects[0]));
}

/** CC-NS-001. */
export const POD_SECURITY: AuditRule = {
  id: 'CC-NS-001',
  severity: Severity.MEDIUM,
  title: 'Namespaces without Pod Security enforcement',
  description: 'Declared namespaces (outside the system namespaces) without pod-security.kubernetes.io/enforce baseline or '
    + 'restricted allow host-network and privileged pods, which network policy does not contain.',
  check: podSecurityFindings,
};
