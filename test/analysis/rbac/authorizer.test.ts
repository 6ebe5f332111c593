import {
  describeGrant,
  describeGrantScope,
  describeMissingRole,
  identityOfGroupMember,
  identityOfUser,
  parseRbacObjects,
  RbacAuthorizer,
  ResourceAttributes,
} from '../../../src/analysis/rbac';

const RBAC = 'rbac.authorization.k8s.io/v1';
const GROUP = 'rbac.authorization.k8s.io';

const objects = [
  { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'pod-reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] },
  { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'viewer', labels: { agg: 'view' } }, rules: [{ apiGroups: [''], resources: ['services'], verbs: ['get'] }] },
  { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'aggregate' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: 'view' } }] } },
  { apiVersion: RBAC, kind: 'Role', metadata: { name: 'cm-editor', namespace: 'team-a' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }] },
  // A ClusterRole bound by a RoleBinding: only in team-a.
  {
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: { name: 'alice-pods', namespace: 'team-a' },
    roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'pod-reader' },
    subjects: [{ kind: 'User', name: 'alice', apiGroup: GROUP }],
  },
  // A Role bound to a namespace-less ServiceAccount subject: the binding's namespace.
  {
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: { name: 'bot-cm', namespace: 'team-a' },
    roleRef: { apiGroup: GROUP, kind: 'Role', name: 'cm-editor' },
    subjects: [{ kind: 'ServiceAccount', name: 'bot' }],
  },
  // Cluster-wide for a group.
  {
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'ops-pods' },
    roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'pod-reader' },
    subjects: [{ kind: 'Group', name: 'ops', apiGroup: GROUP }],
  },
  {
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'carol-aggregate' },
    roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'aggregate' },
    subjects: [{ kind: 'User', name: 'carol' }],
  },
  // Bindings whose role is absent.
  {
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'dave-admin' },
    roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'User', name: 'dave' }],
  },
  {
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: { name: 'dave-ghost', namespace: 'team-a' },
    roleRef: { apiGroup: GROUP, kind: 'Role', name: 'ghost' },
    subjects: [{ kind: 'User', name: 'dave' }],
  },
  // A Role of the same name in another namespace must not be used.
  { apiVersion: RBAC, kind: 'Role', metadata: { name: 'cm-editor', namespace: 'team-b' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['*'] }] },
];

const authorizer = new RbacAuthorizer(parseRbacObjects(objects));

function get(resource: string, namespace?: string, verb = 'get'): ResourceAttributes {
  return { verb, apiGroup: '', resource, namespace };
}

describe('RbacAuthorizer.authorize', () => {
  test.each([
    ['RoleBinding to a ClusterRole grants in its namespace', 'alice', get('pods', 'team-a'), ['ClusterRole pod-reader via RoleBinding team-a/alice-pods']],
    ['RoleBinding to a ClusterRole does not grant in another namespace', 'alice', get('pods', 'team-b'), []],
    ['RoleBinding to a ClusterRole does not grant cluster-wide', 'alice', get('pods'), []],
    ['ClusterRoleBinding grants cluster-wide', 'ops-member', get('pods'), ['ClusterRole pod-reader via ClusterRoleBinding ops-pods']],
    ['ClusterRoleBinding grants in every namespace', 'ops-member', get('pods', 'anything'), ['ClusterRole pod-reader via ClusterRoleBinding ops-pods']],
    ['Role grants in its namespace to a defaulted ServiceAccount', 'system:serviceaccount:team-a:bot', get('configmaps', 'team-a', 'delete'),
      ['Role cm-editor via RoleBinding team-a/bot-cm']],
    ['Role does not grant in another namespace', 'system:serviceaccount:team-a:bot', get('configmaps', 'team-b', 'delete'), []],
    ['the namesake Role of another namespace is not used', 'system:serviceaccount:team-a:bot', get('secrets', 'team-a'), []],
    ['a ServiceAccount of another namespace is not the defaulted one', 'system:serviceaccount:team-b:bot', get('configmaps', 'team-a'), []],
    ['aggregated ClusterRole grants the aggregated rules', 'carol', get('services'),
      ['ClusterRole aggregate (aggregated from ClusterRole viewer) via ClusterRoleBinding carol-aggregate']],
    ['deny by default', 'nobody', get('pods', 'team-a'), []],
    ['a missing role grants nothing', 'dave', get('pods', 'team-a'), []],
  ])('%s', (_title, user, attrs, expected) => {
    const identity = user === 'ops-member' ? identityOfUser('x', ['ops']) : identityOfUser(user);
    expect(authorizer.authorize(identity, attrs).grants.map(describeGrant)).toEqual(expected);
  });

  test('grants from several bindings are all reported, ClusterRoleBindings first', () => {
    const identity = identityOfUser('alice', ['ops']);
    expect(authorizer.authorize(identity, get('pods', 'team-a')).grants.map(describeGrant)).toEqual([
      'ClusterRole pod-reader via ClusterRoleBinding ops-pods',
      'ClusterRole pod-reader via RoleBinding team-a/alice-pods',
    ]);
  });

  test('applicable bindings with a missing role are reported, in scope only', () => {
    const dave = identityOfUser('dave');
    expect(authorizer.authorize(dave, get('pods', 'team-a')).missingRoles.map(describeMissingRole)).toEqual([
      'ClusterRoleBinding dave-admin references ClusterRole cluster-admin, which is not in the manifests, so it grants nothing',
      'RoleBinding team-a/dave-ghost references Role team-a/ghost, which is not in the manifests, so it grants nothing',
    ]);
    expect(authorizer.authorize(dave, get('pods')).missingRoles).toHaveLength(1);
    expect(authorizer.authorize(identityOfUser('erin'), get('pods', 'team-a')).missingRoles).toEqual([]);
  });

  test('a group member identity is matched by Group subjects only', () => {
    expect(authorizer.authorize(identityOfGroupMember('ops'), get('pods')).grants).toHaveLength(1);
  });
});

describe('RbacAuthorizer.boundSubjects', () => {
  test('lists every bound subject once, ServiceAccounts with their effective namespace', () => {
    expect(authorizer.boundSubjects()).toEqual([
      { kind: 'Group', name: 'ops' },
      { kind: 'User', name: 'carol' },
      { kind: 'User', name: 'dave' },
      { kind: 'User', name: 'alice' },
      { kind: 'ServiceAccount', name: 'bot', namespace: 'team-a' },
    ]);
  });
});

describe('grant descriptions', () => {
  test('scope is cluster-wide for ClusterRoleBindings and the namespace for RoleBindings', () => {
    const [clusterGrant, namespaceGrant] = authorizer.authorize(identityOfUser('alice', ['ops']), get('pods', 'team-a')).grants;
    expect(describeGrantScope(clusterGrant)).toBe('cluster-wide');
    expect(describeGrantScope(namespaceGrant)).toBe('in namespace team-a');
  });
});
