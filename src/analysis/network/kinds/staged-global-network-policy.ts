/**
 * Calico `StagedGlobalNetworkPolicy`: a GlobalNetworkPolicy that does not enforce; with staged
 * policies included, `Set` replaces (or adds) the GlobalNetworkPolicy of the same name and
 * `Delete` removes it.
 *
 * Internal module of the network model.
 */
import { KindRead } from '../kind';
import { readCalicoPolicy } from './calico-policy';
import { GLOBAL_NETWORK_POLICY_SHAPE } from './global-network-policy';

/** Reads a `StagedGlobalNetworkPolicy`. */
// Calico: libcalico-go/lib/backend/syncersv1/updateprocessors/stagedglobalnetworkpolicyprocessor.go
export const readStagedGlobalNetworkPolicy: KindRead = (obj, type, sink) => readCalicoPolicy(obj, type, sink, GLOBAL_NETWORK_POLICY_SHAPE, true);
