import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { findObject, simpleRules, wildcardProblems } from './rbac-manifests';
import { AccessLevel } from '../../src/rbac/access';
import { CalicoApiGroups } from '../../src/rbac/api-groups';
import { CalicoResource } from '../../src/rbac/calico-resources';
import { NetworkPolicyAdminRole } from '../../src/rbac/network-policy-admin-role';
import { rbacModelOf } from '../../src/testing';

const MANAGE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const CALICO = [
  'networkpolicies', 'globalnetworkpolicies', 'tiers', 'networksets', 'globalnetworksets',
  'stagednetworkpolicies', 'stagedglobalnetworkpolicies', 'stagedkubernetesnetworkpolicies',
];

describe('NetworkPolicyAdminRole', () => {
  test('snapshot', () => {
    const chart = Testing.chart();
    new NetworkPolicyAdminRole(chart, 'admin', { name: 'security-network-policy-admin' });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('default: Kubernetes NetworkPolicies and every Calico resource in both groups, explicit verbs', () => {
    const chart = Testing.chart();
    const role = new NetworkPolicyAdminRole(chart, 'admin', { name: 'admin' });
    expect(role.calicoApiGroupNames).toEqual(['projectcalico.org', 'crd.projectcalico.org']);
    const manifests = Testing.synth(chart);
    expect(simpleRules(findObject(manifests, 'ClusterRole', 'admin'))).toEqual([
      { apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verbs: MANAGE },
      ...CALICO.map((resource) => ({ apiGroup: 'projectcalico.org', resource, verbs: MANAGE })),
      ...CALICO.map((resource) => ({ apiGroup: 'crd.projectcalico.org', resource, verbs: MANAGE })),
      { apiGroup: 'crd.projectcalico.org', resource: 'clusterinformations', verbs: ['get', 'list'] },
    ]);
    expect(wildcardProblems(manifests)).toEqual([]);
  });

  test('projectcalico.org only (kubectl): no CRD group, no clusterinformations', () => {
    const chart = Testing.chart();
    new NetworkPolicyAdminRole(chart, 'admin', { name: 'admin', calicoApiGroups: CalicoApiGroups.PROJECTCALICO_ORG });
    const rules = simpleRules(findObject(Testing.synth(chart), 'ClusterRole', 'admin'));
    expect(rules.map((r) => r.apiGroup)).not.toContain('crd.projectcalico.org');
    expect(rules).toHaveLength(9);
  });

  test('crd.projectcalico.org only (calicoctl), read-only, chosen resources, no Kubernetes policies', () => {
    const chart = Testing.chart();
    new NetworkPolicyAdminRole(chart, 'admin', {
      name: 'admin',
      calicoApiGroups: CalicoApiGroups.CRD_PROJECTCALICO_ORG,
      access: AccessLevel.READ,
      kubernetesNetworkPolicies: false,
      calicoResources: [CalicoResource.GLOBAL_NETWORK_POLICIES, CalicoResource.NETWORK_POLICIES],
    });
    expect(simpleRules(findObject(Testing.synth(chart), 'ClusterRole', 'admin'))).toEqual([
      { apiGroup: 'crd.projectcalico.org', resource: 'globalnetworkpolicies', verbs: ['get', 'list', 'watch'] },
      { apiGroup: 'crd.projectcalico.org', resource: 'networkpolicies', verbs: ['get', 'list', 'watch'] },
      { apiGroup: 'crd.projectcalico.org', resource: 'clusterinformations', verbs: ['get', 'list'] },
    ]);
  });

  test('bound subjects may manage Kubernetes policies anywhere but still need tier grants for Calico policies', () => {
    const chart = Testing.chart();
    new NetworkPolicyAdminRole(chart, 'admin', { name: 'admin' }).bind(kplus.User.fromName(chart, 'alice', 'alice'));
    const model = rbacModelOf(chart);
    expect(model).toPermit({ user: 'alice', verb: 'patch', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'any' });
    expect(model).toPermit({ user: 'alice', verb: 'create', apiGroup: 'crd.projectcalico.org', resource: 'globalnetworkpolicies' });
    expect(model).toForbid({ user: 'alice', verb: 'create', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier: 'security' });
    expect(model).toForbid({ user: 'bob', verb: 'get', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'any' });
  });

  test('errors name the construct and field', () => {
    const chart = Testing.chart();
    expect(() => new NetworkPolicyAdminRole(chart, 'a', { calicoApiGroups: 'all' as CalicoApiGroups })).toThrow(
      /^NetworkPolicyAdminRole "test\/a": calicoApiGroups: "all" is not a Calico API group choice/,
    );
    expect(() => new NetworkPolicyAdminRole(chart, 'b', { calicoResources: [] })).toThrow(
      /^NetworkPolicyAdminRole "test\/b": RbacGrant.calicoResources\(\): resources must list at least one CalicoResource/,
    );
    expect(() => new NetworkPolicyAdminRole(chart, 'c', { access: 'root' as AccessLevel })).toThrow(/access: "root" is not an access level/);
  });
});
