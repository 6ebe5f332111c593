import * as fc from 'fast-check';
import {
  allNode,
  andNode,
  evaluate,
  globalNode,
  Labels,
  hasNode,
  nodeToString,
  notNode,
  orNode,
  SelectorNode,
  setNode,
  valueNode,
} from '../../src/selector/ast';
import { SelectorParseError } from '../../src/selector/errors';
import { parseSelector } from '../../src/selector/parser';

function canonical(text: string): string {
  return nodeToString(parseSelector(text));
}

function parseError(text: string): SelectorParseError {
  try {
    parseSelector(text);
  } catch (e) {
    if (e instanceof SelectorParseError) {
      return e;
    }
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('operations', () => {
  test.each([
    ['has(app)', { kind: 'has', key: 'app' }],
    ['all()', { kind: 'all' }],
    ['global()', { kind: 'global' }],
    ['app == "web"', { kind: 'eq', key: 'app', value: 'web' }],
    ['app != "web"', { kind: 'ne', key: 'app', value: 'web' }],
    ['app contains "we"', { kind: 'contains', key: 'app', value: 'we' }],
    ['app starts with "w"', { kind: 'startsWith', key: 'app', value: 'w' }],
    ['app ends with "b"', { kind: 'endsWith', key: 'app', value: 'b' }],
    ['app in {"b", "a"}', { kind: 'in', key: 'app', values: ['a', 'b'] }],
    ['app not in {"b", "a"}', { kind: 'notIn', key: 'app', values: ['a', 'b'] }],
    ['!has(app)', { kind: 'not', operand: { kind: 'has', key: 'app' } }],
  ])('%s parses to the expected node', (text, expected) => {
    expect(parseSelector(text)).toMatchObject(expected);
  });

  test('&& and || build n-ary nodes', () => {
    const node = parseSelector('has(a) && has(b) && has(c) || has(d)');
    expect(node).toMatchObject({
      kind: 'or',
      operands: [
        { kind: 'and', operands: [{ key: 'a' }, { key: 'b' }, { key: 'c' }] },
        { kind: 'has', key: 'd' },
      ],
    });
  });

  test('the empty selector and whitespace-only selectors are all()', () => {
    expect(parseSelector('')).toEqual(allNode());
    expect(parseSelector(' ')).toEqual(allNode());
    expect(parseSelector(' \t \t')).toEqual(allNode());
  });

  test('label keys may use every allowed character', () => {
    expect(parseSelector('projectcalico.org/name-space_1 == "x"')).toMatchObject({
      kind: 'eq',
      key: 'projectcalico.org/name-space_1',
    });
    expect(parseSelector('has(calico/k8s_NS-.1/role)')).toMatchObject({ kind: 'has', key: 'calico/k8s_NS-.1/role' });
  });

  test('label keys of up to 512 characters are accepted', () => {
    const key = 'k'.repeat(512);
    expect(parseSelector(`${key} == "v"`)).toMatchObject({ kind: 'eq', key });
    expect(parseSelector(`has(${key})`)).toMatchObject({ kind: 'has', key });
  });
});

describe('whitespace: only spaces and tabs separate tokens', () => {
  // Calico: libcalico-go/lib/selector/tokenizer/tokenizer.go trimWhitespace
  // skips ' ' and '\t' and nothing else; any other character outside a string
  // literal must start a token, and whitespace starts none. (Calico's
  // selector.Normalise applies strings.TrimSpace, but only to selectors that
  // were validated without it.)
  test.each(['', ' ', '\t', ' \t \t', '\t\t\t  '])('the blank selector %j is all()', (text) => {
    expect(parseSelector(text)).toEqual(allNode());
  });

  test.each<[string, string]>([
    ['\n', 'line feed'],
    ['\r', 'carriage return'],
    ['\r\n', 'carriage return'],
    ['\u000b', 'vertical tab'],
    ['\u000c', 'form feed'],
    ['\u0085', 'next line'],
    ['\u00a0', 'no-break space'],
    ['\u2028', 'line separator'],
    ['\u2029', 'paragraph separator'],
    ['\u2003', 'space'],
    ['\u202f', 'narrow no-break space'],
    ['\u3000', 'ideographic space'],
    ['\ufeff', 'byte order mark'],
  ])('a selector that is only %j is invalid, not all()', (text, name) => {
    const error = parseError(text);
    expect(error.position).toBe(0);
    expect(error.detail).toContain(`(U+${text.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} ${name}), but only spaces and tabs`);
    // Surrounded by blanks it is still invalid, at its own position.
    expect(parseError(` \t${text} `).position).toBe(2);
  });

  test.each<[string, number]>([
    ['has(a)\u2028&& has(b)', 6],
    ['has(a) &&\u00a0has(b)', 9],
    ['a ==\u2028"b"', 4],
    ['a\u00a0== "b"', 1],
    ['has(\u00a0a)', 4],
    ['has(a\n)', 5],
    ['all(\u2028)', 4],
    ['a in {"x",\u2028"y"}', 10],
    ['a in {\n"x"}', 6],
    ['a not\u00a0in {"x"}', 5],
    ['a starts\nwith "x"', 8],
    ['!\u00a0has(a)', 1],
    ['(\u2029has(a))', 1],
    ['(has(a)\u2029)', 7],
  ])('%j: whitespace other than space and tab between tokens is an error at %i', (text, position) => {
    const error = parseError(text);
    expect(error.position).toBe(position);
    expect(error.detail).toMatch(/but only spaces and tabs may separate the parts of a Calico selector/);
  });

  test('the same selectors with spaces and tabs instead parse', () => {
    expect(canonical('has(a) \t&& has(b)')).toBe('(has(a) && has(b))');
    expect(canonical('has( \ta)')).toBe('has(a)');
    expect(canonical('a in {"x",\t"y"}')).toBe('a in {"x", "y"}');
    expect(canonical('a not\tin {"x"}')).toBe('a not in {"x"}');
    expect(canonical('a starts\twith "x"')).toBe('a starts with "x"');
    expect(canonical('!\thas(a)')).toBe('!has(a)');
  });

  test('inside string literals every character is kept, and the canonical form round-trips', () => {
    const value = ' \n\r\t\u00a0\u2028\u2029\ufeff ';
    for (const quote of ['"', "'"]) {
      const node = parseSelector(`a == ${quote}${value}${quote}`);
      expect(node).toEqual({ kind: 'eq', key: 'a', value });
      const text = nodeToString(node);
      expect(text).toBe(`a == "${value}"`);
      expect(parseSelector(text)).toEqual(node);
    }
    const set = parseSelector('a in {"\n", "\u2028", " ", ""}');
    expect(set).toMatchObject({ kind: 'in', values: ['', '\n', ' ', '\u2028'] });
    expect(nodeToString(parseSelector(nodeToString(set)))).toBe(nodeToString(set));
  });
});

describe('canonical form', () => {
  // Expected strings from libcalico-go's own parser tests
  // (libcalico-go/lib/selector/parser/parser_test.go).
  test.each([
    ['', 'all()'],
    [' all() ', 'all()'],
    [' (all() )', 'all()'],
    ['! (has( b)||! has(a ))', '!(has(b) || !has(a))'],
    ['! (a == "b"&&! c != "d")', '!(a == "b" && !c != "d")'],
    ['a == "\'"', 'a == "\'"'],
    ['a == \'"\'', 'a == \'"\''],
    ['a contains \'"\'', 'a contains \'"\''],
    ['a contains "\'"', 'a contains "\'"'],
    ['a startswith \'"\'', 'a starts with \'"\''],
    ['a endswith "\'"', 'a ends with "\'"'],
    ['a!=\'"\'', 'a != \'"\''],
    ['a in {"d"}', 'a in {"d"}'],
    ['a in {"a", "b"}', 'a in {"a", "b"}'],
    ['a in {"d", "a", "b"}', 'a in {"a", "b", "d"}'],
    ['a in {"z", "x", "y", "a"}', 'a in {"a", "x", "y", "z"}'],
    ['a in {"z", "z", "x", "y", "x", "a"}', 'a in {"a", "x", "y", "z"}'],
    ["k == 'v'", 'k == "v"'],
    ["k != 'v'", 'k != "v"'],
    ["k contains 'v'", 'k contains "v"'],
    ["k starts with 'v'", 'k starts with "v"'],
    ["k ends with 'v'", 'k ends with "v"'],
    ["k == 'v' && x == 'y'", '(k == "v" && x == "y")'],
    ["k == 'v' || has(x)", '(k == "v" || has(x))'],
    ["!(k == 'v')", '!k == "v"'],
    ["k in {'v'}", 'k in {"v"}'],
    ["k not in {'v'}", 'k not in {"v"}'],
    [
      "!(!(k == 'v' && has(t) || all()) && (a in {'b', 'c'}))",
      '!(!((k == "v" && has(t)) || all()) && a in {"b", "c"})',
    ],
  ])('%j prints as %j', (input, expected) => {
    expect(canonical(input)).toBe(expected);
    // Calico's canonical form is a fixed point.
    expect(canonical(expected)).toBe(expected);
  });

  test.each([
    ['a == "1" || b == "2" && c == "3"', '(a == "1" || (b == "2" && c == "3"))'],
    ['a == "1" && b == "2" || c == "3"', '((a == "1" && b == "2") || c == "3")'],
    ['!a == "1" && b == "2"', '(!a == "1" && b == "2")'],
    ['!(a == "1" && b == "2")', '!(a == "1" && b == "2")'],
    ['(a == "1" && b == "2") && c == "3"', '((a == "1" && b == "2") && c == "3")'],
    ['a == "1" && (b == "2" && c == "3")', '(a == "1" && (b == "2" && c == "3"))'],
    ['(a == "1" || b == "2") && c == "3"', '((a == "1" || b == "2") && c == "3")'],
    ['((((has(a)))))', 'has(a)'],
    ['!!has(a)', 'has(a)'],
    ['!!!has(a)', '!has(a)'],
    ['!! ! has(a)', '!has(a)'],
    ['! !!has(a)', '!has(a)'],
    // Calico only collapses consecutive '!' tokens: a negated parenthesised
    // negation stays two nodes.
    ['!(!has(a))', '!!has(a)'],
    ['!all()', '!all()'],
    ['!global()', '!global()'],
  ])('precedence and negation: %j prints as %j', (input, expected) => {
    expect(canonical(input)).toBe(expected);
  });

  test.each([
    ['a=="b"', 'a == "b"'],
    ['a\t==\t"b"', 'a == "b"'],
    ['  a   !=   "b"  ', 'a != "b"'],
    ['a not   in {"x"}', 'a not in {"x"}'],
    ['a not\tin {"x"}', 'a not in {"x"}'],
    ['a notin {"x"}', 'a not in {"x"}'],
    ['a notin{"x"}', 'a not in {"x"}'],
    ['a in{"x"}', 'a in {"x"}'],
    ['a starts  with "x"', 'a starts with "x"'],
    ['a startswith"x"', 'a starts with "x"'],
    ['a ends \t with "x"', 'a ends with "x"'],
    ['a contains"x"', 'a contains "x"'],
    ['has( a )', 'has(a)'],
    ['has(\ta\t)', 'has(a)'],
    ['all( )', 'all()'],
    ['global(\t)', 'global()'],
    ['has(a)&&has(b)||has(c)', '((has(a) && has(b)) || has(c))'],
    ['a notin"b"', null],
  ])('spacing: %j', (input, expected) => {
    if (expected === null) {
      // `notin` followed by a string is tokenized, but a set literal is required.
      expect(() => parseSelector(input)).toThrow(/expected '\{' to start the set of values after 'not in'/);
    } else {
      expect(canonical(input)).toBe(expected);
    }
  });

  test.each([
    ['all == "x"', 'all == "x"'],
    ['has == "x"', 'has == "x"'],
    ['global in {}', 'global in {}'],
    ['has(all) && has(has)', '(has(all) && has(has))'],
    ['contains contains "contains"', 'contains contains "contains"'],
    ["contains contains 'contains'", 'contains contains "contains"'],
    ['in in {"in"}', 'in in {"in"}'],
    ['not not in {"not"}', 'not not in {"not"}'],
    ['startswith starts with "value"', 'startswith starts with "value"'],
    ['endswith ends with "value"', 'endswith ends with "value"'],
    ['hasx == "y"', 'hasx == "y"'],
    ['allx != "y"', 'allx != "y"'],
  ])('keywords are only keywords in their place: %j', (input, expected) => {
    expect(canonical(input)).toBe(expected);
  });

  test.each([
    ['a == ""', 'a == ""'],
    ['a == \'\'', 'a == ""'],
    ['a == "it\'s"', 'a == "it\'s"'],
    ['a == \'say "hi"\'', 'a == \'say "hi"\''],
    ['a == "x && y || !z"', 'a == "x && y || !z"'],
    ['a == "line1\nline2"', 'a == "line1\nline2"'],
    ['a == "tab\there"', 'a == "tab\there"'],
    ['a == "ünïcødé 🎉"', 'a == "ünïcødé 🎉"'],
    ['a == "back\\slash"', 'a == "back\\slash"'],
  ])('string literals: %j prints as %j', (input, expected) => {
    expect(canonical(input)).toBe(expected);
  });

  test.each([
    ['a in {}', 'a in {}'],
    ['a in { }', 'a in {}'],
    ['a not in {}', 'a not in {}'],
    ['a in {"x",}', 'a in {"x"}'],
    ['a in {"x" , "y" ,}', 'a in {"x", "y"}'],
    ['a in {"y","x"}', 'a in {"x", "y"}'],
    ['a in {"\'", \'"\', "c"}', 'a in {\'"\', "\'", "c"}'],
    ['a in {"", "a"}', 'a in {"", "a"}'],
    ['a in {"b", "B", "a", "_", "1"}', 'a in {"1", "B", "_", "a", "b"}'],
    // Go sorts by UTF-8 bytes: U+FFFD sorts before U+1F389.
    ['a in {"🎉", "\uFFFD"}', 'a in {"\uFFFD", "🎉"}'],
  ])('sets: %j prints as %j', (input, expected) => {
    expect(canonical(input)).toBe(expected);
  });
});

describe('errors', () => {
  test.each<[string, number, RegExp]>([
    // A newline (or any whitespace but space and tab) is an error
    // (Calico: libcalico-go/lib/selector/tokenizer/tokenizer.go trimWhitespace skips ' ' and '\t' only).
    ['a\n== "b"', 1, /^found "\\n" \(U\+000A line feed\), but only spaces and tabs may separate the parts of a Calico selector/],
    ['a == "b"\n', 8, /found "\\n" \(U\+000A line feed\), but only spaces and tabs/],
    ['\nhas(a)', 0, /found "\\n" \(U\+000A line feed\), but only spaces and tabs/],
    ['has(a) &&\r\nhas(b)', 9, /found "\\r" \(U\+000D carriage return\), but only spaces and tabs/],
    ['a ==\u00a0"b"', 4, /found "\\u00a0" \(U\+00A0 no-break space\), but only spaces and tabs/],
    // Single '=', '&', '|'.
    ["app = 'x'", 4, /^expected '==' but found a single '=' after label 'app' \(Calico has no '=' operator\)$/],
    ['a == "b" = "c"', 9, /found a single '=', which is not a Calico operator \(equality is '=='\); expected '&&', '\|\|' or the end/],
    ['has(a) & has(b)', 7, /found a single '&' \(the Calico "and" operator is '&&'\)/],
    ['has(a) | has(b)', 7, /found a single '\|' \(the Calico "or" operator is '\|\|'\)/],
    ['a == "b" &', 9, /found a single '&'/],
    ['a == "b" |', 9, /found a single '\|'/],
    // Values must be quoted string literals.
    ['a == b', 5, /expected a quoted string after '==' but found the unquoted word 'b'; values must be written in double or single quotes, e.g. "b"/],
    ['b contains b', 11, /expected a quoted string after 'contains' but found the unquoted word 'b'/],
    ['b starts with b', 14, /after 'starts with' but found the unquoted word 'b'/],
    ['b ends with b', 12, /after 'ends with' but found the unquoted word 'b'/],
    ['a != ||', 5, /found '\|\|'; expected a quoted string \("…" or '…'\) after '!='/],
    ['a == {"x"}', 5, /found '\{'; sets of values are only allowed after 'in' and 'not in'/],
    ['a ==', 4, /unexpected end of selector; expected a quoted string \("…" or '…'\) after '=='/],
    // Sets.
    ['a in "x"', 5, /found the string "x"; expected '\{' to start the set of values after 'in' \(write a single value as \{"value"\}\)/],
    ['a not in x', 9, /found 'x'; expected '\{' to start the set of values after 'not in'$/],
    ['a in {"a" "b"}', 10, /found the string "b"; expected ',' or '\}' after a value in the set opened at position 5/],
    ['a in {,}', 6, /found ','; expected a quoted string or '\}' in the set opened at position 5/],
    ['a in {"a",,}', 10, /found ','; expected a quoted string or '\}'/],
    ['a in {x}', 6, /found 'x'; expected a quoted string or '\}'/],
    ['foo in {"", ||', 12, /found '\|\|'; expected a quoted string or '\}'/],
    ['a in {"x"', 9, /unexpected end of selector; expected ',' or '\}'/],
    // Unterminated strings.
    ['a == "b', 5, /^unterminated string literal: the " at position 5 has no closing "/],
    ["a == 'b", 5, /^unterminated string literal: the ' at position 5 has no closing '/],
    ['a == "b\'', 5, /^unterminated string literal: the " at position 5/],
    ['"FOO', 0, /^unterminated string literal/],
    ["'FOO", 0, /^unterminated string literal/],
    ['a in {"x}', 6, /^unterminated string literal: the " at position 6/],
    ['a"x', 1, /^unterminated string literal: the " at position 1/],
    // Parentheses.
    ['(', 1, /unexpected end of selector; expected a label key, 'has\(<key>\)', 'all\(\)', 'global\(\)', '!' or '\('/],
    ['(a == "foo"', 11, /unexpected end of selector; expected '&&', '\|\|' or '\)' to close the '\(' at position 0/],
    ['((has(a)) && has(b)', 19, /expected '&&', '\|\|' or '\)' to close the '\(' at position 0/],
    ['(has(a) x', 8, /found 'x'; expected '&&', '\|\|' or '\)' to close the '\(' at position 0/],
    [')', 0, /found '\)'; expected a label key/],
    ['()', 1, /found '\)'; expected a label key/],
    ['has(a))', 6, /found '\)'; expected '&&', '\|\|' or the end of the selector/],
    ['has(a', 5, /expected '\)' to close the 'has\(' at position 0 \(it takes exactly one label key\)/],
    ['has(a b)', 6, /found 'b'; expected '\)' to close the 'has\('/],
    ['has()', 4, /found '\)'; expected a label key inside the 'has\(' at position 0/],
    ['has("a")', 4, /found the string "a"; expected a label key inside the 'has\('/],
    ['all(x)', 4, /found 'x'; expected '\)' to close the 'all\(' at position 0 \(all\(\) takes no arguments\)/],
    ['global(', 7, /unexpected end of selector; expected '\)' to close the 'global\(' at position 0 \(global\(\) takes no arguments\)/],
    // Trailing garbage.
    ['a == "b" c', 9, /found 'c'; expected '&&', '\|\|' or the end of the selector$/],
    ['has(a) has(b)', 7, /found 'has'; expected '&&', '\|\|' or the end/],
    ['all() == "x"', 6, /found '=='; expected '&&', '\|\|' or the end/],
    ['a == "b" "c"', 9, /found the string "c"; expected '&&'/],
    // Missing operands.
    ['!', 1, /unexpected end of selector; expected a label key/],
    ['has(foo) &&', 11, /unexpected end of selector; expected a label key/],
    ['has(foo) || ', 12, /unexpected end of selector; expected a label key/],
    ['&& has(a)', 0, /found '&&'; expected a label key/],
    ['!= "a"', 0, /found '!='; expected a label key/],
    ['!!= "a"', 1, /found '!='; expected a label key/],
    ["'b1' == b", 0, /found the string 'b1'; expected a label key/],
    ['%', 0, /found '%'; expected a label key/],
    ['a == "b" && %', 12, /found '%'; expected a label key/],
    ['a == "b" || %', 12, /found '%'; expected a label key/],
    ['\u0001', 0, /^found "\\u0001" \(U\+0001\); expected a label key/],
    ['a == "' + 'x'.repeat(50) + '" b', 58, /found 'b'/],
    // Operators.
    ['b', 1, /unexpected end of selector; expected an operator after label 'b': '==', '!=', 'in', 'not in', 'contains', 'starts with' or 'ends with'$/],
    ['a ', 2, /unexpected end of selector; expected an operator after label 'a'/],
    ['a b', 2, /found 'b'; expected an operator after label 'a'/],
    ['a containsx "y"', 2, /found 'containsx'; expected an operator after label 'a'/],
    ['a inx {}', 2, /found 'inx'; expected an operator after label 'a'/],
    ['label squiggles "value"', 6, /found 'squiggles'; expected an operator after label 'label'/],
    ['label starts foo "value"', 13, /found 'foo'; expected 'with' to complete the operator 'starts with'/],
    ['label ends foo "value"', 11, /found 'foo'; expected 'with' to complete the operator 'ends with'/],
    ['a not "x"', 6, /found the string "x"; expected 'in' to complete the operator 'not in'/],
    ['a startswithx "v"', 2, /found 'startswithx'; expected an operator after label 'a'/],
    ['a starts', 8, /unexpected end of selector; expected 'with' to complete the operator 'starts with'/],
    ['a ! = "b"', 2, /found '!'; expected an operator after label 'a'/],
    ['a (', 2, /found '\('; expected an operator after label 'a'/],
    ['a "x"', 2, /found the string "x"; expected an operator after label 'a'/],
    // Label keys: bad characters, keyword look-alikes, length.
    ['app$ == "x"', 3, /^found '\$' right after label 'app': label keys may only contain letters, digits, '_', '.', '\/' and '-'; expected an operator/],
    ['app:name == "x"', 3, /found ':' right after label 'app'/],
    ['äpp == "x"', 0, /found "ä"|found 'ä'/],
    ['hasx(a)', 4, /found '\('; expected an operator after label 'hasx'/],
    ['has (a)', 4, /found '\('; expected an operator after label 'has'.*\(to use has\(…\), write the '\(' directly after 'has', without a space\)$/],
    ['all ()', 4, /to use all\(…\), write the '\(' directly after 'all'/],
    ['global ()', 7, /to use global\(…\), write the '\(' directly after 'global'/],
    ['k'.repeat(513) + ' == "v"', 0, /label key is 513 characters long; Calico label keys are at most 512 characters/],
    ['has(' + 'k'.repeat(513) + ')', 4, /label key is 513 characters long/],
  ])('%j fails at position %i', (input, position, detail) => {
    const error = parseError(input);
    expect(error).toBeInstanceOf(SelectorParseError);
    expect(error).toBeInstanceOf(Error);
    expect(error.selector).toBe(input);
    expect(error.position).toBe(position);
    expect(error.detail).toMatch(detail);
    const shown = input.length <= 200 ? JSON.stringify(input) : `of ${input.length} characters, near "`;
    expect(error.message.startsWith(`Invalid Calico selector ${shown}`)).toBe(true);
    expect(error.message.endsWith(`: at position ${position}: ${error.detail}`)).toBe(true);
  });

  test('the message of the brief example', () => {
    expect(() => parseSelector("app = 'x'")).toThrow(
      "Invalid Calico selector \"app = 'x'\": at position 4: expected '==' but found a single '=' after label 'app'",
    );
  });

  test('long string literals are shortened in messages', () => {
    const error = parseError(`has(a) "${'x'.repeat(60)}"`);
    expect(error.detail).toBe(`found the string "${'x'.repeat(36)}...; expected '&&', '||' or the end of the selector`);
  });

  test('an unterminated string after a key is reported as such', () => {
    expect(parseError('a\'x').detail).toMatch(/^unterminated string literal: the ' at position 1/);
  });

  // The bad selectors of libcalico-go's parser tests.
  test.each([
    'b == b',
    'b contains b',
    'b starts with b',
    'b ends with b',
    "'b1' == b",
    'b',
    'a b',
    '!',
    'foo == "bar" &',
    'foo == "bar" |',
    'foo != ||',
    'foo in {"", ||',
    'foo in ""',
    '"FOO',
    '"FOO\'',
    "'FOO",
    '(',
    '(a == "foo"',
    ')',
    '()',
    '%',
    'a == "b" && %',
    'a == "b" || %',
    'a ',
    'has(foo) &&',
  ])('Calico rejects %j and so do we', (input) => {
    expect(() => parseSelector(input)).toThrow(SelectorParseError);
  });
});

// Random syntax trees, printed with random but valid spelling variations,
// must parse back to the same canonical form.
const KEYS = ['a', 'app', 'has', 'all', 'global', 'in', 'not', 'contains', 'starts', 'with', 'k8s.io/name-x_1'];
const VALUES = ['', 'x', 'web', "it's", 'say "hi"', 'a b', '&& ||', 'é🎉', ' \n', '\u00a0\u2028\t'];

const keyArb = fc.constantFrom(...KEYS);
const valueArb = fc.constantFrom(...VALUES);
const leafArb: fc.Arbitrary<SelectorNode> = fc.oneof(
  fc.constant(allNode()),
  fc.constant(globalNode()),
  keyArb.map(hasNode),
  fc.tuple(fc.constantFrom(...(['eq', 'ne', 'contains', 'startsWith', 'endsWith'] as const)), keyArb, valueArb)
    .map(([kind, key, value]) => valueNode(kind, key, value)),
  fc.tuple(fc.constantFrom(...(['in', 'notIn'] as const)), keyArb, fc.array(valueArb, { maxLength: 4 }))
    .map(([kind, key, values]) => setNode(kind, key, values)),
);
const nodeArb: fc.Arbitrary<SelectorNode> = fc.letrec<{ node: SelectorNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    tie('node').map(notNode),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map(andNode),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map(orNode),
  ),
})).node;

/** Small deterministic PRNG (Park–Miller) so a printed variant is reproducible from its seed. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

function noisyPrint(node: SelectorNode, seed: number): string {
  const rnd = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const ws = (): string => pick(['', '', ' ', '  ', '\t', ' \t ']);
  const ws1 = (): string => pick([' ', '  ', '\t', ' \t']);
  const quoteFull = (v: string): string => {
    if (v.includes('"')) return `'${v}'`;
    if (v.includes("'")) return `"${v}"`;
    const q = pick(['"', "'"]);
    return q + v + q;
  };
  const print = (n: SelectorNode, needsGroup: boolean): string => {
    let out: string;
    switch (n.kind) {
      case 'all':
        out = `all(${ws()})`;
        break;
      case 'global':
        out = `global(${ws()})`;
        break;
      case 'has':
        out = `has(${ws()}${n.key}${ws()})`;
        break;
      case 'eq':
        out = `${n.key}${ws()}==${ws()}${quoteFull(n.value)}`;
        break;
      case 'ne':
        out = `${n.key}${ws()}!=${ws()}${quoteFull(n.value)}`;
        break;
      case 'contains':
        out = `${n.key}${ws1()}contains${ws()}${quoteFull(n.value)}`;
        break;
      case 'startsWith':
        out = `${n.key}${ws1()}starts${ws()}with${ws()}${quoteFull(n.value)}`;
        break;
      case 'endsWith':
        out = `${n.key}${ws1()}ends${ws()}with${ws()}${quoteFull(n.value)}`;
        break;
      case 'in':
      case 'notIn': {
        const op = n.kind === 'in' ? 'in' : `not${ws()}in`;
        // Shuffle and duplicate members; optional trailing comma.
        const members = [...n.values, ...n.values.filter(() => rnd() < 0.3)].sort(() => rnd() - 0.5);
        const items = members.map((m) => `${ws()}${quoteFull(m)}${ws()}`).join(',');
        const trailing = members.length > 0 && rnd() < 0.5 ? `,${ws()}` : '';
        out = `${n.key}${ws1()}${op}${ws()}{${items}${trailing}${ws()}}`;
        break;
      }
      case 'not': {
        // A doubled '!' collapses; a nested negation needs its parentheses.
        const bangs = pick(['!', '!', `!!${ws()}!`]);
        const inner = n.operand.kind === 'not'
          ? `(${ws()}${print(n.operand, false)}${ws()})`
          : print(n.operand, true);
        out = `${bangs}${ws()}${inner}`;
        break;
      }
      case 'and':
      case 'or': {
        const sep = n.kind === 'and' ? '&&' : '||';
        out = n.operands
          // '&&' binds tighter than '||', so a conjunction inside a
          // disjunction may go without parentheses; everything else nested
          // needs them to keep the tree's shape.
          .map((op) => print(op, op.kind === 'or' || (op.kind === 'and' && (n.kind === 'and' || rnd() < 0.5))))
          .join(`${ws()}${sep}${ws()}`);
        if (needsGroup) {
          return `(${ws()}${out}${ws()})`;
        }
        break;
      }
    }
    // Redundant parentheses are allowed around any operand.
    return rnd() < 0.2 ? `(${ws()}${out}${ws()})` : out;
  };
  return `${ws()}${print(node, false)}${ws()}`;
}

describe('property: spelling variations parse to the same tree', () => {
  test('parse(noisy print of a tree) prints like the tree', () => {
    fc.assert(
      fc.property(nodeArb, fc.integer({ min: 1, max: 2147483646 }), (node, seed) => {
        const expected = nodeToString(node);
        const text = noisyPrint(node, seed);
        expect(nodeToString(parseSelector(text))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  test('canonical strings are fixed points (for trees without a negated negation)', () => {
    const hasDoubleNegation = (n: SelectorNode): boolean => {
      switch (n.kind) {
        case 'not':
          return n.operand.kind === 'not' || hasDoubleNegation(n.operand);
        case 'and':
        case 'or':
          return n.operands.some(hasDoubleNegation);
        default:
          return false;
      }
    };
    fc.assert(
      fc.property(nodeArb.filter((n) => !hasDoubleNegation(n)), (node) => {
        const text = nodeToString(node);
        expect(nodeToString(parseSelector(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  const labelMaps: Labels[] = [
    {},
    { a: 'x' },
    { b: 'y' },
    { a: 'y', b: 'x' },
    { a: '', in: 'x', not: 'y' },
    { 'projectcalico.org/namespace': 'ns', 'a': 'x' },
  ];

  test('random text either parses to a fixed point or fails with a position inside the text', () => {
    const alphabet = fc.constantFrom(
      'a', 'b', ' ', '\t', '(', ')', '!', '=', '==', '!=', '&&', '||', '&', '|', '"x"', "'y'", '"', '{', '}', ',',
      'in', 'not', 'contains', 'starts', 'with', 'ends', 'has(', 'all(', 'global(', '\n',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        let node: SelectorNode;
        try {
          node = parseSelector(text);
        } catch (e) {
          expect(e).toBeInstanceOf(SelectorParseError);
          const error = e as SelectorParseError;
          expect(error.position).toBeGreaterThanOrEqual(0);
          expect(error.position).toBeLessThanOrEqual(text.length);
          return;
        }
        // Printing and re-parsing keeps the meaning, and one more round trip
        // changes nothing (only '!(!x)', printed '!!x', collapses on the way).
        const reparsed = parseSelector(nodeToString(node));
        expect(nodeToString(parseSelector(nodeToString(reparsed)))).toBe(nodeToString(reparsed));
        for (const labels of labelMaps) {
          expect(evaluate(reparsed, labels)).toBe(evaluate(node, labels));
        }
      }),
      { numRuns: 500 },
    );
  });
});
