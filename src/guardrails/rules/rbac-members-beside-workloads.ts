/**
 * CC-RBAC-013: a service account with powerful permissions lives in a namespace where pods can
 * run, so whoever can create pods there can run a pod as it.
 */
import { AuditContext } from '../context';
import { objectRef, podFreeQuotas, unique } from '../manifests';
import { POD_SET_QUESTIONS } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { describeSubject, serviceAccount, subjectId } from '../subjects';
import { chainText, clusterWide, objectsOf, powersText } from './common';

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
    const namespace = declared.namespace!;
    const sa = serviceAccount(namespace, declared.name);
    if (!ctx.access.reportable(sa) || podFreeQuotas(ctx.objects, namespace).length > 0) {
      continue;
    }
    const powers = ctx.powersOf(sa);
    if (powers.length === 0) {
      continue;
    }
    const scopes = powers.flatMap((h) => h.scopes);
    // Workloads that run as the account itself are its own; the risk is the others' deployers.
    const others = (workloads.get(namespace) ?? []).filter((w) => w.serviceAccount !== sa.name);
    const creators = ctx.access.holders(POD_SET_QUESTIONS, [namespace]).filter((h) => subjectId(h.subject) !== subjectId(sa));
    const runs = others.length === 0 ? '' : `, which runs ${others.map((w) => w.ref).join(', ')}`;
    const who = creators.length === 0
      ? 'whoever deploys there (no subject of the manifests can create pods there; deployers, CI or operators from elsewhere)'
      : `whoever creates pods there (${creators.map((c) => `${describeSubject(c.subject)}, which can ${chainText(c.scopes)}`).join('; ')})`;
    result.push({
      severity: clusterWide(scopes) ? Severity.CRITICAL : Severity.HIGH,
      subject: subjectId(sa),
      message: `${describeSubject(sa)} can ${powersText(powers)}, and lives in namespace ${namespace}${runs}, where pods can run `
        + `(no ResourceQuota with pods: 0): ${who} can run a pod as it (spec.serviceAccountName) `
        + 'and use its permissions.',
      objects: unique([
        ...objectsOf(ctx, sa, scopes),
        ...others.map((w) => w.ref),
        ...creators.flatMap((c) => objectsOf(ctx, c.subject, c.scopes)),
      ]),
      fix: 'Keep member and automation service accounts in a namespace where no one creates pods (a ResourceQuota with pods: "0", '
        + 'Pod Security restricted), bound by name into the namespaces they administer; workloads get service accounts '
        + 'without RBAC permissions.',
    });
  }
  return result.sort((a, b) => a.subject!.localeCompare(b.subject!));
}

/** CC-RBAC-013. */
export const MEMBERS_BESIDE_WORKLOADS: AuditRule = {
  id: 'CC-RBAC-013',
  severity: Severity.CRITICAL,
  title: 'Powerful service accounts in namespaces where pods can run',
  description: 'A service account with policy-write or escalation permissions in a namespace without a ResourceQuota of '
    + 'zero pods: anyone who can create pods there (deployers, CI, controllers) can run as it.',
  check: membersBesideWorkloadsFindings,
};
