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

/** The nodes that have no operand: everything but `!`, `&&` and `||`. */
export type LeafNode = Exclude<SelectorNode, NotNode | AndNode | OrNode>;

/** The nodes that have operands: `!`, `&&` and `||`. */
export type BranchNode = NotNode | AndNode | OrNode;

/**
 * Nesting depth up to which {@link evaluate} recurses. Deeper subtrees are
 * evaluated with an explicit stack, so that no selector overflows the call
 * stack; the recursion keeps the common, shallow case fast.
 */
const RECURSION_DEPTH = 200;

/**
 * Evaluates a selector against a label map.
 *
 * A label is present when the map has a string value for it. A missing label
 * makes `==`, `in`, `contains`, `starts with` and `ends with` false and `!=`
 * and `not in` true. `global()` is true when the labels have no
 * `projectcalico.org/namespace` key (the label Calico adds to namespaced
 * endpoints).
 *
 * Trees of any depth are evaluated (no recursion limit, as in Calico).
 */
export function evaluate(node: SelectorNode, labels: Labels): boolean {
  return evaluateAt(node, labels, 0);
}

// Calico: libcalico-go/lib/selector/parser/ast.go, the Evaluate methods.
function evaluateAt(node: SelectorNode, labels: Labels, depth: number): boolean {
  switch (node.kind) {
    case 'not':
      return depth < RECURSION_DEPTH ? !evaluateAt(node.operand, labels, depth + 1) : evaluateDeep(node, labels);
    case 'and': {
      if (depth >= RECURSION_DEPTH) {
        return evaluateDeep(node, labels);
      }
      const ops = node.operands;
      for (let i = 0; i < ops.length; i++) {
        if (!evaluateAt(ops[i], labels, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    case 'or': {
      if (depth >= RECURSION_DEPTH) {
        return evaluateDeep(node, labels);
      }
      const ops = node.operands;
      for (let i = 0; i < ops.length; i++) {
        if (evaluateAt(ops[i], labels, depth + 1)) {
          return true;
        }
      }
      return false;
    }
    default:
      return evaluateLeaf(node, labels);
  }
}

/** {@link evaluate} without recursion: a depth-first walk with an explicit stack. */
function evaluateDeep(root: SelectorNode, labels: Labels): boolean {
  // The ancestors of the node being evaluated and, for each, the index of
  // the operand being evaluated.
  const path: BranchNode[] = [];
  const index: number[] = [];
  let node = root;
  for (;;) {
    while (node.kind === 'not' || node.kind === 'and' || node.kind === 'or') {
      path.push(node);
      index.push(0);
      node = node.kind === 'not' ? node.operand : node.operands[0];
    }
    let result = evaluateLeaf(node, labels);
    // Climb while the result is the value of the parent.
    for (;;) {
      const top = path.length - 1;
      if (top < 0) {
        return result;
      }
      const parent = path[top];
      if (parent.kind === 'not') {
        result = !result;
      } else {
        const next = index[top] + 1;
        // `&&` is decided by a false operand, `||` by a true one.
        if (result !== (parent.kind === 'or') && next < parent.operands.length) {
          index[top] = next;
          node = parent.operands[next];
          break;
        }
      }
      path.pop();
      index.pop();
    }
  }
}

function evaluateLeaf(node: LeafNode, labels: Labels): boolean {
  switch (node.kind) {
    case 'all':
      return true;
    case 'global':
      // Calico's GlobalNode.Evaluate is always true, but Calico accepts global()
      // only as a rule's whole namespaceSelector, which it rewrites to
      // !has(projectcalico.org/namespace): that is the meaning used here.
      // Calico: libcalico-go/lib/backend/syncersv1/updateprocessors/rules.go getEndpointSelector
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
// Calico: libcalico-go/lib/selector/parser/ast.go appendLabelOpAndQuotedString
export function quoteValue(value: string): string {
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

/**
 * Prints a node in Calico's canonical form (what libcalico-go's `String()`
 * prints). Trees of any depth are printed (no recursion).
 */
// Calico: libcalico-go/lib/selector/parser/ast.go, the collectFragments methods.
export function nodeToString(root: SelectorNode): string {
  const out: string[] = [];
  // What is left to print, last item first: nodes and literal text.
  const todo: (SelectorNode | string)[] = [root];
  while (todo.length > 0) {
    const item = todo.pop()!;
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    switch (item.kind) {
      case 'all':
        out.push('all()');
        break;
      case 'global':
        out.push('global()');
        break;
      case 'has':
        out.push('has(', item.key, ')');
        break;
      case 'eq':
      case 'ne':
      case 'contains':
      case 'startsWith':
      case 'endsWith':
        out.push(item.key, OPERATOR_TEXT[item.kind], quoteValue(item.value));
        break;
      case 'in':
      case 'notIn':
        out.push(item.key, item.kind === 'in' ? ' in {' : ' not in {', item.values.map(quoteValue).join(', '), '}');
        break;
      case 'not':
        out.push('!');
        todo.push(item.operand);
        break;
      case 'and':
      case 'or': {
        const sep = item.kind === 'and' ? ' && ' : ' || ';
        const ops = item.operands;
        out.push('(');
        todo.push(')');
        for (let i = ops.length - 1; i > 0; i--) {
          todo.push(ops[i], sep);
        }
        todo.push(ops[0]);
        break;
      }
    }
  }
  return out.join('');
}

/** Strips pairs of negations: `!!x` means `x`. */
function withoutDoubleNegation(node: SelectorNode): SelectorNode {
  let n = node;
  while (n.kind === 'not' && n.operand.kind === 'not') {
    n = n.operand.operand;
  }
  return n;
}

interface FoldFrame<T> {
  readonly node: AndNode | OrNode;
  /** Index of the operand being folded. */
  next: number;
  /** The operands folded so far (unset before the first one). */
  acc?: T;
}

/**
 * Folds a tree bottom-up without recursion, in time linear in its size.
 *
 * Pairs of negations are removed first (`!!x` is `x`); `leaf` gives the value
 * of every other node that is not `&&` or `||` (including a single negation
 * of anything, whose operand is not visited). `combine` folds the value of
 * the next operand of an `&&` or `||` into the value of the operands before
 * it (it may modify and return `acc`). When `absorbing` says the value so far
 * decides the operator, the remaining operands are skipped.
 */
function foldTree<T>(
  root: SelectorNode,
  leaf: (node: SelectorNode) => T,
  combine: (kind: 'and' | 'or', acc: T, value: T) => T,
  absorbing: (kind: 'and' | 'or', acc: T) => boolean,
): T {
  const frames: FoldFrame<T>[] = [];
  let node = withoutDoubleNegation(root);
  for (;;) {
    while (node.kind === 'and' || node.kind === 'or') {
      frames.push({ node, next: 0 });
      node = withoutDoubleNegation(node.operands[0]);
    }
    let value = leaf(node);
    for (;;) {
      const frame = frames[frames.length - 1];
      if (frame === undefined) {
        return value;
      }
      const kind = frame.node.kind;
      const acc: T = frame.next === 0 ? value : combine(kind, frame.acc as T, value);
      frame.next++;
      if (frame.next < frame.node.operands.length && !absorbing(kind, acc)) {
        frame.acc = acc;
        node = withoutDoubleNegation(frame.node.operands[frame.next]);
        break;
      }
      frames.pop();
      value = acc;
    }
  }
}

/** Elements of both sets; iterates over the smaller one. */
function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const out = new Set<string>();
  for (const v of small) {
    if (large.has(v)) {
      out.add(v);
    }
  }
  return out;
}

/** Elements of either set: adds the smaller set to the larger one, and returns it. */
function uniteInto(a: Set<string>, b: Set<string>): Set<string> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const v of small) {
    large.add(v);
  }
  return large;
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
 * Returns `undefined` when nothing can be said. The maps and sets returned
 * are fresh: callers may modify them. Linear in the size of the tree, of
 * any depth.
 */
export function requiredEqualities(node: SelectorNode): Map<string, Set<string>> | undefined {
  const result = foldTree(node, leafEqualities, combineEqualities, absorbingOr);
  return result.size === 0 ? undefined : result;
}

function leafEqualities(node: SelectorNode): Map<string, Set<string>> {
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
      return new Map();
    }
    default:
      return new Map();
  }
}

function combineEqualities(
  kind: 'and' | 'or',
  acc: Map<string, Set<string>>,
  value: Map<string, Set<string>>,
): Map<string, Set<string>> {
  if (kind === 'and') {
    for (const [key, values] of value) {
      const existing = acc.get(key);
      acc.set(key, existing === undefined ? values : intersect(existing, values));
    }
  } else {
    // Only keys constrained by every branch stay, with the values of all.
    for (const [key, values] of acc) {
      const other = value.get(key);
      if (other === undefined) {
        acc.delete(key);
      } else {
        acc.set(key, uniteInto(values, other));
      }
    }
  }
  return acc;
}

/** An `||` whose branches so far have no constraint in common has none. */
function absorbingOr(kind: 'and' | 'or', acc: { readonly size: number }): boolean {
  return kind === 'or' && acc.size === 0;
}

/**
 * Label keys that every label map matched by the selector has: keys of `has`,
 * `==`, `in`, `contains`, `starts with` and `ends with` (and of the negated
 * opposites `!k != "v"`, `!k not in {…}`, `!(!has(k))`, …), united across
 * `&&` and intersected across `||`.
 *
 * Returns a fresh set. Linear in the size of the tree, of any depth.
 */
export function requiredKeys(node: SelectorNode): Set<string> {
  return foldTree(node, leafKeys, combineKeys, absorbingOr);
}

function leafKeys(node: SelectorNode): Set<string> {
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
      return inner.kind === 'ne' || inner.kind === 'notIn' ? new Set([inner.key]) : new Set();
    }
    default:
      return new Set();
  }
}

function combineKeys(kind: 'and' | 'or', acc: Set<string>, value: Set<string>): Set<string> {
  return kind === 'and' ? uniteInto(acc, value) : intersect(acc, value);
}

/**
 * Whether some node of the tree (the root, its operands, theirs, …)
 * satisfies `predicate`. Visits trees of any depth without recursion.
 */
export function someNode(root: SelectorNode, predicate: (node: SelectorNode) => boolean): boolean {
  const todo: SelectorNode[] = [root];
  while (todo.length > 0) {
    const node = todo.pop()!;
    if (predicate(node)) {
      return true;
    }
    if (node.kind === 'not') {
      todo.push(node.operand);
    } else if (node.kind === 'and' || node.kind === 'or') {
      for (let i = node.operands.length - 1; i >= 0; i--) {
        todo.push(node.operands[i]);
      }
    }
  }
  return false;
}

interface MapFrame {
  readonly node: BranchNode;
  /** The rewritten operands so far. */
  readonly operands: SelectorNode[];
}

/**
 * A copy of the tree with every leaf (every node but `!`, `&&` and `||`)
 * replaced by `f(leaf)`; `!`, `&&` and `||` keep their shape. For example,
 * Calico's PrefixVisitor is `mapLeaves(node, (leaf) => …leaf with prefixed key…)`.
 * Rewrites trees of any depth without recursion.
 */
export function mapLeaves(root: SelectorNode, f: (leaf: LeafNode) => SelectorNode): SelectorNode {
  const frames: MapFrame[] = [];
  let node = root;
  for (;;) {
    while (node.kind === 'not' || node.kind === 'and' || node.kind === 'or') {
      frames.push({ node, operands: [] });
      node = node.kind === 'not' ? node.operand : node.operands[0];
    }
    let value = f(node);
    for (;;) {
      const frame = frames[frames.length - 1];
      if (frame === undefined) {
        return value;
      }
      const parent = frame.node;
      frame.operands.push(value);
      if (parent.kind !== 'not' && frame.operands.length < parent.operands.length) {
        node = parent.operands[frame.operands.length];
        break;
      }
      frames.pop();
      value = parent.kind === 'not'
        ? notNode(frame.operands[0])
        : parent.kind === 'and' ? andNode(frame.operands) : orNode(frame.operands);
    }
  }
}

/** True for the characters Calico allows in label keys: `[A-Za-z0-9_./-]`. */
// Calico: libcalico-go/lib/selector/tokenizer/tokenizer.go identifierChar
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
