/**
 * The audit rule pack ("guardrails"): cdk-nag-style rules over plain manifests, a chart or an
 * app, proven with the offline network and RBAC models, and a cdk8s integration that fails
 * synthesis on findings.
 */
export { Severity } from './severity';
export { Finding, Suppression, RuleInfo } from './finding';
export { AuditOptions } from './options';
export { Audit, audit, auditApp, auditChart } from './audit';
export { Guardrails, GuardrailsCheckOptions } from './guardrails';
