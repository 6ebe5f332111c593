import * as fc from 'fast-check';
import { hasNode } from '../../src/selector/ast';
import { SelectorParseError } from '../../src/selector/errors';
import { LabelSelectorBuilder, Selector } from '../../src/selector/selector';

describe('Selector.parse', () => {
  test('returns a selector printing the canonical form', () => {
    const s = Selector.parse("app == 'web' && tier in {'b', 'a'}");
    expect(s.toString()).toBe('(app == "web" && tier in {"a", "b"})');
    expect(`${s}`).toBe('(app == "web" && tier in {"a", "b"})');
    expect(s._node.kind).toBe('and');
  });

  test('throws SelectorParseError for invalid selectors', () => {
    expect(() => Selector.parse("app = 'x'")).toThrow(SelectorParseError);
    expect(() => Selector.parse("app = 'x'")).toThrow(
      "Invalid Calico selector \"app = 'x'\": at position 4: expected '=='",
    );
  });

  test('blank means spaces and tabs only, as in Calico; other whitespace is an error', () => {
    // Calico: libcalico-go/lib/selector/tokenizer/tokenizer.go trimWhitespace.
    expect(Selector.parse(' \t ').isEqualTo(Selector.all())).toBe(true);
    for (const text of ['\n', '\u00a0', '\u2028', ' \r\n ']) {
      expect(() => Selector.parse(text)).toThrow(SelectorParseError);
      expect(() => Selector.parse(text)).toThrow(/but only spaces and tabs may separate the parts of a Calico selector/);
    }
    expect(() => Selector.parse('has(a)\n&& has(b)')).toThrow(/at position 6: found "\\n" \(U\+000A line feed\)/);
  });

  test('rejects a non-string argument (from untyped callers)', () => {
    expect(() => Selector.parse(42 as unknown as string)).toThrow(
      'Selector.parse(): expected the selector as a string, got number',
    );
  });
});

describe('matches', () => {
  // Cases from libcalico-go's parser tests: [selector, matching, non-matching].
  const calicoCases: Array<[string, Array<{ [key: string]: string }>, Array<{ [key: string]: string }>]> = [
    ['a == "b"', [{ a: 'b' }, { a: 'b', c: 'd' }], [{}, { a: 'c' }, { c: 'd' }]],
    ['a == "b" && c == "d"', [{ a: 'b', c: 'd' }], [{}, { a: 'b', c: 'e' }, { a: 'c', c: 'd' }, { c: 'd' }, { a: 'b' }]],
    ['a == "b" || c == "d"', [{ a: 'b', c: 'd' }, { a: 'b' }, { c: 'd' }], [{}, { a: 'e', c: 'e' }, { c: 'e' }, { a: 'e' }]],
    ['a in {"\'", \'"\', "c"}', [{ a: 'c' }, { a: '"' }, { a: "'" }], [{}, { a: 'e' }]],
    ['a not in {"\'", \'"\', "c"}', [{}, { a: 'e' }], [{ a: 'c' }, { a: '"' }, { a: "'" }]],
    ["a == 'a'", [{ a: 'a' }], [{ a: 'b' }, {}]],
    ['a != "b"', [{ a: 'a' }], []],
    ['a != "a"', [{}], [{ a: 'a' }]],
    ['a contains "a"', [{ a: 'a' }, { a: 'bab' }, { a: 'aaa', b: 'c' }], [{}, { a: 'b' }, { b: 'aaa' }]],
    ['a starts with "a"', [{ a: 'a' }, { a: 'abb' }, { a: 'aaa', b: 'c' }], [{}, { a: 'b' }, { a: 'baa' }, { b: 'aaa' }]],
    ['a ends with "a"', [{ a: 'a' }, { a: 'bba' }, { a: 'aaa', b: 'c' }], [{}, { a: 'b' }, { a: 'aab' }, { b: 'aaa' }]],
    ['a in {"a"}', [{ a: 'a' }], [{ a: 'b' }]],
    ['!a in {"a"}', [{ a: 'b' }], []],
    ['a in {"a", "b"}', [{ a: 'a' }, { a: 'b' }], [{ a: 'c' }]],
    ['a not in {"d", "e"}', [{ a: 'a' }], []],
    ['a not in {"a"}', [], [{ a: 'a' }]],
    ['has(a)', [{ a: 'b' }], []],
    ['has(b)', [], [{ a: 'b' }]],
    ['!has(a)', [{ b: 'b' }], [{ a: 'b' }]],
    ['!!has(b)', [], [{ a: 'b' }]],
    ['!!! has(a)', [], [{ a: 'b' }]],
    ['', [{}, { a: 'b' }], []],
    [' ', [{}], []],
    ['all()', [{}], []],
    [' all()', [{ a: 'b' }], []],
    ['global()', [{}, { a: 'b' }], []],
    ["a == 'a1' && b == 'b1'", [{ a: 'a1', b: 'b1' }], []],
    ["a == 'a1' && b != 'b1'", [], [{ a: 'a1', b: 'b1' }]],
    ["a != 'a1' && !b == 'b1'", [], [{ a: 'a1', b: 'b1' }]],
    ['has(a) && !has(b)', [{ a: 'a' }], []],
    ['!(!has(a) || has(b))', [{ a: 'a' }], []],
    ['!(has(b) || !has(a))', [{ a: 'a' }], []],
    ["a == 'a1' || b != 'b1'", [{ a: 'a1', b: 'b1' }], []],
    ["a != 'a1' || b != 'b1'", [], [{ a: 'a1', b: 'b1' }]],
    ["! a == 'a1' || ! b == 'b1'", [], [{ a: 'a1', b: 'b1' }]],
  ];

  test.each(calicoCases)('%j', (text, matching, nonMatching) => {
    const s = Selector.parse(text);
    const canonical = Selector.parse(s.toString());
    for (const labels of matching) {
      expect(s.matches(labels)).toBe(true);
      expect(canonical.matches(labels)).toBe(true);
    }
    for (const labels of nonMatching) {
      expect(s.matches(labels)).toBe(false);
      expect(canonical.matches(labels)).toBe(false);
    }
  });

  test('global() matches only labels without projectcalico.org/namespace', () => {
    expect(Selector.global().matches({ 'kubernetes.io/hostname': 'node-1' })).toBe(true);
    expect(Selector.global().matches({ 'projectcalico.org/namespace': 'default', 'app': 'web' })).toBe(false);
    expect(Selector.global().not().matches({ 'projectcalico.org/namespace': 'default' })).toBe(true);
  });
});

describe('factories', () => {
  test('all(), none(), global(), has()', () => {
    expect(Selector.all().toString()).toBe('all()');
    expect(Selector.all().matches({})).toBe(true);
    expect(Selector.none().toString()).toBe('!all()');
    expect(Selector.none().matches({})).toBe(false);
    expect(Selector.global().toString()).toBe('global()');
    expect(Selector.has('app.kubernetes.io/name').toString()).toBe('has(app.kubernetes.io/name)');
    expect(Selector.has('app').matches({ app: '' })).toBe(true);
    expect(Selector.has('app').matches({})).toBe(false);
  });

  test('label() returns a builder for the key', () => {
    const builder = Selector.label('tier');
    expect(builder).toBeInstanceOf(LabelSelectorBuilder);
    expect(builder.key).toBe('tier');
    expect(new LabelSelectorBuilder('tier').eq('x').toString()).toBe('tier == "x"');
  });

  test.each<[string, Selector, string, Array<[{ [key: string]: string }, boolean]>]>([
    ['eq', Selector.label('app').eq('web'), 'app == "web"', [[{ app: 'web' }, true], [{ app: 'db' }, false], [{}, false]]],
    ['ne', Selector.label('app').ne('web'), 'app != "web"', [[{ app: 'web' }, false], [{ app: 'db' }, true], [{}, true]]],
    ['in', Selector.label('app').in(['web', 'api', 'web']), 'app in {"api", "web"}', [[{ app: 'api' }, true], [{ app: 'db' }, false], [{}, false]]],
    ['in []', Selector.label('app').in([]), 'app in {}', [[{ app: '' }, false], [{}, false]]],
    ['notIn', Selector.label('app').notIn(['web', 'api']), 'app not in {"api", "web"}', [[{ app: 'api' }, false], [{ app: 'db' }, true], [{}, true]]],
    ['notIn []', Selector.label('app').notIn([]), 'app not in {}', [[{ app: 'x' }, true], [{}, true]]],
    ['contains', Selector.label('app').contains('e'), 'app contains "e"', [[{ app: 'web' }, true], [{ app: 'api' }, false], [{}, false]]],
    ['startsWith', Selector.label('app').startsWith('we'), 'app starts with "we"', [[{ app: 'web' }, true], [{ app: 'owe' }, false], [{}, false]]],
    ['endsWith', Selector.label('app').endsWith('eb'), 'app ends with "eb"', [[{ app: 'web' }, true], [{ app: 'ebb' }, false], [{}, false]]],
    ['quote choice', Selector.label('msg').eq('say "hi"'), 'msg == \'say "hi"\'', [[{ msg: 'say "hi"' }, true]]],
    ['single quote', Selector.label('msg').eq("it's"), 'msg == "it\'s"', [[{ msg: "it's" }, true]]],
    ['empty value', Selector.label('msg').eq(''), 'msg == ""', [[{ msg: '' }, true], [{}, false]]],
    ['set quotes', Selector.label('q').in(['"', "'"]), 'q in {\'"\', "\'"}', [[{ q: '"' }, true], [{ q: "'" }, true]]],
  ])('builder %s', (_name, selector, expected, cases) => {
    expect(selector.toString()).toBe(expected);
    expect(Selector.parse(expected).toString()).toBe(expected);
    for (const [labels, result] of cases) {
      expect(selector.matches(labels)).toBe(result);
    }
  });

  test('in() does not keep a reference to the caller’s array', () => {
    const values = ['a'];
    const s = Selector.label('k').in(values);
    values.push('b');
    expect(s.toString()).toBe('k in {"a"}');
    expect(s.matches({ k: 'b' })).toBe(false);
  });

  test('fromLabels() is a sorted exact-match conjunction', () => {
    expect(Selector.fromLabels({ 'tier': 'web', 'app': 'shop', 'a.b/c': 'x' }).toString()).toBe(
      '(a.b/c == "x" && app == "shop" && tier == "web")',
    );
    expect(Selector.fromLabels({ app: 'shop' }).toString()).toBe('app == "shop"');
    expect(Selector.fromLabels({}).toString()).toBe('all()');
    const s = Selector.fromLabels({ app: 'shop', tier: 'web' });
    expect(s.matches({ app: 'shop', tier: 'web', extra: '1' })).toBe(true);
    expect(s.matches({ app: 'shop' })).toBe(false);
  });
});

describe('builder validation', () => {
  test.each([
    ['has', () => Selector.has('bad key'), 'Selector.has(): invalid label key "bad key" (it is empty or contains other characters)'],
    ['has empty', () => Selector.has(''), 'Selector.has(): invalid label key ""'],
    ['label', () => Selector.label('app:name'), 'Selector.label(): invalid label key "app:name"'],
    ['label unicode', () => Selector.label('äpp'), 'Selector.label(): invalid label key "äpp"'],
    ['label newline', () => Selector.label('a\nb'), 'Selector.label(): invalid label key "a\\nb"'],
    ['builder constructor', () => new LabelSelectorBuilder('a b'), 'Selector.label(): invalid label key "a b"'],
    ['fromLabels', () => Selector.fromLabels({ 'bad key': 'x' }), 'Selector.fromLabels(): invalid label key "bad key"'],
    ['label long', () => Selector.label('k'.repeat(513)), '(it is 513 characters long)'],
    ['label non-string', () => Selector.label(7 as unknown as string), 'Selector.label(): invalid label key 7'],
  ])('%s rejects bad keys', (_name, fn, message) => {
    expect(fn).toThrow(message);
    expect(fn).toThrow(/Calico selector label keys must match \[A-Za-z0-9_.\/-\]\+ \(letters, digits, '_', '.', '\/' and '-'\), at most 512 characters, e.g. "app.kubernetes.io\/name"/);
  });

  test('a 512-character key is accepted', () => {
    expect(Selector.has('k'.repeat(512)).toString()).toBe(`has(${'k'.repeat(512)})`);
  });

  const both = 'it\'s "quoted"';
  test.each([
    ['eq', () => Selector.label('k').eq(both), 'Selector.label("k").eq()'],
    ['ne', () => Selector.label('k').ne(both), 'Selector.label("k").ne()'],
    ['contains', () => Selector.label('k').contains(both), 'Selector.label("k").contains()'],
    ['startsWith', () => Selector.label('k').startsWith(both), 'Selector.label("k").startsWith()'],
    ['endsWith', () => Selector.label('k').endsWith(both), 'Selector.label("k").endsWith()'],
    ['in', () => Selector.label('k').in(['ok', both]), 'Selector.label("k").in()'],
    ['notIn', () => Selector.label('k').notIn([both]), 'Selector.label("k").notIn()'],
    ['fromLabels', () => Selector.fromLabels({ k: both }), 'Selector.fromLabels()'],
  ])('%s rejects a value with both kinds of quote', (_name, fn, method) => {
    expect(fn).toThrow(
      `${method}: the value "it's \\"quoted\\"" for label "k" contains both a double quote (") and a single quote ('); ` +
      'Calico selector strings have no escapes, so a value may contain one kind of quote but not both',
    );
  });

  test('rejects non-string values and non-array sets from untyped callers', () => {
    expect(() => Selector.label('k').eq(1 as unknown as string)).toThrow(
      'Selector.label("k").eq(): the value for label "k" must be a string, got number 1',
    );
    expect(() => Selector.fromLabels({ k: null as unknown as string })).toThrow(
      'Selector.fromLabels(): the value for label "k" must be a string, got object null',
    );
    expect(() => Selector.label('k').in('abc' as unknown as string[])).toThrow(
      'Selector.label("k").in(): expected an array of values, got string',
    );
  });
});

describe('combinators', () => {
  const a = Selector.has('a');
  const b = Selector.has('b');
  const c = Selector.has('c');

  test('and() / allOf()', () => {
    expect(a.and(b).toString()).toBe('(has(a) && has(b))');
    expect(a.and(b, c).toString()).toBe('(has(a) && has(b) && has(c))');
    expect(a.and(b).and(c).toString()).toBe('(has(a) && has(b) && has(c))');
    expect(a.and(b.and(c)).toString()).toBe('(has(a) && has(b) && has(c))');
    expect(a.and().toString()).toBe('has(a)');
    expect(a.and(Selector.all()).toString()).toBe('has(a)');
    expect(Selector.all().and(Selector.all()).toString()).toBe('all()');
    expect(Selector.allOf().toString()).toBe('all()');
    expect(Selector.allOf(a, b).toString()).toBe('(has(a) && has(b))');
    // Disjunctions stay grouped.
    expect(a.and(b.or(c)).toString()).toBe('(has(a) && (has(b) || has(c)))');
    // A parsed nested conjunction is flattened only one level.
    expect(Selector.parse('(has(a) && has(b)) && has(c)').and(Selector.has('d')).toString())
      .toBe('((has(a) && has(b)) && has(c) && has(d))');
  });

  test('or() / anyOf()', () => {
    expect(a.or(b).toString()).toBe('(has(a) || has(b))');
    expect(a.or(b).or(c).toString()).toBe('(has(a) || has(b) || has(c))');
    expect(a.or().toString()).toBe('has(a)');
    expect(a.or(Selector.all()).toString()).toBe('all()');
    expect(Selector.anyOf().toString()).toBe('!all()');
    expect(Selector.anyOf().matches({})).toBe(false);
    expect(Selector.anyOf(a, b).toString()).toBe('(has(a) || has(b))');
    expect(a.or(b.and(c)).toString()).toBe('(has(a) || (has(b) && has(c)))');
    expect(a.or(Selector.global()).matches({ 'projectcalico.org/namespace': 'ns' })).toBe(false);
  });

  test('not()', () => {
    expect(a.not().toString()).toBe('!has(a)');
    expect(a.not().not().toString()).toBe('has(a)');
    expect(a.and(b).not().toString()).toBe('!(has(a) && has(b))');
    expect(Selector.all().not().toString()).toBe('!all()');
    expect(Selector.parse('!(!has(a))').not().toString()).toBe('!has(a)');
    expect(a.not().matches({ a: 'x' })).toBe(false);
    expect(a.not().matches({})).toBe(true);
  });

  test('selectors are immutable', () => {
    const base = Selector.label('app').eq('web');
    base.and(b);
    base.or(c);
    base.not();
    expect(base.toString()).toBe('app == "web"');
  });

  test('isEqualTo() compares canonical forms', () => {
    expect(Selector.parse("a=='x'&&has(b)").isEqualTo(Selector.label('a').eq('x').and(Selector.has('b')))).toBe(true);
    expect(Selector.parse('').isEqualTo(Selector.all())).toBe(true);
    expect(a.isEqualTo(b)).toBe(false);
  });

  test('_fromNode wraps a syntax tree', () => {
    const node = hasNode('z');
    const s = Selector._fromNode(node);
    expect(s._node).toBe(node);
    expect(s.toString()).toBe('has(z)');
  });
});

// Property: selectors built with the public API print a canonical form that
// parses back to the same string and the same verdicts.
const KEYS = ['a', 'app', 'all', 'has', 'global', 'in', 'not', 'k8s.io/x-y_z'];
const VALUES = ['', 'x', 'web', "it's", 'say "hi"', ' && ', 'é', '\n', ' \u00a0\u2028 '];
const keyArb = fc.constantFrom(...KEYS);
const valueArb = fc.constantFrom(...VALUES);
const leafArb: fc.Arbitrary<Selector> = fc.oneof(
  fc.constant(Selector.all()),
  fc.constant(Selector.none()),
  fc.constant(Selector.global()),
  keyArb.map((k) => Selector.has(k)),
  fc.tuple(keyArb, valueArb).map(([k, v]) => Selector.label(k).eq(v)),
  fc.tuple(keyArb, valueArb).map(([k, v]) => Selector.label(k).ne(v)),
  fc.tuple(keyArb, valueArb).map(([k, v]) => Selector.label(k).contains(v)),
  fc.tuple(keyArb, valueArb).map(([k, v]) => Selector.label(k).startsWith(v)),
  fc.tuple(keyArb, valueArb).map(([k, v]) => Selector.label(k).endsWith(v)),
  fc.tuple(keyArb, fc.array(valueArb, { maxLength: 4 })).map(([k, vs]) => Selector.label(k).in(vs)),
  fc.tuple(keyArb, fc.array(valueArb, { maxLength: 4 })).map(([k, vs]) => Selector.label(k).notIn(vs)),
  fc.dictionary(keyArb, valueArb, { maxKeys: 3 }).map((labels) => Selector.fromLabels(labels)),
);
const selectorArb: fc.Arbitrary<Selector> = fc.letrec<{ sel: Selector }>((tie) => ({
  sel: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    tie('sel').map((s) => s.not()),
    fc.tuple(tie('sel'), fc.array(tie('sel'), { maxLength: 2 })).map(([s, others]) => s.and(...others)),
    fc.tuple(tie('sel'), fc.array(tie('sel'), { maxLength: 2 })).map(([s, others]) => s.or(...others)),
  ),
})).sel;
const labelsArb = fc.dictionary(fc.constantFrom(...KEYS, 'projectcalico.org/namespace'), valueArb, { maxKeys: 5 });

describe('property: round trip through the canonical form', () => {
  test('parse(s.toString()) prints the same and matches the same label maps', () => {
    fc.assert(
      fc.property(selectorArb, fc.array(labelsArb, { minLength: 1, maxLength: 6 }), (s, labelMaps) => {
        const text = s.toString();
        const reparsed = Selector.parse(text);
        expect(reparsed.toString()).toBe(text);
        expect(reparsed.isEqualTo(s)).toBe(true);
        for (const labels of labelMaps) {
          expect(reparsed.matches(labels)).toBe(s.matches(labels));
        }
      }),
      { numRuns: 200 },
    );
  });

  test('not() inverts matches and and()/or() combine them', () => {
    fc.assert(
      fc.property(selectorArb, selectorArb, labelsArb, (s, t, labels) => {
        expect(s.not().matches(labels)).toBe(!s.matches(labels));
        expect(s.and(t).matches(labels)).toBe(s.matches(labels) && t.matches(labels));
        expect(s.or(t).matches(labels)).toBe(s.matches(labels) || t.matches(labels));
      }),
      { numRuns: 200 },
    );
  });
});
