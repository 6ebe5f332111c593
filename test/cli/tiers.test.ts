import { run } from './cli-run';
import { SHOP_YAML } from './fixtures';

/** A policy in tier `platform`, which the manifests do not declare: web may not reach api. */
const PLATFORM_YAML = `${SHOP_YAML}---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: platform.deny-web }
spec:
  tier: platform
  order: 10
  selector: app == 'api'
  types: [Ingress]
  ingress:
  - action: Deny
    source: { selector: app == 'web' }
`;

describe('--tier: tiers managed outside the manifests', () => {
  test('a policy in an undeclared tier is an error naming the tier', () => {
    const result = run(['check', '-f', '-', '--from', 'shop/web', '--to', 'shop/api', '--port', '8080'], PLATFORM_YAML);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/platform/);
  });

  test('--tier declares it: the policy is evaluated in that tier', () => {
    const denied = run(['check', '-f', '-', '--tier', 'platform=50', '--from', 'shop/web', '--to', 'shop/api', '--port', '8080'], PLATFORM_YAML);
    expect(denied.code).toBe(1);
    expect(denied.out).toMatch(/platform\.deny-web/);
  });

  test('--tier works for matrix too', () => {
    const result = run(['matrix', '-f', '-', '--tier', 'platform=50:Pass', '--port', '8080'], PLATFORM_YAML);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/shop\/web/);
  });

  test.each(['platform', 'platform=', 'platform=x', 'platform=50:Allow', '=50'])('malformed --tier %s is a usage error', (value) => {
    const result = run(['check', '-f', '-', '--tier', value, '--from', 'shop/web', '--to', 'shop/api'], PLATFORM_YAML);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--tier .*expected <name>=<order>\[:Deny\|Pass\]/);
  });
});
