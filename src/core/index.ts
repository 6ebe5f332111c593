/**
 * Pure facts and checks shared by every layer (errors, names, CIDRs, protocols, ports, Calico
 * constants, rule validation, resource catalogue, ClusterNetworkPolicy facts). Nothing here depends on another folder of the
 * package, on cdk8s or on constructs.
 *
 * Internal: not re-exported by the package's entry point.
 */
export * from './errors';
export * from './names';
export * from './cidr';
export * from './protocol';
export * from './ports';
export * from './calico';
export * from './rule-validation';
export * from './suggest';
export * from './resource-catalogue';
export * from './pod-security';
export * from './cluster-network-policy';
