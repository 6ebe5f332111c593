import { parseRbacObjects } from '../../../src/analysis/rbac';

const RBAC = 'rbac.authorization.k8s.io/v1';

function role(overrides: any = {}): any {
  return {
    apiVersion: RBAC,
    kind: 'Role',
    metadata: { name: 'r', namespace: 'ns' },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    ...overrides,
  };
}

function binding(overrides: any = {}): any {
  return {
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: { name: 'b', namespace: 'ns' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }],
    ...overrides,
  };
}

function clusterBinding(overrides: any = {}): any {
  return {
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'cb' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cr' },
    subjects: [{ kind: 'Group', name: 'devs' }],
    ...overrides,
  };
}

describe('parseRbacObjects', () => {
  test('reads every supported kind and normalises rules', () => {
    const parsed = parseRbacObjects([
      role(),
      { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'cr', labels: { a: 'b' } }, rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] },
      binding(),
      clusterBinding(),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'ns' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } },
    ]);
    expect(parsed.roles).toEqual([{
      kind: 'Role',
      name: 'r',
      namespace: 'ns',
      labels: {},
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: [], nonResourceURLs: [] }],
      aggregationSelectors: undefined,
    }]);
    expect(parsed.clusterRoles[0]).toMatchObject({ kind: 'ClusterRole', name: 'cr', namespace: undefined, labels: { a: 'b' } });
    expect(parsed.clusterRoles[0].rules[0].nonResourceURLs).toEqual(['/healthz']);
    expect(parsed.roleBindings).toEqual([{
      kind: 'RoleBinding',
      name: 'b',
      namespace: 'ns',
      roleRef: { kind: 'Role', name: 'r' },
      subjects: [{ kind: 'User', name: 'alice' }],
    }]);
    expect(parsed.clusterRoleBindings[0]).toMatchObject({ name: 'cb', namespace: undefined, subjects: [{ kind: 'Group', name: 'devs' }] });
    expect(parsed.serviceAccounts).toEqual([{ name: 'sa', namespace: 'ns' }]);
    expect(parsed.namespaces).toEqual(['ns']);
  });

  test('ignores unknown kinds, the same kind names in other API groups, and objects without kind', () => {
    const parsed = parseRbacObjects([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
      { apiVersion: 'example.com/v1', kind: 'Role', metadata: {} },
      { apiVersion: 'projectcalico.org/v3', kind: 'ServiceAccount' },
      { apiVersion: 'v1', metadata: { name: 'x' } },
    ]);
    expect(parsed.roles).toEqual([]);
    expect(parsed.serviceAccounts).toEqual([]);
  });

  test('ignores the namespace cdk8s stamps on cluster-scoped objects', () => {
    const parsed = parseRbacObjects([{ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'cr', namespace: 'chart-ns' } }]);
    expect(parsed.clusterRoles[0].namespace).toBeUndefined();
    expect(parsed.clusterRoles[0].rules).toEqual([]);
  });

  test('reads the items of a v1 List', () => {
    const parsed = parseRbacObjects([{ apiVersion: 'v1', kind: 'List', items: [role(), binding()] }]);
    expect(parsed.roles.map((r) => r.name)).toEqual(['r']);
    expect(parsed.roleBindings.map((b) => b.name)).toEqual(['b']);
  });

  test('reads typed lists, whose items may omit apiVersion and kind, and skips null entries', () => {
    const parsed = parseRbacObjects([
      null,
      { apiVersion: 'v1', kind: 'ServiceAccountList', items: [{ metadata: { name: 'sa', namespace: 'ns' } }, null] },
      { apiVersion: 'v1', kind: 'NamespaceList', items: [{ metadata: { name: 'ns' } }] },
      { apiVersion: RBAC, kind: 'RoleList', items: [{ metadata: { name: 'r', namespace: 'ns' } }] },
    ]);
    expect(parsed.serviceAccounts).toEqual([{ name: 'sa', namespace: 'ns' }]);
    expect(parsed.namespaces).toEqual(['ns']);
    expect(parsed.roles.map((r) => `${r.namespace}/${r.name}`)).toEqual(['ns/r']);
  });

  test('a ServiceAccount subject of a RoleBinding may omit its namespace', () => {
    const parsed = parseRbacObjects([binding({ subjects: [{ kind: 'ServiceAccount', name: 'sa' }] })]);
    expect(parsed.roleBindings[0].subjects).toEqual([{ kind: 'ServiceAccount', name: 'sa', namespace: undefined }]);
  });

  test('reads aggregation selectors', () => {
    const parsed = parseRbacObjects([{
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'agg' },
      aggregationRule: {
        clusterRoleSelectors: [
          { matchLabels: { team: 'sec' } },
          { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'Exists' }] },
        ],
      },
    }]);
    expect(parsed.clusterRoles[0].aggregationSelectors).toEqual([
      { matchLabels: { team: 'sec' }, matchExpressions: [] },
      {
        matchLabels: {},
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'Exists', values: [] }],
      },
    ]);
  });

  test('rejects a non-array input', () => {
    expect(() => parseRbacObjects({} as any)).toThrow('RbacModel.fromManifests: expected an array of Kubernetes objects, got an object');
  });

  test.each([
    ['a non-object entry', [null, 'Role'], 'objects[1]: expected a Kubernetes object, got "Role"'],
    ['a List with malformed items', [{ apiVersion: 'v1', kind: 'List', items: 'x' }], 'objects[0] (List): items must be an array of Kubernetes objects, got "x"'],
    ['a bad List item', [{ apiVersion: 'v1', kind: 'List', items: [role({ metadata: { name: 'r' } })] }],
      'Role r (objects[0].items[0]): metadata.namespace is missing'],
    ['an RBAC kind without apiVersion', [{ kind: 'Role', metadata: { name: 'r', namespace: 'ns' } }],
      'Role (objects[0]): apiVersion is missing; expected "rbac.authorization.k8s.io/v1"'],
    ['a core kind without apiVersion', [{ kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'ns' } }],
      'ServiceAccount (objects[0]): apiVersion is missing; expected "v1"'],
    ['a removed RBAC version', [role({ apiVersion: 'rbac.authorization.k8s.io/v1beta1' })],
      'apiVersion "rbac.authorization.k8s.io/v1beta1" is not served by current Kubernetes; use "rbac.authorization.k8s.io/v1"'],
    ['missing metadata', [role({ metadata: undefined })], 'Role (objects[0]): metadata is missing'],
    ['a Role without namespace', [role({ metadata: { name: 'r' } })],
      'Role r (objects[0]): metadata.namespace is missing; a Role is namespaced and needs a namespace'],
    ['a ServiceAccount without namespace', [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' } }],
      'ServiceAccount sa (objects[0]): metadata.namespace is missing'],
    ['a RoleBinding without name', [binding({ metadata: { namespace: 'ns' } })],
      'RoleBinding (objects[0] in namespace ns): metadata.name is missing'],
    ['a ClusterRole without name', [{ apiVersion: RBAC, kind: 'ClusterRole', metadata: {} }],
      'ClusterRole (objects[0]): metadata.name is missing'],
    ['a duplicate object', [role(), role()], 'Role ns/r: declared twice; each Role must have a unique namespace/name'],
    ['a duplicate cluster object', [clusterBinding(), clusterBinding()], 'ClusterRoleBinding cb: declared twice; each ClusterRoleBinding must have a unique name'],
    ['non-string labels', [role({ metadata: { name: 'r', namespace: 'ns', labels: { a: 1 } } })],
      'Role ns/r: metadata.labels["a"] must be a string, got number 1'],
    ['labels that are not a map', [role({ metadata: { name: 'r', namespace: 'ns', labels: ['a'] } })],
      'Role ns/r: metadata.labels must be a map of strings, got an array'],
    ['rules that are not an array', [role({ rules: {} })], 'Role ns/r: rules must be an array of policy rules, got an object'],
    ['a rule that is not an object', [role({ rules: ['get'] })], 'Role ns/r: rules[0] must be an object'],
    ['a rule without verbs', [role({ rules: [{ apiGroups: [''], resources: ['pods'] }] })],
      'Role ns/r: rules[0].verbs is empty; a rule needs at least one verb'],
    ['a rule without apiGroups', [role({ rules: [{ resources: ['pods'], verbs: ['get'] }] })],
      'Role ns/r: rules[0].apiGroups is missing; a resource rule needs at least one API group'],
    ['a rule without resources', [role({ rules: [{ apiGroups: [''], verbs: ['get'] }] })],
      'Role ns/r: rules[0].resources is missing'],
    ['verbs that are not an array', [role({ rules: [{ apiGroups: [''], resources: ['pods'], verbs: 'get' }] })],
      'Role ns/r: rules[0].verbs must be an array of strings, got "get"'],
    ['an empty resource name', [role({ rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: [''] }] })],
      'Role ns/r: rules[0].resourceNames[0] must be a non-empty string, got ""'],
    ['nonResourceURLs in a Role', [role({ rules: [{ nonResourceURLs: ['/x'], verbs: ['get'] }] })],
      'Role ns/r: rules[0].nonResourceURLs is not allowed in a Role'],
    ['nonResourceURLs mixed with resources', [{
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'cr' },
      rules: [{ nonResourceURLs: ['/x'], resources: ['pods'], verbs: ['get'] }],
    }],
    'ClusterRole cr: rules[0] mixes nonResourceURLs with apiGroups/resources/resourceNames'],
    ['aggregationRule on a Role', [role({ aggregationRule: { clusterRoleSelectors: [{}] } })],
      'Role ns/r: aggregationRule is only valid on a ClusterRole'],
    ['an aggregationRule that is not an object', [{ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'cr' }, aggregationRule: 'x' }],
      'ClusterRole cr: aggregationRule must be an object with clusterRoleSelectors'],
    ['an aggregationRule without selectors', [{ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'cr' }, aggregationRule: {} }],
      'ClusterRole cr: aggregationRule.clusterRoleSelectors must be a non-empty array of label selectors, got nothing'],
    ['a selector that is not an object', [aggregated(['x'])],
      'ClusterRole agg: aggregationRule.clusterRoleSelectors[0] must be a label selector object'],
    ['matchLabels that are not a map', [aggregated([{ matchLabels: 'a=b' }])],
      'ClusterRole agg: aggregationRule.clusterRoleSelectors[0].matchLabels must be a map of strings'],
    ['a non-string matchLabels value', [aggregated([{ matchLabels: { a: true } }])],
      'ClusterRole agg: aggregationRule.clusterRoleSelectors[0].matchLabels["a"] must be a string'],
    ['matchExpressions that are not an array', [aggregated([{ matchExpressions: {} }])],
      'aggregationRule.clusterRoleSelectors[0].matchExpressions must be an array'],
    ['an expression that is not an object', [aggregated([{ matchExpressions: [1] }])],
      'aggregationRule.clusterRoleSelectors[0].matchExpressions[0] must be an object with key, operator and values'],
    ['an expression without key', [aggregated([{ matchExpressions: [{ operator: 'Exists' }] }])],
      'aggregationRule.clusterRoleSelectors[0].matchExpressions[0].key must be a non-empty label key'],
    ['an unknown operator', [aggregated([{ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] }])],
      'matchExpressions[0].operator must be one of In, NotIn, Exists, DoesNotExist, got "Equals"'],
    ['In without values', [aggregated([{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }])],
      'matchExpressions[0].values must be non-empty for operator In'],
    ['Exists with values', [aggregated([{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['b'] }] }])],
      'matchExpressions[0].values must be empty for operator Exists'],
    ['a binding without roleRef', [binding({ roleRef: undefined })],
      'RoleBinding ns/b: roleRef is missing; expected { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole" or "Role", name: ... }'],
    ['a ClusterRoleBinding without roleRef', [clusterBinding({ roleRef: undefined })],
      'ClusterRoleBinding cb: roleRef is missing; expected { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: ... }'],
    ['a roleRef with a wrong apiGroup', [binding({ roleRef: { apiGroup: 'rbac', kind: 'Role', name: 'r' } })],
      'RoleBinding ns/b: roleRef.apiGroup must be "rbac.authorization.k8s.io", got "rbac"'],
    ['a roleRef of an unknown kind', [binding({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Policy', name: 'r' } })],
      'RoleBinding ns/b: roleRef.kind must be "Role" or "ClusterRole", got "Policy"'],
    ['a ClusterRoleBinding to a Role', [clusterBinding({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' } })],
      'ClusterRoleBinding cb: roleRef.kind must be "ClusterRole", got "Role"'],
    ['a roleRef without name', [binding({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role' } })],
      'RoleBinding ns/b: roleRef.name must be the non-empty name of a Role, got nothing'],
    ['a RoleBinding referencing a Role in another namespace',
      [binding({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r', namespace: 'other' } })],
      'RoleBinding ns/b: roleRef.namespace "other" is not allowed: a RoleBinding can only reference a Role in its own namespace (ns) or a ClusterRole'],
    ['a ClusterRoleBinding roleRef with namespace',
      [clusterBinding({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cr', namespace: 'ns' } })],
      'ClusterRoleBinding cb: roleRef.namespace "ns" is not allowed: a ClusterRoleBinding references a ClusterRole, which has no namespace'],
    ['subjects that are not an array', [binding({ subjects: 'alice' })], 'RoleBinding ns/b: subjects must be an array of subjects'],
    ['a subject that is not an object', [binding({ subjects: ['alice'] })], 'RoleBinding ns/b: subjects[0] must be an object with kind and name'],
    ['an unknown subject kind', [binding({ subjects: [{ kind: 'Robot', name: 'x' }] })],
      'RoleBinding ns/b: subjects[0].kind must be one of User, Group, ServiceAccount, got "Robot"'],
    ['a subject without name', [binding({ subjects: [{ kind: 'User' }] })],
      'RoleBinding ns/b: subjects[0].name must be a non-empty User name, got nothing'],
    ['a User subject with a wrong apiGroup', [binding({ subjects: [{ kind: 'User', name: 'a', apiGroup: '' }] })],
      'RoleBinding ns/b: subjects[0].apiGroup must be "rbac.authorization.k8s.io" for a User subject, got ""'],
    ['a ServiceAccount subject with an apiGroup', [binding({ subjects: [{ kind: 'ServiceAccount', name: 'sa', apiGroup: 'rbac.authorization.k8s.io' }] })],
      'RoleBinding ns/b: subjects[0].apiGroup must be empty for a ServiceAccount subject'],
    ['a ServiceAccount subject with an empty namespace', [binding({ subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: '' }] })],
      'RoleBinding ns/b: subjects[0].namespace must be a non-empty namespace name, got ""'],
    ['a ServiceAccount subject of a ClusterRoleBinding without namespace', [clusterBinding({ subjects: [{ kind: 'ServiceAccount', name: 'sa' }] })],
      'ClusterRoleBinding cb: subjects[0].namespace is missing; a ServiceAccount subject of a ClusterRoleBinding must name the ServiceAccount\'s namespace'],
  ])('rejects %s', (_title, objects, message) => {
    expect(() => parseRbacObjects(objects as any[])).toThrow(message);
  });
});

function aggregated(selectors: any[]): any {
  return { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: selectors } };
}
