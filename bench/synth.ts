/**
 * Synth cost of the team constructs: 1,000 `DevTeamNamespace`s (each with one ingress and one
 * egress rule) plus the `SecurityTeam` and `BaselineGlobalPolicies`, against a cdk8s app that
 * builds the same objects as raw `ApiObject`s, in the same charts. Both are built and synthesized
 * to YAML in memory (`App.synthYaml()`), alternately in the same run, after a full garbage
 * collection each. After a first, uncounted run of each, the figures are the best of the runs
 * (interference from the machine only ever adds time; the medians are printed too). The ratio of
 * the best runs has a budget of 1.5.
 *
 * Two layouts, as platforms write them:
 * - `synth-teams-one-chart`: everything in one chart;
 * - `synth-teams`: the security team and baseline in a chart `security`, the teams in a chart
 *   `teams` that depends on it (so that the tier is applied before the policies in it). The raw
 *   app declares the same chart dependency: cdk8s turns it into a dependency of every object of
 *   `teams` on every object of `security`, a cost of the layout that both apps pay.
 *
 *   npm run bench -- synth
 *   BENCH_SYNTH_TEAMS=200 npm run bench -- synth
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { BenchResult, median, timedSettled } from './result';
import { Peer, Port } from '../src/policy';
import { BaselineGlobalPolicies, DevTeamNamespace, SecurityTeam } from '../src/teams';

const TEAMS = Number(process.env.BENCH_SYNTH_TEAMS ?? 1000);
const RUNS = 11;
const WARMUP_RUNS = 1;

/** How the app is split into charts. */
type Layout = 'one-chart' | 'two-charts';

/** The team app: the constructs as a platform would use them. */
export function buildTeams(app: App, teams: number, layout: Layout = 'two-charts'): void {
  const security = new Chart(app, layout === 'one-chart' ? 'platform' : 'security');
  const securityTeam = new SecurityTeam(security, 'security-team', { namespace: 'security', members: ['security-member'] });
  new BaselineGlobalPolicies(security, 'baseline', {
    securityTeam,
    clusterNetworks: { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'], nodeCidrs: ['172.16.0.0/24'] },
  });
  let scope: Construct = security;
  if (layout === 'two-charts') {
    const chart = new Chart(app, 'teams');
    chart.addDependency(security);
    scope = chart;
  }
  for (let i = 0; i < teams; i++) {
    const team = new DevTeamNamespace(scope, `team-${i}`, {
      name: `team-${i}`,
      labels: { team: `t${i}` },
      members: [`member-${i}`],
      securityTeam,
    });
    team.allowIngressFrom(Peer.namespaces(`team-${(i + 1) % teams}`), [Port.tcp(443)]);
    team.allowEgressTo(Peer.namespaces(`team-${(i + 2) % teams}`), [Port.tcp(5432)]);
  }
}

/**
 * The raw app: the same objects, one `ApiObject` each, in one chart per original chart, each chart
 * depending on the charts its original depends on.
 */
export function buildRaw(app: App, charts: ReadonlyArray<{ id: string; objects: any[]; dependsOn: string[] }>): void {
  const built = new Map<string, Chart>();
  for (const { id, objects, dependsOn } of charts) {
    const chart = new Chart(app, id);
    for (const other of dependsOn) {
      chart.addDependency(built.get(other)!);
    }
    built.set(id, chart);
    objects.forEach((obj, i) => {
      const { apiVersion, kind, metadata, ...rest } = obj;
      new ApiObject(chart, `o${i}`, { apiVersion, kind, metadata, ...rest });
    });
  }
}

/** The synth scenarios. */
export function benchSynth(teams = TEAMS): BenchResult[] {
  return (['one-chart', 'two-charts'] as const).map((layout) => benchLayout(teams, layout));
}

function benchLayout(teams: number, layout: Layout): BenchResult {
  // The objects the team app synthesizes, per chart, for the raw app (charts in creation order).
  const reference = new App();
  buildTeams(reference, teams, layout);
  const charts = reference.node.children.filter((c): c is Chart => c instanceof Chart).map((c) => ({
    id: c.node.id,
    objects: c.toJson(),
    dependsOn: c.node.dependencies.filter((d): d is Chart => d instanceof Chart).map((d) => d.node.id),
  }));
  const objects = charts.reduce((n, c) => n + c.objects.length, 0);

  // Alternating runs, so both apps see the same machine; the first run of each only warms up the
  // JIT compiler and is not counted.
  const teamRuns: number[] = [];
  const rawRuns: number[] = [];
  let teamYaml = '';
  let rawYaml = '';
  for (let r = 0; r < WARMUP_RUNS + RUNS; r++) {
    const t = timedSettled(() => {
      const app = new App();
      buildTeams(app, teams, layout);
      return app.synthYaml();
    });
    teamYaml = t.value;
    const raw = timedSettled(() => {
      const app = new App();
      buildRaw(app, charts);
      return app.synthYaml();
    });
    rawYaml = raw.value;
    if (r >= WARMUP_RUNS) {
      teamRuns.push(t.seconds);
      rawRuns.push(raw.seconds);
    }
  }
  // The same objects; the order of objects and of keys may differ (the team app orders objects by
  // their dependencies; cdk8s sorts the keys of raw ApiObjects).
  const canonical = (value: any): any => (Array.isArray(value) ? value.map(canonical)
    : value !== null && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])])) : value);
  const documents = (yaml: string): string => parseAllDocuments(yaml).map((d) => JSON.stringify(canonical(d.toJSON()))).sort().join('\n');
  if (documents(teamYaml) !== documents(rawYaml)) {
    throw new Error(`synth (${layout}): the raw ApiObject app does not synthesize the same objects as the team app`);
  }
  // The best run of each: interference from the machine only ever adds time.
  const teamSeconds = Math.min(...teamRuns);
  const rawSeconds = Math.min(...rawRuns);
  return {
    scenario: layout === 'one-chart' ? 'synth-teams-one-chart' : 'synth-teams',
    sizes: { teams, objects, charts: charts.length },
    figures: {
      teamsSeconds: teamSeconds,
      rawApiObjectsSeconds: rawSeconds,
      teamsOverRawRatio: teamSeconds / rawSeconds,
      teamsMedianSeconds: median(teamRuns),
      rawApiObjectsMedianSeconds: median(rawRuns),
    },
    budgets: { teamsOverRawRatio: 1.5 },
  };
}
