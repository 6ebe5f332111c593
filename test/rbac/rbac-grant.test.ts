import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AccessLevel } from '../../src/rbac/access';
import { CalicoApiGroups } from '../../src/rbac/api-groups';
import { ApiResourceRef } from '../../src/rbac/api-resource-ref';
import { CalicoResource, TieredPolicyResource } from '../../src/rbac/calico-resources';
import { RbacGrant } from '../../src/rbac/rbac-grant';

const MANAGE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

function names(grant: RbacGrant): string[] {
  return grant.resources.map((r) => r.toString());
}

describe('RbacGrant', () => {
  test('kubernetesNetworkPolicies()', () => {
    const grant = RbacGrant.kubernetesNetworkPolicies(AccessLevel.MANAGE);
    expect(grant.verbs).toEqual(MANAGE);
    expect(names(grant)).toEqual(['networking.k8s.io/networkpolicies']);
    expect(RbacGrant.kubernetesNetworkPolicies(AccessLevel.READ).verbs).toEqual(['get', 'list', 'watch']);
  });

  test('calicoResources() covers every resource in every chosen group', () => {
    const grant = RbacGrant.calicoResources(CalicoApiGroups.BOTH, AccessLevel.MANAGE);
    expect(grant.resources).toHaveLength(16);
    expect(names(grant)).toContain('projectcalico.org/stagedkubernetesnetworkpolicies');
    expect(names(grant)).toContain('crd.projectcalico.org/tiers');
    const only = RbacGrant.calicoResources(CalicoApiGroups.CRD_PROJECTCALICO_ORG, AccessLevel.READ, [CalicoResource.GLOBAL_NETWORK_POLICIES]);
    expect(names(only)).toEqual(['crd.projectcalico.org/globalnetworkpolicies']);
    expect(only.verbs).toEqual(['get', 'list', 'watch']);
  });

  test('tierRead() is get on the named tier only', () => {
    const grant = RbacGrant.tierRead('security');
    expect(grant.verbs).toEqual(['get']);
    expect(names(grant)).toEqual(['projectcalico.org/tiers "security"']);
  });

  test('tierPolicies() names <tier>.* on the tier.* pseudo-resources', () => {
    const grant = RbacGrant.tierPolicies('default', AccessLevel.MANAGE, [TieredPolicyResource.NETWORK_POLICIES]);
    expect(names(grant)).toEqual(['projectcalico.org/tier.networkpolicies "default.*"']);
    expect(RbacGrant.tierPolicies('default', AccessLevel.READ).resources).toHaveLength(4);
  });

  test('tierAccess() is both of Calico\'s tier grants', () => {
    const [read, policies] = RbacGrant.tierAccess('security', AccessLevel.MANAGE);
    expect(names(read)).toEqual(['projectcalico.org/tiers "security"']);
    expect(names(policies)).toEqual([
      'projectcalico.org/tier.networkpolicies "security.*"',
      'projectcalico.org/tier.globalnetworkpolicies "security.*"',
      'projectcalico.org/tier.stagednetworkpolicies "security.*"',
      'projectcalico.org/tier.stagedglobalnetworkpolicies "security.*"',
    ]);
    expect(policies.verbs).toEqual(MANAGE);
  });

  test('addTo() works with Roles and ClusterRoles', () => {
    const chart = Testing.chart();
    const role = new kplus.Role(chart, 'r', { metadata: { name: 'r', namespace: 'ns' } });
    const clusterRole = new kplus.ClusterRole(chart, 'c', { metadata: { name: 'c' } });
    RbacGrant.of(['get', 'list'], ApiResourceRef.of('', 'pods'), ApiResourceRef.of('', 'services')).addTo(role);
    RbacGrant.tierRead('default').addTo(clusterRole);
    const [r, c] = Testing.synth(chart);
    expect(r.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['services'], verbs: ['get', 'list'] },
    ]);
    expect(c.rules).toEqual([{ apiGroups: ['projectcalico.org'], resources: ['tiers'], resourceNames: ['default'], verbs: ['get'] }]);
  });

  test('the grant keeps its own copies', () => {
    const verbs = ['get'];
    const grant = RbacGrant.of(verbs, ApiResourceRef.of('', 'pods'));
    verbs.push('delete');
    expect(grant.verbs).toEqual(['get']);
  });

  test.each([
    [['*'], /"\*" is not an allowed verb; spell out the verbs/],
    [['escalate'], /"escalate" is not an allowed verb/],
    [[], /give at least one verb/],
    [['get', 'get'], /the verb "get" is listed twice/],
  ])('refuses verbs %j', (verbs, message) => {
    expect(() => RbacGrant.of(verbs as string[], ApiResourceRef.of('', 'pods'))).toThrow(message);
  });

  test('refuses missing or foreign resources', () => {
    expect(() => RbacGrant.of(['get'])).toThrow('RbacGrant: give at least one resource');
    expect(() => RbacGrant.of(['get'], kplus.ApiResource.PODS as any)).toThrow(/is not an ApiResourceRef; build resources with ApiResourceRef.of\(\)/);
  });

  test('refuses unknown resources and empty lists', () => {
    expect(() => RbacGrant.calicoResources(CalicoApiGroups.BOTH, AccessLevel.READ, [])).toThrow(
      'RbacGrant.calicoResources(): resources must list at least one CalicoResource, or be left out for all of them',
    );
    expect(() => RbacGrant.calicoResources(CalicoApiGroups.BOTH, AccessLevel.READ, ['pods' as CalicoResource])).toThrow(
      /resources: "pods" is not a CalicoResource; use one of networkpolicies/,
    );
    expect(() => RbacGrant.tierPolicies('default', AccessLevel.READ, ['tiers' as TieredPolicyResource])).toThrow(/"tiers" is not a TieredPolicyResource/);
    expect(() => RbacGrant.calicoResources('x' as CalicoApiGroups, AccessLevel.READ)).toThrow(/RbacGrant.calicoResources\(\): groups: "x" is not a Calico API group choice/);
    expect(() => RbacGrant.tierPolicies('default', 'all' as AccessLevel)).toThrow(/access: "all" is not an access level/);
  });
});
