/**
 * Options of the audit.
 */
import { Suppression } from './finding';

/**
 * Options of `Audit.objects()` / `audit()`.
 */
export interface AuditOptions {
  /**
   * Run only these rules (ids such as `CC-RBAC-001`).
   *
   * @default - every rule
   */
  readonly rules?: string[];

  /**
   * Accepted findings, reported with their reason instead of failing.
   *
   * @default - none
   */
  readonly suppressions?: Suppression[];

  /**
   * The node CIDRs: workloads reaching the kubelet port (TCP 10250) of an address in them are
   * reported. Without them the kubelet rule has nothing to check.
   *
   * @default - none
   */
  readonly nodeCidrs?: string[];

  /**
   * Addresses that stand for the internet (IPv4 and IPv6).
   *
   * @default ['93.184.216.34', '2606:2800:220:1::1']
   */
  readonly internetAddresses?: string[];

  /**
   * Cloud metadata addresses.
   *
   * @default ['169.254.169.254', 'fd00:ec2::254']
   */
  readonly metadataAddresses?: string[];

  /**
   * Namespaces whose workloads the network rules leave alone (the cluster's own components,
   * which need the node and the internet).
   *
   * @default ['kube-system', 'kube-public', 'kube-node-lease', 'calico-system', 'calico-apiserver', 'tigera-operator']
   */
  readonly excludedNamespaces?: string[];

  /**
   * Add one unlabelled pod (service account `default`) to every declared namespace, standing for
   * "any new pod there", so that the network rules check namespaces whose workloads are deployed
   * from elsewhere.
   *
   * @default true
   */
  readonly probePods?: boolean;

  /**
   * Further subjects never reported as holders of dangerous permissions: `User:<name>`,
   * `Group:<name>`, `ServiceAccount:<namespace>/<name>` or `ServiceAccount:<namespace>/*`.
   *
   * @default - none beyond the system subjects
   */
  readonly excludedSubjects?: string[];

  /**
   * Also report the well-known system subjects: `Group:system:masters`, `Group:system:nodes`,
   * `User:system:kube-controller-manager`, `User:system:kube-scheduler`, `User:system:kube-proxy`,
   * `User:system:apiserver` and the service accounts of `kube-system` (the controllers).
   *
   * @default false
   */
  readonly includeSystemSubjects?: boolean;
}
