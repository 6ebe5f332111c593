import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkMetadata, dropChartNamespace, generatedName, rejectNamespace, resolveNamespace } from './metadata';
import { checkCidr, checkDnsSubdomain, describeConstruct, fail } from './validation';
import * as calico from '../imports';

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

/** The label key Calico reserves for namespaces; sets may not use it. */
const RESERVED_LABEL = 'projectcalico.org/namespace';

/** The nets of a set, checked as they are added. */
class NetList {
  private readonly nets: string[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly owner: string) {}

  public add(nets: string[], firstField: (i: number) => string): void {
    if (!Array.isArray(nets)) {
      fail(this.owner, 'nets', 'must be an array of CIDR strings (e.g. ["192.0.2.0/24"])');
    }
    nets.forEach((net, i) => {
      const field = firstField(i);
      const parsed = checkCidr(this.owner, field, net, false);
      // Written differently but equal (e.g. "fd00::/8" and "FD00::/8") counts as a duplicate too.
      const key = parsed.masked ? parsed.network : net;
      if (this.seen.has(key)) {
        fail(this.owner, field, `"${net}" is already in the set; Calico treats nets as a set, remove the duplicate`);
      }
      this.seen.add(key);
      this.nets.push(net);
    });
  }

  public get list(): string[] {
    return [...this.nets];
  }

  public get size(): number {
    return this.nets.length;
  }
}

function checkSetProps(owner: string, props: NetworkSetProps): void {
  checkMetadata(owner, props.metadata);
  if (props.metadata?.labels && RESERVED_LABEL in props.metadata.labels) {
    fail(owner, 'metadata.labels', `"${RESERVED_LABEL}" is reserved by Calico for namespaces; use another label key`);
  }
  if (props.allowedEgressDomains !== undefined && props.allowedEgressDomains.length > 0) {
    fail(
      owner,
      'allowedEgressDomains',
      'Calico v3.32 network sets have no allowedEgressDomains field (it is a Calico Enterprise feature) and the API server ' +
        'would drop it; list the destination addresses in nets instead',
    );
  }
}

/**
 * A namespaced set of IP networks (`projectcalico.org/v3` `NetworkSet`). Policies in the same
 * namespace select it by its labels, like a pod.
 */
export class NetworkSet extends Construct {
  /** The object name. */
  public readonly name: string;

  /** The namespace of the set. */
  public readonly namespace: string;

  /** The labels of the set, which selectors match. */
  public readonly labels: { [key: string]: string };

  /** The generated Calico object (escape hatch). */
  public readonly apiObject: ApiObject;

  private readonly netList: NetList;

  constructor(scope: Construct, id: string, props: NetworkSetProps = {}) {
    super(scope, id);
    const owner = describeConstruct('NetworkSet', this);
    checkSetProps(owner, props);
    this.name = props.metadata?.name ?? generatedName(this);
    checkDnsSubdomain(owner, 'metadata.name', this.name, 'object name');
    this.namespace = resolveNamespace(owner, this, props.metadata);
    this.labels = { ...props.metadata?.labels };
    this.netList = new NetList(owner);
    this.apiObject = new calico.NetworkSet(this, 'Resource', {
      metadata: { ...props.metadata, name: this.name, namespace: this.namespace },
      spec: Lazy.any({ produce: (): calico.NetworkSetSpec => ({ nets: this.netList.size > 0 ? this.netList.list : undefined }) }),
    });
    this.netList.add(props.nets ?? [], (i) => `nets[${i}]`);
  }

  /** The networks of the set so far. */
  public get nets(): string[] {
    return this.netList.list;
  }

  /**
   * Adds networks to the set.
   *
   * @param nets CIDRs or single addresses
   */
  public addNets(...nets: string[]): void {
    const start = this.netList.size;
    this.netList.add(nets, (i) => `nets[${start + i}]`);
  }
}

/**
 * A cluster-wide set of IP networks (`projectcalico.org/v3` `GlobalNetworkSet`). Any policy
 * selects it by its labels (from a NetworkPolicy, with `namespaceSelector: Selector.global()`).
 */
export class GlobalNetworkSet extends Construct {
  /** The object name. */
  public readonly name: string;

  /** The labels of the set, which selectors match. */
  public readonly labels: { [key: string]: string };

  /** The generated Calico object (escape hatch). */
  public readonly apiObject: ApiObject;

  private readonly netList: NetList;

  constructor(scope: Construct, id: string, props: GlobalNetworkSetProps = {}) {
    super(scope, id);
    const owner = describeConstruct('GlobalNetworkSet', this);
    rejectNamespace(owner, 'GlobalNetworkSet', props.metadata);
    checkSetProps(owner, props);
    this.name = props.metadata?.name ?? generatedName(this);
    checkDnsSubdomain(owner, 'metadata.name', this.name, 'object name');
    this.labels = { ...props.metadata?.labels };
    this.netList = new NetList(owner);
    this.apiObject = new calico.GlobalNetworkSet(this, 'Resource', {
      metadata: { ...props.metadata, name: this.name },
      spec: Lazy.any({ produce: (): calico.GlobalNetworkSetSpec => ({ nets: this.netList.size > 0 ? this.netList.list : undefined }) }),
    });
    dropChartNamespace(this.apiObject);
    this.netList.add(props.nets ?? [], (i) => `nets[${i}]`);
  }

  /** The networks of the set so far. */
  public get nets(): string[] {
    return this.netList.list;
  }

  /**
   * Adds networks to the set.
   *
   * @param nets CIDRs or single addresses
   */
  public addNets(...nets: string[]): void {
    const start = this.netList.size;
    this.netList.add(nets, (i) => `nets[${start + i}]`);
  }
}
