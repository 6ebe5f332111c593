/**
 * RbacModel.subjects() and RbacModel.checkSubject(): the subjects the manifests name, and
 * decisions for a subject (a Group as "any member") with structured grants.
 */
import { RbacModel } from '../../../src/analysis';

const RBAC = 'rbac.authorization.k8s.io/v1';
const GROUP = 'rbac.authorization.k8s.io';

const OBJECTS = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ci' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer', namespace: 'ci' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'idle', namespace: 'ci' } },
  {
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: { name: 'token-minter' },
    rules: [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }],
  },
  {
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: { name: 'aggregate', labels: {} },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'agg/pods': 'true' } }] },
  },
  {
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: { name: 'pod-writer', labels: { 'agg/pods': 'true' } },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }],
  },
  {
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: { name: 'mint', namespace: 'ci' },
    subjects: [{ kind: 'ServiceAccount', name: 'deployer' }, { kind: 'User', name: 'alice', apiGroup: GROUP }],
    roleRef: { kind: 'ClusterRole', name: 'token-minter', apiGroup: GROUP },
  },
  {
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'everyone-deploys' },
    subjects: [{ kind: 'Group', name: 'system:serviceaccounts:ci', apiGroup: GROUP }],
    roleRef: { kind: 'ClusterRole', name: 'aggregate', apiGroup: GROUP },
  },
];

const model = RbacModel.fromManifests(OBJECTS);

describe('RbacModel.subjects()', () => {
  test('bound subjects (namespace-less service accounts of a RoleBinding in its namespace) and declared service accounts, sorted', () => {
    expect(model.subjects()).toEqual([
      { kind: 'Group', name: 'system:serviceaccounts:ci' },
      { kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' },
      { kind: 'ServiceAccount', name: 'idle', namespace: 'ci' },
      { kind: 'User', name: 'alice' },
    ]);
  });
});

describe('RbacModel.checkSubject()', () => {
  test('a subresource, with the granting role and binding as structures', () => {
    const verdict = model.checkSubject({
      subject: { kind: 'ServiceAccount', namespace: 'ci', name: 'deployer' },
      verb: 'create',
      apiGroup: '',
      resource: 'serviceaccounts',
      subresource: 'token',
      namespace: 'ci',
    });
    expect(verdict.allowed).toBe(true);
    expect(verdict.grants).toEqual(['ClusterRole token-minter via RoleBinding ci/mint']);
    expect(verdict.grantedBy).toEqual([{ roleKind: 'ClusterRole', roleName: 'token-minter', bindingKind: 'RoleBinding', bindingName: 'mint', bindingNamespace: 'ci' }]);
    // The RoleBinding grants nothing outside its namespace.
    expect(model.checkSubject({ subject: { kind: 'User', name: 'alice' }, verb: 'create', apiGroup: '', resource: 'serviceaccounts', subresource: 'token', namespace: 'default' }).allowed).toBe(false);
  });

  test('a Group is any member of it; an aggregated ClusterRole names the role whose rule granted', () => {
    const verdict = model.checkSubject({ subject: { kind: 'Group', name: 'system:serviceaccounts:ci' }, verb: 'create', apiGroup: '', resource: 'pods', namespace: 'ci' });
    expect(verdict.grantedBy).toEqual([{ roleKind: 'ClusterRole', roleName: 'aggregate', bindingKind: 'ClusterRoleBinding', bindingName: 'everyone-deploys', aggregatedFrom: 'pod-writer' }]);
    // The same as whoCan: the group and each of its service accounts.
    expect(model.whoCan('create', '', 'pods', 'ci').map((s) => `${s.kind}:${s.name}`)).toEqual([
      'Group:system:masters', 'Group:system:serviceaccounts:ci', 'ServiceAccount:deployer', 'ServiceAccount:idle',
    ]);
  });

  test('a denied request has no grants', () => {
    const verdict = model.checkSubject({ subject: { kind: 'User', name: 'bob' }, verb: 'delete', apiGroup: '', resource: 'pods', namespace: 'ci' });
    expect(verdict).toMatchObject({ allowed: false, grants: [], grantedBy: [] });
    expect(verdict.reason).toMatch(/^denied: /);
  });

  test.each([
    [undefined, 'RbacModel.checkSubject: expected a SubjectAccessRequest object, got nothing'],
    [{ subject: 'alice', verb: 'get', apiGroup: '', resource: 'pods' }, 'RbacModel.checkSubject: subject must be { kind, name, namespace? }, got "alice"'],
    [{ subject: { kind: 'Robot', name: 'r2' }, verb: 'get', apiGroup: '', resource: 'pods' }, 'RbacModel.checkSubject: subject.kind must be User, Group or ServiceAccount, got "Robot"'],
    [{ subject: { kind: 'ServiceAccount', name: 'x' }, verb: 'get', apiGroup: '', resource: 'pods' }, 'RbacModel.checkSubject: subject.namespace must be a non-empty string (the namespace of the service account), got nothing'],
    [{ subject: { kind: 'User', name: 'a' }, verb: 'get', apiGroup: '', resource: 'pods/log' }, 'pass the subresource separately'],
    [{ subject: { kind: 'User', name: 'a' }, verb: 'get', apiGroup: '', resource: 'pods', subresource: 'a/b' }, 'RbacModel.checkSubject: subresource "a/b" must not contain "/"'],
  ])('refuses a malformed request %#', (request, message) => {
    expect(() => model.checkSubject(request as any)).toThrow(message);
  });
});
