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

/**
 * How a team's member service accounts are bound to the team's roles. Binding by name is the
 * default of every team construct.
 */
export enum MemberBinding {
  /**
   * UNSAFE unless you mean it: bind the group `system:serviceaccounts:<members namespace>`,
   * i.e. EVERY service account of the namespace where the members live, present and future —
   * including its `default` service account and any service account someone creates there later.
   * Whoever may create service accounts, request tokens (`serviceaccounts/token`) or run pods in
   * that namespace becomes a team member. Never use it for a namespace that runs workloads.
   */
  NAMESPACE_GROUP = 'namespace-group',
  /** Bind each member's service account by name: only the listed members are team members. */
  MEMBER_SERVICE_ACCOUNTS = 'member-service-accounts',
}
