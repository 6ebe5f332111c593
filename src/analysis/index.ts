export { NetworkModel, NetworkModelOptions, ExternalTier, FlowQuery, CheckOptions, FlowVerdict, EndpointInfo } from './network-model';
export { Decision, DirectionVerdict } from './network-evaluate';
export { ReachabilityMatrix, MatrixOptions, PortSpec, MatrixCell } from './network-matrix';
export { RbacModel, AccessRequest, AccessVerdict, Subject } from './rbac/model';
export { Permission, PermissionQuery } from './rbac/permissions';
export { manifestsOfApp, manifestsOfChart } from './manifests';
