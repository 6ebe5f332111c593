import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { findObject, subjectsOf } from './rbac-manifests';
import { ApiResourceRef } from '../../src/rbac/api-resource-ref';
import { BindableClusterRole } from '../../src/rbac/bindable-cluster-role';
import { RbacGrant } from '../../src/rbac/rbac-grant';
import { rbacModelOf } from '../../src/testing';

class PodReader extends BindableClusterRole {
  constructor(scope: Construct, id: string, name?: string) {
    super(scope, id, 'PodReader', name);
    this.addGrant(RbacGrant.of(['get'], ApiResourceRef.of('', 'pods')));
  }
}

describe('BindableClusterRole', () => {
  test('names the ClusterRole and keeps it cluster-scoped in a namespaced chart', () => {
    const chart = new Chart(Testing.app(), 'chart', { namespace: 'team' });
    const role = new PodReader(chart, 'reader', 'pod-reader');
    role.bind(kplus.User.fromName(chart, 'alice', 'alice'));
    const manifests = Testing.synth(chart);
    expect(role.name).toBe('pod-reader');
    expect(findObject(manifests, 'ClusterRole', 'pod-reader').metadata).toEqual({ name: 'pod-reader' });
    expect(findObject(manifests, 'ClusterRoleBinding', 'pod-reader').metadata).toEqual({ name: 'pod-reader' });
  });

  test('the construct is the ClusterRole object; instanceof follows the classes', () => {
    const chart = Testing.chart();
    const role = new PodReader(chart, 'reader', 'pod-reader');
    const binding = role.bind(kplus.User.fromName(chart, 'alice', 'alice'));
    expect([role.clusterRole, ApiObject.of(role), role.kind, role.clusterRoleBinding]).toEqual([role, role, 'ClusterRole', binding]);
    expect([role instanceof PodReader, role instanceof BindableClusterRole, binding instanceof BindableClusterRole]).toEqual([true, true, false]);
  });

  test('generates a deterministic name from the construct path', () => {
    const chart = Testing.chart();
    const role = new PodReader(chart, 'reader');
    expect(role.name).toMatch(/^test-reader-[0-9a-f]{8}$/);
    expect(new PodReader(Testing.chart(), 'reader').name).toBe(role.name);
  });

  test('bind() creates one binding, adds new subjects and skips repeated ones', () => {
    const chart = Testing.chart();
    const role = new PodReader(chart, 'reader', 'pod-reader');
    expect(role.clusterRoleBinding).toBeUndefined();
    const group = kplus.Group.fromName(chart, 'g', 'system:serviceaccounts:security');
    const first = role.bind(group, kplus.User.fromName(chart, 'alice', 'alice'));
    const second = role.bind(kplus.Group.fromName(chart, 'g2', 'system:serviceaccounts:security'), kplus.User.fromName(chart, 'bob', 'bob'));
    expect(second).toBe(first);
    expect(role.clusterRoleBinding).toBe(first);
    const binding = findObject(Testing.synth(chart), 'ClusterRoleBinding', 'pod-reader');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'pod-reader' });
    expect(subjectsOf(binding)).toEqual(['Group:system:serviceaccounts:security', 'User:alice', 'User:bob']);
  });

  test('addGrant() adds rules after construction', () => {
    const chart = Testing.chart();
    const role = new PodReader(chart, 'reader', 'pod-reader');
    role.addGrant(RbacGrant.of(['list'], ApiResourceRef.of('', 'services')));
    expect(findObject(Testing.synth(chart), 'ClusterRole', 'pod-reader').rules.map((r: any) => r.resources[0])).toEqual(['pods', 'services']);
  });

  test('rules are written compact, the same grants; the escape hatch adds rules as written', () => {
    const chart = Testing.chart();
    const role = new PodReader(chart, 'reader', 'pod-reader');
    role.addGrant(RbacGrant.of(['get'], ApiResourceRef.of('', 'services'), ApiResourceRef.of('', 'pods', 'web')));
    role.addGrant(RbacGrant.of(['list'], ApiResourceRef.of('', 'pods')));
    role.clusterRole.addJsonPatch(JsonPatch.add('/rules/-', { nonResourceURLs: ['/healthz'], verbs: ['get'] }));
    expect(findObject(Testing.synth(chart), 'ClusterRole', 'pod-reader').rules).toEqual([
      // pods "web" is left out: the rule for every pod grants get on it already.
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['services'], verbs: ['get'] },
      { nonResourceURLs: ['/healthz'], verbs: ['get'] },
    ]);
    role.bind(kplus.User.fromName(chart, 'alice', 'alice'));
    const model = rbacModelOf(chart);
    expect(model).toPermit({ user: 'alice', verb: 'list', apiGroup: '', resource: 'pods', namespace: 'any' });
    expect(model).toPermit({ user: 'alice', verb: 'get', apiGroup: '', resource: 'pods', namespace: 'any', name: 'web' });
    expect(model).toForbid({ user: 'alice', verb: 'list', apiGroup: '', resource: 'services', namespace: 'any' });
  });

  test('service account subjects without the default empty apiGroup; users and groups keep theirs', () => {
    const chart = Testing.chart();
    const account = kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'member', { namespaceName: 'team-members' });
    new PodReader(chart, 'reader', 'pod-reader').bind(account, kplus.User.fromName(chart, 'alice', 'alice'), kplus.Group.fromName(chart, 'g', 'ops'));
    expect(findObject(Testing.synth(chart), 'ClusterRoleBinding', 'pod-reader').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'member', namespace: 'team-members' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'ops' },
    ]);
    expect(rbacModelOf(chart)).toPermit({ user: 'system:serviceaccount:team-members:member', verb: 'get', apiGroup: '', resource: 'pods', namespace: 'any' });
  });

  test('errors name the construct', () => {
    const chart = Testing.chart();
    expect(() => new PodReader(chart, 'bad', 'Pod_Reader')).toThrow(/^PodReader "test\/bad": name: "Pod_Reader" is not a valid RBAC object name/);
    const role = new PodReader(chart, 'reader', 'pod-reader');
    expect(() => role.bind()).toThrow('PodReader "test/reader": bind(): give at least one subject');
    expect(() => role.addGrant({ verbs: ['get'] } as any)).toThrow(/PodReader "test\/reader": grant: .* is not an RbacGrant/);
  });
});
