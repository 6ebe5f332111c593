/**
 * Parser for the Calico selector language.
 *
 * It accepts exactly the selectors libcalico-go's tokenizer and parser accept
 * and builds the same tree, so printing the result gives Calico's canonical
 * form. Grammar (`ws` is spaces and tabs only, as in Calico's tokenizer
 * trimWhitespace; a newline or any other whitespace outside a string literal
 * is an error):
 *
 * ```
 * selector  := ws* [ or ws* ]                      (empty selector = all())
 * or        := and ( ws* "||" and )*
 * and       := unary ( ws* "&&" unary )*
 * unary     := ( ws* "!" )* ws* primary             ("!" not followed by "=")
 * primary   := "(" or ws* ")"
 *            | "has(" ws* KEY ws* ")" | "all(" ws* ")" | "global(" ws* ")"
 *            | KEY ws* op
 * op        := ("==" | "!=" | "contains" | "starts" ws* "with"
 *               | "ends" ws* "with") ws* STRING
 *            | ("in" | "not" ws* "in") ws* set
 * set       := "{" ws* [ STRING ws* ( "," ws* STRING ws* )* [ "," ws* ] ] "}"
 * KEY       := [A-Za-z0-9_./-]{1,512}
 * STRING    := '"' [^"]* '"' | "'" [^']* "'"      (no escapes)
 * ```
 *
 * Word operators must end at a word boundary (`a containsx "y"` is an
 * error), the two-word operators take any spacing between their words,
 * including none (`a notin {}`, `a startswith "x"`), and `has(`, `all(` and
 * `global(` are keywords only when the `(` follows directly, so `has`, `all`
 * and `global` are also usable as label keys (`all == "x"`).
 *
 * Length and nesting depth are unlimited, as in Calico: open parentheses are
 * kept on an explicit stack, not on the call stack, and parsing is linear.
 */
import {
  allNode,
  globalNode,
  hasNode,
  isLabelKeyChar,
  MAX_LABEL_KEY_LENGTH,
  notNode,
  andNode,
  orNode,
  SelectorNode,
  setNode,
  valueNode,
  ValueNode,
} from './ast';
import { SelectorParseError } from './errors';

const EXPECTED_OPERAND = "a label key, 'has(<key>)', 'all()', 'global()', '!' or '('";
const EXPECTED_OPERATOR = "'==', '!=', 'in', 'not in', 'contains', 'starts with' or 'ends with'";

const SPACE = 0x20;
const TAB = 0x09;
const BANG = 0x21;
const EQUALS = 0x3d;
const LPAREN = 0x28;
const RPAREN = 0x29;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const COMMA = 0x2c;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const AMP = 0x26;
const PIPE = 0x7c;

/**
 * Parses a Calico selector into its syntax tree.
 *
 * Selectors of any length and nesting depth are parsed (Calico has no limit
 * either), in time linear in their length.
 *
 * @throws SelectorParseError naming the 0-based position of the first problem
 */
export function parseSelector(text: string): SelectorNode {
  return new Parser(text).parseRoot();
}

/** A parenthesised group being parsed (or the whole selector). */
interface Group {
  /** Position of the group's '(', or -1 for the whole selector. */
  readonly open: number;
  /** Whether an odd number of '!' precedes the '('. */
  readonly negated: boolean;
  /** The operands of '||' read so far: each an '&&' of operations. */
  readonly or: SelectorNode[];
  /** The operands of the '&&' being read. */
  and: SelectorNode[];
}

function newGroup(open: number, negated: boolean): Group {
  return { open, negated, or: [], and: [] };
}

/** The tree of a group whose last operand has been read. */
// Calico: libcalico-go/lib/selector/parser/parser.go parseOrExpression / parseAndExpression
// (a single operand is returned as it is, several become one OrNode / AndNode)
function closeGroup(group: Group): SelectorNode {
  group.or.push(andNode(group.and));
  return orNode(group.or);
}

/**
 * Whitespace other than the space and the tab, which Calico's tokenizer does
 * not skip (a selector containing it is invalid): the Unicode White_Space
 * characters (what Go's unicode.IsSpace and JavaScript's `\s` know) and the
 * byte order mark. Only used to explain errors.
 */
// Calico: libcalico-go/lib/selector/tokenizer/tokenizer.go trimWhitespace (skips ' ' and '\t' only)
function isOtherWhitespace(code: number): boolean {
  return (code >= 0x0a && code <= 0x0d) || // \n, \v, \f, \r
    code === 0x85 || code === 0xa0 || code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f ||
    code === 0x3000 || code === 0xfeff;
}

/** Characters that end a label key and start another token (or are whitespace). */
function isTokenStartOrWhitespace(code: number): boolean {
  switch (code) {
    case SPACE:
    case TAB:
    case DQUOTE:
    case SQUOTE:
    case LPAREN:
    case RPAREN:
    case LBRACE:
    case RBRACE:
    case COMMA:
    case BANG:
    case AMP:
    case PIPE:
    case EQUALS:
      return true;
    default:
      return isOtherWhitespace(code);
  }
}

class Parser {
  private pos = 0;
  private readonly len: number;

  constructor(private readonly text: string) {
    this.len = text.length;
  }

  public parseRoot(): SelectorNode {
    this.skipWs();
    if (this.pos >= this.len) {
      // Calico: libcalico-go/lib/selector/parser/parser.go parseRoot (only TokEOF: AllNode)
      return allNode();
    }
    // Calico parses with mutual recursion (parseOrExpression, parseAndExpression,
    // parseOperation) and Go's growable stacks, so it has no nesting limit.
    // This loop builds the same tree with an explicit stack of open
    // parentheses, so that no nesting depth overflows JavaScript's call stack.
    const open: Group[] = [];
    let group = newGroup(-1, false);
    for (;;) {
      // An operand: '!'s, then a '(' opening a group or an operation.
      const negated = this.parseBangs();
      if (this.code(this.pos) === LPAREN) {
        open.push(group);
        group = newGroup(this.pos, negated);
        this.pos++;
        continue;
      }
      const operation = this.parseOperation();
      group.and.push(negated ? notNode(operation) : operation);

      // After an operand: '&&', '||', ')' closing the group, or the end.
      for (;;) {
        this.skipWs();
        if (this.text.startsWith('&&', this.pos)) {
          this.pos += 2;
          break;
        }
        if (this.text.startsWith('||', this.pos)) {
          this.pos += 2;
          group.or.push(andNode(group.and));
          group.and = [];
          break;
        }
        const parent = open.pop();
        if (parent === undefined) {
          if (this.pos < this.len) {
            this.fail(this.pos, this.unexpected("'&&', '||' or the end of the selector"));
          }
          return closeGroup(group);
        }
        if (this.code(this.pos) !== RPAREN) {
          this.fail(this.pos, this.unexpected(`'&&', '||' or ')' to close the '(' at position ${group.open}`));
        }
        this.pos++;
        const inner = closeGroup(group);
        parent.and.push(group.negated ? notNode(inner) : inner);
        group = parent;
      }
    }
  }

  /**
   * Skips whitespace and '!'s (but not the '!' of '!='); returns whether
   * their number is odd.
   */
  // Calico: libcalico-go/lib/selector/parser/parser.go parseOperation ("collapse any leading '!' operators")
  private parseBangs(): boolean {
    let negated = false;
    this.skipWs();
    while (this.code(this.pos) === BANG && this.code(this.pos + 1) !== EQUALS) {
      negated = !negated;
      this.pos++;
      this.skipWs();
    }
    return negated;
  }

  /** An operation: has(), all(), global() or a label comparison. */
  private parseOperation(): SelectorNode {
    const start = this.pos;
    const c = this.code(start);
    if (this.text.startsWith('has(', start)) {
      this.pos += 4;
      this.skipWs();
      const key = this.readKey();
      if (key === '') {
        this.fail(this.pos, this.unexpected(`a label key inside the 'has(' at position ${start}`));
      }
      this.skipWs();
      if (this.code(this.pos) !== RPAREN) {
        this.fail(this.pos, this.unexpected(`')' to close the 'has(' at position ${start} (it takes exactly one label key)`));
      }
      this.pos++;
      return hasNode(key);
    }
    for (const keyword of ['all', 'global']) {
      if (this.text.startsWith(`${keyword}(`, start)) {
        this.pos += keyword.length + 1;
        this.skipWs();
        if (this.code(this.pos) !== RPAREN) {
          this.fail(this.pos, this.unexpected(`')' to close the '${keyword}(' at position ${start} (${keyword}() takes no arguments)`));
        }
        this.pos++;
        return keyword === 'all' ? allNode() : globalNode();
      }
    }
    if (isLabelKeyChar(c)) {
      const key = this.readKey();
      return this.parseLabelOperation(key);
    }
    return this.fail(start, this.unexpected(EXPECTED_OPERAND));
  }

  private parseLabelOperation(key: string): SelectorNode {
    const keyEnd = this.pos;
    this.skipWs();
    const opStart = this.pos;
    const text = this.text;
    if (text.startsWith('==', opStart)) {
      this.pos += 2;
      return this.valueOperation('eq', key, "'=='");
    }
    if (text.startsWith('!=', opStart)) {
      this.pos += 2;
      return this.valueOperation('ne', key, "'!='");
    }
    if (this.word('contains')) {
      return this.valueOperation('contains', key, "'contains'");
    }
    if (this.words('starts', 'with')) {
      return this.valueOperation('startsWith', key, "'starts with'");
    }
    if (this.words('ends', 'with')) {
      return this.valueOperation('endsWith', key, "'ends with'");
    }
    if (this.words('not', 'in')) {
      return setNode('notIn', key, this.parseSet("'not in'"));
    }
    if (this.word('in')) {
      return setNode('in', key, this.parseSet("'in'"));
    }

    // No operator: explain what is there instead.
    const c = this.code(opStart);
    if (c === EQUALS) {
      return this.fail(opStart, `expected '==' but found a single '=' after label '${key}' (Calico has no '=' operator)`);
    }
    for (const [first, second] of [['starts', 'with'], ['ends', 'with'], ['not', 'in']]) {
      if (this.wordAt(first, opStart)) {
        const after = this.skipWsFrom(opStart + first.length);
        return this.fail(after, this.unexpectedAt(after, `'${second}' to complete the operator '${first} ${second}'`));
      }
    }
    if (opStart === keyEnd && opStart < this.len && !isTokenStartOrWhitespace(c)) {
      return this.fail(
        opStart,
        `found ${this.describeToken(opStart)} right after label '${key}': label keys may only contain letters, digits, ` +
        `'_', '.', '/' and '-'; expected an operator (${EXPECTED_OPERATOR}) after the key`,
      );
    }
    const keywordHint = c === LPAREN && (key === 'has' || key === 'all' || key === 'global')
      ? ` (to use ${key}(…), write the '(' directly after '${key}', without a space)`
      : '';
    return this.fail(opStart, this.unexpectedAt(opStart, `an operator after label '${key}': ${EXPECTED_OPERATOR}`) + keywordHint);
  }

  private valueOperation(kind: ValueNode['kind'], key: string, op: string): SelectorNode {
    return valueNode(kind, key, this.parseString(op));
  }

  private parseString(op: string): string {
    this.skipWs();
    const start = this.pos;
    const c = this.code(start);
    if (c === DQUOTE || c === SQUOTE) {
      return this.readString();
    }
    if (isLabelKeyChar(c)) {
      const word = this.keyAt(start);
      return this.fail(
        start,
        `expected a quoted string after ${op} but found the unquoted word '${word}'; ` +
        `values must be written in double or single quotes, e.g. "${word}"`,
      );
    }
    if (c === LBRACE) {
      return this.fail(start, `expected a quoted string after ${op} but found '{'; sets of values are only allowed after 'in' and 'not in'`);
    }
    return this.fail(start, this.unexpected(`a quoted string ("…" or '…') after ${op}`));
  }

  private parseSet(op: string): string[] {
    this.skipWs();
    if (this.code(this.pos) !== LBRACE) {
      const c = this.code(this.pos);
      const hint = c === DQUOTE || c === SQUOTE ? ' (write a single value as {"value"})' : '';
      return this.fail(this.pos, this.unexpected(`'{' to start the set of values after ${op}${hint}`));
    }
    const open = this.pos;
    this.pos++;
    this.skipWs();
    const values: string[] = [];
    let afterValue = false;
    for (;;) {
      const c = this.code(this.pos);
      if (c !== DQUOTE && c !== SQUOTE) {
        break;
      }
      values.push(this.readString());
      this.skipWs();
      if (this.code(this.pos) !== COMMA) {
        afterValue = true;
        break;
      }
      this.pos++;
      this.skipWs();
    }
    if (this.code(this.pos) !== RBRACE) {
      const expected = afterValue
        ? `',' or '}' after a value in the set opened at position ${open}`
        : `a quoted string or '}' in the set opened at position ${open}`;
      this.fail(this.pos, this.unexpected(expected));
    }
    this.pos++;
    return values;
  }

  /** Reads a quoted string at the current position (which holds the quote). */
  private readString(): string {
    const start = this.pos;
    const quote = this.text[start];
    const close = this.text.indexOf(quote, start + 1);
    if (close < 0) {
      this.fail(start, unterminated(quote, start));
    }
    this.pos = close + 1;
    return this.text.slice(start + 1, close);
  }

  /** Reads a label key (possibly empty) at the current position. */
  private readKey(): string {
    const start = this.pos;
    const key = this.keyAt(start);
    if (key.length > MAX_LABEL_KEY_LENGTH) {
      this.fail(start, `label key is ${key.length} characters long; Calico label keys are at most ${MAX_LABEL_KEY_LENGTH} characters`);
    }
    this.pos += key.length;
    return key;
  }

  private keyAt(start: number): string {
    let end = start;
    while (end < this.len && isLabelKeyChar(this.text.charCodeAt(end))) {
      end++;
    }
    return this.text.slice(start, end);
  }

  /** Consumes `word` if it is at the current position and ends at a word boundary. */
  private word(word: string): boolean {
    if (!this.wordAt(word, this.pos)) {
      return false;
    }
    this.pos += word.length;
    return true;
  }

  private wordAt(word: string, at: number): boolean {
    return this.text.startsWith(word, at) && !isLabelKeyChar(this.code(at + word.length));
  }

  /** Consumes `first` ws* `second` (a word boundary is required only after `second`). */
  private words(first: string, second: string): boolean {
    if (!this.text.startsWith(first, this.pos)) {
      return false;
    }
    const next = this.skipWsFrom(this.pos + first.length);
    if (!this.wordAt(second, next)) {
      return false;
    }
    this.pos = next + second.length;
    return true;
  }

  private skipWs(): void {
    this.pos = this.skipWsFrom(this.pos);
  }

  private skipWsFrom(at: number): number {
    let p = at;
    while (p < this.len) {
      const c = this.text.charCodeAt(p);
      if (c !== SPACE && c !== TAB) {
        break;
      }
      p++;
    }
    return p;
  }

  /** Character code at `at`, or -1 past the end. */
  private code(at: number): number {
    return at < this.len ? this.text.charCodeAt(at) : -1;
  }

  private unexpected(expected: string): string {
    return this.unexpectedAt(this.pos, expected);
  }

  /** Describes what is at `at` when `expected` was expected there. */
  private unexpectedAt(at: number, expected: string): string {
    if (at >= this.len) {
      return `unexpected end of selector; expected ${expected}`;
    }
    const c = this.text[at];
    const next = this.text[at + 1];
    if (c === '=' && next !== '=') {
      return `found a single '=', which is not a Calico operator (equality is '=='); expected ${expected}`;
    }
    if (c === '&' && next !== '&') {
      return `found a single '&' (the Calico "and" operator is '&&'); expected ${expected}`;
    }
    if (c === '|' && next !== '|') {
      return `found a single '|' (the Calico "or" operator is '||'); expected ${expected}`;
    }
    if ((c === '"' || c === "'") && this.text.indexOf(c, at + 1) < 0) {
      return unterminated(c, at);
    }
    if (isOtherWhitespace(c.charCodeAt(0))) {
      return `found ${describeCharacter(c.charCodeAt(0))}, but only spaces and tabs may separate the parts of a Calico selector ` +
        `(no newlines or other whitespace); expected ${expected}`;
    }
    return `found ${this.describeToken(at)}; expected ${expected}`;
  }

  private describeToken(at: number): string {
    const two = this.text.slice(at, at + 2);
    if (two === '==' || two === '!=' || two === '&&' || two === '||') {
      return `'${two}'`;
    }
    const c = this.text[at];
    if (isLabelKeyChar(c.charCodeAt(0))) {
      const word = this.keyAt(at);
      return `'${word.length > 40 ? `${word.slice(0, 37)}...` : word}'`;
    }
    if (c === '"' || c === "'") {
      // Callers report unterminated strings before describing tokens.
      const close = this.text.indexOf(c, at + 1);
      const literal = this.text.slice(at, close + 1);
      return `the string ${literal.length > 40 ? `${literal.slice(0, 37)}...` : literal}`;
    }
    const code = this.text.codePointAt(at)!;
    return code > 0x20 && code < 0x7f ? `'${c}'` : describeCharacter(code);
  }

  private fail(position: number, detail: string): never {
    throw new SelectorParseError(this.text, position, detail);
  }
}

const CHARACTER_NAMES: { readonly [code: number]: string } = {
  0x0a: 'line feed',
  0x0b: 'vertical tab',
  0x0c: 'form feed',
  0x0d: 'carriage return',
  0x85: 'next line',
  0xa0: 'no-break space',
  0x2028: 'line separator',
  0x2029: 'paragraph separator',
  0x202f: 'narrow no-break space',
  0x3000: 'ideographic space',
  0xfeff: 'byte order mark',
};

/**
 * A character for messages, with its code point: `'ä' (U+00E4)`, and escaped
 * when it is invisible: `"\n" (U+000A line feed)`, `"\u00a0" (U+00A0 no-break space)`.
 */
function describeCharacter(code: number): string {
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  const name = CHARACTER_NAMES[code] ?? (isOtherWhitespace(code) ? 'space' : undefined);
  const suffix = ` (U+${hex}${name === undefined ? '' : ` ${name}`})`;
  const invisible = code < 0x20 || (code >= 0x7f && code < 0xa0) || isOtherWhitespace(code) ||
    (code >= 0xd800 && code <= 0xdfff);
  if (!invisible) {
    return `'${String.fromCodePoint(code)}'${suffix}`;
  }
  const escaped = code === 0x0a ? '\\n' : code === 0x0d ? '\\r' : code === 0x09 ? '\\t' : `\\u${hex.toLowerCase()}`;
  return `"${escaped}"${suffix}`;
}

function unterminated(quote: string, at: number): string {
  return `unterminated string literal: the ${quote} at position ${at} has no closing ${quote} ` +
    '(Calico strings have no escapes; a value may contain one kind of quote if it is enclosed in the other)';
}
