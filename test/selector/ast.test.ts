import * as fc from 'fast-check';
import {
  allNode,
  andNode,
  compareCodePoints,
  evaluate,
  globalNode,
  hasNode,
  isLabelKeyChar,
  Labels,
  MAX_LABEL_KEY_LENGTH,
  NAMESPACE_LABEL,
  nodeToString,
  notNode,
  orNode,
  quoteValue,
  requiredEqualities,
  requiredKeys,
  SelectorNode,
  setNode,
  valueNode,
} from '../../src/selector/ast';
import { parseSelector } from '../../src/selector/parser';

const eq = (k: string, v: string) => valueNode('eq', k, v);

describe('constructors', () => {
  test('all() and global() are shared immutable nodes', () => {
    expect(allNode()).toBe(allNode());
    expect(globalNode()).toBe(globalNode());
    expect(Object.isFrozen(allNode())).toBe(true);
    expect(allNode()).toEqual({ kind: 'all' });
    expect(globalNode()).toEqual({ kind: 'global' });
  });

  test('setNode sorts and de-duplicates its members and indexes them', () => {
    const node = setNode('in', 'k', ['b', 'a', 'b', 'c', 'a']);
    expect(node.values).toEqual(['a', 'b', 'c']);
    expect([...node.set].sort()).toEqual(['a', 'b', 'c']);
    expect(setNode('notIn', 'k', []).values).toEqual([]);
  });

  test('setNode does not modify its input', () => {
    const input = ['b', 'a'];
    setNode('in', 'k', input);
    expect(input).toEqual(['b', 'a']);
  });

  test('notNode keeps a negated negation as written', () => {
    const inner = notNode(hasNode('a'));
    expect(notNode(inner)).toEqual({ kind: 'not', operand: inner });
  });

  test('andNode and orNode return a single operand as it is', () => {
    const a = hasNode('a');
    expect(andNode([a])).toBe(a);
    expect(orNode([a])).toBe(a);
    expect(andNode([a, a])).toEqual({ kind: 'and', operands: [a, a] });
    expect(orNode([a, a])).toEqual({ kind: 'or', operands: [a, a] });
  });

  test('andNode and orNode copy their operand list', () => {
    const ops: SelectorNode[] = [hasNode('a'), hasNode('b')];
    const node = andNode(ops);
    ops.push(hasNode('c'));
    expect(nodeToString(node)).toBe('(has(a) && has(b))');
  });

  test('andNode and orNode reject an empty operand list', () => {
    expect(() => andNode([])).toThrow('A Calico selector conjunction (&&) needs at least one operand');
    expect(() => orNode([])).toThrow('A Calico selector disjunction (||) needs at least one operand');
  });
});

describe('compareCodePoints', () => {
  test('orders like the UTF-8 bytes (Go string order)', () => {
    expect(compareCodePoints('a', 'b')).toBeLessThan(0);
    expect(compareCodePoints('b', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('a', 'a')).toBe(0);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('B', 'a')).toBeLessThan(0);
    // U+FFFD < U+1F389 by code point, although its UTF-16 unit is larger
    // than the surrogate 0xD83C.
    expect(compareCodePoints('\uFFFD', '🎉')).toBeLessThan(0);
    expect(compareCodePoints('🎉', '\uFFFD')).toBeGreaterThan(0);
    expect(compareCodePoints('🎉', '🎊')).toBeLessThan(0);
  });

  test('property: agrees with comparing UTF-8 encodings', () => {
    fc.assert(
      fc.property(fc.fullUnicodeString({ maxLength: 6 }), fc.fullUnicodeString({ maxLength: 6 }), (a, b) => {
        const expected = Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
        expect(Math.sign(compareCodePoints(a, b))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('isLabelKeyChar', () => {
  test('accepts exactly [A-Za-z0-9_./-]', () => {
    for (let code = 0; code < 256; code++) {
      const expected = /[A-Za-z0-9_./-]/.test(String.fromCharCode(code));
      expect(isLabelKeyChar(code)).toBe(expected);
    }
    expect(isLabelKeyChar(-1)).toBe(false);
    expect(MAX_LABEL_KEY_LENGTH).toBe(512);
  });
});

describe('evaluate', () => {
  const cases: Array<[SelectorNode, Labels, boolean]> = [
    [allNode(), {}, true],
    [allNode(), { a: 'b' }, true],
    [globalNode(), {}, true],
    [globalNode(), { a: 'b' }, true],
    [globalNode(), { [NAMESPACE_LABEL]: 'default' }, false],
    [hasNode('a'), { a: '' }, true],
    [hasNode('a'), { b: 'a' }, false],
    [eq('a', 'b'), { a: 'b' }, true],
    [eq('a', 'b'), { a: 'c' }, false],
    [eq('a', 'b'), {}, false],
    [eq('a', ''), {}, false],
    [eq('a', ''), { a: '' }, true],
    [valueNode('ne', 'a', 'b'), { a: 'c' }, true],
    [valueNode('ne', 'a', 'b'), { a: 'b' }, false],
    [valueNode('ne', 'a', 'b'), {}, true],
    [valueNode('contains', 'a', 'a'), { a: 'bab' }, true],
    [valueNode('contains', 'a', 'a'), { a: 'b' }, false],
    [valueNode('contains', 'a', ''), { a: '' }, true],
    [valueNode('contains', 'a', ''), {}, false],
    [valueNode('startsWith', 'a', 'a'), { a: 'abb' }, true],
    [valueNode('startsWith', 'a', 'a'), { a: 'baa' }, false],
    [valueNode('startsWith', 'a', 'a'), { b: 'aaa' }, false],
    [valueNode('endsWith', 'a', 'a'), { a: 'bba' }, true],
    [valueNode('endsWith', 'a', 'a'), { a: 'aab' }, false],
    [valueNode('endsWith', 'a', 'a'), {}, false],
    [setNode('in', 'a', ['a', 'b']), { a: 'b' }, true],
    [setNode('in', 'a', ['a', 'b']), { a: 'c' }, false],
    [setNode('in', 'a', ['a', 'b']), {}, false],
    [setNode('in', 'a', []), { a: '' }, false],
    [setNode('notIn', 'a', ['a', 'b']), { a: 'c' }, true],
    [setNode('notIn', 'a', ['a', 'b']), { a: 'a' }, false],
    [setNode('notIn', 'a', ['a', 'b']), {}, true],
    [notNode(hasNode('a')), {}, true],
    [notNode(hasNode('a')), { a: 'x' }, false],
    [notNode(notNode(hasNode('a'))), { a: 'x' }, true],
    [andNode([hasNode('a'), hasNode('b')]), { a: '1', b: '2' }, true],
    [andNode([hasNode('a'), hasNode('b')]), { a: '1' }, false],
    [orNode([hasNode('a'), hasNode('b')]), { b: '2' }, true],
    [orNode([hasNode('a'), hasNode('b')]), { c: '3' }, false],
  ];
  test.each(cases)('%j on %j is %s', (node, labels, expected) => {
    expect(evaluate(node, labels)).toBe(expected);
  });

  test('keys named like Object.prototype members are labels like any other', () => {
    expect(evaluate(hasNode('constructor'), {})).toBe(false);
    expect(evaluate(hasNode('toString'), {})).toBe(false);
    expect(evaluate(valueNode('ne', 'constructor', 'x'), {})).toBe(true);
    expect(evaluate(setNode('notIn', 'hasOwnProperty', ['x']), {})).toBe(true);
    expect(evaluate(eq('constructor', 'x'), { constructor: 'x' })).toBe(true);
    expect(evaluate(eq('__proto__', 'x'), JSON.parse('{"__proto__": "x"}'))).toBe(true);
  });

  test('works on label maps without a prototype', () => {
    const labels: { [key: string]: string } = Object.create(null);
    labels.a = 'b';
    expect(evaluate(andNode([eq('a', 'b'), notNode(hasNode('c'))]), labels)).toBe(true);
  });
});

describe('nodeToString', () => {
  test.each<[SelectorNode, string]>([
    [allNode(), 'all()'],
    [globalNode(), 'global()'],
    [hasNode('a/b'), 'has(a/b)'],
    [eq('a', 'b'), 'a == "b"'],
    [valueNode('ne', 'a', 'b'), 'a != "b"'],
    [valueNode('contains', 'a', 'b'), 'a contains "b"'],
    [valueNode('startsWith', 'a', 'b'), 'a starts with "b"'],
    [valueNode('endsWith', 'a', 'b'), 'a ends with "b"'],
    [eq('a', 'say "hi"'), 'a == \'say "hi"\''],
    [eq('a', "it's"), 'a == "it\'s"'],
    [setNode('in', 'a', ['b', 'a']), 'a in {"a", "b"}'],
    [setNode('notIn', 'a', ['"', "'"]), 'a not in {\'"\', "\'"}'],
    [setNode('in', 'a', []), 'a in {}'],
    [notNode(eq('a', 'b')), '!a == "b"'],
    [notNode(andNode([hasNode('a'), hasNode('b')])), '!(has(a) && has(b))'],
    [notNode(notNode(hasNode('a'))), '!!has(a)'],
    [andNode([hasNode('a'), orNode([hasNode('b'), hasNode('c')])]), '(has(a) && (has(b) || has(c)))'],
    [orNode([andNode([hasNode('a'), hasNode('b')]), hasNode('c')]), '((has(a) && has(b)) || has(c))'],
  ])('%j prints as %s', (node, expected) => {
    expect(nodeToString(node)).toBe(expected);
  });

  test('quoteValue picks the quote Calico picks', () => {
    expect(quoteValue('x')).toBe('"x"');
    expect(quoteValue("'")).toBe('"\'"');
    expect(quoteValue('"')).toBe('\'"\'');
  });
});

describe('requiredEqualities', () => {
  const sets = (node: SelectorNode) => {
    const result = requiredEqualities(node);
    return result === undefined ? undefined : Object.fromEntries([...result].map(([k, v]) => [k, [...v].sort()]));
  };

  test.each<[string, { [key: string]: string[] } | undefined]>([
    ['a == "x"', { a: ['x'] }],
    ['a in {"x", "y"}', { a: ['x', 'y'] }],
    ['a in {}', { a: [] }],
    ['a == "x" && b in {"y", "z"} && has(c)', { a: ['x'], b: ['y', 'z'] }],
    ['a in {"x", "y"} && a in {"y", "z"}', { a: ['y'] }],
    ['a == "x" && a == "y"', { a: [] }],
    ['!a != "x"', { a: ['x'] }],
    ['!a not in {"x", "y"}', { a: ['x', 'y'] }],
    ['!(!a == "x")', { a: ['x'] }],
    ['a == "x" || a in {"y"}', { a: ['x', 'y'] }],
    ['(a == "x" && b == "1") || (a == "y" && c == "2")', { a: ['x', 'y'] }],
    ['a == "x" || b == "y"', undefined],
    ['a == "x" || has(a)', undefined],
    ['has(a) || a == "x" || a == "y"', undefined],
    ['a != "x"', undefined],
    ['a not in {"x"}', undefined],
    ['!a == "x"', undefined],
    ['!has(a)', undefined],
    ['has(a)', undefined],
    ['a contains "x" && a starts with "y" && a ends with "z"', undefined],
    ['all()', undefined],
    ['global()', undefined],
    ['', undefined],
  ])('%j gives %j', (text, expected) => {
    expect(sets(parseSelector(text))).toEqual(expected);
  });

  test('returns fresh sets that callers may modify', () => {
    const node = parseSelector('a in {"x", "y"}');
    requiredEqualities(node)!.get('a')!.add('z');
    expect(sets(node)).toEqual({ a: ['x', 'y'] });
    expect(evaluate(node, { a: 'z' })).toBe(false);
  });
});

describe('requiredKeys', () => {
  test.each<[string, string[]]>([
    ['has(a)', ['a']],
    ['a == "x"', ['a']],
    ['a in {"x"}', ['a']],
    ['a contains "x"', ['a']],
    ['a starts with "x"', ['a']],
    ['a ends with "x"', ['a']],
    ['a != "x"', []],
    ['a not in {"x"}', []],
    ['!has(a)', []],
    ['!a == "x"', []],
    ['!a != "x"', ['a']],
    ['!a not in {"x"}', ['a']],
    ['!(!has(a))', ['a']],
    ['has(a) && b == "x" && c != "y"', ['a', 'b']],
    ['has(a) || has(b)', []],
    ['(has(a) && has(b)) || (has(b) && has(c))', ['b']],
    ['all()', []],
    ['global()', []],
  ])('%j requires %j', (text, expected) => {
    expect([...requiredKeys(parseSelector(text))].sort()).toEqual(expected);
  });
});

// Soundness: whenever a selector matches a label map, the map satisfies the
// constraints the analyses derived for the selector.
const KEYS = ['a', 'b', 'c'];
const VALUES = ['', 'x', 'y', 'xy'];
const keyArb = fc.constantFrom(...KEYS);
const valueArb = fc.constantFrom(...VALUES);
const leafArb: fc.Arbitrary<SelectorNode> = fc.oneof(
  fc.constant(allNode()),
  fc.constant(globalNode()),
  keyArb.map(hasNode),
  fc.tuple(fc.constantFrom(...(['eq', 'ne', 'contains', 'startsWith', 'endsWith'] as const)), keyArb, valueArb)
    .map(([kind, key, value]) => valueNode(kind, key, value)),
  fc.tuple(fc.constantFrom(...(['in', 'notIn'] as const)), keyArb, fc.array(valueArb, { maxLength: 3 }))
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
const labelsArb: fc.Arbitrary<Labels> = fc.dictionary(
  fc.constantFrom(...KEYS, NAMESPACE_LABEL),
  valueArb,
);

describe('property: analyses are sound', () => {
  test('a matching label map satisfies requiredEqualities and requiredKeys', () => {
    let matched = 0;
    let constrained = 0;
    fc.assert(
      fc.property(nodeArb, fc.array(labelsArb, { minLength: 1, maxLength: 8 }), (node, labelMaps) => {
        const equalities = requiredEqualities(node);
        const keys = requiredKeys(node);
        if (equalities !== undefined) {
          expect(equalities.size).toBeGreaterThan(0);
        }
        for (const labels of labelMaps) {
          if (!evaluate(node, labels)) {
            continue;
          }
          matched++;
          for (const key of keys) {
            expect(labels).toHaveProperty([key]);
          }
          for (const [key, values] of equalities ?? []) {
            constrained++;
            expect(values.has(labels[key])).toBe(true);
          }
        }
      }),
      { numRuns: 400 },
    );
    // The property was exercised, not vacuously true.
    expect(matched).toBeGreaterThan(100);
    expect(constrained).toBeGreaterThan(10);
  });
});

// The traversals above run without recursion (so that no depth overflows the
// stack) and in linear time. They must agree with the plain recursive
// definitions below, which follow Calico's Evaluate / collectFragments
// methods (libcalico-go/lib/selector/parser/ast.go) directly.
namespace reference {
  export function evaluateRef(node: SelectorNode, labels: Labels): boolean {
    const v = (key: string) => (typeof labels[key] === 'string' ? labels[key] : undefined);
    switch (node.kind) {
      case 'all': return true;
      case 'global': return v(NAMESPACE_LABEL) === undefined;
      case 'has': return v(node.key) !== undefined;
      case 'eq': return v(node.key) === node.value;
      case 'ne': return v(node.key) !== node.value;
      case 'in': return v(node.key) !== undefined && node.values.includes(v(node.key)!);
      case 'notIn': return v(node.key) === undefined || !node.values.includes(v(node.key)!);
      case 'contains': return v(node.key)?.includes(node.value) ?? false;
      case 'startsWith': return v(node.key)?.startsWith(node.value) ?? false;
      case 'endsWith': return v(node.key)?.endsWith(node.value) ?? false;
      case 'not': return !evaluateRef(node.operand, labels);
      case 'and': return node.operands.every((op) => evaluateRef(op, labels));
      case 'or': return node.operands.some((op) => evaluateRef(op, labels));
    }
  }

  export function toStringRef(node: SelectorNode): string {
    switch (node.kind) {
      case 'all': return 'all()';
      case 'global': return 'global()';
      case 'has': return `has(${node.key})`;
      case 'eq': return `${node.key} == ${quoteValue(node.value)}`;
      case 'ne': return `${node.key} != ${quoteValue(node.value)}`;
      case 'contains': return `${node.key} contains ${quoteValue(node.value)}`;
      case 'startsWith': return `${node.key} starts with ${quoteValue(node.value)}`;
      case 'endsWith': return `${node.key} ends with ${quoteValue(node.value)}`;
      case 'in': return `${node.key} in {${node.values.map(quoteValue).join(', ')}}`;
      case 'notIn': return `${node.key} not in {${node.values.map(quoteValue).join(', ')}}`;
      case 'not': return `!${toStringRef(node.operand)}`;
      case 'and': return `(${node.operands.map(toStringRef).join(' && ')})`;
      case 'or': return `(${node.operands.map(toStringRef).join(' || ')})`;
    }
  }

  export function equalitiesRef(node: SelectorNode): Map<string, Set<string>> {
    switch (node.kind) {
      case 'eq': return new Map([[node.key, new Set([node.value])]]);
      case 'in': return new Map([[node.key, new Set(node.values)]]);
      case 'not': {
        const inner = node.operand;
        if (inner.kind === 'ne') return new Map([[inner.key, new Set([inner.value])]]);
        if (inner.kind === 'notIn') return new Map([[inner.key, new Set(inner.values)]]);
        if (inner.kind === 'not') return equalitiesRef(inner.operand);
        return new Map();
      }
      case 'and': {
        const result = new Map<string, Set<string>>();
        for (const op of node.operands) {
          for (const [key, values] of equalitiesRef(op)) {
            const existing = result.get(key);
            result.set(key, existing === undefined ? values : new Set([...existing].filter((v) => values.has(v))));
          }
        }
        return result;
      }
      case 'or': {
        const branches = node.operands.map(equalitiesRef);
        const result = new Map<string, Set<string>>();
        for (const [key] of branches[0]) {
          if (branches.every((b) => b.has(key))) {
            result.set(key, new Set(branches.flatMap((b) => [...b.get(key)!])));
          }
        }
        return result;
      }
      default: return new Map();
    }
  }

  export function keysRef(node: SelectorNode): Set<string> {
    switch (node.kind) {
      case 'has': case 'eq': case 'in': case 'contains': case 'startsWith': case 'endsWith':
        return new Set([node.key]);
      case 'not': {
        const inner = node.operand;
        if (inner.kind === 'not') return keysRef(inner.operand);
        return inner.kind === 'ne' || inner.kind === 'notIn' ? new Set([inner.key]) : new Set();
      }
      case 'and': return new Set(node.operands.flatMap((op) => [...keysRef(op)]));
      case 'or': {
        const branches = node.operands.map(keysRef);
        return new Set([...branches[0]].filter((k) => branches.every((b) => b.has(k))));
      }
      default: return new Set();
    }
  }
}

const sorted = (m: Map<string, Set<string>> | undefined) =>
  m === undefined ? undefined : Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]).sort());

/** `node` under `levels` pairs of negations and `levels` conjunctions with all(): the same meaning, deeper than evaluate() recurses. */
function deepen(node: SelectorNode, levels: number): SelectorNode {
  let out = node;
  for (let i = 0; i < levels; i++) {
    out = i % 3 === 0 ? notNode(notNode(out)) : i % 3 === 1 ? andNode([allNode(), out]) : orNode([out, notNode(allNode())]);
  }
  return out;
}

describe('property: the iterative traversals agree with the recursive definitions', () => {
  test('evaluate, nodeToString, requiredEqualities and requiredKeys', () => {
    fc.assert(
      fc.property(nodeArb, fc.array(labelsArb, { minLength: 1, maxLength: 6 }), (node, labelMaps) => {
        expect(nodeToString(node)).toBe(reference.toStringRef(node));
        const expectedEqualities = reference.equalitiesRef(node);
        expect(sorted(requiredEqualities(node))).toEqual(expectedEqualities.size === 0 ? undefined : sorted(expectedEqualities));
        expect([...requiredKeys(node)].sort()).toEqual([...reference.keysRef(node)].sort());
        for (const labels of labelMaps) {
          expect(evaluate(node, labels)).toBe(reference.evaluateRef(node, labels));
        }
      }),
      { numRuns: 500 },
    );
  });

  test('on trees deeper than evaluate() recurses (its explicit-stack walk) too', () => {
    fc.assert(
      fc.property(nodeArb, fc.integer({ min: 60, max: 120 }), fc.array(labelsArb, { minLength: 1, maxLength: 6 }), (node, levels, labelMaps) => {
        // Two to three nodes per level: past the 200 levels evaluate() recurses.
        const deep = deepen(node, levels);
        for (const labels of labelMaps) {
          expect(evaluate(deep, labels)).toBe(reference.evaluateRef(node, labels));
        }
        const expectedEqualities = reference.equalitiesRef(deep);
        expect(sorted(requiredEqualities(deep))).toEqual(expectedEqualities.size === 0 ? undefined : sorted(expectedEqualities));
        expect([...requiredKeys(deep)].sort()).toEqual([...reference.keysRef(deep)].sort());
        expect(nodeToString(deep)).toBe(reference.toStringRef(deep));
      }),
      { numRuns: 200 },
    );
  });

  test('the explicit-stack walk short-circuits like && and || (an operand after the deciding one is not read)', () => {
    const trap: Labels = new Proxy({ a: 'x' } as Labels, {
      get: (target, key) => {
        if (key === 'trap') {
          throw new Error('read past the deciding operand');
        }
        return Reflect.get(target, key);
      },
    });
    const deep = (n: SelectorNode) => deepen(n, 300);
    expect(evaluate(deep(orNode([hasNode('a'), hasNode('trap')])), trap)).toBe(true);
    expect(evaluate(deep(andNode([hasNode('b'), hasNode('trap')])), trap)).toBe(false);
    expect(() => evaluate(deep(andNode([hasNode('a'), hasNode('trap')])), trap)).toThrow('read past');
  });
});
