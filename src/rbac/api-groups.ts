/**
 * Which Calico API groups a role covers.
 *
 * `kubectl` talks to `projectcalico.org` (served by the Calico API server, or by Calico's native
 * v3 CRDs), where Calico also enforces tier authorization. `calicoctl` in Kubernetes-datastore mode
 * writes the `crd.projectcalico.org` CRDs directly, where only plain RBAC applies.
 */
export enum CalicoApiGroups {
  /** Both `projectcalico.org` and `crd.projectcalico.org`. */
  BOTH = 'both',
  /** Only `projectcalico.org` (kubectl, Calico API server / native v3 CRDs). */
  PROJECTCALICO_ORG = 'projectcalico.org',
  /** Only `crd.projectcalico.org` (calicoctl in Kubernetes-datastore mode). */
  CRD_PROJECTCALICO_ORG = 'crd.projectcalico.org',
}
