import * as kplus from 'cdk8s-plus-27';
import { GlobalNetworkSet, NetworkSet, NetworkSetBase } from './network-set';
import { KubernetesLabelSelector, kubernetesLabelSelectorJson, kubernetesLabelSelectorOf, namespaceNameSelector } from './peer-selectors';
import { EntityRule } from './rule';
import { checkCidr, checkDnsLabel, checkDnsSubdomain, checkLabels } from './validation';
import { LABEL_K8S_NAMESPACE_NAME, LABEL_ORCHESTRATOR } from '../core/calico';
import { describeValue, fail } from '../core/errors';
import { Selector } from '../selector';

/** What a policy tells a peer about itself when the peer is rendered into one of its rules. */
export interface PeerContext {
  /**
   * The namespace of the policy.
   *
   * @default - a cluster-wide policy (GlobalNetworkPolicy), which has no namespace of its own
   */
  readonly policyNamespace?: string;
}

/**
 * The other end of a connection that a policy allows: who may connect (`allowFrom`), or whom the
 * policy's endpoints may connect to (`allowTo`). Made with the factories of `Peer`.
 *
 * Every peer renders as Calico rule sides; most also render as Kubernetes NetworkPolicy peers,
 * for the team constructs that write Kubernetes policies.
 */
export interface IPeer {
  /** What the peer stands for, e.g. `namespaces fe`. */
  readonly description: string;

  /**
   * The Calico rule sides (the `source` of an ingress rule, the `destination` of an egress rule)
   * this peer stands for, one rule per entry (a peer of IPv4 and IPv6 networks needs two). An
   * entry without any field matches everything.
   *
   * @param context the policy the rule belongs to
   * @throws if the peer has no meaning in that policy (e.g. pods without a namespace in a
   * cluster-wide policy)
   */
  toCalicoEntityRules(context: PeerContext): EntityRule[];

  /**
   * The Kubernetes NetworkPolicy peers (`from` / `to` entries of one rule) this peer stands
   * for: plain data, no constructs.
   *
   * @throws if Kubernetes NetworkPolicies cannot express the peer (service accounts, services,
   * network sets, selectors beyond `&&` of simple terms)
   */
  toKubernetesPeers(): kplus.k8s.NetworkPolicyPeer[];
}

/**
 * Factories of the peers that policies allow traffic from and to.
 *
 * Peers that name namespaces by name match the label Calico gives every namespace,
 * `projectcalico.org/name` (and, in Kubernetes policies, `kubernetes.io/metadata.name`), which
 * a namespace's own labels cannot spoof.
 *
 * @example
 * policy.allowFrom(Peer.namespaces('fe'), Port.tcp(443));
 * policy.allowTo(Peer.pods(Selector.label('app').eq('db'), 'database'), Port.tcp(5432));
 */
export class Peer {
  /**
   * All pods in the namespaces whose labels include all of `labels`, e.g. `{ team: 'fe' }`.
   * Whoever may label namespaces decides who matches; prefer `Peer.namespaces()` when the names
   * are known.
   *
   * @param labels namespace labels that must all match
   */
  public static namespaceLabels(labels: { [key: string]: string }): IPeer {
    return new NamespaceLabelsPeer(labels);
  }

  /**
   * All pods in the namespaces of these names.
   *
   * @param names namespace names
   */
  public static namespaces(...names: string[]): IPeer {
    return new NamespaceNamesPeer(names);
  }

  /**
   * All pods in the namespaces that `selector` matches (by namespace labels).
   *
   * @param selector the namespaces' labels
   */
  public static namespaceSelector(selector: Selector): IPeer {
    return new NamespaceSelectorPeer(selector);
  }

  /**
   * The pods matching `selector`, in `namespace`.
   *
   * @param selector the pods' labels
   * @param namespace the namespace of the pods; by default the namespace of the policy (a
   * cluster-wide policy has none, so it needs one)
   */
  public static pods(selector: Selector, namespace?: string): IPeer {
    return new PodsPeer(selector, namespace);
  }

  /**
   * The pods running as one of the named service accounts of the policy's namespace (Calico
   * policies only; not in a cluster-wide policy, where every namespace could have accounts of
   * these names).
   *
   * @param names service account names
   */
  public static serviceAccounts(...names: string[]): IPeer {
    return new ServiceAccountsPeer(names);
  }

  /**
   * The pods whose service account's labels match `selector` (Calico policies only; in a
   * cluster-wide policy, in every namespace). Whoever may label service accounts decides who
   * matches: keep that right with the security team.
   *
   * @param selector the service account labels
   */
  public static serviceAccountSelector(selector: Selector): IPeer {
    return new ServiceAccountSelectorPeer(selector);
  }

  /**
   * Addresses in the given networks, e.g. `'203.0.113.0/24'` (IPv4 and IPv6 may be mixed: a rule
   * is written per IP version).
   *
   * @param cidrs networks in CIDR notation, correctly masked
   */
  public static cidr(...cidrs: string[]): IPeer {
    return new CidrPeer(cidrs);
  }

  /**
   * The addresses of a Calico network set, selected by its labels (Calico policies only). The set
   * needs at least one label; pods with the same labels are not matched.
   *
   * @param set a NetworkSet or GlobalNetworkSet
   */
  public static networkSet(set: NetworkSetBase): IPeer {
    return new NetworkSetPeer(set);
  }

  /**
   * The endpoints of a Kubernetes Service (Calico policies only): as the source of `allowFrom`,
   * or the destination of `allowTo`, where the Service's own ports apply (give no ports).
   *
   * @param name the Service name
   * @param namespace the Service namespace; by default the namespace of the policy (a
   * cluster-wide policy has none, so it needs one)
   */
  public static service(name: string, namespace?: string): IPeer {
    return new ServicePeer(name, namespace);
  }

  /** All pods in every namespace (not addresses outside the cluster). */
  public static anyNamespace(): IPeer {
    return new AnyNamespacePeer();
  }

  /** Any address: every pod and everything outside the cluster. */
  public static anywhere(): IPeer {
    return new AnywherePeer();
  }

  private constructor() {}
}

/** The common parts of the peers: a description, and Kubernetes peers where they exist. */
abstract class PeerImpl implements IPeer {
  constructor(public readonly description: string) {}

  public abstract toCalicoEntityRules(context: PeerContext): EntityRule[];

  public toKubernetesPeers(): kplus.k8s.NetworkPolicyPeer[] {
    throw new Error(`${this.description}: ${this.kubernetesGap()}`);
  }

  public toString(): string {
    return this.description;
  }

  /** Why Kubernetes NetworkPolicies cannot express this peer. */
  protected kubernetesGap(): string {
    return 'Kubernetes NetworkPolicies cannot express this peer; use Calico policies';
  }
}

function checkSelector(owner: string, selector: Selector, example: string): void {
  if (!(selector instanceof Selector)) {
    fail(owner, 'selector', `${describeValue(selector)} is not a Selector; build one with ${example}`);
  }
}

function checkNamespace(owner: string, namespace: string | undefined): void {
  if (namespace !== undefined) {
    checkDnsLabel(owner, 'namespace', namespace, 'namespace');
  }
}

/** The namespace of this name, by the label Kubernetes sets on every namespace. */
function namespaceNameLabelSelector(name: string): kplus.k8s.LabelSelector {
  return { matchLabels: { [LABEL_K8S_NAMESPACE_NAME]: name } };
}

/** The Kubernetes label selector of `selector`; throws, naming the peer, when there is none. */
function kubernetesSelector(peer: IPeer, selector: Selector): KubernetesLabelSelector {
  const result = kubernetesLabelSelectorOf(selector);
  if (typeof result === 'string') {
    throw new Error(`${peer.description}: ${result}`);
  }
  return result;
}

class NamespaceLabelsPeer extends PeerImpl {
  private readonly labels: { [key: string]: string };

  constructor(labels: { [key: string]: string }) {
    const owner = 'Peer.namespaceLabels()';
    if (labels === null || typeof labels !== 'object' || Object.keys(labels).length === 0) {
      fail(owner, 'labels', 'give at least one namespace label, e.g. { team: "fe" }; for every namespace use Peer.anyNamespace()');
    }
    checkLabels(owner, 'labels', labels);
    super(`namespaces labelled ${JSON.stringify(labels)}`);
    this.labels = { ...labels };
  }

  public toCalicoEntityRules(_context: PeerContext): EntityRule[] {
    return [{ namespaceSelector: Selector.fromLabels(this.labels) }];
  }

  public toKubernetesPeers(): kplus.k8s.NetworkPolicyPeer[] {
    return [{ namespaceSelector: kubernetesLabelSelectorJson({ labels: { ...this.labels }, expressions: [] }), podSelector: {} }];
  }
}

class NamespaceNamesPeer extends PeerImpl {
  private readonly names: string[];

  constructor(names: string[]) {
    const owner = 'Peer.namespaces()';
    if (!Array.isArray(names) || names.length === 0) {
      fail(owner, 'names', 'give at least one namespace name');
    }
    names.forEach((name, i) => checkDnsLabel(owner, `names[${i}]`, name, 'namespace'));
    const unique = [...new Set(names)].sort();
    super(`namespaces ${unique.join(', ')}`);
    this.names = unique;
  }

  public toCalicoEntityRules(_context: PeerContext): EntityRule[] {
    return [{ namespaceSelector: namespaceNameSelector(this.names) }];
  }

  public toKubernetesPeers(): kplus.k8s.NetworkPolicyPeer[] {
    // One peer per name, by kubernetes.io/metadata.name, which Kubernetes sets itself (a label selector holds one value per key).
    return this.names.map((name) => ({ namespaceSelector: namespaceNameLabelSelector(name), podSelector: {} }));
  }
}

class NamespaceSelectorPeer extends PeerImpl {
  constructor(private readonly selector: Selector) {
    checkSelector('Peer.namespaceSelector()', selector, "Selector.label('team').eq('fe')");
    super(`namespaces matching ${selector.toString()}`);
  }

  public toCalicoEntityRules(_context: PeerContext): EntityRule[] {
    return [{ namespaceSelector: this.selector }];
  }

  public toKubernetesPeers(): kplus.k8s.NetworkPolicyPeer[] {
    return [{ namespaceSelector: kubernetesLabelSelectorJson(kubernetesSelector(this, this.selector)), podSelector: {} }];
  }
}

class PodsPeer extends PeerImpl {
  constructor(private readonly selector: Selector, private readonly namespace?: string) {
    const owner = 'Peer.pods()';
    checkSelector(owner, selector, "Selector.label('app').eq('web')");
    checkNamespace(owner, namespace);
    super(`pods matching ${selector.toString()} in ${namespace === undefined ? 'the policy namespace' : `namespace ${namespace}`}`);
  }

  public toCalicoEntityRules(context: PeerContext): EntityRule[] {
    if (this.namespace !== undefined) {
      return [{ selector: this.selector, namespaceSelector: namespaceNameSelector([this.namespace]) }];
    }
    if (context.policyNamespace === undefined) {
      throw new Error(
        `${this.description}: a cluster-wide policy has no namespace of its own; name the pods' namespace ` +
          "(Peer.pods(selector, 'ns')), or select namespaces with Peer.namespaceSelector()",
      );
    }
    // Calico: libcalico-go/lib/backend/syncersv1/updateprocessors/rules.go getEndpointSelector (own namespace)
    return [{ selector: this.selector }];
  }

  public toKubernetesPeers(): kplus.k8s.NetworkPolicyPeer[] {
    const podSelector = kubernetesLabelSelectorJson(kubernetesSelector(this, this.selector));
    // Without a namespace selector, a Kubernetes peer's pods are those of the policy's namespace.
    return [this.namespace === undefined ? { podSelector } : { namespaceSelector: namespaceNameLabelSelector(this.namespace), podSelector }];
  }
}

class ServiceAccountsPeer extends PeerImpl {
  private readonly names: string[];

  constructor(names: string[]) {
    const owner = 'Peer.serviceAccounts()';
    if (!Array.isArray(names) || names.length === 0) {
      fail(owner, 'names', 'give at least one service account name');
    }
    names.forEach((name, i) => checkDnsSubdomain(owner, `names[${i}]`, name, 'service account name'));
    const unique = [...new Set(names)];
    super(`service accounts ${unique.join(', ')}`);
    this.names = unique;
  }

  public toCalicoEntityRules(context: PeerContext): EntityRule[] {
    if (context.policyNamespace === undefined) {
      throw new Error(
        `${this.description}: in a cluster-wide policy these names would match service accounts of every namespace, ` +
          'which any namespace could create; use Peer.serviceAccountSelector() or a NetworkPolicy in the accounts\' namespace',
      );
    }
    return [{ serviceAccounts: { names: [...this.names] } }];
  }

  protected kubernetesGap(): string {
    return 'Kubernetes NetworkPolicies cannot select pods by service account; use Calico policies (policyKind: TeamPolicyKind.CALICO)';
  }
}

class ServiceAccountSelectorPeer extends PeerImpl {
  constructor(private readonly selector: Selector) {
    checkSelector('Peer.serviceAccountSelector()', selector, "Selector.label('role').eq('intern')");
    super(`service accounts matching ${selector.toString()}`);
  }

  public toCalicoEntityRules(_context: PeerContext): EntityRule[] {
    return [{ serviceAccounts: { selector: this.selector } }];
  }

  protected kubernetesGap(): string {
    return 'Kubernetes NetworkPolicies cannot select pods by service account; use Calico policies (policyKind: TeamPolicyKind.CALICO)';
  }
}

class CidrPeer extends PeerImpl {
  private readonly v4: string[];
  private readonly v6: string[];

  constructor(cidrs: string[]) {
    const owner = 'Peer.cidr()';
    if (!Array.isArray(cidrs) || cidrs.length === 0) {
      fail(owner, 'cidrs', 'give at least one network, e.g. "203.0.113.0/24"');
    }
    const parsed = cidrs.map((cidr, i) => ({ cidr, version: checkCidr(owner, `cidrs[${i}]`, cidr, true).version }));
    super(`networks ${cidrs.join(', ')}`);
    this.v4 = [...new Set(parsed.filter((p) => p.version === 4).map((p) => p.cidr))];
    this.v6 = [...new Set(parsed.filter((p) => p.version === 6).map((p) => p.cidr))];
  }

  /** One rule side per IP family: a Calico rule cannot mix IPv4 and IPv6 networks. */
  // Calico: libcalico-go/lib/validator/v3/validator.go validateRule scanNets ("rule contains both IPv4 and IPv6 CIDRs")
  public toCalicoEntityRules(_context: PeerContext): EntityRule[] {
    return [this.v4, this.v6].filter((nets) => nets.length > 0).map((nets) => ({ nets: [...nets] }));
  }

  public toKubernetesPeers(): kplus.k8s.NetworkPolicyPeer[] {
    return [...this.v4, ...this.v6].map((cidr) => ({ ipBlock: { cidr } }));
  }
}

class NetworkSetPeer extends PeerImpl {
  private readonly entity: EntityRule;

  constructor(set: NetworkSetBase) {
    const owner = 'Peer.networkSet()';
    if (!(set instanceof NetworkSet) && !(set instanceof GlobalNetworkSet)) {
      fail(owner, 'set', `${describeValue(set)} is not a NetworkSet or GlobalNetworkSet construct`);
    }
    if (Object.keys(set.labels).length === 0) {
      fail(owner, 'set', `${set.node.path} has no labels, so no selector can pick it; give it metadata.labels`);
    }
    const labels = Selector.fromLabels(set.labels);
    super(set instanceof NetworkSet ? `network set ${set.namespace}/${set.name}` : `global network set ${set.name}`);
    this.entity = set instanceof NetworkSet
      // Workload endpoints carry the orchestrator label and network sets do not, so pods with the
      // same labels do not match.
      ? { selector: labels.and(Selector.has(LABEL_ORCHESTRATOR).not()), namespaceSelector: namespaceNameSelector([set.namespace]) }
      // Calico: validator.go validateEntityRule (global() selects non-namespaced resources only)
      : { selector: labels, namespaceSelector: Selector.global() };
  }

  public toCalicoEntityRules(_context: PeerContext): EntityRule[] {
    return [{ ...this.entity }];
  }

  protected kubernetesGap(): string {
    return 'Kubernetes NetworkPolicies cannot select Calico network sets; use Peer.cidr() with its networks, or Calico policies';
  }
}

class ServicePeer extends PeerImpl {
  constructor(private readonly name: string, private readonly namespace?: string) {
    const owner = 'Peer.service()';
    checkDnsSubdomain(owner, 'name', name, 'service name');
    checkNamespace(owner, namespace);
    super(`service ${namespace === undefined ? name : `${namespace}/${name}`}`);
  }

  public toCalicoEntityRules(_context: PeerContext): EntityRule[] {
    return [{ services: { name: this.name, namespace: this.namespace } }];
  }

  protected kubernetesGap(): string {
    return 'Kubernetes NetworkPolicies cannot select a Service; select its pods with Peer.pods(), or use Calico policies';
  }
}

class AnyNamespacePeer extends PeerImpl {
  constructor() {
    super('pods in any namespace');
  }

  public toCalicoEntityRules(_context: PeerContext): EntityRule[] {
    // Calico: rules.go getEndpointSelector (namespaceSelector all() is every namespaced endpoint)
    return [{ namespaceSelector: Selector.all() }];
  }

  public toKubernetesPeers(): kplus.k8s.NetworkPolicyPeer[] {
    return [{ namespaceSelector: {}, podSelector: {} }];
  }
}

class AnywherePeer extends PeerImpl {
  constructor() {
    super('anywhere');
  }

  public toCalicoEntityRules(_context: PeerContext): EntityRule[] {
    return [{}];
  }

  public toKubernetesPeers(): kplus.k8s.NetworkPolicyPeer[] {
    return [{ namespaceSelector: {}, podSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }];
  }
}
