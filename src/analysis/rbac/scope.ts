/**
 * Which resources are cluster-scoped. The API server never puts a namespace on a request for a
 * cluster-scoped resource, so a RoleBinding (which grants only in its namespace) can never grant
 * one; the model drops a namespace given with such a request instead of letting a namespaced
 * grant answer for a cluster-wide object.
 */

/** `<apiGroup>/<resource>` of the well-known cluster-scoped resources (core group: `/<resource>`). */
const CLUSTER_SCOPED = new Set<string>([
  // core
  '/namespaces', '/nodes', '/persistentvolumes', '/componentstatuses',
  // Kubernetes API groups
  'rbac.authorization.k8s.io/clusterroles',
  'rbac.authorization.k8s.io/clusterrolebindings',
  'apiextensions.k8s.io/customresourcedefinitions',
  'apiregistration.k8s.io/apiservices',
  'storage.k8s.io/storageclasses',
  'storage.k8s.io/csidrivers',
  'storage.k8s.io/csinodes',
  'storage.k8s.io/volumeattachments',
  'scheduling.k8s.io/priorityclasses',
  'node.k8s.io/runtimeclasses',
  'networking.k8s.io/ingressclasses',
  'admissionregistration.k8s.io/mutatingwebhookconfigurations',
  'admissionregistration.k8s.io/validatingwebhookconfigurations',
  'certificates.k8s.io/certificatesigningrequests',
  'policy/podsecuritypolicies',
  // Calico (both the v3 API and the CRD storage API)
  ...['projectcalico.org', 'crd.projectcalico.org'].flatMap((group) => [
    'globalnetworkpolicies', 'stagedglobalnetworkpolicies', 'tiers', 'globalnetworksets',
    'hostendpoints', 'felixconfigurations', 'bgpconfigurations', 'bgppeers', 'ippools',
    'ipreservations', 'kubecontrollersconfigurations', 'clusterinformations', 'bgpfilters',
  ].map((resource) => `${group}/${resource}`)),
  'projectcalico.org/tier.globalnetworkpolicies',
  'projectcalico.org/tier.stagedglobalnetworkpolicies',
]);

/** Whether `resource` of `apiGroup` is a well-known cluster-scoped resource. */
export function isClusterScoped(apiGroup: string, resource: string): boolean {
  return CLUSTER_SCOPED.has(`${apiGroup}/${resource}`);
}
