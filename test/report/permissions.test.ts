/**
 * A subject's effective permissions (`RbacModel.permissionsOf`) and the permission diff: the
 * questions come from the rules, the answers from the model's own decision, so every listed
 * permission is one `check()` allows and every unlisted question of the rules one it denies.
 */
import fc from 'fast-check';
import { Permission, PermissionQuery, RbacModel, Subject } from '../../src/analysis';
import { diffPermissions } from '../../src/analysis/diff';
import { broadestPermissions, describePermission, impliesPermission } from '../../src/analysis/rbac/permissions';

const RBAC = 'rbac.authorization.k8s.io';

function clusterRole(name: string, rules: any[], labels?: { [key: string]: string }): any {
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name, ...(labels ? { labels } : {}) }, rules };
}

function role(namespace: string, name: string, rules: any[]): any {
  return { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name, namespace }, rules };
}

function binding(kind: 'ClusterRoleBinding' | 'RoleBinding', name: string, roleKind: string, roleName: string, subjects: any[], namespace?: string): any {
  return {
    apiVersion: `${RBAC}/v1`,
    kind,
    metadata: namespace === undefined ? { name } : { name, namespace },
    subjects,
    roleRef: { apiGroup: RBAC, kind: roleKind, name: roleName },
  };
}

const ALICE: Subject = { kind: 'User', name: 'alice' };
const user = (name: string) => ({ kind: 'User', name, apiGroup: RBAC });

/** The permissions as `verb target` lines. */
function lines(permissions: Permission[]): string[] {
  return permissions.map(describePermission);
}

describe('RbacModel.permissionsOf', () => {
  test('a ClusterRoleBinding grants cluster-wide; a RoleBinding only in its namespace', () => {
    const model = RbacModel.fromManifests([
      clusterRole('pod-reader', [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get'] }]),
      role('be', 'deployer', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'patch'] }]),
      binding('ClusterRoleBinding', 'alice-reads', 'ClusterRole', 'pod-reader', [user('alice')]),
      binding('RoleBinding', 'alice-deploys', 'Role', 'deployer', [user('alice')], 'be'),
    ]);
    expect(lines(model.permissionsOf(ALICE))).toEqual([
      'get pods in every namespace',
      'get pods/log in every namespace',
      'create apps/deployments in namespace be',
      'patch apps/deployments in namespace be',
    ]);
    expect(model.permissionsOf(ALICE)[2].grants).toEqual(['Role deployer via RoleBinding be/alice-deploys']);
    expect(model.permissionsOf({ kind: 'User', name: 'bob' })).toEqual([]);
  });

  test('wildcards are asked as themselves; names only where a rule names them; create carries no name', () => {
    const model = RbacModel.fromManifests([
      clusterRole('all', [
        { apiGroups: ['*'], resources: ['*'], verbs: ['get'] },
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['update', 'create'] },
      ]),
      binding('ClusterRoleBinding', 'all', 'ClusterRole', 'all', [user('alice')]),
    ]);
    const permissions = model.permissionsOf(ALICE);
    expect(lines(permissions.filter((p) => p.tier === undefined))).toEqual([
      "update configmaps 'settings' in every namespace",
      'get */* cluster-wide',
    ]);
    // No rule lets alice create configmaps: a create carries no name, so resourceNames never match it.
    expect(model.check({ user: 'alice', verb: 'create', apiGroup: '', resource: 'configmaps', namespace: 'be' }).allowed).toBe(false);
    // Resource * also authorizes Calico's tier.<resource> and the tiers: every tiered policy, in every tier.
    expect(lines(broadestPermissions(permissions.filter((p) => p.tier !== undefined)))).toEqual([
      'get projectcalico.org/globalnetworkpolicies in every tier',
      'get projectcalico.org/networkpolicies in every tier in every namespace',
      'get projectcalico.org/stagedglobalnetworkpolicies in every tier',
      'get projectcalico.org/stagednetworkpolicies in every tier in every namespace',
    ]);
  });

  test('Calico tiers: the tier.<resource> rules with get on the tier, per tier; rules on the plain resource play no part', () => {
    const model = RbacModel.fromManifests([
      clusterRole('security', [
        { apiGroups: ['projectcalico.org'], resources: ['tiers'], resourceNames: ['security'], verbs: ['get'] },
        { apiGroups: ['projectcalico.org'], resources: ['tier.networkpolicies'], resourceNames: ['security.*'], verbs: ['create'] },
        { apiGroups: ['projectcalico.org'], resources: ['globalnetworkpolicies'], verbs: ['delete'] },
      ]),
      binding('ClusterRoleBinding', 'security', 'ClusterRole', 'security', [{ kind: 'Group', name: 'sec', apiGroup: RBAC }]),
    ]);
    const permissions = model.permissionsOf({ kind: 'Group', name: 'sec' });
    expect(lines(permissions)).toEqual([
      'create projectcalico.org/networkpolicies in tier security in every namespace',
      "get projectcalico.org/tiers 'security'",
    ]);
    expect(permissions[0].grants).toEqual(['ClusterRole security via ClusterRoleBinding security']);
    // A member of the group may do it, as check() says.
    expect(model.check({ user: 'x', groups: ['sec'], verb: 'create', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'be', tier: 'security' }).allowed)
      .toBe(true);
  });

  test('a tier.<resource> rule without names holds in every tier (tier *), also in tiers no rule names', () => {
    const model = RbacModel.fromManifests([
      clusterRole('any-tier', [
        { apiGroups: ['projectcalico.org'], resources: ['tiers'], verbs: ['get'] },
        { apiGroups: ['projectcalico.org'], resources: ['tier.globalnetworkpolicies'], verbs: ['list'] },
      ]),
      binding('ClusterRoleBinding', 'any-tier', 'ClusterRole', 'any-tier', [user('alice')]),
    ]);
    const tiered = model.permissionsOf(ALICE).filter((p) => p.resource === 'globalnetworkpolicies');
    expect(tiered.map((p) => p.tier)).toEqual(['*', 'default', 'kube-admin', 'kube-baseline']);
    expect(broadestPermissions(tiered).map(describePermission)).toEqual(['list projectcalico.org/globalnetworkpolicies in every tier']);
  });

  test('system:masters may do every question the rules raise; service accounts get their groups', () => {
    const objects = [
      clusterRole('sa-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]),
      binding('RoleBinding', 'all-sas', 'ClusterRole', 'sa-reader', [{ kind: 'Group', name: 'system:serviceaccounts:be', apiGroup: RBAC }], 'be'),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci', namespace: 'be' } },
    ];
    const model = RbacModel.fromManifests(objects);
    expect(lines(model.permissionsOf({ kind: 'ServiceAccount', name: 'ci', namespace: 'be' }))).toEqual(['get secrets in namespace be']);
    expect(lines(model.permissionsOf({ kind: 'Group', name: 'system:masters' }))).toEqual(['get secrets in every namespace', 'get secrets in namespace be']);
    expect(model.subjects()).toEqual([{ kind: 'Group', name: 'system:serviceaccounts:be' }, { kind: 'ServiceAccount', name: 'ci', namespace: 'be' }]);
  });

  test('alsoAsk decides further questions, e.g. those of another set of manifests', () => {
    const model = RbacModel.fromManifests([
      clusterRole('everything', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
      binding('ClusterRoleBinding', 'admin', 'ClusterRole', 'everything', [user('alice')]),
    ]);
    const extra: PermissionQuery[] = [{ verb: 'delete', apiGroup: 'apps', resource: 'deployments', namespace: 'be', name: 'api' }];
    expect(lines(model.permissionsOf(ALICE, extra).filter((p) => p.tier === undefined)))
      .toEqual(['* (every verb) */* cluster-wide', "delete apps/deployments 'api' in namespace be"]);
    expect(model.permissionsOf(ALICE).some((p) => p.resource === 'deployments')).toBe(false);
  });

  test('errors name the field', () => {
    const model = RbacModel.fromManifests([]);
    expect(() => model.permissionsOf(undefined as any)).toThrow('RbacModel.permissionsOf: subject must be { kind, name, namespace? }, got nothing');
    expect(() => model.permissionsOf({ kind: 'Robot', name: 'r' })).toThrow('RbacModel.permissionsOf: subject.kind must be User, Group or ServiceAccount, got "Robot"');
    expect(() => model.permissionsOf({ kind: 'ServiceAccount', name: 'ci' })).toThrow(
      'RbacModel.permissionsOf: subject.namespace must be a non-empty string (the namespace of the service account), got nothing');
    expect(() => model.permissionsOf(ALICE, 'x' as any)).toThrow('RbacModel.permissionsOf: alsoAsk must be an array of questions');
    expect(() => model.permissionsOf(ALICE, [{ verb: 'get', apiGroup: '', resource: 'pods/log' }])).toThrow(
      'RbacModel.permissionsOf: alsoAsk[0]: resource "pods/log" contains "/"');
  });

  test('implication: wider verb, group, resource, namespace, name or tier', () => {
    const q: PermissionQuery = { verb: 'get', apiGroup: 'apps', resource: 'deployments', namespace: 'be', name: 'api' };
    expect(impliesPermission({ ...q, verb: '*' }, q)).toBe(true);
    expect(impliesPermission({ verb: 'get', apiGroup: '*', resource: '*' }, { ...q, subresource: 'scale' })).toBe(true);
    expect(impliesPermission({ verb: 'get', apiGroup: 'apps', resource: 'deployments' }, { ...q, subresource: 'scale' })).toBe(false);
    expect(impliesPermission({ verb: 'get', apiGroup: 'apps', resource: 'deployments' }, q)).toBe(true);
    expect(impliesPermission(q, { verb: 'get', apiGroup: 'apps', resource: 'deployments' })).toBe(false);
    expect(impliesPermission({ verb: 'list', apiGroup: 'projectcalico.org', resource: 'networkpolicies', tier: '*' },
      { verb: 'list', apiGroup: 'projectcalico.org', resource: 'networkpolicies', tier: 'security' })).toBe(true);
  });
});

describe('agreement with check()', () => {
  const verbs = ['get', 'list', 'create', 'patch', '*'];
  const resources: [string, string][] = [['', 'pods'], ['', 'secrets'], ['apps', 'deployments'], ['*', '*'], ['projectcalico.org', 'tier.networkpolicies'], ['projectcalico.org', 'tiers']];
  const names = ['a', 'security', 'security.*', 'default.*'];
  const namespaces = ['be', 'fe'];
  const ruleArb = fc.record({
    verbs: fc.subarray(verbs, { minLength: 1 }),
    resource: fc.constantFrom(...resources),
    resourceNames: fc.subarray(names, { maxLength: 2 }),
  }).map((r) => ({ apiGroups: [r.resource[0]], resources: [r.resource[1]], verbs: r.verbs, resourceNames: r.resourceNames }));
  // Bindings name alice, a group every user is in, or someone else.
  const subjectArb = fc.constantFrom(user('alice'), { kind: 'Group', name: 'system:authenticated', apiGroup: RBAC }, user('bob'));
  const worldArb = fc.record({
    clusterRules: fc.array(ruleArb, { maxLength: 3 }),
    clusterSubject: subjectArb,
    namespaceRules: fc.array(fc.tuple(fc.constantFrom(...namespaces), ruleArb, subjectArb, fc.boolean()), { maxLength: 3 }),
  });

  test('every permission listed is allowed by check(); every question check() allows is implied by one listed', () => {
    fc.assert(fc.property(worldArb, (world) => {
      const objects = [
        clusterRole('c', world.clusterRules),
        binding('ClusterRoleBinding', 'c', 'ClusterRole', 'c', [world.clusterSubject]),
        ...world.namespaceRules.flatMap(([ns, rule, subject, toClusterRole], i) => (toClusterRole
          // A RoleBinding may grant a ClusterRole's rules in its namespace.
          ? [clusterRole(`cr${i}`, [rule]), binding('RoleBinding', `r${i}`, 'ClusterRole', `cr${i}`, [subject], ns)]
          : [role(ns, `r${i}`, [rule]), binding('RoleBinding', `r${i}`, 'Role', `r${i}`, [subject], ns)])),
      ];
      const model = RbacModel.fromManifests(objects);
      const own = model.permissionsOf(ALICE);
      const allowed = new Set(own.map((p) => JSON.stringify({ ...p, grants: undefined })));
      // Every question the rules could raise, in every namespace and tier the world knows.
      const questions: PermissionQuery[] = [];
      for (const verb of verbs) {
        for (const [apiGroup, resource] of [['', 'pods'], ['', 'secrets'], ['apps', 'deployments'], ['*', '*'], ['projectcalico.org', 'tiers']]) {
          for (const namespace of [undefined, ...namespaces]) {
            if (resource === 'tiers' && namespace !== undefined) continue;
            for (const name of [undefined, 'a', 'security']) {
              if (verb === 'create' && name !== undefined) continue;
              questions.push({ verb, apiGroup, resource, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) });
            }
          }
        }
        for (const namespace of [undefined, ...namespaces]) {
          for (const tier of ['security', 'default', 'other']) {
            questions.push({ verb, apiGroup: 'projectcalico.org', resource: 'networkpolicies', ...(namespace ? { namespace } : {}), tier });
          }
        }
      }
      const answered = model.permissionsOf(ALICE, questions);
      const answeredKeys = new Set(answered.map((p) => JSON.stringify({ ...p, grants: undefined })));
      for (const q of questions) {
        const verdict = model.check({ user: 'alice', ...q });
        expect({ q, allowed: answeredKeys.has(JSON.stringify({ ...q, grants: undefined })) }).toEqual({ q, allowed: verdict.allowed });
        // The model's own questions are complete: whatever check() allows, a listed permission implies.
        if (verdict.allowed) expect({ q, implied: own.some((p) => impliesPermission(p, q)) }).toEqual({ q, implied: true });
      }
      for (const key of allowed) expect(answeredKeys.has(key)).toBe(true);
    }), { numRuns: 40 });
  });
});

describe('diffPermissions', () => {
  test('gains and losses per subject, broader ones hiding the narrower ones they imply', () => {
    const before = RbacModel.fromManifests([
      clusterRole('reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
      binding('ClusterRoleBinding', 'reader', 'ClusterRole', 'reader', [user('alice'), user('bob')]),
    ]);
    const after = RbacModel.fromManifests([
      clusterRole('reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }]),
      binding('ClusterRoleBinding', 'reader', 'ClusterRole', 'reader', [user('alice')]),
      role('be', 'secrets', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]),
      binding('RoleBinding', 'secrets', 'Role', 'secrets', [user('alice')], 'be'),
    ]);
    const changes = diffPermissions(before, after).map((c) => `${c.change} ${c.subject.kind}:${c.subject.name} ${describePermission(c.permission)}`);
    expect(changes).toEqual([
      'gained User:alice * (every verb) pods in every namespace',
      'gained User:alice get secrets in namespace be',
      'lost User:bob get pods in every namespace',
    ]);
    expect(diffPermissions(before, before)).toEqual([]);
  });
});
