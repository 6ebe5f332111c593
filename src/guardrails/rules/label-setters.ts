/**
 * CC-LBL-002: a subject can set a namespace or service-account label (or write a network set)
 * that a security-tier selector trusts, without being able to change that policy itself.
 */
import { Subject } from '../../analysis';
import { LABEL_NAME } from '../../core';
import { Scope } from '../access';
import { AuditContext } from '../context';
import { canWritePolicy, describeSite, LabelSite, labelSetters, labelSites, LabelSource, policyRef } from '../label-trust';
import { unique } from '../manifests';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { describeSubject, subjectId } from '../subjects';
import { chainText, objectsOf } from './common';

const SOURCES: readonly { source: LabelSource; what: string }[] = [
  { source: 'namespace', what: 'namespace label' },
  { source: 'serviceAccount', what: 'service-account label' },
  { source: 'pod', what: 'label' },
];

/** Whether a scope grants writing network sets. */
function writesNetworkSets(scope: Scope): boolean {
  return scope.questions.some((q) => q.resource === 'networksets' || q.resource === 'globalnetworksets');
}

interface Trust {
  readonly what: string;
  readonly key: string;
  readonly site: LabelSite;
}

/** The findings of CC-LBL-002: one per subject. */
export function labelSetterFindings(ctx: AuditContext): RuleFinding[] {
  const sites = labelSites(ctx.securityPolicies());
  const bySubject = new Map<string, { subject: Subject; scopes: Scope[]; trusts: Trust[] }>();
  for (const { source, what } of SOURCES) {
    const keys = unique(sites.flatMap((s) => s.selector.labelKeys[source]));
    for (const key of keys) {
      const keySites = sites.filter((s) => s.selector.labelKeys[source].includes(key));
      // Pod labels set by creating pods are CC-LBL-001's, and a pod choosing its service account (by name) is how
      // service-account identity works: for those, only network-set writers, which pose as peers, count here.
      const setsOnly = source === 'pod' || (source === 'serviceAccount' && key === LABEL_NAME);
      for (const found of labelSetters(ctx, source, key, keySites).holders) {
        const holder = setsOnly ? { ...found, scopes: found.scopes.filter(writesNetworkSets) } : found;
        const relevant = keySites.filter((s) => (!setsOnly || s.peer) && !canWritePolicy(ctx, holder.subject, s.policy));
        if (holder.scopes.length === 0 || relevant.length === 0) {
          continue;
        }
        const id = subjectId(holder.subject);
        const entry = bySubject.get(id) ?? { subject: holder.subject, scopes: [], trusts: [] };
        entry.scopes.push(...holder.scopes);
        entry.trusts.push(...relevant.map((site) => ({ what, key, site })));
        bySubject.set(id, entry);
      }
    }
  }
  const result: RuleFinding[] = [];
  for (const id of [...bySubject.keys()].sort()) {
    const { subject, scopes, trusts } = bySubject.get(id)!;
    const allow = trusts.some((t) => t.site.actions.includes('Allow'));
    const labels = unique(trusts.map((t) => `${t.what} "${t.key}"`));
    result.push({
      severity: allow ? Severity.HIGH : Severity.MEDIUM,
      subject: id,
      message: `${describeSubject(subject)} can ${chainText(scopes)}, and so set the ${labels.join(', ')} that security-tier `
        + `policies it cannot change trust: ${unique(trusts.map((t) => describeSite(t.site))).join('; ')}. `
        + (allow
          ? 'It can give its own namespaces, service accounts or network sets the security tier\'s Allow (which is final).'
          : 'It can take its own namespaces or service accounts out of (or into) the security tier\'s Deny and Pass rules.'),
      objects: unique([...trusts.map((t) => policyRef(t.site.policy)), ...objectsOf(ctx, subject, scopes)]),
      fix: 'Select in security-tier policies on labels only the security team sets (namespace names via projectcalico.org/name, '
        + 'service-account labels under a key the security team owns) and take namespace, service-account and network-set '
        + 'write away from everyone else.',
    });
  }
  return result;
}

/** CC-LBL-002. */
export const LABEL_SETTERS: AuditRule = {
  id: 'CC-LBL-002',
  severity: Severity.HIGH,
  title: 'Others can set labels the security tier trusts',
  description: 'A subject that cannot change a security-tier policy can set a namespace or service-account label its '
    + 'selectors read (by creating or changing namespaces or service accounts), or write network sets its rule peers match.',
  check: labelSetterFindings,
};
