/**
 * Which kinds the network model reads as tiers and policies: one row per kind, naming its API
 * groups and its reader (one file per kind under `kinds/`). A new kind is a new file and a new row.
 *
 * Internal module of the network model.
 */
import { CALICO_API_GROUPS, CLUSTER_NETWORK_POLICY_KIND, POLICY_NETWORKING_GROUP } from '../../core';
import { apiGroup } from '../network-endpoints';
import { KindRead } from './kind';
import { readClusterNetworkPolicy } from './kinds/cluster-network-policy';
import { readGlobalNetworkPolicy } from './kinds/global-network-policy';
import { readKubernetesNetworkPolicy } from './kinds/kubernetes-network-policy';
import { readNetworkPolicy } from './kinds/network-policy';
import { readStagedGlobalNetworkPolicy } from './kinds/staged-global-network-policy';
import { readStagedKubernetesNetworkPolicy } from './kinds/staged-kubernetes-network-policy';
import { readStagedNetworkPolicy } from './kinds/staged-network-policy';
import { readTier } from './kinds/tier';

/** One kind the model reads. */
export interface KindRow {
  /** The API groups the kind is served in. */
  readonly groups: readonly string[];
  /** The kind. */
  readonly kind: string;
  /** Its reader. */
  readonly read: KindRead;
}

/** The kinds read as tiers and policies. */
export const KIND_ROWS: readonly KindRow[] = [
  { groups: CALICO_API_GROUPS, kind: 'Tier', read: readTier },
  { groups: CALICO_API_GROUPS, kind: 'NetworkPolicy', read: readNetworkPolicy },
  { groups: CALICO_API_GROUPS, kind: 'GlobalNetworkPolicy', read: readGlobalNetworkPolicy },
  { groups: CALICO_API_GROUPS, kind: 'StagedNetworkPolicy', read: readStagedNetworkPolicy },
  { groups: CALICO_API_GROUPS, kind: 'StagedGlobalNetworkPolicy', read: readStagedGlobalNetworkPolicy },
  { groups: CALICO_API_GROUPS, kind: 'StagedKubernetesNetworkPolicy', read: readStagedKubernetesNetworkPolicy },
  { groups: ['networking.k8s.io'], kind: 'NetworkPolicy', read: readKubernetesNetworkPolicy },
  { groups: [POLICY_NETWORKING_GROUP], kind: CLUSTER_NETWORK_POLICY_KIND, read: readClusterNetworkPolicy },
];

const BY_GROUP_AND_KIND = new Map<string, KindRead>(
  KIND_ROWS.flatMap((row) => row.groups.map((group): [string, KindRead] => [`${group}/${row.kind}`, row.read])),
);

/** The reader of a kind in the group of an apiVersion, if the model reads that kind. */
export function kindReader(apiVersion: string, kind: string): KindRead | undefined {
  return BY_GROUP_AND_KIND.get(`${apiGroup(apiVersion)}/${kind}`);
}
