import { LABEL_NAME } from '../core/calico';
import { NetworkSetBase } from '../policy/network-set';
import { namespaceNameSelector } from '../policy/peer-selectors';
import { Port } from '../policy/port';
import { checkDnsLabel, checkDnsSubdomain } from '../policy/validation';
import { Selector } from '../selector';

/**
 * Whose egress the security team approves (`BaselineGlobalPolicies.allowEgress()`): an identity
 * that tenants cannot set for themselves.
 *
 * Namespaces and service accounts are matched by their `projectcalico.org/name` label, which
 * Calico derives from the object's name after copying its own labels, so no label a tenant
 * writes can imitate it. Pod labels are never used: whoever deploys a pod chooses its labels.
 *
 * Whoever may create pods in a namespace may run them as any service account of that namespace:
 * approving a service account trusts everyone who deploys into its namespace with the approval.
 *
 * @example
 * baseline.allowEgress({
 *   name: 'payments-psp',
 *   from: EgressSource.serviceAccount('payments', 'psp-client'),
 *   to: ['203.0.113.0/24'],
 *   ports: [Port.tcp(443)],
 * });
 */
export class EgressSource {
  /**
   * Every pod of a namespace.
   *
   * @param name the namespace name
   */
  public static namespace(name: string): EgressSource {
    checkDnsLabel('EgressSource.namespace()', 'name', name, 'namespace');
    return new EgressSource(`namespace ${name}`, name, undefined);
  }

  /**
   * The pods of a namespace that run as one service account.
   *
   * @param namespace the namespace of the service account
   * @param name the service account name
   */
  public static serviceAccount(namespace: string, name: string): EgressSource {
    checkDnsLabel('EgressSource.serviceAccount()', 'namespace', namespace, 'namespace');
    checkDnsSubdomain('EgressSource.serviceAccount()', 'name', name, 'service account name');
    return new EgressSource(`service account ${namespace}/${name}`, namespace, name);
  }

  /**
   * Every workload pod the baseline covers, for destinations every pod needs (a node-local DNS
   * cache on a link-local address, an NTP server outside the cluster).
   */
  public static allWorkloads(): EgressSource {
    return new EgressSource('every workload', undefined, undefined);
  }

  /** What the source stands for, e.g. `service account payments/psp-client`. */
  public readonly description: string;

  /**
   * The namespace of the pods.
   *
   * @default - every namespace the baseline covers
   */
  public readonly namespaceName?: string;

  /**
   * The service account of the pods.
   *
   * @default - every service account of the namespace
   */
  public readonly serviceAccountName?: string;

  private constructor(description: string, namespaceName: string | undefined, serviceAccountName: string | undefined) {
    this.description = description;
    this.namespaceName = namespaceName;
    this.serviceAccountName = serviceAccountName;
  }

  /**
   * The policy-level namespace selector, by name (undefined for every workload).
   */
  public get namespaceSelector(): Selector | undefined {
    // Calico: libcalico-go/lib/backend/k8s/conversion/conversion.go NamespaceToProfile (projectcalico.org/name set after the namespace's labels)
    return this.namespaceName === undefined ? undefined : namespaceNameSelector([this.namespaceName]);
  }

  /**
   * The policy-level service-account selector, by name (undefined unless a service account).
   */
  public get serviceAccountSelector(): Selector | undefined {
    // Calico: libcalico-go/lib/backend/k8s/conversion/conversion.go ServiceAccountToProfile (projectcalico.org/name set after the account's labels)
    return this.serviceAccountName === undefined ? undefined : Selector.label(LABEL_NAME).eq(this.serviceAccountName);
  }

  /** The description. */
  public toString(): string {
    return this.description;
  }
}

/**
 * One egress approval of the security team: who (`from`) may leave the cluster towards which
 * destinations (`to`, `toNetworkSets`) on which ports.
 *
 * An approval passes the flow on to the teams' tier instead of allowing it outright: the team's
 * own egress policy, if it has one, must allow the destination too. An approval makes a
 * destination possible; it never forces one open.
 *
 * Link-local addresses (`169.254.0.0/16`, `fe80::/10`, `fd00:ec2::254/128`: cloud metadata
 * services) and the node networks are left out of broad destinations such as `0.0.0.0/0`; to
 * approve one of them, name a network inside it (e.g. `169.254.20.10/32` for a node-local DNS
 * cache, `172.16.0.0/24` with `Port.tcp(10250)` for a metrics collector scraping kubelets).
 *
 * Destinations of one IP family open nothing in the other: `['203.0.113.0/24']` approves no IPv6
 * address. Domain names are not available in Calico Open Source.
 */
export interface EgressApproval {
  /**
   * The approval's name, a DNS label: the policy is `approved-egress-<name>` in the baseline's
   * tier.
   */
  readonly name: string;

  /** Whose egress is approved: `EgressSource.serviceAccount()`, `EgressSource.namespace()` or `EgressSource.allWorkloads()`. */
  readonly from: EgressSource;

  /**
   * Destination networks (IPv4 and IPv6 may be mixed), outside the pod and service networks.
   *
   * @default - none (give `to`, `toNetworkSets` or both)
   */
  readonly to?: string[];

  /**
   * Destination `GlobalNetworkSet`s (selected by their labels). Only cluster-wide administrators
   * change a GlobalNetworkSet; a namespaced NetworkSet is refused, since whoever may write network
   * sets in its namespace could add addresses to it.
   *
   * @default - none
   */
  readonly toNetworkSets?: NetworkSetBase[];

  /**
   * The destination ports (a port without a protocol is TCP). Named ports are refused:
   * destinations outside the cluster have none.
   */
  readonly ports: Port[];
}
