/**
 * Kubernetes `ClusterNetworkPolicy` (policy.networking.k8s.io/v1alpha2, network-policy-api
 * v0.2.0), converted exactly as Calico v3.32.1 converts it: a GlobalNetworkPolicy in the
 * `kube-admin` (tier `Admin`) or `kube-baseline` (tier `Baseline`) tier, at the order of its
 * priority, keyed `<name>//KubernetesClusterNetworkPolicy` among policies of equal order.
 *
 * The object is first read as the API server validates it (`core/cluster-network-policy.ts`, the
 * same reader the construct checks itself with); what is valid but that Calico cannot convert
 * (a `destinationNamedPort` that is not a Calico port name) fails closed as in Calico: a Deny or
 * Pass rule becomes "deny all", an Accept rule is dropped. Explanations say so.
 *
 * Internal module of the network model.
 */
import {
  CLUSTER_NETWORK_POLICY_ACTIONS,
  CLUSTER_NETWORK_POLICY_API_VERSION,
  CLUSTER_NETWORK_POLICY_TIERS,
  ClusterNetworkPolicyRuleFacts,
  ClusterNetworkPolicySelection,
  dnsSubdomainProblem,
  fail,
  KIND_KUBERNETES_CLUSTER_NETWORK_POLICY,
  LabelSelectorFacts,
  PortMatch,
  protocolName,
  readClusterNetworkPolicySpec,
} from '../../../core';
import { allNode, andNode, notNode, SelectorNode, valueNode } from '../../../selector/ast';
import { requireName } from '../../network-endpoints';
import { k8sLabelSelector, LABEL_ORCHESTRATOR, namespaceSelectorOnEndpoints } from '../../network-labels';
import { ObjectRef } from '../../network-objects';
import { combineEntitySelector, CompiledRule, describeK8sSelector, Direction, EntityMatch, k8sPodSelector, RuleCompiler, RuleVariant } from '../../network-rules';
import { KindRead } from '../kind';
import { policyKey, policySortKey } from '../records';
import { clusterRef, policyLabel } from './common';

const FAMILY = KIND_KUBERNETES_CLUSTER_NETWORK_POLICY;

/**
 * The port names Calico accepts; a `destinationNamedPort` it refuses makes the rule
 * unconvertible.
 */
// Calico: api/pkg/lib/numorstring/port.go NamedPort (nameRegex)
const CALICO_PORT_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

/** Reads a `ClusterNetworkPolicy`. */
// Calico: libcalico-go/lib/backend/k8s/conversion/clusternetworkpolicy.go K8sClusterNetworkPolicyToCalico;
// felixsyncer/felixsyncerv1.go (read through the GlobalNetworkPolicy update processor, key kind KubernetesClusterNetworkPolicy)
export const readClusterNetworkPolicy: KindRead = (obj, type, sink) => {
  const ref = clusterRef(obj, type);
  if (type.apiVersion !== CLUSTER_NETWORK_POLICY_API_VERSION) {
    fail(ref, 'apiVersion', `${JSON.stringify(type.apiVersion)} does not serve ClusterNetworkPolicy; use ${CLUSTER_NETWORK_POLICY_API_VERSION}`);
  }
  const name = requireName(obj, ref);
  const nameProblem = dnsSubdomainProblem(name, 'object name');
  if (nameProblem !== undefined) {
    fail(ref, 'metadata.name', nameProblem);
  }
  if (obj.spec === undefined || obj.spec === null) {
    fail(ref, 'spec', 'missing; a ClusterNetworkPolicy needs tier, priority and subject');
  }
  const read = readClusterNetworkPolicySpec(obj.spec);
  if ('problem' in read) {
    fail(ref, read.problem.field === '' ? 'spec' : `spec.${read.problem.field}`, read.problem.problem);
  }
  const spec = read.spec;
  const subject = subjectSelector(spec.subject, ref);
  const ingress = spec.ingress.map((r, i) => convertRule(r, i, 'ingress', ref, sink.compiler));
  const egress = spec.egress.map((r, i) => convertRule(r, i, 'egress', ref, sink.compiler));
  sink.addPolicy(
    {
      family: FAMILY,
      ref,
      label: policyLabel(type.kind, undefined, name),
      name,
      // Calico: felix/calc/policy_sorter.go PolKVLess (`<name>/<namespace>/<kind>`, namespace empty)
      sortKey: policySortKey(FAMILY, undefined, name),
      tier: CLUSTER_NETWORK_POLICY_TIERS[spec.tier],
      // Calico: clusternetworkpolicy.go K8sClusterNetworkPolicyToCalico (order := float64(kcnp.Spec.Priority))
      order: spec.priority,
      selector: subject.selector,
      selectorText: subject.description,
      // Calico: clusternetworkpolicy.go clusterNetPolicyTypes (a type only for a direction with converted rules)
      ingressApplies: ingress.some((r) => r.kept),
      egressApplies: egress.some((r) => r.kept),
      ingress: ingress.map((r) => r.rule),
      egress: egress.map((r) => r.rule),
      key: policyKey(FAMILY, undefined, name),
    },
    false,
  );
};

/** A label selector on the labels of the namespaces, rewritten onto endpoint labels (`pcns.` keys). */
// Calico: conversion.go k8sSelectorToCalico (SelectorNamespace: an empty selector is all()); then, as a
// GlobalNetworkPolicy namespaceSelector or a rule namespaceSelector, pcns.-prefixed with all() -> has(projectcalico.org/namespace)
function namespacesOnEndpoints(selector: LabelSelectorFacts, ref: ObjectRef, field: string): SelectorNode {
  return namespaceSelectorOnEndpoints(k8sLabelSelector(selector, ref, field));
}

/**
 * The endpoints the policy applies to: pods (`projectcalico.org/orchestrator == 'k8s'`, which
 * leaves host endpoints out) of the subject's namespaces, matching its pod selector.
 */
// Calico: clusternetworkpolicy.go K8sClusterNetworkPolicyToCalico (Selector from k8sSelectorToCalico(…, SelectorPod),
// NamespaceSelector); updateprocessors/globalnetworkpolicyprocessor.go ConvertGlobalNetworkPolicyV3ToV1Value
function subjectSelector(subject: ClusterNetworkPolicySelection, ref: ObjectRef): { selector: SelectorNode; description: string } {
  if (subject.kind === 'namespaces') {
    return {
      selector: andNode([valueNode('eq', LABEL_ORCHESTRATOR, 'k8s'), namespacesOnEndpoints(subject.namespaces, ref, 'spec.subject.namespaces')]),
      description: `pods in namespaces ${describeK8sSelector(subject.namespaces)}`,
    };
  }
  if (subject.kind === 'pods') {
    return {
      selector: andNode([
        k8sPodSelector(subject.pods.podSelector, ref, 'spec.subject.pods.podSelector'),
        namespacesOnEndpoints(subject.pods.namespaceSelector, ref, 'spec.subject.pods.namespaceSelector'),
      ]),
      description: `pods ${describeK8sSelector(subject.pods.podSelector)} in namespaces ${describeK8sSelector(subject.pods.namespaceSelector)}`,
    };
  }
  // The core reader gives a subject namespaces or pods only.
  return fail(ref, 'spec.subject', 'a subject selects namespaces or pods, not networks');
}

/** The peer side of a converted rule (the source of an ingress rule, the destination of an egress rule). */
// Calico: clusternetworkpolicy.go combinePortsWithCNPIngressPeers / combinePortsWithCNPEgressPeers (Selector,
// NamespaceSelector, Nets); updateprocessors/rules.go getEndpointSelector (global policy: no namespace of its own)
function peerMatch(
  peer: ClusterNetworkPolicySelection,
  ref: ObjectRef,
  field: string,
  compiler: RuleCompiler,
): { match: EntityMatch; family?: 4 | 6 } {
  switch (peer.kind) {
    case 'namespaces': {
      const ns = k8sLabelSelector(peer.namespaces, ref, `${field}.namespaces`);
      const selector = combineEntitySelector(undefined, ns, undefined, false, undefined);
      const description = `namespaces ${describeK8sSelector(peer.namespaces)}`;
      return { match: { peer: compiler.peer(selector, undefined, undefined, undefined, undefined, description) } };
    }
    case 'pods': {
      const pods = k8sPodSelector(peer.pods.podSelector, ref, `${field}.pods.podSelector`);
      const ns = k8sLabelSelector(peer.pods.namespaceSelector, ref, `${field}.pods.namespaceSelector`);
      const selector = combineEntitySelector(pods, ns, undefined, false, undefined);
      const description = `pods ${describeK8sSelector(peer.pods.podSelector)} in namespaces ${describeK8sSelector(peer.pods.namespaceSelector)}`;
      return { match: { peer: compiler.peer(selector, undefined, undefined, undefined, undefined, description) } };
    }
    default: {
      // Calico: clusternetworkpolicy.go combinePortsWithCNPEgressPeers (cnet.ParseCIDR, ipNet.String(): host bits cleared)
      const nets = peer.networks;
      const description = `networks [${nets.map((n) => n.text).join(', ')}]`;
      const families = new Set(nets.map((n) => n.version));
      // Calico: felix/rules/policy.go FilterRuleToIPVersion (a rule whose nets are all of one family is rendered for that family only)
      return {
        match: { peer: compiler.peer(undefined, undefined, nets, undefined, undefined, description) },
        family: families.size === 1 ? nets[0].version : undefined,
      };
    }
  }
}

/** The destination ports of one converted rule, by protocol (`''`: no protocol, for named ports or no ports at all). */
interface ProtocolGroup {
  /** Go's `protocol.String()` (`TCP`, `UDP`, `SCTP`), or `''`. */
  readonly key: string;
  readonly protocol?: number;
  /** `undefined`: every port. */
  readonly ports?: PortMatch[];
}

/**
 * The rule's `protocols` grouped as Calico groups them into rules: one group per protocol with
 * all its ports, named ports in a group without protocol; no protocols, or an entry without port
 * (an empty `destinationNamedPort`), is one group matching everything. Sorted by protocol name.
 * A string when Calico cannot convert the entries (the reason).
 */
// Calico: clusternetworkpolicy.go unpackCNPProtocols, k8sCNPPortToCalicoFields, k8sCNPPortToCalico
function protocolGroups(rule: ClusterNetworkPolicyRuleFacts): ProtocolGroup[] | string {
  const groups = new Map<string, { protocol?: number; ports?: PortMatch[] }>();
  const entries = rule.protocols ?? [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    let protocol: number | undefined;
    let port: PortMatch | undefined;
    if (entry.kind === 'port') {
      protocol = entry.protocol;
      port = entry.port;
    } else if (entry.name !== '') {
      if (!CALICO_PORT_NAME.test(entry.name)) {
        return `protocols[${i}].destinationNamedPort ${JSON.stringify(entry.name)} is not a port name Calico accepts (1-128 letters, digits, '_', '.' or '-')`;
      }
      port = { kind: 'name', name: entry.name, text: entry.name };
    }
    if (protocol === undefined && port === undefined) {
      // An empty destinationNamedPort: no protocol and no port, which Calico reads as "everything".
      groups.clear();
      groups.set('', {});
      break;
    }
    const key = protocol === undefined ? '' : protocolName(protocol);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { protocol, ports: [port!] });
    } else if (group.ports !== undefined) {
      group.ports.push(port!);
    }
  }
  if (entries.length === 0) {
    groups.set('', {});
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, g]) => ({ key, protocol: g.protocol, ports: g.ports }));
}

function describeGroup(group: ProtocolGroup): string | undefined {
  if (group.key !== '') {
    return group.key;
  }
  return group.ports === undefined ? undefined : 'named ports';
}

/**
 * One rule, converted as Calico converts it. The Calico rules it becomes (one per protocol group
 * and peer, all with the rule's action) are the variants of one compiled rule. `kept` is false
 * when Calico drops the rule (an Accept rule it cannot convert); the compiled rule then matches
 * nothing and says why.
 */
// Calico: clusternetworkpolicy.go k8sClusterNetPolIngressRuleToCalico / k8sClusterNetPolEgressRuleToCalico,
// k8sClusterNetPolHandleFailedRules (fail closed), k8sClusterNetworkPolicyToCalicoMetadata (the rule name)
function convertRule(
  rule: ClusterNetworkPolicyRuleFacts,
  index: number,
  direction: Direction,
  ref: ObjectRef,
  compiler: RuleCompiler,
): { rule: CompiledRule; kept: boolean } {
  const field = `spec.${direction}[${index}]`;
  const action = CLUSTER_NETWORK_POLICY_ACTIONS[rule.action];
  // Calico: clusternetworkpolicy.go k8sClusterNetworkPolicyToCalicoMetadata (an empty name is no name)
  const name = rule.name === '' ? undefined : rule.name;
  const peerKey = direction === 'ingress' ? 'from' : 'to';
  const groups = protocolGroups(rule);
  if (typeof groups === 'string') {
    if (action === 'Allow') {
      const description = `the rule, which Calico drops: it cannot convert this Accept rule (${groups})`;
      const never = compiler.peer(notNode(allNode()), undefined, undefined, undefined, undefined, description);
      const side: EntityMatch = { peer: never };
      const variant: RuleVariant = direction === 'ingress'
        ? { source: side, destination: {}, label: 'dropped by Calico' }
        : { source: {}, destination: side, label: 'dropped by Calico' };
      return { rule: { index, name, action, http: false, variants: [variant] }, kept: false };
    }
    const label = `fail-closed: Calico cannot convert this ${rule.action} rule (${groups}) and replaces it by "deny all"`;
    return { rule: { index, name, action: 'Deny', http: false, variants: [{ source: {}, destination: {}, label }] }, kept: true };
  }
  const peers = rule.peers.map((p, j) => ({ ...peerMatch(p, ref, `${field}.${peerKey}[${j}]`, compiler), label: `${peerKey}[${j}]` }));
  const variants: RuleVariant[] = [];
  for (const group of groups) {
    const portSide: EntityMatch = group.ports === undefined ? {} : { ports: group.ports };
    const groupText = describeGroup(group);
    for (const peer of peers) {
      variants.push({
        protocol: group.protocol,
        ipVersion: peer.family,
        source: direction === 'ingress' ? peer.match : {},
        destination: direction === 'ingress' ? portSide : { ...peer.match, ...portSide },
        label: groupText === undefined ? peer.label : `${peer.label} ${groupText}`,
      });
    }
  }
  return { rule: { index, name, action, http: false, variants }, kept: true };
}
