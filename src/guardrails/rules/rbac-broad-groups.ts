/**
 * CC-RBAC-012: policy-write permissions bound to a group that contains every service account of
 * a namespace (or every user), instead of named members.
 */
import { AuditContext } from '../context';
import { unique } from '../manifests';
import { isPolicyPower } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { BROAD_GROUPS, describeSubject, serviceAccountsGroupNamespace, subjectId } from '../subjects';
import { objectsOf, powersText } from './common';

/** What a group contains, for the message. */
function members(group: string): string {
  const ns = serviceAccountsGroupNamespace(group);
  if (ns !== undefined) {
    return `every service account of namespace ${ns}, present and future: default, and any that a pod creator or controller there runs as or creates`;
  }
  switch (group) {
    case 'system:authenticated':
      return 'every authenticated user and service account of the cluster';
    case 'system:unauthenticated':
      return 'every anonymous request';
    default:
      return 'every service account of the cluster';
  }
}

/** The findings of CC-RBAC-012. */
export function broadGroupFindings(ctx: AuditContext): RuleFinding[] {
  // Kubernetes: staging/src/k8s.io/apiserver/pkg/authentication/serviceaccount/util.go MakeGroupNames
  const groups = ctx.access.candidates
    .filter((s) => s.kind === 'Group' && (BROAD_GROUPS.includes(s.name) || serviceAccountsGroupNamespace(s.name) !== undefined))
    .filter((s) => ctx.access.reportable(s))
    .sort((a, b) => subjectId(a).localeCompare(subjectId(b)));
  const result: RuleFinding[] = [];
  for (const group of groups) {
    const powers = ctx.powersOf(group).filter((h) => isPolicyPower(h.power));
    if (powers.length === 0) {
      continue;
    }
    result.push({
      severity: BROAD_GROUPS.includes(group.name) ? Severity.CRITICAL : Severity.HIGH,
      subject: subjectId(group),
      message: `${describeSubject(group)} (${members(group.name)}) can ${powersText(powers)}.`,
      objects: unique(objectsOf(ctx, group, powers.flatMap((h) => h.scopes))),
      fix: 'Bind members by name (MemberBinding.MEMBER_SERVICE_ACCOUNTS) or bind identity-provider groups; never '
        + 'system:serviceaccounts:<namespace>, system:serviceaccounts or system:authenticated.',
    });
  }
  return result;
}

/** CC-RBAC-012. */
export const BROAD_GROUP_POLICY_WRITE: AuditRule = {
  id: 'CC-RBAC-012',
  severity: Severity.CRITICAL,
  title: 'Network-policy write bound to a namespace\'s service accounts or to everyone',
  description: 'Policy-write permissions bound to system:serviceaccounts:<namespace>, system:serviceaccounts, '
    + 'system:authenticated or system:unauthenticated belong to every account of the group, including the default '
    + 'service account and any created later.',
  check: broadGroupFindings,
};
