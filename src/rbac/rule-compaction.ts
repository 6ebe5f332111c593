/**
 * RBAC rules as a reviewer wants to read them: grouped by API group, verb set and resource
 * names, sorted, without empty fields, and granting exactly what the rules they replace grant.
 *
 * A Kubernetes rule grants the product of its lists: every verb on every resource of every API
 * group (restricted to `resourceNames` when it has any), and a role grants the union of its
 * rules. So a role's grants are a set of (API group, resource, name, verb) tuples, and two rules
 * that differ in one list only can be merged into one rule without granting more or less.
 * Calico's tier authorization asks plain RBAC questions (`get` on `tiers`, verbs on
 * `tier.<resource>`), so it sees the same tuples.
 *
 * This module is internal: it is not re-exported by the `rbac` barrel.
 */
import { KNOWN_VERBS } from './verbs';

/** Stands for "no `resourceNames`": every object of the resource. */
const EVERY_NAME = '';

/** One grant of a resource rule; `name` is `EVERY_NAME` without `resourceNames`. */
interface ResourceAtom {
  readonly group: string;
  readonly resource: string;
  readonly name: string;
  readonly verb: string;
}

/** A rule of the compact form, built up while merging. */
interface ResourceRule {
  readonly groups: string[];
  readonly resources: string[];
  readonly names: string[];
  readonly verbs: string[];
}

/**
 * The rules of a Role or ClusterRole in their compact form: exactly the same grants, with
 *
 * - one rule per API group, verb set and resource names: the resources that share them are
 *   listed together, and API groups whose resources, names and verbs agree share a rule;
 * - a rule for named objects left out when a rule without names grants the same verb on the
 *   same resource (it grants every name);
 * - resources, names and API groups sorted, verbs in the order `get`, `list`, `watch`, `create`,
 *   `update`, `patch`, `delete`, `deletecollection` (then any others, sorted), and the rules
 *   sorted by API group, then resources, then names, then verbs;
 * - no empty `resourceNames`.
 *
 * Rules for non-resource URLs are merged the same way and come after the resource rules. A rule
 * of any other shape (not a list of strings where one is expected, no verbs, both resources and
 * URLs, or neither) is kept as it is, after the others: what it means is left to the API server.
 *
 * @param rules the rules as rendered (e.g. by cdk8s-plus: one rule per resource)
 * @returns new rule objects; the input is not changed
 */
export function compactPolicyRules(rules: readonly any[]): any[] {
  // Kubernetes: pkg/apis/rbac/v1/evaluation_helpers.go RuleAllows — a rule grants the product of its lists.
  // Calico: apiserver/pkg/registry/projectcalico/authorizer/authorizer.go AuthorizeTierOperation asks that
  // same RBAC authorizer about `tiers` and `tier.<resource>` named `<tier>.*`, so tier grants merge alike.
  const atoms: ResourceAtom[] = [];
  const urlVerbs: Array<[string, string]> = [];
  const keptAsIs: any[] = [];
  for (const rule of rules) {
    const shape = shapeOf(rule);
    if (shape === 'resource') {
      const names: string[] = rule.resourceNames === undefined || rule.resourceNames.length === 0 ? [EVERY_NAME] : rule.resourceNames;
      for (const group of rule.apiGroups) {
        for (const resource of rule.resources) {
          for (const name of names) {
            for (const verb of rule.verbs) {
              atoms.push({ group, resource, name, verb });
            }
          }
        }
      }
    } else if (shape === 'nonResource') {
      for (const url of rule.nonResourceURLs) {
        for (const verb of rule.verbs) {
          urlVerbs.push([url, verb]);
        }
      }
    } else {
      keptAsIs.push(rule);
    }
  }
  return [...compactResourceRules(atoms).map(renderResourceRule), ...compactUrlRules(urlVerbs), ...keptAsIs];
}

/**
 * `resource` for a rule with API groups and resources, `nonResource` for one with non-resource
 * URLs (Kubernetes: a rule has one or the other), `other` for anything else.
 */
function shapeOf(rule: any): 'resource' | 'nonResource' | 'other' {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule) || !isNonEmptyStringList(rule.verbs)) {
    return 'other';
  }
  const known = ['apiGroups', 'resources', 'resourceNames', 'verbs', 'nonResourceURLs'];
  if (Object.keys(rule).some((key) => !known.includes(key))) {
    return 'other';
  }
  const hasResources = rule.apiGroups !== undefined || rule.resources !== undefined || rule.resourceNames !== undefined;
  if (rule.nonResourceURLs !== undefined) {
    return !hasResources && isNonEmptyStringList(rule.nonResourceURLs) ? 'nonResource' : 'other';
  }
  const names = rule.resourceNames ?? [];
  // An empty name would read as "every name" once merged: keep such a rule as it is.
  const namesOk = Array.isArray(names) && names.every((name: unknown) => typeof name === 'string' && name !== EVERY_NAME);
  return isNonEmptyStringList(rule.apiGroups) && isNonEmptyStringList(rule.resources) && namesOk ? 'resource' : 'other';
}

function isNonEmptyStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string');
}

function compactResourceRules(atoms: ResourceAtom[]): ResourceRule[] {
  // 1. The verbs of each (group, resource, name); a name is dropped where every name has the verb.
  const verbsOf = new Map<string, { group: string; resource: string; name: string; verbs: Set<string> }>();
  for (const atom of atoms) {
    const key = JSON.stringify([atom.group, atom.resource, atom.name]);
    const entry = verbsOf.get(key) ?? { group: atom.group, resource: atom.resource, name: atom.name, verbs: new Set<string>() };
    entry.verbs.add(atom.verb);
    verbsOf.set(key, entry);
  }
  for (const entry of verbsOf.values()) {
    if (entry.name !== EVERY_NAME) {
      const everyName = verbsOf.get(JSON.stringify([entry.group, entry.resource, EVERY_NAME]));
      for (const verb of everyName?.verbs ?? []) {
        entry.verbs.delete(verb);
      }
    }
  }
  // 2. Resources that share a group, a name and a verb set: one rule.
  let rules = mergeOn([...verbsOf.values()].filter((entry) => entry.verbs.size > 0).map((entry) => ({
    groups: [entry.group],
    resources: [entry.resource],
    names: [entry.name],
    verbs: sortVerbs([...entry.verbs]),
  })), 'resources');
  // 3. Names (never "every name") that share a group, resources and verbs: one rule.
  rules = mergeOn(rules, 'names');
  // 4. Groups that share resources, names and verbs: one rule.
  rules = mergeOn(rules, 'groups');
  return rules.sort(compareRules);
}

/**
 * Merges rules that agree on every list but `field`, concatenating their `field` lists (sorted,
 * without duplicates). Rules for every name are never merged with rules for named objects.
 */
function mergeOn(rules: ResourceRule[], field: keyof ResourceRule): ResourceRule[] {
  const merged = new Map<string, ResourceRule>();
  for (const rule of rules) {
    const everyName = rule.names.includes(EVERY_NAME);
    const key = JSON.stringify([
      field === 'groups' ? null : rule.groups,
      field === 'resources' ? null : rule.resources,
      field === 'names' ? everyName : rule.names,
      field === 'verbs' ? null : rule.verbs,
    ]);
    const found = merged.get(key);
    if (found === undefined || (field === 'names' && everyName)) {
      merged.set(found === undefined ? key : `${key}#${merged.size}`, rule);
    } else {
      merged.set(key, { ...found, [field]: sortUnique([...found[field], ...rule[field]]) });
    }
  }
  return [...merged.values()].map((rule) => ({ ...rule, [field]: sortUnique(rule[field]) }));
}

function compareRules(a: ResourceRule, b: ResourceRule): number {
  return compareLists(a.groups, b.groups)
    || compareLists(a.resources, b.resources)
    || compareLists(a.names, b.names)
    || compareLists(a.verbs.map(verbRank), b.verbs.map(verbRank));
}

function compareLists(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return a[i] < b[i] ? -1 : 1;
    }
  }
  return a.length - b.length;
}

function renderResourceRule(rule: ResourceRule): any {
  const names = rule.names.filter((name) => name !== EVERY_NAME);
  return {
    apiGroups: rule.groups,
    resources: rule.resources,
    ...(names.length > 0 ? { resourceNames: names } : {}),
    verbs: rule.verbs,
  };
}

function compactUrlRules(urlVerbs: Array<[string, string]>): any[] {
  const verbsOfUrl = new Map<string, Set<string>>();
  for (const [url, verb] of urlVerbs) {
    verbsOfUrl.set(url, (verbsOfUrl.get(url) ?? new Set<string>()).add(verb));
  }
  const urlsOfVerbs = new Map<string, { verbs: string[]; urls: string[] }>();
  for (const [url, verbs] of verbsOfUrl) {
    const sorted = sortVerbs([...verbs]);
    const key = JSON.stringify(sorted);
    const entry = urlsOfVerbs.get(key) ?? { verbs: sorted, urls: [] };
    entry.urls.push(url);
    urlsOfVerbs.set(key, entry);
  }
  return [...urlsOfVerbs.values()]
    .map((entry) => ({ nonResourceURLs: sortUnique(entry.urls), verbs: entry.verbs }))
    .sort((a, b) => compareLists(a.nonResourceURLs, b.nonResourceURLs));
}

/** A verb's position: the known verbs in their usual order, then any other verb. */
function verbRank(verb: string): number {
  const index = KNOWN_VERBS.indexOf(verb);
  return index >= 0 ? index : KNOWN_VERBS.length;
}

function sortVerbs(verbs: string[]): string[] {
  return [...new Set(verbs)].sort((a, b) => verbRank(a) - verbRank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function sortUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
