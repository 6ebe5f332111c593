/**
 * What the network model keeps of each tier and policy, whatever kind of object it was read
 * from: the records every per-kind reader produces.
 *
 * Internal module of the network model.
 */
import { SelectorNode } from '../../selector/ast';
import { ObjectRef } from '../network-objects';
import { CompiledRule } from '../network-rules';

/** Where a tier comes from. */
export type TierSource = 'built-in' | 'manifest' | 'external';

/** A tier that exists: one of Calico's built-in tiers, a `Tier` of the manifests, or one declared by the caller. */
export interface TierRecord {
  readonly name: string;
  /** Calico gives a tier without order the order 1,000,000, so every tier has one. */
  readonly order: number;
  /** True when the tier gave no order and got Calico's default. */
  readonly orderDefaulted: boolean;
  readonly defaultAction: 'Deny' | 'Pass';
  readonly source: TierSource;
}

/**
 * The policy families: each is the `Kind` of Felix's policy key for the enforced policy. A staged
 * policy stands in for a NetworkPolicy, GlobalNetworkPolicy or KubernetesNetworkPolicy; a
 * Kubernetes ClusterNetworkPolicy has no staged kind.
 */
// Calico: libcalico-go/lib/backend/syncersv1/felixsyncer/felixsyncerv1.go (the kinds given to the policy update processors)
export type PolicyFamily = 'NetworkPolicy' | 'GlobalNetworkPolicy' | 'KubernetesNetworkPolicy' | 'KubernetesClusterNetworkPolicy';

/** A policy, normalized to Calico's model. */
export interface PolicyRecord {
  /** The family (the enforced kind a staged policy stands in for). */
  readonly family: PolicyFamily;
  /** The object it was read from (for errors found after reading, e.g. an unknown tier). */
  readonly ref: ObjectRef;
  /** How the policy is named in explanations, e.g. `NetworkPolicy prod/allow-web`. */
  readonly label: string;
  readonly namespace?: string;
  readonly name: string;
  /**
   * What Felix compares to order policies of equal order: `<name>/<namespace>/<kind>` (namespace
   * empty for global policies; kind = the family). See `policySortKey`.
   */
  readonly sortKey: string;
  readonly tier: string;
  /** `Infinity` when the policy has no order. */
  readonly order: number;
  /** Which endpoints the policy applies to, on Calico endpoint labels. */
  readonly selector: SelectorNode;
  /** The policy's own selector text, for explanations. */
  readonly selectorText: string;
  readonly ingressApplies: boolean;
  readonly egressApplies: boolean;
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
  /** `doNotTrack` or `preDNAT` for host-endpoint-only global policies. */
  readonly hostOnly?: 'doNotTrack' | 'preDNAT';
  /** For staged kinds: what the staged policy does when staged policies are included. */
  readonly staged?: 'Set' | 'Delete';
  /** `family/namespace/name`: staged policies replace the enforced policy with the same key. */
  readonly key: string;
}

/**
 * The string Felix compares to order policies of equal order. A staged policy is evaluated as
 * the enforced policy it stands in for, so it sorts under its family's kind. Kubernetes
 * NetworkPolicies are keyed by their plain name (the `knp.default.` prefix of older Typha
 * versions is gone).
 */
// Calico: felix/calc/policy_sorter.go PolKVLess; libcalico-go/lib/backend/model/policy.go parseLegacyPolicyName
export function policySortKey(family: PolicyFamily, namespace: string | undefined, name: string): string {
  return `${name}/${namespace ?? ''}/${family}`;
}

/** The identity of a policy among enforced and staged policies: `family/namespace/name`. */
export function policyKey(family: PolicyFamily, namespace: string | undefined, name: string): string {
  return `${family}/${namespace ?? ''}/${name}`;
}
