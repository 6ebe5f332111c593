import * as v8 from 'v8';
import * as vm from 'vm';

/**
 * The shape every benchmark scenario returns, and how the runner prints it.
 *
 * A scenario measures one thing at one size: `figures` are measured values (seconds, flows per
 * second, MB, ratios), `budgets` give the maximum allowed for some of them (a figure over its budget
 * makes `npm run bench` exit 1).
 */
export interface BenchResult {
  /** A stable scenario name, e.g. `network-matrix`. */
  readonly scenario: string;
  /** The sizes of the input (pods, policies, terms, roles, …). */
  readonly sizes: { readonly [name: string]: number };
  /** Measured figures; names end in their unit (`Seconds`, `PerSecond`, `Mb`, `Ratio`). */
  readonly figures: { readonly [name: string]: number };
  /** Maximum allowed value of some figures. */
  readonly budgets: { readonly [figure: string]: number };
}

/** Seconds elapsed while `fn` runs, and its result. */
export function timed<T>(fn: () => T): { seconds: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, value };
}

/**
 * Like `timed`, after a full garbage collection: for runs of a second or more that build large
 * object graphs, so that a run does not pay for the garbage of the one before.
 */
export function timedSettled<T>(fn: () => T): { seconds: number; value: T } {
  collectGarbage();
  return timed(fn);
}

/** A full garbage collection (V8's `gc()`, exposed for this process through its flags). */
function collectGarbage(): void {
  if (GC === undefined) {
    v8.setFlagsFromString('--expose-gc');
    GC = vm.runInNewContext('gc') as () => void;
  }
  GC();
}

let GC: (() => void) | undefined;

/** The figures of a result that exceed their budget. */
export function overBudget(result: BenchResult): string[] {
  return Object.entries(result.budgets)
    .filter(([figure, max]) => result.figures[figure] === undefined || result.figures[figure] > max)
    .map(([figure, max]) => `${result.scenario}: ${figure} = ${format(result.figures[figure])} exceeds its budget of ${format(max)}`);
}

/** A figure for humans: 3 significant digits, thousands grouped. */
export function format(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) {
    return 'n/a';
  }
  if (Math.abs(value) >= 1000) {
    return Math.round(value).toLocaleString('en-US');
  }
  return Number(value.toPrecision(3)).toString();
}

/** One readable line per result: sizes, then each figure with its budget. */
export function describe(result: BenchResult): string {
  const sizes = Object.entries(result.sizes).map(([k, v]) => `${k}=${format(v)}`).join(' ');
  const figures = Object.entries(result.figures).map(([k, v]) => {
    const budget = result.budgets[k];
    return budget === undefined ? `${k} ${format(v)}` : `${k} ${format(v)} (budget ${format(budget)}${v > budget ? ', OVER' : ''})`;
  });
  return `${result.scenario.padEnd(34)} ${sizes}\n${' '.repeat(35)}${figures.join('; ')}`;
}

/** A small deterministic pseudo-random generator (Park-Miller), so runs are comparable. */
export function random(seed: number): () => number {
  let state = seed % 2147483647;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

/** The median of measured values (the upper one of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
