/** Who may reach the pods of a team namespace, before the team's own rules. */
export enum NamespaceIsolation {
  /**
   * Only pods of the same namespace may connect (plus what the baseline policies allow, such as
   * the metrics collector, and what the team opens with `allowIngressFrom` / `exposeService`).
   */
  CLOSED = 'closed',
  /** Anyone may connect, from any namespace or outside the cluster. */
  OPEN = 'open',
  /**
   * No namespace-wide policy: the team's own policies decide (with Kubernetes semantics, a pod
   * that no policy selects accepts everything).
   */
  NONE = 'none',
}

/** Which kind of object a team's namespace policies are written as. */
export enum TeamPolicyKind {
  /** Kubernetes NetworkPolicies (`networking.k8s.io/v1`), which Calico enforces in its `default` tier. */
  KUBERNETES = 'kubernetes',
  /** Calico NetworkPolicies (`projectcalico.org/v3`) in the `default` tier; needed for service-account peers. */
  CALICO = 'calico',
}

/** How a team's member service accounts are bound to the team's roles. */
export enum MemberBinding {
  /**
   * Bind the group `system:serviceaccounts:<namespace>`: every service account of the team
   * namespace, present and future. Only safe in a namespace that runs no workloads.
   */
  NAMESPACE_GROUP = 'namespace-group',
  /** Bind each member's service account by name. */
  MEMBER_SERVICE_ACCOUNTS = 'member-service-accounts',
}
