/**
 * Calico `StagedKubernetesNetworkPolicy`: a Kubernetes NetworkPolicy that does not enforce; with
 * staged policies included, `Set` replaces (or adds) the Kubernetes NetworkPolicy of the same
 * namespace and name and `Delete` removes it.
 *
 * Internal module of the network model.
 */
import { KindRead } from '../kind';
import { readKubernetesPolicy } from './kubernetes-network-policy';

/** Reads a `StagedKubernetesNetworkPolicy`. */
// Calico: libcalico-go/lib/backend/syncersv1/updateprocessors/stagedkubernetesnetworkpolicyprocessor.go
export const readStagedKubernetesNetworkPolicy: KindRead = (obj, type, sink) => readKubernetesPolicy(obj, type, sink, true);
