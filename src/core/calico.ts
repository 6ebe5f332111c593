/**
 * Calico facts used by the constructs and by the models alike: API groups, built-in tiers and
 * their orders, the labels Calico adds to workload endpoints, and the order Calico gives
 * Kubernetes NetworkPolicies.
 *
 * Internal module: not part of the jsii API.
 */

/** The Calico v3 API group served by Calico's API server (tier authorization, validation). */
export const CALICO_API_GROUP = 'projectcalico.org';

/** The API group of Calico's CRD storage (no tier authorization, no validation by the API server). */
export const CALICO_CRD_API_GROUP = 'crd.projectcalico.org';

/** Both Calico API groups. */
export const CALICO_API_GROUPS: readonly string[] = [CALICO_API_GROUP, CALICO_CRD_API_GROUP];

/** The name of Calico's default tier. */
// Calico: libcalico-go/lib/names/policy.go DefaultTierName
export const DEFAULT_TIER = 'default';

/** The tier Calico creates for `Admin` ClusterNetworkPolicies (and AdminNetworkPolicy). */
// Calico: libcalico-go/lib/names/policy.go KubeAdminTierName
export const KUBE_ADMIN_TIER = 'kube-admin';

/** The tier Calico creates for `Baseline` ClusterNetworkPolicies (and BaselineAdminNetworkPolicy). */
// Calico: libcalico-go/lib/names/policy.go KubeBaselineTierName
export const KUBE_BASELINE_TIER = 'kube-baseline';

/** The order of the default tier; Calico refuses any other. */
// Calico: api/pkg/apis/projectcalico/v3/tier.go DefaultTierOrder
export const DEFAULT_TIER_ORDER = 1_000_000;

/** The order of the kube-admin tier; Calico refuses any other. */
// Calico: api/pkg/apis/projectcalico/v3/tier.go KubeAdminTierOrder
export const KUBE_ADMIN_TIER_ORDER = 1_000;

/** The order of the kube-baseline tier; Calico refuses any other. */
// Calico: api/pkg/apis/projectcalico/v3/tier.go KubeBaselineTierOrder
export const KUBE_BASELINE_TIER_ORDER = 10_000_000;

/** A tier that Calico always creates. */
export interface BuiltInTier {
  /** The tier name. */
  readonly name: string;
  /** Its fixed order. */
  readonly order: number;
  /** What happens at its end to traffic that no policy decided. */
  readonly defaultAction: 'Deny' | 'Pass';
}

/** The tiers Calico always creates, with their fixed orders and default actions. */
// Calico: libcalico-go/lib/clientv3/client.go EnsureInitialized (default: Deny; kube-admin and kube-baseline: Pass)
export const BUILT_IN_TIERS: readonly BuiltInTier[] = [
  { name: KUBE_ADMIN_TIER, order: KUBE_ADMIN_TIER_ORDER, defaultAction: 'Pass' },
  { name: DEFAULT_TIER, order: DEFAULT_TIER_ORDER, defaultAction: 'Deny' },
  { name: KUBE_BASELINE_TIER, order: KUBE_BASELINE_TIER_ORDER, defaultAction: 'Pass' },
];

/** The built-in tier of this name, if any. */
export function builtInTier(name: string): BuiltInTier | undefined {
  return BUILT_IN_TIERS.find((t) => t.name === name);
}

/** The order Calico gives every Kubernetes NetworkPolicy (in the default tier). */
// Calico: libcalico-go/lib/backend/k8s/conversion/conversion.go K8sNetworkPolicyToCalico
export const K8S_NETWORK_POLICY_ORDER = 1000;

/** Label Calico puts on every workload endpoint: the endpoint's namespace. */
export const LABEL_NAMESPACE = 'projectcalico.org/namespace';

/** Label Calico puts on every workload endpoint: its orchestrator (`k8s`). */
export const LABEL_ORCHESTRATOR = 'projectcalico.org/orchestrator';

/** Label Calico puts on a workload endpoint: its pod's service account (only when the name fits a label value). */
export const LABEL_SERVICE_ACCOUNT = 'projectcalico.org/serviceaccount';

/**
 * The value of the `projectcalico.org/serviceaccount` label Calico puts on a pod's workload
 * endpoint, or `undefined` when it puts none: only a non-empty name shorter than 63 characters
 * gets the label (a label value holds at most 63). The service account's profile labels
 * (`pcsa.*`, with `pcsa.projectcalico.org/name`) apply whatever the length.
 */
// Calico: libcalico-go/lib/backend/k8s/conversion/workload_endpoint_default.go podToDefaultWorkloadEndpoint
// (`pod.Spec.ServiceAccountName != "" && len(pod.Spec.ServiceAccountName) < 63`)
export function serviceAccountLabelValue(serviceAccountName: string): string | undefined {
  return serviceAccountName !== '' && serviceAccountName.length < 63 ? serviceAccountName : undefined;
}

/** Label Calico puts on namespaces and service accounts (as profile labels): their name. */
export const LABEL_NAME = 'projectcalico.org/name';

/** Label Kubernetes puts on every namespace: its name. */
export const LABEL_K8S_NAMESPACE_NAME = 'kubernetes.io/metadata.name';

/** Prefix of namespace labels copied onto workload endpoints (namespace profile labels). */
// Calico: libcalico-go/lib/backend/k8s/conversion/constants.go NamespaceLabelPrefix
export const NAMESPACE_LABEL_PREFIX = 'pcns.';

/** Prefix of service-account labels copied onto workload endpoints. */
// Calico: libcalico-go/lib/backend/k8s/conversion/constants.go ServiceAccountLabelPrefix
export const SERVICE_ACCOUNT_LABEL_PREFIX = 'pcsa.';

/** The orchestrator value of Kubernetes workload endpoints. */
export const ORCHESTRATOR_K8S = 'k8s';
