/**
 * Matching one flow against compiled rules.
 *
 * Peer criteria (selectors, nets, services) depend only on the peer, so their results are
 * computed once per rule side for all endpoints and cached on the shared {@link PeerMatcher}.
 *
 * Internal module of the network model.
 */
import { anyCidrContains, Cidr, IpAddress } from './network-cidr';
import { EndpointRecord, Inventory, ServiceRecord } from './network-endpoints';
import { IdentityIndex } from './network-index';
import { ICMP, ICMPV6, PortMatch, protocolName } from './network-ports';
import { CompiledRule, EntityMatch, IcmpMatch, PeerMatcher, RuleVariant } from './network-rules';

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
  /** IP family of the flow. */
  readonly family: 4 | 6;
}

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

/** Matches flows against rules, with the caches that make it fast. */
export class FlowMatcher {
  constructor(private readonly inventory: Inventory, private readonly index: IdentityIndex) {}

  /** Whether a peer criterion matches one end of a flow. */
  public peerMatches(m: PeerMatcher, end: FlowEnd, family: 4 | 6): boolean {
    const e = end.endpoint;
    if (e !== undefined) {
      const slot = family === 4 ? 0 : 1;
      let vector = m.vectors[slot];
      if (vector === undefined) {
        vector = new Uint8Array(this.inventory.endpoints.length);
        for (const ep of this.inventory.endpoints) {
          const failure = this.failure(m, ep.id, this.identitiesOf(ep, family), this.addressesOf(ep, family), ep, family, false);
          vector[ep.index] = failure === undefined ? 1 : 0;
        }
        m.vectors[slot] = vector;
      }
      return vector[e.index] === 1;
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

  /** Why a peer criterion does not match one end of a flow (`undefined` when it matches). */
  public peerFailure(m: PeerMatcher, end: FlowEnd, family: 4 | 6): string | undefined {
    const e = end.endpoint;
    if (e !== undefined) {
      return this.failure(m, end.id, this.identitiesOf(e, family), this.addressesOf(e, family), e, family, true);
    }
    const address = end.address!;
    return this.failure(m, end.id, this.externalIdentities(address, family), this.externalAddresses(address, family), undefined, family, true);
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

  private identitiesOf(e: EndpointRecord, family: 4 | 6): readonly number[] {
    const sets = e.networkSetIdentities[family];
    return e.identity < 0 ? sets : sets.length === 0 ? [e.identity] : [e.identity, ...sets];
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

  private failure(
    m: PeerMatcher,
    id: string,
    identities: readonly number[],
    addresses: readonly IpAddress[],
    endpoint: EndpointRecord | undefined,
    family: 4 | 6,
    explain: boolean,
  ): string | undefined {
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
    if (m.nets !== undefined && !addresses.some((a) => anyCidrContains(m.nets!, a))
      && !(addresses.length === 0 && coversWholeFamily(m.nets, family))) {
      if (!explain) {
        return '';
      }
      return addresses.length === 0
        ? `${id} has no known IPv${family} address, so ${m.description} cannot match it`
        : `${id} (${addresses.map((a) => a.text).join(', ')}) is outside ${m.description}`;
    }
    if (m.notNets !== undefined && (addresses.some((a) => anyCidrContains(m.notNets!, a))
      || (addresses.length === 0 && coversWholeFamily(m.notNets, family)))) {
      return explain
        ? addresses.length === 0
          ? `${id} has no known IPv${family} address, but every IPv${family} address is excluded by ${m.description}`
          : `${id} (${addresses.map((a) => a.text).join(', ')}) is excluded by ${m.description}`
        : '';
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

  private sideFailure(side: EntityMatch, which: 'source' | 'destination', end: FlowEnd, flow: Flow, explain: boolean): string | undefined {
    if (side.peer !== undefined) {
      if (explain) {
        const failure = this.peerFailure(side.peer, end, flow.family);
        if (failure !== undefined) {
          return `${which}: ${failure}`;
        }
      } else if (!this.peerMatches(side.peer, end, flow.family)) {
        return '';
      }
    }
    // Ports of a source are never known (the query has only a destination port).
    const port = which === 'destination' ? flow.port : undefined;
    const portOwner = which === 'destination' ? flow.dst.endpoint : flow.src.endpoint;
    if (side.ports !== undefined && !this.portListMatches(side.ports, port, flow.protocol, portOwner)) {
      if (!explain) {
        return '';
      }
      if (which === 'source') {
        return `source ports ${describePorts(side.ports)} cannot be proven: the source port of a flow is not modelled`;
      }
      return port === undefined
        ? `destination ports ${describePorts(side.ports)}: the query has no port`
        : `destination port ${port} is not in ${describePorts(side.ports)}${side.ports.some((p) => p.kind === 'name') ? ` (named ports resolve on ${flow.dst.id}'s ${protocolName(flow.protocol)} container ports)` : ''}`;
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
    return this.sideFailure(v.source, 'source', flow.src, flow, explain)
      ?? this.sideFailure(v.destination, 'destination', flow.dst, flow, explain);
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

/**
 * Whether the CIDRs include a whole address family (`0.0.0.0/0` or `::/0`): such a block
 * contains every address of that family, so it decides even for an endpoint whose IP is unknown
 * (the usual case for manifests, which carry no pod IPs).
 */
function coversWholeFamily(cidrs: readonly Cidr[], family: 4 | 6): boolean {
  return cidrs.some((cidr) => cidr.prefix === 0 && cidr.version === family);
}
