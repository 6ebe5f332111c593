/**
 * Differential test: the construct layer and the network model refuse the same invalid Calico
 * rules with the same field and the same problem.
 *
 * ONE table drives both layers. Each row holds an invalid rule twice: as written in a manifest
 * (`raw`, read by `NetworkModel.fromManifests`) and as the equivalent typed construct rule
 * (`typed`, given to `NetworkPolicy` / `GlobalNetworkPolicy`), with its direction, its policy
 * scope, and the field (relative to the rule) and problem both layers must report:
 *
 * - construct: `<Kind> "chart/p": <direction>[0].<field>: <problem>`
 * - model:     `<Kind> <ns/>p (projectcalico.org/v3): spec.<direction>[0].<field>: <problem>`
 *
 * Where the construct API cannot even express the input (a `Port` or `Protocol` factory refuses
 * the value before any rule exists), the row says so in `refusedEarlier` and the construct side
 * asserts that earlier refusal instead.
 *
 * A second, short table (`NUMERIC_PROTOCOL_ROWS`) pins protocols written as numbers, which Calico's
 * validator does not take for the named ICMP, ICMPv6 or TCP.
 */
import { App, Chart } from 'cdk8s';
import {
  GlobalNetworkPolicy,
  IpVersion,
  NetworkModel,
  NetworkPolicy,
  Port,
  Protocol,
  Rule,
  RuleAction,
  Selector,
} from '../../src';

type Direction = 'ingress' | 'egress';

/** One invalid rule, in both layers' terms. */
interface InvalidRuleRow {
  /** What is wrong with the rule. */
  readonly name: string;
  /** (c) Which list of the policy holds the rule. */
  readonly direction: Direction;
  /** (c) Whether the rule is in a global policy (else a NetworkPolicy in namespace `prod`). */
  readonly global: boolean;
  /** (a) The rule as written in a manifest (YAML). */
  readonly raw: any;
  /** (b) The same rule for the constructs; throws when the construct API refuses the input earlier. */
  readonly typed: () => Rule;
  /** (d) The field, relative to the rule, as the manifest spells it. */
  readonly field: string;
  /** (d) What was wrong and what would be right. */
  readonly problem: string;
  /**
   * The field as the construct props spell it, when that differs from the manifest (`notIcmp`
   * for the manifest's `notICMP`).
   *
   * @default - `field`
   */
  readonly constructField?: string;
  /**
   * When the construct API cannot express the input: the error of the factory that refuses it
   * before any rule exists, and whether that error states the model's problem too.
   */
  readonly refusedEarlier?: { readonly error: string; readonly statesProblem: boolean };
}

const ALLOW = RuleAction.ALLOW;

// Calico: libcalico-go/lib/validator/v3/validator.go validateRule, validateEntityRule,
// validateICMPFields, validateHTTPMethods/validateHTTPPaths, validateNetworkPolicySpec,
// validateGlobalNetworkPolicySpec — each row below is one of their refusals.
const ROWS: InvalidRuleRow[] = [
  // --- protocols and ports ---
  {
    name: 'UDPLite with ports',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', protocol: 'UDPLite', destination: { ports: [5000] } },
    typed: () => ({ action: ALLOW, protocol: Protocol.UDPLITE, destination: { ports: [Port.number(5000)] } }),
    field: 'destination.ports',
    problem: 'protocol UDPLite does not support ports; set protocol to TCP, UDP or SCTP',
  },
  {
    name: 'UDPLite (by number) with notPorts in an egress source',
    direction: 'egress',
    global: true,
    raw: { action: 'Deny', protocol: 136, source: { notPorts: ['1000:2000'] } },
    typed: () => ({ action: RuleAction.DENY, protocol: Protocol.of(136), source: { notPorts: [Port.range(1000, 2000)] } }),
    field: 'source.notPorts',
    problem: 'protocol UDPLite does not support ports; set protocol to TCP, UDP or SCTP',
  },
  {
    name: 'UDPLite port made with Port.of() (construct refuses earlier: Port.of() knows UDPLite has no ports)',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', protocol: 'UDPLite', destination: { ports: [5000] } },
    typed: () => ({ action: ALLOW, destination: { ports: [Port.of(Protocol.UDPLITE, 5000)] } }),
    field: 'destination.ports',
    problem: 'protocol UDPLite does not support ports; set protocol to TCP, UDP or SCTP',
    refusedEarlier: { error: 'Port.of(): protocol: protocol UDPLite has no ports; ports exist for TCP, UDP and SCTP only', statesProblem: false },
  },
  {
    name: 'ICMP with ports',
    direction: 'egress',
    global: false,
    raw: { action: 'Allow', protocol: 'ICMP', destination: { ports: ['http'] } },
    typed: () => ({ action: ALLOW, protocol: Protocol.ICMP, destination: { ports: [Port.named('http')] } }),
    field: 'destination.ports',
    problem: 'protocol ICMP does not support ports; set protocol to TCP, UDP or SCTP',
  },
  {
    name: 'numeric port without protocol',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', destination: { ports: [8080] } },
    typed: () => ({ action: ALLOW, destination: { ports: [Port.number(8080)] } }),
    field: 'destination.ports',
    problem: 'rules with a numeric port or port range must set protocol to TCP, UDP or SCTP',
  },
  {
    name: 'port range beside a named port, without protocol',
    direction: 'egress',
    global: true,
    raw: { action: 'Allow', source: { ports: ['http', '8000:8080'] } },
    typed: () => ({ action: ALLOW, source: { ports: [Port.named('http'), Port.range(8000, 8080)] } }),
    field: 'source.ports',
    problem: 'rules with a numeric port or port range must set protocol to TCP, UDP or SCTP',
  },
  {
    name: 'port 0 (construct refuses earlier: Port.tcp() checks the number)',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', protocol: 'TCP', destination: { ports: [0] } },
    typed: () => ({ action: ALLOW, destination: { ports: [Port.tcp(0)] } }),
    field: 'destination.ports[0]',
    problem: '0 is not a valid port number; use an integer from 1 to 65535',
    refusedEarlier: { error: 'Port.tcp(): 0 is not a valid port number; use an integer from 1 to 65535', statesProblem: true },
  },
  {
    name: 'port 65536 (construct refuses earlier: Port.number() checks the number)',
    direction: 'egress',
    global: false,
    raw: { action: 'Allow', protocol: 'UDP', destination: { ports: [53, 65536] } },
    typed: () => ({ action: ALLOW, protocol: Protocol.UDP, destination: { ports: [Port.number(53), Port.number(65536)] } }),
    field: 'destination.ports[1]',
    problem: '65536 is not a valid port number; use an integer from 1 to 65535',
    refusedEarlier: { error: 'Port.number(): 65536 is not a valid port number; use an integer from 1 to 65535', statesProblem: true },
  },
  {
    name: 'reversed port range (construct refuses earlier: Port.tcpRange() checks the range)',
    direction: 'ingress',
    global: true,
    raw: { action: 'Allow', protocol: 'TCP', source: { notPorts: ['90:80'] } },
    typed: () => ({ action: ALLOW, source: { notPorts: [Port.tcpRange(90, 80)] } }),
    field: 'source.notPorts[0]',
    problem: 'port range 90:80 is not valid: the first port is greater than the last; write "80:90"',
    refusedEarlier: { error: 'Port.tcpRange(): port range 90:80 is not valid: the first port is greater than the last; write "80:90"', statesProblem: true },
  },
  {
    name: 'protocol name in the wrong case (construct refuses earlier: Protocol.named() checks the name)',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', protocol: 'tcp' },
    typed: () => ({ action: ALLOW, protocol: Protocol.named('tcp') }),
    field: 'protocol',
    problem: '"tcp" is not a Calico protocol name: names are case-sensitive; write "TCP"',
    refusedEarlier: {
      error: 'Protocol.named(): name: "tcp" is not a Calico protocol name: names are case-sensitive; write "TCP" (Protocol.TCP)',
      statesProblem: true,
    },
  },
  {
    name: 'protocol number 256 (construct refuses earlier: Protocol.of() checks the number)',
    direction: 'egress',
    global: true,
    raw: { action: 'Deny', notProtocol: 256 },
    typed: () => ({ action: RuleAction.DENY, notProtocol: Protocol.of(256) }),
    field: 'notProtocol',
    problem: '256 is not a valid protocol number; use an integer from 1 to 255 (0 is not allowed)',
    refusedEarlier: {
      error: 'Protocol.of(): protocolNumber: 256 is not a valid protocol number; use an integer from 1 to 255 (0 is not allowed)',
      statesProblem: true,
    },
  },
  // --- nets ---
  {
    name: 'catch-all IPv4 CIDR in notNets',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', source: { notNets: ['10.0.0.0/8', '0.0.0.0/0'] } },
    typed: () => ({ action: ALLOW, source: { notNets: ['10.0.0.0/8', '0.0.0.0/0'] } }),
    field: 'source.notNets[1]',
    problem: '"0.0.0.0/0" in notNets excludes every address, so the rule could never match; remove it, or drop the rule',
  },
  {
    name: 'catch-all IPv6 CIDR in notNets',
    direction: 'egress',
    global: true,
    raw: { action: 'Deny', destination: { notNets: ['::/0'] } },
    typed: () => ({ action: RuleAction.DENY, destination: { notNets: ['::/0'] } }),
    field: 'destination.notNets[0]',
    problem: '"::/0" in notNets excludes every address, so the rule could never match; remove it, or drop the rule',
  },
  {
    name: 'mixed IPv4 and IPv6 nets on one side',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', source: { nets: ['10.0.0.0/8', 'fd00::/8'] } },
    typed: () => ({ action: ALLOW, source: { nets: ['10.0.0.0/8', 'fd00::/8'] } }),
    field: 'source.nets',
    problem: 'the rule mixes IPv4 and IPv6 CIDRs; Calico needs one IP version per rule, so split it into two rules',
  },
  {
    name: 'IPv4 nets in the source, IPv6 notNets in the destination',
    direction: 'egress',
    global: false,
    raw: { action: 'Allow', source: { nets: ['10.0.0.0/8'] }, destination: { notNets: ['2001:db8::/32'] } },
    typed: () => ({ action: ALLOW, source: { nets: ['10.0.0.0/8'] }, destination: { notNets: ['2001:db8::/32'] } }),
    field: 'destination.notNets',
    problem: 'the rule mixes IPv4 and IPv6 CIDRs; Calico needs one IP version per rule, so split it into two rules',
  },
  {
    name: 'ipVersion not matching the nets',
    direction: 'ingress',
    global: true,
    raw: { action: 'Allow', ipVersion: 6, destination: { nets: ['10.0.0.0/8'] } },
    typed: () => ({ action: ALLOW, ipVersion: IpVersion.V6, destination: { nets: ['10.0.0.0/8'] } }),
    field: 'destination.nets',
    problem: 'ipVersion 6 does not match the IPv4 CIDR "10.0.0.0/8"',
  },
  {
    name: 'a net with host bits set',
    direction: 'egress',
    global: false,
    raw: { action: 'Allow', destination: { nets: ['10.0.0.1/8'] } },
    typed: () => ({ action: ALLOW, destination: { nets: ['10.0.0.1/8'] } }),
    field: 'destination.nets[0]',
    problem: '"10.0.0.1/8" is not correctly masked (host bits are set): use "10.0.0.0/8" for the network, or "10.0.0.1/32" for the single address',
  },
  // --- ICMP ---
  {
    name: 'icmp without an ICMP protocol',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', protocol: 'TCP', icmp: { type: 8 } },
    typed: () => ({ action: ALLOW, protocol: Protocol.TCP, icmp: { type: 8 } }),
    field: 'icmp',
    problem: 'rules that specify ICMP fields must set protocol to ICMP or ICMPv6',
  },
  {
    name: 'icmp without any protocol',
    direction: 'egress',
    global: true,
    raw: { action: 'Deny', icmp: { type: 8, code: 0 } },
    typed: () => ({ action: RuleAction.DENY, icmp: { type: 8, code: 0 } }),
    field: 'icmp',
    problem: 'rules that specify ICMP fields must set protocol to ICMP or ICMPv6',
  },
  {
    name: 'ICMP with ipVersion 6',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', protocol: 'ICMP', ipVersion: 6 },
    typed: () => ({ action: ALLOW, protocol: Protocol.ICMP, ipVersion: IpVersion.V6 }),
    field: 'ipVersion',
    problem: 'protocol ICMP needs ipVersion 4 (use ICMPv6 for IPv6)',
  },
  {
    name: 'notProtocol ICMP with ipVersion 6',
    direction: 'egress',
    global: false,
    raw: { action: 'Deny', notProtocol: 'ICMP', ipVersion: 6 },
    typed: () => ({ action: RuleAction.DENY, notProtocol: Protocol.ICMP, ipVersion: IpVersion.V6 }),
    field: 'ipVersion',
    problem: 'notProtocol ICMP needs ipVersion 4 (use ICMPv6 for IPv6)',
  },
  {
    name: 'ICMPv6 with ipVersion 4',
    direction: 'ingress',
    global: true,
    raw: { action: 'Allow', protocol: 'ICMPv6', ipVersion: 4 },
    typed: () => ({ action: ALLOW, protocol: Protocol.named('ICMPv6'), ipVersion: IpVersion.V4 }),
    field: 'ipVersion',
    problem: 'protocol ICMPv6 needs ipVersion 6 (use ICMP for IPv4)',
  },
  {
    name: 'ICMP code without a type',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', protocol: 'ICMP', icmp: { code: 0 } },
    typed: () => ({ action: ALLOW, protocol: Protocol.ICMP, icmp: { code: 0 } }),
    field: 'icmp.code',
    problem: 'ICMP code specified without an ICMP type; add type',
  },
  {
    name: 'notICMP type 255 (the construct prop is notIcmp)',
    direction: 'egress',
    global: false,
    raw: { action: 'Allow', protocol: 'ICMPv6', notICMP: { type: 255 } },
    typed: () => ({ action: ALLOW, protocol: Protocol.ICMPV6, notIcmp: { type: 255 } }),
    field: 'notICMP.type',
    constructField: 'notIcmp.type',
    problem: 'ICMP type 255 is out of range; use an integer from 0 to 254',
  },
  // --- HTTP ---
  {
    name: 'http in an egress rule',
    direction: 'egress',
    global: false,
    raw: { action: 'Allow', http: { methods: ['GET'] } },
    typed: () => ({ action: ALLOW, http: { methods: ['GET'] } }),
    field: 'http',
    problem: 'HTTP match is not allowed in egress rules',
  },
  {
    name: 'http on a Deny rule',
    direction: 'ingress',
    global: true,
    raw: { action: 'Deny', http: { paths: [{ prefix: '/admin' }] } },
    typed: () => ({ action: RuleAction.DENY, http: { paths: [{ prefix: '/admin' }] } }),
    field: 'http',
    problem: 'HTTP match is only valid on Allow rules',
  },
  {
    name: 'http with UDP',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', protocol: 'UDP', http: { methods: ['GET'] } },
    typed: () => ({ action: ALLOW, protocol: Protocol.UDP, http: { methods: ['GET'] } }),
    field: 'protocol',
    problem: 'rules that specify HTTP fields must set protocol to TCP or leave it out',
  },
  {
    name: 'duplicate http methods',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', protocol: 'TCP', http: { methods: ['GET', 'POST', 'GET'] } },
    typed: () => ({ action: ALLOW, protocol: Protocol.TCP, http: { methods: ['GET', 'POST', 'GET'] } }),
    field: 'http.methods[2]',
    problem: '"GET" is listed twice; remove the duplicate',
  },
  {
    name: 'http path without a leading slash',
    direction: 'ingress',
    global: true,
    raw: { action: 'Allow', http: { paths: [{ exact: '/healthz' }, { prefix: 'api' }] } },
    typed: () => ({ action: ALLOW, http: { paths: [{ exact: '/healthz' }, { prefix: 'api' }] } }),
    field: 'http.paths[1]',
    problem: '"api" is not a valid path: it must start with \'/\' and contain no \'?\', \'#\' or spaces',
  },
  {
    name: 'http path with both exact and prefix',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', http: { paths: [{ exact: '/a', prefix: '/b' }] } },
    typed: () => ({ action: ALLOW, http: { paths: [{ exact: '/a', prefix: '/b' }] } }),
    field: 'http.paths[0]',
    problem: 'set either exact or prefix, not both',
  },
  // --- services ---
  {
    name: 'services with a selector on the same side',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', source: { services: { name: 'web' }, selector: 'app == "web"' } },
    typed: () => ({ action: ALLOW, source: { services: { name: 'web' }, selector: Selector.label('app').eq('web') } }),
    field: 'source.services',
    problem: 'cannot specify selector/notSelector and services on the same rule side',
  },
  {
    name: 'services with a namespaceSelector on the same side',
    direction: 'egress',
    global: true,
    raw: { action: 'Allow', destination: { services: { name: 'web', namespace: 'prod' }, namespaceSelector: 'all()' } },
    typed: () => ({ action: ALLOW, destination: { services: { name: 'web', namespace: 'prod' }, namespaceSelector: Selector.all() } }),
    field: 'destination.services',
    problem: 'cannot specify namespaceSelector and services on the same rule side',
  },
  {
    name: 'services with nets on the same side',
    direction: 'egress',
    global: false,
    raw: { action: 'Allow', destination: { services: { name: 'web' }, nets: ['10.0.0.0/8'] } },
    typed: () => ({ action: ALLOW, destination: { services: { name: 'web' }, nets: ['10.0.0.0/8'] } }),
    field: 'destination.services',
    problem: 'cannot specify nets/notNets and services on the same rule side: the service defines the addresses',
  },
  {
    name: 'services with destination ports',
    direction: 'egress',
    global: false,
    raw: { action: 'Allow', protocol: 'TCP', destination: { services: { name: 'web' }, ports: [80] } },
    typed: () => ({ action: ALLOW, destination: { services: { name: 'web' }, ports: [Port.tcp(80)] } }),
    field: 'destination.ports',
    problem: 'ports and notPorts cannot be specified with services: the service defines the ports',
  },
  {
    name: 'services in the destination of an ingress rule',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', destination: { services: { name: 'web' } } },
    typed: () => ({ action: ALLOW, destination: { services: { name: 'web' } } }),
    field: 'destination.services',
    problem: 'services are not allowed in the destination of an ingress rule; name the service in the source',
  },
  {
    name: 'services in the source of an egress rule',
    direction: 'egress',
    global: false,
    raw: { action: 'Allow', source: { services: { name: 'web' } } },
    typed: () => ({ action: ALLOW, source: { services: { name: 'web' } } }),
    field: 'source.services',
    problem: 'services are not allowed in the source of an egress rule; name the service in the destination',
  },
  {
    name: "a global policy's service without namespace (ingress)",
    direction: 'ingress',
    global: true,
    raw: { action: 'Allow', source: { services: { name: 'web' } } },
    typed: () => ({ action: ALLOW, source: { services: { name: 'web' } } }),
    field: 'source.services.namespace',
    problem: 'a global policy must name the namespace of the Service; set services.namespace',
  },
  {
    name: "a global policy's service without namespace (egress)",
    direction: 'egress',
    global: true,
    raw: { action: 'Allow', destination: { services: { name: 'web' } } },
    typed: () => ({ action: ALLOW, destination: { services: { name: 'web' } } }),
    field: 'destination.services.namespace',
    problem: 'a global policy must name the namespace of the Service; set services.namespace',
  },
  {
    name: 'a service name that is not a DNS-1123 subdomain',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', source: { services: { name: 'Web' } } },
    typed: () => ({ action: ALLOW, source: { services: { name: 'Web' } } }),
    field: 'source.services.name',
    problem: '"Web" is not a valid service name: use a DNS-1123 subdomain (lower-case letters, digits, \'-\' and \'.\')',
  },
  // --- selectors ---
  {
    name: 'global() in selector',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', source: { selector: 'global()' } },
    typed: () => ({ action: ALLOW, source: { selector: Selector.global() } }),
    field: 'source.selector',
    problem: 'global() can only be used in a rule namespaceSelector, not in a selector; write namespaceSelector: global() instead',
  },
  {
    name: 'global() combined with other terms in namespaceSelector',
    direction: 'egress',
    global: true,
    raw: { action: 'Allow', destination: { namespaceSelector: '(global() && has(team))' } },
    typed: () => ({ action: ALLOW, destination: { namespaceSelector: Selector.global().and(Selector.has('team')) } }),
    field: 'destination.namespaceSelector',
    problem: '"(global() && has(team))" combines global() with other terms; use namespaceSelector: global() alone',
  },
  // --- action ---
  {
    name: 'invalid action (from untyped JavaScript: the construct reads it as Calico does)',
    direction: 'ingress',
    global: false,
    raw: { action: 'allow' },
    typed: () => ({ action: 'allow' as RuleAction }),
    field: 'action',
    problem: '"allow" is not a rule action; use one of Allow, Deny, Log, Pass (case-sensitive)',
  },
];

/** A valid rule of each direction, to put before the invalid one. */
const VALID_RAW: { [d in Direction]: any } = {
  ingress: { action: 'Allow', protocol: 'TCP', destination: { ports: [443] } },
  egress: { action: 'Allow', protocol: 'UDP', destination: { ports: [53] } },
};
const VALID_TYPED: { [d in Direction]: Rule } = {
  ingress: { action: ALLOW, destination: { ports: [Port.tcp(443)] } },
  egress: { action: ALLOW, destination: { ports: [Port.udp(53)] } },
};

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, but nothing was thrown');
}

/** The manifest kinds a rule of `row` can be read in: the policy kind and its staged kind. */
function manifestKinds(row: InvalidRuleRow): string[] {
  return row.global ? ['GlobalNetworkPolicy', 'StagedGlobalNetworkPolicy'] : ['NetworkPolicy', 'StagedNetworkPolicy'];
}

/** A policy manifest holding `rules` in `row.direction`. */
function manifest(row: InvalidRuleRow, kind: string, rules: any[]): any {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind,
    metadata: row.global ? { name: 'p' } : { name: 'p', namespace: 'prod' },
    spec: {
      ...(kind.startsWith('Staged') ? { stagedAction: 'Set' } : {}),
      types: [row.direction === 'ingress' ? 'Ingress' : 'Egress'],
      [row.direction]: rules,
    },
  };
}

/** What the model says about `rules`, in `kind`. */
function modelError(row: InvalidRuleRow, kind: string, rules: any[]): string {
  return errorOf(() => NetworkModel.fromManifests([manifest(row, kind, rules)]));
}

function modelRef(row: InvalidRuleRow, kind: string): string {
  return `${kind} ${row.global ? 'p' : 'prod/p'} (projectcalico.org/v3)`;
}

/** Builds the policy construct of `row`'s scope with `rules` in `row.direction`. */
function buildPolicy(row: InvalidRuleRow, rules: Rule[], staged = false): void {
  const chart = new Chart(new App(), 'chart');
  const props = { staged, [row.direction]: rules };
  if (row.global) {
    new GlobalNetworkPolicy(chart, 'p', { metadata: { name: 'p' }, ...props });
  } else {
    new NetworkPolicy(chart, 'p', { metadata: { name: 'p', namespace: 'prod' }, ...props });
  }
}

function constructOwner(row: InvalidRuleRow): string {
  return `${row.global ? 'GlobalNetworkPolicy' : 'NetworkPolicy'} "chart/p"`;
}

const expressible = ROWS.filter((row) => row.refusedEarlier === undefined);
const refusedEarlier = ROWS.filter((row) => row.refusedEarlier !== undefined);

describe('one table of invalid rules, refused by both layers with the same field and problem', () => {
  test('the table covers both directions, both scopes, and both kinds of construct refusal', () => {
    expect(new Set(ROWS.map((r) => r.name)).size).toBe(ROWS.length);
    expect(ROWS.some((r) => r.direction === 'ingress' && r.global)).toBe(true);
    expect(ROWS.some((r) => r.direction === 'egress' && r.global)).toBe(true);
    expect(ROWS.some((r) => r.direction === 'ingress' && !r.global)).toBe(true);
    expect(ROWS.some((r) => r.direction === 'egress' && !r.global)).toBe(true);
    expect(expressible.length).toBeGreaterThan(25);
    expect(refusedEarlier.length).toBeGreaterThan(3);
  });

  describe.each(ROWS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    test.each(manifestKinds(row))('model (%s): spec.<direction>[0].<field>: <problem>', (kind) => {
      expect(modelError(row, kind, [row.raw])).toBe(`${modelRef(row, kind)}: spec.${row.direction}[0].${row.field}: ${row.problem}`);
    });

    test('model: after a valid rule, the same problem at index 1', () => {
      const kind = manifestKinds(row)[0];
      expect(modelError(row, kind, [VALID_RAW[row.direction], row.raw])).toBe(
        `${modelRef(row, kind)}: spec.${row.direction}[1].${row.field}: ${row.problem}`,
      );
    });

    if (row.refusedEarlier === undefined) {
      test('construct: <direction>[0].<field>: <problem>, in the props, staged or not', () => {
        const expected = `${constructOwner(row)}: ${row.direction}[0].${row.constructField ?? row.field}: ${row.problem}`;
        expect(errorOf(() => buildPolicy(row, [row.typed()]))).toBe(expected);
        expect(errorOf(() => buildPolicy(row, [row.typed()], true))).toBe(expected);
      });

      test('construct: after a valid rule, the same problem at index 1', () => {
        expect(errorOf(() => buildPolicy(row, [VALID_TYPED[row.direction], row.typed()]))).toBe(
          `${constructOwner(row)}: ${row.direction}[1].${row.constructField ?? row.field}: ${row.problem}`,
        );
      });
    } else {
      const earlier = row.refusedEarlier;
      test('construct: the API cannot express the rule; its factory refuses the value first', () => {
        expect(errorOf(row.typed)).toBe(earlier.error);
        if (earlier.statesProblem) {
          expect(earlier.error).toContain(row.problem);
        }
      });
    }
  });
});

/**
 * Numeric protocols, as Calico v3.32.1 reads them.
 *
 * Calico's validateRule compares the rule's `numorstring.Protocol` struct with
 * `numorstring.ProtocolFromString("ICMP")` / `("ICMPv6")` / `("TCP")`; a protocol written as a
 * number (`1`, `58`, `6`, or the string `"6"`, which Uint8OrString.UnmarshalJSON reads as a
 * number) is a different struct, so for Calico it is never "ICMP" or "TCP" in those checks:
 *
 * - icmp/notICMP fields with protocol 1 or 58, and http with protocol 6, are REFUSED by Calico;
 * - protocol/notProtocol 1 with ipVersion 6 (58 with ipVersion 4) is ACCEPTED by Calico.
 *
 * core/rule-validation.ts remembers whether a protocol was written by name, so both layers follow.
 */
// Calico: libcalico-go/lib/validator/v3/validator.go validateRule (protocolIcmpMsg, protocolAndHTTPMsg,
// "must set ipversion to '4' with protocol icmp"); api/pkg/lib/numorstring/uint8orstring.go UnmarshalJSON
interface NumericProtocolRow {
  readonly name: string;
  readonly direction: Direction;
  readonly global: boolean;
  readonly raw: any;
  readonly typed: () => Rule;
  /** The field Calico reports (relative to the rule), or undefined when Calico accepts the rule. */
  readonly calicoRefusesAt?: string;
}

const NUMERIC_PROTOCOL_ROWS: NumericProtocolRow[] = [
  {
    name: 'icmp with protocol 1 (Calico refuses: not the named ICMP)',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', protocol: 1, icmp: { type: 8 } },
    typed: () => ({ action: ALLOW, protocol: Protocol.of(1), icmp: { type: 8 } }),
    calicoRefusesAt: 'icmp',
  },
  {
    name: 'icmp with protocol 58 (Calico refuses: not the named ICMPv6)',
    direction: 'egress',
    global: true,
    raw: { action: 'Allow', protocol: 58, icmp: { type: 128, code: 0 } },
    typed: () => ({ action: ALLOW, protocol: Protocol.of(58), icmp: { type: 128, code: 0 } }),
    calicoRefusesAt: 'icmp',
  },
  {
    name: 'http with protocol 6 (Calico refuses: not the named TCP)',
    direction: 'ingress',
    global: false,
    raw: { action: 'Allow', protocol: 6, http: { methods: ['GET'] } },
    typed: () => ({ action: ALLOW, protocol: Protocol.of(6), http: { methods: ['GET'] } }),
    calicoRefusesAt: 'protocol',
  },
  {
    name: 'http with protocol "6" as a string (Calico reads it as the number 6, and refuses)',
    direction: 'ingress',
    global: true,
    raw: { action: 'Allow', protocol: '6', http: { paths: [{ prefix: '/' }] } },
    typed: () => ({ action: ALLOW, protocol: Protocol.of(6), http: { paths: [{ prefix: '/' }] } }),
    calicoRefusesAt: 'protocol',
  },
  {
    name: 'protocol 1 with ipVersion 6 (Calico accepts: its ICMP/ipVersion check is for the named ICMP)',
    direction: 'ingress',
    global: false,
    raw: { action: 'Deny', protocol: 1, ipVersion: 6 },
    typed: () => ({ action: RuleAction.DENY, protocol: Protocol.of(1), ipVersion: IpVersion.V6 }),
  },
  {
    name: 'notProtocol 58 with ipVersion 4 (Calico accepts)',
    direction: 'egress',
    global: false,
    raw: { action: 'Allow', notProtocol: 58, ipVersion: 4 },
    typed: () => ({ action: ALLOW, notProtocol: Protocol.of(58), ipVersion: IpVersion.V4 }),
  },
];

describe('numeric protocols: both layers decide as Calico does', () => {
  const asRow = (row: NumericProtocolRow): InvalidRuleRow => ({ ...row, field: row.calicoRefusesAt ?? '', problem: '' });

  describe.each(NUMERIC_PROTOCOL_ROWS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const kind = manifestKinds(asRow(row))[0];
    if (row.calicoRefusesAt !== undefined) {
      const field = row.calicoRefusesAt;
      test('model: refuses the rule at the field Calico names', () => {
        expect(modelError(asRow(row), kind, [row.raw])).toContain(`${modelRef(asRow(row), kind)}: spec.${row.direction}[0].${field}: `);
      });
      test('construct: refuses the rule at the field Calico names', () => {
        expect(errorOf(() => buildPolicy(asRow(row), [row.typed()]))).toContain(`${constructOwner(asRow(row))}: ${row.direction}[0].${field}: `);
      });
    } else {
      test('model: accepts the rule, as Calico does', () => {
        expect(() => NetworkModel.fromManifests([manifest(asRow(row), kind, [row.raw])])).not.toThrow();
      });
    }
  });
});
