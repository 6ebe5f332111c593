export { NetworkModel, NetworkModelOptions, ExternalTier, FlowQuery, CheckOptions, FlowVerdict, EndpointInfo } from './network-model';
export { Decision, DirectionVerdict } from './network-evaluate';
export { TierInfo, PolicyInfo, PolicyRuleInfo, SelectorInfo, SelectorLabelKeys } from './network-policy-info';
export { ReachabilityMatrix, MatrixOptions, MatrixGranularity, PortSpec, MatrixCell } from './network-matrix';
export { RbacModel, AccessRequest, AccessVerdict, Subject, SubjectAccessRequest, SubjectAccessVerdict, GrantingRole } from './rbac/model';
export { Permission, PermissionQuery } from './rbac/permissions';
export { manifestsOfApp, manifestsOfChart } from './manifests';
