/**
 * Indexes that make whole-cluster questions fast: a label index over identities (to evaluate a
 * selector only on the identities that can match it) and, per endpoint identity and direction, the
 * ordered list of tiers and policies that apply to it.
 *
 * Internal module of the network model.
 */
import { EndpointRecord, Identity, Inventory } from './network-endpoints';
import { PolicyRecord, TierRecord } from './network-policies';
import { Direction } from './network-rules';
import { compareCodePoints, evaluate, requiredEqualities, requiredKeys, SelectorNode } from '../selector/ast';

/** Selects identities by label, looking only at those that can match. */
export class IdentityIndex {
  private readonly byKey = new Map<string, number[]>();
  private readonly byKeyValue = new Map<string, Map<string, number[]>>();
  private readonly all: number[];

  constructor(private readonly identities: readonly Identity[]) {
    this.all = identities.map((_, i) => i);
    identities.forEach((identity, i) => {
      for (const [key, value] of Object.entries(identity.labels)) {
        let keyed = this.byKey.get(key);
        if (keyed === undefined) {
          keyed = [];
          this.byKey.set(key, keyed);
        }
        keyed.push(i);
        let values = this.byKeyValue.get(key);
        if (values === undefined) {
          values = new Map();
          this.byKeyValue.set(key, values);
        }
        let list = values.get(value);
        if (list === undefined) {
          list = [];
          values.set(value, list);
        }
        list.push(i);
      }
    });
  }

  /** The identities a selector could match (a superset of the matches). */
  public candidates(node: SelectorNode): readonly number[] {
    let best: readonly number[] = this.all;
    const equalities = requiredEqualities(node);
    if (equalities !== undefined) {
      for (const [key, values] of equalities) {
        const byValue = this.byKeyValue.get(key);
        const lists: number[][] = [];
        let size = 0;
        for (const v of values) {
          const list = byValue?.get(v);
          if (list !== undefined) {
            lists.push(list);
            size += list.length;
          }
        }
        if (size < best.length) {
          best = lists.length === 1 ? lists[0] : lists.flat();
        }
        if (best.length === 0) {
          return best;
        }
      }
    }
    for (const key of requiredKeys(node)) {
      const list = this.byKey.get(key) ?? [];
      if (list.length < best.length) {
        best = list;
      }
    }
    return best;
  }

  /** The identities a selector matches, as a membership array (1 = selected). */
  public select(node: SelectorNode): Uint8Array {
    const out = new Uint8Array(this.identities.length);
    for (const i of this.candidates(node)) {
      if (evaluate(node, this.identities[i].labels)) {
        out[i] = 1;
      }
    }
    return out;
  }

  /** The identities a selector matches, as a sorted list. */
  public selectList(node: SelectorNode): number[] {
    const out: number[] = [];
    for (const i of this.candidates(node)) {
      if (evaluate(node, this.identities[i].labels)) {
        out.push(i);
      }
    }
    return out.sort((a, b) => a - b);
  }
}

/** The policies of one tier that apply to an endpoint in one direction, in evaluation order. */
export interface TierGroup {
  readonly tier: TierRecord;
  readonly policies: readonly PolicyRecord[];
}

/**
 * Tier evaluation order: by order, then by name. Every tier exists and has an order (Calico gives
 * a tier without one the order 1,000,000), so Felix's "valid first, no order last" never applies.
 */
// Calico: felix/calc/policy_sorter.go TierLess; libcalico-go/lib/resources/tier.go DefaultTierFields
export function compareTiers(a: TierRecord, b: TierRecord): number {
  if (a.order !== b.order) {
    return a.order < b.order ? -1 : 1;
  }
  return compareCodePoints(a.name, b.name);
}

/**
 * Policy evaluation order within a tier: by order (none = +Inf, last), then by the string
 * `<name>/<namespace>/<kind>` (so `a-b` sorts before `a`, as `-` sorts before `/`).
 */
// Calico: felix/calc/policy_sorter.go PolKVLess
export function comparePolicies(a: PolicyRecord, b: PolicyRecord): number {
  if (a.order !== b.order) {
    return a.order < b.order ? -1 : 1;
  }
  return compareCodePoints(a.sortKey, b.sortKey);
}

/**
 * A set of policies in force (enforced ones, or enforced ones with staged ones applied) with,
 * for every endpoint identity and direction, the tiers and policies that apply to it.
 */
export class PolicySet {
  /** The tiers, in evaluation order. */
  public readonly tiers: readonly TierRecord[];
  /** The policies in force, in evaluation order (tier, order, name). */
  public readonly policies: readonly PolicyRecord[];
  /** doNotTrack/preDNAT global policies: they apply to host endpoints only. */
  public readonly hostOnly: readonly PolicyRecord[];

  private readonly ingress: Array<TierGroup[] | undefined>;
  private readonly egress: Array<TierGroup[] | undefined>;

  /**
   * @param policies the policies in force (no staged Delete entries)
   * @param tiers every tier by name
   */
  constructor(policies: readonly PolicyRecord[], tiers: ReadonlyMap<string, TierRecord>, inventory: Inventory, index: IdentityIndex) {
    this.tiers = [...tiers.values()].sort(compareTiers);
    const rank = new Map<string, number>(this.tiers.map((t, i) => [t.name, i]));
    const sorted = policies.filter((p) => p.hostOnly === undefined).sort((a, b) => {
      const ta = rank.get(a.tier)!;
      const tb = rank.get(b.tier)!;
      return ta !== tb ? ta - tb : comparePolicies(a, b);
    });
    this.policies = sorted;
    this.hostOnly = policies.filter((p) => p.hostOnly !== undefined);
    // Per identity: its endpoints (replicas of a workload, pods with the same labels) share it.
    this.ingress = new Array(inventory.identities.length);
    this.egress = new Array(inventory.identities.length);
    const identities = inventory.identities;
    for (const policy of sorted) {
      const tier = tiers.get(policy.tier)!;
      for (const identity of index.selectList(policy.selector)) {
        if (identities[identity].endpoint < 0) {
          continue;
        }
        if (policy.ingressApplies) {
          this.ingress[identity] = append(this.ingress[identity], tier, policy);
        }
        if (policy.egressApplies) {
          this.egress[identity] = append(this.egress[identity], tier, policy);
        }
      }
    }
  }

  /** The tiers (with their applicable policies) for an endpoint and direction, in order. */
  public groups(endpoint: EndpointRecord, direction: Direction): readonly TierGroup[] {
    if (endpoint.identity < 0) {
      return [];
    }
    return (direction === 'ingress' ? this.ingress : this.egress)[endpoint.identity] ?? [];
  }
}

function append(groups: TierGroup[] | undefined, tier: TierRecord, policy: PolicyRecord): TierGroup[] {
  const list = groups ?? [];
  const last = list[list.length - 1];
  if (last !== undefined && last.tier === tier) {
    (last.policies as PolicyRecord[]).push(policy);
  } else {
    list.push({ tier, policies: [policy] });
  }
  return list;
}
