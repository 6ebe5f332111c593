/**
 * Test support for RBAC manifests: finding objects and rules, and the no-wildcard check.
 * Other test folders may import this module.
 */

/** The object of `kind` named `name` (and in `namespace`, if given); throws if absent. */
export function findObject(manifests: any[], kind: string, name: string, namespace?: string): any {
  const found = manifests.find((m) => m.kind === kind && m.metadata?.name === name
    && (namespace === undefined || m.metadata?.namespace === namespace));
  if (found === undefined) {
    const present = manifests.map((m) => `${m.kind}/${m.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata?.name}`).join(', ');
    throw new Error(`no ${kind} "${name}"${namespace ? ` in ${namespace}` : ''}; present: ${present}`);
  }
  return found;
}

/** One grant of a role, for comparisons: verbs on one resource, on every object or on named ones. */
export interface SimpleRule {
  readonly apiGroup: string;
  readonly resource: string;
  /** The object name; absent for every object. */
  readonly resourceNames?: string[];
  readonly verbs: string[];
}

/** The usual order of verbs; others come after, sorted. */
const VERB_ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * What a Role or ClusterRole grants, independent of how its rules are laid out: one entry per
 * (API group, resource, object name or every object) with its verbs (in the usual order), sorted
 * by API group, resource, then name (every object first). Two roles with equal entries grant the
 * same.
 */
export function simpleRules(role: any): SimpleRule[] {
  const verbsOf = new Map<string, { apiGroup: string; resource: string; name?: string; verbs: Set<string> }>();
  for (const rule of role.rules ?? []) {
    const names: (string | undefined)[] = (rule.resourceNames ?? []).length > 0 ? rule.resourceNames : [undefined];
    for (const apiGroup of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        for (const name of names) {
          const key = JSON.stringify([apiGroup, resource, name ?? null]);
          const entry = verbsOf.get(key) ?? { apiGroup, resource, name, verbs: new Set<string>() };
          for (const verb of rule.verbs ?? []) entry.verbs.add(verb);
          verbsOf.set(key, entry);
        }
      }
    }
  }
  const rank = (verb: string) => (VERB_ORDER.includes(verb) ? VERB_ORDER.indexOf(verb) : VERB_ORDER.length);
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...verbsOf.values()]
    .sort((a, b) => compare(a.apiGroup, b.apiGroup) || compare(a.resource, b.resource) || compare(a.name ?? '', b.name ?? ''))
    .map(({ apiGroup, resource, name, verbs }) => {
      const sorted = [...verbs].sort((x, y) => rank(x) - rank(y) || compare(x, y));
      return name === undefined ? { apiGroup, resource, verbs: sorted } : { apiGroup, resource, resourceNames: [name], verbs: sorted };
    });
}

/**
 * Expected grants in the form `simpleRules` returns them (same order, verbs in the usual
 * order), so that tests can list them in the order that reads best.
 */
export function grants(expected: SimpleRule[]): SimpleRule[] {
  return simpleRules({
    rules: expected.map((e) => ({ apiGroups: [e.apiGroup], resources: [e.resource], resourceNames: e.resourceNames, verbs: e.verbs })),
  });
}

/** The subjects of a binding as `Kind:namespace/name` strings (namespace only for service accounts). */
export function subjectsOf(binding: any): string[] {
  return (binding.subjects ?? []).map((s: any) => `${s.kind}:${s.namespace ? `${s.namespace}/` : ''}${s.name}`);
}

/**
 * The problems of every Role and ClusterRole among `manifests` with wildcards: `*` in verbs,
 * API groups or resources, non-resource URLs, and `*` in resource names other than Calico's
 * tier wildcard `<tier>.*` on a `tier.<resource>` of `projectcalico.org`.
 */
export function wildcardProblems(manifests: any[]): string[] {
  const problems: string[] = [];
  for (const role of manifests.filter((m) => m.kind === 'Role' || m.kind === 'ClusterRole')) {
    const where = `${role.kind} ${role.metadata.name}`;
    for (const rule of role.rules ?? []) {
      for (const verb of rule.verbs ?? []) if (verb.includes('*')) problems.push(`${where}: verb ${verb}`);
      for (const group of rule.apiGroups ?? []) if (group.includes('*')) problems.push(`${where}: apiGroup ${group}`);
      for (const resource of rule.resources ?? []) if (resource.includes('*')) problems.push(`${where}: resource ${resource}`);
      if (rule.nonResourceURLs !== undefined || rule.nonResourceUrLs !== undefined) problems.push(`${where}: non-resource URLs`);
      for (const name of rule.resourceNames ?? []) {
        if (!name.includes('*')) continue;
        const tierWildcard = /^[a-z0-9-]+\.\*$/.test(name)
          && (rule.resources ?? []).every((r: string) => r.startsWith('tier.'))
          && (rule.apiGroups ?? []).every((g: string) => g === 'projectcalico.org');
        if (!tierWildcard) problems.push(`${where}: resourceName ${name}`);
      }
    }
  }
  return problems;
}
