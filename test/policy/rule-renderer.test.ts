import { IpVersion, PolicyType, Port, Protocol, Rule, RuleAction } from '../../src/policy';
import { RuleContext, renderPlainSelector, renderRule } from '../../src/policy/rule-renderer';
import { Selector } from '../../src/selector';

const OWNER = 'NetworkPolicy "chart/allow-web"';
const INGRESS: RuleContext = { owner: OWNER, field: 'ingress[0]', direction: PolicyType.INGRESS, global: false };
const EGRESS: RuleContext = { owner: OWNER, field: 'egress[0]', direction: PolicyType.EGRESS, global: false };
const GLOBAL_INGRESS: RuleContext = { ...INGRESS, owner: 'GlobalNetworkPolicy "chart/g"', global: true };
const GLOBAL_EGRESS: RuleContext = { ...EGRESS, owner: 'GlobalNetworkPolicy "chart/g"', global: true };

/** The rule as it appears in a manifest. */
function json(rule: Rule, ctx: RuleContext = INGRESS): any {
  return renderRule(rule, ctx);
}

function error(rule: any, ctx: RuleContext = INGRESS): string {
  try {
    renderRule(rule, ctx);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the rule to be rejected');
}

describe('rendering', () => {
  test('a bare rule is just its action', () => {
    expect(json({ action: RuleAction.DENY })).toEqual({ action: 'Deny' });
    expect(json({ action: RuleAction.PASS })).toEqual({ action: 'Pass' });
    expect(json({ action: RuleAction.LOG })).toEqual({ action: 'Log' });
  });

  test('the protocol is inferred from the ports', () => {
    expect(json({ action: RuleAction.ALLOW, destination: { ports: [Port.tcp(443), Port.tcpRange(8000, 8080), Port.namedTcp('http')] } })).toEqual({
      action: 'Allow',
      protocol: 'TCP',
      destination: { ports: [443, '8000:8080', 'http'] },
    });
  });

  test('ports without protocol take the rule protocol, or the protocol of other ports', () => {
    expect(json({ action: RuleAction.ALLOW, protocol: Protocol.UDP, destination: { ports: [Port.number(53), Port.range(5000, 5010)] } })).toEqual({
      action: 'Allow',
      protocol: 'UDP',
      destination: { ports: [53, '5000:5010'] },
    });
    expect(json({ action: RuleAction.ALLOW, source: { ports: [Port.named('client')] }, destination: { notPorts: [Port.sctp(9)] } })).toEqual({
      action: 'Allow',
      protocol: 'SCTP',
      source: { ports: ['client'] },
      destination: { notPorts: [9] },
    });
  });

  test('numeric protocols render as numbers and may carry ports', () => {
    expect(json({ action: RuleAction.ALLOW, protocol: Protocol.of(6), destination: { ports: [Port.tcp(22)] } })).toEqual({
      action: 'Allow',
      protocol: 6,
      destination: { ports: [22] },
    });
    expect(json({ action: RuleAction.ALLOW, notProtocol: Protocol.of(47) })).toEqual({ action: 'Allow', notProtocol: 47 });
  });

  test('every field', () => {
    const rule: Rule = {
      action: RuleAction.ALLOW,
      ipVersion: IpVersion.V4,
      protocol: Protocol.ICMP,
      notProtocol: Protocol.TCP,
      icmp: { type: 8, code: 0 },
      notIcmp: { type: 3 },
      source: {
        nets: ['10.0.0.0/8'],
        notNets: ['10.1.0.0/16'],
        selector: Selector.parse('app == "web"'),
        notSelector: Selector.parse('has(quarantine)'),
        namespaceSelector: Selector.parse('team == "a"'),
        serviceAccounts: { names: ['api'], selector: Selector.parse('role == "x"') },
      },
      destination: { nets: ['192.0.2.0/24'] },
      metadata: { description: 'ping from web' },
    };
    expect(json(rule)).toEqual({
      action: 'Allow',
      ipVersion: 4,
      protocol: 'ICMP',
      notProtocol: 'TCP',
      icmp: { type: 8, code: 0 },
      notICMP: { type: 3 },
      source: {
        nets: ['10.0.0.0/8'],
        notNets: ['10.1.0.0/16'],
        selector: Selector.parse('app == "web"').toString(),
        notSelector: Selector.parse('has(quarantine)').toString(),
        namespaceSelector: Selector.parse('team == "a"').toString(),
        serviceAccounts: { names: ['api'], selector: Selector.parse('role == "x"').toString() },
      },
      destination: { nets: ['192.0.2.0/24'] },
      metadata: { annotations: { description: 'ping from web' } },
    });
  });

  test('services, http and global() namespace selectors', () => {
    expect(json({ action: RuleAction.ALLOW, source: { services: { name: 'frontend', namespace: 'web' } }, http: { methods: ['GET'], paths: [{ prefix: '/api' }, { exact: '/healthz' }] } })).toEqual({
      action: 'Allow',
      source: { services: { name: 'frontend', namespace: 'web' } },
      http: { methods: ['GET'], paths: [{ prefix: '/api' }, { exact: '/healthz' }] },
    });
    expect(json({ action: RuleAction.ALLOW, destination: { services: { name: 'kube-dns', namespace: 'kube-system' } } }, EGRESS)).toEqual({
      action: 'Allow',
      destination: { services: { name: 'kube-dns', namespace: 'kube-system' } },
    });
    expect(json({ action: RuleAction.ALLOW, destination: { namespaceSelector: Selector.global(), selector: Selector.parse('role == "x"') } }, EGRESS).destination).toEqual({
      namespaceSelector: 'global()',
      selector: Selector.parse('role == "x"').toString(),
    });
  });

  test('empty parts are left out', () => {
    expect(json({ action: RuleAction.ALLOW, source: {}, destination: { ports: [], nets: [] }, metadata: {}, http: {} })).toEqual({ action: 'Allow', http: {} });
  });

  test('the rendered rule does not share arrays with the input', () => {
    const nets = ['10.0.0.0/8'];
    const rendered = renderRule({ action: RuleAction.ALLOW, source: { nets } }, INGRESS);
    nets.push('11.0.0.0/8');
    expect(rendered.source?.nets).toEqual(['10.0.0.0/8']);
  });
});

describe('rule checks', () => {
  test('the rule and its action', () => {
    expect(error(null)).toBe('NetworkPolicy "chart/allow-web": ingress[0]: a rule must be an object with at least an action, got null');
    expect(error({ action: 'allow' })).toBe('NetworkPolicy "chart/allow-web": ingress[0].action: "allow" is not a rule action; use one of Allow, Deny, Log, Pass (case-sensitive)');
  });

  test('protocols must be Protocol values', () => {
    expect(error({ action: RuleAction.ALLOW, protocol: 'TCP' })).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].protocol: "TCP" is not a Protocol; use Protocol.TCP, Protocol.named(\'TCP\') or Protocol.of(n)',
    );
    expect(error({ action: RuleAction.ALLOW, notProtocol: 6 })).toMatch(/ingress\[0\].notProtocol: 6 is not a Protocol/);
    expect(error({ action: RuleAction.ALLOW, protocol: Protocol.TCP, notProtocol: Protocol.of(6) })).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].notProtocol: the rule matches protocol TCP and excludes it with notProtocol, so it never matches; remove one of them',
    );
  });

  test('ipVersion', () => {
    expect(error({ action: RuleAction.ALLOW, ipVersion: 5 })).toBe('NetworkPolicy "chart/allow-web": ingress[0].ipVersion: 5 is not an IP version; use 4 or 6');
  });
});

describe('port checks', () => {
  const withPorts = (ports: any, extra: Partial<Rule> = {}) => ({ action: RuleAction.ALLOW, ...extra, destination: { ports } });

  test('ports are Port values (whose factories checked their numbers and names)', () => {
    expect(error(withPorts('443'))).toMatch(/ingress\[0\].destination.ports: must be an array of Port values/);
    expect(error(withPorts([443]))).toMatch(/ingress\[0\].destination.ports\[0\]: 443 is not a Port; use Port.tcp\(443\)/);
  });

  test('long lists are Calico\'s business, not a limit of ours', () => {
    const many = Array.from({ length: 60 }, (_, i) => Port.tcp(1000 + i));
    expect(json(withPorts(many)).destination.ports).toHaveLength(60);
  });

  test('numeric ports need TCP, UDP or SCTP', () => {
    expect(error(withPorts([Port.number(8080)]))).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].destination.ports: rules with a numeric port or port range must set protocol to TCP, UDP or SCTP',
    );
    expect(error(withPorts([Port.range(1, 2), Port.named('http')]))).toMatch(/destination.ports: rules with a numeric port or port range must set protocol/);
    expect(error(withPorts([Port.number(8080)], { protocol: Protocol.ICMP }))).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].destination.ports: protocol ICMP does not support ports; set protocol to TCP, UDP or SCTP',
    );
  });

  test('UDP-Lite has no ports', () => {
    expect(error(withPorts([Port.named('x')], { protocol: Protocol.UDPLITE }))).toMatch(/destination.ports: protocol UDPLite does not support ports/);
    expect(error({ action: RuleAction.ALLOW, protocol: Protocol.of(136), source: { notPorts: [Port.number(1)] } })).toMatch(/ingress\[0\].source.notPorts: protocol UDPLite does not support ports/);
  });

  test('a rule whose ports are all named needs no protocol', () => {
    expect(json(withPorts([Port.named('http'), Port.named('metrics')]))).toEqual({ action: 'Allow', destination: { ports: ['http', 'metrics'] } });
    expect(json(withPorts([Port.named('http')], { protocol: Protocol.TCP }))).toEqual({ action: 'Allow', protocol: 'TCP', destination: { ports: ['http'] } });
  });

  test('one protocol per rule', () => {
    expect(error(withPorts([Port.tcp(53), Port.udp(53)]))).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].destination.ports[1]: port 53/UDP and port 53/TCP (ingress[0].destination.ports[0]) use different protocols, ' +
        'but a Calico rule has one protocol: split it into one rule per protocol',
    );
    expect(error(withPorts([Port.udp(53)], { protocol: Protocol.TCP }))).toBe(
      "NetworkPolicy \"chart/allow-web\": ingress[0].destination.ports[0]: port 53/UDP does not match the rule's protocol TCP; a Calico rule has one protocol: split it into one rule per protocol",
    );
    expect(error({ action: RuleAction.ALLOW, source: { ports: [Port.tcp(1)] }, destination: { notPorts: [Port.udp(2)] } })).toMatch(
      /ingress\[0\].destination.notPorts\[0\]: port 2\/UDP and port 1\/TCP \(ingress\[0\].source.ports\[0\]\)/,
    );
  });
});

describe('ICMP checks', () => {
  test('ICMP matches need protocol ICMP or ICMPv6', () => {
    expect(error({ action: RuleAction.ALLOW, icmp: { type: 8 } })).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].icmp: rules that specify ICMP fields must set protocol to ICMP or ICMPv6',
    );
    expect(error({ action: RuleAction.ALLOW, protocol: Protocol.TCP, icmp: { type: 8 } })).toMatch(/ingress\[0\].icmp: rules that specify ICMP fields must set protocol/);
    // Calico's validator compares with the protocol *named* ICMPv6: the number 58 is refused with icmp.
    expect(error({ action: RuleAction.ALLOW, protocol: Protocol.of(58), icmp: { type: 128 } })).toMatch(/icmp: .* by name; Calico does not take the number 58 for it/);
    expect(() => renderRule({ action: RuleAction.ALLOW, protocol: Protocol.ICMPV6, icmp: { type: 128 } }, INGRESS)).not.toThrow();
    expect(error({ action: RuleAction.ALLOW, icmp: 'echo' as any })).toBe('NetworkPolicy "chart/allow-web": ingress[0].icmp: "echo" is not an ICMP match; give { type, code? }');
  });

  test('notIcmp is accepted with any protocol, as Calico does', () => {
    expect(json({ action: RuleAction.ALLOW, protocol: Protocol.ICMP, notIcmp: { type: 8 } }).notICMP).toEqual({ type: 8 });
    expect(() => renderRule({ action: RuleAction.ALLOW, protocol: Protocol.TCP, notIcmp: { type: 8 } }, INGRESS)).not.toThrow();
  });

  test('type and code ranges', () => {
    const icmp = (m: any) => ({ action: RuleAction.ALLOW, protocol: Protocol.ICMP, icmp: m });
    expect(error(icmp({ type: 255 }))).toBe('NetworkPolicy "chart/allow-web": ingress[0].icmp.type: ICMP type 255 is out of range; use an integer from 0 to 254');
    expect(error(icmp({ type: -1 }))).toMatch(/ICMP type -1 is out of range/);
    expect(error(icmp({ type: 3, code: 256 }))).toBe('NetworkPolicy "chart/allow-web": ingress[0].icmp.code: ICMP code 256 is out of range; use an integer from 0 to 255');
    expect(error(icmp({ code: 1 }))).toBe('NetworkPolicy "chart/allow-web": ingress[0].icmp.code: ICMP code specified without an ICMP type; add type');
    expect(error({ action: RuleAction.ALLOW, protocol: Protocol.ICMP, notIcmp: { type: 300 } })).toMatch(/^NetworkPolicy "chart\/allow-web": ingress\[0\].notIcmp.type: ICMP type 300 is out of range/);
    expect(() => renderRule(icmp({ type: 0, code: 255 }), INGRESS)).not.toThrow();
  });

  test('ICMP versions match ipVersion', () => {
    expect(error({ action: RuleAction.ALLOW, protocol: Protocol.ICMP, ipVersion: IpVersion.V6 })).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].ipVersion: protocol ICMP needs ipVersion 4 (use ICMPv6 for IPv6)',
    );
    expect(error({ action: RuleAction.ALLOW, protocol: Protocol.ICMPV6, ipVersion: IpVersion.V4 })).toMatch(/protocol ICMPv6 needs ipVersion 6/);
    expect(error({ action: RuleAction.ALLOW, notProtocol: Protocol.ICMP, ipVersion: IpVersion.V6 })).toMatch(/notProtocol ICMP needs ipVersion 4/);
  });
});

describe('net checks', () => {
  test('CIDRs are valid and masked', () => {
    expect(error({ action: RuleAction.ALLOW, source: { nets: ['10.0.0.1/8'] } })).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].source.nets[0]: "10.0.0.1/8" is not correctly masked (host bits are set): use "10.0.0.0/8" for the network, or "10.0.0.1/32" for the single address',
    );
    expect(error({ action: RuleAction.ALLOW, destination: { notNets: ['300.0.0.0/8'] } })).toMatch(/ingress\[0\].destination.notNets\[0\]: "300.0.0.0\/8" is not a valid CIDR/);
    expect(error({ action: RuleAction.ALLOW, source: { nets: '10.0.0.0/8' } })).toMatch(/ingress\[0\].source.nets: must be an array of CIDR strings/);
  });

  test('notNets cannot exclude everything', () => {
    expect(error({ action: RuleAction.ALLOW, source: { notNets: ['0.0.0.0/0'] } })).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].source.notNets[0]: "0.0.0.0/0" in notNets excludes every address, so the rule could never match; remove it, or drop the rule',
    );
    expect(error({ action: RuleAction.ALLOW, destination: { notNets: ['::/0'] } })).toMatch(/destination.notNets\[0\]: "::\/0" in notNets excludes every address/);
    expect(() => renderRule({ action: RuleAction.ALLOW, destination: { nets: ['0.0.0.0/0'] } }, INGRESS)).not.toThrow();
  });

  test('no duplicates', () => {
    expect(error({ action: RuleAction.ALLOW, source: { nets: ['10.0.0.0/8', '10.0.0.0/8'] } })).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].source.nets[1]: "10.0.0.0/8" is listed twice; Calico treats nets as a set, remove the duplicate',
    );
  });

  test('one IP version per rule, matching ipVersion', () => {
    expect(error({ action: RuleAction.ALLOW, source: { nets: ['10.0.0.0/8'] }, destination: { nets: ['fd00::/8'] } })).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].destination.nets: the rule mixes IPv4 and IPv6 CIDRs; Calico needs one IP version per rule, so split it into two rules',
    );
    expect(error({ action: RuleAction.ALLOW, source: { nets: ['10.0.0.0/8', 'fd00::/8'] } })).toMatch(/source.nets: the rule mixes IPv4 and IPv6 CIDRs/);
    expect(error({ action: RuleAction.ALLOW, ipVersion: IpVersion.V6, source: { nets: ['10.0.0.0/8'] } })).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].source.nets: ipVersion 6 does not match the IPv4 CIDR "10.0.0.0/8"',
    );
  });
});

describe('selector checks', () => {
  test('selectors must be Selector values', () => {
    expect(error({ action: RuleAction.ALLOW, source: { selector: 'app == "web"' } })).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].source.selector: "app == \\"web\\"" is not a Selector; build one with Selector.parse(\'app == "web"\') or Selector.label(\'app\').eq(\'web\')',
    );
    expect(error({ action: RuleAction.ALLOW, source: 'x' })).toMatch(/ingress\[0\].source: must be an object \(an EntityRule\)/);
  });

  test('global() only alone in namespaceSelector', () => {
    expect(error({ action: RuleAction.ALLOW, source: { selector: Selector.global() } })).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].source.selector: global() can only be used in a rule namespaceSelector, not in a selector; write namespaceSelector: global() instead',
    );
    // Calico checks only the text of `selector`; a global() elsewhere is evaluated by Felix as "every endpoint".
    expect(() => renderRule({ action: RuleAction.ALLOW, source: { notSelector: Selector.global() } }, INGRESS)).not.toThrow();
    const combined = Selector.global().and(Selector.has('x'));
    expect(error({ action: RuleAction.ALLOW, source: { namespaceSelector: combined } })).toBe(
      `NetworkPolicy "chart/allow-web": ingress[0].source.namespaceSelector: "${combined.toString()}" combines global() with other terms; use namespaceSelector: global() alone`,
    );
  });

  test('renderPlainSelector refuses global() in a policy selector', () => {
    expect(renderPlainSelector(OWNER, 'selector', undefined)).toBeUndefined();
    expect(renderPlainSelector(OWNER, 'selector', Selector.all())).toBe(Selector.all().toString());
    expect(() => renderPlainSelector(OWNER, 'selector', Selector.global())).toThrow(/selector: global\(\) can only be used in a rule namespaceSelector, not in a policy selector/);
  });
});

describe('service account checks', () => {
  const sa = (serviceAccounts: any) => ({ action: RuleAction.ALLOW, source: { serviceAccounts } });

  test('names or selector required', () => {
    expect(error(sa({}))).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].source.serviceAccounts: give names and/or a selector; an empty service account match would select every pod',
    );
    expect(error(sa({ names: 'api' }))).toMatch(/serviceAccounts.names: must be an array of service account names/);
  });

  test('names are valid and unique', () => {
    expect(error(sa({ names: ['API'] }))).toMatch(/ingress\[0\].source.serviceAccounts.names\[0\]: "API" is not a valid service account name/);
    expect(error(sa({ names: ['api', 'api'] }))).toBe('NetworkPolicy "chart/allow-web": ingress[0].source.serviceAccounts.names[1]: "api" is listed twice; remove the duplicate');
  });

  test('a service account match is an object', () => {
    expect(error(sa('api'))).toBe('NetworkPolicy "chart/allow-web": ingress[0].source.serviceAccounts: "api" is not a service account match; give { names?, selector? }');
  });

  test('empty lists are no constraint, but a match with nothing in it is refused', () => {
    expect(json(sa({ names: [], selector: Selector.parse('role == "x"') })).source).toEqual({ serviceAccounts: { selector: 'role == "x"' } });
    expect(error(sa({ names: [] }))).toMatch(/serviceAccounts: give names and\/or a selector; an empty service account match would select every pod/);
  });

  test('a global() in the selector is left to Felix, as Calico does', () => {
    expect(() => renderRule(sa({ selector: Selector.global() }), INGRESS)).not.toThrow();
  });
});

describe('service checks', () => {
  test('only ingress source and egress destination', () => {
    expect(error({ action: RuleAction.ALLOW, destination: { services: { name: 'web' } } })).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].destination.services: services are not allowed in the destination of an ingress rule; name the service in the source',
    );
    expect(error({ action: RuleAction.ALLOW, source: { services: { name: 'web' } } }, EGRESS)).toBe(
      'NetworkPolicy "chart/allow-web": egress[0].source.services: services are not allowed in the source of an egress rule; name the service in the destination',
    );
  });

  test('name and namespace', () => {
    expect(error({ action: RuleAction.ALLOW, source: { services: { name: '' } } })).toMatch(/ingress\[0\].source.services.name: missing: a services match needs the name of a Kubernetes Service/);
    expect(error({ action: RuleAction.ALLOW, source: { services: 'web' as any } })).toMatch(/ingress\[0\].source.services: "web" is not a service match; give \{ name, namespace\? \}/);
    expect(error({ action: RuleAction.ALLOW, source: { services: { name: 'Web' } } })).toMatch(/services.name: "Web" is not a valid service name/);
    expect(error({ action: RuleAction.ALLOW, source: { services: { name: 'web', namespace: 'A' } } })).toMatch(/services.namespace: "A" is not a valid namespace name/);
  });

  test('a global policy must name the namespace', () => {
    expect(error({ action: RuleAction.ALLOW, source: { services: { name: 'web' } } }, GLOBAL_INGRESS)).toBe(
      'GlobalNetworkPolicy "chart/g": ingress[0].source.services.namespace: a global policy must name the namespace of the Service; set services.namespace',
    );
    expect(() => renderRule({ action: RuleAction.ALLOW, destination: { services: { name: 'web', namespace: 'web' } } }, GLOBAL_EGRESS)).not.toThrow();
  });

  test('exclusive with selectors, nets and service accounts', () => {
    expect(
      error({
        action: RuleAction.ALLOW,
        source: {
          services: { name: 'web' },
          selector: Selector.has('a'),
          notSelector: Selector.has('b'),
          namespaceSelector: Selector.has('c'),
          nets: ['10.0.0.0/8'],
          notNets: ['10.1.0.0/16'],
          serviceAccounts: { names: ['x'] },
        },
      }),
    ).toBe('NetworkPolicy "chart/allow-web": ingress[0].source.services: cannot specify namespaceSelector and services on the same rule side');
    expect(error({ action: RuleAction.ALLOW, source: { services: { name: 'web' }, nets: ['10.0.0.0/8'] } })).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].source.services: cannot specify nets/notNets and services on the same rule side: the service defines the addresses',
    );
    expect(error({ action: RuleAction.ALLOW, source: { services: { name: 'web' }, serviceAccounts: { names: ['x'] } } })).toMatch(/cannot specify serviceAccounts and services/);
    expect(error({ action: RuleAction.ALLOW, source: { services: { name: 'web' }, notSelector: Selector.has('b') } })).toMatch(/cannot specify selector\/notSelector and services/);
  });

  test('destination services take no ports; source services may', () => {
    expect(error({ action: RuleAction.ALLOW, destination: { services: { name: 'db' }, ports: [Port.tcp(5432)] } }, EGRESS)).toBe(
      'NetworkPolicy "chart/allow-web": egress[0].destination.ports: ports and notPorts cannot be specified with services: the service defines the ports',
    );
    expect(error({ action: RuleAction.ALLOW, destination: { services: { name: 'db' }, notPorts: [Port.tcp(5432)] } }, EGRESS)).toMatch(/egress\[0\].destination.notPorts: ports and notPorts cannot/);
    expect(json({ action: RuleAction.ALLOW, source: { services: { name: 'web' }, ports: [Port.tcp(1234)] } })).toEqual({
      action: 'Allow',
      protocol: 'TCP',
      source: { services: { name: 'web' }, ports: [1234] },
    });
  });
});

describe('HTTP checks', () => {
  test('ingress Allow rules with TCP or no protocol only', () => {
    expect(error({ action: RuleAction.ALLOW, http: { methods: ['GET'] } }, EGRESS)).toBe('NetworkPolicy "chart/allow-web": egress[0].http: HTTP match is not allowed in egress rules');
    expect(error({ action: RuleAction.DENY, http: { methods: ['GET'] } })).toBe('NetworkPolicy "chart/allow-web": ingress[0].http: HTTP match is only valid on Allow rules');
    expect(error({ action: RuleAction.ALLOW, protocol: Protocol.UDP, http: {} })).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].protocol: rules that specify HTTP fields must set protocol to TCP or leave it out',
    );
    expect(error({ action: RuleAction.ALLOW, http: 'GET' as any })).toBe('NetworkPolicy "chart/allow-web": ingress[0].http: "GET" is not an HTTP match; give { methods?, paths? }');
    expect(() => renderRule({ action: RuleAction.ALLOW, protocol: Protocol.TCP, http: {} }, INGRESS)).not.toThrow();
  });

  test('methods', () => {
    expect(error({ action: RuleAction.ALLOW, http: { methods: ['GET', 'GET'] } })).toBe('NetworkPolicy "chart/allow-web": ingress[0].http.methods[1]: "GET" is listed twice; remove the duplicate');
    expect(error({ action: RuleAction.ALLOW, http: { methods: [''] } })).toMatch(/http.methods\[0\]: an HTTP method must be a non-empty string/);
    expect(error({ action: RuleAction.ALLOW, http: { methods: Array.from({ length: 21 }, (_, i) => `M${i}`) } })).toMatch(/http.methods: has 21 methods; Calico accepts at most 20/);
  });

  test('paths', () => {
    const path = (p: any) => ({ action: RuleAction.ALLOW, http: { paths: [p] } });
    expect(error(path({ exact: '/a', prefix: '/b' }))).toBe('NetworkPolicy "chart/allow-web": ingress[0].http.paths[0]: set either exact or prefix, not both');
    expect(error(path({}))).toMatch(/http.paths\[0\]: set exact or prefix/);
    expect(error(path({ prefix: 'api' }))).toBe(
      'NetworkPolicy "chart/allow-web": ingress[0].http.paths[0]: "api" is not a valid path: it must start with \'/\' and contain no \'?\', \'#\' or spaces',
    );
    expect(error(path({ exact: '/a?b=c' }))).toMatch(/"\/a\?b=c" is not a valid path/);
    expect(error(path({ exact: `/${'a'.repeat(1024)}` }))).toMatch(/the path is 1025 characters long; Calico accepts at most 1024/);
    expect(error({ action: RuleAction.ALLOW, http: { paths: Array.from({ length: 21 }, () => ({ prefix: '/' })) } })).toMatch(/http.paths: has 21 paths/);
  });
});

describe('rule metadata', () => {
  test('annotation keys are qualified names', () => {
    expect(error({ action: RuleAction.ALLOW, metadata: { 'not a key': 'x' } })).toMatch(/ingress\[0\].metadata: "not a key" is not a valid annotation key/);
  });
});
