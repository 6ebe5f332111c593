import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { findObject, grants, simpleRules, wildcardProblems } from './rbac-manifests';
import { Tier } from '../../src/policy/tier';
import { AccessLevel } from '../../src/rbac/access';
import { TieredPolicyResource } from '../../src/rbac/calico-resources';
import { CalicoTierRole } from '../../src/rbac/calico-tier-role';
import { rbacModelOf } from '../../src/testing';

const MANAGE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

describe('CalicoTierRole', () => {
  test('snapshot', () => {
    const chart = Testing.chart();
    new CalicoTierRole(chart, 'tier', { tier: Tier.fromName('security'), name: 'security-calico-tier-security' });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('both tier grants: get on the tier, verbs on tier.* named <tier>.*', () => {
    const chart = Testing.chart();
    const role = new CalicoTierRole(chart, 'tier', { tier: Tier.fromName('security'), name: 'sec' });
    expect(role.tierName).toBe('security');
    const manifests = Testing.synth(chart);
    expect(simpleRules(findObject(manifests, 'ClusterRole', 'sec'))).toEqual(grants([
      { apiGroup: 'projectcalico.org', resource: 'tiers', resourceNames: ['security'], verbs: ['get'] },
      { apiGroup: 'projectcalico.org', resource: 'tier.networkpolicies', resourceNames: ['security.*'], verbs: MANAGE },
      { apiGroup: 'projectcalico.org', resource: 'tier.globalnetworkpolicies', resourceNames: ['security.*'], verbs: MANAGE },
      { apiGroup: 'projectcalico.org', resource: 'tier.stagednetworkpolicies', resourceNames: ['security.*'], verbs: MANAGE },
      { apiGroup: 'projectcalico.org', resource: 'tier.stagedglobalnetworkpolicies', resourceNames: ['security.*'], verbs: MANAGE },
    ]));
    expect(wildcardProblems(manifests)).toEqual([]);
  });

  test('takes a Tier construct, read-only access and chosen resources', () => {
    const chart = Testing.chart();
    const tier = new Tier(chart, 'platform', { name: 'platform', order: 50 });
    new CalicoTierRole(chart, 'tier', { tier, name: 'viewer', access: AccessLevel.READ, resources: [TieredPolicyResource.GLOBAL_NETWORK_POLICIES] });
    expect(simpleRules(findObject(Testing.synth(chart), 'ClusterRole', 'viewer'))).toEqual(grants([
      { apiGroup: 'projectcalico.org', resource: 'tiers', resourceNames: ['platform'], verbs: ['get'] },
      { apiGroup: 'projectcalico.org', resource: 'tier.globalnetworkpolicies', resourceNames: ['platform.*'], verbs: ['get', 'list', 'watch'] },
    ]));
  });

  test('Calico authorizes policies of that tier only', () => {
    const chart = Testing.chart();
    new CalicoTierRole(chart, 'tier', { tier: Tier.fromName('security'), name: 'sec' }).bind(kplus.User.fromName(chart, 'alice', 'alice'));
    const model = rbacModelOf(chart);
    expect(model).toPermit({ user: 'alice', verb: 'create', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier: 'security' });
    expect(model).toPermit({ user: 'alice', verb: 'delete', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'be', name: 'x', tier: 'security' });
    expect(model).toForbid({ user: 'alice', verb: 'create', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier: 'default' });
  });

  test('refuses what is not a tier', () => {
    const chart = Testing.chart();
    expect(() => new CalicoTierRole(chart, 'a', { tier: 'Sec.urity' as any })).toThrow(/^CalicoTierRole "test\/a": tier: "Sec.urity" is not a valid tier name/);
    expect(() => new CalicoTierRole(chart, 'b', { tier: 42 as any })).toThrow(
      "CalicoTierRole \"test/b\": tier: 42 is not a tier; pass a Tier construct, Tier.fromName('security') or Tier.DEFAULT",
    );
    expect(() => new CalicoTierRole(chart, 'c', { tier: Tier.fromName('x'), resources: [] })).toThrow(/^CalicoTierRole "test\/c": RbacGrant.tierPolicies\(\): resources must list/);
  });
});
