import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { toKubernetesLabelSelector } from './label-selector';
import { namespaceNameSelector } from './system-namespaces';
import { EntityRule } from '../policy/rule';
import { checkCidr, checkDnsLabel, checkDnsSubdomain, checkLabels, fail } from '../policy/validation';
import { Selector } from '../selector';

/** What a peer stands for. */
enum PeerKind {
  NAMESPACE_LABELS = 'namespaceLabels',
  NAMESPACES = 'namespaces',
  PODS = 'pods',
  SERVICE_ACCOUNTS = 'serviceAccounts',
  SERVICE_ACCOUNT_SELECTOR = 'serviceAccountSelector',
  CIDR = 'cidr',
  ANY_NAMESPACE = 'anyNamespace',
  ANYWHERE = 'anywhere',
}

/**
 * The other end of a team's traffic rule: who may connect to the team's pods
 * (`allowIngressFrom`), or whom they may connect to (`allowEgressTo`).
 *
 * Every peer renders as a Calico rule source/destination; all but the service-account peers also
 * render as a Kubernetes NetworkPolicy peer (`Peer.pods` only with selectors Kubernetes can
 * express).
 */
export class Peer {
  /**
   * All pods in the namespaces whose labels include all of `labels`, e.g. `{ team: 'fe' }`.
   *
   * @param labels namespace labels that must all match
   */
  public static namespaceLabels(labels: { [key: string]: string }): Peer {
    const owner = 'Peer.namespaceLabels()';
    if (labels === null || typeof labels !== 'object' || Object.keys(labels).length === 0) {
      fail(owner, 'labels', 'give at least one namespace label, e.g. { team: "fe" }; for every namespace use Peer.anyNamespace()');
    }
    checkLabels(owner, 'labels', labels);
    return new Peer(PeerKind.NAMESPACE_LABELS, `namespaces labelled ${JSON.stringify(labels)}`, { labels: { ...labels } });
  }

  /**
   * All pods in the named namespaces.
   *
   * @param names namespace names
   */
  public static namespaces(...names: string[]): Peer {
    const owner = 'Peer.namespaces()';
    if (names.length === 0) {
      fail(owner, 'names', 'give at least one namespace name');
    }
    names.forEach((name, i) => checkDnsLabel(owner, `names[${i}]`, name, 'namespace'));
    const unique = [...new Set(names)].sort();
    return new Peer(PeerKind.NAMESPACES, `namespaces ${unique.join(', ')}`, { names: unique });
  }

  /**
   * The pods matching `selector`, in `namespace` (default: the team's own namespace).
   *
   * @param selector the pods' labels
   * @param namespace the namespace of the pods
   */
  public static pods(selector: Selector, namespace?: string): Peer {
    const owner = 'Peer.pods()';
    if (!(selector instanceof Selector)) {
      fail(owner, 'selector', `${JSON.stringify(selector)} is not a Selector; build one with Selector.label('app').eq('web')`);
    }
    if (namespace !== undefined) {
      checkDnsLabel(owner, 'namespace', namespace, 'namespace');
    }
    const where = namespace === undefined ? 'the team namespace' : `namespace ${namespace}`;
    return new Peer(PeerKind.PODS, `pods matching ${selector.toString()} in ${where}`, { selector, namespace });
  }

  /**
   * The pods running as one of the named service accounts of the team's namespace (Calico
   * policies only).
   *
   * @param names service account names
   */
  public static serviceAccounts(...names: string[]): Peer {
    const owner = 'Peer.serviceAccounts()';
    if (names.length === 0) {
      fail(owner, 'names', 'give at least one service account name');
    }
    names.forEach((name, i) => checkDnsSubdomain(owner, `names[${i}]`, name, 'service account name'));
    const unique = [...new Set(names)];
    return new Peer(PeerKind.SERVICE_ACCOUNTS, `service accounts ${unique.join(', ')}`, { names: unique });
  }

  /**
   * The pods whose service account's labels match `selector` (Calico policies only). Whoever may
   * label service accounts decides who matches: keep that right with the security team.
   *
   * @param selector the service account labels
   */
  public static serviceAccountSelector(selector: Selector): Peer {
    const owner = 'Peer.serviceAccountSelector()';
    if (!(selector instanceof Selector)) {
      fail(owner, 'selector', `${JSON.stringify(selector)} is not a Selector; build one with Selector.label('role').eq('intern')`);
    }
    return new Peer(PeerKind.SERVICE_ACCOUNT_SELECTOR, `service accounts matching ${selector.toString()}`, { selector });
  }

  /**
   * Addresses in the given networks, e.g. `'203.0.113.0/24'` (IPv4 and IPv6 may be mixed).
   *
   * @param cidrs networks in CIDR notation, correctly masked
   */
  public static cidr(...cidrs: string[]): Peer {
    const owner = 'Peer.cidr()';
    if (cidrs.length === 0) {
      fail(owner, 'cidrs', 'give at least one network, e.g. "203.0.113.0/24"');
    }
    const parsed = cidrs.map((cidr, i) => ({ cidr, version: checkCidr(owner, `cidrs[${i}]`, cidr, true).version }));
    const v4 = parsed.filter((p) => p.version === 4).map((p) => p.cidr);
    const v6 = parsed.filter((p) => p.version === 6).map((p) => p.cidr);
    return new Peer(PeerKind.CIDR, `networks ${cidrs.join(', ')}`, { v4: [...new Set(v4)], v6: [...new Set(v6)] });
  }

  /** All pods in every namespace (not addresses outside the cluster). */
  public static anyNamespace(): Peer {
    return new Peer(PeerKind.ANY_NAMESPACE, 'pods in any namespace', {});
  }

  /** Any address: every pod and everything outside the cluster. */
  public static anywhere(): Peer {
    return new Peer(PeerKind.ANYWHERE, 'anywhere', {});
  }

  /** What the peer stands for, e.g. `namespaces labelled {"team":"fe"}`. */
  public readonly description: string;

  private constructor(private readonly kind: PeerKind, description: string, private readonly data: PeerData) {
    this.description = description;
  }

  /**
   * The Calico `source`/`destination` entities of this peer: one per IP family for `cidr`,
   * `undefined` for anywhere.
   *
   * @internal
   */
  public _toCalico(): (EntityRule | undefined)[] {
    const data = this.data;
    switch (this.kind) {
      case PeerKind.NAMESPACE_LABELS:
        return [{ namespaceSelector: Selector.fromLabels(data.labels!) }];
      case PeerKind.NAMESPACES:
        return [{ namespaceSelector: namespaceNameSelector(data.names!) }];
      case PeerKind.PODS:
        return [data.namespace === undefined
          ? { selector: data.selector! }
          : { selector: data.selector!, namespaceSelector: namespaceNameSelector([data.namespace]) }];
      case PeerKind.SERVICE_ACCOUNTS:
        return [{ serviceAccounts: { names: [...data.names!] } }];
      case PeerKind.SERVICE_ACCOUNT_SELECTOR:
        return [{ serviceAccounts: { selector: data.selector! } }];
      case PeerKind.CIDR:
        return [data.v4!, data.v6!].filter((nets) => nets.length > 0).map((nets) => ({ nets: [...nets] }));
      case PeerKind.ANY_NAMESPACE:
        return [{ namespaceSelector: Selector.all() }];
      default:
        return [undefined];
    }
  }

  /**
   * The cdk8s-plus NetworkPolicy peers of this peer, created under `scope` with ids starting
   * with `id`. Throws, naming `owner` and `field`, for peers Kubernetes cannot express.
   *
   * @internal
   */
  public _toKubernetes(scope: Construct, id: string, owner: string, field: string): kplus.INetworkPolicyPeer[] {
    const data = this.data;
    switch (this.kind) {
      case PeerKind.NAMESPACE_LABELS:
        return [kplus.Namespaces.select(scope, id, { labels: { ...data.labels! } })];
      case PeerKind.NAMESPACES:
        return [kplus.Namespaces.select(scope, id, { names: [...data.names!] })];
      case PeerKind.PODS: {
        const pods = toKubernetesLabelSelector(owner, field, data.selector!);
        const namespaces = data.namespace === undefined ? undefined : kplus.Namespaces.select(scope, `${id}Namespace`, { names: [data.namespace] });
        return [kplus.Pods.select(scope, id, { labels: pods.labels, expressions: pods.expressions, namespaces })];
      }
      case PeerKind.SERVICE_ACCOUNTS:
      case PeerKind.SERVICE_ACCOUNT_SELECTOR:
        return fail(
          owner,
          field,
          `${this.description}: Kubernetes NetworkPolicies cannot select pods by service account; use Calico policies (policyKind: TeamPolicyKind.CALICO)`,
        );
      case PeerKind.CIDR:
        return [
          ...data.v4!.map((cidr, i) => kplus.NetworkPolicyIpBlock.ipv4(scope, `${id}V4-${i}`, cidr)),
          ...data.v6!.map((cidr, i) => kplus.NetworkPolicyIpBlock.ipv6(scope, `${id}V6-${i}`, cidr)),
        ];
      case PeerKind.ANY_NAMESPACE:
        return [kplus.Namespaces.all(scope, id)];
      default:
        return [
          kplus.Namespaces.all(scope, `${id}Pods`),
          kplus.NetworkPolicyIpBlock.anyIpv4(scope, `${id}V4`),
          kplus.NetworkPolicyIpBlock.anyIpv6(scope, `${id}V6`),
        ];
    }
  }

  /** The description. */
  public toString(): string {
    return this.description;
  }
}

interface PeerData {
  readonly labels?: { [key: string]: string };
  readonly names?: string[];
  readonly selector?: Selector;
  readonly namespace?: string;
  readonly v4?: string[];
  readonly v6?: string[];
}
