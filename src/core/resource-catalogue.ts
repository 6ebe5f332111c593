/**
 * The one catalogue of Kubernetes API resources this package knows: kind ↔ API group ↔
 * resource (plural, as RBAC names it) ↔ scope, with the subresources RBAC rules name.
 *
 * It holds every built-in resource of Kubernetes 1.34, Calico v3.32.1's `projectcalico.org`
 * resources (the Calico API server, or Calico's native v3 CRDs) and `crd.projectcalico.org`
 * resources (Calico's v1 CRDs), the `tier.<resource>` pseudo-resources Calico's tier
 * authorization checks, and the `policy.networking.k8s.io` resources of the Kubernetes
 * network-policy-api project. Pure data and lookups (imports only core constants).
 */
import { CALICO_API_GROUP, CALICO_CRD_API_GROUP } from './calico';

/** The core API group (`apiVersion: v1`). */
export const CORE_GROUP = '';
/** The API group of Kubernetes RBAC objects. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** The API group of Kubernetes NetworkPolicies. */
export const NETWORKING_GROUP = 'networking.k8s.io';
/** The API group of the Calico v3 API (the Calico API server, or Calico's native v3 CRDs). */
export const CALICO_GROUP = CALICO_API_GROUP;
/** The API group of Calico's v1 CRDs (what `calicoctl` uses in Kubernetes-datastore mode). */
export const CALICO_CRD_GROUP = CALICO_CRD_API_GROUP;
/** The API group of the Kubernetes network-policy-api project (ClusterNetworkPolicy, AdminNetworkPolicy). */
export const POLICY_NETWORKING_GROUP = 'policy.networking.k8s.io';
/** Prefix of Calico's tier-authorization pseudo-resources, e.g. `tier.networkpolicies`. */
export const TIER_RESOURCE_PREFIX = 'tier.';

/** One API resource. */
export interface CatalogueResource {
  /** The API group; `''` for the core group. */
  readonly group: string;
  /** The served versions, preferred first. */
  readonly versions: readonly string[];
  /** The kind of its objects; `''` for a pseudo-resource, which has no objects. */
  readonly kind: string;
  /** The resource name (lower-case plural), as RBAC rules and URLs name it. */
  readonly resource: string;
  /** Whether its objects live in a namespace (false: cluster-scoped). */
  readonly namespaced: boolean;
  /** Its subresources, e.g. `exec` and `log` for `pods`. */
  readonly subresources: readonly string[];
  /**
   * A Calico tiered policy resource: the pseudo-resource Calico's tier authorization checks
   * for it (`tier.<resource>`).
   */
  readonly tierResource?: string;
  /** A pseudo-resource: the resource it authorizes (`networkpolicies` for `tier.networkpolicies`). */
  readonly pseudoFor?: string;
}

const NS = true;
const CLUSTER = false;

/** `[kind, resource, namespaced, subresources?, versions?]`; versions default to the group's. */
type Row = [string, string, boolean, string[]?, string[]?];

interface GroupRows {
  readonly group: string;
  readonly versions: string[];
  readonly rows: Row[];
}

/**
 * The groups in kubectl's discovery order, which decides a resource named without a group:
 * built-in groups by the API server's group priority (core first), then aggregated APIs
 * (Calico's APIService has groupPriorityMinimum 1500), then CRDs (priority 1000, by group name).
 */
const GROUPS: GroupRows[] = [
  {
    group: CORE_GROUP,
    versions: ['v1'],
    rows: [
      ['Binding', 'bindings', NS],
      ['ComponentStatus', 'componentstatuses', CLUSTER],
      ['ConfigMap', 'configmaps', NS],
      ['Endpoints', 'endpoints', NS],
      ['Event', 'events', NS],
      ['LimitRange', 'limitranges', NS],
      ['Namespace', 'namespaces', CLUSTER, ['finalize', 'status']],
      ['Node', 'nodes', CLUSTER, ['proxy', 'status']],
      ['PersistentVolumeClaim', 'persistentvolumeclaims', NS, ['status']],
      ['PersistentVolume', 'persistentvolumes', CLUSTER, ['status']],
      ['Pod', 'pods', NS, ['attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy', 'resize', 'status']],
      ['PodTemplate', 'podtemplates', NS],
      ['ReplicationController', 'replicationcontrollers', NS, ['scale', 'status']],
      ['ResourceQuota', 'resourcequotas', NS, ['status']],
      ['Secret', 'secrets', NS],
      ['ServiceAccount', 'serviceaccounts', NS, ['token']],
      ['Service', 'services', NS, ['proxy', 'status']],
    ],
  },
  {
    group: 'apps',
    versions: ['v1'],
    rows: [
      ['ControllerRevision', 'controllerrevisions', NS],
      ['DaemonSet', 'daemonsets', NS, ['status']],
      ['Deployment', 'deployments', NS, ['scale', 'status']],
      ['ReplicaSet', 'replicasets', NS, ['scale', 'status']],
      ['StatefulSet', 'statefulsets', NS, ['scale', 'status']],
    ],
  },
  { group: 'events.k8s.io', versions: ['v1'], rows: [['Event', 'events', NS]] },
  {
    group: 'authentication.k8s.io',
    versions: ['v1'],
    rows: [
      ['SelfSubjectReview', 'selfsubjectreviews', CLUSTER],
      ['TokenReview', 'tokenreviews', CLUSTER],
    ],
  },
  {
    group: 'authorization.k8s.io',
    versions: ['v1'],
    rows: [
      ['LocalSubjectAccessReview', 'localsubjectaccessreviews', NS],
      ['SelfSubjectAccessReview', 'selfsubjectaccessreviews', CLUSTER],
      ['SelfSubjectRulesReview', 'selfsubjectrulesreviews', CLUSTER],
      ['SubjectAccessReview', 'subjectaccessreviews', CLUSTER],
    ],
  },
  { group: 'autoscaling', versions: ['v2', 'v1'], rows: [['HorizontalPodAutoscaler', 'horizontalpodautoscalers', NS, ['status']]] },
  {
    group: 'batch',
    versions: ['v1'],
    rows: [
      ['CronJob', 'cronjobs', NS, ['status']],
      ['Job', 'jobs', NS, ['status']],
    ],
  },
  {
    group: 'certificates.k8s.io',
    versions: ['v1'],
    rows: [
      ['CertificateSigningRequest', 'certificatesigningrequests', CLUSTER, ['approval', 'status']],
      ['ClusterTrustBundle', 'clustertrustbundles', CLUSTER, [], ['v1beta1', 'v1alpha1']],
      ['PodCertificateRequest', 'podcertificaterequests', NS, ['status'], ['v1alpha1']],
    ],
  },
  {
    group: NETWORKING_GROUP,
    versions: ['v1'],
    rows: [
      ['IngressClass', 'ingressclasses', CLUSTER],
      ['Ingress', 'ingresses', NS, ['status']],
      ['IPAddress', 'ipaddresses', CLUSTER],
      ['NetworkPolicy', 'networkpolicies', NS],
      ['ServiceCIDR', 'servicecidrs', CLUSTER, ['status']],
    ],
  },
  { group: 'policy', versions: ['v1'], rows: [['PodDisruptionBudget', 'poddisruptionbudgets', NS, ['status']]] },
  {
    group: RBAC_GROUP,
    versions: ['v1'],
    rows: [
      ['ClusterRoleBinding', 'clusterrolebindings', CLUSTER],
      ['ClusterRole', 'clusterroles', CLUSTER],
      ['RoleBinding', 'rolebindings', NS],
      ['Role', 'roles', NS],
    ],
  },
  {
    group: 'storage.k8s.io',
    versions: ['v1'],
    rows: [
      ['CSIDriver', 'csidrivers', CLUSTER],
      ['CSINode', 'csinodes', CLUSTER],
      ['CSIStorageCapacity', 'csistoragecapacities', NS],
      ['StorageClass', 'storageclasses', CLUSTER],
      ['VolumeAttachment', 'volumeattachments', CLUSTER, ['status']],
      ['VolumeAttributesClass', 'volumeattributesclasses', CLUSTER, [], ['v1', 'v1beta1']],
    ],
  },
  { group: 'apiextensions.k8s.io', versions: ['v1'], rows: [['CustomResourceDefinition', 'customresourcedefinitions', CLUSTER, ['status']]] },
  {
    group: 'admissionregistration.k8s.io',
    versions: ['v1'],
    rows: [
      ['MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', CLUSTER],
      ['ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', CLUSTER],
      ['ValidatingAdmissionPolicy', 'validatingadmissionpolicies', CLUSTER, ['status']],
      ['ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', CLUSTER],
      ['MutatingAdmissionPolicy', 'mutatingadmissionpolicies', CLUSTER, [], ['v1beta1', 'v1alpha1']],
      ['MutatingAdmissionPolicyBinding', 'mutatingadmissionpolicybindings', CLUSTER, [], ['v1beta1', 'v1alpha1']],
    ],
  },
  { group: 'scheduling.k8s.io', versions: ['v1'], rows: [['PriorityClass', 'priorityclasses', CLUSTER]] },
  {
    group: 'coordination.k8s.io',
    versions: ['v1'],
    rows: [
      ['Lease', 'leases', NS],
      ['LeaseCandidate', 'leasecandidates', NS, [], ['v1beta1', 'v1alpha2']],
    ],
  },
  { group: 'node.k8s.io', versions: ['v1'], rows: [['RuntimeClass', 'runtimeclasses', CLUSTER]] },
  { group: 'discovery.k8s.io', versions: ['v1'], rows: [['EndpointSlice', 'endpointslices', NS]] },
  {
    group: 'flowcontrol.apiserver.k8s.io',
    versions: ['v1'],
    rows: [
      ['FlowSchema', 'flowschemas', CLUSTER, ['status']],
      ['PriorityLevelConfiguration', 'prioritylevelconfigurations', CLUSTER, ['status']],
    ],
  },
  {
    group: 'resource.k8s.io',
    versions: ['v1', 'v1beta2', 'v1beta1'],
    rows: [
      ['DeviceClass', 'deviceclasses', CLUSTER],
      ['ResourceClaim', 'resourceclaims', NS, ['status']],
      ['ResourceClaimTemplate', 'resourceclaimtemplates', NS],
      ['ResourceSlice', 'resourceslices', CLUSTER],
      ['DeviceTaintRule', 'devicetaintrules', CLUSTER, [], ['v1alpha3']],
    ],
  },
  { group: 'apiregistration.k8s.io', versions: ['v1'], rows: [['APIService', 'apiservices', CLUSTER, ['status']]] },
  { group: 'internal.apiserver.k8s.io', versions: ['v1alpha1'], rows: [['StorageVersion', 'storageversions', CLUSTER, ['status']]] },
  { group: 'storagemigration.k8s.io', versions: ['v1alpha1'], rows: [['StorageVersionMigration', 'storageversionmigrations', CLUSTER, ['status']]] },
  {
    // Calico: api/pkg/apis/projectcalico/v3/register.go, api/config/crd/projectcalico.org_*.yaml and
    // apiserver/pkg/registry/projectcalico/rest/storage_calico.go (profiles are served by the API server only).
    group: CALICO_GROUP,
    versions: ['v3'],
    rows: [
      ['BGPConfiguration', 'bgpconfigurations', CLUSTER],
      ['BGPFilter', 'bgpfilters', CLUSTER],
      ['BGPPeer', 'bgppeers', CLUSTER],
      ['BlockAffinity', 'blockaffinities', CLUSTER],
      ['CalicoNodeStatus', 'caliconodestatuses', CLUSTER],
      ['ClusterInformation', 'clusterinformations', CLUSTER],
      ['FelixConfiguration', 'felixconfigurations', CLUSTER],
      ['GlobalNetworkPolicy', 'globalnetworkpolicies', CLUSTER],
      ['GlobalNetworkSet', 'globalnetworksets', CLUSTER],
      ['HostEndpoint', 'hostendpoints', CLUSTER],
      ['IPAMBlock', 'ipamblocks', CLUSTER],
      ['IPAMConfiguration', 'ipamconfigurations', CLUSTER],
      ['IPAMHandle', 'ipamhandles', CLUSTER],
      ['IPPool', 'ippools', CLUSTER, ['status']],
      ['IPReservation', 'ipreservations', CLUSTER],
      ['KubeControllersConfiguration', 'kubecontrollersconfigurations', CLUSTER, ['status']],
      ['NetworkPolicy', 'networkpolicies', NS],
      ['NetworkSet', 'networksets', NS],
      ['Profile', 'profiles', CLUSTER],
      ['StagedGlobalNetworkPolicy', 'stagedglobalnetworkpolicies', CLUSTER],
      ['StagedKubernetesNetworkPolicy', 'stagedkubernetesnetworkpolicies', NS],
      ['StagedNetworkPolicy', 'stagednetworkpolicies', NS],
      ['Tier', 'tiers', CLUSTER, ['status']],
      // Calico: apiserver/pkg/registry/projectcalico/authorizer/authorizer.go AuthorizeTierOperation
      // checks "tier." + resource, in the request's namespace (none for global policies).
      ['', 'tier.networkpolicies', NS],
      ['', 'tier.globalnetworkpolicies', CLUSTER],
      ['', 'tier.stagednetworkpolicies', NS],
      ['', 'tier.stagedglobalnetworkpolicies', CLUSTER],
    ],
  },
  {
    // Calico: libcalico-go/config/crd/crd.projectcalico.org_*.yaml
    group: CALICO_CRD_GROUP,
    versions: ['v1'],
    rows: [
      ['BGPConfiguration', 'bgpconfigurations', CLUSTER],
      ['BGPFilter', 'bgpfilters', CLUSTER],
      ['BGPPeer', 'bgppeers', CLUSTER],
      ['BlockAffinity', 'blockaffinities', CLUSTER],
      ['CalicoNodeStatus', 'caliconodestatuses', CLUSTER],
      ['ClusterInformation', 'clusterinformations', CLUSTER],
      ['FelixConfiguration', 'felixconfigurations', CLUSTER],
      ['GlobalNetworkPolicy', 'globalnetworkpolicies', CLUSTER],
      ['GlobalNetworkSet', 'globalnetworksets', CLUSTER],
      ['HostEndpoint', 'hostendpoints', CLUSTER],
      ['IPAMBlock', 'ipamblocks', CLUSTER],
      ['IPAMConfig', 'ipamconfigs', CLUSTER],
      ['IPAMHandle', 'ipamhandles', CLUSTER],
      ['IPPool', 'ippools', CLUSTER],
      ['IPReservation', 'ipreservations', CLUSTER],
      ['KubeControllersConfiguration', 'kubecontrollersconfigurations', CLUSTER, ['status']],
      ['NetworkPolicy', 'networkpolicies', NS],
      ['NetworkSet', 'networksets', NS],
      ['StagedGlobalNetworkPolicy', 'stagedglobalnetworkpolicies', CLUSTER],
      ['StagedKubernetesNetworkPolicy', 'stagedkubernetesnetworkpolicies', NS],
      ['StagedNetworkPolicy', 'stagednetworkpolicies', NS],
      ['Tier', 'tiers', CLUSTER],
    ],
  },
  {
    // network-policy-api v0.2.0 (ClusterNetworkPolicy v1alpha2) and v0.1.x (AdminNetworkPolicy,
    // BaselineAdminNetworkPolicy v1alpha1).
    group: POLICY_NETWORKING_GROUP,
    versions: ['v1alpha2'],
    rows: [
      ['ClusterNetworkPolicy', 'clusternetworkpolicies', CLUSTER, ['status']],
      ['AdminNetworkPolicy', 'adminnetworkpolicies', CLUSTER, ['status'], ['v1alpha1']],
      ['BaselineAdminNetworkPolicy', 'baselineadminnetworkpolicies', CLUSTER, ['status'], ['v1alpha1']],
    ],
  },
];

/** Every resource of the catalogue, in kubectl's discovery order. */
export const CATALOGUE: readonly CatalogueResource[] = Object.freeze(GROUPS.flatMap(({ group, versions, rows }) =>
  rows.map(([kind, resource, namespaced, subresources, ownVersions]): CatalogueResource => {
    const pseudoFor = resource.startsWith(TIER_RESOURCE_PREFIX) ? resource.slice(TIER_RESOURCE_PREFIX.length) : undefined;
    const tiered = group === CALICO_GROUP && rows.some((row) => row[1] === `${TIER_RESOURCE_PREFIX}${resource}`);
    return Object.freeze({
      group,
      versions: Object.freeze([...(ownVersions ?? versions)]),
      kind,
      resource,
      namespaced,
      subresources: Object.freeze([...(subresources ?? [])]),
      ...(tiered ? { tierResource: `${TIER_RESOURCE_PREFIX}${resource}` } : {}),
      ...(pseudoFor !== undefined ? { pseudoFor } : {}),
    });
  })));

const BY_RESOURCE = new Map<string, CatalogueResource>(CATALOGUE.map((entry) => [`${entry.group}/${entry.resource}`, entry]));
const BY_KIND = new Map<string, CatalogueResource>(CATALOGUE.filter((entry) => entry.kind !== '').map((entry) => [`${entry.group}/${entry.kind}`, entry]));
const BARE = new Map<string, CatalogueResource>();
for (const entry of CATALOGUE) {
  if (entry.pseudoFor === undefined && !BARE.has(entry.resource)) BARE.set(entry.resource, entry);
}

/** The resource `resource` (plain, without subresource) of `group`, if the catalogue has it. */
export function findResource(group: string, resource: string): CatalogueResource | undefined {
  return BY_RESOURCE.get(`${group}/${resource}`);
}

/** The resource whose objects are of `kind` in `group`, if the catalogue has it. */
export function findKind(group: string, kind: string): CatalogueResource | undefined {
  return BY_KIND.get(`${group}/${kind}`);
}

/** Every resource of `group`, in catalogue order (empty for an unknown group). */
export function resourcesOfGroup(group: string): CatalogueResource[] {
  return CATALOGUE.filter((entry) => entry.group === group);
}

/**
 * The API group and version of an `apiVersion` (`v1` → core group), or undefined when it is
 * not of the form `<version>` or `<group>/<version>`.
 */
export function parseApiVersion(apiVersion: string): { readonly group: string; readonly version: string } | undefined {
  const parts = apiVersion.split('/');
  if (parts.length === 1 && parts[0] !== '') return { group: CORE_GROUP, version: parts[0] };
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { group: parts[0], version: parts[1] };
  return undefined;
}

/**
 * Whether `resource` of `group` is cluster-scoped: true or false for a catalogued resource,
 * undefined for one the catalogue does not know (e.g. a custom resource). A subresource
 * (`nodes/proxy`) has the scope of its resource.
 */
export function isClusterScopedResource(group: string, resource: string): boolean | undefined {
  const entry = findResource(group, resource.split('/')[0]);
  return entry === undefined ? undefined : !entry.namespaced;
}

/**
 * Whether objects of `kind` with `apiVersion` are cluster-scoped: true or false for a
 * catalogued kind (of any version of its group), undefined for one the catalogue does not know.
 */
export function isClusterScopedKind(apiVersion: string, kind: string): boolean | undefined {
  const parsed = parseApiVersion(apiVersion);
  const entry = parsed === undefined ? undefined : findKind(parsed.group, kind);
  return entry === undefined ? undefined : !entry.namespaced;
}

/**
 * The resource kubectl picks for a name given without a group (`networkpolicies` →
 * `networking.k8s.io`, `events` → core, `globalnetworkpolicies` → `projectcalico.org`): the
 * first in discovery order. Pseudo-resources are never picked.
 */
export function resolveBareResource(resource: string): CatalogueResource | undefined {
  return BARE.get(resource);
}

/** The Calico resources whose objects live in a tier and need tier authorization. */
export function tieredPolicyResources(): CatalogueResource[] {
  return CATALOGUE.filter((entry) => entry.tierResource !== undefined);
}

/** Whether `resource` of `group` is a Calico tiered policy resource (e.g. `projectcalico.org` `networkpolicies`). */
export function isTieredPolicyResource(group: string, resource: string): boolean {
  return findResource(group, resource)?.tierResource !== undefined;
}

/**
 * The kinds whose objects carry a pod template (the pod controllers), with the API groups that
 * serve them (`extensions` for the old manifests some clusters still accept). Whoever can create
 * or change one of them in a namespace runs pods there.
 */
// Kubernetes: pkg/controller (deployment, daemon, statefulset, replicaset, job, cronjob, replication)
export const POD_TEMPLATE_KINDS: { readonly [kind: string]: readonly string[] } = Object.freeze({
  Deployment: Object.freeze(['apps', 'extensions']),
  StatefulSet: Object.freeze(['apps']),
  DaemonSet: Object.freeze(['apps', 'extensions']),
  ReplicaSet: Object.freeze(['apps', 'extensions']),
  Job: Object.freeze(['batch']),
  CronJob: Object.freeze(['batch']),
  ReplicationController: Object.freeze([CORE_GROUP]),
});

/** The catalogued resources of the pod controllers ({@link POD_TEMPLATE_KINDS}), in catalogue order. */
export function podControllerResources(): CatalogueResource[] {
  return CATALOGUE.filter((entry) => entry.kind !== '' && (POD_TEMPLATE_KINDS[entry.kind] ?? []).includes(entry.group));
}
