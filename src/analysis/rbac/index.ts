/**
 * The offline RBAC model (Kubernetes RBAC plus Calico tier authorization), one concern per file.
 * `RbacModel` and its request/verdict types are public (re-exported by `src/analysis`); the
 * rest is internal to the package.
 */
export * from './aggregation';
export * from './authorizer';
export * from './calico-tiers';
export * from './identity';
export * from './kinds';
export * from './model';
export * from './objects';
export * from './rules';
