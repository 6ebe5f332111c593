import * as policy from '../../src/policy';

describe('policy barrel', () => {
  test('exports the public API', () => {
    for (const name of [
      'Protocol', 'Port', 'RuleAction', 'PolicyType', 'IpVersion', 'Tier', 'TierDefaultAction',
      'NetworkPolicy', 'GlobalNetworkPolicy', 'NetworkSet', 'GlobalNetworkSet', 'StagedKubernetesNetworkPolicy',
    ]) {
      expect(policy).toHaveProperty(name);
    }
  });

  test('keeps internal helpers out of the public API', () => {
    for (const name of ['renderRule', 'PolicyRules', 'parseCidr', 'checkPolicyName', 'generatedName', 'fail']) {
      expect(policy).not.toHaveProperty(name);
    }
  });
});
