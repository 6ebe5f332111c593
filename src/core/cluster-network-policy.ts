/**
 * Kubernetes `ClusterNetworkPolicy` (`policy.networking.k8s.io/v1alpha2`, network-policy-api
 * v0.2.0), the one home of its facts: the tiers, actions and order Calico gives it, the limits of
 * its CRD, and the reading of a spec as the API server validates it (the CRD's OpenAPI schema, its
 * CEL rules, and the documented rules of Kubernetes label selectors). The construct checks what it
 * renders with it and the network model reads every ClusterNetworkPolicy of a manifest with it,
 * so both refuse the same objects with the same reason.
 *
 * What Calico then does with a valid object (one Calico rule per protocol and peer, rules it
 * cannot convert) is the network model's (`analysis/network/kinds/cluster-network-policy.ts`).
 *
 * Internal module: not part of the jsii API.
 */
// network-policy-api v0.2.0: config/crd/standard/policy.networking.k8s.io_clusternetworkpolicies.yaml
// (pinned in imports/), apis/v1alpha2/clusternetworkpolicy_types.go
import { KUBE_ADMIN_TIER, KUBE_BASELINE_TIER } from './calico';
import { Cidr, parsePrefixedCidr } from './cidr';
import { describeValue, joinField } from './errors';
import { labelValueProblem, qualifiedNameProblem } from './names';
import { isPortNumber, MAX_PORT, MIN_PORT, PortMatch } from './ports';
import { SCTP, TCP, UDP } from './protocol';
import { POLICY_NETWORKING_GROUP } from './resource-catalogue';

/** The kind. */
export const CLUSTER_NETWORK_POLICY_KIND = 'ClusterNetworkPolicy';

/** The one version the CRD serves. */
export const CLUSTER_NETWORK_POLICY_VERSION = 'v1alpha2';

/** The apiVersion of a ClusterNetworkPolicy. */
export const CLUSTER_NETWORK_POLICY_API_VERSION = `${POLICY_NETWORKING_GROUP}/${CLUSTER_NETWORK_POLICY_VERSION}`;

/**
 * The kind of Felix's policy key for a ClusterNetworkPolicy: with the name and an empty
 * namespace, it orders CNPs among policies of equal order (`<name>//KubernetesClusterNetworkPolicy`).
 */
// Calico: libcalico-go/lib/backend/model/kubeclusternetworkpolicy.go KindKubernetesClusterNetworkPolicy;
// syncersv1/updateprocessors/globalnetworkpolicyprocessor.go gnpKeyConverter (Namespace "")
export const KIND_KUBERNETES_CLUSTER_NETWORK_POLICY = 'KubernetesClusterNetworkPolicy';

/** The tiers of the API, with the Calico tier each becomes. */
// Calico: libcalico-go/lib/backend/k8s/conversion/clusternetworkpolicy.go clusterNetworkPolicyTier
export const CLUSTER_NETWORK_POLICY_TIERS: { readonly [tier: string]: string } = {
  Admin: KUBE_ADMIN_TIER,
  Baseline: KUBE_BASELINE_TIER,
};

/** The rule actions of the API, with the Calico action each becomes. */
// Calico: libcalico-go/lib/backend/k8s/conversion/clusternetworkpolicy.go K8sClusterNetworkPolicyActionToCalico
export const CLUSTER_NETWORK_POLICY_ACTIONS: { readonly [action: string]: 'Allow' | 'Deny' | 'Pass' } = {
  Accept: 'Allow',
  Deny: 'Deny',
  Pass: 'Pass',
};

/**
 * The key of the annotation that carries a rule's `name` on the Calico rules converted from it
 * (`metadata.annotations`).
 */
// Calico: libcalico-go/lib/backend/k8s/conversion/constants.go K8sCNPRuleNameLabel
export const CLUSTER_NETWORK_POLICY_RULE_NAME_ANNOTATION = 'name';

/** The lowest priority (evaluated first within the tier). */
export const CLUSTER_NETWORK_POLICY_MIN_PRIORITY = 0;
/** The highest priority. */
export const CLUSTER_NETWORK_POLICY_MAX_PRIORITY = 1000;
/** Most rules in `ingress`, and in `egress`. */
export const CLUSTER_NETWORK_POLICY_MAX_RULES = 25;
/** Most peers in a rule's `from` / `to`. */
export const CLUSTER_NETWORK_POLICY_MAX_PEERS = 25;
/** Most entries in a rule's `protocols`. */
export const CLUSTER_NETWORK_POLICY_MAX_PROTOCOLS = 25;
/** Most CIDRs in a `networks` peer. */
export const CLUSTER_NETWORK_POLICY_MAX_NETWORKS = 25;
/** Longest rule name. */
export const CLUSTER_NETWORK_POLICY_MAX_RULE_NAME_LENGTH = 100;
/** Longest CIDR text in `networks`. */
export const CLUSTER_NETWORK_POLICY_MAX_CIDR_LENGTH = 43;

/**
 * The egress peers of the API's experimental channel, which the standard-channel CRD (the one
 * Calico v3.32.1 ships) does not have and Calico v3.32.1 does not convert.
 */
export const CLUSTER_NETWORK_POLICY_EXPERIMENTAL_PEERS: readonly string[] = ['nodes', 'domainNames'];

/** A Kubernetes label selector as written (validated). An empty one selects everything. */
export interface LabelSelectorFacts {
  /** `matchLabels`. */
  readonly matchLabels: { readonly [key: string]: string };
  /** `matchExpressions`. */
  readonly matchExpressions: readonly LabelSelectorRequirement[];
}

/** One of a label selector's `matchExpressions`. */
export interface LabelSelectorRequirement {
  /** The label key. */
  readonly key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`. */
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /** The values (none for `Exists` and `DoesNotExist`). */
  readonly values: readonly string[];
}

/** The pods a subject or peer selects: those matching `podSelector` in the namespaces matching `namespaceSelector`. */
export interface PodsFacts {
  /** An absent `namespaceSelector` is empty: every namespace. */
  readonly namespaceSelector: LabelSelectorFacts;
  /** The pods' labels. */
  readonly podSelector: LabelSelectorFacts;
}

/** A subject, or an ingress or egress peer: exactly one of its fields. */
export type ClusterNetworkPolicySelection =
  | { readonly kind: 'namespaces'; readonly namespaces: LabelSelectorFacts }
  | { readonly kind: 'pods'; readonly pods: PodsFacts }
  | { readonly kind: 'networks'; readonly networks: readonly Cidr[] };

/** One entry of a rule's `protocols`. */
export type ClusterNetworkPolicyProtocolFacts =
  /** `tcp`, `udp` or `sctp` with its `destinationPort` (a single port is a range with min = max). */
  | { readonly kind: 'port'; readonly protocol: number; readonly port: PortMatch }
  /** `destinationNamedPort`, as written (the CRD accepts any string, even an empty one). */
  | { readonly kind: 'namedPort'; readonly name: string };

/** A valid rule. */
export interface ClusterNetworkPolicyRuleFacts {
  /** `Accept`, `Deny` or `Pass`. */
  readonly action: 'Accept' | 'Deny' | 'Pass';
  /** The rule's name, if any. */
  readonly name?: string;
  /** `from` (ingress) or `to` (egress): at least one peer. */
  readonly peers: readonly ClusterNetworkPolicySelection[];
  /** `protocols`; absent: every protocol and port. */
  readonly protocols?: readonly ClusterNetworkPolicyProtocolFacts[];
}

/** A valid spec. */
export interface ClusterNetworkPolicySpecFacts {
  /** `Admin` or `Baseline`. */
  readonly tier: 'Admin' | 'Baseline';
  /** 0-1000; lower is evaluated first within the tier. */
  readonly priority: number;
  /** The pods the policy applies to (`namespaces` or `pods`). */
  readonly subject: ClusterNetworkPolicySelection;
  /** `ingress` (empty when absent). */
  readonly ingress: readonly ClusterNetworkPolicyRuleFacts[];
  /** `egress` (empty when absent). */
  readonly egress: readonly ClusterNetworkPolicyRuleFacts[];
}

/** A problem: the field (relative to the spec, or to the rule) and what was wrong. */
export interface ClusterNetworkPolicyProblem {
  /** The field, e.g. `ingress[0].from[1].pods.podSelector` (empty for the value itself). */
  readonly field: string;
  /** What was wrong and what would be right. */
  readonly problem: string;
}

/** The result of reading a spec: its facts, or the first problem. */
export type ClusterNetworkPolicySpecRead = { readonly spec: ClusterNetworkPolicySpecFacts } | { readonly problem: ClusterNetworkPolicyProblem };

/** The result of reading a rule: its facts, or the first problem. */
export type ClusterNetworkPolicyRuleRead = { readonly rule: ClusterNetworkPolicyRuleFacts } | { readonly problem: ClusterNetworkPolicyProblem };

/**
 * Reads a ClusterNetworkPolicy `spec` as the API server validates it: the CRD's schema (required
 * fields, enums, ranges, list sizes, "exactly one of"), its CEL rules (`start < end` of a port
 * range, `isCIDR` of networks), unique `networks` (a list of type set) and the documented rules
 * of label selectors (keys are qualified names, values label values, `In`/`NotIn` need values,
 * `Exists`/`DoesNotExist` take none). Unknown fields are ignored (the API server prunes them),
 * except the experimental-channel peers, which are refused with the reason.
 */
export function readClusterNetworkPolicySpec(raw: any): ClusterNetworkPolicySpecRead {
  try {
    return { spec: readSpec(raw) };
  } catch (e) {
    if (e instanceof Problem) {
      return { problem: { field: e.field, problem: e.problem } };
    }
    throw e;
  }
}

/**
 * Reads one rule (`spec.ingress[i]` or `spec.egress[i]`), as `readClusterNetworkPolicySpec` does;
 * fields of problems are relative to the rule.
 */
export function readClusterNetworkPolicyRule(raw: any, direction: 'ingress' | 'egress'): ClusterNetworkPolicyRuleRead {
  try {
    return { rule: readRule(raw, '', direction) };
  } catch (e) {
    if (e instanceof Problem) {
      return { problem: { field: e.field, problem: e.problem } };
    }
    throw e;
  }
}

/** Why `priority` is not a ClusterNetworkPolicy priority, or undefined. */
// CRD: spec.priority (integer, format int32, minimum 0, maximum 1000)
export function clusterNetworkPolicyPriorityProblem(priority: any): string | undefined {
  if (typeof priority === 'number' && Number.isInteger(priority)
    && priority >= CLUSTER_NETWORK_POLICY_MIN_PRIORITY && priority <= CLUSTER_NETWORK_POLICY_MAX_PRIORITY) {
    return undefined;
  }
  return `${describeValue(priority)} is not a valid priority; use a whole number from ${CLUSTER_NETWORK_POLICY_MIN_PRIORITY} ` +
    `to ${CLUSTER_NETWORK_POLICY_MAX_PRIORITY} (lower priorities are evaluated first within the tier)`;
}

class Problem {
  constructor(public readonly field: string, public readonly problem: string) {}
}

function problemAt(field: string, problem: string): never {
  throw new Problem(field, problem);
}

function isObject(value: any): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function present(value: any): boolean {
  return value !== undefined && value !== null;
}

function objectAt(value: any, field: string, what: string): any {
  if (!isObject(value)) {
    problemAt(field, `expected ${what}, got ${describeValue(value)}`);
  }
  return value;
}

function plural(what: string): string {
  return what.endsWith('y') ? `${what.slice(0, -1)}ies` : `${what}s`;
}

/** An optional list, with the CRD's size limits (an absent list is `undefined`). */
function listAt(value: any, field: string, min: number, max: number, what: string): any[] | undefined {
  if (!present(value)) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    problemAt(field, `expected a list of ${plural(what)}, got ${describeValue(value)}`);
  }
  if (value.length < min) {
    problemAt(field, `the list is empty; give at least ${min} ${min === 1 ? what : plural(what)}, or leave the field out`);
  }
  if (value.length > max) {
    problemAt(field, `${value.length} ${plural(what)}; the CRD allows at most ${max}`);
  }
  return value;
}

function readSpec(raw: any): ClusterNetworkPolicySpecFacts {
  const spec = objectAt(raw, '', 'the spec object (tier, priority, subject, ingress, egress)');
  if (!present(spec.tier)) {
    problemAt('tier', 'missing; set Admin (evaluated before NetworkPolicies) or Baseline (after them)');
  }
  if (spec.tier !== 'Admin' && spec.tier !== 'Baseline') {
    problemAt('tier', `${describeValue(spec.tier)} is not a tier; use Admin or Baseline (case-sensitive)`);
  }
  if (!present(spec.priority)) {
    problemAt('priority', `missing; set a whole number from ${CLUSTER_NETWORK_POLICY_MIN_PRIORITY} to ${CLUSTER_NETWORK_POLICY_MAX_PRIORITY}`);
  }
  const priorityProblem = clusterNetworkPolicyPriorityProblem(spec.priority);
  if (priorityProblem !== undefined) {
    problemAt('priority', priorityProblem);
  }
  if (!present(spec.subject)) {
    problemAt('subject', 'missing; select the pods the policy applies to with namespaces or pods');
  }
  const subject = readSelection(spec.subject, 'subject', 'subject');
  const ingress = (listAt(spec.ingress, 'ingress', 0, CLUSTER_NETWORK_POLICY_MAX_RULES, 'rule') ?? [])
    .map((r, i) => readRule(r, `ingress[${i}]`, 'ingress'));
  const egress = (listAt(spec.egress, 'egress', 0, CLUSTER_NETWORK_POLICY_MAX_RULES, 'rule') ?? [])
    .map((r, i) => readRule(r, `egress[${i}]`, 'egress'));
  return { tier: spec.tier, priority: spec.priority, subject, ingress, egress };
}

function readRule(raw: any, field: string, direction: 'ingress' | 'egress'): ClusterNetworkPolicyRuleFacts {
  const rule = objectAt(raw, field, 'a rule object (action, from/to, protocols, name)');
  if (!present(rule.action)) {
    problemAt(joinField(field, 'action'), 'missing; use Accept, Deny or Pass');
  }
  if (CLUSTER_NETWORK_POLICY_ACTIONS[rule.action] === undefined || typeof rule.action !== 'string') {
    problemAt(joinField(field, 'action'), `${describeValue(rule.action)} is not an action; use Accept, Deny or Pass (case-sensitive)`);
  }
  let name: string | undefined;
  if (present(rule.name)) {
    if (typeof rule.name !== 'string') {
      problemAt(joinField(field, 'name'), `expected a string, got ${describeValue(rule.name)}`);
    }
    if (rule.name.length > CLUSTER_NETWORK_POLICY_MAX_RULE_NAME_LENGTH) {
      problemAt(joinField(field, 'name'), `the name is ${rule.name.length} characters long; use at most ${CLUSTER_NETWORK_POLICY_MAX_RULE_NAME_LENGTH}`);
    }
    name = rule.name;
  }
  const peerKey = direction === 'ingress' ? 'from' : 'to';
  const peerField = joinField(field, peerKey);
  if (!present(rule[peerKey])) {
    problemAt(peerField, `missing; list at least one peer (${direction === 'ingress' ? 'namespaces or pods' : 'namespaces, pods or networks'})`);
  }
  const peers = listAt(rule[peerKey], peerField, 1, CLUSTER_NETWORK_POLICY_MAX_PEERS, 'peer')!
    .map((p, i) => readSelection(p, `${peerField}[${i}]`, direction));
  const protocolsField = joinField(field, 'protocols');
  const protocols = listAt(rule.protocols, protocolsField, 1, CLUSTER_NETWORK_POLICY_MAX_PROTOCOLS, 'protocol entry')
    ?.map((p, i) => readProtocol(p, `${protocolsField}[${i}]`));
  return { action: rule.action, name, peers, protocols };
}

const SELECTION_FIELDS: { readonly [where: string]: readonly string[] } = {
  subject: ['namespaces', 'pods'],
  ingress: ['namespaces', 'pods'],
  egress: ['namespaces', 'pods', 'networks'],
};

/** A subject or a peer: exactly one of its fields (CRD minProperties 1, maxProperties 1). */
function readSelection(raw: any, field: string, where: 'subject' | 'ingress' | 'egress'): ClusterNetworkPolicySelection {
  const allowed = SELECTION_FIELDS[where];
  const what = where === 'subject' ? 'a subject' : 'a peer';
  const value = objectAt(raw, field, `${what} object with one of ${allowed.join(', ')}`);
  if (where === 'egress') {
    for (const experimental of CLUSTER_NETWORK_POLICY_EXPERIMENTAL_PEERS) {
      if (present(value[experimental])) {
        problemAt(
          joinField(field, experimental),
          `${experimental} peers are in the experimental channel of network-policy-api only: the standard-channel CRD that ` +
            `Calico v3.32.1 ships does not have them, and Calico does not convert them; use ${allowed.join(', ')}`,
        );
      }
    }
  }
  if (where === 'ingress' && present(value.networks)) {
    problemAt(joinField(field, 'networks'), 'ingress peers have no networks in the API (only egress peers do); use namespaces or pods');
  }
  const given = allowed.filter((k) => present(value[k]));
  if (given.length !== 1) {
    problemAt(field, given.length === 0
      ? `${what} needs exactly one of ${allowed.join(', ')}; none is set`
      : `${what} needs exactly one of ${allowed.join(', ')}; ${given.join(' and ')} are set: split them into separate ${where === 'subject' ? 'policies' : 'peers'}`);
  }
  switch (given[0]) {
    case 'namespaces':
      return { kind: 'namespaces', namespaces: readLabelSelector(value.namespaces, joinField(field, 'namespaces')) };
    case 'pods':
      return { kind: 'pods', pods: readPods(value.pods, joinField(field, 'pods')) };
    default:
      return { kind: 'networks', networks: readNetworks(value.networks, joinField(field, 'networks')) };
  }
}

function readPods(raw: any, field: string): PodsFacts {
  const pods = objectAt(raw, field, 'an object with podSelector (and optionally namespaceSelector)');
  if (!present(pods.podSelector)) {
    problemAt(joinField(field, 'podSelector'), 'missing; give a label selector, {} for every pod');
  }
  return {
    podSelector: readLabelSelector(pods.podSelector, joinField(field, 'podSelector')),
    namespaceSelector: present(pods.namespaceSelector)
      ? readLabelSelector(pods.namespaceSelector, joinField(field, 'namespaceSelector'))
      : { matchLabels: {}, matchExpressions: [] },
  };
}

// Kubernetes: apimachinery pkg/apis/meta/v1/validation ValidateLabelSelector (the API's documented label selector rules)
function readLabelSelector(raw: any, field: string): LabelSelectorFacts {
  const selector = objectAt(raw, field, 'a label selector object with matchLabels and/or matchExpressions ({} selects all)');
  const matchLabels: { [key: string]: string } = {};
  if (present(selector.matchLabels)) {
    const labels = objectAt(selector.matchLabels, joinField(field, 'matchLabels'), 'a map of label keys to values');
    for (const [key, value] of Object.entries(labels)) {
      const keyProblem = qualifiedNameProblem(key);
      if (keyProblem !== undefined) {
        problemAt(joinField(field, 'matchLabels'), `${JSON.stringify(key)} is not a valid label key: ${keyProblem}`);
      }
      const valueProblem = labelValueProblem(value);
      if (valueProblem !== undefined) {
        problemAt(`${joinField(field, 'matchLabels')}["${key}"]`, valueProblem);
      }
      matchLabels[key] = value as string;
    }
  }
  const expressionsField = joinField(field, 'matchExpressions');
  const expressions = listAt(selector.matchExpressions, expressionsField, 0, Number.MAX_SAFE_INTEGER, 'expression') ?? [];
  const matchExpressions = expressions.map((e, i): LabelSelectorRequirement => {
    const f = `${expressionsField}[${i}]`;
    const expr = objectAt(e, f, 'an object with key, operator and values');
    const keyProblem = qualifiedNameProblem(expr.key);
    if (keyProblem !== undefined) {
      problemAt(joinField(f, 'key'), `${describeValue(expr.key)} is not a valid label key: ${keyProblem}`);
    }
    const operator = expr.operator;
    if (operator !== 'In' && operator !== 'NotIn' && operator !== 'Exists' && operator !== 'DoesNotExist') {
      problemAt(joinField(f, 'operator'), `${describeValue(operator)} is not a label selector operator; use In, NotIn, Exists or DoesNotExist`);
    }
    const values = listAt(expr.values, joinField(f, 'values'), 0, Number.MAX_SAFE_INTEGER, 'value') ?? [];
    values.forEach((v, j) => {
      const problem = labelValueProblem(v);
      if (problem !== undefined) {
        problemAt(`${joinField(f, 'values')}[${j}]`, problem);
      }
    });
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
      problemAt(joinField(f, 'values'), `operator ${operator} needs at least one value`);
    }
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
      problemAt(joinField(f, 'values'), `operator ${operator} takes no values; remove them`);
    }
    return { key: expr.key, operator, values: [...values] };
  });
  return { matchLabels, matchExpressions };
}

// CRD: networks (1-25 items, maxLength 43, x-kubernetes-validations isCIDR(self), x-kubernetes-list-type set)
function readNetworks(raw: any, field: string): Cidr[] {
  const list = listAt(raw, field, 1, CLUSTER_NETWORK_POLICY_MAX_NETWORKS, 'CIDR')!;
  const seen = new Map<string, number>();
  return list.map((text, i) => {
    const f = `${field}[${i}]`;
    if (typeof text !== 'string') {
      problemAt(f, `expected a CIDR string such as "10.0.0.0/8", got ${describeValue(text)}`);
    }
    if (text.length > CLUSTER_NETWORK_POLICY_MAX_CIDR_LENGTH) {
      problemAt(f, `the CIDR is ${text.length} characters long; the CRD allows at most ${CLUSTER_NETWORK_POLICY_MAX_CIDR_LENGTH}`);
    }
    const cidr = parsePrefixedCidr(text);
    if (typeof cidr === 'string') {
      problemAt(f, cidr);
    }
    const earlier = seen.get(text);
    if (earlier !== undefined) {
      problemAt(f, `"${text}" is listed twice (also at [${earlier}]); networks is a set: list each CIDR once`);
    }
    seen.set(text, i);
    return cidr;
  });
}

const PORT_PROTOCOL_KEYS: { readonly [key: string]: number } = { tcp: TCP, udp: UDP, sctp: SCTP };
const PROTOCOL_FIELDS = ['tcp', 'udp', 'sctp', 'destinationNamedPort'];

// CRD: protocols[] (minProperties 1, maxProperties 1); tcp/udp/sctp (minProperties 1: destinationPort);
// destinationPort (exactly one of number, range); range (start < end, CEL)
function readProtocol(raw: any, field: string): ClusterNetworkPolicyProtocolFacts {
  const entry = objectAt(raw, field, 'a protocol entry with one of tcp, udp, sctp or destinationNamedPort');
  const given = PROTOCOL_FIELDS.filter((k) => present(entry[k]));
  if (given.length !== 1) {
    problemAt(field, given.length === 0
      ? 'a protocol entry needs exactly one of tcp, udp, sctp or destinationNamedPort; none is set'
      : `a protocol entry needs exactly one of tcp, udp, sctp or destinationNamedPort; ${given.join(' and ')} are set: use one entry each`);
  }
  const key = given[0];
  if (key === 'destinationNamedPort') {
    if (typeof entry.destinationNamedPort !== 'string') {
      problemAt(joinField(field, key), `expected a container port name, got ${describeValue(entry.destinationNamedPort)}`);
    }
    return { kind: 'namedPort', name: entry.destinationNamedPort };
  }
  const protocolField = joinField(field, key);
  const protocol = objectAt(entry[key], protocolField, 'an object with destinationPort');
  const portField = joinField(protocolField, 'destinationPort');
  if (!present(protocol.destinationPort)) {
    problemAt(portField, `missing; give { number: 443 } or { range: { start: 8000, end: 8080 } } (for every ${key.toUpperCase()} port: a range from ${MIN_PORT} to ${MAX_PORT})`);
  }
  const port = objectAt(protocol.destinationPort, portField, 'an object with number or range');
  const portGiven = ['number', 'range'].filter((k) => present(port[k]));
  if (portGiven.length !== 1) {
    problemAt(portField, portGiven.length === 0 ? 'needs number or range; none is set' : 'needs number or range, not both');
  }
  if (portGiven[0] === 'number') {
    if (!isPortNumber(port.number)) {
      problemAt(joinField(portField, 'number'), `${describeValue(port.number)} is not a port number; use a whole number from ${MIN_PORT} to ${MAX_PORT}`);
    }
    return { kind: 'port', protocol: PORT_PROTOCOL_KEYS[key], port: { kind: 'range', min: port.number, max: port.number, text: String(port.number) } };
  }
  const rangeField = joinField(portField, 'range');
  const range = objectAt(port.range, rangeField, 'an object with start and end');
  for (const end of ['start', 'end']) {
    if (!present(range[end])) {
      problemAt(joinField(rangeField, end), `missing; use a whole number from ${MIN_PORT} to ${MAX_PORT}`);
    }
    if (!isPortNumber(range[end])) {
      problemAt(joinField(rangeField, end), `${describeValue(range[end])} is not a port number; use a whole number from ${MIN_PORT} to ${MAX_PORT}`);
    }
  }
  if (range.start >= range.end) {
    problemAt(rangeField, range.start === range.end
      ? `start and end are both ${range.start}; the start port must be less than the end port: use { number: ${range.start} } for one port`
      : `start (${range.start}) is greater than end (${range.end}); the start port must be less than the end port`);
  }
  return { kind: 'port', protocol: PORT_PROTOCOL_KEYS[key], port: { kind: 'range', min: range.start, max: range.end, text: `${range.start}:${range.end}` } };
}
