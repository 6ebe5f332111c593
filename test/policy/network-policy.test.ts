import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { synthValidated } from './crd-schema';
import { NetworkPolicy, PolicyType, Port, Protocol, RuleAction, Tier } from '../../src/policy';
import { Selector } from '../../src/selector';

function chartIn(namespace?: string): Chart {
  return new Chart(Testing.app(), 'chart', { namespace });
}

describe('NetworkPolicy', () => {
  test('snapshot', () => {
    const chart = chartIn('shop');
    const tier = new Tier(chart, 'security', { name: 'security', order: 100 });
    const policy = new NetworkPolicy(chart, 'allow-web', {
      metadata: { name: 'allow-web', labels: { team: 'web' } },
      tier,
      order: 10,
      selector: Selector.parse('app == "web"'),
      ingress: [
        {
          action: RuleAction.ALLOW,
          source: { selector: Selector.parse('app == "frontend"') },
          destination: { ports: [Port.tcp(443), Port.tcpRange(8000, 8080), Port.namedTcp('metrics')] },
        },
      ],
    });
    policy.addEgressRule({ action: RuleAction.ALLOW, protocol: Protocol.UDP, destination: { ports: [Port.number(53)] } });
    expect(synthValidated(chart)).toMatchSnapshot();
  });

  test('minimal policy: name from metadata, namespace from the chart, default tier omitted, Ingress type', () => {
    const chart = chartIn('shop');
    const policy = new NetworkPolicy(chart, 'deny-all', { metadata: { name: 'deny-all' } });
    expect(synthValidated(chart)).toEqual([
      {
        apiVersion: 'projectcalico.org/v3',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny-all', namespace: 'shop' },
        spec: { types: ['Ingress'] },
      },
    ]);
    expect(policy.name).toBe('deny-all');
    expect(policy.namespace).toBe('shop');
    expect(policy.tierName).toBe('default');
    expect(policy.staged).toBe(false);
    expect(policy.apiObject.kind).toBe('NetworkPolicy');
  });

  test('metadata.namespace wins over the chart namespace', () => {
    const chart = chartIn('shop');
    const policy = new NetworkPolicy(chart, 'p', { metadata: { name: 'p', namespace: 'other' } });
    expect(policy.namespace).toBe('other');
    expect(synthValidated(chart)[0].metadata.namespace).toBe('other');
  });

  test('a generated name follows the construct path', () => {
    const chart = chartIn('shop');
    const policy = new NetworkPolicy(chart, 'AllowWeb');
    expect(policy.name).toMatch(/^chart-allowweb-[0-9a-f]{8}$/);
    expect(synthValidated(chart)[0].metadata.name).toBe(policy.name);
  });

  describe('tiers', () => {
    test('a Tier construct prefixes the name and sets spec.tier', () => {
      const chart = chartIn('shop');
      const tier = new Tier(chart, 'security', { name: 'security' });
      const policy = new NetworkPolicy(chart, 'allow-dns', { metadata: { name: 'allow-dns' }, tier });
      expect(policy.name).toBe('security.allow-dns');
      expect(policy.tierName).toBe('security');
      const obj = synthValidated(chart).find((o) => o.kind === 'NetworkPolicy');
      expect(obj.metadata.name).toBe('security.allow-dns');
      expect(obj.spec.tier).toBe('security');
    });

    test('the tier is emitted before its policies, wherever it is in the tree', () => {
      const chart = chartIn('shop');
      const apps = new Construct(chart, 'apps');
      const platform = new Construct(chart, 'platform');
      const tier = new Tier(platform, 'security', { name: 'security' });
      new NetworkPolicy(apps, 'a', { tier });
      new NetworkPolicy(apps, 'b', { tier: Tier.fromName('security') });
      expect(synthValidated(chart).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
        'Tier/security',
        expect.stringMatching(/^NetworkPolicy\/security\.chart-apps-a-/),
        expect.stringMatching(/^NetworkPolicy\/security\.chart-apps-b-/),
      ]);
    });

    test('a tier by name works too, and an existing prefix is not doubled', () => {
      const chart = chartIn('shop');
      const a = new NetworkPolicy(chart, 'a', { metadata: { name: 'platform.allow-dns' }, tier: Tier.fromName('platform') });
      // Deprecated, from JavaScript: a tier name as a string.
      const b = new NetworkPolicy(chart, 'b', { metadata: { name: 'allow-ntp' }, tier: 'platform' as any });
      expect(b.tier.tierName).toBe('platform');
      expect(a.name).toBe('platform.allow-dns');
      expect(b.name).toBe('platform.allow-ntp');
      expect(synthValidated(chart).map((o) => [o.metadata.name, o.spec.tier])).toEqual([
        ['platform.allow-dns', 'platform'],
        ['platform.allow-ntp', 'platform'],
      ]);
    });

    test('the default tier is never written, named explicitly or not', () => {
      const chart = chartIn('shop');
      new NetworkPolicy(chart, 'a', { metadata: { name: 'a' }, tier: Tier.DEFAULT });
      new NetworkPolicy(chart, 'b', { metadata: { name: 'default.b' } });
      const objs = synthValidated(chart);
      expect(objs.map((o) => o.spec.tier)).toEqual([undefined, undefined]);
      expect(objs.map((o) => o.metadata.name)).toEqual(['a', 'default.b']);
    });

    test('generated names are prefixed too', () => {
      const chart = chartIn('shop');
      const policy = new NetworkPolicy(chart, 'Gen', { tier: Tier.fromName('platform') });
      expect(policy.name).toMatch(/^platform\.chart-gen-[0-9a-f]{8}$/);
    });
  });

  describe('types', () => {
    const typesOf = (setup: (p: NetworkPolicy) => void, types?: PolicyType[]) => {
      const chart = chartIn('shop');
      setup(new NetworkPolicy(chart, 'p', { metadata: { name: 'p' }, types }));
      return synthValidated(chart)[0].spec.types;
    };

    test('inferred from the rules', () => {
      expect(typesOf(() => undefined)).toEqual(['Ingress']);
      expect(typesOf((p) => p.addIngressRule({ action: RuleAction.ALLOW }))).toEqual(['Ingress']);
      expect(typesOf((p) => p.addEgressRule({ action: RuleAction.ALLOW }))).toEqual(['Egress']);
      expect(typesOf((p) => {
        p.addEgressRule({ action: RuleAction.ALLOW });
        p.addIngressRule({ action: RuleAction.DENY });
      })).toEqual(['Ingress', 'Egress']);
    });

    test('explicit types are kept', () => {
      expect(typesOf(() => undefined, [PolicyType.INGRESS, PolicyType.EGRESS])).toEqual(['Ingress', 'Egress']);
      expect(typesOf(() => undefined, [PolicyType.EGRESS])).toEqual(['Egress']);
    });

    test('rules for a direction outside explicit types are rejected', () => {
      const chart = chartIn('shop');
      expect(() => new NetworkPolicy(chart, 'p', { types: [PolicyType.INGRESS], egress: [{ action: RuleAction.ALLOW }] })).toThrow(
        "NetworkPolicy \"chart/p\": egress[0]: the policy's types are [Ingress], so this egress rule would never apply; add PolicyType.EGRESS to types or remove the rule",
      );
      const q = new NetworkPolicy(chart, 'q', { types: [PolicyType.EGRESS] });
      expect(() => q.addIngressRule({ action: RuleAction.ALLOW })).toThrow(/NetworkPolicy "chart\/q": ingress\[0\]: the policy's types are \[Egress\].*add PolicyType.INGRESS/);
    });

    test('explicit types are checked', () => {
      const chart = chartIn('shop');
      expect(() => new NetworkPolicy(chart, 'a', { types: [] })).toThrow(
        'NetworkPolicy "chart/a": types: give at least one of PolicyType.INGRESS and PolicyType.EGRESS, or leave types out to infer them from the rules',
      );
      expect(() => new NetworkPolicy(chart, 'b', { types: [PolicyType.INGRESS, PolicyType.INGRESS] })).toThrow(
        "NetworkPolicy \"chart/b\": types[1]: 'Ingress' is listed twice; list each type once",
      );
      expect(() => new NetworkPolicy(chart, 'c', { types: ['ingress' as any] })).toThrow(
        'NetworkPolicy "chart/c": types[0]: "ingress" is not a policy type; use PolicyType.INGRESS or PolicyType.EGRESS',
      );
    });
  });

  describe('rules', () => {
    test('rules added after construction are rendered, in order', () => {
      const chart = chartIn('shop');
      const policy = new NetworkPolicy(chart, 'p', { metadata: { name: 'p' }, ingress: [{ action: RuleAction.ALLOW, destination: { ports: [Port.tcp(80)] } }] });
      policy.addIngressRule({ action: RuleAction.DENY });
      policy.addEgressRule({ action: RuleAction.ALLOW, destination: { nets: ['10.0.0.0/8'] } });
      expect(synthValidated(chart)[0].spec).toEqual({
        types: ['Ingress', 'Egress'],
        ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [80] } }, { action: 'Deny' }],
        egress: [{ action: 'Allow', destination: { nets: ['10.0.0.0/8'] } }],
      });
    });

    test('ports render as numbers, ranges and names', () => {
      const chart = chartIn('shop');
      new NetworkPolicy(chart, 'p', {
        metadata: { name: 'p' },
        ingress: [{ action: RuleAction.ALLOW, protocol: Protocol.TCP, destination: { ports: [Port.number(80), Port.range(8000, 8999), Port.named('https')], notPorts: [Port.tcp(8443)] } }],
      });
      expect(synthValidated(chart)[0].spec.ingress[0]).toEqual({
        action: 'Allow',
        protocol: 'TCP',
        destination: { ports: [80, '8000:8999', 'https'], notPorts: [8443] },
      });
    });

    test('errors name the construct path and the rule field', () => {
      const chart = chartIn('shop');
      const policy = new NetworkPolicy(chart, 'allow-web', {});
      const ports = [Port.tcp(80), Port.tcp(443), Port.udp(53)];
      expect(() => policy.addIngressRule({ action: RuleAction.ALLOW, destination: { ports } })).toThrow(
        /^NetworkPolicy "chart\/allow-web": ingress\[0\].destination.ports\[2\]: port 53\/UDP and port 80\/TCP/,
      );
      policy.addIngressRule({ action: RuleAction.ALLOW });
      expect(() => policy.addIngressRule({ action: RuleAction.ALLOW, source: { nets: ['10.0.0.1/8'] } })).toThrow(
        /^NetworkPolicy "chart\/allow-web": ingress\[1\].source.nets\[0\]: "10.0.0.1\/8" is not correctly masked .* use "10.0.0.0\/8"/,
      );
      expect(() => new NetworkPolicy(chart, 'b', { egress: [{ action: RuleAction.ALLOW }, { action: RuleAction.ALLOW, protocol: 'TCP' as any }] })).toThrow(
        /^NetworkPolicy "chart\/b": egress\[1\].protocol: "TCP" is not a Protocol/,
      );
    });

    test('a rejected rule is not added', () => {
      const chart = chartIn('shop');
      const policy = new NetworkPolicy(chart, 'p', { metadata: { name: 'p' } });
      expect(() => policy.addEgressRule({ action: RuleAction.ALLOW, destination: { ports: [Port.number(1)] } })).toThrow();
      expect(synthValidated(chart)[0].spec).toEqual({ types: ['Ingress'] });
    });

    test('http matches only on ingress rules', () => {
      const chart = chartIn('shop');
      const policy = new NetworkPolicy(chart, 'p', {});
      expect(() => policy.addEgressRule({ action: RuleAction.ALLOW, http: { methods: ['GET'] } })).toThrow(
        'NetworkPolicy "chart/p": egress[0].http: HTTP match is not allowed in egress rules',
      );
    });

    test('services need no namespace in a namespaced policy', () => {
      const chart = chartIn('shop');
      new NetworkPolicy(chart, 'p', { metadata: { name: 'p' }, egress: [{ action: RuleAction.ALLOW, destination: { services: { name: 'kube-dns' } } }] });
      expect(synthValidated(chart)[0].spec.egress).toEqual([{ action: 'Allow', destination: { services: { name: 'kube-dns' } } }]);
    });
  });

  describe('selectors', () => {
    test('render canonically', () => {
      const chart = chartIn('shop');
      const selector = Selector.label('app').eq('web').and(Selector.has('tier'));
      const saSelector = Selector.label('role').in(['a', 'b']);
      new NetworkPolicy(chart, 'p', { metadata: { name: 'p' }, selector, serviceAccountSelector: saSelector });
      const spec = synthValidated(chart)[0].spec;
      expect(spec.selector).toBe(selector.toString());
      expect(spec.serviceAccountSelector).toBe(saSelector.toString());
    });

    test('global() is rejected in the policy selectors', () => {
      const chart = chartIn('shop');
      expect(() => new NetworkPolicy(chart, 'a', { selector: Selector.global() })).toThrow(
        'NetworkPolicy "chart/a": selector: global() can only be used in a rule namespaceSelector, not in a policy selector',
      );
      expect(() => new NetworkPolicy(chart, 'b', { serviceAccountSelector: Selector.global() })).toThrow(/NetworkPolicy "chart\/b": serviceAccountSelector: global\(\) can only be used in a rule namespaceSelector/);
      expect(() => new NetworkPolicy(chart, 'c', { selector: 'app == "x"' as any })).toThrow(/NetworkPolicy "chart\/c": selector: .* is not a Selector/);
    });
  });

  test('order', () => {
    const chart = chartIn('shop');
    new NetworkPolicy(chart, 'p', { metadata: { name: 'p' }, order: 0 });
    expect(synthValidated(chart)[0].spec.order).toBe(0);
    expect(() => new NetworkPolicy(chart, 'q', { order: NaN })).toThrow('NetworkPolicy "chart/q": order: NaN is not a usable order; use a finite number (lower orders apply first)');
  });

  test('staged: emits StagedNetworkPolicy with stagedAction Set', () => {
    const chart = chartIn('shop');
    const policy = new NetworkPolicy(chart, 'p', { metadata: { name: 'p' }, staged: true, tier: Tier.fromName('platform'), order: 5 });
    policy.addIngressRule({ action: RuleAction.DENY });
    expect(policy.staged).toBe(true);
    expect(synthValidated(chart)).toEqual([
      {
        apiVersion: 'projectcalico.org/v3',
        kind: 'StagedNetworkPolicy',
        metadata: { name: 'platform.p', namespace: 'shop' },
        spec: { stagedAction: 'Set', tier: 'platform', order: 5, types: ['Ingress'], ingress: [{ action: 'Deny' }] },
      },
    ]);
  });

  describe('names and namespaces', () => {
    test('a namespace is required', () => {
      const chart = Testing.chart();
      expect(() => new NetworkPolicy(chart, 'p', {})).toThrow(
        'NetworkPolicy "test/p": metadata.namespace: this object is namespaced: set metadata.namespace, or give the chart a namespace',
      );
    });

    test('namespaces are DNS labels', () => {
      expect(() => new NetworkPolicy(chartIn('shop'), 'p', { metadata: { namespace: 'Shop' } })).toThrow(/NetworkPolicy "chart\/p": metadata.namespace: "Shop" is not a valid namespace/);
    });

    test('invalid names and tiers', () => {
      const chart = chartIn('shop');
      expect(() => new NetworkPolicy(chart, 'a', { metadata: { name: 'Allow_Web' } })).toThrow(/NetworkPolicy "chart\/a": metadata.name: "Allow_Web" is not a valid policy name: Calico expects/);
      expect(() => new NetworkPolicy(chart, 'b', { metadata: { name: 'security.allow' } })).toThrow(
        /NetworkPolicy "chart\/b": metadata.name: "security.allow" reads as a policy of tier "security", but the policy is in the default tier/,
      );
      expect(() => new NetworkPolicy(chart, 'c', { tier: 'Security' as any })).toThrow(/NetworkPolicy "chart\/c": tier: "Security" is not a valid tier name: .*for example "security"/);
      expect(() => new NetworkPolicy(chart, 'd', { tier: { tierName: 'a.b' } })).toThrow(/NetworkPolicy "chart\/d": tier: "a.b" is not a valid tier name: .*\(no dots\)/);
      expect(() => new NetworkPolicy(chart, 'e', { tier: 5 as any })).toThrow(
        "NetworkPolicy \"chart/e\": tier: 5 is not a tier; pass a Tier construct, Tier.fromName('security') or Tier.DEFAULT",
      );
      expect(() => new NetworkPolicy(chart, 'f', { metadata: { name: 'x.y' }, tier: Tier.fromName('platform') })).toThrow(/"platform.x.y" is not a valid policy name: Calico expects/);
    });

    test('labels are checked', () => {
      expect(() => new NetworkPolicy(chartIn('shop'), 'p', { metadata: { labels: { app: 'a b' } } })).toThrow(/NetworkPolicy "chart\/p": metadata.labels\["app"\]/);
    });
  });

  test('works across charts of one app', () => {
    const app = new App();
    const security = new Chart(app, 'security');
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const tier = new Tier(security, 'tier', { name: 'security' });
    const policy = new NetworkPolicy(shop, 'p', { tier, metadata: { name: 'p' } });
    expect(policy.name).toBe('security.p');
    expect(synthValidated(shop)[0].spec.tier).toBe('security');
  });
});
