import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { GlobalNetworkPolicy, NetworkPolicy, Tier } from '../../src/policy';
import { BaselineGlobalPolicies, DevTeamNamespace, SecurityTeam } from '../../src/teams';
import { manifestFacts, mayBePatched, objectFacts } from '../../src/teams/uniqueness';

const NETWORKS = { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'], nodeCidrs: ['172.16.0.0/24'] };
const FIX = 'the later would silently replace the earlier when applied: rename or remove one of them';

function appErrors(app: App): string[] {
  return app.node.findAll().flatMap((c) => c.node.validate());
}

function setup() {
  const app = Testing.app();
  const security = new Chart(app, 'security');
  const teams = new Chart(app, 'teams');
  return { app, security, teams };
}

describe('one check per app: nothing is claimed twice', () => {
  test('a platform with one of each claim validates and synthesizes', () => {
    const { app, security, teams } = setup();
    const securityTeam = new SecurityTeam(security, 'security-team', { members: ['alice'] });
    new BaselineGlobalPolicies(security, 'baseline', { securityTeam, clusterNetworks: NETWORKS });
    for (const name of ['a', 'b', 'c']) {
      new DevTeamNamespace(teams, name, { name, labels: { team: name }, members: [`${name}-member`], securityTeam });
    }
    expect(appErrors(app)).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('two SecurityTeams in one app: one error naming both, not one per object they share', () => {
    const { app, security, teams } = setup();
    new SecurityTeam(security, 'first');
    new SecurityTeam(teams, 'second', { namespace: 'security-2' });
    expect(appErrors(app)).toEqual([
      'SecurityTeam "teams/second": the app already has a security team, SecurityTeam "security/first": one team owns the tiers before "default" and ' +
        'administers every network policy, two would synthesize the same tier and split that authority; add members, users or groups to the first one',
    ]);
    // Reported once, by the app root, however many team constructs registered the check.
    expect(app.node.validate()).toEqual(appErrors(app));
    expect(() => app.synth()).toThrow(/SecurityTeam "teams\/second": the app already has a security team, SecurityTeam "security\/first"/);
  });

  test('a development team in the security team\'s namespace (when not told of the security team)', () => {
    const { app, security, teams } = setup();
    new SecurityTeam(security, 'security-team');
    new DevTeamNamespace(teams, 'sec', { name: 'security' });
    expect(appErrors(app)).toEqual([
      'DevTeamNamespace "teams/sec": name: namespace "security" is already the namespace of SecurityTeam "security/security-team"; each team gets a namespace of its own',
    ]);
  });

  test('the same member name in two teams, whichever teams they are', () => {
    const { app, security, teams } = setup();
    new SecurityTeam(security, 'security-team', { members: ['alice', 'bob'] });
    const be = new DevTeamNamespace(teams, 'be', { name: 'be', members: ['carol'] });
    be.addMember('alice');
    new DevTeamNamespace(teams, 'fe', { name: 'fe', labels: { team: 'fe' }, members: ['carol', 'dave'] });
    expect(appErrors(app)).toEqual([
      'DevTeamNamespace "teams/be": members: "alice" is already a member of SecurityTeam "security/security-team" (service account security/alice); ' +
        'a member stands for one person in one team, and two accounts of one name are easily mixed up (in tokens, kubeconfigs, audits): ' +
        'name the accounts apart (e.g. "alice-be"), or bind the person\'s identity-provider user to both teams with users',
      'DevTeamNamespace "teams/fe": members: "carol" is already a member of DevTeamNamespace "teams/be" (service account be-members/carol); ' +
        'a member stands for one person in one team, and two accounts of one name are easily mixed up (in tokens, kubeconfigs, audits): ' +
        'name the accounts apart (e.g. "carol-fe"), or bind the person\'s identity-provider user to both teams with users',
    ]);
  });

  test('any two constructs that synthesize the same object, named by their paths', () => {
    const { app, security, teams } = setup();
    const securityTeam = new SecurityTeam(security, 'security-team');
    new DevTeamNamespace(teams, 'be', { name: 'be', securityTeam });
    // A raw object with the name of the team's isolation policy, in another chart.
    const other = new Chart(app, 'other');
    new ApiObject(other, 'closed', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'closed-namespace', namespace: 'be' },
      spec: { podSelector: {} },
    });
    // A Calico GlobalNetworkPolicy of the same name as the baseline's, cluster-scoped whatever the chart's namespace.
    new BaselineGlobalPolicies(security, 'baseline', { securityTeam, clusterNetworks: NETWORKS });
    const namespaced = new Chart(app, 'namespaced', { namespace: 'somewhere' });
    new GlobalNetworkPolicy(namespaced, 'dns', { tier: securityTeam.tier, metadata: { name: 'global-allow-egress-dns-pods' } });
    // Same name, other group or other namespace: other objects.
    new NetworkPolicy(other, 'calico', { metadata: { name: 'closed-namespace', namespace: 'be' } });
    new ApiObject(other, 'elsewhere', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'closed-namespace', namespace: 'fe' } });
    expect(appErrors(app)).toEqual([
      `networking.k8s.io/v1 NetworkPolicy be/closed-namespace is synthesized by both teams/be/Isolation and other/closed; ${FIX}`,
      `projectcalico.org/v3 GlobalNetworkPolicy security.global-allow-egress-dns-pods is synthesized by both security/baseline/Dns and namespaced/dns; ${FIX}`,
    ]);
  });

  test('the same object in two versions of its group is one object', () => {
    const { app, teams } = setup();
    new ApiObject(teams, 'v1', { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: 'x' } });
    new ApiObject(teams, 'v2', { apiVersion: 'policy.networking.k8s.io/v1', kind: 'ClusterNetworkPolicy', metadata: { name: 'x' } });
    expect(appErrors(app)).toEqual([]);
    // Only team constructs register the check: with one in the app, it covers every object.
    new kplus.Namespace(teams, 'ns', { metadata: { name: 'unrelated' } });
    new Tier(teams, 'tier', { name: 'unrelated', order: 50 });
    new SecurityTeam(teams, 'security-team');
    expect(appErrors(app)).toEqual([
      `policy.networking.k8s.io/v1 ClusterNetworkPolicy x is synthesized by both teams/v1 and teams/v2; ${FIX}`,
    ]);
  });
});

describe('object facts', () => {
  test('from what an object was created with, or from its manifest; patches are noticed, and assumed when they cannot be seen', () => {
    const chart = Testing.chart();
    const account = new ApiObject(chart, 'sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a', namespace: 'ns' } });
    const tier = new Tier(chart, 'tier', { name: 'platform' });
    expect(objectFacts(account)).toEqual({ id: '\nServiceAccount\nns\na', clusterScoped: false, namespace: 'ns', apiGroup: '', tiered: false });
    expect(objectFacts(tier)).toMatchObject({ clusterScoped: true, namespace: undefined, apiGroup: 'projectcalico.org', tiered: false });
    expect(objectFacts(new NetworkPolicy(chart, 'np', { metadata: { namespace: 'ns' } }))).toMatchObject({ tiered: true, namespace: 'ns' });
    expect(mayBePatched(account)).toBe(false);
    account.addJsonPatch(JsonPatch.replace('/metadata/namespace', 'other'));
    expect(mayBePatched(account)).toBe(true);
    expect(manifestFacts(account.toJson())).toEqual({ ...objectFacts(account), id: '\nServiceAccount\nother\na', namespace: 'other' });
    expect(mayBePatched({} as ApiObject)).toBe(true);
  });
});
