import { RbacAuthorizer } from '../../../src/analysis/rbac/authorizer';
import {
  authorizeTieredRequest,
  isTieredPolicyResource,
  tierOfRequest,
  tierQualifiedName,
} from '../../../src/analysis/rbac/calico-tiers';
import { identityOfUser } from '../../../src/analysis/rbac/identity';
import { parseRbacObjects } from '../../../src/analysis/rbac/objects';
import { ResourceAttributes } from '../../../src/analysis/rbac/rules';

const RBAC = 'rbac.authorization.k8s.io/v1';
const GROUP = 'rbac.authorization.k8s.io';
const CALICO = 'projectcalico.org';

function clusterRole(name: string, rules: any[]): any {
  return { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name }, rules };
}
function crb(name: string, role: string, subject: any): any {
  return { apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: role }, subjects: [subject] };
}
function rb(name: string, namespace: string, role: string, subject: any): any {
  return {
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: { name, namespace },
    roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: role },
    subjects: [subject],
  };
}
const user = (name: string) => ({ kind: 'User', name, apiGroup: GROUP });

const TIERED = ['tier.networkpolicies', 'tier.globalnetworkpolicies', 'tier.stagednetworkpolicies', 'tier.stagedglobalnetworkpolicies'];

const authorizer = new RbacAuthorizer(parseRbacObjects([
  clusterRole('get-security-tier', [{ apiGroups: [CALICO], resources: ['tiers'], resourceNames: ['security'], verbs: ['get'] }]),
  clusterRole('get-all-tiers', [{ apiGroups: [CALICO], resources: ['tiers'], verbs: ['get'] }]),
  clusterRole('security-policy-admin', [{ apiGroups: [CALICO], resources: TIERED, resourceNames: ['security.*'], verbs: ['*'] }]),
  clusterRole('allow-dns-editor', [{ apiGroups: [CALICO], resources: ['tier.networkpolicies'], resourceNames: ['security.allow-dns'], verbs: ['get', 'update', 'create'] }]),
  clusterRole('any-tier-np-editor', [{ apiGroups: [CALICO], resources: ['tier.networkpolicies'], verbs: ['create', 'get', 'list'] }]),
  clusterRole('plain-calico', [{ apiGroups: [CALICO], resources: ['networkpolicies', 'globalnetworkpolicies'], verbs: ['*'] }]),
  crb('sec-tier', 'get-security-tier', { kind: 'Group', name: 'sec' }),
  crb('sec-policies', 'security-policy-admin', { kind: 'Group', name: 'sec' }),
  crb('alice-tier', 'get-security-tier', user('alice')),
  rb('alice-allow-dns', 'app', 'allow-dns-editor', user('alice')),
  crb('bob-plain', 'plain-calico', user('bob')),
  rb('bob-tier', 'app', 'get-security-tier', user('bob')),
  crb('carol-tiers', 'get-all-tiers', user('carol')),
  crb('carol-np', 'any-tier-np-editor', user('carol')),
  crb('dan-policies', 'security-policy-admin', user('dan')),
  crb('erin-ghost', 'tier-reader-that-does-not-exist', user('erin')),
]));

function calico(resource: string, verb: string, extra: Partial<ResourceAttributes> = {}): ResourceAttributes {
  return { verb, apiGroup: CALICO, resource, ...extra };
}

function decide(userName: string, groups: string[], attrs: ResourceAttributes, tier: string) {
  return authorizeTieredRequest(authorizer, identityOfUser(userName, groups), attrs, tier);
}

describe('isTieredPolicyResource', () => {
  test.each([
    [CALICO, 'networkpolicies', true],
    [CALICO, 'globalnetworkpolicies', true],
    [CALICO, 'stagednetworkpolicies', true],
    [CALICO, 'stagedglobalnetworkpolicies', true],
    [CALICO, 'stagedkubernetesnetworkpolicies', false],
    [CALICO, 'tiers', false],
    [CALICO, 'tier.networkpolicies', false],
    ['crd.projectcalico.org', 'networkpolicies', false],
    ['networking.k8s.io', 'networkpolicies', false],
  ])('%s/%s → %s', (group, resource, expected) => {
    expect(isTieredPolicyResource(group, resource)).toBe(expected);
  });
});

describe('tierOfRequest and tierQualifiedName', () => {
  test.each([
    [undefined, undefined, 'default'],
    [undefined, 'allow-dns', 'default'],
    [undefined, 'security.allow-dns', 'security'],
    ['platform', 'security.allow-dns', 'platform'],
    ['platform', undefined, 'platform'],
  ])('tier %s, name %s → %s', (tier, name, expected) => {
    expect(tierOfRequest(tier, name)).toBe(expected);
  });

  test('qualifies names that lack the tier prefix', () => {
    expect(tierQualifiedName('security', 'allow-dns')).toBe('security.allow-dns');
    expect(tierQualifiedName('security', 'security.allow-dns')).toBe('security.allow-dns');
  });
});

describe('authorizeTieredRequest', () => {
  test('both grants present: allowed, with both grants explained', () => {
    const result = decide('sam', ['sec'], calico('globalnetworkpolicies', 'create'), 'security');
    expect(result.allowed).toBe(true);
    expect(result.reason).toBe(
      "allowed: tier authorization for tier security: get on tiers 'security' granted by ClusterRole get-security-tier via ClusterRoleBinding sec-tier; "
      + "create on projectcalico.org/tier.globalnetworkpolicies 'security.*' granted by ClusterRole security-policy-admin via ClusterRoleBinding sec-policies cluster-wide",
    );
    expect(result.tierGrants).toHaveLength(1);
    expect(result.policyGrants).toHaveLength(1);
  });

  test.each([
    'networkpolicies', 'globalnetworkpolicies', 'stagednetworkpolicies', 'stagedglobalnetworkpolicies',
  ])('%s in the granted tier is allowed for every verb', (resource) => {
    for (const verb of ['create', 'list', 'watch', 'delete', 'patch']) {
      expect(decide('sam', ['sec'], calico(resource, verb, { namespace: 'app' }), 'security').allowed).toBe(true);
    }
  });

  test('another tier: both grants missing', () => {
    const result = decide('sam', ['sec'], calico('globalnetworkpolicies', 'create'), 'default');
    expect(result.allowed).toBe(false);
    expect(result.reason).toBe(
      "denied: tier authorization for tier default: missing get on tiers 'default' and missing create on projectcalico.org/tier.globalnetworkpolicies 'default.*'",
    );
  });

  test('the policy grant without the tier get is not enough', () => {
    const result = decide('dan', [], calico('globalnetworkpolicies', 'delete', { name: 'security.block' }), 'security');
    expect(result.allowed).toBe(false);
    expect(result.reason).toBe("denied: tier authorization for tier security: missing get on tiers 'security'");
    expect(result.policyGrants).toHaveLength(1);
  });

  test('the tier get without the policy grant is not enough', () => {
    const result = decide('alice', [], calico('globalnetworkpolicies', 'get', { name: 'security.block' }), 'security');
    expect(result.reason).toBe(
      "denied: tier authorization for tier security: missing get on projectcalico.org/tier.globalnetworkpolicies 'security.block' or 'security.*'",
    );
  });

  test.each([
    ['the named policy in the granted namespace', 'update', 'allow-dns', 'app', true],
    ['the named policy with its tier prefix', 'update', 'security.allow-dns', 'app', true],
    ['another policy of the tier', 'update', 'other', 'app', false],
    ['the named policy in another namespace', 'update', 'allow-dns', 'web', false],
    ['list needs <tier>.* or unrestricted names', 'list', undefined, 'app', false],
    ['create carries no name, so <tier>.<name> is not enough', 'create', 'allow-dns', 'app', false],
  ])('<tier>.<name> grants: %s', (_title, verb, name, namespace, expected) => {
    const result = decide('alice', [], calico('networkpolicies', verb, { name, namespace }), 'security');
    expect(result.allowed).toBe(expected);
  });

  test('a denied named request says which names would have been enough', () => {
    const result = decide('alice', [], calico('networkpolicies', 'update', { name: 'other', namespace: 'app' }), 'security');
    expect(result.reason).toBe(
      "denied: tier authorization for tier security: missing update on projectcalico.org/tier.networkpolicies 'security.other' or 'security.*' in namespace app",
    );
  });

  test('a get on tiers granted by a RoleBinding does not count, and plain-resource rules do not count either', () => {
    const result = decide('bob', [], calico('networkpolicies', 'create', { namespace: 'app' }), 'security');
    expect(result.allowed).toBe(false);
    expect(result.reason).toBe(
      "denied: tier authorization for tier security: missing get on tiers 'security' and missing create on projectcalico.org/tier.networkpolicies 'security.*' in namespace app; "
      + "a RoleBinding in namespace app grants get on tiers 'security', but tiers are cluster-scoped so only a ClusterRoleBinding counts; "
      + 'rules on projectcalico.org/networkpolicies itself do not count: Calico authorizes tiered policies through tier.networkpolicies',
    );
  });

  test('unrestricted tiers and tier.networkpolicies rules work for every tier, also for list and create', () => {
    for (const tier of ['default', 'security', 'platform']) {
      expect(decide('carol', [], calico('networkpolicies', 'list'), tier).allowed).toBe(true);
      expect(decide('carol', [], calico('networkpolicies', 'create', { namespace: 'x' }), tier).allowed).toBe(true);
    }
    expect(decide('carol', [], calico('globalnetworkpolicies', 'list'), 'default').allowed).toBe(false);
  });

  test('bindings to missing roles are noted', () => {
    const result = decide('erin', [], calico('networkpolicies', 'list'), 'default');
    expect(result.reason).toContain(
      'ClusterRoleBinding erin-ghost references ClusterRole tier-reader-that-does-not-exist, which is not in the manifests, so it grants nothing',
    );
    expect(result.reason.match(/erin-ghost/g)).toHaveLength(1);
  });
});
