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

/** A rule normalised for comparisons: sorted single-valued fields, `resourceNames` only when non-empty. */
export interface SimpleRule {
  readonly apiGroup: string;
  readonly resource: string;
  readonly resourceNames?: string[];
  readonly verbs: string[];
}

/** The rules of a Role or ClusterRole, one entry per (group, resource). */
export function simpleRules(role: any): SimpleRule[] {
  const result: SimpleRule[] = [];
  for (const rule of role.rules ?? []) {
    for (const apiGroup of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const names = rule.resourceNames ?? [];
        result.push(names.length > 0
          ? { apiGroup, resource, resourceNames: [...names], verbs: [...rule.verbs] }
          : { apiGroup, resource, verbs: [...rule.verbs] });
      }
    }
  }
  return result;
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
