/**
 * Reading the plain manifests: unpacking lists, naming objects as findings do, and the few
 * facts the rules need beyond the models.
 *
 * Internal module.
 */
import { forEachManifest } from '../analysis/manifest-list';
import { describeValue, parseApiVersion } from '../core';

/**
 * The objects, lists unpacked and null entries dropped, exactly as the models read them (the
 * one unpacking helper of both models).
 *
 * @throws Error when `objects` is not an array or an entry is not an object, naming its position
 */
export function flattenObjects(where: string, objects: any): any[] {
  if (!Array.isArray(objects)) {
    throw new Error(`${where}: expected a list of Kubernetes objects (plain manifests, as in YAML), got ${describeValue(objects)}`);
  }
  const result: any[] = [];
  try {
    forEachManifest(objects, 'objects', (obj) => result.push(obj));
  } catch (e: any) {
    throw new Error(`${where}: ${e.message}`);
  }
  return result;
}

/** The API group of an object's apiVersion (`''` for core `v1`; `undefined` when malformed). */
export function apiGroupOf(obj: any): string | undefined {
  return typeof obj?.apiVersion === 'string' ? parseApiVersion(obj.apiVersion)?.group : undefined;
}

/** The form of an object reference as findings write it: `Kind name` or `Kind namespace/name`. */
export const OBJECT_REF = /^[A-Za-z][A-Za-z0-9]* ([^\s/]+\/)?[^\s/]+$/;

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

/** Whether a quantity is zero: `0`, `"0"`, `"00"`, `"0.0"`. */
function isZero(quantity: any): boolean {
  return quantity === 0 || (typeof quantity === 'string' && /^\+?0+(\.0*)?$/.test(quantity.trim()));
}

/**
 * The ResourceQuotas that keep a namespace free of pods: `spec.hard.pods` (or `count/pods`) of
 * zero, without scopes (a scoped quota counts only some pods).
 */
// Kubernetes: pkg/quota/v1/evaluator/core/pods.go (the pods quota counts every pod of the namespace unless scoped)
export function podFreeQuotas(objects: readonly any[], namespace: string): any[] {
  return objectsOfKind(objects, 'ResourceQuota', '').filter((q) => q.metadata?.namespace === namespace
    && (isZero(q.spec?.hard?.pods) || isZero(q.spec?.hard?.['count/pods']))
    && !(Array.isArray(q.spec?.scopes) && q.spec.scopes.length > 0)
    && (q.spec?.scopeSelector === undefined || q.spec?.scopeSelector === null));
}

/** Unique strings, in first-seen order. */
export function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}
