/**
 * ClusterRole aggregation, as the Kubernetes clusterrole-aggregation controller performs it:
 * an aggregated ClusterRole's rules are replaced by the union of the rules of every other
 * ClusterRole whose labels match any of its `aggregationRule.clusterRoleSelectors`.
 */
import { LabelSelectorSpec, PolicyRuleSpec, RoleObject } from './objects';

/** A rule together with the ClusterRole that wrote it (differs from the holder for aggregated roles). */
export interface SourcedRule {
  readonly rule: PolicyRuleSpec;
  /** Name of the ClusterRole (or Role) whose manifest contains the rule. */
  readonly origin: string;
}

/** Whether a Kubernetes label selector matches a label set. An empty selector matches everything. */
export function labelSelectorMatches(selector: LabelSelectorSpec, labels: { [key: string]: string }): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (!hasLabel(labels, key) || labels[key] !== value) return false;
  }
  for (const expr of selector.matchExpressions) {
    const has = hasLabel(labels, expr.key);
    switch (expr.operator) {
      case 'In':
        if (!has || !expr.values.includes(labels[expr.key])) return false;
        break;
      case 'NotIn':
        if (has && expr.values.includes(labels[expr.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      default: // DoesNotExist (operators are validated when reading the manifest)
        if (has) return false;
        break;
    }
  }
  return true;
}

/**
 * The effective rules of ClusterRoles, computed on demand and remembered. A non-aggregated
 * ClusterRole keeps its own rules. An aggregated ClusterRole's own `rules` are ignored (the
 * controller overwrites them); it gets the rules of every other ClusterRole one of its
 * selectors matches, where a matched aggregated ClusterRole contributes its own effective
 * rules — the controller's fixed point, in which cycles add nothing. So an aggregated role's
 * rules are those of the non-aggregated roles it reaches through matched aggregated roles:
 * reached roles in name order, each role's rules in manifest order, a rule repeated by the
 * same role kept once (the order only decides which of several granting roles a verdict names).
 *
 * Matching uses an index of the roles by label, so the cost grows with the number of roles and
 * of matches, not with their product.
 */
export class ClusterRoleAggregation {
  /** The roles; a role's id is its position here. */
  private readonly roles: readonly RoleObject[];
  private readonly idOf = new Map<string, number>();
  /** Role ids in name order, and each role's position in that order. */
  private readonly idsByName: Int32Array;
  private readonly rankOf: Int32Array;
  /** Role ids by `key` and by `key=value` of their labels. */
  private readonly withKey = new Map<string, number[]>();
  private readonly withLabel = new Map<string, number[]>();
  private readonly allIds: number[];
  /** Visit marks for one walk at a time: `marks[id] === epoch` means visited in the current walk. */
  private readonly marks: Uint32Array;
  private epoch = 0;
  private readonly ownRules = new Map<number, SourcedRule[]>();
  private readonly effective = new Map<number, SourcedRule[]>();

  constructor(clusterRoles: readonly RoleObject[]) {
    this.roles = clusterRoles;
    clusterRoles.forEach((role, id) => {
      this.idOf.set(role.name, id);
      for (const [key, value] of Object.entries(role.labels)) {
        push(this.withKey, key, id);
        push(this.withLabel, `${key}=${value}`, id);
      }
    });
    this.allIds = clusterRoles.map((_, id) => id);
    this.idsByName = Int32Array.from([...this.allIds].sort((a, b) => compareNames(clusterRoles[a].name, clusterRoles[b].name)));
    this.rankOf = new Int32Array(clusterRoles.length);
    this.idsByName.forEach((id, rank) => { this.rankOf[id] = rank; });
    this.marks = new Uint32Array(clusterRoles.length);
  }

  /** Whether the manifests contain a ClusterRole of that name. */
  public has(name: string): boolean {
    return this.idOf.has(name);
  }

  /** The effective rules of the named ClusterRole, or undefined when it is not in the manifests. */
  public rulesOf(name: string): SourcedRule[] | undefined {
    const id = this.idOf.get(name);
    if (id === undefined) return undefined;
    if (!this.roles[id].aggregationSelectors) return this.rulesWrittenBy(id);
    let rules = this.effective.get(id);
    if (rules === undefined) {
      rules = [];
      for (const reached of this.reachedRoles(id)) {
        for (const sourced of this.rulesWrittenBy(reached)) rules.push(sourced);
      }
      this.effective.set(id, rules);
    }
    return rules;
  }

  /** The ids of the non-aggregated ClusterRoles an aggregated role reaches, in name order. */
  private reachedRoles(start: number): Int32Array {
    // Kubernetes: pkg/controller/clusterroleaggregation syncClusterRole (the union over the
    // matching roles other than itself, by name, re-run until nothing changes).
    const epoch = this.nextEpoch();
    this.marks[start] = epoch;
    const ranks: number[] = [];
    const queue: number[] = [start];
    while (queue.length > 0) {
      const holder = queue.pop()!;
      for (const selector of this.roles[holder].aggregationSelectors!) {
        for (const id of this.candidates(selector)) {
          if (this.marks[id] === epoch || !labelSelectorMatches(selector, this.roles[id].labels)) continue;
          this.marks[id] = epoch;
          if (this.roles[id].aggregationSelectors) queue.push(id);
          else ranks.push(this.rankOf[id]);
        }
      }
    }
    return Int32Array.from(ranks).sort().map((rank) => this.idsByName[rank]);
  }

  private nextEpoch(): number {
    this.epoch += 1;
    if (this.epoch === 0xffffffff) {
      this.marks.fill(0);
      this.epoch = 1;
    }
    return this.epoch;
  }

  /** The smallest indexed set of role ids that contains every role the selector matches. */
  private candidates(selector: LabelSelectorSpec): readonly number[] {
    let best: readonly number[] = this.allIds;
    const consider = (ids: readonly number[]): void => {
      if (ids.length < best.length) best = ids;
    };
    for (const [key, value] of Object.entries(selector.matchLabels)) {
      consider(this.withLabel.get(`${key}=${value}`) ?? []);
    }
    for (const expr of selector.matchExpressions) {
      if (expr.operator === 'Exists') consider(this.withKey.get(expr.key) ?? []);
      if (expr.operator === 'In') consider(expr.values.flatMap((value) => this.withLabel.get(`${expr.key}=${value}`) ?? []));
    }
    return best;
  }

  /** The rules a role's manifest contains, each once (identical rules of one role are one grant). */
  private rulesWrittenBy(id: number): SourcedRule[] {
    let rules = this.ownRules.get(id);
    if (rules === undefined) {
      const role = this.roles[id];
      const keys = new Set<string>();
      rules = [];
      for (const rule of role.rules) {
        const key = JSON.stringify(rule);
        if (keys.has(key)) continue;
        keys.add(key);
        rules.push({ rule, origin: role.name });
      }
      this.ownRules.set(id, rules);
    }
    return rules;
  }
}

/** The effective rules of every ClusterRole, by name (see `ClusterRoleAggregation`). */
export function effectiveClusterRoleRules(clusterRoles: readonly RoleObject[]): Map<string, SourcedRule[]> {
  const aggregation = new ClusterRoleAggregation(clusterRoles);
  return new Map(clusterRoles.map((role) => [role.name, aggregation.rulesOf(role.name)!]));
}

function hasLabel(labels: { [key: string]: string }, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

function push(index: Map<string, number[]>, key: string, id: number): void {
  const ids = index.get(key);
  if (ids === undefined) index.set(key, [id]);
  else ids.push(id);
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
