/**
 * `npm run bench`: every benchmark scenario of the package, one after the other.
 *
 *   npm run bench                   # readable figures, budgets and ratios
 *   npm run bench -- --json         # one JSON line per scenario (for comparing runs)
 *   npm run bench -- network-matrix # only the scenarios whose name contains the word
 *
 * Exits 1 when a figure exceeds its budget. Workloads are generated from fixed seeds, so every run
 * measures the same thing; each group runs in a process of its own. Performance is measured here,
 * never by timed unit tests.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
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

/** The environment variable that makes this script run one group and print its results as JSON lines. */
const GROUP_ENV = 'CDK8S_CALICO_BENCH_GROUP';

/** A result as a group's process reports it. */
type Reported = BenchResult & { readonly rssMb: number };

/**
 * Runs each group in a process of its own, as `cdk8s synth` or a test runs: a group measures from
 * a fresh heap and JIT, whatever the groups before it left behind.
 */
function runGroup(name: string): Reported[] {
  const child = spawnSync(process.execPath, ['--require', require.resolve('ts-node/register'), __filename], {
    // The parent has type-checked every module already.
    env: { ...process.env, [GROUP_ENV]: name, TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 2 ** 20,
  });
  if (child.status !== 0) {
    throw new Error(`bench group ${name} failed (exit ${child.status ?? child.signal})`);
  }
  return child.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Reported);
}

function main(argv: string[]): number {
  const only = process.env[GROUP_ENV];
  if (only !== undefined) {
    for (const result of GROUPS.find((g) => g.name === only)!.run()) {
      console.log(JSON.stringify({ ...result, rssMb: process.memoryUsage().rss / 2 ** 20 }));
    }
    return 0;
  }
  const json = argv.includes('--json');
  const filters = argv.filter((a) => !a.startsWith('--'));
  const failures: string[] = [];
  for (const group of GROUPS) {
    if (filters.length > 0 && !filters.some((f) => group.name.includes(f))) {
      continue;
    }
    for (const result of runGroup(group.name)) {
      const { rssMb: _rss, ...plain } = result;
      console.log(json ? JSON.stringify(result) : describe(plain));
      failures.push(...overBudget(plain));
    }
  }
  for (const failure of failures) {
    console.error(failure);
  }
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
