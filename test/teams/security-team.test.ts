import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Tier, TierDefaultAction } from '../../src/policy/tier';
import { CalicoApiGroups } from '../../src/rbac/api-groups';
import { MemberServiceAccount } from '../../src/teams/member-service-account';
import { SecurityTeam } from '../../src/teams/security-team';
import { MemberBinding } from '../../src/teams/team-options';
import { rbacModelOf } from '../../src/testing';
import { validateCalicoManifests } from '../policy/crd-schema';
import { findObject, grants, simpleRules, subjectsOf, wildcardProblems } from '../rbac/rbac-manifests';

const MANAGE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const MEMBER = 'system:serviceaccount:security:security-member';

function team(props: ConstructorParameters<typeof SecurityTeam>[2] = { members: ['security-member'] }) {
  const chart = Testing.chart();
  const security = new SecurityTeam(chart, 'security', props);
  return { chart, security, manifests: () => validateCalicoManifests(Testing.synth(chart)) };
}

describe('SecurityTeam', () => {
  test('snapshot', () => {
    const { manifests } = team({ members: ['security-member'], users: ['alice@example.com'], groups: ['oidc:security'] });
    expect(manifests()).toMatchSnapshot();
  });

  test('a namespace that runs nothing, member service account without a mounted token, and a tier before default that passes', () => {
    const { security, manifests } = team();
    const all = manifests();
    expect(security.namespaceName).toBe('security');
    expect(findObject(all, 'Namespace', 'security').metadata).toEqual({
      name: 'security',
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    });
    expect(findObject(all, 'ResourceQuota', 'no-pods', 'security').spec).toEqual({ hard: { pods: '0' } });
    expect(findObject(all, 'ServiceAccount', 'default', 'security').automountServiceAccountToken).toBe(false);
    expect(findObject(all, 'ServiceAccount', 'security-member', 'security').automountServiceAccountToken).toBe(false);
    expect(all.filter((m) => m.kind === 'Secret')).toEqual([]);
    expect(findObject(all, 'Tier', 'security')).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'Tier',
      metadata: { name: 'security' },
      spec: { order: 100, defaultAction: 'Pass' },
    });
    expect(security.tierName).toBe('security');
    expect(security.tier).toBeInstanceOf(Tier);
    expect(all[0].kind).toBe('Namespace');
  });

  test('ClusterRoles with deterministic names, each bound to the members by name, users and groups', () => {
    const { security, manifests } = team({ members: ['security-member'], users: ['alice'], groups: ['oidc:sec'] });
    const all = manifests();
    const names = ['security-network-policy-admin', 'security-calico-tier-security', 'security-calico-tier-default',
      'security-serviceaccount-labeler', 'security-policy-troubleshooting'];
    expect(all.filter((m) => m.kind === 'ClusterRole').map((m) => m.metadata.name)).toEqual(names);
    expect(security.clusterRoles.map((r) => r.name)).toEqual(names);
    for (const name of names) {
      const binding = findObject(all, 'ClusterRoleBinding', name);
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name });
      expect(subjectsOf(binding)).toEqual(['User:alice', 'Group:oidc:sec', 'ServiceAccount:security/security-member']);
    }
    expect(security.memberBinding).toBe(MemberBinding.MEMBER_SERVICE_ACCOUNTS);
    expect(wildcardProblems(all)).toEqual([]);
  });

  test('the admin role: policy resources in projectcalico.org only; tiers read only except its own tier, never created', () => {
    const { security, manifests } = team();
    expect(security.calicoApiGroups).toBe(CalicoApiGroups.PROJECTCALICO_ORG);
    expect(security.adminRole.writableTierNames).toEqual(['security']);
    const rules = simpleRules(findObject(manifests(), 'ClusterRole', 'security-network-policy-admin'));
    expect(rules.filter((r) => r.resource === 'tiers')).toEqual([
      { apiGroup: 'projectcalico.org', resource: 'tiers', verbs: ['get', 'list', 'watch'] },
      { apiGroup: 'projectcalico.org', resource: 'tiers', resourceNames: ['security'], verbs: ['update', 'patch', 'delete'] },
    ]);
    expect(rules.map((r) => r.apiGroup)).not.toContain('crd.projectcalico.org');
  });

  test('canCreateTiers lets the team create tiers', () => {
    const { chart } = team({ members: ['m'], canCreateTiers: true });
    const model = rbacModelOf(chart);
    expect(model).toPermit({ user: 'system:serviceaccount:security:m', verb: 'create', apiGroup: 'projectcalico.org', resource: 'tiers', name: 'platform' });
  });

  test('the exact tier grants for its own tier and default', () => {
    const all = team().manifests();
    for (const tier of ['security', 'default']) {
      expect(simpleRules(findObject(all, 'ClusterRole', `security-calico-tier-${tier}`))).toEqual(grants([
        { apiGroup: 'projectcalico.org', resource: 'tiers', resourceNames: [tier], verbs: ['get'] },
        ...['networkpolicies', 'globalnetworkpolicies', 'stagednetworkpolicies', 'stagedglobalnetworkpolicies'].map((r) => ({
          apiGroup: 'projectcalico.org', resource: `tier.${r}`, resourceNames: [`${tier}.*`], verbs: MANAGE,
        })),
      ]));
    }
  });

  test('the blog\'s commands work for security-member, and only what they need', () => {
    const { chart } = team();
    const model = rbacModelOf(chart);
    // kubectl --context security-context get networkpolicies --all-namespaces / get pods --all-namespaces
    expect(model).toPermit({ user: MEMBER, verb: 'list', apiGroup: 'networking.k8s.io', resource: 'networkpolicies' });
    expect(model).toPermit({ user: MEMBER, verb: 'list', apiGroup: '', resource: 'pods' });
    // calicoctl (Kubernetes datastore) needs the CRD group, which is an opt-in (calicoApiGroups)
    expect(model).toForbid({ user: MEMBER, verb: 'list', apiGroup: 'crd.projectcalico.org', resource: 'globalnetworkpolicies' });
    // kubectl apply of tiered policies through projectcalico.org
    for (const tier of ['security', 'default']) {
      for (const verb of ['create', 'patch', 'update', 'delete', 'watch']) {
        expect(model).toPermit({ user: MEMBER, verb, apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier });
      }
      expect(model).toPermit({ user: MEMBER, verb: 'create', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'be-dev-team', tier });
    }
    expect(model).toForbid({ user: MEMBER, verb: 'create', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier: 'platform' });
    // its own tier object, not the others
    expect(model).toPermit({ user: MEMBER, verb: 'patch', apiGroup: 'projectcalico.org', resource: 'tiers', name: 'security' });
    expect(model).toForbid({ user: MEMBER, verb: 'patch', apiGroup: 'projectcalico.org', resource: 'tiers', name: 'default' });
    expect(model).toForbid({ user: MEMBER, verb: 'create', apiGroup: 'projectcalico.org', resource: 'tiers' });
    expect(model).toPermit({ user: MEMBER, verb: 'patch', apiGroup: '', resource: 'serviceaccounts', namespace: 'prod-engineering', name: 'intern' });
    expect(model).toForbid({ user: MEMBER, verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'security' });
    expect(model).toForbid({ user: MEMBER, verb: 'create', apiGroup: '', resource: 'pods', namespace: 'security' });
    expect(model).toForbid({ user: 'system:serviceaccount:be-dev-team:be-dev-member', verb: 'list', apiGroup: 'networking.k8s.io', resource: 'networkpolicies' });
  });

  test('projectcalico.org only: no CRD group', () => {
    const all = team({ members: ['m'], calicoApiGroups: CalicoApiGroups.PROJECTCALICO_ORG }).manifests();
    expect(JSON.stringify(all)).not.toContain('crd.projectcalico.org');
    expect(findObject(all, 'ClusterRole', 'security-calico-tier-security')).toBeDefined();
  });

  test('both groups on request: calicoctl works, and its own tier is the only tier object it writes there too', () => {
    const { chart } = team({ members: ['security-member'], calicoApiGroups: CalicoApiGroups.BOTH });
    const model = rbacModelOf(chart);
    expect(model).toPermit({ user: MEMBER, verb: 'list', apiGroup: 'crd.projectcalico.org', resource: 'globalnetworkpolicies' });
    expect(model).toPermit({ user: MEMBER, verb: 'get', apiGroup: 'crd.projectcalico.org', resource: 'clusterinformations', name: 'default' });
    expect(model).toPermit({ user: MEMBER, verb: 'update', apiGroup: 'crd.projectcalico.org', resource: 'tiers', name: 'security' });
    expect(model).toForbid({ user: MEMBER, verb: 'update', apiGroup: 'crd.projectcalico.org', resource: 'tiers', name: 'default' });
  });

  test('crd.projectcalico.org only (calicoctl): no tier roles, which Calico would not check there', () => {
    const { security, manifests } = team({ members: ['m'], calicoApiGroups: CalicoApiGroups.CRD_PROJECTCALICO_ORG });
    const all = manifests();
    expect(all.filter((m) => m.kind === 'ClusterRole').map((m) => m.metadata.name)).toEqual([
      'security-network-policy-admin', 'security-serviceaccount-labeler', 'security-policy-troubleshooting',
    ]);
    expect(() => security.grantTierAccess(Tier.fromName('platform'))).toThrow(
      /^SecurityTeam "test\/security": grantTierAccess\(\): tier grants are checked by Calico in projectcalico.org only/,
    );
  });

  test('optional roles can be left out', () => {
    const all = team({ manageDefaultTier: false, canLabelServiceAccounts: false, troubleshootingReadAccess: false }).manifests();
    expect(all.filter((m) => m.kind === 'ClusterRole').map((m) => m.metadata.name)).toEqual([
      'security-network-policy-admin', 'security-calico-tier-security',
    ]);
  });

  test('custom namespace and tier', () => {
    const { security, manifests } = team({ namespace: 'netsec', tier: { name: 'netsec', order: 10, defaultAction: TierDefaultAction.DENY } });
    const all = manifests();
    expect(findObject(all, 'Tier', 'netsec').spec).toEqual({ order: 10, defaultAction: 'Deny' });
    expect(findObject(all, 'ClusterRole', 'netsec-calico-tier-netsec')).toBeDefined();
    expect(findObject(all, 'ResourceQuota', 'no-pods', 'netsec')).toBeDefined();
    expect(all.filter((m) => m.kind === 'ClusterRoleBinding')).toEqual([]);
    expect(security.memberNames).toEqual([]);
  });

  test('the namespace group only when asked, as its TSDoc warns', () => {
    const all = team({ members: ['a'], memberBinding: MemberBinding.NAMESPACE_GROUP }).manifests();
    expect(subjectsOf(findObject(all, 'ClusterRoleBinding', 'security-network-policy-admin'))).toEqual(['Group:system:serviceaccounts:security']);
  });

  test('addMember() after construction, bound by name; never a token Secret', () => {
    const { security, manifests } = team({ members: ['a'], memberTokenSecrets: false });
    const sa = security.addMember('b');
    expect(sa).toBeInstanceOf(MemberServiceAccount);
    expect(security.memberServiceAccount('b')).toBe(sa);
    expect(security.memberNames).toEqual(['a', 'b']);
    const all = manifests();
    expect(all.filter((m) => m.kind === 'Secret')).toEqual([]);
    expect(subjectsOf(findObject(all, 'ClusterRoleBinding', 'security-network-policy-admin'))).toEqual(['ServiceAccount:security/a', 'ServiceAccount:security/b']);
    expect(() => security.memberServiceAccount('c')).toThrow('SecurityTeam "test/security": memberServiceAccount(): "c" is not a member; members: a, b');
  });

  test('members bound by name, including members and tiers added later', () => {
    const { security, manifests } = team({ members: ['a'], memberBinding: MemberBinding.MEMBER_SERVICE_ACCOUNTS });
    security.addMember('b');
    security.grantTierAccess(Tier.fromName('platform'));
    const all = manifests();
    for (const name of ['security-network-policy-admin', 'security-calico-tier-platform']) {
      expect(subjectsOf(findObject(all, 'ClusterRoleBinding', name))).toEqual(['ServiceAccount:security/a', 'ServiceAccount:security/b']);
    }
  });

  test('no members, no users: with member binding by name there is nothing to bind yet', () => {
    const { security, manifests } = team({ memberBinding: MemberBinding.MEMBER_SERVICE_ACCOUNTS });
    expect(manifests().filter((m) => m.kind === 'ClusterRoleBinding')).toEqual([]);
    expect(() => security.memberServiceAccount('x')).toThrow('SecurityTeam "test/security": memberServiceAccount(): "x" is not a member; members: none');
  });

  test('grantTierAccess() with a Tier construct, once per tier', () => {
    const { chart, security, manifests } = team();
    const platform = new Tier(chart, 'platform', { name: 'platform', order: 50 });
    const role = security.grantTierAccess(platform);
    expect(security.grantTierAccess(Tier.fromName('platform'))).toBe(role);
    expect(role.name).toBe('security-calico-tier-platform');
    expect(manifests().filter((m) => m.metadata.name === 'security-calico-tier-platform')).toHaveLength(2);
  });

  test('grantDefaultTierRead(): one cluster-wide default-tier reader role, one binding per team', () => {
    const { chart, security, manifests } = team();
    const g1 = kplus.Group.fromName(chart, 'g1', 'oidc:be');
    const binding = security.grantDefaultTierRead('be-dev-team', g1);
    expect(security.grantDefaultTierRead('be-dev-team', kplus.Group.fromName(chart, 'g1b', 'oidc:be'), kplus.User.fromName(chart, 'u', 'bob'))).toBe(binding);
    security.grantDefaultTierRead('fe', kplus.Group.fromName(chart, 'g2', 'oidc:fe'));
    const all = manifests();
    expect(simpleRules(findObject(all, 'ClusterRole', 'security-calico-tier-default-reader'))).toEqual([
      { apiGroup: 'projectcalico.org', resource: 'tiers', resourceNames: ['default'], verbs: ['get'] },
    ]);
    expect(subjectsOf(findObject(all, 'ClusterRoleBinding', 'be-dev-team-calico-tier-default-reader'))).toEqual(['Group:oidc:be', 'User:bob']);
    expect(findObject(all, 'ClusterRoleBinding', 'fe-calico-tier-default-reader').roleRef.name).toBe('security-calico-tier-default-reader');
    expect(() => security.grantDefaultTierRead('Bad')).toThrow(/^SecurityTeam "test\/security": grantDefaultTierRead\(\): "Bad" is not a valid namespace/);
  });

  test('cluster-scoped objects carry no namespace in a namespaced chart', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'elsewhere' });
    new SecurityTeam(chart, 'security', { members: ['m'] });
    for (const obj of Testing.synth(chart)) {
      if (['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'Tier'].includes(obj.kind)) {
        expect(obj.metadata.namespace).toBeUndefined();
      } else {
        expect(obj.metadata.namespace).toBe('security');
      }
    }
  });

  test.each([
    [{ namespace: 'kube-system' }, 'SecurityTeam "test/security": namespace: "kube-system" is a system namespace; give the security team a namespace of its own'],
    [{ namespace: 'default' }, /^SecurityTeam "test\/security": namespace: "default" is where Kubernetes puts every object that names no namespace, and the team's namespace runs nothing/],
    [{ namespace: 'Security' }, /^SecurityTeam "test\/security": namespace: "Security" is not a valid namespace/],
    [{ tier: { name: 'default' } }, /^SecurityTeam "test\/security": tier.name: "default" is a tier Calico creates; the security team needs a tier of its own, evaluated before "default"/],
    [{ tier: { name: 'kube-admin' } }, /^SecurityTeam "test\/security": tier.name: "kube-admin" is a tier Calico creates/],
    [{ tier: { order: 1_000_000 } }, 'SecurityTeam "test/security": tier.order: 1000000 does not put the tier before the default tier (order 1000000); use a smaller order such as 100'],
    [{ tier: { order: '5' as any } }, /tier.order: "5" does not put the tier before the default tier/],
    [{ tier: 'security' as any }, 'SecurityTeam "test/security": tier: must be an object { name?, order?, defaultAction? }'],
    [{ memberBinding: 'all' as MemberBinding }, /^SecurityTeam "test\/security": memberBinding: "all" is not a member binding/],
    [{ calicoApiGroups: 'v3' as CalicoApiGroups }, /^SecurityTeam "test\/security": calicoApiGroups: "v3" is not a Calico API group choice/],
    [{ groups: ['system:authenticated'] }, /^SecurityTeam "test\/security": groups\[0\]: "system:authenticated" contains every user/],
    [{ users: ['alice', 'alice'] }, /users\[1\]: the user "alice" is listed twice/],
    [{ members: ['a', 'a'] }, 'SecurityTeam "test/security": members[1]: "a" is already a member of the team in namespace security; add each member once'],
    [{ members: ['default'] }, /^SecurityTeam "test\/security": members\[0\]: "default" is the service account Kubernetes creates in every namespace/],
    [{ memberTokenSecrets: true }, /^SecurityTeam "test\/security": memberTokenSecrets: a token Secret of a security member never expires and administers every network policy of the cluster; leave it out and request short-lived tokens with `kubectl create token <member> -n security`/],
    [{ memberTokenSecrets: 'yes' as any }, /^SecurityTeam "test\/security": memberTokenSecrets: a token Secret of a security member never expires/],
  ])('refuses %j', (props, message) => {
    expect(() => team(props as any)).toThrow(message as any);
  });
});
