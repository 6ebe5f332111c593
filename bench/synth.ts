/**
 * Synth cost of the team constructs: 1,000 `DevTeamNamespace`s (each with one ingress and one
 * egress rule) plus the `SecurityTeam` and `BaselineGlobalPolicies`, against a cdk8s app that
 * builds the same objects as raw `ApiObject`s. Both are synthesized to YAML in memory
 * (`App.synthYaml()`), measured in the same run; the ratio has a budget of 1.5.
 *
 *   npm run bench -- synth
 *   BENCH_SYNTH_TEAMS=200 npm run bench -- synth
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { BenchResult, timed } from './result';
import { Peer, Port } from '../src/policy';
import { BaselineGlobalPolicies, DevTeamNamespace, SecurityTeam } from '../src/teams';

const TEAMS = Number(process.env.BENCH_SYNTH_TEAMS ?? 1000);
const REPEATS = 2;

/** The team app: the constructs as a platform would use them. */
export function buildTeams(app: App, teams: number): void {
  const security = new Chart(app, 'security');
  const securityTeam = new SecurityTeam(security, 'security-team', { namespace: 'security', members: ['security-member'] });
  new BaselineGlobalPolicies(security, 'baseline', {
    securityTeam,
    clusterNetworks: { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'], nodeCidrs: ['172.16.0.0/24'] },
  });
  const chart = new Chart(app, 'teams');
  chart.addDependency(security);
  for (let i = 0; i < teams; i++) {
    const team = new DevTeamNamespace(chart, `team-${i}`, {
      name: `team-${i}`,
      labels: { team: `t${i}` },
      members: [`member-${i}`],
      securityTeam,
    });
    team.allowIngressFrom(Peer.namespaces(`team-${(i + 1) % teams}`), [Port.tcp(443)]);
    team.allowEgressTo(Peer.namespaces(`team-${(i + 2) % teams}`), [Port.tcp(5432)]);
  }
}

/** The raw app: the same objects, one `ApiObject` each, in one chart per original chart. */
export function buildRaw(app: App, charts: ReadonlyArray<{ id: string; objects: any[] }>): void {
  for (const { id, objects } of charts) {
    const chart = new Chart(app, id);
    objects.forEach((obj, i) => {
      const { apiVersion, kind, metadata, ...rest } = obj;
      new ApiObject(chart, `o${i}`, { apiVersion, kind, metadata, ...rest });
    });
  }
}

/** The synth scenario. */
export function benchSynth(teams = TEAMS): BenchResult[] {
  // The objects the team app synthesizes, per chart, for the raw app.
  const reference = new App();
  buildTeams(reference, teams);
  const charts = reference.charts.map((c) => ({ id: c.node.id, objects: c.toJson() }));
  const objects = charts.reduce((n, c) => n + c.objects.length, 0);

  // Best of REPEATS runs each, alternating, so both see the same machine.
  const teamRuns: number[] = [];
  const rawRuns: number[] = [];
  let teamYaml = '';
  let rawYaml = '';
  for (let r = 0; r < REPEATS; r++) {
    const t = timed(() => {
      const app = new App();
      buildTeams(app, teams);
      return app.synthYaml();
    });
    teamRuns.push(t.seconds);
    teamYaml = t.value;
    const raw = timed(() => {
      const app = new App();
      buildRaw(app, charts);
      return app.synthYaml();
    });
    rawRuns.push(raw.seconds);
    rawYaml = raw.value;
  }
  // The same objects; the order of objects and of keys may differ (the team app orders objects by
  // their dependencies; cdk8s sorts the keys of raw ApiObjects).
  const canonical = (value: any): any => (Array.isArray(value) ? value.map(canonical)
    : value !== null && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])])) : value);
  const documents = (yaml: string): string => parseAllDocuments(yaml).map((d) => JSON.stringify(canonical(d.toJSON()))).sort().join('\n');
  if (documents(teamYaml) !== documents(rawYaml)) {
    throw new Error('synth: the raw ApiObject app does not synthesize the same objects as the team app');
  }
  const teamSeconds = Math.min(...teamRuns);
  const rawSeconds = Math.min(...rawRuns);
  return [{
    scenario: 'synth-teams',
    sizes: { teams, objects },
    figures: { teamsSeconds: teamSeconds, rawApiObjectsSeconds: rawSeconds, teamsOverRawRatio: teamSeconds / rawSeconds },
    budgets: { teamsOverRawRatio: 1.5 },
  }];
}
