/**
 * Differential test: whatever the construct layer accepts, the network model accepts too.
 *
 * A fast-check generator builds random, meant-to-be-valid construct inputs — Calico
 * NetworkPolicy and GlobalNetworkPolicy (staged or not, in Tier constructs or built-in tiers,
 * with orders, selectors, explicit or inferred types, forwarding modes) with random rules
 * (actions, protocols by name and number, single/range/named ports with and without protocol,
 * IPv4 or IPv6 nets and notNets, builder selectors, namespace selectors including global(),
 * service accounts, services where Calico allows them, ICMP type/code, HTTP on ingress Allow) and
 * random `allowFrom()` / `allowTo()` peers. Every rule the construct refuses is skipped and
 * counted (most must be accepted, or the generator would prove nothing); the chart the
 * constructs built is then synthesized, read by `NetworkModel.fromManifests()`, and asked about
 * flows between its pods, none of which may throw.
 *
 * The reference platform (examples/reference-platform) is checked the same way, object by object,
 * against both the NetworkModel and the RbacModel.
 */
import { ApiObject, App, Chart, Testing, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { buildReferencePlatform } from '../../examples/reference-platform/main';
import {
  EntityRule,
  GlobalNetworkPolicy,
  GlobalNetworkSet,
  HttpMatch,
  IcmpMatch,
  IPeer,
  IpVersion,
  ITier,
  NetworkModel,
  NetworkPolicy,
  NetworkSet,
  Peer,
  PolicyBase,
  PolicyType,
  Port,
  Protocol,
  RbacModel,
  Rule,
  RuleAction,
  Selector,
  Tier,
  TierDefaultAction,
} from '../../src';

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

const NAMESPACES = ['prod', 'other'] as const;
const LABEL_KEYS = ['app', 'tier', 'team', 'env', 'example.com/role'];
const LABEL_VALUES = ['web', 'api', 'db', 'be', 'fe', 'prod'];
const NETS: { [family in 4 | 6]: string[] } = {
  4: ['10.0.0.0/8', '10.0.1.0/24', '192.168.0.0/16', '203.0.113.9/32', '0.0.0.0/0'],
  6: ['fd00::/8', 'fd00::5/128', '2001:db8::/32', '::/0'],
};
/** notNets never holds a catch-all CIDR (Calico: validator.go validateRule scanNets). */
const NOT_NETS: { [family in 4 | 6]: string[] } = {
  4: NETS[4].filter((n) => n !== '0.0.0.0/0'),
  6: NETS[6].filter((n) => n !== '::/0'),
};
const PORT_NAMES = ['http', 'dns', 'metrics', 'grpc-web'];
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

/** `arb` in `share` of the cases, else undefined (fc.option cannot make the value the rarer case). */
function maybe<T>(arb: fc.Arbitrary<T>, share: number): fc.Arbitrary<T | undefined> {
  const present = Math.round(share * 20);
  return fc.oneof({ weight: 20 - present, arbitrary: fc.constant(undefined) }, { weight: present, arbitrary: arb });
}

/** Label keys: mostly known ones, sometimes any key Calico's tokenizer reads as one identifier. */
const labelKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...LABEL_KEYS) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_./-]{1,12}$/) },
);
/**
 * Label values: mostly known ones, sometimes any text (spaces, one kind of quote, non-ASCII,
 * empty) that the builder accepts: a selector literal has no escapes, so not both quotes.
 */
const labelValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...LABEL_VALUES) },
  { weight: 1, arbitrary: fc.fullUnicodeString({ maxLength: 6 }).filter((v) => !(v.includes('"') && v.includes("'"))) },
);

/** Selectors made with the builder (never global(): callers add it where Calico allows it). */
const selectorLeaf: fc.Arbitrary<Selector> = fc.oneof(
  fc.tuple(labelKey, labelValue).map(([k, v]) => Selector.label(k).eq(v)),
  fc.tuple(labelKey, labelValue).map(([k, v]) => Selector.label(k).ne(v)),
  fc.tuple(labelKey, fc.uniqueArray(labelValue, { minLength: 1, maxLength: 3 })).map(([k, vs]) => Selector.label(k).in(vs)),
  fc.tuple(labelKey, fc.uniqueArray(labelValue, { minLength: 1, maxLength: 3 })).map(([k, vs]) => Selector.label(k).notIn(vs)),
  labelKey.map((k) => Selector.has(k)),
  labelKey.map((k) => Selector.has(k).not()),
  fc.tuple(labelKey, labelValue).map(([k, s]) => Selector.label(k).contains(s)),
  fc.tuple(labelKey, labelValue).map(([k, s]) => Selector.label(k).startsWith(s)),
  fc.tuple(labelKey, labelValue).map(([k, s]) => Selector.label(k).endsWith(s)),
  fc.dictionary(labelKey, labelValue, { minKeys: 1, maxKeys: 3 }).map((labels) => Selector.fromLabels(labels)),
  fc.constant(Selector.all()),
  fc.constant(Selector.none()),
);

const selector: fc.Arbitrary<Selector> = fc.oneof(
  { weight: 3, arbitrary: selectorLeaf },
  { weight: 1, arbitrary: fc.tuple(selectorLeaf, selectorLeaf).map(([a, b]) => a.and(b)) },
  { weight: 1, arbitrary: fc.tuple(selectorLeaf, selectorLeaf).map(([a, b]) => a.or(b)) },
  { weight: 1, arbitrary: selectorLeaf.map((a) => a.not()) },
  { weight: 1, arbitrary: fc.tuple(selectorLeaf, selectorLeaf, selectorLeaf).map(([a, b, c]) => a.and(b.or(c).not())) },
);

/** A rule's namespaceSelector: a builder selector, all(), or global() alone. */
const namespaceSelector: fc.Arbitrary<Selector> = fc.oneof(
  { weight: 3, arbitrary: selector },
  { weight: 1, arbitrary: fc.constant(Selector.all()) },
  { weight: 1, arbitrary: fc.constant(Selector.global()) },
);

const protocol: fc.Arbitrary<Protocol> = fc.oneof(
  fc.constantFrom(Protocol.TCP, Protocol.UDP, Protocol.SCTP, Protocol.UDPLITE, Protocol.ICMP, Protocol.ICMPV6),
  fc.constantFrom('TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite').map((name) => Protocol.named(name)),
  fc.integer({ min: 1, max: 255 }).map((n) => Protocol.of(n)),
);

/** Protocols that have ports, for ports that carry their protocol. */
const portProtocol = fc.constantFrom(Protocol.TCP, Protocol.UDP, Protocol.SCTP);

const portNumber = fc.integer({ min: 1, max: 65535 });
const portRange = fc.tuple(portNumber, portNumber).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

/** A port as the generator plans it; made into a `Port` once the rule's protocol is known. */
type PortPlan =
  | { readonly kind: 'number'; readonly n: number }
  | { readonly kind: 'range'; readonly min: number; readonly max: number }
  | { readonly kind: 'named'; readonly name: string }
  | { readonly kind: 'typed-number'; readonly n: number }
  | { readonly kind: 'typed-range'; readonly min: number; readonly max: number }
  | { readonly kind: 'typed-named'; readonly name: string };

const portPlan: fc.Arbitrary<PortPlan> = fc.oneof(
  portNumber.map((n): PortPlan => ({ kind: 'number', n })),
  portRange.map(([min, max]): PortPlan => ({ kind: 'range', min, max })),
  fc.constantFrom(...PORT_NAMES).map((name): PortPlan => ({ kind: 'named', name })),
  portNumber.map((n): PortPlan => ({ kind: 'typed-number', n })),
  portRange.map(([min, max]): PortPlan => ({ kind: 'typed-range', min, max })),
  fc.constantFrom(...PORT_NAMES).map((name): PortPlan => ({ kind: 'typed-named', name })),
);

/**
 * The `Port` of a plan. `protocol` is the rule's protocol (it has ports), or, for a rule without
 * one, the protocol its typed ports carry (then untyped numbers are made typed, since Calico
 * needs a protocol for them; named ports stay untyped: they need none).
 */
function makePort(plan: PortPlan, protocolOfRule: Protocol | undefined, portsProtocol: Protocol): Port {
  const typed = protocolOfRule ?? portsProtocol;
  switch (plan.kind) {
    case 'number':
      return protocolOfRule ? Port.number(plan.n) : Port.of(typed, plan.n);
    case 'range':
      return protocolOfRule ? Port.range(plan.min, plan.max) : Port.rangeOf(typed, plan.min, plan.max);
    case 'named':
      return Port.named(plan.name);
    case 'typed-number':
      return Port.of(typed, plan.n);
    case 'typed-range':
      return Port.rangeOf(typed, plan.min, plan.max);
    case 'typed-named':
      return Port.namedOf(typed, plan.name);
  }
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

interface SidePlan {
  readonly nets: string[];
  readonly notNets: string[];
  readonly selector?: Selector;
  readonly notSelector?: Selector;
  readonly namespaceSelector?: Selector;
  readonly ports: PortPlan[];
  readonly notPorts: PortPlan[];
  readonly serviceAccounts?: { readonly names?: string[]; readonly selector?: Selector };
  readonly service?: { readonly name: string; readonly namespace?: string };
}

interface RulePlan {
  readonly action: RuleAction;
  readonly protocol?: Protocol;
  readonly notProtocol?: Protocol;
  /** The protocol of ports that carry one, in a rule without a protocol. */
  readonly portsProtocol: Protocol;
  readonly family?: 4 | 6;
  readonly explicitIpVersion: boolean;
  readonly icmp?: IcmpMatch;
  readonly notIcmp?: IcmpMatch;
  readonly source: SidePlan;
  readonly destination: SidePlan;
  readonly http?: HttpMatch;
  readonly metadata?: { [key: string]: string };
}

const sidePlan: fc.Arbitrary<SidePlan> = fc.record(
  {
    nets: fc.constant([] as string[]),
    notNets: fc.constant([] as string[]),
    selector: maybe(selector, 0.5),
    notSelector: maybe(selector, 0.2),
    namespaceSelector: maybe(namespaceSelector, 0.35),
    ports: fc.array(portPlan, { maxLength: 3 }),
    notPorts: fc.array(portPlan, { maxLength: 2 }),
    serviceAccounts: maybe(
      fc.oneof(
        fc.record({ names: fc.uniqueArray(fc.constantFrom('api', 'web', 'batch.v1'), { minLength: 1, maxLength: 2 }) }),
        fc.record({ selector }),
        fc.record({ names: fc.uniqueArray(fc.constantFrom('api', 'web'), { minLength: 1, maxLength: 2 }), selector }),
      ),
      0.2,
    ),
    service: maybe(fc.record({ name: fc.constantFrom('web', 'missing', 'api.v1'), namespace: maybe(fc.constantFrom(...NAMESPACES), 0.5) }), 0.15),
  },
);

/** Random nets and notNets of one family for a side. */
const netsPlan = (family: 4 | 6) => fc.tuple(fc.subarray(NETS[family], { maxLength: 2 }), fc.subarray(NOT_NETS[family], { maxLength: 2 }));

const icmpMatch: fc.Arbitrary<IcmpMatch> = fc.oneof(
  fc.record({ type: fc.integer({ min: 0, max: 254 }) }),
  fc.record({ type: fc.integer({ min: 0, max: 254 }), code: fc.integer({ min: 0, max: 255 }) }),
);

const httpMatch: fc.Arbitrary<HttpMatch> = fc.record(
  {
    methods: fc.uniqueArray(fc.constantFrom(...HTTP_METHODS), { maxLength: 3 }),
    paths: fc.array(fc.oneof(
      fc.constantFrom('/', '/api', '/healthz', '/v1/items').map((exact) => ({ exact })),
      fc.constantFrom('/', '/api/', '/static').map((prefix) => ({ prefix })),
    ), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

const rulePlan: fc.Arbitrary<RulePlan> = fc
  .record({
    action: fc.constantFrom(RuleAction.ALLOW, RuleAction.DENY, RuleAction.LOG, RuleAction.PASS),
    protocol: maybe(protocol, 0.6),
    notProtocol: maybe(protocol, 0.15),
    portsProtocol: portProtocol,
    family: maybe(fc.constantFrom<4 | 6>(4, 6), 0.6),
    explicitIpVersion: fc.boolean(),
    icmp: maybe(icmpMatch, 0.5),
    notIcmp: maybe(icmpMatch, 0.25),
    source: sidePlan,
    destination: sidePlan,
    sourceNets: fc.tuple(netsPlan(4), netsPlan(6)),
    destinationNets: fc.tuple(netsPlan(4), netsPlan(6)),
    http: maybe(httpMatch, 0.25),
    metadata: maybe(fc.constant({ description: 'generated rule' }), 0.2),
  })
  .map(({ sourceNets, destinationNets, ...plan }): RulePlan => {
    const pick = (nets: [[string[], string[]], [string[], string[]]]) => (plan.family === undefined ? [[], []] : nets[plan.family === 4 ? 0 : 1]);
    const [sNets, sNotNets] = pick(sourceNets);
    const [dNets, dNotNets] = pick(destinationNets);
    return {
      ...plan,
      source: { ...plan.source, nets: sNets, notNets: sNotNets },
      destination: { ...plan.destination, nets: dNets, notNets: dNotNets },
    };
  });

const isIcmp = (p: Protocol | undefined) => p !== undefined && (p.isIcmp || p.isIcmpV6);
/** Whether `p` is `named`, written by its name (not its number). */
const isNamed = (p: Protocol, named: Protocol) => p.sameAs(named) && typeof p.value === 'string';

/**
 * The construct rule of a plan, made consistent with Calico's rule validation so that the
 * generated rules are valid (the construct is still free to refuse one; the test counts that).
 */
// Calico: libcalico-go/lib/validator/v3/validator.go validateRule, validateEntityRule, validateNetworkPolicySpec
function makeRule(plan: RulePlan, direction: PolicyType, global: boolean): Rule {
  const ingress = direction === PolicyType.INGRESS;
  const protocolOfRule = plan.protocol;
  let notProtocol = plan.notProtocol;
  // HTTP: ingress Allow rules only, protocol TCP (by name: Calico compares the protocol with the
  // named TCP, see invalid-rules.test.ts) or none.
  const httpAllowed = ingress && plan.action === RuleAction.ALLOW && (protocolOfRule === undefined || isNamed(protocolOfRule, Protocol.TCP));
  const http = httpAllowed ? plan.http : undefined;
  const portsProtocol = http !== undefined ? Protocol.TCP : plan.portsProtocol;
  if (notProtocol !== undefined && protocolOfRule !== undefined && notProtocol.sameAs(protocolOfRule)) {
    notProtocol = undefined;
  }
  // ICMP and ICMPv6 (by name or number: core refuses the other family either way) fix the IP family; one rule cannot have both.
  let family = plan.family;
  const icmpFamilies = [protocolOfRule, notProtocol].filter(isIcmp).map((p) => ((p as Protocol).isIcmp ? 4 : 6));
  if (icmpFamilies.length === 2 && icmpFamilies[0] !== icmpFamilies[1]) {
    notProtocol = undefined;
    icmpFamilies.pop();
  }
  const icmpFamily = icmpFamilies[0] as 4 | 6 | undefined;
  const netsUsable = icmpFamily === undefined || family === undefined || family === icmpFamily;
  if (icmpFamily !== undefined) {
    family = icmpFamily;
  }
  // ICMP fields need the protocol ICMP or ICMPv6 by name (Calico compares with the named protocols).
  const icmpFieldsAllowed = protocolOfRule !== undefined && (isNamed(protocolOfRule, Protocol.ICMP) || isNamed(protocolOfRule, Protocol.ICMPV6));
  const hasPorts = protocolOfRule === undefined || protocolOfRule.supportsPorts;
  const side = (sp: SidePlan, which: 'source' | 'destination'): EntityRule | undefined => {
    const serviceAllowed = ingress ? which === 'source' : which === 'destination';
    const service = serviceAllowed && sp.service !== undefined
      ? { name: sp.service.name, namespace: global ? sp.service.namespace ?? 'prod' : sp.service.namespace }
      : undefined;
    const ports = (list: PortPlan[]) => (hasPorts && !(service !== undefined && which === 'destination')
      ? list.map((p) => makePort(p, protocolOfRule, portsProtocol)) : []);
    const entity: EntityRule = {
      nets: service || !netsUsable ? undefined : sp.nets,
      notNets: service || !netsUsable ? undefined : sp.notNets,
      selector: service ? undefined : sp.selector,
      notSelector: service ? undefined : sp.notSelector,
      namespaceSelector: service ? undefined : sp.namespaceSelector,
      serviceAccounts: service ? undefined : sp.serviceAccounts,
      services: service,
      ports: ports(sp.ports),
      notPorts: ports(sp.notPorts),
    };
    return Object.values(entity).some((v) => v !== undefined && !(Array.isArray(v) && v.length === 0)) ? entity : undefined;
  };
  return {
    action: plan.action,
    protocol: protocolOfRule,
    notProtocol,
    ipVersion: plan.explicitIpVersion && family !== undefined ? (family === 4 ? IpVersion.V4 : IpVersion.V6) : undefined,
    icmp: icmpFieldsAllowed ? plan.icmp : undefined,
    notIcmp: icmpFieldsAllowed ? plan.notIcmp : undefined,
    source: side(plan.source, 'source'),
    destination: side(plan.destination, 'destination'),
    http,
    metadata: plan.metadata,
  };
}

// ---------------------------------------------------------------------------------------------
// Peers (allowFrom / allowTo)
// ---------------------------------------------------------------------------------------------

/** The fixtures a peer may refer to. */
interface PeerFixtures {
  readonly networkSet: NetworkSet;
  readonly globalNetworkSet: GlobalNetworkSet;
}

type PeerPlan = (fixtures: PeerFixtures, global: boolean) => IPeer;

const peerPlan: fc.Arbitrary<PeerPlan> = fc.oneof(
  fc.uniqueArray(fc.constantFrom(...NAMESPACES), { minLength: 1 }).map((names): PeerPlan => () => Peer.namespaces(...names)),
  fc.dictionary(fc.constantFrom('team', 'env'), fc.constantFrom(...LABEL_VALUES), { minKeys: 1 }).map((labels): PeerPlan => () => Peer.namespaceLabels(labels)),
  selector.map((s): PeerPlan => () => Peer.namespaceSelector(s)),
  fc.tuple(selector, maybe(fc.constantFrom(...NAMESPACES), 0.5)).map(([s, ns]): PeerPlan => (_f, global) => Peer.pods(s, ns ?? (global ? 'prod' : undefined))),
  fc.uniqueArray(fc.constantFrom('api', 'web'), { minLength: 1 }).map((names): PeerPlan => () => Peer.serviceAccounts(...names)),
  selector.map((s): PeerPlan => () => Peer.serviceAccountSelector(s)),
  fc.subarray([...NETS[4], ...NETS[6]], { minLength: 1, maxLength: 3 }).map((cidrs): PeerPlan => () => Peer.cidr(...cidrs)),
  fc.constant<PeerPlan>((f) => Peer.networkSet(f.networkSet)),
  fc.constant<PeerPlan>((f) => Peer.networkSet(f.globalNetworkSet)),
  maybe(fc.constantFrom(...NAMESPACES), 0.5).map((ns): PeerPlan => (_f, global) => Peer.service('web', ns ?? (global ? 'prod' : undefined))),
  fc.constant<PeerPlan>(() => Peer.anyNamespace()),
  fc.constant<PeerPlan>(() => Peer.anywhere()),
);

const peerPorts: fc.Arbitrary<Port[]> = fc.array(
  fc.oneof(
    portNumber.map((n) => Port.tcp(n)),
    portNumber.map((n) => Port.udp(n)),
    portRange.map(([a, b]) => Port.sctpRange(a, b)),
    fc.constantFrom(...PORT_NAMES).map((name) => Port.named(name)),
    fc.constantFrom(...PORT_NAMES).map((name) => Port.namedTcp(name)),
  ),
  { maxLength: 3 },
);

interface PeerCall {
  readonly to: boolean;
  readonly peer: PeerPlan;
  readonly ports: Port[];
}

const peerCall: fc.Arbitrary<PeerCall> = fc.record({ to: fc.boolean(), peer: peerPlan, ports: peerPorts });

// ---------------------------------------------------------------------------------------------
// Policies
// ---------------------------------------------------------------------------------------------

type TierChoice = 'none' | 'default' | 'construct' | 'fromName' | 'kube-admin' | 'kube-baseline';
type ForwardingMode = 'plain' | 'applyOnForward' | 'doNotTrack' | 'preDNAT';

interface PolicyPlan {
  readonly global: boolean;
  readonly staged: boolean;
  readonly tier: TierChoice;
  readonly order?: number;
  readonly name?: string;
  readonly namespace: string;
  readonly selector?: Selector;
  readonly serviceAccountSelector?: Selector;
  readonly namespaceSelector?: Selector;
  readonly types?: PolicyType[];
  readonly forwarding: ForwardingMode;
  readonly ingress: RulePlan[];
  readonly egress: RulePlan[];
  readonly peers: PeerCall[];
}

/** A DNS-1123 label (namespace and tier names), not one of the built-in tiers. */
const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,14}[a-z0-9])?$/).filter((n) => !['default', 'kube-admin', 'kube-baseline'].includes(n));

const order: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -1000, max: 2_000_000 }),
  fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }),
);

const policyPlan: fc.Arbitrary<PolicyPlan> = fc.record(
  {
    global: fc.boolean(),
    staged: fc.boolean(),
    tier: fc.constantFrom<TierChoice>('none', 'default', 'construct', 'fromName', 'kube-admin', 'kube-baseline'),
    order,
    name: fc.oneof(fc.constantFrom('allow-web', 'deny-all', 'p'), fc.stringMatching(/^[a-z0-9]([-a-z0-9.]{0,20}[a-z0-9])?$/)),
    namespace: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NAMESPACES) }, { weight: 1, arbitrary: dnsLabel }),
    selector,
    serviceAccountSelector: selector,
    namespaceSelector: selector,
    types: fc.subarray([PolicyType.INGRESS, PolicyType.EGRESS], { minLength: 1 }),
    forwarding: fc.constantFrom<ForwardingMode>('plain', 'plain', 'plain', 'applyOnForward', 'doNotTrack', 'preDNAT'),
    ingress: fc.array(rulePlan, { maxLength: 4 }),
    egress: fc.array(rulePlan, { maxLength: 4 }),
    peers: fc.array(peerCall, { maxLength: 3 }),
  },
  { requiredKeys: ['global', 'staged', 'tier', 'namespace', 'forwarding', 'ingress', 'egress', 'peers'] },
);

/** Counts of what the constructs were given and what they refused. */
class Tally {
  public attempts = 0;
  public refused = 0;
  public readonly reasons = new Map<string, number>();

  /** Runs `add`, counting it, and records a refusal (which must name the construct or factory). */
  public attempt(add: () => void): boolean {
    this.attempts++;
    try {
      add();
      return true;
    } catch (e) {
      // A refusal is a clear error naming the construct, never a generic TypeError or RangeError.
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).constructor).toBe(Error);
      expect((e as Error).message).toMatch(/^(NetworkPolicy|GlobalNetworkPolicy|Peer\.[a-zA-Z]+\(\)|Port\.[a-zA-Z]+\(\)|Protocol\.[a-zA-Z]+\(\)|Selector\.[a-zA-Z]+\(\))/);
      this.refused++;
      const reason = (e as Error).message.replace(/^[^:]*: /, '').replace(/\[\d+\]/g, '[i]').replace(/"[^"]*"/g, '"…"');
      this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
      return false;
    }
  }

  public get acceptedShare(): number {
    return this.attempts === 0 ? 0 : (this.attempts - this.refused) / this.attempts;
  }

  public summary(): string {
    return [...this.reasons.entries()].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${n} × ${r}`).join('\n');
  }
}

/** Namespaces, service accounts, pods (with named ports and addresses) and a Service, for checks. */
function addFixtures(chart: Chart): PeerFixtures {
  const obj = (id: string, body: any) => new ApiObject(chart, id, body);
  obj('ns-prod', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels: { team: 'be', env: 'prod' } } });
  obj('ns-other', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other', labels: { team: 'fe' } } });
  obj('sa-api', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'prod', labels: { app: 'api' } } });
  obj('sa-web', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'other', labels: { app: 'web' } } });
  obj('pod-a', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'a', namespace: 'prod', labels: { app: 'api', tier: 'be' } },
    spec: {
      serviceAccountName: 'api',
      containers: [{
        name: 'main',
        image: 'registry.example/api:1',
        ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'metrics', containerPort: 9090 }],
      }],
    },
    status: { podIP: '10.0.1.5', podIPs: [{ ip: '10.0.1.5' }, { ip: 'fd00::5' }] },
  });
  obj('pod-b', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'b', namespace: 'other', labels: { app: 'web', env: 'prod' } },
    spec: {
      serviceAccountName: 'web',
      containers: [{ name: 'main', image: 'registry.example/web:1', ports: [{ name: 'http', containerPort: 80 }, { name: 'grpc-web', containerPort: 8443 }] }],
    },
  });
  obj('svc-web', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'prod' },
    spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 'http' }] },
  });
  return {
    networkSet: new NetworkSet(chart, 'partners', { metadata: { name: 'partners', namespace: 'prod', labels: { role: 'partner' } }, nets: ['198.51.100.0/24'] }),
    globalNetworkSet: new GlobalNetworkSet(chart, 'internet', { metadata: { name: 'internet', labels: { role: 'internet' } }, nets: ['0.0.0.0/0', '::/0'] }),
  };
}

/** The tier a policy plan asks for. */
function tierOf(choice: TierChoice, tier: Tier): ITier | undefined {
  switch (choice) {
    case 'none':
      return undefined;
    case 'default':
      return Tier.DEFAULT;
    case 'construct':
      return tier;
    case 'fromName':
      return Tier.fromName(tier.tierName);
    case 'kube-admin':
      return Tier.KUBE_ADMIN;
    case 'kube-baseline':
      return Tier.KUBE_BASELINE;
  }
}

/** Builds the policy of `plan` as `id` in `chart`, adding its rules one by one; refusals are counted. */
function addPolicy(chart: Chart, id: string, plan: PolicyPlan, tier: Tier, fixtures: PeerFixtures, tally: Tally): void {
  const preDnat = plan.global && plan.forwarding === 'preDNAT';
  const egressRules = preDnat ? [] : plan.egress;
  const calls = preDnat ? plan.peers.filter((c) => !c.to) : plan.peers;
  // Explicit types must list every direction the policy has rules for.
  let types = plan.types;
  if (types !== undefined) {
    const needed = new Set<PolicyType>(types);
    if (plan.ingress.length > 0 || calls.some((c) => !c.to)) needed.add(PolicyType.INGRESS);
    if (egressRules.length > 0 || calls.some((c) => c.to)) needed.add(PolicyType.EGRESS);
    if (preDnat) needed.delete(PolicyType.EGRESS);
    types = needed.size > 0 ? [...needed] : [PolicyType.INGRESS];
  }
  const common = {
    tier: tierOf(plan.tier, tier),
    order: plan.order,
    selector: plan.selector,
    serviceAccountSelector: plan.serviceAccountSelector,
    types,
    staged: plan.staged,
  };
  const name = plan.name === undefined ? undefined : `${plan.name}-${id}`;
  // Built in a scratch chart first: a constructor that throws leaves a half-built node behind.
  const build = (scope: Chart) => plan.global
    ? new GlobalNetworkPolicy(scope, id, {
      ...common,
      metadata: name === undefined ? undefined : { name },
      namespaceSelector: plan.namespaceSelector,
      applyOnForward: plan.forwarding !== 'plain' ? true : undefined,
      doNotTrack: plan.forwarding === 'doNotTrack' ? true : undefined,
      preDNAT: preDnat ? true : undefined,
    })
    : new NetworkPolicy(scope, id, { ...common, metadata: { name, namespace: plan.namespace } });
  if (!tally.attempt(() => build(new Chart(new App(), 'scratch')))) {
    return;
  }
  const policy: PolicyBase = build(chart);
  for (const rule of plan.ingress) {
    tally.attempt(() => policy.addIngressRule(makeRule(rule, PolicyType.INGRESS, plan.global)));
  }
  for (const rule of egressRules) {
    tally.attempt(() => policy.addEgressRule(makeRule(rule, PolicyType.EGRESS, plan.global)));
  }
  for (const call of calls) {
    tally.attempt(() => {
      const peer = call.peer(fixtures, plan.global);
      if (call.to) {
        policy.allowTo(peer, ...call.ports);
      } else {
        policy.allowFrom(peer, ...call.ports);
      }
    });
  }
}

/** The features of the rendered Calico policies, to show what the generator reached. */
function addFeatures(manifests: any[], features: Set<string>): void {
  for (const m of manifests.filter((o) => o.apiVersion === 'projectcalico.org/v3' && /NetworkPolicy$/.test(o.kind))) {
    const spec = m.spec;
    features.add(`kind ${m.kind}`);
    features.add(`tier ${['default', 'kube-admin', 'kube-baseline'].includes(spec.tier ?? 'default') ? spec.tier ?? 'default' : 'Tier construct'}`);
    for (const key of ['order', 'selector', 'serviceAccountSelector', 'namespaceSelector', 'doNotTrack', 'preDNAT', 'applyOnForward']) {
      if (spec[key] !== undefined) features.add(`policy ${key}`);
    }
    for (const rule of [...spec.ingress ?? [], ...spec.egress ?? []]) {
      features.add(`action ${rule.action}`);
      for (const key of ['protocol', 'notProtocol']) {
        if (rule[key] !== undefined) features.add(`${key} ${typeof rule[key]}`);
      }
      for (const key of ['ipVersion', 'icmp', 'notICMP', 'http', 'metadata']) {
        if (rule[key] !== undefined) features.add(key);
      }
      for (const side of ['source', 'destination']) {
        const entity = rule[side] ?? {};
        for (const key of ['selector', 'notSelector', 'namespaceSelector', 'serviceAccounts', 'services', 'notPorts']) {
          if (entity[key] !== undefined) features.add(`${side}.${key}`);
        }
        if (entity.namespaceSelector === 'global()') features.add('namespaceSelector global()');
        for (const net of [...entity.nets ?? [], ...entity.notNets ?? []]) features.add(`nets IPv${net.includes(':') ? 6 : 4}`);
        if (entity.notNets !== undefined) features.add('notNets');
        for (const port of [...entity.ports ?? [], ...entity.notPorts ?? []]) {
          const kind = typeof port === 'number' ? 'number' : /^\d+:\d+$/.test(port) ? 'range' : 'named';
          features.add(`port ${kind}${rule.protocol === undefined ? ' without protocol' : ''}`);
        }
      }
    }
  }
}

/** What the generator must reach in 150 runs (each is far more likely than 1 in 150). */
const EXPECTED_FEATURES = [
  'kind NetworkPolicy', 'kind GlobalNetworkPolicy', 'kind StagedNetworkPolicy', 'kind StagedGlobalNetworkPolicy',
  'tier default', 'tier Tier construct', 'tier kube-admin', 'tier kube-baseline',
  'policy order', 'policy selector', 'policy serviceAccountSelector', 'policy namespaceSelector', 'policy doNotTrack', 'policy preDNAT',
  'action Allow', 'action Deny', 'action Log', 'action Pass',
  'protocol string', 'protocol number', 'notProtocol string', 'notProtocol number',
  'ipVersion', 'icmp', 'notICMP', 'http', 'metadata',
  'source.selector', 'destination.selector', 'source.notSelector', 'source.namespaceSelector', 'namespaceSelector global()',
  'source.serviceAccounts', 'destination.serviceAccounts', 'source.services', 'destination.services', 'destination.notPorts',
  'nets IPv4', 'nets IPv6', 'notNets',
  'port number', 'port range', 'port named', 'port named without protocol',
];

/** Flows between the fixture pods (and outside addresses), covering every protocol family. */
const FLOWS = [
  { protocol: 'TCP', port: 80 },
  { protocol: 'TCP', port: 'http' },
  { protocol: 'TCP', port: 8443, sourcePort: 40000 },
  { protocol: 'UDP', port: 53 },
  { protocol: 'SCTP', port: 9 },
  { protocol: 'UDPLite' },
  { protocol: 'ICMP' },
  { protocol: 'ICMPv6' },
  { protocol: '47' },
  { protocol: 'TCP' },
];

/** Asks the model about every flow between the fixture pods and two outside addresses; none may throw. */
function checkFlows(model: NetworkModel): void {
  const ends: [string, string, string?][] = [
    ['prod/a', 'other/b'],
    ['other/b', 'prod/a'],
    // An outside address fixes the flow's IP family: the other family's ICMP is not asked.
    ['ip:203.0.113.9', 'prod/a', 'ICMPv6'],
    ['prod/a', 'ip:2001:db8::1', 'ICMP'],
  ];
  for (const [from, to, otherFamily] of ends) {
    // Named ports resolve on pods only: an outside address has none.
    for (const flow of FLOWS.filter((f) => f.protocol !== otherFamily && !(to.startsWith('ip:') && typeof f.port === 'string'))) {
      for (const includeStaged of [false, true]) {
        const verdict = model.check({ from, to, ...flow }, { includeStaged });
        expect(typeof verdict.allowed).toBe('boolean');
      }
    }
  }
}

describe('whatever the constructs accept, the network model accepts', () => {
  test('random Calico policies and rules: synthesized, read by NetworkModel.fromManifests, and checked', () => {
    const tally = new Tally();
    let charts = 0;
    let calicoRules = 0;
    const features = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(policyPlan, { minLength: 1, maxLength: 3 }),
        fc.oneof(fc.constant('security'), dnsLabel),
        fc.option(order, { nil: undefined }),
        fc.constantFrom(TierDefaultAction.DENY, TierDefaultAction.PASS, undefined),
        (plans, tierName, tierOrder, defaultAction) => {
          const chart = new Chart(new App(), 'chart');
          const fixtures = addFixtures(chart);
          const tier = new Tier(chart, 'tier', { name: tierName, order: tierOrder, defaultAction });
          plans.forEach((plan, i) => addPolicy(chart, `policy-${i}`, plan, tier, fixtures, tally));
          const manifests = Testing.synth(chart);
          calicoRules += manifests
            .filter((m) => m.apiVersion === 'projectcalico.org/v3' && /NetworkPolicy$/.test(m.kind))
            .reduce((n, m) => n + (m.spec.ingress?.length ?? 0) + (m.spec.egress?.length ?? 0), 0);
          addFeatures(manifests, features);
          // As the constructs synthesize them, and as written to and read back from YAML (what a cluster gets).
          NetworkModel.fromManifests(manifests);
          const model = NetworkModel.fromManifests(parseAllDocuments(Yaml.stringify(...manifests)).map((doc) => doc.toJSON()));
          expect(model.endpoints()).toEqual(expect.arrayContaining(['prod/a', 'other/b']));
          checkFlows(model);
          charts++;
        },
      ),
      { numRuns: 150 },
    );
    // The generator is meaningful: most generated inputs are valid constructs, and they made rules.
    expect(charts).toBeGreaterThanOrEqual(150);
    expect(calicoRules).toBeGreaterThan(300);
    expect([...features].sort()).toEqual(expect.arrayContaining(EXPECTED_FEATURES));
    if (tally.acceptedShare < 0.9) {
      throw new Error(`only ${Math.round(tally.acceptedShare * 100)}% of ${tally.attempts} generated inputs were accepted; refusals:\n${tally.summary()}`);
    }
  });
});

describe('the reference platform: every synthesized object is accepted by both models', () => {
  const manifests = (): any[] => {
    const app = Testing.app();
    return buildReferencePlatform(app).flatMap((chart) => Testing.synth(chart));
  };

  test('the whole platform reads into a NetworkModel and an RbacModel', () => {
    const all = manifests();
    expect(all.length).toBeGreaterThan(20);
    expect(() => NetworkModel.fromManifests(all)).not.toThrow();
    expect(() => RbacModel.fromManifests(all)).not.toThrow();
  });

  test('each object alone (with the tiers it may name) reads into both models', () => {
    const all = manifests();
    const tiers = all.filter((m) => m.kind === 'Tier');
    for (const object of all) {
      const label = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      try {
        NetworkModel.fromManifests(object.kind === 'Tier' ? [object] : [...tiers, object]);
        RbacModel.fromManifests([object]);
      } catch (e) {
        throw new Error(`${label}: ${(e as Error).message}`);
      }
    }
  });

  test('every policy object is read, not skipped: breaking its first rule makes the NetworkModel refuse it', () => {
    const all = manifests();
    const policies = all.filter((m) => /NetworkPolicy$/.test(m.kind) && (m.spec.ingress?.length ?? m.spec.egress?.length ?? 0) > 0);
    expect(policies.length).toBeGreaterThan(5);
    for (const policy of policies) {
      const direction = policy.spec.ingress?.length ? 'ingress' : 'egress';
      // Invalid in both dialects: a Calico rule needs an action; a Kubernetes port is 1-65535.
      const bad = policy.apiVersion === 'networking.k8s.io/v1' ? { ports: [{ port: 0 }] } : { action: 'allow' };
      const broken = all.map((m) => (m === policy ? { ...m, spec: { ...m.spec, [direction]: [bad, ...m.spec[direction]] } } : m));
      expect(() => NetworkModel.fromManifests(broken)).toThrow(`spec.${direction}[0]`);
    }
  });
});
