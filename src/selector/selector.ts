import {
  allNode,
  andNode,
  compareCodePoints,
  evaluate,
  globalNode,
  hasNode,
  isLabelKeyChar,
  MAX_LABEL_KEY_LENGTH,
  nodeToString,
  notNode,
  orNode,
  SelectorNode,
  setNode,
  SetNode,
  valueNode,
  ValueNode,
} from './ast';
import { parseSelector } from './parser';

/** Whether `key` is a label key Calico's tokenizer reads as one identifier. */
// Calico: libcalico-go/lib/selector/tokenizer/tokenizer.go ValidLabel
function isLabelKey(key: string): boolean {
  if (key.length === 0 || key.length > MAX_LABEL_KEY_LENGTH) {
    return false;
  }
  for (let i = 0; i < key.length; i++) {
    if (!isLabelKeyChar(key.charCodeAt(i))) {
      return false;
    }
  }
  return true;
}

function validateKey(key: string, method: string): void {
  if (typeof key !== 'string' || !isLabelKey(key)) {
    const shown = typeof key === 'string' ? JSON.stringify(key) : String(key);
    const reason = typeof key === 'string' && key.length > MAX_LABEL_KEY_LENGTH
      ? `it is ${key.length} characters long`
      : 'it is empty or contains other characters';
    throw new Error(
      `${method}: invalid label key ${shown} (${reason}); Calico selector label keys must match ` +
      `[A-Za-z0-9_./-]+ (letters, digits, '_', '.', '/' and '-'), at most ${MAX_LABEL_KEY_LENGTH} characters, ` +
      'e.g. "app.kubernetes.io/name"',
    );
  }
}

function validateValue(key: string, value: string, method: string): void {
  if (typeof value !== 'string') {
    throw new Error(`${method}: the value for label "${key}" must be a string, got ${typeof value} ${String(value)}`);
  }
  if (value.includes('"') && value.includes("'")) {
    throw new Error(
      `${method}: the value ${JSON.stringify(value)} for label "${key}" contains both a double quote (") and a ` +
      "single quote ('); Calico selector strings have no escapes, so a value may contain one kind of quote but not both",
    );
  }
}

/**
 * A Calico label selector, as used in `selector`, `namespaceSelector` and
 * `serviceAccountSelector` fields of Calico resources.
 *
 * Build one with the static factories and the `and()` / `or()` / `not()`
 * combinators, or parse an existing selector string with `Selector.parse()`.
 * `toString()` prints Calico's canonical form, exactly what libcalico-go's
 * `selector.Parse(s).String()` prints.
 *
 * Selectors are immutable.
 *
 * @example
 * Selector.label('app').eq('web').and(Selector.label('tier').in(['frontend', 'edge']))
 * // (app == "web" && tier in {"edge", "frontend"})
 */
export class Selector {
  /**
   * Parses a selector string with Calico's grammar.
   *
   * Whitespace is spaces and tabs only, as in Calico: a newline, a no-break
   * space or any other whitespace outside a string literal is an error. Label
   * keys are unquoted `[A-Za-z0-9_./-]+`; values are `"…"` or `'…'` literals
   * without escapes. The empty selector (or one of only spaces and tabs) means
   * `all()`. Selectors of any length and nesting depth are accepted, as by
   * Calico, which has no limit.
   *
   * @param text the selector, e.g. `app == "web" && has(tier)`
   * @throws SelectorParseError naming the 0-based position of the problem and what was expected there
   */
  public static parse(text: string): Selector {
    if (typeof text !== 'string') {
      throw new Error(`Selector.parse(): expected the selector as a string, got ${typeof text}`);
    }
    return new Selector(parseSelector(text));
  }

  /** `all()`: matches every endpoint (the same as the empty selector). */
  public static all(): Selector {
    return new Selector(allNode());
  }

  /** `!all()`: matches nothing. */
  public static none(): Selector {
    return new Selector(notNode(allNode()));
  }

  /**
   * `global()`: matches only non-namespaced endpoints (host endpoints, global
   * network sets). `matches()` treats it as true exactly when the labels have
   * no `projectcalico.org/namespace` key: Calico accepts `global()` only as a
   * rule's whole `namespaceSelector` and rewrites it there to
   * `!has(projectcalico.org/namespace)` (its selector evaluator alone would
   * treat `global()` like `all()`).
   */
  public static global(): Selector {
    return new Selector(globalNode());
  }

  /**
   * `has(key)`: the label is present, whatever its value.
   *
   * @param key label key, `[A-Za-z0-9_./-]+`
   */
  public static has(key: string): Selector {
    validateKey(key, 'Selector.has()');
    return new Selector(hasNode(key));
  }

  /**
   * Starts a comparison on one label, e.g. `Selector.label('app').eq('web')`.
   *
   * @param key label key, `[A-Za-z0-9_./-]+`
   */
  public static label(key: string): LabelSelectorBuilder {
    return new LabelSelectorBuilder(key);
  }

  /**
   * Exact match on every given label: `(a == "1" && b == "2")`, keys in
   * sorted order. An empty map gives `all()`.
   *
   * @param labels label keys and the values they must have
   */
  public static fromLabels(labels: { [key: string]: string }): Selector {
    const keys = Object.keys(labels).sort(compareCodePoints);
    const nodes = keys.map((key) => {
      validateKey(key, 'Selector.fromLabels()');
      validateValue(key, labels[key], 'Selector.fromLabels()');
      return valueNode('eq', key, labels[key]);
    });
    return nodes.length === 0 ? Selector.all() : new Selector(andNode(nodes));
  }

  /**
   * Conjunction of the given selectors. `all()` operands are dropped and
   * nested conjunctions are flattened; no operands gives `all()`.
   *
   * @param selectors the selectors that must all match
   */
  public static allOf(...selectors: Selector[]): Selector {
    const operands: SelectorNode[] = [];
    for (const selector of selectors) {
      const node = selector._node;
      if (node.kind === 'and') {
        // A loop, not push(...operands): spreading 130,000+ arguments overflows the stack.
        for (const operand of node.operands) {
          operands.push(operand);
        }
      } else if (node.kind !== 'all') {
        operands.push(node);
      }
    }
    return operands.length === 0 ? Selector.all() : new Selector(andNode(operands));
  }

  /**
   * Disjunction of the given selectors. Nested disjunctions are flattened;
   * an `all()` operand makes the result `all()`; no operands gives `!all()`
   * (matches nothing).
   *
   * @param selectors the selectors of which at least one must match
   */
  public static anyOf(...selectors: Selector[]): Selector {
    if (selectors.length === 0) {
      return Selector.none();
    }
    const operands: SelectorNode[] = [];
    for (const selector of selectors) {
      const node = selector._node;
      if (node.kind === 'all') {
        return Selector.all();
      }
      if (node.kind === 'or') {
        for (const operand of node.operands) {
          operands.push(operand);
        }
      } else {
        operands.push(node);
      }
    }
    return new Selector(orNode(operands));
  }

  /**
   * Wraps a syntax tree.
   * @internal
   */
  public static _fromNode(node: SelectorNode): Selector {
    return new Selector(node);
  }

  /**
   * The syntax tree, for the analysis engine (`../selector/ast`).
   * @internal
   */
  public readonly _node: SelectorNode;

  private canonical: string | undefined;

  private constructor(node: SelectorNode) {
    this._node = node;
  }

  /**
   * This selector and all of `others` (see `Selector.allOf()`).
   *
   * @param others further selectors that must match too
   */
  public and(...others: Selector[]): Selector {
    return Selector.allOf(this, ...others);
  }

  /**
   * This selector or any of `others` (see `Selector.anyOf()`).
   *
   * @param others alternative selectors
   */
  public or(...others: Selector[]): Selector {
    return Selector.anyOf(this, ...others);
  }

  /** The negation of this selector; negating a negation gives back its operand. */
  public not(): Selector {
    const node = this._node;
    return new Selector(node.kind === 'not' ? node.operand : notNode(node));
  }

  /**
   * Whether an endpoint with these labels is selected.
   *
   * A missing label makes `==`, `in`, `contains`, `starts with` and
   * `ends with` false and `!=` and `not in` true. `global()` is true when the
   * labels have no `projectcalico.org/namespace` key (Calico sets that label on
   * namespaced endpoints).
   *
   * @param labels the endpoint's labels
   */
  public matches(labels: { [key: string]: string }): boolean {
    return evaluate(this._node, labels);
  }

  /** Calico's canonical form of this selector (libcalico-go `Selector.String()`). */
  public toString(): string {
    if (this.canonical === undefined) {
      this.canonical = nodeToString(this._node);
    }
    return this.canonical;
  }

  /**
   * Whether both selectors have the same canonical form.
   *
   * @param other the selector to compare with
   */
  public isEqualTo(other: Selector): boolean {
    return this.toString() === other.toString();
  }
}

/**
 * Comparisons on one label key; obtained from `Selector.label(key)`.
 */
export class LabelSelectorBuilder {
  /** The label key being compared. */
  public readonly key: string;

  /**
   * @param key label key, `[A-Za-z0-9_./-]+` (at most 512 characters)
   */
  constructor(key: string) {
    validateKey(key, 'Selector.label()');
    this.key = key;
  }

  /**
   * `key == "value"`: the label is present with exactly this value.
   *
   * @param value the required value
   */
  public eq(value: string): Selector {
    return this.value('eq', value, 'eq()');
  }

  /**
   * `key != "value"`: the label is absent or has another value.
   *
   * @param value the excluded value
   */
  public ne(value: string): Selector {
    return this.value('ne', value, 'ne()');
  }

  /**
   * `key in {"a", "b"}`: the label is present with one of these values. An
   * empty list matches nothing.
   *
   * @param values the allowed values
   */
  public in(values: string[]): Selector {
    return this.set('in', values, 'in()');
  }

  /**
   * `key not in {"a", "b"}`: the label is absent or has none of these values.
   *
   * @param values the excluded values
   */
  public notIn(values: string[]): Selector {
    return this.set('notIn', values, 'notIn()');
  }

  /**
   * `key contains "s"`: the label is present and its value contains `s`.
   *
   * @param s the substring
   */
  public contains(s: string): Selector {
    return this.value('contains', s, 'contains()');
  }

  /**
   * `key starts with "s"`: the label is present and its value starts with `s`.
   *
   * @param s the prefix
   */
  public startsWith(s: string): Selector {
    return this.value('startsWith', s, 'startsWith()');
  }

  /**
   * `key ends with "s"`: the label is present and its value ends with `s`.
   *
   * @param s the suffix
   */
  public endsWith(s: string): Selector {
    return this.value('endsWith', s, 'endsWith()');
  }

  private value(kind: ValueNode['kind'], value: string, method: string): Selector {
    validateValue(this.key, value, `Selector.label(${JSON.stringify(this.key)}).${method}`);
    return Selector._fromNode(valueNode(kind, this.key, value));
  }

  private set(kind: SetNode['kind'], values: string[], method: string): Selector {
    const context = `Selector.label(${JSON.stringify(this.key)}).${method}`;
    if (!Array.isArray(values)) {
      throw new Error(`${context}: expected an array of values, got ${typeof values}`);
    }
    for (const value of values) {
      validateValue(this.key, value, context);
    }
    return Selector._fromNode(setNode(kind, this.key, values));
  }
}
