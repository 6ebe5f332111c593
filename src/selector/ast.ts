/**
 * Abstract syntax tree of the Calico selector language, with evaluation,
 * canonical printing and the static analyses used to index policies.
 *
 * This module is internal: it is imported by path (`../selector/ast`) and is
 * not re-exported by the `selector` barrel.
 *
 * The node shapes mirror the ones of Calico's libcalico-go parser so that the
 * canonical form printed here is exactly what Calico prints for the same
 * selector:
 *
 * - `&&` and `||` groups are always printed as a whole in parentheses,
 *   `(a == "x" && b == "y")`, and are never flattened (`(a && b) && c` stays
 *   nested);
 * - `!` is printed directly in front of its operand (the parser collapses
 *   consecutive `!`, so `!!x` parses as `x`);
 * - values are printed in double quotes unless they contain a double quote, in
 *   which case single quotes are used;
 * - set members are sorted (by code point, which is the byte order of their
 *   UTF-8 encoding, as in Go) and de-duplicated, and separated by `", "`.
 */

/** Label maps as accepted by {@link evaluate}. */
export type Labels = { readonly [key: string]: string };

/**
 * The label Calico adds to namespaced endpoints (workload endpoints and
 * namespaced network sets). `global()` matches only endpoints without it.
 */
export const NAMESPACE_LABEL = 'projectcalico.org/namespace';

/** Longest label key Calico's tokenizer accepts. */
export const MAX_LABEL_KEY_LENGTH = 512;

/** `all()` (and the empty selector): matches everything. */
export interface AllNode {
  readonly kind: 'all';
}

/** `global()`: matches only non-namespaced endpoints. */
export interface GlobalNode {
  readonly kind: 'global';
}

/** `has(key)`. */
export interface HasNode {
  readonly kind: 'has';
  readonly key: string;
}

/** `key == "value"`. */
export interface EqNode {
  readonly kind: 'eq';
  readonly key: string;
  readonly value: string;
}

/** `key != "value"`. */
export interface NeNode {
  readonly kind: 'ne';
  readonly key: string;
  readonly value: string;
}

/** `key contains "value"`. */
export interface ContainsNode {
  readonly kind: 'contains';
  readonly key: string;
  readonly value: string;
}

/** `key starts with "value"`. */
export interface StartsWithNode {
  readonly kind: 'startsWith';
  readonly key: string;
  readonly value: string;
}

/** `key ends with "value"`. */
export interface EndsWithNode {
  readonly kind: 'endsWith';
  readonly key: string;
  readonly value: string;
}

/** `key in {"a", "b"}`. */
export interface InNode {
  readonly kind: 'in';
  readonly key: string;
  /** Sorted, de-duplicated members. */
  readonly values: readonly string[];
  /** The same members, for constant-time lookups. */
  readonly set: ReadonlySet<string>;
}

/** `key not in {"a", "b"}`. */
export interface NotInNode {
  readonly kind: 'notIn';
  readonly key: string;
  /** Sorted, de-duplicated members. */
  readonly values: readonly string[];
  /** The same members, for constant-time lookups. */
  readonly set: ReadonlySet<string>;
}

/**
 * `!operand`. Calico collapses consecutive `!` tokens while parsing, but a
 * negated parenthesised negation (`!(!a)`) is kept as two nodes and printed
 * `!!a`, exactly as Calico does.
 */
export interface NotNode {
  readonly kind: 'not';
  readonly operand: SelectorNode;
}

/** `(a && b && …)`, at least two operands. */
export interface AndNode {
  readonly kind: 'and';
  readonly operands: readonly SelectorNode[];
}

/** `(a || b || …)`, at least two operands. */
export interface OrNode {
  readonly kind: 'or';
  readonly operands: readonly SelectorNode[];
}

/** Operations comparing one label with one string value. */
export type ValueNode = EqNode | NeNode | ContainsNode | StartsWithNode | EndsWithNode;

/** Operations comparing one label with a set of values. */
export type SetNode = InNode | NotInNode;

/** Any node of a parsed selector. */
export type SelectorNode =
  | AllNode
  | GlobalNode
  | HasNode
  | ValueNode
  | SetNode
  | NotNode
  | AndNode
  | OrNode;

const ALL: AllNode = Object.freeze({ kind: 'all' });
const GLOBAL: GlobalNode = Object.freeze({ kind: 'global' });

/** The `all()` node. */
export function allNode(): AllNode {
  return ALL;
}

/** The `global()` node. */
export function globalNode(): GlobalNode {
  return GLOBAL;
}

/** A `has(key)` node. */
export function hasNode(key: string): HasNode {
  return { kind: 'has', key };
}

/** A node comparing label `key` with `value`. */
export function valueNode(kind: ValueNode['kind'], key: string, value: string): ValueNode {
  return { kind, key, value };
}

/** A node testing label `key` against a set; `values` is sorted and de-duplicated here. */
export function setNode(kind: SetNode['kind'], key: string, values: readonly string[]): SetNode {
  const sorted = sortUnique(values);
  return { kind, key, values: sorted, set: new Set(sorted) };
}

/** `!operand`, kept as written (see {@link NotNode}). */
export function notNode(operand: SelectorNode): NotNode {
  return { kind: 'not', operand };
}

/** A conjunction; a single operand is returned as it is. */
export function andNode(operands: readonly SelectorNode[]): SelectorNode {
  if (operands.length === 0) {
    throw new Error('A Calico selector conjunction (&&) needs at least one operand');
  }
  return operands.length === 1 ? operands[0] : { kind: 'and', operands: [...operands] };
}

/** A disjunction; a single operand is returned as it is. */
export function orNode(operands: readonly SelectorNode[]): SelectorNode {
  if (operands.length === 0) {
    throw new Error('A Calico selector disjunction (||) needs at least one operand');
  }
  return operands.length === 1 ? operands[0] : { kind: 'or', operands: [...operands] };
}

/**
 * Orders strings by Unicode code point, which is the byte order of their UTF-8
 * encoding (the order Go's `sort.Strings` gives Calico). It differs from
 * JavaScript's default UTF-16 order only for characters above U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xSurrogate = x >= 0xd800 && x <= 0xdfff;
      const ySurrogate = y >= 0xd800 && y <= 0xdfff;
      if (xSurrogate !== ySurrogate) {
        // A surrogate starts a code point above U+FFFF: it sorts after every
        // other UTF-16 unit.
        return xSurrogate ? 1 : -1;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

function sortUnique(values: readonly string[]): string[] {
  const sorted = [...values].sort(compareCodePoints);
  const out: string[] = [];
  for (const v of sorted) {
    if (out.length === 0 || out[out.length - 1] !== v) {
      out.push(v);
    }
  }
  return out;
}

/**
 * Evaluates a selector against a label map.
 *
 * A label is present when the map has a string value for it. A missing label
 * makes `==`, `in`, `contains`, `starts with` and `ends with` false and `!=`
 * and `not in` true. `global()` is true when the labels have no
 * `projectcalico.org/namespace` key (the label Calico adds to namespaced
 * endpoints).
 */
export function evaluate(node: SelectorNode, labels: Labels): boolean {
  switch (node.kind) {
    case 'all':
      return true;
    case 'global':
      return typeof labels[NAMESPACE_LABEL] !== 'string';
    case 'has':
      return typeof labels[node.key] === 'string';
    case 'eq':
      return labels[node.key] === node.value;
    case 'ne':
      return labels[node.key] !== node.value;
    case 'in': {
      const v = labels[node.key];
      return typeof v === 'string' && node.set.has(v);
    }
    case 'notIn': {
      const v = labels[node.key];
      return typeof v !== 'string' || !node.set.has(v);
    }
    case 'contains': {
      const v = labels[node.key];
      return typeof v === 'string' && v.includes(node.value);
    }
    case 'startsWith': {
      const v = labels[node.key];
      return typeof v === 'string' && v.startsWith(node.value);
    }
    case 'endsWith': {
      const v = labels[node.key];
      return typeof v === 'string' && v.endsWith(node.value);
    }
    case 'not':
      return !evaluate(node.operand, labels);
    case 'and': {
      const ops = node.operands;
      for (let i = 0; i < ops.length; i++) {
        if (!evaluate(ops[i], labels)) {
          return false;
        }
      }
      return true;
    }
    case 'or': {
      const ops = node.operands;
      for (let i = 0; i < ops.length; i++) {
        if (evaluate(ops[i], labels)) {
          return true;
        }
      }
      return false;
    }
  }
}

const OPERATOR_TEXT: { readonly [K in ValueNode['kind']]: string } = {
  eq: ' == ',
  ne: ' != ',
  contains: ' contains ',
  startsWith: ' starts with ',
  endsWith: ' ends with ',
};

/** Quotes a value the way Calico prints it: `"…"`, or `'…'` when it contains `"`. */
export function quoteValue(value: string): string {
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

function collect(node: SelectorNode, out: string[]): void {
  switch (node.kind) {
    case 'all':
      out.push('all()');
      return;
    case 'global':
      out.push('global()');
      return;
    case 'has':
      out.push('has(', node.key, ')');
      return;
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      out.push(node.key, OPERATOR_TEXT[node.kind], quoteValue(node.value));
      return;
    case 'in':
    case 'notIn':
      out.push(node.key, node.kind === 'in' ? ' in {' : ' not in {', node.values.map(quoteValue).join(', '), '}');
      return;
    case 'not':
      out.push('!');
      collect(node.operand, out);
      return;
    case 'and':
    case 'or': {
      const sep = node.kind === 'and' ? ' && ' : ' || ';
      out.push('(');
      node.operands.forEach((op, i) => {
        if (i > 0) {
          out.push(sep);
        }
        collect(op, out);
      });
      out.push(')');
      return;
    }
  }
}

/** Prints a node in Calico's canonical form (what libcalico-go's `String()` prints). */
export function nodeToString(node: SelectorNode): string {
  const out: string[] = [];
  collect(node, out);
  return out.join('');
}

/**
 * Finite value constraints implied by a selector: for each key `k` of the
 * result, every label map the selector matches has label `k` with a value in
 * the set. An empty set means the selector can never match.
 *
 * Constraints come from `k == "v"`, `k in {…}` and their negated opposites
 * (`!k != "v"`, `!k not in {…}`, `!(!k == "v")`), are intersected across
 * `&&` and, for keys constrained by every branch, united across `||`.
 *
 * Returns `undefined` when nothing can be said.
 */
export function requiredEqualities(node: SelectorNode): Map<string, Set<string>> | undefined {
  const result = equalities(node);
  return result.size === 0 ? undefined : result;
}

function equalities(node: SelectorNode): Map<string, Set<string>> {
  switch (node.kind) {
    case 'eq':
      return new Map([[node.key, new Set([node.value])]]);
    case 'in':
      return new Map([[node.key, new Set(node.values)]]);
    case 'not': {
      const inner = node.operand;
      if (inner.kind === 'ne') {
        return new Map([[inner.key, new Set([inner.value])]]);
      }
      if (inner.kind === 'notIn') {
        return new Map([[inner.key, new Set(inner.values)]]);
      }
      if (inner.kind === 'not') {
        return equalities(inner.operand);
      }
      return new Map();
    }
    case 'and': {
      const result = new Map<string, Set<string>>();
      for (const op of node.operands) {
        for (const [key, values] of equalities(op)) {
          const existing = result.get(key);
          result.set(key, existing === undefined ? values : intersect(existing, values));
        }
      }
      return result;
    }
    case 'or': {
      let result = equalities(node.operands[0]);
      for (let i = 1; i < node.operands.length && result.size > 0; i++) {
        const next = equalities(node.operands[i]);
        const merged = new Map<string, Set<string>>();
        for (const [key, values] of result) {
          const other = next.get(key);
          if (other !== undefined) {
            merged.set(key, new Set([...values, ...other]));
          }
        }
        result = merged;
      }
      return result;
    }
    default:
      return new Map();
  }
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const v of a) {
    if (b.has(v)) {
      out.add(v);
    }
  }
  return out;
}

/**
 * Label keys that every label map matched by the selector has: keys of `has`,
 * `==`, `in`, `contains`, `starts with` and `ends with` (and of the negated
 * opposites `!k != "v"`, `!k not in {…}`, `!(!has(k))`, …), united across
 * `&&` and intersected across `||`.
 */
export function requiredKeys(node: SelectorNode): Set<string> {
  switch (node.kind) {
    case 'has':
    case 'eq':
    case 'in':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return new Set([node.key]);
    case 'not': {
      const inner = node.operand;
      if (inner.kind === 'not') {
        return requiredKeys(inner.operand);
      }
      return inner.kind === 'ne' || inner.kind === 'notIn' ? new Set([inner.key]) : new Set();
    }
    case 'and': {
      const result = new Set<string>();
      for (const op of node.operands) {
        for (const key of requiredKeys(op)) {
          result.add(key);
        }
      }
      return result;
    }
    case 'or': {
      let result = requiredKeys(node.operands[0]);
      for (let i = 1; i < node.operands.length && result.size > 0; i++) {
        result = intersect(result, requiredKeys(node.operands[i]));
      }
      return result;
    }
    default:
      return new Set();
  }
}

/** True for the characters Calico allows in label keys: `[A-Za-z0-9_./-]`. */
export function isLabelKeyChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x5f || // _
    code === 0x2e || // .
    code === 0x2f || // /
    code === 0x2d // -
  );
}
