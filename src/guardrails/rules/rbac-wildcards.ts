/**
 * CC-RBAC-011: rules with `*` verbs or `*` resources grant whatever exists, and whatever is
 * added later.
 */
import { CALICO_GROUP, CALICO_CRD_GROUP, CORE_GROUP, NETWORKING_GROUP, RBAC_GROUP } from '../../core';
import { Question } from '../access';
import { AuditContext } from '../context';
import { TIERED_POLICY_RESOURCES } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { clusterWide, permissionFindings } from './common';

/** The Calico resources that matter, in either API group: policies, tiers and network sets. */
const CALICO_RESOURCES: readonly string[] = [...TIERED_POLICY_RESOURCES, 'tiers', 'networksets', 'globalnetworksets'];

/**
 * The probes: verb `*` on the resources that matter (only a rule listing the verb `*` matches
 * it), and resource `*` in the API groups that matter (only a rule listing the resource `*`
 * matches it).
 */
// Kubernetes: pkg/apis/rbac/v1/evaluation_helpers.go VerbMatches, ResourceMatches (the "*" wildcard)
export const WILDCARD_QUESTIONS: readonly Question[] = [
  ...[
    ...['pods', 'secrets', 'serviceaccounts', 'namespaces', 'nodes'].map((resource) => ({ apiGroup: CORE_GROUP, resource })),
    { apiGroup: 'apps', resource: 'deployments' },
    ...['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'].map((resource) => ({ apiGroup: RBAC_GROUP, resource })),
    { apiGroup: NETWORKING_GROUP, resource: 'networkpolicies' },
    ...[CALICO_GROUP, CALICO_CRD_GROUP].flatMap((apiGroup) => CALICO_RESOURCES.map((resource) => ({ apiGroup, resource }))),
  ].map((r) => ({ verb: '*', ...r })),
  ...[CORE_GROUP, 'apps', 'batch', RBAC_GROUP, NETWORKING_GROUP, CALICO_GROUP, CALICO_CRD_GROUP].map((apiGroup) => ({ verb: 'get', apiGroup, resource: '*' })),
];

/** The findings of CC-RBAC-011. */
export function wildcardFindings(ctx: AuditContext): RuleFinding[] {
  return permissionFindings(
    ctx,
    WILDCARD_QUESTIONS,
    'List verbs and resources explicitly (get, list, watch, create, update, patch, delete on named resources); '
      + 'the library\'s roles never use *.',
    (holder) => ({
      severity: clusterWide(holder.scopes) ? Severity.HIGH : Severity.MEDIUM,
      consequence: 'A * verb includes escalate, bind, impersonate and every verb added later; a * resource includes every '
        + 'subresource (pods/exec, serviceaccounts/token, nodes/proxy) and every resource added later.',
    }),
  );
}

/** CC-RBAC-011. */
export const WILDCARDS: AuditRule = {
  id: 'CC-RBAC-011',
  severity: Severity.HIGH,
  title: 'Wildcard verbs or resources',
  description: 'Rules with * in verbs or resources (on the resources and API groups that matter) grant more than intended, '
    + 'including permissions added later.',
  check: wildcardFindings,
};
