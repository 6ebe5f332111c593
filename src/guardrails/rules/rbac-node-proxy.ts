/**
 * CC-RBAC-010: `nodes/proxy` reaches the kubelet API of every node.
 */
import { AuditContext } from '../context';
import { NODE_PROXY_QUESTIONS } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { permissionFindings } from './common';

/** The findings of CC-RBAC-010. */
export function nodeProxyFindings(ctx: AuditContext): RuleFinding[] {
  // Kubernetes: pkg/kubelet/server/auth.go (kubelet API requests are authorized as nodes/proxy and friends)
  return permissionFindings(
    ctx,
    NODE_PROXY_QUESTIONS,
    'Remove nodes/proxy; monitoring needs nodes/metrics or nodes/stats, not the whole kubelet API.',
    () => ({
      severity: Severity.CRITICAL,
      consequence: 'The kubelet API (through the API server\'s node proxy, or directly on port 10250) runs commands in any '
        + 'pod of the node, bypassing admission and audit of pods/exec.',
    }),
  );
}

/** CC-RBAC-010. */
export const NODE_PROXY: AuditRule = {
  id: 'CC-RBAC-010',
  severity: Severity.CRITICAL,
  title: 'nodes/proxy (kubelet API)',
  description: 'get or create on nodes/proxy gives the kubelet API: exec in every pod of every node.',
  check: nodeProxyFindings,
};
