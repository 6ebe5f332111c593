/**
 * Felix's policy order (v3.32): by order, then by the string "<name>/<namespace>/<kind>"
 * (felix/calc/policy_sorter.go PolKVLess), with Kubernetes NetworkPolicies keyed by their plain name.
 */
import { Decision, NetworkModel } from '../../../src/analysis';
import { calicoPolicy, globalPolicy, k8sPolicy, pod, tier } from '../network-fixtures';

const web = pod('shop', 'web', { app: 'web' }, { ip: '10.0.0.1' });
const client = pod('shop', 'client', { app: 'client' }, { ip: '10.0.0.2' });
const pods = [web, client];
const flow = { from: 'shop/client', to: 'shop/web', port: 80 };

describe('equal order: <name>/<namespace>/<kind> decides', () => {
  test('Calico NetworkPolicy l-deny (order 1000) before Kubernetes NetworkPolicy z-allow: denied', () => {
    const lDeny = calicoPolicy('shop', 'l-deny', { order: 1000, selector: 'app == "web"', ingress: [{ action: 'Deny' }] });
    const zAllow = k8sPolicy('shop', 'z-allow', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] });
    const v = NetworkModel.fromManifests([...pods, zAllow, lDeny]).check(flow);
    expect(v.allowed).toBe(false);
    expect(v.ingress).toMatchObject({ decidedBy: Decision.RULE, action: 'Deny', policy: 'NetworkPolicy shop/l-deny', tier: 'default' });
    // The explanation names the policies as users know them, in evaluation order.
    expect(v.ingress.trace).toEqual([
      'tier default (order 1000000, defaultAction Deny): 2 policies select shop/web for ingress',
      '  NetworkPolicy shop/l-deny (order 1000, selector app == "web")',
      '    ingress rule 0 (Deny): match: deny',
    ]);
  });

  test('the same pair the other way round by name: Kubernetes a-allow before Calico l-deny: allowed', () => {
    const lDeny = calicoPolicy('shop', 'l-deny', { order: 1000, selector: 'app == "web"', ingress: [{ action: 'Deny' }] });
    const aAllow = k8sPolicy('shop', 'a-allow', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] });
    const v = NetworkModel.fromManifests([...pods, lDeny, aAllow]).check(flow);
    expect(v.allowed).toBe(true);
    expect(v.ingress.policy).toBe('Kubernetes NetworkPolicy shop/a-allow');
  });

  test('NetworkPolicies a (Allow) and a-b (Deny), same order and namespace: denied ("-" sorts before "/")', () => {
    const a = calicoPolicy('shop', 'a', { order: 100, selector: 'app == "web"', ingress: [{ action: 'Allow' }] });
    const ab = calicoPolicy('shop', 'a-b', { order: 100, selector: 'app == "web"', ingress: [{ action: 'Deny' }] });
    const v = NetworkModel.fromManifests([...pods, a, ab]).check(flow);
    expect(v.allowed).toBe(false);
    expect(v.ingress).toMatchObject({ policy: 'NetworkPolicy shop/a-b', action: 'Deny' });
  });

  test('GlobalNetworkPolicy a (Deny) and NetworkPolicy a-b (Allow), same order: allowed ("a-b/shop/…" < "a//…")', () => {
    const a = globalPolicy('a', { order: 100, selector: 'app == "web"', ingress: [{ action: 'Deny' }] });
    const ab = calicoPolicy('shop', 'a-b', { order: 100, selector: 'app == "web"', ingress: [{ action: 'Allow' }] });
    const v = NetworkModel.fromManifests([...pods, a, ab]).check(flow);
    expect(v.allowed).toBe(true);
    expect(v.ingress).toMatchObject({ policy: 'NetworkPolicy shop/a-b', action: 'Allow' });
  });

  test('same name and order: a GlobalNetworkPolicy (empty namespace) comes before a NetworkPolicy', () => {
    const g = globalPolicy('p', { order: 100, selector: 'app == "web"', ingress: [{ action: 'Deny' }] });
    const n = calicoPolicy('shop', 'p', { order: 100, selector: 'app == "web"', ingress: [{ action: 'Allow' }] });
    expect(NetworkModel.fromManifests([...pods, n, g]).check(flow).ingress.policy).toBe('GlobalNetworkPolicy p');
  });

  test('same name, order and namespace: the kind decides (KubernetesNetworkPolicy < NetworkPolicy)', () => {
    const n = calicoPolicy('shop', 'p', { order: 1000, selector: 'app == "web"', ingress: [{ action: 'Deny' }] });
    const k = k8sPolicy('shop', 'p', { podSelector: {}, ingress: [{}] });
    expect(NetworkModel.fromManifests([...pods, n, k]).check(flow).ingress.policy).toBe('Kubernetes NetworkPolicy shop/p');
  });

  test('manifest order does not matter', () => {
    const a = calicoPolicy('shop', 'a', { order: 100, selector: 'app == "web"', ingress: [{ action: 'Allow' }] });
    const ab = calicoPolicy('shop', 'a-b', { order: 100, selector: 'app == "web"', ingress: [{ action: 'Deny' }] });
    expect(NetworkModel.fromManifests([...pods, ab, a]).check(flow).allowed).toBe(false);
    expect(NetworkModel.fromManifests([a, ...pods, ab]).check(flow).allowed).toBe(false);
  });
});

describe('policies without order', () => {
  test('come after every ordered policy of their tier, however large its order', () => {
    const none = calicoPolicy('shop', 'a', { selector: 'app == "web"', ingress: [{ action: 'Deny' }] });
    const huge = calicoPolicy('shop', 'z', { order: 1e300, selector: 'app == "web"', ingress: [{ action: 'Allow' }] });
    expect(NetworkModel.fromManifests([...pods, none, huge]).check(flow).ingress.policy).toBe('NetworkPolicy shop/z');
  });

  test('among themselves, sort by the same key', () => {
    const a = calicoPolicy('shop', 'a', { selector: 'app == "web"', ingress: [{ action: 'Allow' }] });
    const ab = calicoPolicy('shop', 'a-b', { selector: 'app == "web"', ingress: [{ action: 'Deny' }] });
    const v = NetworkModel.fromManifests([...pods, a, ab]).check(flow);
    expect(v.ingress.policy).toBe('NetworkPolicy shop/a-b');
    expect(v.ingress.trace[1]).toBe('  NetworkPolicy shop/a-b (no order, selector app == "web")');
  });
});

describe('staged policies', () => {
  test('a staged Set is ordered as the enforced policy it stands in for', () => {
    // Enforced: a (Allow) alone. Staged: a-b (Deny) at the same order sorts first when included.
    const a = calicoPolicy('shop', 'a', { order: 100, selector: 'app == "web"', ingress: [{ action: 'Allow' }] });
    const stagedAb = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'StagedNetworkPolicy',
      metadata: { name: 'a-b', namespace: 'shop' },
      spec: { order: 100, selector: 'app == "web"', ingress: [{ action: 'Deny' }] },
    };
    const model = NetworkModel.fromManifests([...pods, a, stagedAb]);
    expect(model.check(flow).allowed).toBe(true);
    expect(model.check(flow, { includeStaged: true }).ingress).toMatchObject({ allowed: false, policy: 'StagedNetworkPolicy shop/a-b' });
  });
});

describe('tiers of equal order', () => {
  test('go by name', () => {
    const deny = globalPolicy('d', { tier: 'beta', selector: 'app == "web"', ingress: [{ action: 'Deny' }] });
    const allow = globalPolicy('a', { tier: 'alpha', selector: 'app == "web"', ingress: [{ action: 'Allow' }] });
    expect(NetworkModel.fromManifests([...pods, tier('beta', 10), tier('alpha', 10), deny, allow]).check(flow).ingress.tier).toBe('alpha');
    expect(NetworkModel.fromManifests([...pods, tier('beta', 10), tier('gamma', 10), deny, globalPolicy('a', { tier: 'gamma', selector: 'app == "web"', ingress: [{ action: 'Allow' }] })]).check(flow).ingress.tier).toBe('beta');
  });
});
