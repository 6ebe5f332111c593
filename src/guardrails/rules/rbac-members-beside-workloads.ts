/**
 * CC-RBAC-013: a service account with powerful permissions lives in a namespace that runs
 * workloads, so whoever deploys there can run a pod as it.
 */
import { AuditContext } from '../context';
import { objectRef, unique } from '../manifests';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { describeSubject, serviceAccount, subjectId } from '../subjects';
import { clusterWide, objectsOf, powersText } from './common';

/** The findings of CC-RBAC-013. */
export function membersBesideWorkloadsFindings(ctx: AuditContext): RuleFinding[] {
  const workloads = new Map<string, { ref: string; serviceAccount?: string }[]>();
  for (const id of ctx.network.endpoints()) {
    const e = ctx.network.endpoint(id);
    if (e.namespace === undefined || ctx.isProbe(e)) {
      continue;
    }
    const list = workloads.get(e.namespace) ?? [];
    list.push({ ref: objectRef(e.kind, e.name, e.namespace), serviceAccount: e.serviceAccount });
    workloads.set(e.namespace, list);
  }
  const result: RuleFinding[] = [];
  for (const declared of ctx.rbac.serviceAccounts) {
    const sa = serviceAccount(declared.namespace!, declared.name);
    // Workloads that run as the account itself are its own; the risk is the others' deployers.
    const others = (workloads.get(sa.namespace!) ?? []).filter((w) => w.serviceAccount !== sa.name);
    if (others.length === 0 || !ctx.access.reportable(sa)) {
      continue;
    }
    const powers = ctx.powersOf(sa);
    if (powers.length === 0) {
      continue;
    }
    const scopes = powers.flatMap((h) => h.scopes);
    result.push({
      severity: clusterWide(scopes) ? Severity.CRITICAL : Severity.HIGH,
      subject: subjectId(sa),
      message: `${describeSubject(sa)} can ${powersText(powers)}, and lives in namespace ${sa.namespace}, which runs `
        + `${others.map((w) => w.ref).join(', ')}: whoever deploys there can run a pod as it and use its permissions.`,
      objects: unique([...objectsOf(ctx, sa, scopes), ...others.map((w) => w.ref)]),
      fix: 'Keep member and automation service accounts in a namespace where no one creates pods (e.g. <team>-members), '
        + 'bound by name; workloads get service accounts without RBAC permissions.',
    });
  }
  return result.sort((a, b) => a.subject!.localeCompare(b.subject!));
}

/** CC-RBAC-013. */
export const MEMBERS_BESIDE_WORKLOADS: AuditRule = {
  id: 'CC-RBAC-013',
  severity: Severity.CRITICAL,
  title: 'Powerful service accounts in namespaces that run workloads',
  description: 'A service account with policy-write or escalation permissions in a namespace with workloads of other '
    + 'service accounts: anyone who can create pods there (deployers, CI, controllers) can run as it.',
  check: membersBesideWorkloadsFindings,
};
