/**
 * Benchmark of the Calico selector layer on very long and very deep selectors: parsing, the
 * canonical string, and the helpers the network model runs on every policy selector
 * (`requiredEqualities`, `requiredKeys`, `evaluate`).
 *
 *   npx ts-node --project bench/tsconfig.json bench/selector.ts
 *
 * Scenarios: selector-or-<terms> and selector-and-<terms> (a chain of `||` / `&&` terms: parse,
 * canonical string, requiredEqualities, requiredKeys, evaluate) and selector-nesting-<depth>
 * (parentheses, `!(…)` and alternating `&&`/`||` nested that deep).
 *
 * Each scenario is run once to warm up the JIT and then `RUNS` times; every figure is the median
 * of those runs, in seconds. A scenario passes when each budgeted figure is at most its budget.
 * Run alone, it prints the results and exits with 1 when a budget is exceeded.
 */
import { performance } from 'perf_hooks';
import { BenchResult, describe, median, overBudget } from './result';
import {
  evaluate,
  Labels,
  nodeToString,
  requiredEqualities,
  requiredKeys,
  SelectorNode,
} from '../src/selector/ast';
import { parseSelector } from '../src/selector/parser';

const RUNS = 3;

function check(condition: boolean, what: string): void {
  if (!condition) {
    throw new Error(`bench/selector.ts: wrong result: ${what}`);
  }
}

/**
 * Times `steps` in order, RUNS times after one warm-up run; returns the median of each step and
 * of their sum (`totalSeconds`), and the sum of the warm-up run (`firstRunTotalSeconds`, which
 * includes compiling the code for the first scenario; not budgeted).
 */
function measure(steps: { [figure: string]: () => void }): { [figure: string]: number } {
  const samples: { [figure: string]: number[] } = {};
  let firstRun = 0;
  for (let run = 0; run <= RUNS; run++) {
    let total = 0;
    for (const [figure, step] of Object.entries(steps)) {
      const start = performance.now();
      step();
      const seconds = (performance.now() - start) / 1000;
      total += seconds;
      if (run > 0) {
        (samples[figure] ??= []).push(seconds);
      }
    }
    if (run > 0) {
      (samples.totalSeconds ??= []).push(total);
    } else {
      firstRun = total;
    }
  }
  const figures: { [figure: string]: number } = { firstRunTotalSeconds: firstRun };
  for (const [figure, values] of Object.entries(samples)) {
    figures[figure] = median(values);
  }
  return figures;
}

/**
 * `terms` operands joined by `||`, cycling through `app == "…"`, `app in {…}` and an
 * `&&` of `app == "…"` and `has(tier)`: every operand constrains `app`, so the helpers keep
 * (and unite) a constraint over the whole chain, their worst case.
 */
function orChain(terms: number): string {
  const parts: string[] = [];
  for (let i = 0; i < terms; i++) {
    switch (i % 3) {
      case 0:
        parts.push(`app == "a${i}"`);
        break;
      case 1:
        parts.push(`app in {"a${i}", "b${i}"}`);
        break;
      default:
        parts.push(`app == "a${i}" && has(tier)`);
        break;
    }
  }
  return parts.join(' || ');
}

function orScenario(terms: number, budget: number): BenchResult {
  const text = orChain(terms);
  let node: SelectorNode | undefined;
  const miss: Labels = { app: 'none', tier: 'web' };
  const hit: Labels = { app: `a${terms - 1}`, tier: 'web' };
  const figures = measure({
    parseSeconds: () => {
      node = parseSelector(text);
    },
    toStringSeconds: () => {
      check(nodeToString(node!).length > text.length, 'canonical string');
    },
    requiredEqualitiesSeconds: () => {
      check(requiredEqualities(node!)?.get('app')?.size === terms + Math.floor((terms + 1) / 3), 'requiredEqualities');
    },
    requiredKeysSeconds: () => {
      check(requiredKeys(node!).has('app'), 'requiredKeys');
    },
    evaluateSeconds: () => {
      check(!evaluate(node!, miss) && evaluate(node!, hit), 'evaluate');
    },
  });
  return {
    scenario: `selector-or-${terms}`,
    sizes: { terms, characters: text.length },
    figures,
    budgets: { totalSeconds: budget },
  };
}

function andScenario(terms: number, budget: number): BenchResult {
  const text = Array.from({ length: terms }, (_, i) => `k${i} in {"x", "y${i}"}`).join(' && ');
  const labels: { [key: string]: string } = {};
  for (let i = 0; i < terms; i++) {
    labels[`k${i}`] = 'x';
  }
  let node: SelectorNode | undefined;
  const figures = measure({
    parseSeconds: () => {
      node = parseSelector(text);
    },
    toStringSeconds: () => {
      check(nodeToString(node!).length === text.length + 2, 'canonical string');
    },
    requiredEqualitiesSeconds: () => {
      check(requiredEqualities(node!)?.size === terms, 'requiredEqualities');
    },
    requiredKeysSeconds: () => {
      check(requiredKeys(node!).size === terms, 'requiredKeys');
    },
    evaluateSeconds: () => {
      check(evaluate(node!, labels), 'evaluate');
    },
  });
  return {
    scenario: `selector-and-${terms}`,
    sizes: { terms, characters: text.length },
    figures,
    budgets: { totalSeconds: budget },
  };
}

/**
 * Deep nesting: `depth` nested parentheses around one operation, `depth` nested negated
 * groups `!(!(…))`, and `depth` alternating `&&` / `||` levels, each parsed, printed, analysed
 * and evaluated.
 */
function deepScenario(depth: number, budget: number): BenchResult {
  const parens = '('.repeat(depth) + 'a == "b"' + ')'.repeat(depth);
  const negations = '!('.repeat(depth) + 'a == "b"' + ')'.repeat(depth);
  const levels: string[] = [];
  for (let i = 0; i < depth; i++) {
    levels.push(`(k${i} == "v" ${i % 2 === 0 ? '&&' : '||'} `);
  }
  const alternating = levels.join('') + 'has(end)' + ')'.repeat(depth);
  const labels: Labels = { k0: 'v', end: 'x' };
  const nodes: SelectorNode[] = [];
  const figures = measure({
    parseSeconds: () => {
      nodes.length = 0;
      for (const text of [parens, negations, alternating]) {
        nodes.push(parseSelector(text));
      }
    },
    toStringSeconds: () => {
      check(nodeToString(nodes[0]) === 'a == "b"', 'canonical string of nested parentheses');
      check(nodeToString(nodes[1]).length === depth + 'a == "b"'.length, 'canonical string of nested negations');
      check(nodeToString(nodes[2]) === alternating, 'canonical string of alternating levels');
    },
    requiredEqualitiesSeconds: () => {
      for (const node of nodes) {
        requiredEqualities(node);
      }
    },
    requiredKeysSeconds: () => {
      check(requiredKeys(nodes[2]).has('k0'), 'requiredKeys');
    },
    evaluateSeconds: () => {
      check(evaluate(nodes[0], { a: 'b' }) && evaluate(nodes[1], { a: 'b' }) === (depth % 2 === 0), 'evaluate negations');
      check(!evaluate(nodes[2], labels), 'evaluate alternating levels');
    },
  });
  return {
    scenario: `selector-nesting-${depth}`,
    sizes: { depth, characters: parens.length + negations.length + alternating.length },
    figures,
    budgets: { totalSeconds: budget },
  };
}

/** Runs every selector scenario. */
export function benchSelector(): BenchResult[] {
  return [
    orScenario(8_000, 0.1),
    orScenario(50_000, 1),
    andScenario(50_000, 1),
    deepScenario(20_000, 1),
  ];
}

if (require.main === module) {
  const results = benchSelector();
  results.forEach((result) => console.log(describe(result)));
  process.exitCode = results.some((result) => overBudget(result).length > 0) ? 1 : 0;
}
