import { ApiObject, Chart, Testing } from 'cdk8s';
import { RbacModel } from '../../../src/analysis';

const RBAC = 'rbac.authorization.k8s.io/v1';
const GROUP = 'rbac.authorization.k8s.io';
const POLICY_VERBS = ['get', 'list', 'create', 'update', 'delete'];

/**
 * The RBAC objects of the blog post "How to integrate Kubernetes RBAC and Calico to achieve
 * Shift-Left Security" (final state: the per-user bindings deleted, the group bindings kept).
 */
const BLOG_OBJECTS = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'security' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'security-member', namespace: 'security' } },
  {
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: { name: 'security-calico' },
    rules: [{ apiGroups: ['crd.projectcalico.org'], resources: ['networkpolicies', 'globalnetworkpolicies'], verbs: POLICY_VERBS }],
  },
  {
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: { name: 'security-k8s' },
    rules: [{ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: POLICY_VERBS }],
  },
  {
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'sec-team-k8s-role-binder' },
    subjects: [{ kind: 'Group', name: 'system:serviceaccounts:security', apiGroup: GROUP }],
    roleRef: { kind: 'ClusterRole', name: 'security-k8s', apiGroup: GROUP },
  },
  {
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'sec-team-calico-role-binder' },
    subjects: [{ kind: 'Group', name: 'system:serviceaccounts:security', apiGroup: GROUP }],
    roleRef: { kind: 'ClusterRole', name: 'security-calico', apiGroup: GROUP },
  },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'be-dev-team' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'be-dev-member', namespace: 'be-dev-team' } },
  {
    apiVersion: RBAC,
    kind: 'Role',
    metadata: { name: 'be-dev-team-k8s', namespace: 'be-dev-team' },
    rules: [{ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: POLICY_VERBS }],
  },
  {
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: { name: 'be-dev-team-role-binder', namespace: 'be-dev-team' },
    subjects: [{ kind: 'Group', name: 'system:serviceaccounts:be-dev-team', apiGroup: GROUP }],
    roleRef: { kind: 'Role', name: 'be-dev-team-k8s', apiGroup: GROUP },
  },
];

const MASTERS = { kind: 'Group', name: 'system:masters' };
const SECURITY_MEMBER = 'system:serviceaccount:security:security-member';
const BE_DEV_MEMBER = 'system:serviceaccount:be-dev-team:be-dev-member';

describe('RbacModel on the shift-left blog objects', () => {
  const model = RbacModel.fromManifests(BLOG_OBJECTS);

  test('security-member can create GlobalNetworkPolicies through crd.projectcalico.org', () => {
    expect(model.check({ user: SECURITY_MEMBER, verb: 'create', apiGroup: 'crd.projectcalico.org', resource: 'globalnetworkpolicies' })).toEqual({
      allowed: true,
      reason: 'allowed: ClusterRole security-calico via ClusterRoleBinding sec-team-calico-role-binder grants create on crd.projectcalico.org/globalnetworkpolicies cluster-wide',
      grants: ['ClusterRole security-calico via ClusterRoleBinding sec-team-calico-role-binder'],
    });
  });

  test('security-member can manage Kubernetes network policies in every namespace', () => {
    for (const namespace of ['be-dev-team', 'security', undefined]) {
      const verdict = model.check({ user: SECURITY_MEMBER, verb: 'delete', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace });
      expect(verdict.allowed).toBe(true);
      expect(verdict.grants).toEqual(['ClusterRole security-k8s via ClusterRoleBinding sec-team-k8s-role-binder']);
    }
  });

  test('security-member cannot use the projectcalico.org API: no tier authorization', () => {
    const verdict = model.check({ user: SECURITY_MEMBER, verb: 'create', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies' });
    expect(verdict.allowed).toBe(false);
    expect(verdict.reason).toBe(
      "denied: tier authorization for tier default: missing get on tiers 'default' and missing create on projectcalico.org/tier.globalnetworkpolicies 'default.*'",
    );
  });

  test('be-dev-member can manage networking.k8s.io network policies in be-dev-team only', () => {
    const inTeam = model.check({ user: BE_DEV_MEMBER, verb: 'create', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'be-dev-team' });
    expect(inTeam).toEqual({
      allowed: true,
      reason: 'allowed: Role be-dev-team-k8s via RoleBinding be-dev-team/be-dev-team-role-binder grants create on networking.k8s.io/networkpolicies in namespace be-dev-team',
      grants: ['Role be-dev-team-k8s via RoleBinding be-dev-team/be-dev-team-role-binder'],
    });
    const elsewhere = model.check({ user: BE_DEV_MEMBER, verb: 'create', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'security' });
    expect(elsewhere.allowed).toBe(false);
    expect(elsewhere.reason).toBe(`denied: no rule grants create on networking.k8s.io/networkpolicies in namespace security to ${BE_DEV_MEMBER}`);
    expect(model.check({ user: BE_DEV_MEMBER, verb: 'list', apiGroup: 'networking.k8s.io', resource: 'networkpolicies' }).allowed).toBe(false);
    expect(model.check({ user: BE_DEV_MEMBER, verb: 'patch', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'be-dev-team' }).allowed).toBe(false);
  });

  test('be-dev-member cannot touch Calico policies', () => {
    expect(model.check({ user: BE_DEV_MEMBER, verb: 'create', apiGroup: 'crd.projectcalico.org', resource: 'globalnetworkpolicies' })).toEqual({
      allowed: false,
      reason: `denied: no rule grants create on crd.projectcalico.org/globalnetworkpolicies to ${BE_DEV_MEMBER}`,
      grants: [],
    });
    expect(model.check({ user: BE_DEV_MEMBER, verb: 'delete', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'be-dev-team' }).allowed).toBe(false);
  });

  test('whoCan lists the bound groups and the declared service accounts in them', () => {
    expect(model.whoCan('create', 'networking.k8s.io', 'networkpolicies', 'be-dev-team')).toEqual([
      MASTERS,
      { kind: 'Group', name: 'system:serviceaccounts:be-dev-team' },
      { kind: 'Group', name: 'system:serviceaccounts:security' },
      { kind: 'ServiceAccount', name: 'be-dev-member', namespace: 'be-dev-team' },
      { kind: 'ServiceAccount', name: 'security-member', namespace: 'security' },
    ]);
    expect(model.whoCan('create', 'networking.k8s.io', 'networkpolicies')).toEqual([
      MASTERS,
      { kind: 'Group', name: 'system:serviceaccounts:security' },
      { kind: 'ServiceAccount', name: 'security-member', namespace: 'security' },
    ]);
    expect(model.whoCan('create', 'crd.projectcalico.org', 'globalnetworkpolicies')).toEqual([
      MASTERS,
      { kind: 'Group', name: 'system:serviceaccounts:security' },
      { kind: 'ServiceAccount', name: 'security-member', namespace: 'security' },
    ]);
    expect(model.whoCan('create', 'projectcalico.org', 'globalnetworkpolicies')).toEqual([MASTERS]);
  });

  test('exposes the declared namespaces and service accounts', () => {
    expect(model.namespaces).toEqual(['security', 'be-dev-team']);
    expect(model.serviceAccounts).toEqual([
      { kind: 'ServiceAccount', name: 'security-member', namespace: 'security' },
      { kind: 'ServiceAccount', name: 'be-dev-member', namespace: 'be-dev-team' },
    ]);
  });
});

describe('RbacModel with Calico tiers', () => {
  const CALICO = 'projectcalico.org';
  const model = RbacModel.fromManifests([
    {
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'security-tier-admin' },
      rules: [
        { apiGroups: [CALICO], resources: ['tiers'], resourceNames: ['security'], verbs: ['get'] },
        { apiGroups: [CALICO], resources: ['tier.globalnetworkpolicies', 'tier.stagedglobalnetworkpolicies'], resourceNames: ['security.*'], verbs: ['*'] },
      ],
    },
    {
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'default-tier-reader' },
      rules: [{ apiGroups: [CALICO], resources: ['tiers'], resourceNames: ['default'], verbs: ['get'] }],
    },
    {
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'default-tier-np-editor' },
      rules: [{ apiGroups: [CALICO], resources: ['tier.networkpolicies'], resourceNames: ['default.*'], verbs: ['*'] }],
    },
    {
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'sec-team' },
      roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'security-tier-admin' },
      subjects: [{ kind: 'Group', name: 'security-team' }],
    },
    {
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'everyone-default-tier' },
      roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'default-tier-reader' },
      subjects: [{ kind: 'Group', name: 'system:authenticated' }],
    },
    {
      apiVersion: RBAC,
      kind: 'RoleBinding',
      metadata: { name: 'dev-policies', namespace: 'be' },
      roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'default-tier-np-editor' },
      subjects: [{ kind: 'ServiceAccount', name: 'dev' }],
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'dev', namespace: 'be' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'other', namespace: 'be' } },
  ]);
  const DEV = 'system:serviceaccount:be:dev';

  test('the security team can create GlobalNetworkPolicies in tier security, with both grants listed', () => {
    const verdict = model.check({ user: 'sara', groups: ['security-team'], verb: 'create', apiGroup: CALICO, resource: 'globalnetworkpolicies', tier: 'security' });
    expect(verdict.allowed).toBe(true);
    expect(verdict.grants).toEqual(['ClusterRole security-tier-admin via ClusterRoleBinding sec-team']);
    expect(verdict.reason).toMatch(/^allowed: tier authorization for tier security: get on tiers 'security' granted by ClusterRole security-tier-admin/);
  });

  test('the tier is the policy\'s spec.tier, default when not given; it is never read from the name', () => {
    const inTier = model.check({ user: 'sara', groups: ['security-team'], verb: 'delete', apiGroup: CALICO, resource: 'stagedglobalnetworkpolicies', name: 'block', tier: 'security' });
    expect(inTier.allowed).toBe(true);
    const prefixedName = model.check({ user: 'sara', groups: ['security-team'], verb: 'delete', apiGroup: CALICO, resource: 'globalnetworkpolicies', name: 'security.block' });
    expect(prefixedName.allowed).toBe(false);
    expect(prefixedName.reason).toBe(
      "denied: tier authorization for tier default: missing delete on projectcalico.org/tier.globalnetworkpolicies 'security.block' or 'default.*'; "
      + "the tier is the policy's spec.tier (default when not given), not the prefix of its name: if security.block is in tier security, ask with that tier",
    );
  });

  test('the default tier is used for nameless requests', () => {
    const verdict = model.check({ user: DEV, verb: 'create', apiGroup: CALICO, resource: 'networkpolicies', namespace: 'be' });
    expect(verdict).toEqual({
      allowed: true,
      reason: "allowed: tier authorization for tier default: get on tiers 'default' granted by ClusterRole default-tier-reader via ClusterRoleBinding everyone-default-tier; "
        + "create on projectcalico.org/tier.networkpolicies 'default.*' granted by ClusterRole default-tier-np-editor via RoleBinding be/dev-policies in namespace be",
      grants: [
        'ClusterRole default-tier-reader via ClusterRoleBinding everyone-default-tier',
        'ClusterRole default-tier-np-editor via RoleBinding be/dev-policies',
      ],
    });
    expect(model.check({ user: DEV, verb: 'create', apiGroup: CALICO, resource: 'networkpolicies', namespace: 'fe' }).allowed).toBe(false);
    expect(model.check({ user: DEV, verb: 'create', apiGroup: CALICO, resource: 'networkpolicies', namespace: 'be', tier: 'security' }).reason)
      .toBe("denied: tier authorization for tier security: missing get on tiers 'security' and missing create on projectcalico.org/tier.networkpolicies 'security.*' in namespace be");
  });

  test('stagedkubernetesnetworkpolicies are not tiered: plain RBAC applies', () => {
    const verdict = model.check({ user: DEV, verb: 'create', apiGroup: CALICO, resource: 'stagedkubernetesnetworkpolicies', namespace: 'be' });
    expect(verdict.reason).toBe(`denied: no rule grants create on projectcalico.org/stagedkubernetesnetworkpolicies in namespace be to ${DEV}`);
  });

  test('whoCan applies tier authorization for the default tier unless a tier is given', () => {
    expect(model.whoCan('create', CALICO, 'networkpolicies', 'be')).toEqual([MASTERS, { kind: 'ServiceAccount', name: 'dev', namespace: 'be' }]);
    expect(model.whoCan('create', CALICO, 'globalnetworkpolicies')).toEqual([MASTERS]);
    expect(model.whoCan('create', CALICO, 'globalnetworkpolicies', undefined, 'security')).toEqual([{ kind: 'Group', name: 'security-team' }, MASTERS]);
  });

  test('whoCan of a list without tier counts every tier a subject is authorized for', () => {
    expect(model.whoCan('list', CALICO, 'globalnetworkpolicies')).toEqual([{ kind: 'Group', name: 'security-team' }, MASTERS]);
    expect(model.whoCan('list', CALICO, 'globalnetworkpolicies', undefined, 'default')).toEqual([MASTERS]);
  });
});

describe('RbacModel.check semantics', () => {
  const model = RbacModel.fromManifests([
    {
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'log-reader' },
      rules: [{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }, { apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] }],
    },
    {
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'one-configmap' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get', 'list', 'create', 'update'] }],
    },
    {
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'ops' },
      roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'log-reader' },
      subjects: [{ kind: 'Group', name: 'ops' }],
    },
    {
      apiVersion: RBAC,
      kind: 'RoleBinding',
      metadata: { name: 'cm', namespace: 'app' },
      roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'one-configmap' },
      subjects: [{ kind: 'User', name: 'alice' }],
    },
    {
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'admins' },
      roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'User', name: 'root' }],
    },
  ]);

  test.each([
    ['subresource rule', { user: 'u', groups: ['ops'], verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log', namespace: 'x' }, true],
    ['subresource rule does not cover the resource', { user: 'u', groups: ['ops'], verb: 'get', apiGroup: '', resource: 'pods', namespace: 'x' }, false],
    ['*/scale', { user: 'u', groups: ['ops'], verb: 'update', apiGroup: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'x' }, true],
    ['groups only count when given', { user: 'u', verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log', namespace: 'x' }, false],
    ['resourceNames: named get', { user: 'alice', verb: 'get', apiGroup: '', resource: 'configmaps', namespace: 'app', name: 'settings' }, true],
    ['resourceNames: other name', { user: 'alice', verb: 'get', apiGroup: '', resource: 'configmaps', namespace: 'app', name: 'other' }, false],
    ['resourceNames: list of the collection', { user: 'alice', verb: 'list', apiGroup: '', resource: 'configmaps', namespace: 'app' }, false],
    ['resourceNames: list by name', { user: 'alice', verb: 'list', apiGroup: '', resource: 'configmaps', namespace: 'app', name: 'settings' }, true],
    ['resourceNames: create is never restricted by name', { user: 'alice', verb: 'create', apiGroup: '', resource: 'configmaps', namespace: 'app', name: 'settings' }, false],
  ])('%s', (_title, request, expected) => {
    expect(model.check(request).allowed).toBe(expected);
  });

  test('a binding to a role missing from the manifests grants nothing and is noted', () => {
    expect(model.check({ user: 'root', verb: 'delete', apiGroup: '', resource: 'nodes' }).reason).toBe(
      'denied: no rule grants delete on nodes to root; ClusterRoleBinding admins references ClusterRole cluster-admin, which is not in the manifests, so it grants nothing',
    );
  });

  test('the request name appears in the reason', () => {
    expect(model.check({ user: 'alice', verb: 'get', apiGroup: '', resource: 'configmaps', namespace: 'app', name: 'settings' }).reason).toBe(
      "allowed: ClusterRole one-configmap via RoleBinding app/cm grants get on configmaps 'settings' in namespace app",
    );
  });

  test.each([
    ['a non-object request', undefined, 'RbacModel.check: expected an AccessRequest object, got nothing'],
    ['a missing user', { verb: 'get', apiGroup: '', resource: 'pods' }, 'RbacModel.check: user must be a non-empty string'],
    ['groups that are not an array', { user: 'u', groups: 'ops', verb: 'get', apiGroup: '', resource: 'pods' }, 'RbacModel.check: groups must be an array of group names, got "ops"'],
    ['an empty group', { user: 'u', groups: [''], verb: 'get', apiGroup: '', resource: 'pods' }, 'RbacModel.check: groups[0] must be a non-empty string'],
    ['a missing verb', { user: 'u', apiGroup: '', resource: 'pods' }, 'RbacModel.check: verb must be a non-empty string (e.g. "create"), got nothing'],
    ['a missing apiGroup', { user: 'u', verb: 'get', resource: 'pods' }, 'RbacModel.check: apiGroup must be a string ("" for the core group'],
    ['a missing resource', { user: 'u', verb: 'get', apiGroup: '' }, 'RbacModel.check: resource must be a non-empty string'],
    ['a resource with a subresource', { user: 'u', verb: 'get', apiGroup: '', resource: 'pods/log' },
      'RbacModel.check: resource "pods/log" contains "/"; pass the subresource separately (resource: "pods", subresource: "log")'],
    ['an empty subresource', { user: 'u', verb: 'get', apiGroup: '', resource: 'pods', subresource: '' }, 'RbacModel.check: subresource must be a non-empty string'],
    ['a nested subresource', { user: 'u', verb: 'get', apiGroup: '', resource: 'pods', subresource: 'a/b' }, 'RbacModel.check: subresource "a/b" must not contain "/"'],
    ['an empty namespace', { user: 'u', verb: 'get', apiGroup: '', resource: 'pods', namespace: '' }, 'RbacModel.check: namespace must be a non-empty string'],
    ['an empty name', { user: 'u', verb: 'get', apiGroup: '', resource: 'pods', name: '' }, 'RbacModel.check: name must be a non-empty string'],
    ['an empty tier', { user: 'u', verb: 'get', apiGroup: '', resource: 'pods', tier: '' }, 'RbacModel.check: tier must be a non-empty string'],
    ['a dotted tier', { user: 'u', verb: 'get', apiGroup: '', resource: 'pods', tier: 'a.b' }, 'RbacModel.check: tier "a.b" must not contain "."'],
  ])('rejects %s', (_title, request, message) => {
    expect(() => model.check(request as any)).toThrow(message);
  });

  test('whoCan validates its arguments', () => {
    expect(() => model.whoCan('', '', 'pods')).toThrow('RbacModel.whoCan: verb must be a non-empty string');
    expect(() => model.whoCan('get', '', 'pods', undefined, 'x.y')).toThrow('RbacModel.whoCan: tier "x.y" must not contain "."');
  });

  test('whoCan asks about the whole collection: name-restricted and subresource-only grants do not count', () => {
    expect(model.whoCan('get', '', 'configmaps', 'app')).toEqual([MASTERS]);
    expect(model.whoCan('update', 'apps', 'deployments', 'x')).toEqual([MASTERS]);
    expect(model.whoCan('get', '', 'pods', 'x')).toEqual([MASTERS]);
  });
});

describe('RbacModel.whoCan subjects', () => {
  const model = RbacModel.fromManifests([
    { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] },
    {
      apiVersion: RBAC,
      kind: 'RoleBinding',
      metadata: { name: 'mixed', namespace: 'app' },
      roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'reader' },
      subjects: [{ kind: 'User', name: 'alice' }, { kind: 'ServiceAccount', name: 'bot' }, { kind: 'Group', name: 'system:serviceaccounts' }],
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot', namespace: 'app' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'fe' } },
  ]);

  test('users, groups, service accounts (defaulted to the binding namespace) and the declared service accounts reached through groups', () => {
    expect(model.whoCan('list', '', 'pods', 'app')).toEqual([
      { kind: 'Group', name: 'system:masters' },
      { kind: 'Group', name: 'system:serviceaccounts' },
      { kind: 'ServiceAccount', name: 'bot', namespace: 'app' },
      { kind: 'ServiceAccount', name: 'web', namespace: 'fe' },
      { kind: 'User', name: 'alice' },
    ]);
    expect(model.whoCan('list', '', 'pods', 'fe')).toEqual([MASTERS]);
  });
});

describe('RbacModel.fromChart and fromApp', () => {
  test('reads the objects a chart synthesizes', () => {
    const chart = Testing.chart();
    new ApiObject(chart, 'role', {
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'reader' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    } as any);
    new ApiObject(chart, 'binding', {
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'bind' },
      roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'reader' },
      subjects: [{ kind: 'User', name: 'alice' }],
    } as any);
    expect(RbacModel.fromChart(chart).check({ user: 'alice', verb: 'get', apiGroup: '', resource: 'pods' }).allowed).toBe(true);
  });

  test('reads the objects of every chart of an app', () => {
    const app = Testing.app();
    const roles = new Chart(app, 'roles');
    const bindings = new Chart(app, 'bindings', { namespace: 'ignored-for-cluster-scoped' });
    new ApiObject(roles, 'role', {
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'reader' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    } as any);
    new ApiObject(bindings, 'binding', {
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'bind' },
      roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'reader' },
      subjects: [{ kind: 'User', name: 'alice' }],
    } as any);
    expect(RbacModel.fromApp(app).check({ user: 'alice', verb: 'get', apiGroup: '', resource: 'pods', namespace: 'any' }).allowed).toBe(true);
  });
});

describe('RbacModel: cluster-scoped resources', () => {
  const everything = [
    { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'all' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
    {
      apiVersion: RBAC,
      kind: 'RoleBinding',
      metadata: { name: 'b', namespace: 'dev' },
      subjects: [{ kind: 'User', name: 'alice', apiGroup: GROUP }],
      roleRef: { kind: 'ClusterRole', name: 'all', apiGroup: GROUP },
    },
  ];
  const model = RbacModel.fromManifests(everything);

  test.each([
    ['projectcalico.org', 'tiers'],
    ['projectcalico.org', 'globalnetworksets'],
    ['rbac.authorization.k8s.io', 'clusterroles'],
    ['', 'namespaces'],
  ])('a RoleBinding never grants %s/%s, even when the request names its namespace', (apiGroup, resource) => {
    const verdict = model.check({ user: 'alice', verb: 'create', apiGroup, resource, namespace: 'dev' });
    expect(verdict.allowed).toBe(false);
    expect(verdict.reason).toContain('denied');
  });

  test('namespaced resources are still granted in the binding namespace', () => {
    expect(model.check({ user: 'alice', verb: 'create', apiGroup: '', resource: 'pods', namespace: 'dev' }).allowed).toBe(true);
  });

  test('tier authorization for GlobalNetworkPolicies needs cluster-wide grants', () => {
    const objects = [
      { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'tier-get' }, rules: [{ apiGroups: ['projectcalico.org'], resources: ['tiers'], verbs: ['get'] }] },
      {
        apiVersion: RBAC,
        kind: 'ClusterRole',
        metadata: { name: 'gnp' },
        rules: [{ apiGroups: ['projectcalico.org'], resources: ['tier.globalnetworkpolicies'], verbs: ['create'] }],
      },
      {
        apiVersion: RBAC,
        kind: 'ClusterRoleBinding',
        metadata: { name: 'tier-get' },
        subjects: [{ kind: 'User', name: 'u', apiGroup: GROUP }],
        roleRef: { kind: 'ClusterRole', name: 'tier-get', apiGroup: GROUP },
      },
      {
        apiVersion: RBAC,
        kind: 'RoleBinding',
        metadata: { name: 'gnp', namespace: 'dev' },
        subjects: [{ kind: 'User', name: 'u', apiGroup: GROUP }],
        roleRef: { kind: 'ClusterRole', name: 'gnp', apiGroup: GROUP },
      },
    ];
    const tiers = RbacModel.fromManifests(objects);
    expect(tiers.check({ user: 'u', verb: 'create', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', namespace: 'dev' }).allowed).toBe(false);
    expect(tiers.whoCan('create', 'projectcalico.org', 'globalnetworkpolicies', 'dev')).toEqual([MASTERS]);
  });
});

describe('RbacModel: system:masters', () => {
  const model = RbacModel.fromManifests([
    { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
  ]);
  const REASON = 'allowed: group system:masters: the API server allows every request of its members before RBAC runs';

  test.each([
    ['a core resource', { verb: 'delete', apiGroup: '', resource: 'nodes' }],
    ['a namespaced resource', { verb: 'create', apiGroup: '', resource: 'secrets', namespace: 'kube-system' }],
    ['a subresource', { verb: 'create', apiGroup: '', resource: 'pods', subresource: 'exec', namespace: 'app', name: 'web' }],
    ['a tiered Calico policy, without any tier grant', { verb: 'create', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier: 'security' }],
    ['a custom resource', { verb: 'patch', apiGroup: 'example.com', resource: 'widgets', namespace: 'app' }],
  ])('a member is allowed %s, with that reason and no binding', (_title, request) => {
    expect(model.check({ user: 'admin', groups: ['system:masters'], ...request })).toEqual({ allowed: true, reason: REASON, grants: [] });
  });

  test('without the group, RBAC decides', () => {
    expect(model.check({ user: 'admin', verb: 'delete', apiGroup: '', resource: 'nodes' }).allowed).toBe(false);
  });

  test('whoCan always lists the group', () => {
    expect(model.whoCan('delete', '', 'nodes')).toEqual([MASTERS]);
    expect(model.whoCan('create', 'projectcalico.org', 'networkpolicies', 'app', 'security')).toEqual([MASTERS]);
  });
});

describe('RbacModel: Calico tier authorization checks the policy\'s own name', () => {
  const CALICO = 'projectcalico.org';
  const model = RbacModel.fromManifests([
    {
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'db-policy-editor' },
      rules: [
        { apiGroups: [CALICO], resources: ['tiers'], resourceNames: ['security'], verbs: ['get'] },
        { apiGroups: [CALICO], resources: ['tier.networkpolicies'], resourceNames: ['db'], verbs: ['get', 'update', 'delete'] },
      ],
    },
    {
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'prefixed-policy-editor' },
      rules: [
        { apiGroups: [CALICO], resources: ['tiers'], resourceNames: ['security'], verbs: ['get'] },
        { apiGroups: [CALICO], resources: ['tier.networkpolicies'], resourceNames: ['security.db'], verbs: ['get', 'update', 'delete'] },
      ],
    },
    {
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'alice' },
      roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'db-policy-editor' },
      subjects: [{ kind: 'User', name: 'alice' }],
    },
    {
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'paul' },
      roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'prefixed-policy-editor' },
      subjects: [{ kind: 'User', name: 'paul' }],
    },
  ]);
  const request = { verb: 'update', apiGroup: CALICO, resource: 'networkpolicies', namespace: 'app', name: 'db', tier: 'security' };

  test('resourceNames [db] on tier.networkpolicies grants policy db in tier security', () => {
    const verdict = model.check({ user: 'alice', ...request });
    expect(verdict.allowed).toBe(true);
    expect(verdict.grants).toEqual(['ClusterRole db-policy-editor via ClusterRoleBinding alice']);
  });

  test('resourceNames [security.db] does not', () => {
    const verdict = model.check({ user: 'paul', ...request });
    expect(verdict.allowed).toBe(false);
    expect(verdict.reason).toContain("a rule grants 'security.db', but Calico checks the policy's own name 'db', never a tier-prefixed one");
  });

  test('a policy really named security.db is granted by [security.db]', () => {
    expect(model.check({ user: 'paul', ...request, name: 'security.db' }).allowed).toBe(true);
    expect(model.check({ user: 'alice', ...request, name: 'security.db' }).allowed).toBe(false);
  });

  test('create carries no name, so neither named rule lets anyone create', () => {
    expect(model.check({ user: 'alice', ...request, verb: 'create' }).allowed).toBe(false);
  });
});

describe('RbacModel: scope from the resource catalogue', () => {
  const model = RbacModel.fromManifests([
    { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'all' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
    {
      apiVersion: RBAC,
      kind: 'RoleBinding',
      metadata: { name: 'b', namespace: 'dev' },
      subjects: [{ kind: 'User', name: 'alice', apiGroup: GROUP }],
      roleRef: { kind: 'ClusterRole', name: 'all', apiGroup: GROUP },
    },
  ]);

  test.each([
    ['', 'nodes', undefined],
    ['', 'nodes', 'proxy'],
    ['', 'persistentvolumes', undefined],
    ['storage.k8s.io', 'storageclasses', undefined],
    ['networking.k8s.io', 'ipaddresses', undefined],
    ['admissionregistration.k8s.io', 'validatingadmissionpolicies', undefined],
    ['authorization.k8s.io', 'subjectaccessreviews', undefined],
    ['resource.k8s.io', 'deviceclasses', undefined],
    ['policy.networking.k8s.io', 'clusternetworkpolicies', undefined],
    ['policy.networking.k8s.io', 'adminnetworkpolicies', undefined],
    ['projectcalico.org', 'profiles', undefined],
    ['projectcalico.org', 'ipamblocks', undefined],
    ['projectcalico.org', 'kubecontrollersconfigurations', 'status'],
    ['crd.projectcalico.org', 'ipamconfigs', undefined],
    ['crd.projectcalico.org', 'tiers', undefined],
  ])('a RoleBinding never grants cluster-scoped %s/%s (subresource %s), and the reason says why', (apiGroup, resource, subresource) => {
    const verdict = model.check({ user: 'alice', verb: 'update', apiGroup, resource, subresource, namespace: 'dev' });
    expect(verdict.allowed).toBe(false);
    expect(verdict.reason).toContain(`; ${resource} is cluster-scoped, so the namespace dev of the request is ignored and only ClusterRoleBindings count`);
  });

  test.each([
    ['', 'pods', 'exec'],
    ['', 'serviceaccounts', 'token'],
    ['authorization.k8s.io', 'localsubjectaccessreviews', undefined],
    ['projectcalico.org', 'networksets', undefined],
    ['crd.projectcalico.org', 'networkpolicies', undefined],
    ['example.com', 'widgets', undefined],
  ])('namespaced (or unknown) %s/%s is granted in the binding namespace', (apiGroup, resource, subresource) => {
    const verdict = model.check({ user: 'alice', verb: 'create', apiGroup, resource, subresource, namespace: 'dev' });
    expect(verdict.allowed).toBe(true);
    expect(verdict.reason).not.toContain('cluster-scoped');
  });
});

describe('RbacModel: lists', () => {
  const role = { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
  const binding = {
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'alice-reads' },
    roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'reader' },
    subjects: [{ kind: 'User', name: 'alice', apiGroup: GROUP }],
  };
  const aliceGetsPods = { user: 'alice', verb: 'get', apiGroup: '', resource: 'pods', namespace: 'app' };

  test.each([
    ['ClusterRoleList and ClusterRoleBindingList', [
      { apiVersion: RBAC, kind: 'ClusterRoleList', items: [role] },
      { apiVersion: RBAC, kind: 'ClusterRoleBindingList', items: [binding] },
    ]],
    ['typed lists whose items omit apiVersion and kind, as the API server returns them', [
      { apiVersion: RBAC, kind: 'ClusterRoleList', items: [{ metadata: role.metadata, rules: role.rules }] },
      { apiVersion: RBAC, kind: 'ClusterRoleBindingList', items: [{ metadata: binding.metadata, roleRef: binding.roleRef, subjects: binding.subjects }] },
    ]],
    ['a v1 List nesting typed lists, with null entries', [
      null,
      { apiVersion: 'v1', kind: 'List', items: [null, { apiVersion: RBAC, kind: 'ClusterRoleList', items: [role] }, binding] },
    ]],
  ])('reads %s', (_title, objects) => {
    expect(RbacModel.fromManifests(objects as any[]).check(aliceGetsPods).allowed).toBe(true);
  });

  test('an empty list (items null or absent) is no error', () => {
    expect(RbacModel.fromManifests([{ apiVersion: RBAC, kind: 'RoleBindingList', items: null }, { apiVersion: 'v1', kind: 'List' }]).namespaces).toEqual([]);
  });

  test('malformed items are an error naming the list', () => {
    expect(() => RbacModel.fromManifests([{ apiVersion: RBAC, kind: 'RoleBindingList', items: { a: 1 } }]))
      .toThrow('objects[0] (RoleBindingList): items must be an array of Kubernetes objects, got an object');
  });
});
