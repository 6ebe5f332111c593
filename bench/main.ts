/**
 * `npm run bench`: every benchmark scenario of the package, one after the other.
 *
 *   npm run bench                   # readable figures, budgets and ratios
 *   npm run bench -- --json         # one JSON line per scenario (for comparing runs)
 *   npm run bench -- network-matrix # only the scenarios whose name contains the word
 *
 * Exits 1 when a figure exceeds its budget. Workloads are generated from fixed seeds, so every run
 * measures the same thing. Performance is measured here, never by timed unit tests.
 */
import { benchNetworkMatrix } from './network-matrix';
import { benchNetworkScale } from './network-scale';
import { benchRbac } from './rbac';
import { BenchResult, describe, overBudget } from './result';
import { benchSelector } from './selector';
import { benchSynth } from './synth';

/** Every scenario group, by name. */
const GROUPS: ReadonlyArray<{ readonly name: string; readonly run: () => BenchResult[] }> = [
  { name: 'network-matrix', run: () => benchNetworkMatrix() },
  { name: 'network-scale', run: () => benchNetworkScale() },
  { name: 'selector', run: () => benchSelector() },
  { name: 'rbac', run: () => benchRbac() },
  { name: 'synth', run: () => benchSynth() },
];

function main(argv: string[]): number {
  const json = argv.includes('--json');
  const filters = argv.filter((a) => !a.startsWith('--'));
  const failures: string[] = [];
  for (const group of GROUPS) {
    if (filters.length > 0 && !filters.some((f) => group.name.includes(f))) {
      continue;
    }
    for (const result of group.run()) {
      console.log(json ? JSON.stringify({ ...result, rssMb: process.memoryUsage().rss / 2 ** 20 }) : describe(result));
      failures.push(...overBudget(result));
    }
  }
  for (const failure of failures) {
    console.error(failure);
  }
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
