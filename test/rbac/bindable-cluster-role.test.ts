import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { findObject, subjectsOf } from './rbac-manifests';
import { ApiResourceRef } from '../../src/rbac/api-resource-ref';
import { BindableClusterRole } from '../../src/rbac/bindable-cluster-role';
import { RbacGrant } from '../../src/rbac/rbac-grant';

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

  test('errors name the construct', () => {
    const chart = Testing.chart();
    expect(() => new PodReader(chart, 'bad', 'Pod_Reader')).toThrow(/^PodReader "test\/bad": name: "Pod_Reader" is not a valid RBAC object name/);
    const role = new PodReader(chart, 'reader', 'pod-reader');
    expect(() => role.bind()).toThrow('PodReader "test/reader": bind(): give at least one subject');
    expect(() => role.addGrant({ verbs: ['get'] } as any)).toThrow(/PodReader "test\/reader": grant: .* is not an RbacGrant/);
  });
});
