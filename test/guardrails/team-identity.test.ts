/**
 * Finding 6 of "Secure by default": a team's identity cannot be spoofed — not by a namespace
 * named like one the baseline trusts, not by a second namespace carrying another team's label.
 */
import { Testing } from 'cdk8s';
import { platform } from './platforms';
import { buildReferencePlatformCharts } from '../../examples/reference-platform/main';
import { DevTeamNamespace } from '../../src/teams';

const abused = platform(true);

/** Synthesizes the reference platform after `change`; returns the validation errors. */
function errorsAfter(change: (charts: ReturnType<typeof buildReferencePlatformCharts>) => void): string[] {
  const app = Testing.app();
  const charts = buildReferencePlatformCharts(app);
  change(charts);
  return app.node.findAll().flatMap((c) => c.node.validate());
}

describe('finding 6: identities cannot be spoofed', () => {
  test('a namespace labelled team: be or team: fe gains nothing: teams point at each other by name', () => {
    expect(abused.network).toAllow({ from: 'be-dev-team/api', to: 'database/mongo', port: 27017 });
    expect(abused.network).toDeny({ from: 'impostor/attacker', to: 'database/mongo', port: 27017 });
    expect(abused.network).toAllow({ from: 'fe/web', to: 'be-dev-team/api', port: 443 });
    expect(abused.network).toDeny({ from: 'impostor-fe/attacker', to: 'be-dev-team/api', port: 443 });
  });

  test('the collector\'s pod label gains nothing; its service account in its namespace does', () => {
    expect(abused.network).toAllow({ from: 'monitoring/collector', to: 'database/mongo', port: 9898 });
    expect(abused.network).toDeny({ from: 'monitoring/lookalike', to: 'database/mongo', port: 9898 });
    expect(abused.network).toDeny({ from: 'impostor/attacker', to: 'database/mongo', port: 9898 });
  });

  test('no team may take the collector\'s or the DNS\'s namespace, or default', () => {
    expect(errorsAfter((charts) => {
      new DevTeamNamespace(charts.teams, 'monitoring', { name: 'monitoring', securityTeam: charts.securityTeam });
    })).toEqual([
      'DevTeamNamespace "teams/monitoring": name: "monitoring" is the namespace of a workload that BaselineGlobalPolicies "security/baseline" trusts (the metrics collector or the DNS); ' +
        "a team owning it could run pods that get the baseline's final Allow; give the team a namespace of its own",
    ]);
    expect(() => errorsAfter((charts) => new DevTeamNamespace(charts.teams, 'kube', { name: 'kube-system' }))).toThrow(/"kube-system" is a system namespace/);
    expect(() => errorsAfter((charts) => new DevTeamNamespace(charts.teams, 'default', { name: 'default' }))).toThrow(/"default" is where every object without a namespace lands/);
  });

  test('a second team labelled team: be, or a second team of the same name, is an error naming both', () => {
    expect(errorsAfter((charts) => {
      new DevTeamNamespace(charts.teams, 'be-2', { name: 'be-two', labels: { team: 'be' }, securityTeam: charts.securityTeam });
    })).toEqual([
      'DevTeamNamespace "teams/be-2": labels.team: "be" already identifies DevTeamNamespace "teams/be-dev-team" (namespace be-dev-team); ' +
        "give each team its own team value, and point at other teams by name (Peer.namespaces('be-dev-team'))",
    ]);
    expect(errorsAfter((charts) => {
      new DevTeamNamespace(charts.webapp, 'fe-again', { name: 'fe', securityTeam: charts.securityTeam });
    })).toEqual([
      'DevTeamNamespace "webapp/fe-again": name: namespace "fe" is already the namespace of DevTeamNamespace "teams/fe"; each team gets a namespace of its own',
    ]);
  });

  test('the reference platform itself validates', () => {
    expect(errorsAfter(() => undefined)).toEqual([]);
  });
});
