/**
 * Calico resources (plural, as RBAC names them) that policy administrators manage. They exist in
 * both `projectcalico.org` and `crd.projectcalico.org`.
 */
export enum CalicoResource {
  /** Namespaced Calico network policies. */
  NETWORK_POLICIES = 'networkpolicies',
  /** Cluster-wide Calico network policies. */
  GLOBAL_NETWORK_POLICIES = 'globalnetworkpolicies',
  /** Policy tiers. */
  TIERS = 'tiers',
  /** Namespaced sets of addresses. */
  NETWORK_SETS = 'networksets',
  /** Cluster-wide sets of addresses. */
  GLOBAL_NETWORK_SETS = 'globalnetworksets',
  /** Staged (preview) namespaced network policies. */
  STAGED_NETWORK_POLICIES = 'stagednetworkpolicies',
  /** Staged (preview) global network policies. */
  STAGED_GLOBAL_NETWORK_POLICIES = 'stagedglobalnetworkpolicies',
  /** Staged (preview) Kubernetes network policies. */
  STAGED_KUBERNETES_NETWORK_POLICIES = 'stagedkubernetesnetworkpolicies',
}

/**
 * The Calico policy resources that live in a tier. Calico authorizes them through the
 * pseudo-resources `tier.<resource>` of `projectcalico.org`, named `<tier>.*` for a whole tier.
 */
export enum TieredPolicyResource {
  /** `tier.networkpolicies`. */
  NETWORK_POLICIES = 'networkpolicies',
  /** `tier.globalnetworkpolicies`. */
  GLOBAL_NETWORK_POLICIES = 'globalnetworkpolicies',
  /** `tier.stagednetworkpolicies`. */
  STAGED_NETWORK_POLICIES = 'stagednetworkpolicies',
  /** `tier.stagedglobalnetworkpolicies`. */
  STAGED_GLOBAL_NETWORK_POLICIES = 'stagedglobalnetworkpolicies',
}
