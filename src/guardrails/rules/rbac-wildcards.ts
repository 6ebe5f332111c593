/**
 * CC-RBAC-011: rules with `*` verbs or `*` resources grant whatever exists, and whatever is
 * added later.
 */
import { CALICO_API_GROUP, CALICO_CRD_API_GROUP } from '../../core';
import { Question } from '../access';
import { AuditContext } from '../context';
import { RBAC_API_GROUP } from '../manifests';
import { CALICO_POLICY_RESOURCES } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { clusterWide, permissionFindings } from './common';

/**
 * The probes: verb `*` on the resources that matter (only a rule listing the verb `*` matches
 * it), and resource `*` in the API groups that matter (only a rule listing the resource `*`
 * matches it).
 */
// Kubernetes: pkg/apis/rbac/v1/evaluation_helpers.go VerbMatches, ResourceMatches (the "*" wildcard)
export const WILDCARD_QUESTIONS: readonly Question[] = [
  ...[
    { apiGroup: '', resource: 'pods' },
    { apiGroup: '', resource: 'secrets' },
    { apiGroup: '', resource: 'serviceaccounts' },
    { apiGroup: '', resource: 'namespaces' },
    { apiGroup: '', resource: 'nodes' },
    { apiGroup: 'apps', resource: 'deployments' },
    { apiGroup: RBAC_API_GROUP, resource: 'roles' },
    { apiGroup: RBAC_API_GROUP, resource: 'clusterroles' },
    { apiGroup: RBAC_API_GROUP, resource: 'rolebindings' },
    { apiGroup: RBAC_API_GROUP, resource: 'clusterrolebindings' },
    { apiGroup: 'networking.k8s.io', resource: 'networkpolicies' },
    ...[CALICO_API_GROUP, CALICO_CRD_API_GROUP].flatMap((apiGroup) => CALICO_POLICY_RESOURCES.map((resource) => ({ apiGroup, resource }))),
  ].map((r) => ({ verb: '*', ...r })),
  ...['', 'apps', 'batch', RBAC_API_GROUP, 'networking.k8s.io', CALICO_API_GROUP, CALICO_CRD_API_GROUP].map((apiGroup) => ({ verb: 'get', apiGroup, resource: '*' })),
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
