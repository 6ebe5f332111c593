import { Chart, Testing } from 'cdk8s';
import { synthValidated } from './crd-schema';
import { GlobalNetworkPolicy, PolicyType, Port, Protocol, RuleAction, Tier } from '../../src/policy';
import { Selector } from '../../src/selector';

describe('GlobalNetworkPolicy', () => {
  test('snapshot', () => {
    const chart = Testing.chart();
    const tier = new Tier(chart, 'platform', { name: 'platform', order: 50 });
    const policy = new GlobalNetworkPolicy(chart, 'allow-dns', {
      metadata: { name: 'allow-dns' },
      tier,
      order: 10,
      selector: Selector.all(),
      namespaceSelector: Selector.has('team'),
      egress: [
        {
          action: RuleAction.ALLOW,
          protocol: Protocol.UDP,
          destination: { selector: Selector.parse('k8s-app == "kube-dns"'), namespaceSelector: Selector.parse('projectcalico.org/name == "kube-system"'), ports: [Port.number(53)] },
        },
      ],
    });
    policy.addEgressRule({ action: RuleAction.ALLOW, destination: { ports: [Port.tcp(53)], namespaceSelector: Selector.global(), selector: Selector.has('dns') } });
    expect(synthValidated(chart)).toMatchSnapshot();
  });

  test('minimal policy', () => {
    const chart = Testing.chart();
    const policy = new GlobalNetworkPolicy(chart, 'deny-all', { metadata: { name: 'deny-all' } });
    expect(synthValidated(chart)).toEqual([
      { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'deny-all' }, spec: { types: ['Ingress'] } },
    ]);
    expect(policy.name).toBe('deny-all');
    expect(policy.tierName).toBe('default');
    expect(policy.staged).toBe(false);
    expect(policy.apiObject.kind).toBe('GlobalNetworkPolicy');
  });

  test('is cluster-scoped: no namespace, even in a namespaced chart', () => {
    const chart = new Chart(Testing.app(), 'chart', { namespace: 'shop' });
    new GlobalNetworkPolicy(chart, 'p', { metadata: { name: 'p' } });
    expect(synthValidated(chart)[0].metadata).toEqual({ name: 'p' });
    expect(() => new GlobalNetworkPolicy(chart, 'q', { metadata: { namespace: 'shop' } })).toThrow(
      'GlobalNetworkPolicy "chart/q": metadata.namespace: a GlobalNetworkPolicy is cluster-scoped and has no namespace; remove metadata.namespace',
    );
  });

  test('tier prefix and spec.tier outside the default tier', () => {
    const chart = Testing.chart();
    const policy = new GlobalNetworkPolicy(chart, 'p', { metadata: { name: 'block' }, tier: Tier.fromName('security') });
    expect(policy.name).toBe('security.block');
    expect(policy.tierName).toBe('security');
    expect(synthValidated(chart)[0]).toMatchObject({ metadata: { name: 'security.block' }, spec: { tier: 'security' } });
    const already = new GlobalNetworkPolicy(chart, 'q', { metadata: { name: 'security.other' }, tier: Tier.fromName('security') });
    expect(already.name).toBe('security.other');
  });

  test('types inferred, lazily, from rules added later', () => {
    const chart = Testing.chart();
    const policy = new GlobalNetworkPolicy(chart, 'p', { metadata: { name: 'p' } });
    policy.addEgressRule({ action: RuleAction.DENY, destination: { nets: ['169.254.169.254/32'] } });
    expect(synthValidated(chart)[0].spec).toEqual({
      types: ['Egress'],
      egress: [{ action: 'Deny', destination: { nets: ['169.254.169.254/32'] } }],
    });
    policy.addIngressRule({ action: RuleAction.ALLOW });
    expect(synthValidated(chart)[0].spec.types).toEqual(['Ingress', 'Egress']);
  });

  test('namespaceSelector renders canonically, without global()', () => {
    const chart = Testing.chart();
    const ns = Selector.label('env').ne('dev');
    new GlobalNetworkPolicy(chart, 'p', { metadata: { name: 'p' }, namespaceSelector: ns });
    expect(synthValidated(chart)[0].spec.namespaceSelector).toBe(ns.toString());
    expect(() => new GlobalNetworkPolicy(chart, 'q', { namespaceSelector: Selector.global() })).toThrow(
      /GlobalNetworkPolicy "test\/q": namespaceSelector: global\(\) can only be used in a rule namespaceSelector, not in a policy selector/,
    );
  });

  test('services in a global policy need a namespace', () => {
    const chart = Testing.chart();
    const policy = new GlobalNetworkPolicy(chart, 'p', {});
    expect(() => policy.addEgressRule({ action: RuleAction.ALLOW, destination: { services: { name: 'api' } } })).toThrow(
      'GlobalNetworkPolicy "test/p": egress[0].destination.services.namespace: a global policy must name the namespace of the Service; set services.namespace',
    );
  });

  describe('host endpoint options', () => {
    test('preDNAT with applyOnForward, ingress only', () => {
      const chart = Testing.chart();
      new GlobalNetworkPolicy(chart, 'p', {
        metadata: { name: 'nodeports' },
        preDNAT: true,
        applyOnForward: true,
        selector: Selector.has('node-role'),
        ingress: [{ action: RuleAction.DENY, destination: { ports: [Port.tcpRange(30000, 32767)] } }],
      });
      expect(synthValidated(chart)[0].spec).toEqual({
        preDNAT: true,
        applyOnForward: true,
        selector: Selector.has('node-role').toString(),
        types: ['Ingress'],
        ingress: [{ action: 'Deny', protocol: 'TCP', destination: { ports: ['30000:32767'] } }],
      });
    });

    test('doNotTrack with applyOnForward', () => {
      const chart = Testing.chart();
      new GlobalNetworkPolicy(chart, 'p', { metadata: { name: 'untracked' }, doNotTrack: true, applyOnForward: true, ingress: [{ action: RuleAction.ALLOW }] });
      expect(synthValidated(chart)[0].spec).toMatchObject({ doNotTrack: true, applyOnForward: true });
    });

    test('preDNAT needs applyOnForward', () => {
      expect(() => new GlobalNetworkPolicy(Testing.chart(), 'p', { preDNAT: true })).toThrow(
        'GlobalNetworkPolicy "test/p": applyOnForward: a preDNAT policy needs applyOnForward: true',
      );
    });

    test('doNotTrack needs applyOnForward', () => {
      expect(() => new GlobalNetworkPolicy(Testing.chart(), 'p', { doNotTrack: true, applyOnForward: false })).toThrow(
        'GlobalNetworkPolicy "test/p": applyOnForward: a doNotTrack policy needs applyOnForward: true',
      );
    });

    test('not both preDNAT and doNotTrack', () => {
      expect(() => new GlobalNetworkPolicy(Testing.chart(), 'p', { doNotTrack: true, preDNAT: true, applyOnForward: true })).toThrow(
        'GlobalNetworkPolicy "test/p": preDNAT: preDNAT and doNotTrack cannot both be true; a policy is either untracked or pre-DNAT',
      );
    });

    test('preDNAT policies have no egress rules or type', () => {
      const chart = Testing.chart();
      expect(() => new GlobalNetworkPolicy(chart, 'a', { preDNAT: true, applyOnForward: true, types: [PolicyType.INGRESS, PolicyType.EGRESS] })).toThrow(
        'GlobalNetworkPolicy "test/a": types: a preDNAT policy applies to ingress only; remove PolicyType.EGRESS from types',
      );
      const policy = new GlobalNetworkPolicy(chart, 'b', { preDNAT: true, applyOnForward: true });
      expect(() => policy.addEgressRule({ action: RuleAction.ALLOW })).toThrow(
        'GlobalNetworkPolicy "test/b": egress[0]: a preDNAT policy cannot have egress rules (pre-DNAT policy only applies to incoming traffic); remove the rule or preDNAT',
      );
    });
  });

  test('staged: emits StagedGlobalNetworkPolicy with stagedAction Set', () => {
    const chart = Testing.chart();
    const policy = new GlobalNetworkPolicy(chart, 'p', {
      metadata: { name: 'p' },
      staged: true,
      tier: Tier.fromName('security'),
      preDNAT: true,
      applyOnForward: true,
      ingress: [{ action: RuleAction.DENY, source: { nets: ['203.0.113.0/24'] } }],
    });
    expect(policy.staged).toBe(true);
    expect(synthValidated(chart)).toEqual([
      {
        apiVersion: 'projectcalico.org/v3',
        kind: 'StagedGlobalNetworkPolicy',
        metadata: { name: 'security.p' },
        spec: {
          stagedAction: 'Set',
          tier: 'security',
          preDNAT: true,
          applyOnForward: true,
          types: ['Ingress'],
          ingress: [{ action: 'Deny', source: { nets: ['203.0.113.0/24'] } }],
        },
      },
    ]);
  });

  test('names: at most one dot, tier prefix', () => {
    const chart = Testing.chart();
    expect(() => new GlobalNetworkPolicy(chart, 'a', { metadata: { name: 'a.b.c' }, tier: Tier.fromName('a') })).toThrow(/GlobalNetworkPolicy "test\/a": metadata.name: "a.b.c" is not a valid policy name: Calico expects/);
    expect(() => new GlobalNetworkPolicy(chart, 'b', { order: Infinity })).toThrow(/GlobalNetworkPolicy "test\/b": order: Infinity is not a usable order/);
  });
});
