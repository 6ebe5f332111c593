export { NetworkModel, NetworkModelOptions, ExternalTier, FlowQuery, CheckOptions, FlowVerdict, EndpointInfo } from './network-model';
export { Decision, DirectionVerdict } from './network-evaluate';
export { ReachabilityMatrix, MatrixOptions, MatrixGranularity, PortSpec, MatrixCell } from './network-matrix';
export { RbacModel, AccessRequest, AccessVerdict, Subject } from './rbac/model';
export { manifestsOfApp, manifestsOfChart } from './manifests';
