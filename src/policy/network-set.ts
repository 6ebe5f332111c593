import { ApiObjectMetadata, GroupVersionKind, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkMetadata, dropChartNamespace, generatedChildName, rejectNamespace, resolveNamespace } from './metadata';
import { checkCidr, checkDnsSubdomain, describeChild } from './validation';
import { LABEL_NAMESPACE } from '../core/calico';
import { fail } from '../core/errors';
import * as calico from '../imports';
import { TypedApiObject } from './typed-api-object';

/** Properties of a `NetworkSet` or `GlobalNetworkSet`. */
export interface NetworkSetProps {
  /**
   * Metadata of the set. Its labels are what policy selectors match (e.g.
   * `Selector.label('role').eq('partner-apis')`); a NetworkSet also takes `namespace`.
   *
   * @default - a generated name, no labels
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * The IP networks of the set (CIDRs or single addresses, IPv4 and IPv6). More can be added
   * with `addNets()`.
   *
   * @default - none
   */
  readonly nets?: string[];

  /**
   * Domain names of the set. Not supported: Calico v3.32 (open source) network sets have no
   * `allowedEgressDomains` field (a Calico Enterprise feature), so a non-empty list is an error
   * rather than a field the API server would silently drop.
   *
   * @default - none
   */
  readonly allowedEgressDomains?: string[];
}

/** Properties of a `GlobalNetworkSet`. */
export interface GlobalNetworkSetProps extends NetworkSetProps {}

/** What a subclass of `NetworkSetBase` tells it about its kind. */
export interface NetworkSetKindOptions {
  /** The kind, as errors name the construct (e.g. `GlobalNetworkSet`). */
  readonly kind: string;

  /** Whether the set is cluster-scoped (no namespace). */
  readonly global: boolean;

  /** The generated type's group, version and kind (e.g. `calico.NetworkSet.GVK`). */
  readonly gvk: GroupVersionKind;
}

/**
 * What `NetworkSet` and `GlobalNetworkSet` share: a name, labels that selectors match, and a list
 * of networks that grows with `addNets()` and is rendered when the app is synthesized. A set is
 * itself the Calico object it synthesizes; `apiObject` returns it.
 */
export abstract class NetworkSetBase extends TypedApiObject {
  /** The labels of the set, which selectors match. */
  public readonly labels: { [key: string]: string };

  /** How errors name this construct. */
  protected readonly owner: string;

  private readonly netList: string[];
  private readonly seen: Set<string>;

  protected constructor(scope: Construct, id: string, kind: NetworkSetKindOptions, props: NetworkSetProps) {
    const owner = describeChild(kind.kind, scope, id);
    if (kind.global) {
      rejectNamespace(owner, kind.kind, props.metadata);
    }
    checkMetadata(owner, props.metadata);
    // Calico: libcalico-go/lib/backend/syncersv1/updateprocessors/networksetprocessor.go (the namespace label is Calico's)
    if (props.metadata?.labels && LABEL_NAMESPACE in props.metadata.labels) {
      fail(owner, 'metadata.labels', `"${LABEL_NAMESPACE}" is reserved by Calico for namespaces; use another label key`);
    }
    if (props.allowedEgressDomains !== undefined && props.allowedEgressDomains.length > 0) {
      fail(
        owner,
        'allowedEgressDomains',
        'Calico v3.32 network sets have no allowedEgressDomains field (it is a Calico Enterprise feature) and the API server ' +
          'would drop it; list the destination addresses in nets instead',
      );
    }
    const name = props.metadata?.name ?? generatedChildName(scope, id);
    checkDnsSubdomain(owner, 'metadata.name', name, 'object name');
    const namespace = kind.global ? undefined : resolveNamespace(owner, scope, props.metadata);
    // The networks are rendered when the app is synthesized, from those added by then.
    const netList: string[] = [];
    super(scope, id, {
      ...kind.gvk,
      metadata: { ...props.metadata, name, namespace },
      spec: Lazy.any({ produce: () => ({ nets: netList.length > 0 ? [...netList] : undefined }) }),
    });
    this.owner = owner;
    this.netList = netList;
    this.seen = new Set();
    this.labels = { ...props.metadata?.labels };
    if (kind.global) {
      dropChartNamespace(this);
    }
    this.add(props.nets ?? [], 'nets');
  }


  /** The networks of the set so far. */
  public get nets(): string[] {
    return [...this.netList];
  }

  /**
   * Adds networks to the set.
   *
   * @param nets CIDRs or single addresses
   */
  public addNets(...nets: string[]): void {
    this.add(nets, 'addNets()');
  }

  private add(nets: string[], field: string): void {
    if (!Array.isArray(nets)) {
      fail(this.owner, field, 'must be an array of CIDR strings (e.g. ["192.0.2.0/24"])');
    }
    nets.forEach((net) => {
      const netField = `nets[${this.netList.length}]`;
      // Network sets take bare addresses and set host bits, as Calico does.
      const parsed = checkCidr(this.owner, netField, net, false);
      // Written differently but equal (e.g. "fd00::/8" and "FD00::/8") counts as a duplicate too.
      const key = parsed.masked ? parsed.canonical : net;
      if (this.seen.has(key)) {
        fail(this.owner, netField, `"${net}" is already in the set; Calico treats nets as a set, remove the duplicate`);
      }
      this.seen.add(key);
      this.netList.push(net);
    });
  }
}

/**
 * A namespaced set of IP networks (`projectcalico.org/v3` `NetworkSet`). Policies in the same
 * namespace select it by its labels, like a pod (or with `Peer.networkSet(set)`).
 */
export class NetworkSet extends NetworkSetBase {
  /** The namespace of the set. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: NetworkSetProps = {}) {
    super(scope, id, { kind: 'NetworkSet', global: false, gvk: calico.NetworkSet.GVK }, props);
    this.namespace = this.metadata.namespace!;
  }
}

/**
 * A cluster-wide set of IP networks (`projectcalico.org/v3` `GlobalNetworkSet`). Any policy
 * selects it by its labels (from a NetworkPolicy, with `namespaceSelector: Selector.global()`),
 * or with `Peer.networkSet(set)`.
 */
export class GlobalNetworkSet extends NetworkSetBase {
  constructor(scope: Construct, id: string, props: GlobalNetworkSetProps = {}) {
    super(scope, id, { kind: 'GlobalNetworkSet', global: true, gvk: calico.GlobalNetworkSet.GVK }, props);
  }
}
