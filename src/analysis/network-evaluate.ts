/**
 * Calico's tiered evaluation of one direction (egress of the source, ingress of the
 * destination) of a flow.
 */
import { EndpointRecord } from './network-endpoints';
import { PolicySet } from './network-index';
import { Flow, FlowEnd, FlowMatcher } from './network-match';
import { PolicyRecord, TierRecord } from './network-policies';
import { Direction } from './network-rules';
import { evaluate } from '../selector/ast';

/** What decided one direction of a flow. */
export enum Decision {
  /** A rule with action Allow or Deny matched. */
  RULE = 'RULE',
  /** An applicable tier ended without a verdict and its default action (Deny) dropped the flow. */
  END_OF_TIER = 'END_OF_TIER',
  /** No policy selects the endpoint for this direction: the namespace profile allows. */
  NO_POLICY = 'NO_POLICY',
  /** Every applicable tier passed the flow on: the namespace profile allows. */
  PROFILE_ALLOW = 'PROFILE_ALLOW',
  /** The endpoint has no Calico policy of its own (outside the cluster, or host-networked). */
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}

/** The verdict for one direction of a flow (egress of the source or ingress of the destination). */
export interface DirectionVerdict {
  /** Whether this side lets the flow through. */
  readonly allowed: boolean;
  /** What decided it. */
  readonly decidedBy: Decision;
  /** The tier of the deciding rule, or the tier whose end dropped the flow. */
  readonly tier?: string;
  /** The deciding policy: kind and `namespace/name`, e.g. `NetworkPolicy prod/allow-web`. */
  readonly policy?: string;
  /** Index of the deciding rule in the policy's ingress or egress list. */
  readonly ruleIndex?: number;
  /** Action of the deciding rule (`Allow` or `Deny`). */
  readonly action?: string;
  /** One sentence saying what decided, e.g. `ingress rule 0 (Allow) of NetworkPolicy prod/allow-web in tier default`. */
  readonly reason: string;
  /** Every tier, policy and rule considered, and why it matched or not. */
  readonly trace: string[];
}

function formatOrder(order: number): string {
  return order === Infinity ? 'no order' : `order ${order}`;
}

function describeTier(tier: TierRecord): string {
  const order = tier.orderDefaulted ? `order ${tier.order} (none given)` : `order ${tier.order}`;
  const source = tier.source === 'external' ? ', managed outside the manifests' : '';
  return `${order}, defaultAction ${tier.defaultAction}${source}`;
}

/**
 * Whether one side of a flow allows it; the fast path used for matrices (no explanation).
 *
 * @param endpoint the endpoint whose policies apply (source for egress, destination for ingress)
 */
export function directionAllows(set: PolicySet, matcher: FlowMatcher, endpoint: EndpointRecord, direction: Direction, flow: Flow): boolean {
  if (endpoint.hostNetwork) {
    return true;
  }
  const groups = set.groups(endpoint, direction);
  for (const group of groups) {
    let passed = false;
    for (const policy of group.policies) {
      const rules = direction === 'ingress' ? policy.ingress : policy.egress;
      for (const rule of rules) {
        if (rule.action === 'Log' || !matcher.ruleMatches(rule, flow)) {
          continue;
        }
        if (rule.action === 'Allow') {
          return true;
        }
        if (rule.action === 'Deny') {
          return false;
        }
        passed = true;
        break;
      }
      if (passed) {
        break;
      }
    }
    if (!passed && group.tier.defaultAction !== 'Pass') {
      return false;
    }
  }
  return true;
}

/** The verdict of a side that has no Calico policy of its own. */
export function notApplicable(end: FlowEnd): DirectionVerdict {
  const reason = end.endpoint === undefined
    ? `${end.id} is outside the cluster and has no policy of its own`
    : `${end.id} is host-networked: Calico workload policies do not apply to it (host endpoint policy is not modelled)`;
  return { allowed: true, decidedBy: Decision.NOT_APPLICABLE, reason, trace: [reason] };
}

function hostOnlyNotes(set: PolicySet, endpoint: EndpointRecord, direction: Direction): string[] {
  const notes: string[] = [];
  for (const policy of set.hostOnly) {
    const applies = direction === 'ingress' ? policy.ingressApplies : policy.egressApplies;
    if (applies && evaluate(policy.selector, endpoint.labels)) {
      notes.push(`skipped ${policy.label}: ${policy.hostOnly} policies apply to host endpoints, not to pod traffic`);
    }
  }
  return notes;
}

function ruleVerdict(
  policy: PolicyRecord,
  tier: string,
  direction: Direction,
  index: number,
  ruleName: string,
  action: 'Allow' | 'Deny',
  trace: string[],
): DirectionVerdict {
  return {
    allowed: action === 'Allow',
    decidedBy: Decision.RULE,
    tier,
    policy: policy.label,
    ruleIndex: index,
    action,
    reason: `${direction} rule ${index}${ruleName} (${action}) of ${policy.label} in tier ${tier}`,
    trace,
  };
}

/** The verdict of one side of a flow, with the full trace of what was considered. */
export function explainDirection(set: PolicySet, matcher: FlowMatcher, endpoint: EndpointRecord, direction: Direction, flow: Flow): DirectionVerdict {
  const end = direction === 'egress' ? flow.src : flow.dst;
  if (endpoint.hostNetwork) {
    return notApplicable(end);
  }
  const trace: string[] = hostOnlyNotes(set, endpoint, direction);
  const groups = set.groups(endpoint, direction);
  if (groups.length === 0) {
    const reason = `no policy selects this endpoint for ${direction}; the namespace profile allows`;
    trace.push(`no tier has a policy selecting ${endpoint.id} for ${direction}`);
    return { allowed: true, decidedBy: Decision.NO_POLICY, reason, trace };
  }
  for (const group of groups) {
    const tier = group.tier;
    const count = group.policies.length;
    trace.push(
      `tier ${tier.name} (${describeTier(tier)}): `
      + `${count} ${count === 1 ? 'policy selects' : 'policies select'} ${endpoint.id} for ${direction}`,
    );
    let passed = false;
    for (const policy of group.policies) {
      const rules = direction === 'ingress' ? policy.ingress : policy.egress;
      trace.push(`  ${policy.label} (${formatOrder(policy.order)}, selector ${policy.selectorText})${rules.length === 0 ? `: no ${direction} rules` : ''}`);
      for (const rule of rules) {
        const result = matcher.explainRule(rule, flow);
        const name = rule.name === undefined ? '' : ` ${JSON.stringify(rule.name)}`;
        const head = `    ${direction} rule ${rule.index}${name} (${rule.action})`;
        if (!result.matched) {
          trace.push(`${head}: no match: ${result.detail}`);
          continue;
        }
        const via = result.detail === '' ? '' : ` ${result.detail}`;
        const http = rule.http ? ' (its HTTP criteria are layer 7 and not evaluated: only matching HTTP requests get through)' : '';
        if (rule.action === 'Log') {
          trace.push(`${head}: match${via}: log, continue with the next rule`);
          continue;
        }
        if (rule.action === 'Pass') {
          trace.push(`${head}: match${via}: pass to the next tier`);
          passed = true;
          break;
        }
        trace.push(`${head}: match${via}: ${rule.action === 'Allow' ? 'allow' : 'deny'}${http}`);
        return ruleVerdict(policy, tier.name, direction, rule.index, name, rule.action, trace);
      }
      if (passed) {
        break;
      }
    }
    if (!passed) {
      if (tier.defaultAction === 'Pass') {
        trace.push(`  end of tier ${tier.name} without a verdict: defaultAction Pass, go to the next tier`);
        continue;
      }
      trace.push(`  end of tier ${tier.name} without a verdict: drop`);
      return {
        allowed: false,
        decidedBy: Decision.END_OF_TIER,
        tier: tier.name,
        reason: `end of tier ${tier.name} without a verdict: drop`,
        trace,
      };
    }
  }
  trace.push('all applicable tiers passed: the namespace profile allows');
  return { allowed: true, decidedBy: Decision.PROFILE_ALLOW, reason: 'all applicable tiers passed: profile allow', trace };
}
