/**
 * Every rule of the audit, in id order: the one list the audit, the options checks and the
 * documentation read.
 */
import { RuleInfo } from './finding';
import { AuditRule } from './rule';
import { POD_LABEL_ALLOW } from './rules/label-pod-allow';
import { LABEL_SETTERS } from './rules/label-setters';
import { POD_SECURITY } from './rules/namespace-pod-security';
import { CLOUD_METADATA } from './rules/network-cloud-metadata';
import { HOST_NETWORK } from './rules/network-host-network';
import { INTERNET_EGRESS } from './rules/network-internet-egress';
import { KUBELET } from './rules/network-kubelet';
import { OVERRIDABLE_CONTROLS } from './rules/policy-overridable-controls';
import { BIND_ESCALATE } from './rules/rbac-bind-escalate';
import { BINDING_WRITE } from './rules/rbac-binding-write';
import { BROAD_GROUP_POLICY_WRITE } from './rules/rbac-broad-groups';
import { CALICO_CRD_WRITE } from './rules/rbac-calico-crd-write';
import { IMPERSONATE } from './rules/rbac-impersonate';
import { MEMBERS_BESIDE_WORKLOADS } from './rules/rbac-members-beside-workloads';
import { NAMESPACE_LABELS } from './rules/rbac-namespace-labels';
import { NODE_PROXY } from './rules/rbac-node-proxy';
import { SECRETS } from './rules/rbac-secrets';
import { SERVICE_ACCOUNT_LABELS } from './rules/rbac-service-account-labels';
import { SERVICE_ACCOUNT_TOKENS } from './rules/rbac-service-account-tokens';
import { WILDCARDS } from './rules/rbac-wildcards';
import { WORKLOAD_SERVICE_ACCOUNTS } from './rules/rbac-workload-service-accounts';

/** Every rule, in id order. */
export const RULES: readonly AuditRule[] = [
  INTERNET_EGRESS,
  CLOUD_METADATA,
  KUBELET,
  HOST_NETWORK,
  POD_SECURITY,
  OVERRIDABLE_CONTROLS,
  WORKLOAD_SERVICE_ACCOUNTS,
  SERVICE_ACCOUNT_TOKENS,
  SECRETS,
  BIND_ESCALATE,
  IMPERSONATE,
  BINDING_WRITE,
  CALICO_CRD_WRITE,
  NAMESPACE_LABELS,
  SERVICE_ACCOUNT_LABELS,
  NODE_PROXY,
  WILDCARDS,
  BROAD_GROUP_POLICY_WRITE,
  MEMBERS_BESIDE_WORKLOADS,
  POD_LABEL_ALLOW,
  LABEL_SETTERS,
].sort((a, b) => a.id.localeCompare(b.id));

/** The rule with this id, if any. */
export function ruleById(id: string): AuditRule | undefined {
  return RULES.find((r) => r.id === id);
}

/** What each rule checks (without the check), in id order. */
export function ruleInfos(): RuleInfo[] {
  return RULES.map((r) => ({ id: r.id, severity: r.severity, title: r.title, description: r.description }));
}
