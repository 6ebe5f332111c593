/**
 * CC-POL-001: Deny rules in a tier where others can write policies that are evaluated first.
 */
import { CALICO_API_GROUP, DEFAULT_TIER, K8S_NETWORK_POLICY_ORDER } from '../../core';
import { Question } from '../access';
import { AuditContext } from '../context';
import { objectsOfKind, refOf, unique } from '../manifests';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { describeSubject } from '../subjects';
import { chainText, objectsOf } from './common';

/** Whether any ingress or egress rule of a Calico policy denies. */
function hasDeny(policy: any): boolean {
  const list = (value: any): any[] => Array.isArray(value) ? value : [];
  const rules = [...list(policy.spec?.ingress), ...list(policy.spec?.egress)];
  return rules.some((r: any) => r?.action === 'Deny');
}

/** The findings of CC-POL-001. */
export function overridableControlFindings(ctx: AuditContext): RuleFinding[] {
  const controls = [
    ...objectsOfKind(ctx.objects, 'GlobalNetworkPolicy', CALICO_API_GROUP),
    ...objectsOfKind(ctx.objects, 'NetworkPolicy', CALICO_API_GROUP),
  ].filter(hasDeny);
  const result: RuleFinding[] = [];
  for (const control of controls) {
    // Calico: libcalico-go/lib/names/policy.go TierOrDefault
    const tier: string = typeof control.spec?.tier === 'string' && control.spec.tier !== '' ? control.spec.tier : DEFAULT_TIER;
    const namespace: string | undefined = control.kind === 'NetworkPolicy' ? control.metadata?.namespace : undefined;
    const order: number | undefined = typeof control.spec?.order === 'number' ? control.spec.order : undefined;
    // Calico: felix/calc/policy_sorter.go PolKVLess (within a tier, lower order first; no order is last)
    const writes: Question[] = [{ verb: 'create', apiGroup: CALICO_API_GROUP, resource: 'networkpolicies', tier }];
    // Calico: libcalico-go/lib/backend/k8s/conversion/conversion.go K8sNetworkPolicyToCalico (order 1000, tier default)
    if (tier === DEFAULT_TIER && (order === undefined || order >= K8S_NETWORK_POLICY_ORDER)) {
      writes.push({ verb: 'create', apiGroup: 'networking.k8s.io', resource: 'networkpolicies' });
    }
    const owns: Question[] = [{
      verb: 'update',
      apiGroup: CALICO_API_GROUP,
      resource: control.kind === 'NetworkPolicy' ? 'networkpolicies' : 'globalnetworkpolicies',
      tier,
    }];
    const writers = ctx.access.holders(writes)
      .map((h) => ({ ...h, scopes: h.scopes.filter((s) => namespace === undefined || s.namespace === undefined || s.namespace === namespace) }))
      .filter((h) => h.scopes.length > 0)
      .filter((h) => ctx.access.scopes(h.subject, owns).filter((s) => s.namespace === undefined || s.namespace === namespace).length === 0);
    if (writers.length === 0) {
      continue;
    }
    result.push({
      severity: Severity.HIGH,
      message: `${refOf(control)} denies traffic in tier ${tier}, where others can write policies that Calico evaluates `
        + `before it (a lower order, or a Kubernetes NetworkPolicy at order ${K8S_NETWORK_POLICY_ORDER}) and whose Allow `
        + `rules end the tier first: ${writers.map((w) => `${describeSubject(w.subject)} can ${chainText(w.scopes)}`).join('; ')}.`,
      objects: unique([refOf(control), ...writers.flatMap((w) => objectsOf(ctx, w.subject, w.scopes))]),
      fix: 'Move controls the teams must not undo to the security tier (evaluated before default, written by the security '
        + 'team only) and keep tier default for the teams\' own policies.',
    });
  }
  return result.sort((a, b) => a.objects[0].localeCompare(b.objects[0]));
}

/** CC-POL-001. */
export const OVERRIDABLE_CONTROLS: AuditRule = {
  id: 'CC-POL-001',
  severity: Severity.HIGH,
  title: 'Deny controls in a tier others can write',
  description: 'A Calico policy with Deny rules in a tier where other subjects can write policies ordered before it: '
    + 'their Allow rules win, so the control can be undone.',
  check: overridableControlFindings,
};
