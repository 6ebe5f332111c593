import { Testing } from 'cdk8s';
import { Tier } from '../../src/policy/tier';
import { checkRoleName, MAX_ROLE_NAME_LENGTH, rethrow, tierNameOf } from '../../src/rbac/checks';

describe('checkRoleName', () => {
  test.each(['security-network-policy-admin', 'calico:tier-reader', 'a', 'a.b-c'])('accepts %s', (name) => {
    expect(() => checkRoleName('o', 'name', name)).not.toThrow();
  });

  test.each(['', 'Security', '-a', 'a-', 'a/b', 'a*', 'x'.repeat(MAX_ROLE_NAME_LENGTH + 1)])('rejects %j', (name) => {
    expect(() => checkRoleName('NetworkPolicyAdminRole "c/r"', 'name', name)).toThrow(
      /^NetworkPolicyAdminRole "c\/r": name: .* is not a valid RBAC object name: use at most 253 lower-case letters/,
    );
  });
});

describe('rethrow', () => {
  test('returns the value', () => {
    expect(rethrow('o', () => 42)).toBe(42);
  });

  test('prefixes errors with the owner', () => {
    expect(() => rethrow('CalicoTierRole "c/t"', () => {
      throw new Error('inner problem');
    })).toThrow('CalicoTierRole "c/t": inner problem');
  });
});

describe('tierNameOf', () => {
  test('resolves Tier constructs, tier references and (deprecated) names', () => {
    const chart = Testing.chart();
    expect(tierNameOf('o', 'f', new Tier(chart, 't', { name: 'net' }))).toBe('net');
    expect(tierNameOf('o', 'f', Tier.DEFAULT)).toBe('default');
    expect(tierNameOf('o', 'f', Tier.fromName('security'))).toBe('security');
    expect(tierNameOf('o', 'f', 'default')).toBe('default');
  });

  test('refuses other values', () => {
    expect(() => tierNameOf('Role "r"', 'tier', 7 as any)).toThrow("Role \"r\": tier: 7 is not a tier; pass a Tier construct, Tier.fromName('security') or Tier.DEFAULT");
    expect(() => tierNameOf('Role "r"', 'tier', undefined as any)).toThrow("Role \"r\": tier: give a tier: a Tier construct, Tier.fromName('security') or Tier.DEFAULT");
    expect(() => tierNameOf('Role "r"', 'tier', 'a.b')).toThrow(/^Role "r": tier: "a.b" is not a valid tier name/);
  });
});
