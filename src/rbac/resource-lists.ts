/**
 * Lists of Calico resources.
 *
 * This module is internal: it is not re-exported by the `rbac` barrel.
 */
import { CalicoResource, TieredPolicyResource } from './calico-resources';

/** Every `CalicoResource`, in declaration order. */
export const ALL_CALICO_RESOURCES: readonly CalicoResource[] = Object.values(CalicoResource);

/** Every `TieredPolicyResource`, in declaration order. */
export const ALL_TIERED_POLICY_RESOURCES: readonly TieredPolicyResource[] = Object.values(TieredPolicyResource);
