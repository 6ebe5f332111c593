import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { findObject, grants, simpleRules } from './rbac-manifests';
import { Tier } from '../../src/policy/tier';
import { CalicoTierReaderRole } from '../../src/rbac/calico-tier-reader-role';
import { rbacModelOf } from '../../src/testing';

describe('CalicoTierReaderRole', () => {
  test('snapshot', () => {
    const chart = Testing.chart();
    new CalicoTierReaderRole(chart, 'reader', { tiers: [Tier.DEFAULT], name: 'calico-tier-default-reader' });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('get on each named tier, nothing else', () => {
    const chart = Testing.chart();
    const tier = new Tier(chart, 't', { name: 'platform' });
    const role = new CalicoTierReaderRole(chart, 'reader', { tiers: [Tier.DEFAULT, tier, Tier.fromName('default')], name: 'readers' });
    expect(role.tierNames).toEqual(['default', 'platform']);
    expect(simpleRules(findObject(Testing.synth(chart), 'ClusterRole', 'readers'))).toEqual(grants([
      { apiGroup: 'projectcalico.org', resource: 'tiers', resourceNames: ['default'], verbs: ['get'] },
      { apiGroup: 'projectcalico.org', resource: 'tiers', resourceNames: ['platform'], verbs: ['get'] },
    ]));
  });

  test('alone it satisfies only the first tier check', () => {
    const chart = Testing.chart();
    new CalicoTierReaderRole(chart, 'reader', { tiers: [Tier.DEFAULT], name: 'readers' }).bind(kplus.User.fromName(chart, 'dev', 'dev'));
    const model = rbacModelOf(chart);
    expect(model).toPermit({ user: 'dev', verb: 'get', apiGroup: 'projectcalico.org', resource: 'tiers', name: 'default' });
    expect(model).toForbid({ user: 'dev', verb: 'get', apiGroup: 'projectcalico.org', resource: 'tiers', name: 'security' });
    expect(model).toForbid({ user: 'dev', verb: 'create', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'be', tier: 'default' });
  });

  test('needs at least one valid tier', () => {
    const chart = Testing.chart();
    expect(() => new CalicoTierReaderRole(chart, 'a', { tiers: [] })).toThrow('CalicoTierReaderRole "test/a": tiers: list at least one tier, e.g. [Tier.DEFAULT]');
    expect(() => new CalicoTierReaderRole(chart, 'b', { tiers: [Tier.DEFAULT, 'BAD' as any] })).toThrow(/^CalicoTierReaderRole "test\/b": tiers\[1\]: "BAD" is not a valid tier name/);
  });
});
