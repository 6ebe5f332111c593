import * as policy from '../../src/policy';

describe('policy barrel', () => {
  test('exports the public API', () => {
    for (const name of [
      'Protocol', 'Port', 'RuleAction', 'PolicyType', 'IpVersion', 'Tier', 'TierDefaultAction', 'Peer',
      'PolicyBase', 'NetworkPolicy', 'GlobalNetworkPolicy', 'NetworkSetBase', 'NetworkSet', 'GlobalNetworkSet',
      'StagedKubernetesNetworkPolicy', 'TypedApiObject',
    ]) {
      expect(policy).toHaveProperty(name);
    }
  });

  test('keeps internal helpers out of the public API', () => {
    for (const name of [
      'renderRule', 'PolicyRules', 'parseCidr', 'checkPolicyName', 'generatedName', 'generatedChildName', 'describeChild', 'fail', 'resolveTier', 'peerRules',
      'namespaceNameSelector', 'toKubernetesLabelSelector',
    ]) {
      expect(policy).not.toHaveProperty(name);
    }
  });
});
