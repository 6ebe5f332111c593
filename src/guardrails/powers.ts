/**
 * The permissions that matter to an attacker, each as the RBAC questions that grant it. The
 * escalation rules ask who holds one; the pod and token rules ask what a service account one
 * could run as holds.
 *
 * Internal module.
 */
import { CALICO_API_GROUP, CALICO_CRD_API_GROUP } from '../core';
import { Question } from './access';
import { RBAC_API_GROUP } from './manifests';

/** A permission that matters: any of its questions grants it. */
export interface Power {
  /** A stable id, e.g. `secrets-read`. */
  readonly id: string;
  /** What it lets one do, e.g. `read Secrets (service-account tokens among them)`. */
  readonly label: string;
  /** The RBAC questions; any one allowed grants the power. */
  readonly questions: readonly Question[];
}

/** The verbs that change objects. */
export const WRITE_VERBS: readonly string[] = ['create', 'update', 'patch', 'delete'];

function ask(verbs: readonly string[], apiGroup: string, resources: readonly string[], extra: Partial<Question> = {}): Question[] {
  return resources.flatMap((resource) => verbs.map((verb) => ({ verb, apiGroup, resource, ...extra })));
}

/** The controllers that create pods from a template, by API group. */
// Kubernetes: pkg/controller (deployment, daemon, statefulset, replicaset, job, cronjob, replication)
export const POD_CONTROLLERS: readonly { readonly apiGroup: string; readonly resource: string }[] = [
  { apiGroup: 'apps', resource: 'deployments' },
  { apiGroup: 'apps', resource: 'daemonsets' },
  { apiGroup: 'apps', resource: 'statefulsets' },
  { apiGroup: 'apps', resource: 'replicasets' },
  { apiGroup: 'batch', resource: 'jobs' },
  { apiGroup: 'batch', resource: 'cronjobs' },
  { apiGroup: '', resource: 'replicationcontrollers' },
];

/** Creating or changing pods or their controllers, or exec into pods: running code as a service account of the namespace. */
export const WORKLOAD_QUESTIONS: readonly Question[] = [
  ...ask(['create', 'update', 'patch'], '', ['pods']),
  ...POD_CONTROLLERS.flatMap((c) => ask(['create', 'update', 'patch'], c.apiGroup, [c.resource])),
  { verb: 'create', apiGroup: '', resource: 'pods', subresource: 'exec' },
];

/** `create serviceaccounts/token`: minting a token for any service account of the scope. */
export const TOKEN_QUESTIONS: readonly Question[] = [{ verb: 'create', apiGroup: '', resource: 'serviceaccounts', subresource: 'token' }];

/** Reading Secrets, service-account token Secrets among them. */
export const SECRET_QUESTIONS: readonly Question[] = ask(['get', 'list', 'watch'], '', ['secrets']);

/** `bind` or `escalate` on Roles and ClusterRoles: granting or writing permissions one does not hold. */
// Kubernetes: pkg/registry/rbac/escalation_check.go BindingAuthorized, EscalationAllowed
export const BIND_ESCALATE_QUESTIONS: readonly Question[] = ask(['bind', 'escalate'], RBAC_API_GROUP, ['clusterroles', 'roles']);

/** `impersonate` users, groups or service accounts. */
// Kubernetes: staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go WithImpersonation
export const IMPERSONATE_QUESTIONS: readonly Question[] = ask(['impersonate'], '', ['users', 'groups', 'serviceaccounts']);

/** Writing RoleBindings or ClusterRoleBindings. */
export const BINDING_WRITE_QUESTIONS: readonly Question[] = ask(['create', 'update', 'patch'], RBAC_API_GROUP, ['clusterrolebindings', 'rolebindings']);

/** The Calico resources that hold policy, in both API groups. */
export const CALICO_POLICY_RESOURCES: readonly string[] = [
  'globalnetworkpolicies', 'networkpolicies', 'stagedglobalnetworkpolicies', 'stagednetworkpolicies',
  'stagedkubernetesnetworkpolicies', 'tiers', 'globalnetworksets', 'networksets',
];

/** Any write in `crd.projectcalico.org`, the storage API that Calico's tier authorization and validation do not guard. */
export const CRD_WRITE_QUESTIONS: readonly Question[] = ask(WRITE_VERBS, CALICO_CRD_API_GROUP, CALICO_POLICY_RESOURCES);

/** Changing Namespaces (their labels are what namespaceSelectors match). */
export const NAMESPACE_LABEL_QUESTIONS: readonly Question[] = ask(['update', 'patch'], '', ['namespaces']);

/** Changing ServiceAccounts (their labels are what serviceAccountSelectors match). */
export const SERVICE_ACCOUNT_LABEL_QUESTIONS: readonly Question[] = ask(['update', 'patch'], '', ['serviceaccounts']);

/** `nodes/proxy`: the kubelet API of every node (exec into any pod). */
export const NODE_PROXY_QUESTIONS: readonly Question[] = ask(['get', 'create'], '', ['nodes'], { subresource: 'proxy' });

/**
 * The powers, for the given Calico tiers: writing network policy (Kubernetes, Calico per tier,
 * tiers, network sets, the CRD API group) and the escalation paths.
 */
export function powersFor(tiers: readonly string[]): Power[] {
  return [
    { id: 'kubernetes-network-policy-write', label: 'write Kubernetes NetworkPolicies', questions: ask(WRITE_VERBS, 'networking.k8s.io', ['networkpolicies']) },
    ...tiers.map((tier) => ({
      id: `calico-policy-write:${tier}`,
      label: `write Calico policies in tier ${tier}`,
      questions: ask(WRITE_VERBS, CALICO_API_GROUP, ['globalnetworkpolicies', 'networkpolicies', 'stagedglobalnetworkpolicies', 'stagednetworkpolicies'], { tier }),
    })),
    { id: 'calico-tier-write', label: 'write Calico tiers', questions: ask(WRITE_VERBS, CALICO_API_GROUP, ['tiers']) },
    { id: 'calico-network-set-write', label: 'write Calico network sets', questions: ask(WRITE_VERBS, CALICO_API_GROUP, ['globalnetworksets', 'networksets']) },
    { id: 'calico-crd-write', label: 'write crd.projectcalico.org objects (no tier authorization, no validation)', questions: CRD_WRITE_QUESTIONS },
    { id: 'workloads', label: 'create or change pods and pod controllers', questions: WORKLOAD_QUESTIONS },
    { id: 'serviceaccount-token', label: 'create service-account tokens', questions: TOKEN_QUESTIONS },
    { id: 'secrets-read', label: 'read Secrets', questions: SECRET_QUESTIONS },
    { id: 'rbac-bind-escalate', label: 'bind or escalate roles', questions: BIND_ESCALATE_QUESTIONS },
    { id: 'impersonate', label: 'impersonate users, groups or service accounts', questions: IMPERSONATE_QUESTIONS },
    { id: 'rbac-binding-write', label: 'write role bindings', questions: BINDING_WRITE_QUESTIONS },
    { id: 'namespace-label', label: 'change namespace labels', questions: NAMESPACE_LABEL_QUESTIONS },
    { id: 'serviceaccount-label', label: 'change service-account labels', questions: SERVICE_ACCOUNT_LABEL_QUESTIONS },
    { id: 'node-proxy', label: 'use the kubelet API (nodes/proxy)', questions: NODE_PROXY_QUESTIONS },
  ];
}

/** Whether a power is about writing network policy (as opposed to an escalation path). */
export function isPolicyPower(power: Power): boolean {
  return power.id.startsWith('calico-') || power.id === 'kubernetes-network-policy-write';
}
