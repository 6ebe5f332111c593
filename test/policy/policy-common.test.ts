import { ApiObject, Chart, Testing } from 'cdk8s';
import { Peer, PolicyType, Port, Protocol, RuleAction, Tier } from '../../src/policy';
import { PolicyRules, peerRules, portsByProtocol, renderCommonSpec, resolvePolicyName } from '../../src/policy/policy-common';
import { resolveTier } from '../../src/policy/tier-resolution';
import { Selector } from '../../src/selector';

const OWNER = 'NetworkPolicy "chart/p"';

describe('resolveTier', () => {
  test('default, ITiers, Tier constructs and (deprecated) names', () => {
    expect(resolveTier(OWNER, 'tier', undefined)).toBe(Tier.DEFAULT);
    expect(resolveTier(OWNER, 'tier', Tier.KUBE_ADMIN)).toBe(Tier.KUBE_ADMIN);
    expect(resolveTier(OWNER, 'tier', 'security').tierName).toBe('security');
    expect(resolveTier(OWNER, 'tier', 'default')).toBe(Tier.DEFAULT);
    const construct = new Tier(Testing.chart(), 't', { name: 'platform' });
    expect(resolveTier(OWNER, 'tier', construct)).toBe(construct);
  });

  test('invalid tiers', () => {
    expect(() => resolveTier(OWNER, 'tier', 'sec.ops')).toThrow(/^NetworkPolicy "chart\/p": tier: "sec.ops" is not a valid tier name: .*\(no dots\)/);
    expect(() => resolveTier(OWNER, 'tier', { tierName: 'Sec' })).toThrow(/^NetworkPolicy "chart\/p": tier: "Sec" is not a valid tier name/);
    expect(() => resolveTier(OWNER, 'tier', {} as any)).toThrow("NetworkPolicy \"chart/p\": tier: {} is not a tier; pass a Tier construct, Tier.fromName('security') or Tier.DEFAULT");
    expect(() => resolveTier(OWNER, 'tier', null as any)).toThrow(/tier: null is not a tier/);
  });
});

describe('resolvePolicyName', () => {
  const scope = () => new Chart(Testing.app(), 'chart');
  const NP = 'NetworkPolicy';

  test('prefixes outside the default tier, once', () => {
    expect(resolvePolicyName(OWNER, scope(), 'p', 'allow', 'default', NP)).toBe('allow');
    expect(resolvePolicyName(OWNER, scope(), 'p', 'allow', 'security', NP)).toBe('security.allow');
    expect(resolvePolicyName(OWNER, scope(), 'p', 'security.allow', 'security', NP)).toBe('security.allow');
  });

  test('generates a name when none is given', () => {
    expect(resolvePolicyName(OWNER, scope(), 'p', undefined, 'default', NP)).toMatch(/^chart-p-[0-9a-f]{8}$/);
    expect(resolvePolicyName(OWNER, scope(), 'p', undefined, 'ops', 'GlobalNetworkPolicy')).toMatch(/^ops\.chart-p-[0-9a-f]{8}$/);
  });

  test('the generated name is the one cdk8s gives the object created there, and the id stays free', () => {
    const chart = scope();
    const name = resolvePolicyName(OWNER, chart, 'p', undefined, 'default', NP);
    expect(chart.node.tryFindChild('p')).toBeUndefined();
    expect(new ApiObject(chart, 'p', { apiVersion: 'v1', kind: 'ConfigMap' }).name).toBe(name);
  });

  test('checks the result', () => {
    expect(() => resolvePolicyName(OWNER, scope(), 'p', 'Bad', 'default', NP)).toThrow(/NetworkPolicy "chart\/p": metadata.name: "Bad" is not a valid policy name/);
  });
});

describe('PolicyRules', () => {
  test('types inferred from the rules so far', () => {
    const rules = new PolicyRules({ owner: OWNER, global: false });
    expect(rules.types).toEqual([PolicyType.INGRESS]);
    expect(rules.renderedIngress).toBeUndefined();
    expect(rules.renderedEgress).toBeUndefined();
    rules.addEgressRule({ action: RuleAction.ALLOW });
    expect(rules.types).toEqual([PolicyType.EGRESS]);
    rules.addIngressRule({ action: RuleAction.DENY });
    expect(rules.types).toEqual([PolicyType.INGRESS, PolicyType.EGRESS]);
    expect(rules.renderedIngress).toHaveLength(1);
    expect(rules.renderedEgress).toHaveLength(1);
  });

  test('explicit types win and are copied', () => {
    const types = [PolicyType.EGRESS];
    const rules = new PolicyRules({ owner: OWNER, global: false, types });
    types.push(PolicyType.INGRESS);
    expect(rules.types).toEqual([PolicyType.EGRESS]);
  });

  test('rule fields are numbered per direction', () => {
    const rules = new PolicyRules({ owner: OWNER, global: false });
    rules.addIngressRule({ action: RuleAction.ALLOW });
    rules.addEgressRule({ action: RuleAction.ALLOW });
    expect(() => rules.addEgressRule({ action: 'Nope' as any })).toThrow('NetworkPolicy "chart/p": egress[1].action: "Nope" is not a rule action; use one of Allow, Deny, Log, Pass (case-sensitive)');
  });

  test('global policies check service namespaces', () => {
    const rules = new PolicyRules({ owner: OWNER, global: true });
    expect(() => rules.addIngressRule({ action: RuleAction.ALLOW, source: { services: { name: 'x' } } })).toThrow(/a global policy must name the namespace/);
  });

  test('preDNAT forbids egress', () => {
    expect(() => new PolicyRules({ owner: OWNER, global: true, preDnat: true }).addEgressRule({ action: RuleAction.ALLOW })).toThrow(
      /egress\[0\]: a preDNAT policy cannot have egress rules/,
    );
  });

  test('types must be an array', () => {
    expect(() => new PolicyRules({ owner: OWNER, global: false, types: 'Ingress' as any })).toThrow(/types: give at least one of PolicyType.INGRESS/);
  });
});

describe('renderCommonSpec', () => {
  test('omits the default tier and unset fields', () => {
    expect(renderCommonSpec(OWNER, {}, 'default')).toEqual({ tier: undefined, order: undefined, selector: undefined, serviceAccountSelector: undefined });
    expect(renderCommonSpec(OWNER, { order: 1, selector: Selector.all() }, 'ops')).toEqual({
      tier: 'ops',
      order: 1,
      selector: Selector.all().toString(),
      serviceAccountSelector: undefined,
    });
  });

  test('checks order', () => {
    expect(() => renderCommonSpec(OWNER, { order: -Infinity }, 'default')).toThrow(/order: -Infinity is not a usable order/);
  });
});

describe('portsByProtocol', () => {
  test('groups in order of appearance; ports without a protocol form a group of their own', () => {
    const groups = portsByProtocol([Port.udp(53), Port.named('http'), Port.tcp(443), Port.udp(123), Port.of(Protocol.of(6), 80)]);
    expect(groups.map((g) => [g.protocol?.name, g.ports.map(String)])).toEqual([['UDP', ['53', '123']], [undefined, ['http']], ['TCP', ['443', '80']]]);
    expect(portsByProtocol([])).toEqual([{ protocol: undefined, ports: [] }]);
  });
});

describe('peerRules', () => {
  test('one Allow rule per rule side of the peer and per protocol', () => {
    const rules = peerRules(OWNER, 'allowFrom()', PolicyType.INGRESS, Peer.cidr('192.0.2.0/24', '2001:db8::/32'), [Port.tcp(443), Port.udp(443)], { policyNamespace: 'ns' });
    expect(rules.map((r) => [r.protocol?.name, r.source?.nets, r.destination?.ports?.map(String)])).toEqual([
      ['TCP', ['192.0.2.0/24'], ['443']],
      ['UDP', ['192.0.2.0/24'], ['443']],
      ['TCP', ['2001:db8::/32'], ['443']],
      ['UDP', ['2001:db8::/32'], ['443']],
    ]);
  });

  test('egress puts the peer and the ports in the destination', () => {
    const [rule] = peerRules(OWNER, 'allowTo()', PolicyType.EGRESS, Peer.namespaces('db'), [Port.tcp(5432)], { policyNamespace: 'ns' });
    expect(rule.action).toBe(RuleAction.ALLOW);
    expect(rule.source).toBeUndefined();
    expect(rule.destination?.namespaceSelector?.toString()).toBe('projectcalico.org/name == "db"');
    expect(rule.destination?.ports?.map(String)).toEqual(['5432']);
  });

  test('errors name the owner and the call', () => {
    expect(() => peerRules(OWNER, 'allowFrom()', PolicyType.INGRESS, 'fe' as any, [], {})).toThrow(
      'NetworkPolicy "chart/p": allowFrom(): "fe" is not a Peer; use Peer.namespaces(), Peer.pods(), Peer.cidr() or another Peer factory',
    );
    expect(() => peerRules(OWNER, 'allowFrom()', PolicyType.INGRESS, Peer.anywhere(), [443 as any], {})).toThrow(
      /^NetworkPolicy "chart\/p": allowFrom\(\).ports\[0\]: 443 is not a Port/,
    );
    expect(() => peerRules(OWNER, 'allowFrom()', PolicyType.INGRESS, Peer.serviceAccounts('api'), [], {})).toThrow(
      /^NetworkPolicy "chart\/p": allowFrom\(\): service accounts api: in a cluster-wide policy these names would match/,
    );
  });
});
