/**
 * CC-LBL-001: a security-tier Allow trusts a pod label, which whoever deploys pods sets.
 */
import { CORE_GROUP } from '../../core';
import { AuditContext } from '../context';
import { describeSite, LabelSite, labelSetters, labelSites, canWritePolicy, policyRef } from '../label-trust';
import { objectsOfKind, unique } from '../manifests';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { describeSubject } from '../subjects';
import { chainText, objectsOf } from './common';

/** The findings of CC-LBL-001: one per security-tier policy and pod label key. */
export function podLabelAllowFindings(ctx: AuditContext): RuleFinding[] {
  const declared = new Set(objectsOfKind(ctx.objects, 'Namespace', CORE_GROUP).map((n) => n.metadata?.name)
    .filter((n) => typeof n === 'string' && !ctx.options.excludedNamespaces.includes(n)));
  const sites = labelSites(ctx.securityPolicies()).filter((s) => s.actions.includes('Allow') && s.selector.labelKeys.pod.length > 0);
  const byPolicyKey = new Map<string, { key: string; sites: LabelSite[] }>();
  for (const site of sites) {
    for (const key of site.selector.labelKeys.pod) {
      const id = `${policyRef(site.policy)}|${key}`;
      const entry = byPolicyKey.get(id) ?? { key, sites: [] };
      entry.sites.push(site);
      byPolicyKey.set(id, entry);
    }
  }
  const result: RuleFinding[] = [];
  for (const { key, sites: keySites } of byPolicyKey.values()) {
    const policy = keySites[0].policy;
    const setters = labelSetters(ctx, 'pod', key, keySites).holders.filter((h) => !canWritePolicy(ctx, h.subject, policy));
    const open = keySites.some((s) => s.selector.otherNamespaces);
    const tenants = unique(keySites.flatMap((s) => s.selector.namespaces)).filter((n) => declared.has(n));
    // A selector pinned to namespaces the manifests do not declare (e.g. kube-system, a monitoring namespace) where
    // no subject of the manifests creates pods trusts the platform that deploys there.
    if (!open && tenants.length === 0 && setters.length === 0) {
      continue;
    }
    const where = [
      ...(tenants.length > 0 ? [`namespaces ${tenants.join(', ')}`] : []),
      ...(open ? ['any namespace created later'] : []),
    ].join(' and ') || `namespaces ${unique(keySites.flatMap((s) => s.selector.namespaces)).join(', ')}`;
    const who = setters.length === 0
      ? 'No subject of the manifests can create pods there today, but whoever deploys there (a team, its CI, an operator) sets pod labels.'
      : `Who can set it: ${setters.map((h) => `${describeSubject(h.subject)} (${chainText(h.scopes)})`).join('; ')}.`;
    result.push({
      severity: Severity.HIGH,
      message: `${keySites.map(describeSite).join('; ')}: the security tier allows on pod label "${key}", which whoever creates a pod `
        + `in ${where} sets, so any team can give its pods that Allow (and a security-tier Allow is final: no team policy can `
        + `narrow it). ${who}`,
      objects: unique([policyRef(policy), ...setters.flatMap((h) => objectsOf(ctx, h.subject, h.scopes))]),
      fix: 'Grant security-tier Allows to identities tenants cannot set: a service account labelled by the security team '
        + '(serviceAccountSelector / serviceAccounts.selector on a label key only the security team may patch) or a namespace '
        + 'by name (projectcalico.org/name). Keep pod-label approval (the blog\'s cluster-egress) only as a documented opt-in.',
    });
  }
  return result.sort((a, b) => a.objects[0].localeCompare(b.objects[0]) || a.message.localeCompare(b.message));
}

/** CC-LBL-001. */
export const POD_LABEL_ALLOW: AuditRule = {
  id: 'CC-LBL-001',
  severity: Severity.HIGH,
  title: 'A security-tier Allow trusts a pod label',
  description: 'A policy of a security tier allows traffic for pods chosen by a pod label (its selector, or a rule peer), '
    + 'in namespaces teams deploy to (declared by the manifests, or any new one) or where a subject of the manifests can '
    + 'create pods: whoever creates a pod sets its labels, so the Allow is anyone\'s.',
  check: podLabelAllowFindings,
};
