export * as calico from './imports';
export * as networkPolicyApi from './imports/network-policy-api';
export * from './selector';
export * from './policy';
export * from './analysis';
export * from './rbac';
export * from './teams';
export * from './guardrails';
