import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { findObject, grants, simpleRules, wildcardProblems } from './rbac-manifests';
import { Tier } from '../../src/policy/tier';
import { AccessLevel } from '../../src/rbac/access';
import { CalicoApiGroups } from '../../src/rbac/api-groups';
import { CalicoResource } from '../../src/rbac/calico-resources';
import { NetworkPolicyAdminRole } from '../../src/rbac/network-policy-admin-role';
import { rbacModelOf } from '../../src/testing';

const MANAGE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const READ = ['get', 'list', 'watch'];
// Every Calico resource but tiers, which get their own rules.
const CALICO = [
  'networkpolicies', 'globalnetworkpolicies', 'networksets', 'globalnetworksets',
  'stagednetworkpolicies', 'stagedglobalnetworkpolicies', 'stagedkubernetesnetworkpolicies',
];

describe('NetworkPolicyAdminRole', () => {
  test('snapshot', () => {
    const chart = Testing.chart();
    new NetworkPolicyAdminRole(chart, 'admin', { name: 'security-network-policy-admin' });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('default: Kubernetes NetworkPolicies and every Calico resource in projectcalico.org only, tiers read only, explicit verbs', () => {
    const chart = Testing.chart();
    const role = new NetworkPolicyAdminRole(chart, 'admin', { name: 'admin' });
    expect(role.calicoApiGroupNames).toEqual(['projectcalico.org']);
    expect(role.writableTierNames).toEqual([]);
    const manifests = Testing.synth(chart);
    expect(simpleRules(findObject(manifests, 'ClusterRole', 'admin'))).toEqual(grants([
      { apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verbs: MANAGE },
      ...CALICO.map((resource) => ({ apiGroup: 'projectcalico.org', resource, verbs: MANAGE })),
      { apiGroup: 'projectcalico.org', resource: 'tiers', verbs: READ },
    ]));
    expect(JSON.stringify(manifests)).not.toContain('crd.projectcalico.org');
    expect(wildcardProblems(manifests)).toEqual([]);
  });

  test('both groups on request: the same rules in crd.projectcalico.org, plus clusterinformations for calicoctl', () => {
    const chart = Testing.chart();
    const role = new NetworkPolicyAdminRole(chart, 'admin', { name: 'admin', calicoApiGroups: CalicoApiGroups.BOTH });
    expect(role.calicoApiGroupNames).toEqual(['projectcalico.org', 'crd.projectcalico.org']);
    expect(simpleRules(findObject(Testing.synth(chart), 'ClusterRole', 'admin'))).toEqual(grants([
      { apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verbs: MANAGE },
      ...CALICO.map((resource) => ({ apiGroup: 'projectcalico.org', resource, verbs: MANAGE })),
      ...CALICO.map((resource) => ({ apiGroup: 'crd.projectcalico.org', resource, verbs: MANAGE })),
      { apiGroup: 'projectcalico.org', resource: 'tiers', verbs: READ },
      { apiGroup: 'crd.projectcalico.org', resource: 'tiers', verbs: READ },
      { apiGroup: 'crd.projectcalico.org', resource: 'clusterinformations', verbs: ['get', 'list'] },
    ]));
  });

  test('writableTiers: update, patch and delete of those tiers only, by name, in every covered group; create only with canCreateTiers', () => {
    const chart = Testing.chart();
    const role = new NetworkPolicyAdminRole(chart, 'admin', {
      name: 'admin',
      calicoApiGroups: CalicoApiGroups.BOTH,
      writableTiers: [Tier.fromName('security'), Tier.fromName('security'), Tier.fromName('platform')],
      canCreateTiers: true,
    });
    expect(role.writableTierNames).toEqual(['security', 'platform']);
    const rules = simpleRules(findObject(Testing.synth(chart), 'ClusterRole', 'admin')).filter((r) => r.resource === 'tiers');
    expect(rules).toEqual(grants([
      { apiGroup: 'projectcalico.org', resource: 'tiers', verbs: [...READ, 'create'] },
      { apiGroup: 'crd.projectcalico.org', resource: 'tiers', verbs: [...READ, 'create'] },
      ...['projectcalico.org', 'crd.projectcalico.org'].flatMap((apiGroup) => ['security', 'platform'].map((tier) => ({
        apiGroup, resource: 'tiers', resourceNames: [tier], verbs: ['update', 'patch', 'delete'],
      }))),
    ]));
  });

  test('tier objects: holders read every tier, write only their own, and create none by default', () => {
    const chart = Testing.chart();
    new NetworkPolicyAdminRole(chart, 'admin', { name: 'admin', writableTiers: [Tier.fromName('security')] })
      .bind(kplus.User.fromName(chart, 'alice', 'alice'));
    const model = rbacModelOf(chart);
    for (const verb of ['update', 'patch', 'delete']) {
      expect(model).toPermit({ user: 'alice', verb, apiGroup: 'projectcalico.org', resource: 'tiers', name: 'security' });
      expect(model).toForbid({ user: 'alice', verb, apiGroup: 'projectcalico.org', resource: 'tiers', name: 'platform' });
      expect(model).toForbid({ user: 'alice', verb, apiGroup: 'projectcalico.org', resource: 'tiers', name: 'default' });
    }
    expect(model).toForbid({ user: 'alice', verb: 'create', apiGroup: 'projectcalico.org', resource: 'tiers', name: 'security' });
    for (const verb of ['get', 'list', 'watch']) {
      expect(model).toPermit({ user: 'alice', verb, apiGroup: 'projectcalico.org', resource: 'tiers', name: 'platform' });
    }
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
    expect(simpleRules(findObject(Testing.synth(chart), 'ClusterRole', 'admin'))).toEqual(grants([
      { apiGroup: 'crd.projectcalico.org', resource: 'globalnetworkpolicies', verbs: ['get', 'list', 'watch'] },
      { apiGroup: 'crd.projectcalico.org', resource: 'networkpolicies', verbs: ['get', 'list', 'watch'] },
      { apiGroup: 'crd.projectcalico.org', resource: 'clusterinformations', verbs: ['get', 'list'] },
    ]));
  });

  test('bound subjects may manage Kubernetes policies anywhere but still need tier grants for Calico policies', () => {
    const chart = Testing.chart();
    new NetworkPolicyAdminRole(chart, 'admin', { name: 'admin' }).bind(kplus.User.fromName(chart, 'alice', 'alice'));
    new NetworkPolicyAdminRole(chart, 'crd', { name: 'crd', calicoApiGroups: CalicoApiGroups.BOTH }).bind(kplus.User.fromName(chart, 'carol', 'carol'));
    const model = rbacModelOf(chart);
    expect(model).toPermit({ user: 'alice', verb: 'patch', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'any' });
    expect(model).toForbid({ user: 'alice', verb: 'create', apiGroup: 'crd.projectcalico.org', resource: 'globalnetworkpolicies' });
    expect(model).toForbid({ user: 'alice', verb: 'create', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier: 'security' });
    // The CRD group has no tier authorization: the opt-in writes policies of any tier.
    expect(model).toPermit({ user: 'carol', verb: 'create', apiGroup: 'crd.projectcalico.org', resource: 'globalnetworkpolicies' });
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
    expect(() => new NetworkPolicyAdminRole(chart, 'd', { calicoResources: [CalicoResource.TIERS, 'pods' as CalicoResource] })).toThrow(
      /^NetworkPolicyAdminRole "test\/d": RbacGrant.calicoResources\(\): resources: "pods" is not a CalicoResource/,
    );
    expect(() => new NetworkPolicyAdminRole(chart, 'e', { access: AccessLevel.READ, writableTiers: [Tier.fromName('security')] })).toThrow(
      'NetworkPolicyAdminRole "test/e": writableTiers: writes tier objects, so it needs CalicoResource.TIERS among calicoResources and access AccessLevel.MANAGE',
    );
    expect(() => new NetworkPolicyAdminRole(chart, 'f', { calicoResources: [CalicoResource.NETWORK_POLICIES], canCreateTiers: true })).toThrow(
      /^NetworkPolicyAdminRole "test\/f": canCreateTiers: writes tier objects/,
    );
    expect(() => new NetworkPolicyAdminRole(chart, 'g', { writableTiers: [{ tierName: 'Bad' }] })).toThrow(/^NetworkPolicyAdminRole "test\/g": writableTiers\[0\]: "Bad" is not a valid tier name/);
    expect(() => new NetworkPolicyAdminRole(chart, 'i', { canCreateTiers: 'yes' as any })).toThrow('NetworkPolicyAdminRole "test/i": canCreateTiers: "yes" is not true or false');
    expect(() => new NetworkPolicyAdminRole(chart, 'h', { writableTiers: 'security' as any })).toThrow(
      'NetworkPolicyAdminRole "test/h": writableTiers: must be a list of tiers, e.g. [Tier.fromName(\'security\')]',
    );
  });
});
