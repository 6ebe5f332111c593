export { NetworkModel, FlowQuery, CheckOptions, FlowVerdict, EndpointInfo, NetworkModelOptions } from './network-model';
export { Decision, DirectionVerdict } from './network-evaluate';
export { ReachabilityMatrix, MatrixOptions, PortSpec, MatrixCell } from './network-matrix';
export { RbacModel, AccessRequest, AccessVerdict, Subject } from './rbac-model';
export { manifestsOfApp, manifestsOfChart } from './manifests';
