/**
 * Policy rules compiled for matching: Calico rules as they are, Kubernetes NetworkPolicy rules
 * converted the way Calico converts them (one Allow rule per peer and port entry).
 *
 * Every Calico rule is read by core (`core/rule-validation.ts` `readCalicoRule`), so the model
 * and the constructs accept and refuse the same rules with the same reasons; this module only
 * compiles the selectors and builds the matchers.
 *
 * Internal module of the network model.
 */
import {
  globalAsFelixEvaluates,
  k8sLabelSelector,
  LABEL_NAMESPACE,
  LABEL_ORCHESTRATOR,
  namespaceSelectorOnEndpoints,
  parseSelectorField,
  serviceAccountSelectorOnEndpoints,
} from './network-labels';
import { fail, isObject, ObjectRef, optArray, optObject, show } from './network-objects';
import { k8sProtocolAt } from './network-ports';
import { Cidr, readIpBlock } from '../core/cidr';
import { joinField } from '../core/errors';
import { PortMatch, readK8sPolicyPort } from '../core/ports';
import { TCP } from '../core/protocol';
import { EntityFacts, readCalicoRule } from '../core/rule-validation';
import { andNode, nodeToString, SelectorNode, valueNode } from '../selector/ast';

/** A rule action. */
export type Action = 'Allow' | 'Deny' | 'Pass' | 'Log';

/** A traffic direction, seen from the endpoint a policy applies to. */
export type Direction = 'ingress' | 'egress';

/**
 * Which peers an entity rule matches, independent of ports: selectors (already combined with
 * the namespace/service-account parts, as Calico does), nets and services. Instances are shared
 * between identical rule sides; the match results are cached on them.
 */
export class PeerMatcher {
  /** Match results per endpoint index for IPv4 (index 0) and IPv6 (index 1) flows: 0 = not computed yet, 1 = match, 2 = no match. */
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
  /** The rule's name, for explanations (ClusterNetworkPolicy rules have one). */
  readonly name?: string;
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
      nets ? nets.map((n) => n.canonical) : null,
      notNets ? notNets.map((n) => n.canonical) : null,
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

function describeCidrs(nets: readonly Cidr[]): string {
  return `[${nets.map((n) => n.text).join(', ')}]`;
}

/**
 * Calico's combination of an entity rule's selector fields: the rule's selector (and service
 * accounts) limited to the namespaces of its `namespaceSelector`, or to the policy's namespace.
 */
// Calico: libcalico-go/lib/backend/syncersv1/updateprocessors/rules.go getEndpointSelector
export function combineEntitySelector(
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

/**
 * Parses a selector of a rule side as written (the selector layer decides what blank text
 * means; an absent or empty field never gets here).
 */
function ruleSelector(text: string | undefined, ref: ObjectRef, field: string): SelectorNode | undefined {
  return text === undefined ? undefined : parseSelectorField(text, ref, field)._node;
}

function compileCalicoEntity(
  facts: EntityFacts,
  ref: ObjectRef,
  field: string,
  policyNamespace: string | undefined,
  isDestination: boolean,
  compiler: RuleCompiler,
): EntityMatch {
  // Felix evaluates a global() Calico leaves in place as "every endpoint".
  const parsedSelector = ruleSelector(facts.selector, ref, `${field}.selector`);
  const selector = parsedSelector === undefined ? undefined : globalAsFelixEvaluates(parsedSelector);
  const parsedNotSelector = ruleSelector(facts.notSelector, ref, `${field}.notSelector`);
  const notSelector = parsedNotSelector === undefined ? undefined : globalAsFelixEvaluates(parsedNotSelector);
  const nsSelector = ruleSelector(facts.namespaceSelector, ref, `${field}.namespaceSelector`);

  let saNode: SelectorNode | undefined;
  let saText: string | undefined;
  if (facts.serviceAccounts !== undefined) {
    const names = facts.serviceAccounts.names;
    const parsedSa = ruleSelector(facts.serviceAccounts.selector, ref, `${field}.serviceAccounts.selector`);
    const saSelector = parsedSa === undefined ? undefined : globalAsFelixEvaluates(parsedSa);
    // Calico: updateprocessors/rules.go parseServiceAccounts (pcsa. prefix, names ANDed, no all() rewrite)
    saNode = serviceAccountSelectorOnEndpoints(saSelector, names, false);
    const bits: string[] = [];
    if (names !== undefined) {
      bits.push(`names [${names.join(', ')}]`);
    }
    if (saSelector !== undefined) {
      bits.push(`selector ${nodeToString(saSelector)}`);
    }
    saText = bits.length > 0 ? `serviceAccounts ${bits.join(' and ')}` : undefined;
  }

  let service: { namespace: string; name: string } | undefined;
  if (facts.services !== undefined) {
    // Calico: api/pkg/apis/projectcalico/v3/policy_common.go ServiceMatch (an empty namespace is the policy's);
    // validator.go validateGlobalNetworkPolicySpec ("must specify a namespace")
    const namespace = facts.services.namespace ?? policyNamespace;
    if (namespace === undefined) {
      fail(ref, `${field}.services.namespace`, 'missing; a GlobalNetworkPolicy must name the namespace of the service');
    }
    service = { namespace, name: facts.services.name };
  }

  const { nets, notNets } = facts;
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
  return { peer, ports: facts.ports, notPorts: facts.notPorts, servicePorts: isDestination ? service : undefined };
}

/**
 * Compiles one Calico rule (`spec.ingress[i]` / `spec.egress[i]` of a Calico policy). The rule
 * is read by core's `readCalicoRule`, so it is accepted or refused exactly as the constructs
 * accept or refuse it; empty lists and empty selectors are no constraint.
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
  const read = readCalicoRule(raw, direction, { global: policyNamespace === undefined });
  if ('problem' in read) {
    fail(ref, joinField(field, read.problem.field), read.problem.problem);
  }
  const rule = read.rule;
  const source = compileCalicoEntity(rule.source, ref, joinField(field, 'source'), policyNamespace, false, compiler);
  const destination = compileCalicoEntity(rule.destination, ref, joinField(field, 'destination'), policyNamespace, true, compiler);
  return {
    index,
    action: rule.action,
    http: rule.http,
    variants: [{
      protocol: rule.protocol,
      notProtocol: rule.notProtocol,
      icmp: rule.icmp,
      notIcmp: rule.notIcmp,
      // Calico: felix/rules/policy.go FilterRuleToIPVersion (a rule whose nets are all of the other family is not rendered)
      ipVersion: rule.family,
      source,
      destination,
    }],
  };
}

/** A Kubernetes label selector for pods, as Calico converts it (`projectcalico.org/orchestrator == 'k8s'` added). */
// Calico: libcalico-go/lib/backend/k8s/conversion/conversion.go k8sSelectorToCalico (SelectorPod)
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
    const read = readIpBlock(ipBlock.cidr, ipBlock.except);
    if ('problem' in read) {
      fail(ref, `${field}.ipBlock.${read.field}`, read.problem);
    }
    const { cidr, except } = read.block;
    const description = `ipBlock ${cidr.text}${except.length > 0 ? ` except ${describeCidrs(except)}` : ''}`;
    // Calico: conversion.go k8sPeerToCalicoFields: cidr -> nets, except -> notNets; FilterRuleToIPVersion keeps
    // the rule to the block's family.
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
  // Calico: conversion.go k8sRuleToCalico (TCP is the implicit default protocol)
  const protocol = raw.protocol === undefined || raw.protocol === null ? TCP : k8sProtocolAt(raw.protocol, ref, `${field}.protocol`);
  const read = readK8sPolicyPort(raw.port, raw.endPort);
  if ('problem' in read) {
    fail(ref, `${field}.${read.field}`, read.problem);
  }
  return read.port === undefined ? { protocol } : { protocol, ports: [read.port] };
}

/**
 * Compiles one Kubernetes NetworkPolicy rule the way Calico converts it: an Allow rule for each
 * combination of peer and port entry (a missing or empty list means "any").
 */
// Calico: libcalico-go/lib/backend/k8s/conversion/conversion.go k8sRuleToCalico
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
