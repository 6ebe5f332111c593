import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { SecurityTeam } from '../../src/teams';
import { DevTeamNamespace, DevTeamNamespaceProps } from '../../src/teams/dev-team-namespace';
import { TeamMembers } from '../../src/teams/team-members';
import { MemberBinding } from '../../src/teams/team-options';
import { rbacModelOf } from '../../src/testing';
import { findObject, subjectsOf } from '../rbac/rbac-manifests';

const RESTRICTED = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
};

function members(tokenSecrets: boolean) {
  const chart = Testing.chart();
  const namespaceResource = new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  const team = new TeamMembers(chart, 'members', { owner: 'Team "t"', namespace: 'team', namespaceResource, tokenSecrets });
  return { chart, team };
}

/** Every validation error of the app's constructs, as `App.synth()` would report them. */
function validationErrors(app: App): string[] {
  return app.node.findAll().flatMap((c) => c.node.validate());
}

describe('TeamMembers', () => {
  test('one ServiceAccount per member, without a mounted token, after the Namespace', () => {
    const { chart, team } = members(false);
    const member = team.add('alice', 'members[0]');
    team.add('bob', 'members[1]');
    expect(member.tokenSecret).toBeUndefined();
    expect(team.names).toEqual(['alice', 'bob']);
    expect(team.get('alice')).toBe(member);
    expect(team.get('carol')).toBeUndefined();
    expect(team.namespaceName).toBe('team');
    const manifests = Testing.synth(chart);
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Namespace/team', 'ServiceAccount/alice', 'ServiceAccount/bob']);
    expect(manifests[1]).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'alice', namespace: 'team' },
      automountServiceAccountToken: false,
    });
  });

  test('token Secrets on request, after their ServiceAccount', () => {
    const { chart, team } = members(true);
    const member = team.add('alice', 'members[0]');
    expect(member.tokenSecret).toBeDefined();
    const manifests = Testing.synth(chart);
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Namespace/team', 'ServiceAccount/alice', 'Secret/alice-token']);
    expect(manifests[2].type).toBe('kubernetes.io/service-account-token');
    expect(manifests[2].metadata).toEqual({
      name: 'alice-token',
      namespace: 'team',
      annotations: { 'kubernetes.io/service-account.name': 'alice' },
    });
  });

  test('without a Namespace object, the members get a namespace of their own where no pod can run, with the first member', () => {
    const chart = Testing.chart();
    const team = new TeamMembers(chart, 'members', { owner: 'Team "t"', namespace: 'team-members', tokenSecrets: false });
    expect(Testing.synth(chart)).toEqual([]);
    const member = team.add('alice', 'members[0]');
    expect(team.ensureNamespace()).toBe(team.ensureNamespace());
    expect(team.contains(member.serviceAccount)).toBe(true);
    expect(team.contains(team.ensureNamespace())).toBe(true);
    expect(team.contains(chart)).toBe(false);
    const manifests = Testing.synth(chart);
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Namespace/team-members', 'ServiceAccount/default', 'ResourceQuota/no-pods', 'ServiceAccount/alice',
    ]);
    expect(manifests[0].metadata).toEqual({ name: 'team-members', labels: RESTRICTED });
    expect(manifests[1]).toEqual({
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'team-members' }, automountServiceAccountToken: false,
    });
    expect(manifests[2]).toEqual({
      apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'no-pods', namespace: 'team-members' }, spec: { hard: { pods: '0' } },
    });
  });

  test('refuses bad, repeated, too long names, and the namespace\'s default service account', () => {
    const { team } = members(true);
    expect(() => team.add('Alice', 'members[0]')).toThrow(/^Team "t": members\[0\]: "Alice" is not a valid member \(service account\) name/);
    expect(() => team.add('default', 'members[0]')).toThrow(
      'Team "t": members[0]: "default" is the service account Kubernetes creates in every namespace and gives to every pod that names none; ' +
        'name the member after the person, e.g. "alice"',
    );
    team.add('alice', 'members[0]');
    expect(() => team.add('alice', 'addMember()')).toThrow('Team "t": addMember(): "alice" is already a member of the team in namespace team; add each member once');
    expect(() => team.add('a'.repeat(250), 'members[1]')).toThrow(/is too long for its token Secret/);
  });
});

describe('DevTeamNamespace members live apart from the workloads', () => {
  function setup(props: Partial<DevTeamNamespaceProps> = {}) {
    const app = Testing.app();
    const chart = new Chart(app, 'teams');
    const securityTeam = new SecurityTeam(chart, 'security', { members: ['security-member'] });
    const team = new DevTeamNamespace(chart, 'be', { name: 'be-dev-team', members: ['be-dev-member'], securityTeam, ...props });
    return { app, chart, team, securityTeam, manifests: () => Testing.synth(chart) };
  }

  test('default: a namespace <name>-members that runs nothing, bound into the team namespace by RoleBinding', () => {
    const { app, chart, team, manifests } = setup({ calicoPolicies: true });
    expect(team.membersNamespaceName).toBe('be-dev-team-members');
    const all = manifests();
    expect(findObject(all, 'Namespace', 'be-dev-team-members').metadata.labels).toEqual(RESTRICTED);
    expect(findObject(all, 'ResourceQuota', 'no-pods', 'be-dev-team-members').spec).toEqual({ hard: { pods: '0' } });
    expect(findObject(all, 'ServiceAccount', 'default', 'be-dev-team-members').automountServiceAccountToken).toBe(false);
    expect(findObject(all, 'ServiceAccount', 'be-dev-member', 'be-dev-team-members').automountServiceAccountToken).toBe(false);
    expect(all.filter((m) => m.kind === 'ServiceAccount' && m.metadata.namespace === 'be-dev-team').map((m) => m.metadata.name)).toEqual(['default']);
    expect(subjectsOf(findObject(all, 'RoleBinding', 'network-policy-editor', 'be-dev-team'))).toEqual(['ServiceAccount:be-dev-team-members/be-dev-member']);
    expect(subjectsOf(findObject(all, 'ClusterRoleBinding', 'be-dev-team-calico-tier-default-reader'))).toEqual(['ServiceAccount:be-dev-team-members/be-dev-member']);
    // The boundary check (objects outside the team namespace) leaves the members' objects alone.
    expect(validationErrors(app)).toEqual([]);
    // The member still manages its team's policy, and nothing in its own namespace.
    const model = rbacModelOf(chart);
    const member = 'system:serviceaccount:be-dev-team-members:be-dev-member';
    expect(model).toPermit({ user: member, verb: 'create', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'be-dev-team' });
    expect(model).toForbid({ user: member, verb: 'create', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'be-dev-team-members' });
  });

  test('no members, no members namespace', () => {
    const { team, manifests } = setup({ members: [], groups: ['oidc:be'] });
    expect(team.membersNamespaceName).toBe('be-dev-team-members');
    expect(manifests().filter((m) => m.metadata.namespace === 'be-dev-team-members' || m.metadata.name === 'be-dev-team-members')).toEqual([]);
  });

  test('the namespace group is the members namespace\'s group, and the namespace exists even without members', () => {
    const { manifests } = setup({ members: [], memberBinding: MemberBinding.NAMESPACE_GROUP });
    const all = manifests();
    expect(subjectsOf(findObject(all, 'RoleBinding', 'network-policy-editor', 'be-dev-team'))).toEqual(['Group:system:serviceaccounts:be-dev-team-members']);
    expect(findObject(all, 'ResourceQuota', 'no-pods', 'be-dev-team-members')).toBeDefined();
  });

  test('a members namespace of one\'s choice; token Secrets go there too', () => {
    const { team, manifests } = setup({ membersNamespace: 'people-be', memberTokenSecrets: true });
    expect(team.membersNamespaceName).toBe('people-be');
    const all = manifests();
    expect(findObject(all, 'ResourceQuota', 'no-pods', 'people-be')).toBeDefined();
    expect(findObject(all, 'Secret', 'be-dev-member-token', 'people-be').type).toBe('kubernetes.io/service-account-token');
  });

  test('membersInWorkloadNamespace: the explicit, unsafe opt-in of the blog', () => {
    const { app, team, manifests } = setup({ membersInWorkloadNamespace: true });
    expect(team.membersNamespaceName).toBe('be-dev-team');
    const all = manifests();
    expect(findObject(all, 'ServiceAccount', 'be-dev-member', 'be-dev-team')).toBeDefined();
    expect(all.filter((m) => m.kind === 'ResourceQuota' && m.metadata.namespace === 'be-dev-team')).toEqual([]);
    expect(validationErrors(app)).toEqual([]);
  });

  test('a members namespace declared twice in the app is an error at synthesis, naming both', () => {
    const { app, chart, securityTeam } = setup();
    new DevTeamNamespace(chart, 'impostor', { name: 'be-dev-team-members', securityTeam });
    const why = 'the members\' namespace of DevTeamNamespace "teams/be", which must be a namespace of their own where no pod runs: choose another members namespace';
    expect(validationErrors(app)).toEqual([
      `teams/be and teams/impostor synthesize the same 2 objects: v1 Namespace be-dev-team-members, v1 ServiceAccount be-dev-team-members/default (${why}); ` +
        'the later would silently replace the earlier when applied: rename or remove one of them',
    ]);
    expect(() => app.synth()).toThrow(/teams\/be and teams\/impostor synthesize the same 2 objects: v1 Namespace be-dev-team-members/);
  });

  test('two teams sharing a members namespace are refused at synthesis, in one error naming both', () => {
    const { app, chart } = setup({ membersNamespace: 'people' });
    new DevTeamNamespace(chart, 'fe', { name: 'fe', members: ['fe-member'], membersNamespace: 'people' });
    const errors = validationErrors(app);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^teams\/be and teams\/fe synthesize the same 3 objects: v1 Namespace people, v1 ServiceAccount people\/default, v1 ResourceQuota people\/no-pods \(the members' namespace of DevTeamNamespace "teams\/be"/);
  });

  test.each([
    [{ membersNamespace: 'be-dev-team' }, /^DevTeamNamespace "teams\/be": membersNamespace: "be-dev-team" is the team namespace, where workloads run: anyone who can create pods there could act as a member/],
    [{ membersNamespace: 'kube-system' }, 'DevTeamNamespace "teams/be": membersNamespace: "kube-system" is a system namespace; the team\'s members get a namespace of their own, such as "be-dev-team-members"'],
    [{ membersNamespace: 'default' }, /^DevTeamNamespace "teams\/be": membersNamespace: "default" is where Kubernetes puts every object that names no namespace/],
    [{ membersNamespace: 'security' }, /^DevTeamNamespace "teams\/be": membersNamespace: "security" is the security team's namespace/],
    [{ membersNamespace: 'People' }, /^DevTeamNamespace "teams\/be": membersNamespace: "People" is not a valid namespace/],
    [{ membersNamespace: 'people', membersInWorkloadNamespace: true }, 'DevTeamNamespace "teams/be": membersNamespace: give membersNamespace or membersInWorkloadNamespace, not both'],
    [{ membersInWorkloadNamespace: true, memberBinding: MemberBinding.NAMESPACE_GROUP }, /^DevTeamNamespace "teams\/be": memberBinding: MemberBinding.NAMESPACE_GROUP with membersInWorkloadNamespace would make every service account of be-dev-team, i.e. every workload, a team member/],
    [{ membersInWorkloadNamespace: 'yes' as any }, 'DevTeamNamespace "teams/be": membersInWorkloadNamespace: "yes" is not true or false'],
    [{ name: 'a'.repeat(56) }, /^DevTeamNamespace "teams\/be": membersNamespace: the default members namespace "a{56}-members" is longer than 63 characters; give membersNamespace, e.g. "a{55}-members"/],
    [{ members: ['default'] }, /^DevTeamNamespace "teams\/be": members\[0\]: "default" is the service account Kubernetes creates in every namespace/],
  ])('refuses %j', (props, message) => {
    expect(() => setup(props as any)).toThrow(message as any);
  });
});
