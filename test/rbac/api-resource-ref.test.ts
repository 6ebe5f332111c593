import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ApiResourceRef } from '../../src/rbac/api-resource-ref';
import { TieredPolicyResource } from '../../src/rbac/calico-resources';

describe('ApiResourceRef', () => {
  test('of() keeps group, resource and optional name', () => {
    const ref = ApiResourceRef.of('networking.k8s.io', 'networkpolicies');
    expect(ref.apiGroup).toBe('networking.k8s.io');
    expect(ref.resourceType).toBe('networkpolicies');
    expect(ref.resourceName).toBeUndefined();
    expect(ref.toString()).toBe('networking.k8s.io/networkpolicies');
    expect(ApiResourceRef.of('', 'pods/log', 'web').toString()).toBe('core/pods/log "web"');
  });

  test('is an API endpoint for ClusterRole.allow()', () => {
    const ref = ApiResourceRef.of('', 'pods');
    expect(ref.asApiResource()).toBe(ref);
    expect(ref.asNonApiResource()).toBeUndefined();
  });

  test('calicoTier() is get target of the first tier check', () => {
    const ref = ApiResourceRef.calicoTier('security');
    expect([ref.apiGroup, ref.resourceType, ref.resourceName]).toEqual(['projectcalico.org', 'tiers', 'security']);
  });

  test('tieredPolicies() names every policy of the tier', () => {
    const ref = ApiResourceRef.tieredPolicies(TieredPolicyResource.GLOBAL_NETWORK_POLICIES, 'default');
    expect([ref.apiGroup, ref.resourceType, ref.resourceName]).toEqual(['projectcalico.org', 'tier.globalnetworkpolicies', 'default.*']);
  });

  test('renders resourceNames in cdk8s-plus Roles and ClusterRoles', () => {
    const chart = Testing.chart();
    const role = new kplus.Role(chart, 'r', { metadata: { name: 'r', namespace: 'ns' } });
    role.allow(['get'], ApiResourceRef.calicoTier('default'));
    const clusterRole = new kplus.ClusterRole(chart, 'c', { metadata: { name: 'c' } });
    clusterRole.allow(['list'], ApiResourceRef.tieredPolicies(TieredPolicyResource.NETWORK_POLICIES, 'security'));
    const [r, c] = Testing.synth(chart);
    expect(r.rules).toEqual([{ apiGroups: ['projectcalico.org'], resources: ['tiers'], resourceNames: ['default'], verbs: ['get'] }]);
    expect(c.rules).toEqual([{ apiGroups: ['projectcalico.org'], resources: ['tier.networkpolicies'], resourceNames: ['security.*'], verbs: ['list'] }]);
  });

  test.each([
    ['*', 'pods', undefined, /apiGroup must be '' \(core\) or a DNS subdomain/],
    ['Networking', 'pods', undefined, /apiGroup must be/],
    ['', '*', undefined, /resourceType must be a plural lower-case resource/],
    ['', '', undefined, /resourceType must be/],
    ['', 'pods', '', /resourceName must be a non-empty object name/],
    ['', 'pods', '*', /resourceName may only contain '\*' as Calico's tier wildcard/],
    ['projectcalico.org', 'networkpolicies', 'default.*', /resourceName may only contain '\*'/],
    ['projectcalico.org', 'tier.networkpolicies', '*', /resourceName may only contain '\*'/],
  ])('of(%j, %j, %j) is refused', (group, resource, name, message) => {
    expect(() => ApiResourceRef.of(group, resource, name)).toThrow(message);
  });

  test('refuses bad tier names and resources', () => {
    expect(() => ApiResourceRef.calicoTier('Security')).toThrow(
      'ApiResourceRef.calicoTier(): "Security" is not a tier name; tier names are DNS-1123 labels',
    );
    expect(() => ApiResourceRef.tieredPolicies(TieredPolicyResource.NETWORK_POLICIES, 'a.b')).toThrow(/ApiResourceRef.tieredPolicies\(\): "a.b" is not a tier name/);
    expect(() => ApiResourceRef.tieredPolicies('tiers' as TieredPolicyResource, 'default')).toThrow(
      /"tiers" is not a tiered policy resource; use a TieredPolicyResource member/,
    );
  });
});
