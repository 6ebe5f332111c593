// Selectors that are deeply nested or very long must be handled like any
// other: Calico parses them (its recursive-descent parser runs on Go's
// growable stacks and has no nesting limit: libcalico-go/lib/selector/parser/parser.go),
// so we parse, print, evaluate and analyse them too, without a RangeError and
// in time linear in their size.
import { Selector, SelectorParseError } from '../../src/selector';
import {
  andNode,
  evaluate,
  hasNode,
  mapLeaves,
  nodeToString,
  notNode,
  orNode,
  requiredEqualities,
  requiredKeys,
  SelectorNode,
  someNode,
  valueNode,
} from '../../src/selector/ast';
import { parseSelector } from '../../src/selector/parser';

const DEPTH = 20_000;
const TERMS = 50_000;

function parseError(text: string): SelectorParseError {
  try {
    parseSelector(text);
  } catch (e) {
    expect(e).toBeInstanceOf(SelectorParseError);
    return e as SelectorParseError;
  }
  throw new Error('expected the selector to be rejected');
}

/** `(k0 == "v" && (k1 == "v" || (k2 == "v" && (… has(end) …))))`, `depth` operators deep. */
function alternating(depth: number): { text: string; canonical: string } {
  const open: string[] = [];
  for (let i = 0; i < depth; i++) {
    open.push(`(k${i} == "v" ${i % 2 === 0 ? '&&' : '||'} `);
  }
  const text = open.join('') + 'has(end)' + ')'.repeat(depth);
  return { text, canonical: text };
}

describe('deep nesting', () => {
  test(`${DEPTH} nested parentheses around one operation`, () => {
    const text = '('.repeat(DEPTH) + 'a == "b"' + ')'.repeat(DEPTH);
    expect(nodeToString(parseSelector(text))).toBe('a == "b"');
    // With blanks between the parentheses too.
    const spaced = '( \t'.repeat(DEPTH) + 'has(a)' + ' )'.repeat(DEPTH);
    expect(Selector.parse(spaced).toString()).toBe('has(a)');
  });

  test.each([DEPTH, DEPTH + 1])('%i nested negated groups !(!(…)) stay nested, as in Calico', (depth) => {
    const text = '!('.repeat(depth) + 'a == "b"' + ')'.repeat(depth);
    const node = parseSelector(text);
    const canonical = '!'.repeat(depth) + 'a == "b"';
    expect(nodeToString(node)).toBe(canonical);
    const even = depth % 2 === 0;
    expect(evaluate(node, { a: 'b' })).toBe(even);
    expect(evaluate(node, { a: 'c' })).toBe(!even);
    expect(requiredKeys(node)).toEqual(even ? new Set(['a']) : new Set());
    expect(requiredEqualities(node)).toEqual(even ? new Map([['a', new Set(['b'])]]) : undefined);
    // The canonical form collapses consecutive '!' when parsed again (Calico does the same).
    expect(nodeToString(parseSelector(canonical))).toBe(even ? 'a == "b"' : '!a == "b"');
  });

  test.each([50_000, 50_001])('a chain of %i "!" collapses to its parity', (count) => {
    const node = parseSelector('!'.repeat(count) + 'has(a)');
    expect(nodeToString(node)).toBe(count % 2 === 0 ? 'has(a)' : '!has(a)');
    const spaced = parseSelector('! \t'.repeat(count) + 'has(a)');
    expect(nodeToString(spaced)).toBe(nodeToString(node));
  });

  test(`${DEPTH} alternating && / || levels: parse, print, evaluate, analyse`, () => {
    const { text, canonical } = alternating(DEPTH);
    const selector = Selector.parse(text);
    expect(selector.toString()).toBe(canonical);
    expect(Selector.parse(selector.toString()).isEqualTo(selector)).toBe(true);

    // k0 is required by the outermost &&; the || below it requires nothing common.
    expect(requiredKeys(selector._node)).toEqual(new Set(['k0']));
    expect(requiredEqualities(selector._node)).toEqual(new Map([['k0', new Set(['v'])]]));

    // (k0 && (k1 || rest)): k0 and k1 are enough.
    expect(selector.matches({ k0: 'v', k1: 'v' })).toBe(true);
    expect(selector.matches({ k1: 'v' })).toBe(false);
    // Without k1, the next && (k2 && (k3 || …)) decides, and so on down to has(end).
    const all: { [key: string]: string } = {};
    for (let i = 0; i < DEPTH; i += 2) {
      all[`k${i}`] = 'v';
    }
    expect(selector.matches(all)).toBe(false);
    expect(selector.matches({ ...all, end: 'x' })).toBe(true);
    expect(selector.matches({ ...all, [`k${DEPTH - 1}`]: 'v' })).toBe(true);
  });

  test('deep trees built with the Selector API print, compare and match', () => {
    let s = Selector.has('leaf');
    for (let i = 0; i < DEPTH; i++) {
      s = i % 2 === 0 ? Selector.label(`k${i}`).eq('v').and(s) : Selector.label(`k${i}`).eq('v').or(s);
    }
    s = s.not().not();
    const text = s.toString();
    expect(text.startsWith(`(k${DEPTH - 1} == "v" || (k${DEPTH - 2} == "v" && `)).toBe(true);
    expect(Selector.parse(text).isEqualTo(s)).toBe(true);
    expect(s.matches({ [`k${DEPTH - 1}`]: 'v' })).toBe(true);
    expect(s.matches({})).toBe(false);
  });

  test('nesting errors are SelectorParseErrors naming the position', () => {
    const unclosed = parseError('('.repeat(DEPTH) + 'has(a)');
    expect(unclosed.position).toBe(DEPTH + 'has(a)'.length);
    expect(unclosed.detail).toBe(`unexpected end of selector; expected '&&', '||' or ')' to close the '(' at position ${DEPTH - 1}`);

    const extra = parseError('('.repeat(DEPTH) + 'has(a)' + ')'.repeat(DEPTH + 1));
    expect(extra.position).toBe(2 * DEPTH + 'has(a)'.length);
    expect(extra.detail).toBe("found ')'; expected '&&', '||' or the end of the selector");

    const empty = parseError('!('.repeat(DEPTH) + ')'.repeat(DEPTH));
    expect(empty.position).toBe(2 * DEPTH);
    expect(empty.detail).toMatch(/^found '\)'; expected a label key/);

    const bad = parseError('(has(a) && '.repeat(DEPTH) + 'has(b) && =');
    expect(bad.position).toBe(DEPTH * '(has(a) && '.length + 'has(b) && '.length);
  });
});

describe('long chains', () => {
  test(`${TERMS} || terms`, () => {
    const terms = Array.from({ length: TERMS }, (_, i) => `app == "a${i}"`);
    const text = terms.join(' || ');
    const selector = Selector.parse(text);
    expect(selector.toString()).toBe(`(${text})`);
    expect(Selector.parse(selector.toString()).isEqualTo(selector)).toBe(true);
    expect(selector.matches({ app: `a${TERMS - 1}` })).toBe(true);
    expect(selector.matches({ app: 'b' })).toBe(false);
    expect(requiredKeys(selector._node)).toEqual(new Set(['app']));
    const equalities = requiredEqualities(selector._node)!;
    expect([...equalities.keys()]).toEqual(['app']);
    expect(equalities.get('app')!.size).toBe(TERMS);
    expect(equalities.get('app')!.has(`a${TERMS - 1}`)).toBe(true);
    // Combining with the builder keeps every operand.
    const more = selector.or(Selector.label('app').eq('extra'));
    expect((more._node as { operands: unknown[] }).operands.length).toBe(TERMS + 1);
  });

  test(`${TERMS} && terms`, () => {
    const text = Array.from({ length: TERMS }, (_, i) => `k${i} in {"x", "y${i}"}`).join(' && ');
    const node = parseSelector(text);
    expect(nodeToString(node)).toBe(`(${text})`);
    const labels: { [key: string]: string } = {};
    for (let i = 0; i < TERMS; i++) {
      labels[`k${i}`] = 'x';
    }
    expect(evaluate(node, labels)).toBe(true);
    expect(evaluate(node, { ...labels, [`k${TERMS - 1}`]: 'z' })).toBe(false);
    expect(requiredKeys(node).size).toBe(TERMS);
    expect(requiredEqualities(node)!.get(`k${TERMS - 1}`)).toEqual(new Set(['x', `y${TERMS - 1}`]));
  });

  test('the builder flattens more operands than a call can take as arguments', () => {
    const count = 150_000;
    const wide = Selector._fromNode(orNode(Array.from({ length: count }, (_, i) => hasNode(`k${i}`))));
    const widened = wide.or(Selector.has('extra'));
    expect((widened._node as { operands: unknown[] }).operands.length).toBe(count + 1);
    const all = Selector._fromNode(andNode(Array.from({ length: count }, (_, i) => hasNode(`k${i}`))));
    expect((all.and(Selector.has('extra'))._node as { operands: unknown[] }).operands.length).toBe(count + 1);
  });
});

describe('someNode and mapLeaves', () => {
  test('someNode finds a node anywhere, including under negations', () => {
    const node = parseSelector('has(a) && (b == "x" || !global())');
    expect(someNode(node, (n) => n.kind === 'global')).toBe(true);
    expect(someNode(node, (n) => n.kind === 'all')).toBe(false);
    expect(someNode(node, (n) => n.kind === 'or')).toBe(true);
  });

  test('mapLeaves rewrites every leaf and keeps !, && and ||', () => {
    const node = parseSelector('has(a) && (b == "x" || !c in {"y"}) && !(!all())');
    const prefixed = mapLeaves(node, (leaf) => {
      switch (leaf.kind) {
        case 'has':
          return hasNode(`p.${leaf.key}`);
        case 'eq':
          return valueNode('eq', `p.${leaf.key}`, leaf.value);
        case 'all':
          return hasNode('ns');
        default:
          return leaf;
      }
    });
    expect(nodeToString(prefixed)).toBe('(has(p.a) && (p.b == "x" || !c in {"y"}) && !!has(ns))');
    // The input is unchanged.
    expect(nodeToString(node)).toBe('(has(a) && (b == "x" || !c in {"y"}) && !!all())');
  });

  test(`both handle ${DEPTH} levels`, () => {
    let node: SelectorNode = hasNode('leaf');
    for (let i = 0; i < DEPTH; i++) {
      node = i % 3 === 0 ? notNode(node) : i % 3 === 1 ? andNode([hasNode(`k${i}`), node]) : orNode([node, hasNode(`k${i}`)]);
    }
    expect(someNode(node, (n) => n.kind === 'has' && n.key === 'leaf')).toBe(true);
    expect(someNode(node, (n) => n.kind === 'global')).toBe(false);
    const renamed = mapLeaves(node, (leaf) => (leaf.kind === 'has' ? hasNode(`x.${leaf.key}`) : leaf));
    expect(nodeToString(renamed)).toBe(nodeToString(node).replace(/has\(/g, 'has(x.'));
  });
});
