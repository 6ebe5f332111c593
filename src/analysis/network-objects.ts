/**
 * Reading plain Kubernetes/Calico objects (as they appear in YAML) with clear errors.
 *
 * Internal module of the network model.
 */
import { describeValue, fail as coreFail } from '../core/errors';

/** Which object a value was read from; used in every error message. */
export class ObjectRef {
  /**
   * @param kind the object's kind, e.g. `NetworkPolicy`
   * @param apiVersion the object's apiVersion
   * @param name metadata.name (may be missing while the name itself is being validated)
   * @param namespace metadata.namespace for namespaced kinds
   */
  constructor(
    public readonly kind: string,
    public readonly apiVersion: string,
    public readonly name: string | undefined,
    public readonly namespace: string | undefined,
  ) {}

  /** `Kind namespace/name (apiVersion)`. */
  public toString(): string {
    const name = typeof this.name === 'string' && this.name !== '' ? this.name : '(unnamed)';
    const qualified = this.namespace === undefined ? name : `${this.namespace}/${name}`;
    return `${this.kind} ${qualified} (${this.apiVersion})`;
  }
}

/**
 * Throws an Error naming the object, the field, what was wrong and what would be right (the
 * package's one error format, from core).
 */
export const fail: (ref: ObjectRef | string, field: string, problem: string) => never = coreFail;

/** A short, readable rendering of a manifest value for error messages (core's `describeValue`). */
export const show: (value: any) => string = describeValue;

/** True for a plain (non-array) object. */
export function isObject(value: any): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An optional object field; `undefined` when absent or null. */
export function optObject(parent: any, key: string, ref: ObjectRef, field: string): any | undefined {
  const value = parent === undefined || parent === null ? undefined : parent[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!isObject(value)) {
    fail(ref, field, `expected an object, got ${show(value)}`);
  }
  return value;
}

/** An optional array field; `undefined` when absent or null. */
export function optArray(parent: any, key: string, ref: ObjectRef, field: string): any[] | undefined {
  const value = parent === undefined || parent === null ? undefined : parent[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    fail(ref, field, `expected a list, got ${show(value)}`);
  }
  return value;
}

/** An optional string field. */
export function optString(parent: any, key: string, ref: ObjectRef, field: string): string | undefined {
  const value = parent === undefined || parent === null ? undefined : parent[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    fail(ref, field, `expected a string, got ${show(value)}`);
  }
  return value;
}

/** An optional finite number field. */
export function optNumber(parent: any, key: string, ref: ObjectRef, field: string): number | undefined {
  const value = parent === undefined || parent === null ? undefined : parent[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(ref, field, `expected a number, got ${show(value)}`);
  }
  return value;
}

/** An optional boolean field. */
export function optBoolean(parent: any, key: string, ref: ObjectRef, field: string): boolean | undefined {
  const value = parent === undefined || parent === null ? undefined : parent[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'boolean') {
    fail(ref, field, `expected true or false, got ${show(value)}`);
  }
  return value;
}

/** An optional list of strings. */
export function optStringArray(parent: any, key: string, ref: ObjectRef, field: string): string[] | undefined {
  const list = optArray(parent, key, ref, field);
  if (list === undefined) {
    return undefined;
  }
  list.forEach((item, i) => {
    if (typeof item !== 'string') {
      fail(ref, `${field}[${i}]`, `expected a string, got ${show(item)}`);
    }
  });
  return list as string[];
}

/** An optional string-to-string map (labels, annotations, matchLabels). */
export function optStringMap(parent: any, key: string, ref: ObjectRef, field: string): { [key: string]: string } | undefined {
  const map = optObject(parent, key, ref, field);
  if (map === undefined) {
    return undefined;
  }
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== 'string') {
      fail(ref, `${field}.${k}`, `expected a string value, got ${show(v)} (quote numbers and booleans in label values)`);
    }
    out[k] = v;
  }
  return out;
}

export { closestNames, editDistance } from '../core/suggest';
