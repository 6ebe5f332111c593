/**
 * Policy rules compiled for matching: Calico rules as they are, Kubernetes NetworkPolicy rules
 * converted the way Calico converts them (one Allow rule per peer and port entry).
 *
 * Internal module of the network model.
 */
import { Cidr, cidrContains, parseCidr } from './network-cidr';
import {
  containsGlobal,
  k8sLabelSelector,
  LABEL_NAMESPACE,
  LABEL_ORCHESTRATOR,
  namespaceSelectorOnEndpoints,
  parseSelectorField,
  serviceAccountSelectorOnEndpoints,
} from './network-labels';
import { fail, isObject, ObjectRef, optArray, optNumber, optObject, optString, optStringArray, show } from './network-objects';
import { ICMP, ICMPV6, parseCalicoPorts, parseK8sProtocol, parseProtocol, PortMatch, protocolName, supportsPorts, TCP } from './network-ports';
import { andNode, nodeToString, SelectorNode, valueNode } from '../selector/ast';

/** A rule action. */
export type Action = 'Allow' | 'Deny' | 'Pass' | 'Log';

/** A traffic direction, seen from the endpoint a policy applies to. */
export type Direction = 'ingress' | 'egress';

const ACTIONS: readonly Action[] = ['Allow', 'Deny', 'Log', 'Pass'];

/**
 * Which peers an entity rule matches, independent of ports: selectors (already combined with
 * the namespace/service-account parts, as Calico does), nets and services. Instances are shared
 * between identical rule sides; the match results are cached on them.
 */
export class PeerMatcher {
  /** Match results per endpoint index for IPv4 (index 0) and IPv6 (index 1) flows: 1 = match. */
  public readonly vectors: [Uint8Array | undefined, Uint8Array | undefined] = [undefined, undefined];
  /** Match results for addresses outside the cluster, by `family/address`. */
  public readonly external = new Map<string, boolean>();
  /** Selector result per identity, once computed. */
  public selected?: Uint8Array;
  /** notSelector result per identity, once computed. */
  public notSelected?: Uint8Array;

  /**
   * @param selector positive selector on endpoint labels (namespace/service-account parts included)
   * @param notSelector negative selector on endpoint labels
   * @param nets the peer's address must be in one of these
   * @param notNets the peer's address must be in none of these
   * @param service the peer must back this Kubernetes service
   * @param description human description of the matcher, for traces
   */
  constructor(
    public readonly selector: SelectorNode | undefined,
    public readonly notSelector: SelectorNode | undefined,
    public readonly nets: readonly Cidr[] | undefined,
    public readonly notNets: readonly Cidr[] | undefined,
    public readonly service: { readonly namespace: string; readonly name: string } | undefined,
    public readonly description: string,
  ) {}
}

/** One side (source or destination) of a rule. */
export interface EntityMatch {
  /** `undefined`: any peer. */
  readonly peer?: PeerMatcher;
  readonly ports?: readonly PortMatch[];
  readonly notPorts?: readonly PortMatch[];
  /** Destination `services` match: the flow's port must be one of the service's target ports. */
  readonly servicePorts?: { readonly namespace: string; readonly name: string };
}

/** ICMP type/code criteria. */
export interface IcmpMatch {
  readonly type?: number;
  readonly code?: number;
}

/** One alternative of a rule; a Calico rule has exactly one. */
export interface RuleVariant {
  readonly protocol?: number;
  readonly notProtocol?: number;
  readonly icmp?: IcmpMatch;
  readonly notIcmp?: IcmpMatch;
  /** The IP family the rule applies to (explicit `ipVersion`, or implied by nets/ICMP). */
  readonly ipVersion?: 4 | 6;
  readonly source: EntityMatch;
  readonly destination: EntityMatch;
  /** For Kubernetes rules: which peer/port entry this is (e.g. `from[1] ports[0]`). */
  readonly label?: string;
}

/** A compiled rule. */
export interface CompiledRule {
  /** Index in the policy's `ingress`/`egress` list. */
  readonly index: number;
  readonly action: Action;
  /** The rule matches when any variant matches. */
  readonly variants: readonly RuleVariant[];
  /** The rule has HTTP criteria (not evaluated: layer 7). */
  readonly http: boolean;
}

/** Shares identical peer matchers between rules so their cached results are reused. */
export class RuleCompiler {
  private readonly matchers = new Map<string, PeerMatcher>();

  /** The shared matcher for these criteria (`undefined` when nothing restricts the peer). */
  public peer(
    selector: SelectorNode | undefined,
    notSelector: SelectorNode | undefined,
    nets: readonly Cidr[] | undefined,
    notNets: readonly Cidr[] | undefined,
    service: { namespace: string; name: string } | undefined,
    description: string,
  ): PeerMatcher | undefined {
    if (selector === undefined && notSelector === undefined && nets === undefined && notNets === undefined && service === undefined) {
      return undefined;
    }
    const key = JSON.stringify([
      selector ? nodeToString(selector) : null,
      notSelector ? nodeToString(notSelector) : null,
      nets ? nets.map((n) => `${n.network}/${n.prefix}/${n.version}`) : null,
      notNets ? notNets.map((n) => `${n.network}/${n.prefix}/${n.version}`) : null,
      service ? `${service.namespace}/${service.name}` : null,
    ]);
    let matcher = this.matchers.get(key);
    if (matcher === undefined) {
      matcher = new PeerMatcher(selector, notSelector, nets, notNets, service, description);
      this.matchers.set(key, matcher);
    }
    return matcher;
  }
}

function parseNets(parent: any, key: string, ref: ObjectRef, field: string): Cidr[] | undefined {
  const list = optStringArray(parent, key, ref, field);
  if (list === undefined) {
    return undefined;
  }
  return list.map((text, i) => {
    const cidr = parseCidr(text, true);
    if (cidr === undefined) {
      fail(ref, `${field}[${i}]`, `${show(text)} is not a CIDR; use a block like 10.0.0.0/8 or 2001:db8::/32`);
    }
    return cidr;
  });
}

function parseIcmp(parent: any, key: string, ref: ObjectRef, field: string): IcmpMatch | undefined {
  const raw = optObject(parent, key, ref, field);
  if (raw === undefined) {
    return undefined;
  }
  const type = optNumber(raw, 'type', ref, `${field}.type`);
  const code = optNumber(raw, 'code', ref, `${field}.code`);
  if (type !== undefined && (!Number.isInteger(type) || type < 0 || type > 254)) {
    fail(ref, `${field}.type`, `ICMP type ${type} is out of range; use an integer from 0 to 254`);
  }
  if (code !== undefined && (!Number.isInteger(code) || code < 0 || code > 255)) {
    fail(ref, `${field}.code`, `ICMP code ${code} is out of range; use an integer from 0 to 255`);
  }
  if (code !== undefined && type === undefined) {
    fail(ref, `${field}.code`, 'ICMP code specified without an ICMP type; add type');
  }
  return { type, code };
}

function describeCidrs(nets: readonly Cidr[]): string {
  return `[${nets.map((n) => n.text).join(', ')}]`;
}

/** Calico's combination of an entity rule's selector fields (see libcalico-go GetEntityRuleSelector). */
function combineEntitySelector(
  selector: SelectorNode | undefined,
  namespaceSelector: SelectorNode | undefined,
  serviceAccount: SelectorNode | undefined,
  hasNotSelector: boolean,
  policyNamespace: string | undefined,
): SelectorNode | undefined {
  let nsPart: SelectorNode | undefined;
  if (namespaceSelector !== undefined) {
    nsPart = namespaceSelectorOnEndpoints(namespaceSelector);
  } else if (policyNamespace !== undefined) {
    nsPart = valueNode('eq', LABEL_NAMESPACE, policyNamespace);
  }
  const parts: SelectorNode[] = [];
  if (serviceAccount !== undefined) {
    parts.push(serviceAccount);
  }
  if (selector !== undefined) {
    parts.push(selector);
  }
  const own = parts.length === 0 ? undefined : andNode(parts);
  if (nsPart !== undefined && (own !== undefined || hasNotSelector || namespaceSelector !== undefined)) {
    return own === undefined ? nsPart : andNode([nsPart, own]);
  }
  return own;
}

interface ParsedEntity {
  readonly match: EntityMatch;
  readonly family?: 4 | 6;
}

function netsFamily(lists: ReadonlyArray<readonly Cidr[] | undefined>, ref: ObjectRef, field: string): 4 | 6 | undefined {
  let family: 4 | 6 | undefined;
  for (const list of lists) {
    for (const cidr of list ?? []) {
      if (family !== undefined && family !== cidr.version) {
        fail(ref, field, 'the rule mixes IPv4 and IPv6 CIDRs; Calico needs one IP version per rule, so split it into two rules');
      }
      family = cidr.version;
    }
  }
  return family;
}

function parseCalicoEntity(
  raw: any,
  ref: ObjectRef,
  field: string,
  policyNamespace: string | undefined,
  isDestination: boolean,
  compiler: RuleCompiler,
): ParsedEntity & { nets?: Cidr[]; notNets?: Cidr[] } {
  if (raw === undefined) {
    return { match: {} };
  }
  const selectorText = optString(raw, 'selector', ref, `${field}.selector`);
  const notSelectorText = optString(raw, 'notSelector', ref, `${field}.notSelector`);
  const nsSelectorText = optString(raw, 'namespaceSelector', ref, `${field}.namespaceSelector`);
  const selector = selectorText === undefined || selectorText.trim() === '' ? undefined : parseSelectorField(selectorText, ref, `${field}.selector`)._node;
  const notSelector = notSelectorText === undefined || notSelectorText.trim() === ''
    ? undefined
    : parseSelectorField(notSelectorText, ref, `${field}.notSelector`)._node;
  const nsSelector = nsSelectorText === undefined || nsSelectorText.trim() === ''
    ? undefined
    : parseSelectorField(nsSelectorText, ref, `${field}.namespaceSelector`)._node;
  if (selector !== undefined && containsGlobal(selector)) {
    fail(ref, `${field}.selector`, 'global() is only valid as a whole namespaceSelector; use namespaceSelector: global()');
  }
  if (notSelector !== undefined && containsGlobal(notSelector)) {
    fail(ref, `${field}.notSelector`, 'global() is only valid as a whole namespaceSelector; use namespaceSelector: global()');
  }
  if (nsSelector !== undefined && containsGlobal(nsSelector) && nsSelector.kind !== 'global') {
    fail(ref, `${field}.namespaceSelector`, 'global() must be the whole namespaceSelector, not combined with other expressions');
  }

  const saRaw = optObject(raw, 'serviceAccounts', ref, `${field}.serviceAccounts`);
  let saNode: SelectorNode | undefined;
  let saText: string | undefined;
  if (saRaw !== undefined) {
    const names = optStringArray(saRaw, 'names', ref, `${field}.serviceAccounts.names`);
    const saSelText = optString(saRaw, 'selector', ref, `${field}.serviceAccounts.selector`);
    const saSel = saSelText === undefined || saSelText.trim() === ''
      ? undefined
      : parseSelectorField(saSelText, ref, `${field}.serviceAccounts.selector`)._node;
    saNode = serviceAccountSelectorOnEndpoints(saSel, names, false);
    const bits: string[] = [];
    if (names !== undefined && names.length > 0) {
      bits.push(`names [${names.join(', ')}]`);
    }
    if (saSel !== undefined) {
      bits.push(`selector ${nodeToString(saSel)}`);
    }
    saText = bits.length > 0 ? `serviceAccounts ${bits.join(' and ')}` : undefined;
  }

  const nets = parseNets(raw, 'nets', ref, `${field}.nets`);
  const notNets = parseNets(raw, 'notNets', ref, `${field}.notNets`);
  const ports = parseCalicoPorts(raw, 'ports', ref, `${field}.ports`);
  const notPorts = parseCalicoPorts(raw, 'notPorts', ref, `${field}.notPorts`);

  const servicesRaw = optObject(raw, 'services', ref, `${field}.services`);
  let service: { namespace: string; name: string } | undefined;
  if (servicesRaw !== undefined) {
    const name = optString(servicesRaw, 'name', ref, `${field}.services.name`);
    if (name === undefined || name === '') {
      fail(ref, `${field}.services.name`, 'missing; a services match needs the name of a Kubernetes Service');
    }
    const namespace = optString(servicesRaw, 'namespace', ref, `${field}.services.namespace`) ?? policyNamespace;
    if (namespace === undefined || namespace === '') {
      fail(ref, `${field}.services.namespace`, 'missing; a GlobalNetworkPolicy must name the namespace of the service');
    }
    if (nsSelector !== undefined) {
      fail(ref, `${field}.services`, 'cannot specify namespaceSelector and services on the same rule side');
    }
    if (selector !== undefined || notSelector !== undefined) {
      fail(ref, `${field}.services`, 'cannot specify selector/notSelector and services on the same rule side');
    }
    if (saRaw !== undefined) {
      fail(ref, `${field}.services`, 'cannot specify serviceAccounts and services on the same rule side');
    }
    if (nets !== undefined || notNets !== undefined) {
      fail(ref, `${field}.services`, 'cannot specify nets/notNets and services on the same rule side');
    }
    if (isDestination && (ports !== undefined || notPorts !== undefined)) {
      fail(ref, `${field}.services`, 'ports and notPorts cannot be specified with services: the service defines the ports');
    }
    service = { namespace, name };
  }

  const combined = combineEntitySelector(selector, nsSelector, saNode, notSelector !== undefined, policyNamespace);
  const descriptionParts: string[] = [];
  if (selector !== undefined) {
    descriptionParts.push(`selector ${nodeToString(selector)}`);
  }
  if (notSelector !== undefined) {
    descriptionParts.push(`notSelector ${nodeToString(notSelector)}`);
  }
  if (saText !== undefined) {
    descriptionParts.push(saText);
  }
  if (nets !== undefined) {
    descriptionParts.push(`nets ${describeCidrs(nets)}`);
  }
  if (notNets !== undefined) {
    descriptionParts.push(`notNets ${describeCidrs(notNets)}`);
  }
  if (service !== undefined) {
    descriptionParts.push(`service ${service.namespace}/${service.name}`);
  }
  if (nsSelector !== undefined) {
    descriptionParts.push(`namespaceSelector ${nodeToString(nsSelector)}`);
  } else if (policyNamespace !== undefined && (selector !== undefined || notSelector !== undefined || saNode !== undefined)) {
    descriptionParts.push(`in namespace ${policyNamespace}`);
  }
  const peer = compiler.peer(combined, notSelector, nets, notNets, service, descriptionParts.join(', '));
  return {
    match: { peer, ports, notPorts, servicePorts: isDestination && service !== undefined ? service : undefined },
    nets,
    notNets,
  };
}

/**
 * Compiles one Calico rule (`spec.ingress[i]` / `spec.egress[i]` of a Calico policy).
 *
 * @param policyNamespace the policy's namespace; `undefined` for global policies
 */
export function compileCalicoRule(
  raw: any,
  index: number,
  direction: Direction,
  ref: ObjectRef,
  field: string,
  policyNamespace: string | undefined,
  compiler: RuleCompiler,
): CompiledRule {
  if (!isObject(raw)) {
    fail(ref, field, `expected a rule object with an action, got ${show(raw)}`);
  }
  const action = raw.action;
  if (!ACTIONS.includes(action)) {
    fail(ref, `${field}.action`, `${show(action)} is not a rule action; use one of ${ACTIONS.join(', ')}`);
  }
  let protocol: number | undefined;
  if (raw.protocol !== undefined && raw.protocol !== null) {
    protocol = parseProtocol(raw.protocol);
    if (protocol === undefined) {
      fail(ref, `${field}.protocol`, `${show(raw.protocol)} is not a protocol; use TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number from 1 to 255`);
    }
  }
  let notProtocol: number | undefined;
  if (raw.notProtocol !== undefined && raw.notProtocol !== null) {
    notProtocol = parseProtocol(raw.notProtocol);
    if (notProtocol === undefined) {
      fail(ref, `${field}.notProtocol`, `${show(raw.notProtocol)} is not a protocol; use TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number from 1 to 255`);
    }
  }
  const icmp = parseIcmp(raw, 'icmp', ref, `${field}.icmp`);
  const notIcmp = parseIcmp(raw, 'notICMP', ref, `${field}.notICMP`);
  if (icmp !== undefined && protocol !== ICMP && protocol !== ICMPV6) {
    fail(ref, `${field}.icmp`, 'icmp criteria need protocol ICMP or ICMPv6 on the rule');
  }
  let ipVersion: 4 | 6 | undefined;
  if (raw.ipVersion !== undefined && raw.ipVersion !== null) {
    if (raw.ipVersion !== 4 && raw.ipVersion !== 6) {
      fail(ref, `${field}.ipVersion`, `${show(raw.ipVersion)} is not an IP version; use 4 or 6`);
    }
    ipVersion = raw.ipVersion;
  }
  for (const [p, name] of [[protocol, 'protocol'], [notProtocol, 'notProtocol']] as const) {
    if (p === ICMP && ipVersion === 6) {
      fail(ref, `${field}.ipVersion`, `${name} ICMP needs ipVersion 4 (use ICMPv6 for IPv6)`);
    }
    if (p === ICMPV6 && ipVersion === 4) {
      fail(ref, `${field}.ipVersion`, `${name} ICMPv6 needs ipVersion 6 (use ICMP for IPv4)`);
    }
  }

  const http = optObject(raw, 'http', ref, `${field}.http`);
  if (http !== undefined) {
    if (direction === 'egress') {
      fail(ref, `${field}.http`, 'HTTP match is not allowed in egress rules');
    }
    if (action !== 'Allow') {
      fail(ref, `${field}.http`, 'HTTP match is only valid on Allow rules');
    }
    if (protocol !== undefined && protocol !== TCP) {
      fail(ref, `${field}.protocol`, 'rules with HTTP match must have protocol TCP or no protocol');
    }
  }

  const sourceRaw = optObject(raw, 'source', ref, `${field}.source`);
  const destinationRaw = optObject(raw, 'destination', ref, `${field}.destination`);
  if (direction === 'egress' && sourceRaw?.services !== undefined && sourceRaw?.services !== null) {
    fail(ref, `${field}.source.services`, 'services are not allowed in the source of an egress rule');
  }
  if (direction === 'ingress' && destinationRaw?.services !== undefined && destinationRaw?.services !== null) {
    fail(ref, `${field}.destination.services`, 'services are not allowed in the destination of an ingress rule');
  }
  const source = parseCalicoEntity(sourceRaw, ref, `${field}.source`, policyNamespace, false, compiler);
  const destination = parseCalicoEntity(destinationRaw, ref, `${field}.destination`, policyNamespace, true, compiler);

  for (const [side, entity] of [['source', source], ['destination', destination]] as const) {
    const m = entity.match;
    if ((m.ports !== undefined || m.notPorts !== undefined) && (protocol === undefined || !supportsPorts(protocol))) {
      fail(
        ref,
        `${field}.${side}.${m.ports !== undefined ? 'ports' : 'notPorts'}`,
        `protocol ${protocol === undefined ? '(none)' : protocolName(protocol)} does not support ports; set protocol to TCP, UDP, SCTP or UDPLite`,
      );
    }
  }

  const netFamily = netsFamily([source.nets, source.notNets, destination.nets, destination.notNets], ref, field);
  if (netFamily !== undefined && ipVersion !== undefined && netFamily !== ipVersion) {
    fail(ref, `${field}.ipVersion`, `ipVersion ${ipVersion} does not match the IPv${netFamily} CIDRs of the rule`);
  }
  let family = ipVersion ?? netFamily;
  if (family === undefined && protocol === ICMP) {
    family = 4;
  } else if (family === undefined && protocol === ICMPV6) {
    family = 6;
  }

  return {
    index,
    action,
    http: http !== undefined,
    variants: [{ protocol, notProtocol, icmp, notIcmp, ipVersion: family, source: source.match, destination: destination.match }],
  };
}

/** A Kubernetes label selector for pods, as Calico converts it (`projectcalico.org/orchestrator == 'k8s'` added). */
export function k8sPodSelector(raw: any, ref: ObjectRef, field: string): SelectorNode {
  const orchestrator = valueNode('eq', LABEL_ORCHESTRATOR, 'k8s');
  const node = k8sLabelSelector(raw, ref, field);
  return node.kind === 'all' ? orchestrator : andNode([orchestrator, node]);
}

/** A Kubernetes label selector in a short readable form, e.g. `{app=web, tier In (a, b)}`. */
export function describeK8sSelector(raw: any): string {
  if (raw === undefined || raw === null) {
    return '{}';
  }
  const parts: string[] = [];
  for (const [k, v] of Object.entries(raw.matchLabels ?? {})) {
    parts.push(`${k}=${v}`);
  }
  for (const e of raw.matchExpressions ?? []) {
    parts.push(`${e.key} ${e.operator}${Array.isArray(e.values) && e.values.length > 0 ? ` (${e.values.join(', ')})` : ''}`);
  }
  return parts.length === 0 ? '{}' : `{${parts.join(', ')}}`;
}

interface K8sPeer {
  readonly match: EntityMatch;
  readonly family?: 4 | 6;
}

function compileK8sPeer(raw: any, ref: ObjectRef, field: string, policyNamespace: string, compiler: RuleCompiler): K8sPeer {
  if (!isObject(raw)) {
    fail(ref, field, `expected a peer with podSelector, namespaceSelector or ipBlock, got ${show(raw)}`);
  }
  const ipBlock = optObject(raw, 'ipBlock', ref, `${field}.ipBlock`);
  const hasPod = raw.podSelector !== undefined && raw.podSelector !== null;
  const hasNs = raw.namespaceSelector !== undefined && raw.namespaceSelector !== null;
  if (ipBlock !== undefined) {
    if (hasPod || hasNs) {
      fail(ref, field, 'ipBlock cannot be combined with podSelector or namespaceSelector in one peer; use separate peers');
    }
    const cidrText = optString(ipBlock, 'cidr', ref, `${field}.ipBlock.cidr`);
    const cidr = cidrText === undefined ? undefined : parseCidr(cidrText, false);
    if (cidr === undefined) {
      fail(ref, `${field}.ipBlock.cidr`, `${show(cidrText)} is not a CIDR; use a block like 10.0.0.0/16`);
    }
    const exceptTexts = optStringArray(ipBlock, 'except', ref, `${field}.ipBlock.except`) ?? [];
    const except = exceptTexts.map((t, i) => {
      const c = parseCidr(t, false);
      if (c === undefined) {
        fail(ref, `${field}.ipBlock.except[${i}]`, `${show(t)} is not a CIDR; use a block like 10.0.1.0/24`);
      }
      if (c.version !== cidr.version || c.prefix < cidr.prefix
        || !cidrContains(cidr, { version: c.version, value: c.network, text: c.text })) {
        fail(ref, `${field}.ipBlock.except[${i}]`, `${t} is not inside ${cidrText}; except blocks must lie within the cidr`);
      }
      return c;
    });
    const description = `ipBlock ${cidr.text}${except.length > 0 ? ` except ${describeCidrs(except)}` : ''}`;
    return {
      match: { peer: compiler.peer(undefined, undefined, [cidr], except.length > 0 ? except : undefined, undefined, description) },
      family: cidr.version,
    };
  }
  if (!hasPod && !hasNs) {
    fail(ref, field, 'a peer needs podSelector, namespaceSelector or ipBlock');
  }
  const podSel = k8sPodSelector(hasPod ? raw.podSelector : undefined, ref, `${field}.podSelector`);
  const nsSel = hasNs ? k8sLabelSelector(raw.namespaceSelector, ref, `${field}.namespaceSelector`) : undefined;
  const combined = combineEntitySelector(podSel, nsSel, undefined, false, policyNamespace);
  const bits: string[] = [];
  if (hasNs) {
    bits.push(`namespaceSelector ${describeK8sSelector(raw.namespaceSelector)}`);
  }
  if (hasPod) {
    bits.push(`podSelector ${describeK8sSelector(raw.podSelector)}`);
  }
  const description = hasNs ? bits.join(' and ') : `${bits[0]} in namespace ${policyNamespace}`;
  return { match: { peer: compiler.peer(combined, undefined, undefined, undefined, undefined, description) } };
}

interface K8sPort {
  readonly protocol: number;
  readonly ports?: readonly PortMatch[];
}

function compileK8sPort(raw: any, ref: ObjectRef, field: string): K8sPort {
  if (!isObject(raw)) {
    fail(ref, field, `expected a port entry with protocol and/or port, got ${show(raw)}`);
  }
  const protocol = raw.protocol === undefined || raw.protocol === null ? TCP : parseK8sProtocol(raw.protocol, ref, `${field}.protocol`);
  const port = raw.port;
  const endPort = raw.endPort;
  if (port === undefined || port === null) {
    if (endPort !== undefined && endPort !== null) {
      fail(ref, `${field}.endPort`, 'endPort needs a numeric port');
    }
    return { protocol };
  }
  if (typeof port === 'number') {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      fail(ref, `${field}.port`, `port ${port} is out of range; use an integer from 1 to 65535`);
    }
    let max = port;
    if (endPort !== undefined && endPort !== null) {
      if (typeof endPort !== 'number' || !Number.isInteger(endPort) || endPort < port || endPort > 65535) {
        fail(ref, `${field}.endPort`, `endPort ${show(endPort)} is not valid; use an integer from port (${port}) to 65535`);
      }
      max = endPort;
    }
    return { protocol, ports: [{ kind: 'range', min: port, max, text: max === port ? String(port) : `${port}-${max}` }] };
  }
  if (typeof port === 'string' && /[a-z]/i.test(port) && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i.test(port) && port.length <= 15) {
    if (endPort !== undefined && endPort !== null) {
      fail(ref, `${field}.endPort`, 'endPort cannot be used with a named port; use a numeric port');
    }
    return { protocol, ports: [{ kind: 'name', name: port, text: port }] };
  }
  fail(ref, `${field}.port`, `${show(port)} is neither a port number nor a valid port name (a name has letters, digits and '-', at most 15 characters)`);
}

/**
 * Compiles one Kubernetes NetworkPolicy rule the way Calico converts it: an Allow rule for each
 * combination of peer and port entry (a missing or empty list means "any").
 */
export function compileK8sRule(
  raw: any,
  index: number,
  direction: Direction,
  ref: ObjectRef,
  field: string,
  policyNamespace: string,
  compiler: RuleCompiler,
): CompiledRule {
  if (!isObject(raw)) {
    fail(ref, field, `expected a rule object, got ${show(raw)}`);
  }
  const peerKey = direction === 'ingress' ? 'from' : 'to';
  const peersRaw = optArray(raw, peerKey, ref, `${field}.${peerKey}`) ?? [];
  const portsRaw = optArray(raw, 'ports', ref, `${field}.ports`) ?? [];
  const peers: Array<K8sPeer & { label?: string }> = peersRaw.length === 0
    ? [{ match: {} }]
    : peersRaw.map((p, i) => ({ ...compileK8sPeer(p, ref, `${field}.${peerKey}[${i}]`, policyNamespace, compiler), label: `${peerKey}[${i}]` }));
  const ports: Array<(K8sPort & { label: string }) | undefined> = portsRaw.length === 0
    ? [undefined]
    : portsRaw.map((p, i) => ({ ...compileK8sPort(p, ref, `${field}.ports[${i}]`), label: `ports[${i}]` }));
  const variants: RuleVariant[] = [];
  for (const peer of peers) {
    for (const port of ports) {
      const label = [peer.label, port?.label].filter((x) => x !== undefined).join(' ');
      const portSide: EntityMatch = port?.ports === undefined ? {} : { ports: port.ports };
      variants.push({
        protocol: port?.protocol,
        ipVersion: peer.family,
        source: direction === 'ingress' ? peer.match : {},
        destination: direction === 'ingress' ? portSide : { ...peer.match, ...portSide },
        label: label === '' ? undefined : label,
      });
    }
  }
  return { index, action: 'Allow', http: false, variants };
}
