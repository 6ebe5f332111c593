/**
 * Which Calico API groups a role covers.
 *
 * `kubectl` talks to `projectcalico.org` (served by the Calico API server, or by Calico's native
 * v3 CRDs), where Calico also enforces tier authorization and validates every object. `calicoctl`
 * in Kubernetes-datastore mode writes the `crd.projectcalico.org` CRDs directly, where only plain
 * RBAC applies.
 *
 * Write access to `crd.projectcalico.org` gives away two controls: tier authorization (whoever may
 * write `crd.projectcalico.org` network policies may write them in every tier, including the
 * security team's) and Calico's validation (anything the CRD's schema admits is stored, even what
 * the Calico API server would refuse; `calicoctl` validates on the client, `kubectl` does not).
 * Choose `PROJECTCALICO_ORG` unless calicoctl users must write, and only for people trusted with
 * every tier.
 */
export enum CalicoApiGroups {
  /**
   * Both `projectcalico.org` and `crd.projectcalico.org`. The `crd.projectcalico.org` half
   * bypasses tier authorization and Calico's validation.
   */
  BOTH = 'both',
  /** Only `projectcalico.org` (kubectl, Calico API server / native v3 CRDs): tier authorization applies. The safe choice. */
  PROJECTCALICO_ORG = 'projectcalico.org',
  /**
   * Only `crd.projectcalico.org` (calicoctl in Kubernetes-datastore mode). Bypasses tier
   * authorization and Calico's validation.
   */
  CRD_PROJECTCALICO_ORG = 'crd.projectcalico.org',
}
