import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { findObject, grants, simpleRules, subjectsOf, wildcardProblems } from './rbac-manifests';
import { Tier } from '../../src/policy/tier';
import { AccessLevel } from '../../src/rbac/access';
import { CalicoTierReaderRole } from '../../src/rbac/calico-tier-reader-role';
import { NamespacePolicyRole } from '../../src/rbac/namespace-policy-role';
import { rbacModelOf } from '../../src/testing';

const MANAGE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

describe('NamespacePolicyRole', () => {
  test('snapshot', () => {
    const chart = Testing.chart();
    new NamespacePolicyRole(chart, 'role', { namespace: 'be-dev-team', name: 'network-policy-editor', calicoTiers: [Tier.DEFAULT] })
      .bind(kplus.Group.fromName(chart, 'g', 'system:serviceaccounts:be-dev-team'));
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('Kubernetes NetworkPolicies only by default', () => {
    const chart = Testing.chart();
    const role = new NamespacePolicyRole(chart, 'role', { namespace: 'be', name: 'editor' });
    expect(role.calicoTierNames).toEqual([]);
    const obj = findObject(Testing.synth(chart), 'Role', 'editor', 'be');
    expect(simpleRules(obj)).toEqual(grants([{ apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verbs: MANAGE }]));
  });

  test('Calico policies in the named tiers only, projectcalico.org only', () => {
    const chart = Testing.chart();
    const tier = new Tier(chart, 'apps', { name: 'apps' });
    new NamespacePolicyRole(chart, 'role', { namespace: 'be', name: 'editor', calicoTiers: [Tier.DEFAULT, tier], stagedCalicoPolicies: true });
    const manifests = Testing.synth(chart);
    expect(simpleRules(findObject(manifests, 'Role', 'editor', 'be'))).toEqual(grants([
      { apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verbs: MANAGE },
      { apiGroup: 'projectcalico.org', resource: 'networkpolicies', verbs: MANAGE },
      { apiGroup: 'projectcalico.org', resource: 'stagednetworkpolicies', verbs: MANAGE },
      { apiGroup: 'projectcalico.org', resource: 'tier.networkpolicies', resourceNames: ['default.*'], verbs: MANAGE },
      { apiGroup: 'projectcalico.org', resource: 'tier.stagednetworkpolicies', resourceNames: ['default.*'], verbs: MANAGE },
      { apiGroup: 'projectcalico.org', resource: 'tier.networkpolicies', resourceNames: ['apps.*'], verbs: MANAGE },
      { apiGroup: 'projectcalico.org', resource: 'tier.stagednetworkpolicies', resourceNames: ['apps.*'], verbs: MANAGE },
    ]));
    expect(wildcardProblems(manifests)).toEqual([]);
    expect(JSON.stringify(manifests)).not.toContain('crd.projectcalico.org');
  });

  test('read-only access', () => {
    const chart = Testing.chart();
    new NamespacePolicyRole(chart, 'role', { namespace: 'be', name: 'viewer', access: AccessLevel.READ, calicoTiers: [Tier.DEFAULT] });
    for (const rule of simpleRules(findObject(Testing.synth(chart), 'Role', 'viewer', 'be'))) {
      expect(rule.verbs).toEqual(['get', 'list', 'watch']);
    }
  });

  test('bind() creates a RoleBinding in the namespace once', () => {
    const chart = Testing.chart();
    const role = new NamespacePolicyRole(chart, 'role', { namespace: 'be', name: 'editor' });
    expect(role.roleBinding).toBeUndefined();
    const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'be-dev-member', namespace: 'be' } });
    const binding = role.bind(sa);
    expect(role.bind(sa, kplus.User.fromName(chart, 'u', 'carol'))).toBe(binding);
    const obj = findObject(Testing.synth(chart), 'RoleBinding', 'editor', 'be');
    expect(obj.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'editor' });
    expect(subjectsOf(obj)).toEqual(['ServiceAccount:be/be-dev-member', 'User:carol']);
  });

  test('the construct is the Role object; its binding sits below it; instanceof follows the classes', () => {
    const chart = Testing.chart();
    const role = new NamespacePolicyRole(chart, 'role', { namespace: 'be', name: 'editor' });
    const binding = role.bind(kplus.User.fromName(chart, 'u', 'carol'));
    expect([role.role, ApiObject.of(role), role.kind, role.name, role.metadata.namespace]).toEqual([role, role, 'Role', 'editor', 'be']);
    expect(role.node.children).toEqual([binding]);
    expect(binding.node.path).toBe('test/role/Binding');
    expect([role instanceof NamespacePolicyRole, binding instanceof NamespacePolicyRole, role instanceof CalicoTierReaderRole])
      .toEqual([true, false, false]);
  });

  test('with the tier read from a ClusterRole, members may write default-tier policies in their namespace only', () => {
    const chart = Testing.chart();
    let count = 0;
    const subject = () => kplus.User.fromName(chart, `dev${count++}`, 'dev');
    new NamespacePolicyRole(chart, 'role', { namespace: 'be', name: 'editor', calicoTiers: [Tier.DEFAULT] }).bind(subject());
    const model = rbacModelOf(chart);
    // Without the cluster-scoped tier read, Calico refuses.
    expect(model).toForbid({ user: 'dev', verb: 'create', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'be', tier: 'default' });
    new CalicoTierReaderRole(chart, 'reader', { tiers: [Tier.DEFAULT], name: 'reader' }).bind(subject());
    const full = rbacModelOf(chart);
    expect(full).toPermit({ user: 'dev', verb: 'create', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'be', tier: 'default' });
    expect(full).toPermit({ user: 'dev', verb: 'patch', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'be', name: 'x' });
    expect(full).toForbid({ user: 'dev', verb: 'create', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'be', tier: 'security' });
    expect(full).toForbid({ user: 'dev', verb: 'create', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'fe', tier: 'default' });
    expect(full).toForbid({ user: 'dev', verb: 'create', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier: 'default' });
    expect(full).toForbid({ user: 'dev', verb: 'create', apiGroup: 'crd.projectcalico.org', resource: 'networkpolicies', namespace: 'be' });
  });

  test('errors name the construct and field', () => {
    const chart = Testing.chart();
    expect(() => new NamespacePolicyRole(chart, 'a', { namespace: 'Bad_NS' })).toThrow(/^NamespacePolicyRole "test\/a": namespace: "Bad_NS" is not a valid namespace/);
    expect(() => new NamespacePolicyRole(chart, 'b', { namespace: 'be', name: 'x/y' })).toThrow(/^NamespacePolicyRole "test\/b": name: "x\/y" is not a valid RBAC object name/);
    expect(() => new NamespacePolicyRole(chart, 'c', { namespace: 'be', calicoTiers: 'default' as any })).toThrow(
      'NamespacePolicyRole "test/c": calicoTiers: must be a list of tiers, e.g. [Tier.DEFAULT]',
    );
    expect(() => new NamespacePolicyRole(chart, 'd', { namespace: 'be', calicoTiers: ['a.b' as any] })).toThrow(/calicoTiers\[0\]: "a.b" is not a valid tier name/);
    expect(() => new NamespacePolicyRole(chart, 'e', { namespace: 'be', stagedCalicoPolicies: true })).toThrow(
      'NamespacePolicyRole "test/e": stagedCalicoPolicies: staged Calico policies need calicoTiers (the tiers they may be written in)',
    );
    expect(() => new NamespacePolicyRole(chart, 'f', { namespace: 'be', kubernetesNetworkPolicies: false })).toThrow(
      'NamespacePolicyRole "test/f": kubernetesNetworkPolicies: the role would grant nothing: keep Kubernetes NetworkPolicies or give calicoTiers',
    );
    expect(() => new NamespacePolicyRole(chart, 'g', { namespace: 'be', access: 'x' as AccessLevel })).toThrow(/access: "x" is not an access level/);
  });
});
