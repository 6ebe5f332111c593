/**
 * CC-POL-001: controls (policies with Deny rules, and the policies named in the `controls`
 * option) that others can edit, or pre-empt with policies Calico evaluates first.
 */
import { PolicyInfo, Subject } from '../../analysis';
import { CALICO_GROUP, DEFAULT_TIER, K8S_NETWORK_POLICY_ORDER, NETWORKING_GROUP, parseApiVersion } from '../../core';
import { Question, Scope } from '../access';
import { AuditContext } from '../context';
import { policyRef, policyWriteQuestions } from '../label-trust';
import { unique } from '../manifests';
import { ask, tierWritePowerId } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { describeSubject } from '../subjects';
import { chainText, objectsOf } from './common';

/** Whether any rule of a policy denies. */
function hasDeny(policy: PolicyInfo): boolean {
  return [...policy.ingress, ...policy.egress].some((r) => r.action === 'Deny');
}

/** Whether a policy is a Kubernetes NetworkPolicy. */
function isKubernetes(policy: PolicyInfo): boolean {
  return parseApiVersion(policy.apiVersion)?.group === NETWORKING_GROUP;
}

/**
 * Creating a policy that Calico evaluates before `policy` (or, for a Kubernetes NetworkPolicy,
 * next to it: Kubernetes policies are unions of allows at one order).
 */
// Calico: felix/calc/policy_sorter.go PolKVLess (within a tier, lower order first; no order is last);
// libcalico-go/lib/backend/k8s/conversion/conversion.go K8sNetworkPolicyToCalico (order 1000, tier default)
function preemptQuestions(policy: PolicyInfo): Question[] {
  // A namespaced policy pre-empts a global one for the pods of its namespace.
  const writes: Question[] = ask(['create'], CALICO_GROUP, ['globalnetworkpolicies', 'networkpolicies'], { tier: policy.tier });
  const order = policy.order ?? Infinity;
  if (policy.tier === DEFAULT_TIER && order >= K8S_NETWORK_POLICY_ORDER) {
    writes.push(...ask(['create'], NETWORKING_GROUP, ['networkpolicies']));
  }
  return writes;
}

/** Editing or deleting the policy itself. */
function editQuestions(policy: PolicyInfo): Question[] {
  return [...policyWriteQuestions(policy), ...policyWriteQuestions(policy).filter((q) => q.verb === 'update').map((q) => ({ ...q, verb: 'delete' }))];
}

/** The scopes of `subject` that reach the policy (cluster-wide, or its namespace). */
function reaching(scopes: readonly Scope[], policy: PolicyInfo): Scope[] {
  return scopes.filter((s) => s.namespace === undefined || policy.namespace === undefined || s.namespace === policy.namespace);
}

/** Whether a subject can write policies in every security tier: the security team. */
function ownsSecurityTiers(ctx: AuditContext, subject: Subject): boolean {
  const tiers = ctx.securityTiers;
  const held = new Set(ctx.powersOf(subject).filter((h) => h.scopes.some((s) => s.namespace === undefined)).map((h) => h.power.id));
  return tiers.length > 0 && tiers.every((t) => held.has(tierWritePowerId(t)));
}

/** The findings of CC-POL-001. */
export function overridableControlFindings(ctx: AuditContext): RuleFinding[] {
  const named = ctx.options.controls;
  const policies = ctx.network.policies().filter((p) => p.staged === undefined && p.hostOnly === undefined);
  const unknown = named.filter((ref) => !policies.some((p) => policyRef(p) === ref));
  if (unknown.length > 0) {
    throw new Error(`audit options: controls: ${unknown.map((r) => `"${r}"`).join(', ')} ${unknown.length === 1 ? 'is not a policy' : 'are not policies'} `
      + `of the manifests; name policies as findings do, e.g. ${policies.slice(0, 3).map(policyRef).join(', ') || 'GlobalNetworkPolicy security.deny-metadata'}`);
  }
  const result: RuleFinding[] = [];
  for (const control of policies) {
    const listed = named.includes(policyRef(control));
    if (!listed && (isKubernetes(control) || !hasDeny(control))) {
      continue;
    }
    const namespaces = control.namespace === undefined ? [...ctx.access.namespaces] : [control.namespace];
    const preempt = preemptQuestions(control);
    const edit = editQuestions(control);
    const writers: { subject: Subject; scopes: Scope[] }[] = [];
    for (const holder of ctx.access.holders(listed ? [...preempt, ...edit] : preempt, namespaces)) {
      const scopes = reaching(holder.scopes, control);
      if (scopes.length === 0) {
        continue;
      }
      // A listed control is the security team's: anyone else who can edit or pre-empt it undoes it. For a Deny
      // policy found by its rules, the subjects that can edit it are its owners.
      const owner = listed
        ? ownsSecurityTiers(ctx, holder.subject)
        : reaching(ctx.access.scopes(holder.subject, edit, namespaces), control).length > 0;
      if (!owner) {
        writers.push({ subject: holder.subject, scopes });
      }
    }
    if (writers.length === 0) {
      continue;
    }
    const what = listed ? 'is a control the security team relies on' : 'has Deny rules';
    result.push({
      severity: Severity.HIGH,
      message: `${policyRef(control)} (tier ${control.tier}${control.order === undefined ? '' : `, order ${control.order}`}) ${what}, but others can `
        + `${listed ? 'change or delete it, or ' : ''}write policies that Calico evaluates before it (a lower order in its tier, or a `
        + `Kubernetes NetworkPolicy at order ${K8S_NETWORK_POLICY_ORDER} in tier default) and whose Allow rules end the tier first: `
        + `${writers.map((w) => `${describeSubject(w.subject)} can ${chainText(w.scopes)}`).join('; ')}.`,
      objects: unique([policyRef(control), ...writers.flatMap((w) => objectsOf(ctx, w.subject, w.scopes))]),
      fix: 'Move controls the teams must not undo to the security tier (evaluated before default, written by the security '
        + 'team only, with Deny rules and a final Pass) and keep tier default for the teams\' own policies.',
    });
  }
  return result.sort((a, b) => a.objects[0].localeCompare(b.objects[0]));
}

/** CC-POL-001. */
export const OVERRIDABLE_CONTROLS: AuditRule = {
  id: 'CC-POL-001',
  severity: Severity.HIGH,
  title: 'Controls others can undo',
  description: 'A Calico policy with Deny rules, or a policy named in the controls option, in a tier where subjects other '
    + 'than its owners can write policies ordered before it (or, for a named control, change or delete it): their Allow '
    + 'rules win, so the control can be undone.',
  check: overridableControlFindings,
};
