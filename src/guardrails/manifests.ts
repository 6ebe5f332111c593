/**
 * Reading the plain manifests: unpacking lists, naming objects as findings do, and the few
 * facts the rules need beyond the models.
 *
 * Internal module.
 */
import { Subject } from '../analysis';
import { CALICO_API_GROUP, DEFAULT_TIER, describeValue } from '../core';

/** The API group of Kubernetes RBAC. */
export const RBAC_API_GROUP = 'rbac.authorization.k8s.io';

/**
 * The objects, with `kind: List` (and `*List` with `items`) unpacked and null entries dropped,
 * as the models read them.
 *
 * @throws Error when `objects` is not an array or an entry is not an object
 */
export function flattenObjects(where: string, objects: any): any[] {
  if (!Array.isArray(objects)) {
    throw new Error(`${where}: expected a list of Kubernetes objects (plain manifests, as in YAML), got ${describeValue(objects)}`);
  }
  const result: any[] = [];
  const visit = (obj: any, at: string): void => {
    if (obj === undefined || obj === null) {
      return;
    }
    if (typeof obj !== 'object' || Array.isArray(obj)) {
      throw new Error(`${where}: ${at}: expected a Kubernetes object, got ${describeValue(obj)}`);
    }
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      obj.items.forEach((item: any, i: number) => visit(item, `${at}.items[${i}]`));
      return;
    }
    result.push(obj);
  };
  objects.forEach((obj, i) => visit(obj, `objects[${i}]`));
  return result;
}

/** The API group of an object's apiVersion (`''` for core `v1`). */
export function apiGroupOf(obj: any): string {
  const version = typeof obj?.apiVersion === 'string' ? obj.apiVersion : '';
  return version.includes('/') ? version.slice(0, version.indexOf('/')) : '';
}

/** How findings name an object: `Kind namespace/name` or `Kind name`. */
export function objectRef(kind: string, name: string, namespace?: string): string {
  return namespace === undefined || namespace === '' ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;
}

/** The reference of a manifest object. */
export function refOf(obj: any): string {
  return objectRef(String(obj?.kind), String(obj?.metadata?.name), obj?.metadata?.namespace);
}

/** Objects of a kind (and API group), in manifest order. */
export function objectsOfKind(objects: readonly any[], kind: string, apiGroup: string): any[] {
  return objects.filter((o) => o?.kind === kind && apiGroupOf(o) === apiGroup);
}

/**
 * Every subject named by a RoleBinding or ClusterRoleBinding (a namespace-less ServiceAccount of
 * a RoleBinding is of the binding's namespace, as the Kubernetes RBAC authorizer defaults it).
 *
 * Stopgap: `RbacModel.whoCan()` enumerates the same subjects but takes no subresource, so the
 * rules about `serviceaccounts/token`, `nodes/proxy` and `pods/exec` ask `RbacModel.check()`
 * for each of these. The model decides; this only lists whom to ask about.
 */
// Kubernetes: pkg/registry/rbac/validation/rule.go appliesToUser (a namespace-less ServiceAccount subject)
export function bindingSubjects(objects: readonly any[]): Subject[] {
  const result: Subject[] = [];
  for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
    for (const binding of objectsOfKind(objects, kind, RBAC_API_GROUP)) {
      const subjects = Array.isArray(binding.subjects) ? binding.subjects : [];
      for (const s of subjects) {
        if (typeof s?.name !== 'string' || !['User', 'Group', 'ServiceAccount'].includes(s?.kind)) {
          continue;
        }
        if (s.kind === 'ServiceAccount') {
          const namespace = s.namespace ?? binding.metadata?.namespace;
          if (typeof namespace === 'string' && namespace !== '') {
            result.push({ kind: 'ServiceAccount', name: s.name, namespace });
          }
        } else {
          result.push({ kind: s.kind, name: s.name });
        }
      }
    }
  }
  return result;
}

/** The names of the Calico tiers declared in the manifests, plus `default`, sorted. */
export function tierNames(objects: readonly any[]): string[] {
  const names = new Set<string>([DEFAULT_TIER]);
  for (const tier of objectsOfKind(objects, 'Tier', CALICO_API_GROUP)) {
    if (typeof tier.metadata?.name === 'string') {
      names.add(tier.metadata.name);
    }
  }
  return [...names].sort();
}

/**
 * Every namespace the manifests mention: declared Namespaces and the namespaces of namespaced
 * objects, sorted.
 */
export function mentionedNamespaces(objects: readonly any[]): string[] {
  const names = new Set<string>();
  for (const obj of objects) {
    if (obj?.kind === 'Namespace' && apiGroupOf(obj) === '' && typeof obj.metadata?.name === 'string') {
      names.add(obj.metadata.name);
    }
    if (typeof obj?.metadata?.namespace === 'string' && obj.metadata.namespace !== '') {
      names.add(obj.metadata.namespace);
    }
  }
  return [...names].sort();
}

/** Unique strings, in first-seen order. */
export function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}
