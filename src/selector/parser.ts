/**
 * Parser for the Calico selector language.
 *
 * It accepts exactly the selectors libcalico-go's tokenizer and parser accept
 * and builds the same tree, so printing the result gives Calico's canonical
 * form. Grammar (`ws` is spaces and tabs only):
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
const OTHER_WHITESPACE = /\s/;
const SYNTAX_OR_WHITESPACE = /[\s"'(){},!&|=]/;

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

/**
 * Parses a Calico selector into its syntax tree.
 *
 * @throws SelectorParseError naming the 0-based position of the first problem
 */
export function parseSelector(text: string): SelectorNode {
  return new Parser(text).parseRoot();
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
      return allNode();
    }
    const node = this.parseOr();
    this.skipWs();
    if (this.pos < this.len) {
      this.fail(this.pos, this.unexpected("'&&', '||' or the end of the selector"));
    }
    return node;
  }

  private parseOr(): SelectorNode {
    const first = this.parseAnd();
    let operands: SelectorNode[] | undefined;
    for (;;) {
      this.skipWs();
      if (!this.text.startsWith('||', this.pos)) {
        break;
      }
      this.pos += 2;
      (operands ??= [first]).push(this.parseAnd());
    }
    return operands ? orNode(operands) : first;
  }

  private parseAnd(): SelectorNode {
    const first = this.parseUnary();
    let operands: SelectorNode[] | undefined;
    for (;;) {
      this.skipWs();
      if (!this.text.startsWith('&&', this.pos)) {
        break;
      }
      this.pos += 2;
      (operands ??= [first]).push(this.parseUnary());
    }
    return operands ? andNode(operands) : first;
  }

  private parseUnary(): SelectorNode {
    let negated = false;
    this.skipWs();
    while (this.code(this.pos) === BANG && this.code(this.pos + 1) !== EQUALS) {
      negated = !negated;
      this.pos++;
      this.skipWs();
    }
    const node = this.parsePrimary();
    return negated ? notNode(node) : node;
  }

  private parsePrimary(): SelectorNode {
    const start = this.pos;
    const c = this.code(start);
    if (c === LPAREN) {
      this.pos++;
      const inner = this.parseOr();
      this.skipWs();
      if (this.code(this.pos) !== RPAREN) {
        this.fail(this.pos, this.unexpected(`'&&', '||' or ')' to close the '(' at position ${start}`));
      }
      this.pos++;
      return inner;
    }
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
    if (opStart === keyEnd && opStart < this.len && !SYNTAX_OR_WHITESPACE.test(text[opStart])) {
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
    if (OTHER_WHITESPACE.test(c)) {
      return `found ${JSON.stringify(c)}, but only spaces and tabs may separate the parts of a Calico selector ` +
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
      return `'${this.keyAt(at)}'`;
    }
    if (c === '"' || c === "'") {
      // Callers report unterminated strings before describing tokens.
      const close = this.text.indexOf(c, at + 1);
      const literal = this.text.slice(at, close + 1);
      return `the string ${literal.length > 40 ? `${literal.slice(0, 37)}...` : literal}`;
    }
    const code = c.charCodeAt(0);
    return code > 0x20 && code < 0x7f ? `'${c}'` : JSON.stringify(c);
  }

  private fail(position: number, detail: string): never {
    throw new SelectorParseError(this.text, position, detail);
  }
}

function unterminated(quote: string, at: number): string {
  return `unterminated string literal: the ${quote} at position ${at} has no closing ${quote} ` +
    '(Calico strings have no escapes; a value may contain one kind of quote if it is enclosed in the other)';
}
