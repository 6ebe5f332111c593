/**
 * The API group of a resource named without one (`networkpolicies`, `pods`), as kubectl resolves
 * it against a cluster's discovery: built-in groups first, so `networkpolicies` is
 * `networking.k8s.io`, not Calico's `projectcalico.org`. Offline there is no discovery, so the
 * well-known resources are listed here; any other name must carry its group.
 */
const GROUP_OF: { readonly [resource: string]: string } = {
  ...fromList('', [
    'bindings', 'componentstatuses', 'configmaps', 'endpoints', 'events', 'limitranges', 'namespaces',
    'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'pods', 'podtemplates',
    'replicationcontrollers', 'resourcequotas', 'secrets', 'serviceaccounts', 'services', '*',
  ]),
  ...fromList('apps', ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets']),
  ...fromList('batch', ['cronjobs', 'jobs']),
  ...fromList('autoscaling', ['horizontalpodautoscalers']),
  ...fromList('policy', ['poddisruptionbudgets']),
  ...fromList('discovery.k8s.io', ['endpointslices']),
  ...fromList('networking.k8s.io', ['networkpolicies', 'ingresses', 'ingressclasses']),
  ...fromList('rbac.authorization.k8s.io', ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings']),
  ...fromList('apiextensions.k8s.io', ['customresourcedefinitions']),
  ...fromList('projectcalico.org', [
    'globalnetworkpolicies', 'globalnetworksets', 'networksets', 'tiers', 'stagednetworkpolicies',
    'stagedglobalnetworkpolicies', 'stagedkubernetesnetworkpolicies', 'hostendpoints', 'ippools',
    'felixconfigurations', 'bgpconfigurations', 'bgppeers', 'clusterinformations',
  ]),
};

function fromList(group: string, resources: string[]): { [resource: string]: string } {
  return Object.fromEntries(resources.map((resource) => [resource, group]));
}

/** The API group kubectl would pick for a resource named without a group, or undefined if unknown. */
export function groupOfBareResource(resource: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(GROUP_OF, resource) ? GROUP_OF[resource] : undefined;
}
