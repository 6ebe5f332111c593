/**
 * Calico `StagedNetworkPolicy`: a NetworkPolicy that does not enforce; with staged policies
 * included, `Set` replaces (or adds) the NetworkPolicy of the same namespace and name and
 * `Delete` removes it.
 *
 * Internal module of the network model.
 */
import { KindRead } from '../kind';
import { readCalicoPolicy } from './calico-policy';
import { NETWORK_POLICY_SHAPE } from './network-policy';

/** Reads a `StagedNetworkPolicy`. */
// Calico: libcalico-go/lib/backend/syncersv1/updateprocessors/stagednetworkpolicyprocessor.go
export const readStagedNetworkPolicy: KindRead = (obj, type, sink) => readCalicoPolicy(obj, type, sink, NETWORK_POLICY_SHAPE, true);
