import {
  authorizeTieredRequest,
  authorizeTierOperation,
  candidateTiers,
  identityOfUser,
  parseRbacObjects,
  PROTECTED_TIERS,
  RbacAuthorizer,
  ResourceAttributes,
  usesTierSelector,
} from '../../../src/analysis/rbac';

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
  clusterRole('db-editor', [{ apiGroups: [CALICO], resources: ['tier.networkpolicies'], resourceNames: ['db'], verbs: ['get', 'update', 'delete', 'create', 'list'] }]),
  clusterRole('prefixed-db-editor', [{ apiGroups: [CALICO], resources: ['tier.networkpolicies'], resourceNames: ['security.db'], verbs: ['get', 'update'] }]),
  clusterRole('any-tier-np-editor', [{ apiGroups: [CALICO], resources: ['tier.networkpolicies'], verbs: ['create', 'get', 'list'] }]),
  clusterRole('plain-calico', [{ apiGroups: [CALICO], resources: ['networkpolicies', 'globalnetworkpolicies'], verbs: ['*'] }]),
  clusterRole('platform-reader', [
    { apiGroups: [CALICO], resources: ['tiers'], resourceNames: ['platform'], verbs: ['get'] },
    { apiGroups: [CALICO], resources: ['tier.networkpolicies'], resourceNames: ['platform.*'], verbs: ['list', 'watch'] },
  ]),
  crb('sec-tier', 'get-security-tier', { kind: 'Group', name: 'sec' }),
  crb('sec-policies', 'security-policy-admin', { kind: 'Group', name: 'sec' }),
  crb('alice-tier', 'get-security-tier', user('alice')),
  rb('alice-db', 'app', 'db-editor', user('alice')),
  crb('paul-tier', 'get-security-tier', user('paul')),
  rb('paul-db', 'app', 'prefixed-db-editor', user('paul')),
  crb('bob-plain', 'plain-calico', user('bob')),
  rb('bob-tier', 'app', 'get-security-tier', user('bob')),
  crb('carol-tiers', 'get-all-tiers', user('carol')),
  crb('carol-np', 'any-tier-np-editor', user('carol')),
  crb('dan-policies', 'security-policy-admin', user('dan')),
  crb('erin-ghost', 'tier-reader-that-does-not-exist', user('erin')),
  crb('pat-platform', 'platform-reader', user('pat')),
]));

function calico(resource: string, verb: string, extra: Partial<ResourceAttributes> = {}): ResourceAttributes {
  return { verb, apiGroup: CALICO, resource, ...extra };
}

function decide(userName: string, groups: string[], attrs: ResourceAttributes, tier: string | undefined) {
  return authorizeTieredRequest(authorizer, identityOfUser(userName, groups), attrs, tier);
}

describe('usesTierSelector', () => {
  test.each([['list', true], ['watch', true], ['deletecollection', true], ['get', false], ['create', false], ['update', false], ['patch', false], ['delete', false]])(
    '%s → %s', (verb, expected) => {
      expect(usesTierSelector(verb)).toBe(expected);
    });
});

describe('authorizeTierOperation (one tier)', () => {
  test('both grants present: allowed, with both grants explained', () => {
    const result = authorizeTierOperation(authorizer, identityOfUser('sam', ['sec']), calico('globalnetworkpolicies', 'create'), 'security');
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
    for (const verb of ['create', 'get', 'list', 'watch', 'update', 'delete', 'patch', 'deletecollection']) {
      expect(decide('sam', ['sec'], calico(resource, verb, { namespace: 'app', name: 'x' }), 'security').allowed).toBe(true);
    }
  });

  test('another tier: both grants missing; <tier>.* is per tier', () => {
    const result = decide('sam', ['sec'], calico('globalnetworkpolicies', 'create'), 'default');
    expect(result.allowed).toBe(false);
    expect(result.reason).toBe(
      "denied: tier authorization for tier default: missing get on tiers 'default' and missing create on projectcalico.org/tier.globalnetworkpolicies 'default.*'",
    );
  });

  test('the policy grant without the tier get is not enough', () => {
    const result = authorizeTierOperation(authorizer, identityOfUser('dan'), calico('globalnetworkpolicies', 'delete', { name: 'block' }), 'security');
    expect(result.allowed).toBe(false);
    expect(result.reason).toBe("denied: tier authorization for tier security: missing get on tiers 'security'");
    expect(result.policyGrants).toHaveLength(1);
  });

  test('the tier get without the policy grant is not enough', () => {
    const result = decide('alice', [], calico('globalnetworkpolicies', 'get', { name: 'block' }), 'security');
    expect(result.reason).toBe(
      "denied: tier authorization for tier security: missing get on projectcalico.org/tier.globalnetworkpolicies 'block' or 'security.*'",
    );
  });
});

describe('the name Calico checks is the request\'s own name, never tier-prefixed', () => {
  test.each([
    ['get of the named policy', 'get', 'db', 'app', true],
    ['update of the named policy', 'update', 'db', 'app', true],
    ['delete of the named policy', 'delete', 'db', 'app', true],
    ['list by metadata.name field selector', 'list', 'db', 'app', true],
    ['another policy of the tier', 'update', 'other', 'app', false],
    ['the tier-prefixed name is another name', 'update', 'security.db', 'app', false],
    ['the named policy in another namespace', 'update', 'db', 'web', false],
    ['create carries no name, so a named rule is not enough', 'create', 'db', 'app', false],
    ['an unfiltered list carries no name', 'list', undefined, 'app', false],
  ])('resourceNames [db] on tier.networkpolicies: %s', (_title, verb, name, namespace, expected) => {
    const result = decide('alice', [], calico('networkpolicies', verb, { name, namespace }), 'security');
    expect({ verb, allowed: result.allowed }).toEqual({ verb, allowed: expected });
  });

  test('the allowed reason names the policy name that matched', () => {
    expect(decide('alice', [], calico('networkpolicies', 'update', { name: 'db', namespace: 'app' }), 'security').reason).toBe(
      "allowed: tier authorization for tier security: get on tiers 'security' granted by ClusterRole get-security-tier via ClusterRoleBinding alice-tier; "
      + "update on projectcalico.org/tier.networkpolicies 'db' granted by ClusterRole db-editor via RoleBinding app/alice-db in namespace app",
    );
  });

  test('resourceNames [security.db] does not grant policy db of tier security, and the reason says why', () => {
    const result = decide('paul', [], calico('networkpolicies', 'update', { name: 'db', namespace: 'app' }), 'security');
    expect(result.allowed).toBe(false);
    expect(result.reason).toBe(
      "denied: tier authorization for tier security: missing update on projectcalico.org/tier.networkpolicies 'db' or 'security.*' in namespace app; "
      + "a rule grants 'security.db', but Calico checks the policy's own name 'db', never a tier-prefixed one",
    );
  });

  test('a named rule grants that policy name in any tier the requester may get', () => {
    expect(decide('alice', [], calico('networkpolicies', 'get', { name: 'db', namespace: 'app' }), 'security').allowed).toBe(true);
    // alice may not get tier default: the named rule alone does not do it.
    expect(decide('alice', [], calico('networkpolicies', 'get', { name: 'db', namespace: 'app' }), 'default').reason)
      .toBe("denied: tier authorization for tier default: missing get on tiers 'default'");
  });
});

describe('authorizeTieredRequest', () => {
  test('the tier defaults to default (an empty spec.tier), whatever the name says', () => {
    const result = decide('sam', ['sec'], calico('globalnetworkpolicies', 'delete', { name: 'security.block' }), undefined);
    expect(result.allowed).toBe(false);
    expect(result.reason).toMatch(/^denied: tier authorization for tier default: /);
    expect(result.reason).toContain(
      "; the tier is the policy's spec.tier (default when not given), not the prefix of its name: if security.block is in tier security, ask with that tier",
    );
    expect(decide('sam', ['sec'], calico('globalnetworkpolicies', 'delete', { name: 'security.block' }), 'security').allowed).toBe(true);
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

  test('grants of both checks are returned when allowed, none when denied', () => {
    expect(decide('sam', ['sec'], calico('networkpolicies', 'create', { namespace: 'app' }), 'security').grants.map((g) => g.bindingName))
      .toEqual(['sec-tier', 'sec-policies']);
    expect(decide('sam', ['sec'], calico('networkpolicies', 'create', { namespace: 'app' }), 'default').grants).toEqual([]);
  });

  test('bindings to missing roles are noted once', () => {
    const result = decide('erin', [], calico('networkpolicies', 'get', { name: 'x' }), 'default');
    expect(result.reason).toContain(
      'ClusterRoleBinding erin-ghost references ClusterRole tier-reader-that-does-not-exist, which is not in the manifests, so it grants nothing',
    );
    expect(result.reason.match(/erin-ghost/g)).toHaveLength(1);
  });
});

describe('list, watch and deletecollection without a tier selector', () => {
  test('are allowed when the requester is authorized for at least one tier, naming those tiers', () => {
    const result = decide('pat', [], calico('networkpolicies', 'list', { namespace: 'app' }), undefined);
    expect(result.allowed).toBe(true);
    expect(result.reason).toBe(
      'allowed: list without a tier selector is narrowed to the tiers the requester is authorized for: platform; '
      + "tier authorization for tier platform: get on tiers 'platform' granted by ClusterRole platform-reader via ClusterRoleBinding pat-platform; "
      + "list on projectcalico.org/tier.networkpolicies 'platform.*' granted by ClusterRole platform-reader via ClusterRoleBinding pat-platform cluster-wide",
    );
    expect(decide('sam', ['sec'], calico('globalnetworkpolicies', 'watch'), undefined).allowed).toBe(true);
    expect(decide('sam', ['sec'], calico('stagednetworkpolicies', 'deletecollection', { namespace: 'app' }), undefined).allowed).toBe(true);
  });

  test('with a tier selector, that tier must be authorized', () => {
    expect(decide('pat', [], calico('networkpolicies', 'list', { namespace: 'app' }), 'platform').allowed).toBe(true);
    expect(decide('pat', [], calico('networkpolicies', 'list', { namespace: 'app' }), 'security').allowed).toBe(false);
  });

  test('are denied when no tier is authorized, listing the tiers tried', () => {
    const result = decide('bob', [], calico('networkpolicies', 'list', { namespace: 'app' }), undefined);
    expect(result.allowed).toBe(false);
    expect(result.reason).toBe(
      'denied: list without a tier selector needs tier authorization for at least one tier, and there is none '
      + '(tried default, kube-admin, kube-baseline, platform, security); '
      + "tier authorization for tier default: missing get on tiers 'default' and missing list on projectcalico.org/tier.networkpolicies 'default.*' in namespace app; "
      + 'rules on projectcalico.org/networkpolicies itself do not count: Calico authorizes tiered policies through tier.networkpolicies',
    );
    expect(decide('pat', [], calico('networkpolicies', 'list', { namespace: 'app' }), undefined).grants).toHaveLength(2);
  });

  test('candidate tiers: the protected tiers, then the tiers RBAC rules name, sorted', () => {
    expect(PROTECTED_TIERS).toEqual(['default', 'kube-admin', 'kube-baseline']);
    expect(candidateTiers(authorizer)).toEqual(['default', 'kube-admin', 'kube-baseline', 'platform', 'security']);
  });
});
