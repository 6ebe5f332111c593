/**
 * The permissions that matter to an attacker, each as the RBAC questions that grant it. The
 * escalation rules ask who holds one; the pod and token rules ask what a service account one
 * could run as holds. Resources come from core's resource catalogue.
 *
 * Internal module.
 */
import {
  CALICO_GROUP, CALICO_CRD_GROUP, CORE_GROUP, NETWORKING_GROUP, podControllerResources, RBAC_GROUP, resourcesOfGroup,
  tieredPolicyResources,
} from '../core';
import { Question } from './access';

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

/** The verbs that create or change objects (whoever holds one sets the object's labels). */
export const SET_VERBS: readonly string[] = ['create', 'update', 'patch'];

/** One question per verb and resource. */
export function ask(verbs: readonly string[], apiGroup: string, resources: readonly string[], extra: Partial<Question> = {}): Question[] {
  return resources.flatMap((resource) => verbs.map((verb) => ({ verb, apiGroup, resource, ...extra })));
}

/** The tiered Calico policy resources of `projectcalico.org` (networkpolicies, globalnetworkpolicies and their staged kinds). */
export const TIERED_POLICY_RESOURCES: readonly string[] = tieredPolicyResources()
  .filter((r) => r.group === CALICO_GROUP)
  .map((r) => r.resource);

/** Creating or changing pods or their controllers: running pods (with chosen labels and service account) in a namespace. */
export const POD_SET_QUESTIONS: readonly Question[] = [
  ...ask(SET_VERBS, CORE_GROUP, ['pods']),
  // Kubernetes: pkg/controller (the pod controllers create pods from their template)
  ...podControllerResources().flatMap((c) => ask(SET_VERBS, c.group, [c.resource])),
];

/** Creating or changing pods or their controllers, or exec into pods: running code as a service account of the namespace. */
export const WORKLOAD_QUESTIONS: readonly Question[] = [
  ...POD_SET_QUESTIONS,
  { verb: 'create', apiGroup: CORE_GROUP, resource: 'pods', subresource: 'exec' },
];

/** `create serviceaccounts/token`: minting a token for any service account of the scope. */
export const TOKEN_QUESTIONS: readonly Question[] = [{ verb: 'create', apiGroup: CORE_GROUP, resource: 'serviceaccounts', subresource: 'token' }];

/** Reading Secrets, service-account token Secrets among them. */
export const SECRET_QUESTIONS: readonly Question[] = ask(['get', 'list', 'watch'], CORE_GROUP, ['secrets']);

/** `bind` or `escalate` on Roles and ClusterRoles: granting or writing permissions one does not hold. */
// Kubernetes: pkg/registry/rbac/escalation_check.go BindingAuthorized, EscalationAllowed
export const BIND_ESCALATE_QUESTIONS: readonly Question[] = ask(['bind', 'escalate'], RBAC_GROUP, ['clusterroles', 'roles']);

/** `impersonate` users, groups or service accounts. */
// Kubernetes: staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go WithImpersonation
export const IMPERSONATE_QUESTIONS: readonly Question[] = ask(['impersonate'], CORE_GROUP, ['users', 'groups', 'serviceaccounts']);

/** Writing RoleBindings or ClusterRoleBindings. */
export const BINDING_WRITE_QUESTIONS: readonly Question[] = ask(SET_VERBS, RBAC_GROUP, ['clusterrolebindings', 'rolebindings']);

/**
 * Any write in `crd.projectcalico.org`, Calico's storage API, which Calico's tier authorization
 * and validation do not guard: every resource of the group (policies and tiers, but also IP
 * pools, Felix and BGP configuration).
 */
export const CRD_WRITE_QUESTIONS: readonly Question[] = ask(WRITE_VERBS, CALICO_CRD_GROUP, resourcesOfGroup(CALICO_CRD_GROUP).map((r) => r.resource));

/** Changing or creating Namespaces (their labels are what namespaceSelectors match). */
export const NAMESPACE_LABEL_QUESTIONS: readonly Question[] = ask(['update', 'patch', 'create'], CORE_GROUP, ['namespaces']);

/** Changing or creating ServiceAccounts (their labels are what serviceAccountSelectors match). */
export const SERVICE_ACCOUNT_LABEL_QUESTIONS: readonly Question[] = ask(['update', 'patch', 'create'], CORE_GROUP, ['serviceaccounts']);

/** Creating or changing Calico network sets, whose labels rule peers select like pods' (and whose own labels win over inherited ones). */
export const NETWORK_SET_QUESTIONS: readonly Question[] = [
  ...ask(SET_VERBS, CALICO_GROUP, ['networksets', 'globalnetworksets']),
  ...ask(SET_VERBS, CALICO_CRD_GROUP, ['networksets', 'globalnetworksets']),
];

/** `nodes/proxy`: the kubelet API of every node (exec into any pod). */
export const NODE_PROXY_QUESTIONS: readonly Question[] = ask(['get', 'create'], CORE_GROUP, ['nodes'], { subresource: 'proxy' });

/** Writing Calico policies of one tier (in `projectcalico.org`, where tier authorization applies). */
export function tierWriteQuestions(tier: string): Question[] {
  return ask(WRITE_VERBS, CALICO_GROUP, TIERED_POLICY_RESOURCES, { tier });
}

/** The id of the power to write Calico policies in a tier. */
export function tierWritePowerId(tier: string): string {
  return `calico-policy-write:${tier}`;
}

/**
 * The powers, for the given Calico tiers: writing network policy (Kubernetes, Calico per tier,
 * tiers, network sets, the CRD API group) and the escalation paths.
 */
export function powersFor(tiers: readonly string[]): Power[] {
  return [
    { id: 'kubernetes-network-policy-write', label: 'write Kubernetes NetworkPolicies', questions: ask(WRITE_VERBS, NETWORKING_GROUP, ['networkpolicies']) },
    ...tiers.map((tier) => ({ id: tierWritePowerId(tier), label: `write Calico policies in tier ${tier}`, questions: tierWriteQuestions(tier) })),
    { id: 'calico-tier-write', label: 'write Calico tiers', questions: ask(WRITE_VERBS, CALICO_GROUP, ['tiers']) },
    { id: 'calico-network-set-write', label: 'write Calico network sets', questions: ask(WRITE_VERBS, CALICO_GROUP, ['globalnetworksets', 'networksets']) },
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
