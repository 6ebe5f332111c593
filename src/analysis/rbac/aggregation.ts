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
    if (labels[key] !== value) return false;
  }
  for (const expr of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, expr.key);
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
 * The effective rules of every ClusterRole, by name. Non-aggregated ClusterRoles keep their own
 * rules. An aggregated ClusterRole's own `rules` are ignored (the controller overwrites them) and
 * replaced by the rules of all other ClusterRoles matching one of its selectors; aggregated roles
 * may feed each other, so the union is computed to a fixed point (cycles are harmless).
 */
export function effectiveClusterRoleRules(clusterRoles: RoleObject[]): Map<string, SourcedRule[]> {
  const effective = new Map<string, SourcedRule[]>();
  for (const role of clusterRoles) {
    effective.set(role.name, role.aggregationSelectors
      ? []
      : role.rules.map((rule) => ({ rule, origin: role.name })));
  }
  const aggregated = clusterRoles.filter((role) => role.aggregationSelectors);
  let changed = true;
  while (changed) {
    changed = false;
    for (const role of aggregated) {
      const current = effective.get(role.name)!;
      const keys = new Set(current.map(ruleKey));
      for (const other of clusterRoles) {
        if (other.name === role.name) continue;
        if (!role.aggregationSelectors!.some((selector) => labelSelectorMatches(selector, other.labels))) continue;
        for (const sourced of effective.get(other.name)!) {
          const key = ruleKey(sourced);
          if (keys.has(key)) continue;
          keys.add(key);
          current.push(sourced);
          changed = true;
        }
      }
    }
  }
  return effective;
}

function ruleKey(sourced: SourcedRule): string {
  return JSON.stringify([sourced.origin, sourced.rule]);
}
