/**
 * Matching one flow against compiled rules.
 *
 * Peer criteria (selectors, nets, services) depend only on the peer, so their results are
 * computed once per rule side for all endpoints and cached on the shared {@link PeerMatcher}.
 *
 * Internal module of the network model.
 */
import { EndpointRecord, Inventory, ServiceRecord } from './network-endpoints';
import { IdentityIndex, PolicySet } from './network-index';
import { CompiledRule, Direction, EntityMatch, IcmpMatch, PeerMatcher, RuleVariant } from './network-rules';
import { anyCidrContains, Cidr, cidrContainsCidr, IpAddress } from '../core/cidr';
import { PortMatch } from '../core/ports';
import { ICMP, ICMPV6, protocolName, supportsPorts } from '../core/protocol';

/** One end of a flow: a workload endpoint, or an address outside the cluster. */
export interface FlowEnd {
  /** The id as given (`namespace/name` or `ip:address`). */
  readonly id: string;
  readonly endpoint?: EndpointRecord;
  readonly address?: IpAddress;
}

/** A flow to evaluate. */
export interface Flow {
  readonly src: FlowEnd;
  readonly dst: FlowEnd;
  /** IANA protocol number. */
  readonly protocol: number;
  /** Destination port; `undefined` when the query gave none. */
  readonly port?: number;
  /** Source port; `undefined` when unknown (then `source.ports` never match and `source.notPorts` never exclude). */
  readonly sourcePort?: number;
  /** IP family of the flow. */
  readonly family: 4 | 6;
  /**
   * When explaining: the assumptions made about endpoints without a known address are added
   * here (once each), for the explanation.
   */
  readonly notes?: string[];
}

/**
 * The ports a client picks its source port from when none is given: Linux's default
 * `net.ipv4.ip_local_port_range`.
 */
export const EPHEMERAL_PORTS: { readonly min: number; readonly max: number } = { min: 32768, max: 60999 };

/** The ICMP message a flow with protocol ICMP/ICMPv6 stands for: an echo request ("ping"). */
export const ECHO_REQUEST: { readonly [family: number]: { readonly type: number; readonly code: number } } = {
  4: { type: 8, code: 0 },
  6: { type: 128, code: 0 },
};

/** The outcome of matching one rule, with the reason when explaining. */
export interface RuleMatch {
  readonly matched: boolean;
  /** Why it did not match, or which alternative matched (Kubernetes rules). */
  readonly detail: string;
}

function describePorts(ports: readonly PortMatch[]): string {
  return `[${ports.map((p) => p.text).join(', ')}]`;
}

/** Whether a pod backs a service (same namespace, service selector matches the pod labels). */
export function backsService(service: ServiceRecord | undefined, endpoint: EndpointRecord | undefined): boolean {
  if (service === undefined || service.selector === undefined || endpoint === undefined || endpoint.namespace !== service.namespace) {
    return false;
  }
  for (const [k, v] of Object.entries(service.selector)) {
    if (endpoint.podLabels[k] !== v) {
      return false;
    }
  }
  return true;
}

/** Whether a list of networks is taken to contain an endpoint whose address is unknown, and why. */
interface Assumption {
  readonly inside: boolean;
  /** Set when the answer is an assumption (not a whole-family block), for the explanation. */
  readonly note?: string;
}

/** Matches flows against rules, with the caches that make it fast. */
export class FlowMatcher {
  private readonly podCidrs: readonly Cidr[];

  /**
   * @param inventory the endpoints
   * @param index the label index over identities
   * @param podCidrs the cluster's pod networks: an endpoint without a known address is assumed
   *   to be inside every nets/notNets list that covers one of them
   */
  constructor(private readonly inventory: Inventory, private readonly index: IdentityIndex, podCidrs: readonly Cidr[] = []) {
    this.podCidrs = podCidrs;
  }

  /** Whether a peer criterion matches one end of a flow (cached per endpoint, computed when first asked). */
  public peerMatches(m: PeerMatcher, end: FlowEnd, family: 4 | 6): boolean {
    const e = end.endpoint;
    if (e !== undefined) {
      const slot = family === 4 ? 0 : 1;
      let vector = m.vectors[slot];
      if (vector === undefined) {
        // 0 = not computed yet, 1 = match, 2 = no match.
        vector = new Uint8Array(this.inventory.endpoints.length);
        m.vectors[slot] = vector;
      }
      let known = vector[e.index];
      if (known === 0) {
        known = this.failure(m, e.id, this.identitiesOf(e, family), this.addressesOf(e, family), e, family, false) === undefined ? 1 : 2;
        vector[e.index] = known;
      }
      return known === 1;
    }
    const address = end.address!;
    const key = `${family}/${address.text}`;
    let result = m.external.get(key);
    if (result === undefined) {
      const identities = this.externalIdentities(address, family);
      result = this.failure(m, end.id, identities, this.externalAddresses(address, family), undefined, family, false) === undefined;
      m.external.set(key, result);
    }
    return result;
  }

  /**
   * Whether a peer criterion matches one end of a flow, evaluated for that end alone (no
   * per-endpoint vector over the whole inventory is built; the selector results per identity
   * are still cached on the matcher). Used by the class evaluation, which caches per class.
   */
  public peerMatchesEnd(m: PeerMatcher, end: FlowEnd, family: 4 | 6): boolean {
    const e = end.endpoint;
    if (e !== undefined) {
      return this.failure(m, end.id, this.identitiesOf(e, family), this.addressesOf(e, family), e, family, false) === undefined;
    }
    return this.peerMatches(m, end, family);
  }

  /**
   * The identities (endpoint identity and network sets) that an endpoint shows to selectors in
   * flows of a family: a selector matches the endpoint when it matches one of them.
   */
  public identitiesOf(e: EndpointRecord, family: 4 | 6): readonly number[] {
    const sets = e.networkSetIdentities[family];
    return e.identity < 0 ? sets : sets.length === 0 ? [e.identity] : [e.identity, ...sets];
  }

  /**
   * The identities a peer criterion's positive selector matches (1 = selected), or `undefined`
   * when it has none. A prefilter: an endpoint none of whose identities is selected does not
   * match the criterion.
   */
  public selectedIdentities(m: PeerMatcher): Uint8Array | undefined {
    if (m.selector === undefined) {
      return undefined;
    }
    return m.selected ?? (m.selected = this.index.select(m.selector));
  }

  /**
   * Why a peer criterion does not match one end of a flow (`undefined` when it matches).
   *
   * @param notes where to add the assumptions made about an endpoint without a known address
   */
  public peerFailure(m: PeerMatcher, end: FlowEnd, family: 4 | 6, notes?: string[]): string | undefined {
    const e = end.endpoint;
    if (e !== undefined) {
      return this.failure(m, end.id, this.identitiesOf(e, family), this.addressesOf(e, family), e, family, true, notes);
    }
    const address = end.address!;
    return this.failure(m, end.id, this.externalIdentities(address, family), this.externalAddresses(address, family), undefined, family, true, notes);
  }

  /** Whether a rule matches the flow. */
  public ruleMatches(rule: CompiledRule, flow: Flow): boolean {
    for (const v of rule.variants) {
      if (this.variantFailure(v, flow, false) === undefined) {
        return true;
      }
    }
    return false;
  }

  /** Whether a rule matches the flow, and why (not). */
  public explainRule(rule: CompiledRule, flow: Flow): RuleMatch {
    const reasons: string[] = [];
    for (const v of rule.variants) {
      const failure = this.variantFailure(v, flow, true);
      if (failure === undefined) {
        return { matched: true, detail: v.label === undefined ? '' : `via ${v.label}` };
      }
      reasons.push(v.label === undefined ? failure : `${v.label}: ${failure}`);
    }
    return { matched: false, detail: reasons.join('; ') };
  }

  /**
   * Whether the flow-level criteria of a rule variant (IP version, protocol, ICMP) match: the
   * rest of the variant is its source and destination sides.
   */
  public flowLevelMatches(v: RuleVariant, flow: Flow): boolean {
    return this.flowLevelFailure(v, flow, false) === undefined;
  }

  /**
   * Whether one side of a rule variant matches its end of the flow. A side looks only at its own
   * end: the peer criteria, and ports resolved on that end (`flow.src` for the source side,
   * `flow.dst` for the destination side, which must be `end`'s endpoint).
   *
   * @param direct evaluate the peer criteria for this end alone (see `peerMatchesEnd`)
   */
  public sideMatches(side: EntityMatch, which: 'source' | 'destination', end: FlowEnd, flow: Flow, direct: boolean): boolean {
    return this.sideFailure(side, which, end, flow, false, direct) === undefined;
  }

  private addressesOf(e: EndpointRecord, family: 4 | 6): readonly IpAddress[] {
    return e.ips.filter((ip) => ip.version === family);
  }

  private externalIdentities(address: IpAddress, family: 4 | 6): readonly number[] {
    return address.version === family ? this.inventory.networkSetIdentitiesContaining(address) : [];
  }

  private externalAddresses(address: IpAddress, family: 4 | 6): readonly IpAddress[] {
    return address.version === family ? [address] : [];
  }

  /**
   * Whether `cidrs` contain an endpoint of unknown address: a whole-family block contains every
   * address; otherwise the endpoint is assumed to be inside a list that covers a declared pod
   * network of the family (its address comes from one), and outside any other.
   */
  private assume(id: string, cidrs: readonly Cidr[], family: 4 | 6, what: string): Assumption {
    if (cidrs.some((c) => c.version === family && c.prefix === 0)) {
      return { inside: true };
    }
    const list = `${what} ${describeCidrs(cidrs)}`;
    const podCidrs = this.podCidrs.filter((p) => p.version === family);
    const covered = podCidrs.find((p) => cidrs.some((c) => cidrContainsCidr(c, p)));
    if (covered !== undefined) {
      return { inside: true, note: `${id} has no known IPv${family} address: assumed inside ${list}, which covers the pod CIDR ${covered.text}` };
    }
    const why = podCidrs.length === 0
      ? `no IPv${family} pod CIDR was declared (fromManifests option podCidrs)`
      : `it covers no declared pod CIDR (${podCidrs.map((p) => p.text).join(', ')})`;
    return { inside: false, note: `${id} has no known IPv${family} address: assumed outside ${list}, as ${why}` };
  }

  private failure(
    m: PeerMatcher,
    id: string,
    identities: readonly number[],
    addresses: readonly IpAddress[],
    endpoint: EndpointRecord | undefined,
    family: 4 | 6,
    explain: boolean,
    notes?: string[],
  ): string | undefined {
    const note = (a: Assumption): void => {
      if (notes !== undefined && a.note !== undefined && !notes.includes(a.note)) {
        notes.push(a.note);
      }
    };
    if (m.selector !== undefined) {
      const selected = m.selected ?? (m.selected = this.index.select(m.selector));
      if (!identities.some((i) => selected[i] === 1)) {
        return explain ? `${id} does not match ${m.description}` : '';
      }
    }
    if (m.notSelector !== undefined) {
      const selected = m.notSelected ?? (m.notSelected = this.index.select(m.notSelector));
      if (identities.some((i) => selected[i] === 1)) {
        return explain ? `${id} is excluded by ${m.description}` : '';
      }
    }
    if (m.nets !== undefined) {
      if (addresses.length > 0) {
        if (!addresses.some((a) => anyCidrContains(m.nets!, a))) {
          return explain ? `${id} (${addresses.map((a) => a.text).join(', ')}) is outside ${m.description}` : '';
        }
      } else {
        const assumed = this.assume(id, m.nets, family, 'nets');
        note(assumed);
        if (!assumed.inside) {
          return explain ? `${id} has no known IPv${family} address, so ${m.description} cannot match it` : '';
        }
      }
    }
    if (m.notNets !== undefined) {
      if (addresses.length > 0) {
        if (addresses.some((a) => anyCidrContains(m.notNets!, a))) {
          return explain ? `${id} (${addresses.map((a) => a.text).join(', ')}) is excluded by ${m.description}` : '';
        }
      } else {
        const assumed = this.assume(id, m.notNets, family, 'notNets');
        note(assumed);
        if (assumed.inside) {
          return explain ? `${id} has no known IPv${family} address and is assumed inside the notNets of ${m.description}` : '';
        }
      }
    }
    if (m.service !== undefined) {
      const service = this.inventory.services.get(`${m.service.namespace}/${m.service.name}`);
      if (!backsService(service, endpoint)) {
        if (!explain) {
          return '';
        }
        return service === undefined
          ? `service ${m.service.namespace}/${m.service.name} is not in the manifests, so it has no known pods`
          : `${id} is not a pod of service ${m.service.namespace}/${m.service.name}`;
      }
    }
    return undefined;
  }

  private portListMatches(ports: readonly PortMatch[], port: number | undefined, protocol: number, on: EndpointRecord | undefined): boolean {
    if (port === undefined) {
      return false;
    }
    for (const p of ports) {
      if (p.kind === 'range') {
        if (port >= p.min && port <= p.max) {
          return true;
        }
      } else if (on !== undefined && on.ports.some((cp) => cp.name === p.name && cp.protocol === protocol && cp.port === port)) {
        return true;
      }
    }
    return false;
  }

  private servicePortMatches(target: { namespace: string; name: string }, flow: Flow): boolean {
    const service = this.inventory.services.get(`${target.namespace}/${target.name}`);
    const dst = flow.dst.endpoint;
    if (service === undefined || flow.port === undefined) {
      return false;
    }
    return service.ports.some((sp) => {
      if (sp.protocol !== flow.protocol) {
        return false;
      }
      if (typeof sp.targetPort === 'number') {
        return sp.targetPort === flow.port;
      }
      return dst !== undefined && dst.ports.some((cp) => cp.name === sp.targetPort && cp.protocol === sp.protocol && cp.port === flow.port);
    });
  }

  private sideFailure(
    side: EntityMatch,
    which: 'source' | 'destination',
    end: FlowEnd,
    flow: Flow,
    explain: boolean,
    direct = false,
  ): string | undefined {
    if (side.peer !== undefined) {
      if (explain) {
        const failure = this.peerFailure(side.peer, end, flow.family, flow.notes);
        if (failure !== undefined) {
          return `${which}: ${failure}`;
        }
      } else if (!(direct ? this.peerMatchesEnd(side.peer, end, flow.family) : this.peerMatches(side.peer, end, flow.family))) {
        return '';
      }
    }
    // Named ports resolve on the endpoint of this side (Calico: felix/calc/rule_scanner.go named-port IP sets
    // of (address, protocol, port) of the endpoints the side's selector matches).
    const port = which === 'destination' ? flow.port : flow.sourcePort;
    const portOwner = which === 'destination' ? flow.dst.endpoint : flow.src.endpoint;
    if (side.ports !== undefined && !this.portListMatches(side.ports, port, flow.protocol, portOwner)) {
      if (!explain) {
        return '';
      }
      if (port === undefined) {
        return which === 'source'
          ? `source ports ${describePorts(side.ports)}: the flow has no source port`
          : `destination ports ${describePorts(side.ports)}: the query has no port`;
      }
      const named = side.ports.some((p) => p.kind === 'name')
        ? ` (named ports resolve on ${end.id}'s ${protocolName(flow.protocol)} container ports)`
        : '';
      return `${which} port ${port} is not in ${describePorts(side.ports)}${named}`;
    }
    if (side.notPorts !== undefined && this.portListMatches(side.notPorts, port, flow.protocol, portOwner)) {
      return explain ? `${which} port ${port} is in notPorts ${describePorts(side.notPorts)}` : '';
    }
    if (side.servicePorts !== undefined && !this.servicePortMatches(side.servicePorts, flow)) {
      if (!explain) {
        return '';
      }
      return flow.port === undefined
        ? `destination service ${side.servicePorts.namespace}/${side.servicePorts.name}: the query has no port`
        : `destination port ${protocolName(flow.protocol)} ${flow.port} is not a target port of service ${side.servicePorts.namespace}/${side.servicePorts.name}`;
    }
    return undefined;
  }

  private variantFailure(v: RuleVariant, flow: Flow, explain: boolean): string | undefined {
    return this.flowLevelFailure(v, flow, explain)
      ?? this.sideFailure(v.source, 'source', flow.src, flow, explain)
      ?? this.sideFailure(v.destination, 'destination', flow.dst, flow, explain);
  }

  private flowLevelFailure(v: RuleVariant, flow: Flow, explain: boolean): string | undefined {
    if (v.ipVersion !== undefined && v.ipVersion !== flow.family) {
      return explain ? `the rule is for IPv${v.ipVersion}, the flow is IPv${flow.family}` : '';
    }
    if (v.protocol !== undefined && v.protocol !== flow.protocol) {
      return explain ? `protocol ${protocolName(flow.protocol)} is not ${protocolName(v.protocol)}` : '';
    }
    if (v.notProtocol !== undefined && v.notProtocol === flow.protocol) {
      return explain ? `notProtocol ${protocolName(v.notProtocol)} excludes the flow` : '';
    }
    const isIcmp = flow.protocol === ICMP || flow.protocol === ICMPV6;
    if (v.icmp !== undefined && !(isIcmp && icmpMatches(v.icmp, flow.family))) {
      return explain ? `icmp ${describeIcmp(v.icmp)} does not match an echo request (the ICMP message a query stands for)` : '';
    }
    if (v.notIcmp !== undefined && isIcmp && icmpMatches(v.notIcmp, flow.family)) {
      return explain ? `notICMP ${describeIcmp(v.notIcmp)} excludes an echo request (the ICMP message a query stands for)` : '';
    }
    return undefined;
  }
}

function icmpMatches(m: IcmpMatch, family: 4 | 6): boolean {
  const echo = ECHO_REQUEST[family];
  return (m.type === undefined || m.type === echo.type) && (m.code === undefined || m.code === echo.code);
}

function describeIcmp(m: IcmpMatch): string {
  const parts: string[] = [];
  if (m.type !== undefined) {
    parts.push(`type ${m.type}`);
  }
  if (m.code !== undefined) {
    parts.push(`code ${m.code}`);
  }
  return parts.length === 0 ? '(any)' : parts.join(' ');
}

function describeCidrs(cidrs: readonly Cidr[]): string {
  return `[${cidrs.map((c) => c.text).join(', ')}]`;
}

/** A range of source ports. */
export interface PortRange {
  readonly min: number;
  readonly max: number;
}

/** Where the rules that apply to one endpoint in one direction look at source ports. */
export interface SourcePortCuts {
  /** Ports where a numeric `source.ports`/`notPorts` range starts, or just past where it ends. */
  readonly cuts: readonly number[];
  /** Named ports of `source.ports`/`notPorts` (resolved on the source endpoint of a flow). */
  readonly names: readonly string[];
}

/** No rule looks at source ports. */
export const NO_CUTS: SourcePortCuts = { cuts: [], names: [] };

/**
 * Splits {@link EPHEMERAL_PORTS} at the given ports (a cut at `c` starts a new range at `c`), in
 * order.
 */
export function ephemeralRanges(cuts: Iterable<number>): PortRange[] {
  const inside = [...new Set(cuts)].filter((c) => c > EPHEMERAL_PORTS.min && c <= EPHEMERAL_PORTS.max).sort((a, b) => a - b);
  const out: PortRange[] = [];
  let start = EPHEMERAL_PORTS.min;
  for (const c of inside) {
    out.push({ min: start, max: c - 1 });
    start = c;
  }
  out.push({ min: start, max: EPHEMERAL_PORTS.max });
  return out;
}

/**
 * Splits the ephemeral port range into the ranges over which no rule that could apply to a flow
 * changes its mind about the source port, so that a flow without a known source port is decided
 * by evaluating one port of each range.
 */
export class SourcePortPlanner {
  private readonly cache = new WeakMap<PolicySet, { egress: Array<SourcePortCuts | undefined>; ingress: Array<SourcePortCuts | undefined> }>();

  /**
   * The ranges of {@link EPHEMERAL_PORTS} with one verdict each, in order; empty when no rule that
   * applies to the flow's endpoints looks at source ports (or the protocol has no ports).
   */
  public ranges(set: PolicySet, flow: Flow): PortRange[] {
    if (!supportsPorts(flow.protocol)) {
      return [];
    }
    const src = flow.src.endpoint === undefined ? NO_CUTS : this.cutsOf(set, flow.src.endpoint, 'egress');
    const dst = flow.dst.endpoint === undefined ? NO_CUTS : this.cutsOf(set, flow.dst.endpoint, 'ingress');
    if (src === NO_CUTS && dst === NO_CUTS) {
      return [];
    }
    const cuts = new Set<number>([...src.cuts, ...dst.cuts]);
    const names = [...src.names, ...dst.names];
    for (const cp of flow.src.endpoint?.ports ?? []) {
      if (cp.name !== undefined && names.includes(cp.name)) {
        cuts.add(cp.port);
        cuts.add(cp.port + 1);
      }
    }
    return ephemeralRanges(cuts);
  }

  /**
   * Where the rules that apply to an endpoint in one direction look at source ports (cached per
   * policy set and endpoint).
   */
  public cutsOf(set: PolicySet, endpoint: EndpointRecord, direction: Direction): SourcePortCuts {
    let entry = this.cache.get(set);
    if (entry === undefined) {
      entry = { egress: [], ingress: [] };
      this.cache.set(set, entry);
    }
    const list = entry[direction];
    let found = list[endpoint.index];
    if (found === undefined) {
      const cuts: number[] = [];
      const names: string[] = [];
      for (const group of set.groups(endpoint, direction)) {
        for (const policy of group.policies) {
          for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
            for (const v of rule.variants) {
              for (const p of [...(v.source.ports ?? []), ...(v.source.notPorts ?? [])]) {
                if (p.kind === 'range') {
                  cuts.push(p.min, p.max + 1);
                } else {
                  names.push(p.name);
                }
              }
            }
          }
        }
      }
      found = cuts.length === 0 && names.length === 0 ? NO_CUTS : { cuts, names };
      list[endpoint.index] = found;
    }
    return found;
  }
}
