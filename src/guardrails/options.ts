/**
 * Options of the audit.
 */
import { ExternalTier } from '../analysis';
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
   * from elsewhere. Namespaces where a ResourceQuota allows no pods (unscoped, `pods: "0"`) get
   * none.
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
   * Tiers that exist in the cluster but not in the manifests (as `NetworkModelOptions.tiers`).
   *
   * @default - none
   */
  readonly tiers?: ExternalTier[];

  /**
   * The cluster's pod networks (as `NetworkModelOptions.podCidrs`): where pods whose address the
   * manifests do not give are taken to be.
   *
   * @default - none
   */
  readonly podCidrs?: string[];

  /**
   * The cluster's service networks (as `NetworkModelOptions.serviceCidrs`). Internet and
   * metadata addresses must lie outside them.
   *
   * @default - none
   */
  readonly serviceCidrs?: string[];

  /**
   * The tiers the security team owns: the label-authority rules look at the selectors of their
   * policies, and subjects that can write them are their owners.
   *
   * @default - every tier evaluated before `default` except `kube-admin`
   */
  readonly securityTiers?: string[];

  /**
   * Policies the security team relies on, named as findings name objects (`Kind name` or
   * `Kind namespace/name`, e.g. `NetworkPolicy prod/restrict-intern-access`): CC-POL-001 reports
   * every subject other than the security team (those who can write every security tier) that
   * can change or delete them, or write policies Calico evaluates before them.
   *
   * @default - none: CC-POL-001 looks at Calico policies with Deny rules only
   */
  readonly controls?: string[];

  /**
   * Also report the well-known system subjects: `Group:system:masters`, `Group:system:nodes`,
   * `User:system:kube-controller-manager`, `User:system:kube-scheduler`, `User:system:kube-proxy`,
   * `User:system:apiserver` and the service accounts of `kube-system` (the controllers).
   *
   * @default false
   */
  readonly includeSystemSubjects?: boolean;
}
