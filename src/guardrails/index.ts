/**
 * The audit rule pack ("guardrails"): cdk-nag-style rules over plain manifests, a chart or an
 * app, proven with the offline network and RBAC models, and a cdk8s integration that fails
 * synthesis on findings.
 */
export * from './severity';
export * from './finding';
export * from './options';
export * from './label-authority';
export * from './audit';
export * from './guardrails';
