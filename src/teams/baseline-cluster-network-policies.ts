/**
 * The baseline's controls as Kubernetes ClusterNetworkPolicies in the `Admin` tier (Calico's
 * `kube-admin`), for `ClusterPolicyApi.KUBERNETES`: the same verdicts as the Calico
 * GlobalNetworkPolicies wherever the API can express the control, and an error naming the field
 * where it cannot.
 *
 * The API has no `notNets` and no "not a pod" selector, so "outside the cluster" is written with
 * the order of rules instead: a Pass for the pods and the cluster networks, then a Deny for every
 * address. A Pass skips the rest of the tier, so the policies that must still apply to passed
 * traffic come first (priorities below), and the broad approvals come after the denies of the
 * sensitive networks instead of leaving them out with `notNets`.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */
import { Construct } from 'constructs';
import { LABEL_K8S_NAMESPACE_NAME } from '../core/calico';
import { fail } from '../core/errors';
import {
  ClusterNetworkPolicy,
  ClusterNetworkPolicyAction,
  ClusterNetworkPolicyEgressRule,
  ClusterNetworkPolicyPeer,
  ClusterNetworkPolicySubject,
  ClusterNetworkPolicyTier,
} from '../policy/cluster-network-policy';
import { Port } from '../policy/port';
import { Selector } from '../selector';

/**
 * The priorities of the baseline's ClusterNetworkPolicies in the Admin tier (lower first): the
 * Calico orders divided by ten, where the API allows it.
 */
export const BASELINE_CLUSTER_POLICY_PRIORITIES = {
  /** `approved-egress-<name>-sensitive`: approvals of link-local or node networks, before their denies. */
  sensitiveApprovals: 70,
  /** `global-deny-link-local-egress`. */
  denyLinkLocal: 80,
  /** `global-deny-node-ports`. */
  denyNodePorts: 81,
  /** `global-allow-metric-collector` and `global-allow-metric-collector-scraping`. */
  metricsCollector: 90,
  /** `global-allow-egress-dns-pods`. */
  dns: 200,
  /** `approved-egress-<name>`: approvals of other networks, after the allowances (their Pass skips the rest of the tier). */
  approvals: 205,
  /** `global-limit-cluster-egress` (the unsafe pod-label opt-in). */
  clusterEgress: 209,
  /** `global-deny-external-egress`: Pass for pods and cluster networks, then Deny. */
  denyExternalEgress: 210,
};

/** The largest list a ClusterNetworkPolicy takes (rules, peers, ports, networks per peer). */
const MAX_LIST = 25;

/** Pods the baseline trusts, as the API can select them. */
export interface ClusterWorkload {
  /** The namespace. */
  readonly namespace: string;
  /** The pods' labels within it, if any. */
  readonly selector?: Selector;
}

/** What the baseline's ClusterNetworkPolicies are made of, checked by `BaselineGlobalPolicies`. */
export interface BaselineClusterInputs {
  /** How errors name the baseline. */
  readonly owner: string;
  /** The namespaces the baseline leaves alone (empty: it covers every namespace). */
  readonly excludedNamespaces: readonly string[];
  /** The link-local networks, denied unless approved. */
  readonly linkLocalCidrs: readonly string[];
  /** The node networks. */
  readonly nodeCidrs: readonly string[];
  /** The pod, service and node networks: inside the cluster. */
  readonly clusterCidrs: readonly string[];
  /** The node ports denied to workloads (numbered, with protocols). */
  readonly protectedNodePorts: readonly Port[];
  /** The metrics port. */
  readonly metricsPort: number;
  /** The metrics collector. */
  readonly metricsCollector: ClusterWorkload;
  /** The cluster DNS. */
  readonly dns: ClusterWorkload;
  /** The unsafe pod-label egress opt-in, if any. */
  readonly clusterEgressSelector?: Selector;
  /** Whether external egress is denied. */
  readonly denyExternalEgress: boolean;
}

/** The baseline's ClusterNetworkPolicies. */
export interface BaselineClusterPolicies {
  readonly linkLocal: ClusterNetworkPolicy;
  readonly nodePorts?: ClusterNetworkPolicy;
  readonly metricsCollector: ClusterNetworkPolicy;
  readonly metricsCollectorScraping?: ClusterNetworkPolicy;
  readonly dns: ClusterNetworkPolicy;
  readonly clusterEgress?: ClusterNetworkPolicy;
  readonly externalEgress?: ClusterNetworkPolicy;
}

/** The namespaces the baseline covers, as a label selector on their names (undefined: every namespace). */
function coveredNamespaces(inputs: BaselineClusterInputs): Selector | undefined {
  return inputs.excludedNamespaces.length === 0 ? undefined : Selector.label(LABEL_K8S_NAMESPACE_NAME).notIn([...inputs.excludedNamespaces]);
}

/** The pods of the covered namespaces, as the subject of a policy. */
export function coveredSubject(inputs: BaselineClusterInputs): ClusterNetworkPolicySubject {
  const covered = coveredNamespaces(inputs);
  return covered === undefined ? ClusterNetworkPolicySubject.allNamespaces() : ClusterNetworkPolicySubject.namespaceSelector(covered);
}

/**
 * Creates the baseline's ClusterNetworkPolicies under `scope` (construct ids as the Calico
 * variant's).
 */
export function createBaselineClusterPolicies(scope: Construct, inputs: BaselineClusterInputs): BaselineClusterPolicies {
  const { owner } = inputs;
  const covered = coveredNamespaces(inputs);
  const subject = coveredSubject(inputs);
  const coveredPeer = covered === undefined ? ClusterNetworkPolicyPeer.allNamespaces() : ClusterNetworkPolicyPeer.namespaceSelector(covered);
  const priorities = BASELINE_CLUSTER_POLICY_PRIORITIES;
  const policy = (id: string, name: string, priority: number, props: { subject?: ClusterNetworkPolicySubject; ingress?: any[]; egress?: any[] }) =>
    new ClusterNetworkPolicy(scope, id, {
      metadata: { name },
      tier: ClusterNetworkPolicyTier.ADMIN,
      priority,
      subject: props.subject ?? subject,
      ingress: props.ingress,
      egress: props.egress,
    });

  // Calico: clusternetworkpolicy.go K8sClusterNetworkPolicyToCalico (tier Admin: kube-admin; order := priority; the subject's
  // namespaces as the policy's namespaceSelector), K8sClusterNetworkPolicyActionToCalico (Accept: Allow, Deny, Pass)
  const linkLocal = policy('DenyLinkLocal', 'global-deny-link-local-egress', priorities.denyLinkLocal, {
    egress: networkRules(ClusterNetworkPolicyAction.DENY, inputs.linkLocalCidrs, undefined, 'link-local'),
  });

  const nodePorts = inputs.protectedNodePorts.length === 0 ? undefined : policy('DenyNodePorts', 'global-deny-node-ports', priorities.denyNodePorts, {
    egress: networkRules(ClusterNetworkPolicyAction.DENY, inputs.nodeCidrs, inputs.protectedNodePorts, 'protected-node-ports'),
  });

  const metrics = [Port.tcp(inputs.metricsPort)];
  const collectorPeer = workloadPeer(owner, 'metricsCollector', inputs.metricsCollector);
  const metricsCollector = policy('MetricsCollector', 'global-allow-metric-collector', priorities.metricsCollector, {
    ingress: [{ name: 'scraped-by-collector', action: ClusterNetworkPolicyAction.ACCEPT, from: [collectorPeer], ports: metrics }],
    egress: [{ name: 'push-to-collector', action: ClusterNetworkPolicyAction.ACCEPT, to: [collectorPeer], ports: metrics }],
  });
  // The collector's side, as the Calico policy's rules with the collector as source or destination: only if the baseline covers it.
  const collectorCovered = !inputs.excludedNamespaces.includes(inputs.metricsCollector.namespace);
  const metricsCollectorScraping = !collectorCovered ? undefined : policy('MetricsCollectorScraping', 'global-allow-metric-collector-scraping', priorities.metricsCollector, {
    subject: workloadSubject(owner, 'metricsCollector', inputs.metricsCollector),
    ingress: [{ name: 'pushed-by-workloads', action: ClusterNetworkPolicyAction.ACCEPT, from: [coveredPeer], ports: metrics }],
    egress: [{ name: 'scrape-workloads', action: ClusterNetworkPolicyAction.ACCEPT, to: [coveredPeer], ports: metrics }],
  });

  const dns = policy('Dns', 'global-allow-egress-dns-pods', priorities.dns, {
    egress: [{ name: 'cluster-dns', action: ClusterNetworkPolicyAction.ACCEPT, to: [workloadPeer(owner, 'dns', inputs.dns)], ports: [Port.udp(53), Port.tcp(53)] }],
  });

  const everyAddress = ['0.0.0.0/0', '::/0'];
  let clusterEgress: ClusterNetworkPolicy | undefined;
  if (inputs.clusterEgressSelector !== undefined) {
    const pods = guarded(owner, 'clusterEgressSelector', () => ClusterNetworkPolicySubject.pods(inputs.clusterEgressSelector!, covered));
    // Everything after it in the tier for these pods is the external deny: passing all their egress exempts them from it.
    clusterEgress = policy('ClusterEgress', 'global-limit-cluster-egress', priorities.clusterEgress, {
      subject: pods,
      egress: [{ name: 'labelled-pods', action: ClusterNetworkPolicyAction.PASS, to: [ClusterNetworkPolicyPeer.allNamespaces(), ...networkPeers(everyAddress)] }],
    });
  }

  // Calico: libcalico-go/lib/backend/k8s/conversion/clusternetworkpolicy.go combinePortsWithCNPEgressPeers (a namespaces peer
  // is every pod of the selected namespaces, a networks peer the rule's nets, pods included); felix/rules/endpoints.go
  // (a Pass sets the pass mark: the rest of the tier is skipped, the next tier decides)
  const externalEgress = !inputs.denyExternalEgress ? undefined : policy('DenyExternalEgress', 'global-deny-external-egress', priorities.denyExternalEgress, {
    egress: [
      // Pods, whatever their address, and the cluster networks: on to the next tier.
      { name: 'inside-the-cluster', action: ClusterNetworkPolicyAction.PASS, to: [ClusterNetworkPolicyPeer.allNamespaces(), ...networkPeers(inputs.clusterCidrs)] },
      { name: 'outside-the-cluster', action: ClusterNetworkPolicyAction.DENY, to: networkPeers(everyAddress) },
    ],
  });

  return { linkLocal, nodePorts, metricsCollector, metricsCollectorScraping, dns, clusterEgress, externalEgress };
}

/**
 * An egress approval: a Pass to `cidrs` on `ports` for `subject`, at `priority` (sensitive
 * networks before their denies, the others after the allowances).
 */
export function createApprovalClusterPolicy(
  scope: Construct,
  id: string,
  name: string,
  priority: number,
  subject: ClusterNetworkPolicySubject,
  cidrs: readonly string[],
  ports: readonly Port[],
): ClusterNetworkPolicy {
  return new ClusterNetworkPolicy(scope, id, {
    metadata: { name },
    tier: ClusterNetworkPolicyTier.ADMIN,
    priority,
    subject,
    egress: networkRules(ClusterNetworkPolicyAction.PASS, cidrs, ports, 'approved'),
  });
}

/** Rules of one action to `cidrs` (split so that no list exceeds the API's 25 entries). */
function networkRules(
  action: ClusterNetworkPolicyAction,
  cidrs: readonly string[],
  ports: readonly Port[] | undefined,
  name: string,
): ClusterNetworkPolicyEgressRule[] {
  const portChunks = ports === undefined ? [undefined] : chunks(ports);
  const rules = chunks(networkPeers(cidrs)).flatMap((to) => portChunks.map((chunk) => ({ action, to, ports: chunk })));
  return rules.map((rule, i) => ({ ...rule, name: rules.length > 1 ? `${name}-${i + 1}` : name }));
}

/** `networks` peers of at most 25 networks each. */
function networkPeers(cidrs: readonly string[]): ClusterNetworkPolicyPeer[] {
  return chunks(cidrs).map((list) => ClusterNetworkPolicyPeer.networks(...list));
}

function chunks<T>(list: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < list.length; i += MAX_LIST) {
    result.push(list.slice(i, i + MAX_LIST));
  }
  return result;
}

function workloadPeer(owner: string, field: string, workload: ClusterWorkload): ClusterNetworkPolicyPeer {
  return guarded(owner, `${field}.selector`, () => workload.selector === undefined
    ? ClusterNetworkPolicyPeer.namespaces(workload.namespace)
    : ClusterNetworkPolicyPeer.podsInNamespaces(workload.selector, workload.namespace));
}

function workloadSubject(owner: string, field: string, workload: ClusterWorkload): ClusterNetworkPolicySubject {
  return guarded(owner, `${field}.selector`, () => workload.selector === undefined
    ? ClusterNetworkPolicySubject.namespaces(workload.namespace)
    : ClusterNetworkPolicySubject.podsInNamespaces(workload.selector, workload.namespace));
}

/** Runs `make`, naming the baseline's field in the error of a selector the API cannot take. */
function guarded<T>(owner: string, field: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    return fail(owner, field, `${(e as Error).message} (policyApi: ClusterPolicyApi.KUBERNETES takes Kubernetes label selectors only)`);
  }
}
