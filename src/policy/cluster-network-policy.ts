import { ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkMetadata, dropChartNamespace, generatedChildName, rejectNamespace } from './metadata';
import { kubernetesLabelSelectorJson, kubernetesLabelSelectorOf } from './peer-selectors';
import { Port } from './port';
import { ITier, Tier } from './tier';
import { checkCidr, checkDnsLabel, checkDnsSubdomain, describeChild } from './validation';
import { LABEL_K8S_NAMESPACE_NAME } from '../core/calico';
import {
  CLUSTER_NETWORK_POLICY_MAX_RULES,
  clusterNetworkPolicyPriorityProblem,
  readClusterNetworkPolicyRule,
  readClusterNetworkPolicySpec,
} from '../core/cluster-network-policy';
import { describeValue, fail, joinField } from '../core/errors';
import { SCTP, TCP, UDP } from '../core/protocol';
import * as networkPolicyApi from '../imports/network-policy-api';
import { Selector } from '../selector';
import { TypedApiObject } from './typed-api-object';

/**
 * The tier of a ClusterNetworkPolicy: `Admin` policies are evaluated before Kubernetes and Calico
 * namespaced policies, `Baseline` policies after them.
 */
export enum ClusterNetworkPolicyTier {
  /**
   * Before every NetworkPolicy: Calico's `kube-admin` tier (order 1,000). Accept and Deny are
   * final; Pass, or no matching rule, goes on to the next tier.
   */
  ADMIN = 'Admin',
  /**
   * After the NetworkPolicies (only for traffic they did not decide): Calico's `kube-baseline`
   * tier (order 10,000,000). Pass, or no matching rule, allows.
   */
  BASELINE = 'Baseline',
}

/** What a ClusterNetworkPolicy rule does with the traffic it matches. */
export enum ClusterNetworkPolicyAction {
  /** Allow the traffic; no further policy is evaluated (Calico `Allow`). */
  ACCEPT = 'Accept',
  /** Drop the traffic; no further policy is evaluated (Calico `Deny`). */
  DENY = 'Deny',
  /** Skip the rest of the tier and go on to the next tier (Calico `Pass`). */
  PASS = 'Pass',
}

/**
 * The pods a ClusterNetworkPolicy applies to: pods of selected namespaces, or selected pods of
 * selected namespaces. Made with the static factories; they check their input at once.
 *
 * @example
 * ClusterNetworkPolicySubject.namespaces('payments', 'orders');
 * ClusterNetworkPolicySubject.pods(Selector.label('app').eq('db'), Selector.label('tier').eq('data'));
 */
export class ClusterNetworkPolicySubject {
  /** Every pod in every namespace. */
  public static allNamespaces(): ClusterNetworkPolicySubject {
    return new ClusterNetworkPolicySubject('pods in all namespaces', { namespaces: {} });
  }

  /**
   * Every pod in the namespaces of these names (by the `kubernetes.io/metadata.name` label,
   * which Kubernetes sets on every namespace).
   *
   * @param names namespace names
   */
  public static namespaces(...names: string[]): ClusterNetworkPolicySubject {
    const owner = 'ClusterNetworkPolicySubject.namespaces()';
    return new ClusterNetworkPolicySubject(`pods in namespaces ${names.join(', ')}`, { namespaces: namespaceNamesSelector(owner, names) });
  }

  /**
   * Every pod in the namespaces whose labels match `selector` (a Kubernetes label selector: `&&`
   * of `==`, `!=`, `in`, `not in`, `has()` and `!has()`).
   *
   * @param selector the namespaces' labels
   */
  public static namespaceSelector(selector: Selector): ClusterNetworkPolicySubject {
    const owner = 'ClusterNetworkPolicySubject.namespaceSelector()';
    const namespaces = labelSelector(owner, 'selector', selector);
    return new ClusterNetworkPolicySubject(`pods in namespaces ${describeSelector(selector)}`, { namespaces });
  }

  /**
   * The pods matching `podSelector` in the namespaces matching `namespaceSelector`.
   *
   * @param podSelector the pods' labels (a Kubernetes label selector)
   * @param namespaceSelector the namespaces' labels (a Kubernetes label selector); every
   * namespace when not given
   */
  public static pods(podSelector: Selector, namespaceSelector?: Selector): ClusterNetworkPolicySubject {
    const owner = 'ClusterNetworkPolicySubject.pods()';
    const pods = podsSelection(owner, podSelector, namespaceSelector);
    return new ClusterNetworkPolicySubject(describePods(podSelector, namespaceSelector), { pods });
  }

  /**
   * The pods matching `podSelector` in the namespaces of these names.
   *
   * @param podSelector the pods' labels (a Kubernetes label selector)
   * @param names namespace names
   */
  public static podsInNamespaces(podSelector: Selector, ...names: string[]): ClusterNetworkPolicySubject {
    const owner = 'ClusterNetworkPolicySubject.podsInNamespaces()';
    return new ClusterNetworkPolicySubject(`pods ${describeSelector(podSelector)} in namespaces ${names.join(', ')}`, {
      pods: { podSelector: labelSelector(owner, 'podSelector', podSelector), namespaceSelector: namespaceNamesSelector(owner, names) },
    });
  }

  /** What the subject selects, e.g. `pods in namespaces payments`. */
  public readonly description: string;

  private readonly rendered: any;

  private constructor(description: string, rendered: any) {
    this.description = description;
    this.rendered = rendered;
  }

  /**
   * The subject as the CRD writes it (`{ namespaces: … }` or `{ pods: … }`).
   *
   * @internal
   */
  public _render(): any {
    return this.rendered;
  }

  /** The description. */
  public toString(): string {
    return this.description;
  }
}

/**
 * The other end of a ClusterNetworkPolicy rule: who sends the traffic (`from` of an ingress
 * rule) or where it goes (`to` of an egress rule). Made with the static factories; they check
 * their input at once.
 *
 * @example
 * ClusterNetworkPolicyPeer.namespaces('monitoring');
 * ClusterNetworkPolicyPeer.networks('0.0.0.0/0', '::/0');
 */
export class ClusterNetworkPolicyPeer {
  /** Every pod in every namespace. */
  public static allNamespaces(): ClusterNetworkPolicyPeer {
    return new ClusterNetworkPolicyPeer('pods in all namespaces', { namespaces: {} });
  }

  /**
   * Every pod in the namespaces of these names (by the `kubernetes.io/metadata.name` label).
   *
   * @param names namespace names
   */
  public static namespaces(...names: string[]): ClusterNetworkPolicyPeer {
    const owner = 'ClusterNetworkPolicyPeer.namespaces()';
    return new ClusterNetworkPolicyPeer(`pods in namespaces ${names.join(', ')}`, { namespaces: namespaceNamesSelector(owner, names) });
  }

  /**
   * Every pod in the namespaces whose labels match `selector` (a Kubernetes label selector).
   *
   * @param selector the namespaces' labels
   */
  public static namespaceSelector(selector: Selector): ClusterNetworkPolicyPeer {
    const owner = 'ClusterNetworkPolicyPeer.namespaceSelector()';
    const namespaces = labelSelector(owner, 'selector', selector);
    return new ClusterNetworkPolicyPeer(`pods in namespaces ${describeSelector(selector)}`, { namespaces });
  }

  /**
   * The pods matching `podSelector` in the namespaces matching `namespaceSelector`.
   *
   * @param podSelector the pods' labels (a Kubernetes label selector)
   * @param namespaceSelector the namespaces' labels (a Kubernetes label selector); every
   * namespace when not given
   */
  public static pods(podSelector: Selector, namespaceSelector?: Selector): ClusterNetworkPolicyPeer {
    const owner = 'ClusterNetworkPolicyPeer.pods()';
    const pods = podsSelection(owner, podSelector, namespaceSelector);
    return new ClusterNetworkPolicyPeer(describePods(podSelector, namespaceSelector), { pods });
  }

  /**
   * The pods matching `podSelector` in the namespaces of these names.
   *
   * @param podSelector the pods' labels (a Kubernetes label selector)
   * @param names namespace names
   */
  public static podsInNamespaces(podSelector: Selector, ...names: string[]): ClusterNetworkPolicyPeer {
    const owner = 'ClusterNetworkPolicyPeer.podsInNamespaces()';
    return new ClusterNetworkPolicyPeer(`pods ${describeSelector(podSelector)} in namespaces ${names.join(', ')}`, {
      pods: { podSelector: labelSelector(owner, 'podSelector', podSelector), namespaceSelector: namespaceNamesSelector(owner, names) },
    });
  }

  /**
   * Addresses in these networks (egress rules only), e.g. `'203.0.113.0/24'`; IPv4 and IPv6 may
   * be mixed. Cluster-internal traffic is matched too: `'0.0.0.0/0'` includes every pod.
   *
   * @param cidrs 1 to 25 networks in CIDR notation, correctly masked
   */
  public static networks(...cidrs: string[]): ClusterNetworkPolicyPeer {
    const owner = 'ClusterNetworkPolicyPeer.networks()';
    if (cidrs.length === 0) {
      fail(owner, 'cidrs', 'give at least one network, e.g. "203.0.113.0/24"');
    }
    // Stricter than the CRD (which Calico masks): a network with host bits set is likely a typo.
    cidrs.forEach((cidr, i) => checkCidr(owner, `cidrs[${i}]`, cidr, true));
    return new ClusterNetworkPolicyPeer(`networks ${cidrs.join(', ')}`, { networks: [...cidrs] });
  }

  /** What the peer selects, e.g. `pods in namespaces monitoring`. */
  public readonly description: string;

  private readonly rendered: any;

  private constructor(description: string, rendered: any) {
    this.description = description;
    this.rendered = rendered;
  }

  /**
   * The peer as the CRD writes it (`{ namespaces: … }`, `{ pods: … }` or `{ networks: … }`).
   *
   * @internal
   */
  public _render(): any {
    return this.rendered;
  }

  /** The description. */
  public toString(): string {
    return this.description;
  }
}

/** An ingress rule of a ClusterNetworkPolicy: traffic from `from` to the subject's pods. */
export interface ClusterNetworkPolicyIngressRule {
  /** What to do with matching traffic. */
  readonly action: ClusterNetworkPolicyAction;

  /** Who sends the traffic: 1 to 25 peers (namespaces or pods); the rule matches any of them. */
  readonly from: ClusterNetworkPolicyPeer[];

  /**
   * The destination ports on the subject's pods: `Port.tcp(443)`, `Port.udpRange(…)`,
   * `Port.named('http')` (a container port name, of any protocol). At most 25.
   *
   * @default - every protocol and port
   */
  readonly ports?: Port[];

  /**
   * A name for the rule (at most 100 characters), shown by Calico and by the network model's
   * explanations.
   *
   * @default - no name
   */
  readonly name?: string;
}

/** An egress rule of a ClusterNetworkPolicy: traffic from the subject's pods to `to`. */
export interface ClusterNetworkPolicyEgressRule {
  /** What to do with matching traffic. */
  readonly action: ClusterNetworkPolicyAction;

  /** Where the traffic goes: 1 to 25 peers (namespaces, pods or networks); the rule matches any of them. */
  readonly to: ClusterNetworkPolicyPeer[];

  /**
   * The destination ports: `Port.tcp(443)`, `Port.udpRange(…)`, `Port.named('http')` (a
   * container port name of the destination pod; not with `networks` peers). At most 25.
   *
   * @default - every protocol and port
   */
  readonly ports?: Port[];

  /**
   * A name for the rule (at most 100 characters).
   *
   * @default - no name
   */
  readonly name?: string;
}

/** Properties of a `ClusterNetworkPolicy`. */
export interface ClusterNetworkPolicyProps {
  /**
   * Metadata of the object (`name`, labels, annotations). The policy is cluster-scoped: no
   * namespace.
   *
   * @default - a name generated from the construct path
   */
  readonly metadata?: ApiObjectMetadata;

  /** `ADMIN` (before NetworkPolicies) or `BASELINE` (after them). */
  readonly tier: ClusterNetworkPolicyTier;

  /**
   * The priority within the tier, a whole number from 0 to 1000: lower priorities are evaluated
   * first (Calico uses it as the policy's order). Policies of equal priority are ordered by name.
   */
  readonly priority: number;

  /** The pods the policy applies to. */
  readonly subject: ClusterNetworkPolicySubject;

  /**
   * Ingress rules, evaluated in order (at most 25). More can be added with `addIngressRule()`.
   *
   * @default - none: the policy does not affect incoming traffic
   */
  readonly ingress?: ClusterNetworkPolicyIngressRule[];

  /**
   * Egress rules, evaluated in order (at most 25). More can be added with `addEgressRule()`.
   *
   * @default - none: the policy does not affect outgoing traffic
   */
  readonly egress?: ClusterNetworkPolicyEgressRule[];
}

/**
 * A Kubernetes `ClusterNetworkPolicy` (`policy.networking.k8s.io/v1alpha2`, network-policy-api
 * v0.2.0), which Calico 3.32 enforces: an `ADMIN` policy is evaluated in Calico's `kube-admin`
 * tier (before every NetworkPolicy), a `BASELINE` policy in `kube-baseline` (after them), in
 * order of `priority` within the tier. A rule's `ACCEPT` and `DENY` are final; `PASS` goes on to
 * the next tier.
 *
 * The spec is checked as the CRD and the API require (ranges, list sizes, one field per peer,
 * ports, networks, label selectors); errors name the construct and the field. Rules are checked
 * when they are added and rendered when the app is synthesized.
 *
 * @example
 * const cnp = new ClusterNetworkPolicy(chart, 'deny-metadata', {
 *   tier: ClusterNetworkPolicyTier.ADMIN,
 *   priority: 10,
 *   subject: ClusterNetworkPolicySubject.allNamespaces(),
 * });
 * cnp.addEgressRule({ action: ClusterNetworkPolicyAction.DENY, to: [ClusterNetworkPolicyPeer.networks('169.254.169.254/32')] });
 */
export class ClusterNetworkPolicy extends TypedApiObject {
  /** The tier of the policy. */
  public readonly tier: ClusterNetworkPolicyTier;

  /** The Calico tier it is evaluated in: `Tier.KUBE_ADMIN` or `Tier.KUBE_BASELINE`. */
  public readonly calicoTier: ITier;

  /** The priority within the tier (0-1000; lower first). */
  public readonly priority: number;

  /** The pods the policy applies to. */
  public readonly subject: ClusterNetworkPolicySubject;

  private readonly owner: string;
  private readonly ingressRules: any[];
  private readonly egressRules: any[];

  constructor(scope: Construct, id: string, props: ClusterNetworkPolicyProps) {
    const owner = describeChild('ClusterNetworkPolicy', scope, id);
    if (props === undefined || props === null || typeof props !== 'object') {
      fail(owner, 'props', 'give tier, priority and subject');
    }
    rejectNamespace(owner, 'ClusterNetworkPolicy', props.metadata);
    const name = props.metadata?.name ?? generatedChildName(scope, id);
    checkDnsSubdomain(owner, 'metadata.name', name, 'object name');
    checkMetadata(owner, props.metadata);
    const tier = checkTier(owner, props.tier);
    const priorityProblem = clusterNetworkPolicyPriorityProblem(props.priority);
    if (priorityProblem !== undefined) {
      fail(owner, 'priority', priorityProblem);
    }
    if (!(props.subject instanceof ClusterNetworkPolicySubject)) {
      fail(owner, 'subject', `${describeValue(props.subject)} is not a ClusterNetworkPolicySubject; use e.g. ClusterNetworkPolicySubject.namespaces('payments')`);
    }
    // The subject as the API server reads it (label selector keys and values).
    const head = readClusterNetworkPolicySpec({ tier, priority: props.priority, subject: props.subject._render() });
    if ('problem' in head) {
      fail(owner, `spec.${head.problem.field}`, head.problem.problem);
    }

    // The spec is rendered when the app is synthesized, from the rules added by then.
    const spec: { render?: () => any } = {};
    super(scope, id, {
      ...networkPolicyApi.ClusterNetworkPolicy.GVK,
      metadata: { ...props.metadata, name },
      spec: Lazy.any({ produce: () => spec.render!() }),
    });
    spec.render = () => this.renderSpec();
    this.owner = owner;
    this.tier = tier;
    this.calicoTier = this.tier === ClusterNetworkPolicyTier.ADMIN ? Tier.KUBE_ADMIN : Tier.KUBE_BASELINE;
    this.priority = props.priority;
    this.subject = props.subject;
    this.ingressRules = [];
    this.egressRules = [];
    dropChartNamespace(this);
    for (const rule of props.ingress ?? []) {
      this.addIngressRule(rule);
    }
    for (const rule of props.egress ?? []) {
      this.addEgressRule(rule);
    }
  }


  /**
   * Adds an ingress rule after the existing ones. It is checked now; errors name the policy and
   * the field (e.g. `spec.ingress[1].from[0]`).
   *
   * @param rule the rule
   */
  public addIngressRule(rule: ClusterNetworkPolicyIngressRule): void {
    this.ingressRules.push(this.renderRule(rule, 'ingress', this.ingressRules.length));
  }

  /**
   * Adds an egress rule after the existing ones. It is checked now.
   *
   * @param rule the rule
   */
  public addEgressRule(rule: ClusterNetworkPolicyEgressRule): void {
    this.egressRules.push(this.renderRule(rule, 'egress', this.egressRules.length));
  }

  private renderSpec(): any {
    return {
      tier: this.tier,
      priority: this.priority,
      subject: this.subject._render(),
      ingress: this.ingressRules.length > 0 ? [...this.ingressRules] : undefined,
      egress: this.egressRules.length > 0 ? [...this.egressRules] : undefined,
    };
  }

  private renderRule(rule: ClusterNetworkPolicyIngressRule | ClusterNetworkPolicyEgressRule, direction: 'ingress' | 'egress', index: number): any {
    const field = `spec.${direction}[${index}]`;
    if (index >= CLUSTER_NETWORK_POLICY_MAX_RULES) {
      fail(this.owner, field, `a ClusterNetworkPolicy has at most ${CLUSTER_NETWORK_POLICY_MAX_RULES} ${direction} rules; split the rules over several policies`);
    }
    if (rule === undefined || rule === null || typeof rule !== 'object') {
      fail(this.owner, field, `expected a rule with action and ${direction === 'ingress' ? 'from' : 'to'}, got ${describeValue(rule)}`);
    }
    const peerKey = direction === 'ingress' ? 'from' : 'to';
    const peers: ClusterNetworkPolicyPeer[] | undefined = (rule as any)[peerKey];
    if (!Array.isArray(peers) || peers.length === 0) {
      fail(this.owner, joinField(field, peerKey), "list at least one peer, e.g. ClusterNetworkPolicyPeer.namespaces('monitoring')");
    }
    peers.forEach((peer, i) => {
      if (!(peer instanceof ClusterNetworkPolicyPeer)) {
        fail(this.owner, `${joinField(field, peerKey)}[${i}]`, `${describeValue(peer)} is not a ClusterNetworkPolicyPeer; use its static factories`);
      }
    });
    const renderedPeers = peers.map((p) => p._render());
    const ports = rule.ports === undefined || rule.ports === null ? undefined : rule.ports;
    if (ports !== undefined && !Array.isArray(ports)) {
      fail(this.owner, joinField(field, 'ports'), `expected a list of Port, got ${describeValue(ports)}`);
    }
    const protocols = ports?.map((port, i) => renderPort(this.owner, `${joinField(field, 'ports')}[${i}]`, port));
    // network-policy-api: a named port cannot be used towards resources without named ports (networks).
    if (protocols?.some((p) => p.destinationNamedPort !== undefined) && renderedPeers.some((p) => p.networks !== undefined)) {
      fail(this.owner, joinField(field, 'ports'), 'a named port only matches pods, and a networks peer has no named ports: put the networks peer in a rule with numeric ports');
    }
    const rendered = {
      name: rule.name,
      action: rule.action,
      [peerKey]: renderedPeers,
      protocols: protocols === undefined || protocols.length === 0 ? undefined : protocols,
    };
    const read = readClusterNetworkPolicyRule(rendered, direction);
    if ('problem' in read) {
      fail(this.owner, joinField(field, read.problem.field.replace(/^protocols/, 'ports')), read.problem.problem);
    }
    return rendered;
  }
}

function checkTier(owner: string, tier: any): ClusterNetworkPolicyTier {
  if (tier !== ClusterNetworkPolicyTier.ADMIN && tier !== ClusterNetworkPolicyTier.BASELINE) {
    fail(owner, 'tier', `${describeValue(tier)} is not a tier; use ClusterNetworkPolicyTier.ADMIN or ClusterNetworkPolicyTier.BASELINE`);
  }
  return tier;
}

const PROTOCOL_KEYS: { readonly [protocolNumber: number]: string } = { [TCP]: 'tcp', [UDP]: 'udp', [SCTP]: 'sctp' };

/** A `Port` as a `protocols` entry: `{ tcp: { destinationPort: … } }` or `{ destinationNamedPort: … }`. */
function renderPort(owner: string, field: string, port: Port): any {
  if (!(port instanceof Port)) {
    fail(owner, field, `${describeValue(port)} is not a Port; use e.g. Port.tcp(443), Port.udpRange(30000, 32767) or Port.named('http')`);
  }
  if (port.portName !== undefined) {
    if (port.protocol !== undefined) {
      fail(owner, field, `a ClusterNetworkPolicy named port has no protocol (it matches the container port of that name, whatever its protocol): use Port.named('${port.portName}')`);
    }
    return { destinationNamedPort: port.portName };
  }
  const key = port.protocol === undefined ? undefined : PROTOCOL_KEYS[port.protocol.protocolNumber];
  if (key === undefined) {
    fail(owner, field, `port ${port} has no protocol; a ClusterNetworkPolicy port is TCP, UDP or SCTP: use e.g. Port.tcp(${port.minPort}) or Port.tcpRange()`);
  }
  const destinationPort = port.minPort === port.maxPort ? { number: port.minPort } : { range: { start: port.minPort, end: port.maxPort } };
  return { [key]: { destinationPort } };
}

/** A Selector in the Kubernetes label selector form of the CRD. */
function labelSelector(owner: string, field: string, selector: Selector): any {
  if (!(selector instanceof Selector)) {
    fail(owner, field, `${describeValue(selector)} is not a Selector; build one with e.g. Selector.label('app').eq('web'), or Selector.all()`);
  }
  const k8s = kubernetesLabelSelectorOf(selector);
  if (typeof k8s === 'string') {
    fail(owner, field, k8s.replace(/; simplify it, or use Calico policies.*$/, '; simplify it, or use a Calico GlobalNetworkPolicy'));
  }
  return kubernetesLabelSelectorJson(k8s);
}

/** `kubernetes.io/metadata.name In (names)`. */
function namespaceNamesSelector(owner: string, names: string[]): any {
  if (names.length === 0) {
    fail(owner, 'names', 'give at least one namespace name (or use allNamespaces())');
  }
  names.forEach((name, i) => checkDnsLabel(owner, `names[${i}]`, name, 'namespace name'));
  return { matchExpressions: [{ key: LABEL_K8S_NAMESPACE_NAME, operator: 'In', values: [...names] }] };
}

function podsSelection(owner: string, podSelector: Selector, namespaceSelector: Selector | undefined): any {
  return {
    podSelector: labelSelector(owner, 'podSelector', podSelector),
    namespaceSelector: namespaceSelector === undefined ? {} : labelSelector(owner, 'namespaceSelector', namespaceSelector),
  };
}

function describeSelector(selector: Selector): string {
  return selector instanceof Selector ? selector.toString() : describeValue(selector);
}

function describePods(podSelector: Selector, namespaceSelector: Selector | undefined): string {
  return `pods ${describeSelector(podSelector)} in ${namespaceSelector === undefined ? 'all namespaces' : `namespaces ${describeSelector(namespaceSelector)}`}`;
}
