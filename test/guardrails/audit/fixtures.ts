/**
 * Minimal manifests for the audit rule tests: plain objects as they appear in YAML.
 */

/** A rule of a Role or ClusterRole. */
export interface RuleSpec {
  readonly apiGroups?: string[];
  readonly resources: string[];
  readonly verbs: string[];
  readonly resourceNames?: string[];
}

/** A binding subject: `User:alice`, `Group:devs`, `ServiceAccount:ns/name`. */
function subject(id: string): any {
  const [kind, rest] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
  if (kind === 'ServiceAccount') {
    const [ns, name] = rest.split('/');
    return { kind, name, namespace: ns };
  }
  return { kind, name: rest, apiGroup: 'rbac.authorization.k8s.io' };
}

function rules(specs: RuleSpec[]): any[] {
  return specs.map((r) => ({ apiGroups: r.apiGroups ?? [''], resources: r.resources, verbs: r.verbs, ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}) }));
}

export function namespace(name: string, labels?: { [key: string]: string }): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: labels ? { name, labels } : { name } };
}

export function serviceAccount(ns: string, name: string): any {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } };
}

export function clusterRole(name: string, ...specs: RuleSpec[]): any {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: rules(specs) };
}

export function role(ns: string, name: string, ...specs: RuleSpec[]): any {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: ns }, rules: rules(specs) };
}

export function clusterRoleBinding(name: string, roleName: string, ...subjects: string[]): any {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects: subjects.map(subject),
  };
}

export function roleBinding(ns: string, name: string, roleRef: { kind: 'Role' | 'ClusterRole'; name: string }, ...subjects: string[]): any {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects: subjects.map(subject),
  };
}

/** A ClusterRole and a ClusterRoleBinding of the same name. */
export function clusterGrant(name: string, subjects: string[], ...specs: RuleSpec[]): any[] {
  return [clusterRole(name, ...specs), clusterRoleBinding(name, name, ...subjects)];
}

/** A Role and a RoleBinding of the same name. */
export function namespaceGrant(ns: string, name: string, subjects: string[], ...specs: RuleSpec[]): any[] {
  return [role(ns, name, ...specs), roleBinding(ns, name, { kind: 'Role', name }, ...subjects)];
}

export interface PodOptions {
  readonly labels?: { [key: string]: string };
  readonly serviceAccount?: string;
  readonly hostNetwork?: boolean;
  readonly ip?: string;
}

export function pod(ns: string, name: string, options: PodOptions = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: options.labels ?? {} },
    spec: {
      serviceAccountName: options.serviceAccount,
      hostNetwork: options.hostNetwork,
      containers: [{ name: 'main', image: 'busybox' }],
    },
    ...(options.ip ? { status: { podIP: options.ip } } : {}),
  };
}

/** A Calico GlobalNetworkPolicy (spec as given). */
export function globalNetworkPolicy(name: string, spec: any): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name }, spec };
}

/** A Calico NetworkPolicy (spec as given). */
export function calicoNetworkPolicy(ns: string, name: string, spec: any): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

/**
 * A team's policy (tier default) in `ns` that lets in pods whose service account is labelled
 * `role: frontend` and pods of namespaces labelled `team: fe`: labels a label changer decides.
 */
export function labelSelectingPolicy(ns: string): any {
  return calicoNetworkPolicy(ns, 'from-frontends', {
    selector: 'all()',
    types: ['Ingress'],
    ingress: [
      { action: 'Allow', source: { serviceAccounts: { selector: "role == 'frontend'" } } },
      { action: 'Allow', source: { namespaceSelector: "team == 'fe'" } },
    ],
  });
}

/** A ResourceQuota that keeps a namespace free of pods. */
export function noPodsQuota(ns: string): any {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'no-pods', namespace: ns }, spec: { hard: { pods: '0' } } };
}

/** A Calico Tier. */
export function tier(name: string, order: number): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name }, spec: { order, defaultAction: 'Pass' } };
}

/** A Kubernetes NetworkPolicy that denies all egress of the namespace's pods (selects all, no egress rules). */
export function denyAllEgress(ns: string): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny-egress', namespace: ns },
    spec: { podSelector: {}, policyTypes: ['Egress'] },
  };
}

/**
 * Write verbs on Calico policies in a tier (the two grants Calico's tier authorization needs),
 * for namespaced and global policies unless `resources` says otherwise.
 */
export function calicoTierWriter(name: string, tierName: string, subjects: string[], resources = ['tier.networkpolicies', 'tier.globalnetworkpolicies']): any[] {
  return clusterGrant(name, subjects,
    { apiGroups: ['projectcalico.org'], resources: ['tiers'], verbs: ['get'], resourceNames: [tierName] },
    { apiGroups: ['projectcalico.org'], resources, verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'], resourceNames: [`${tierName}.*`] },
  );
}
