/**
 * What the security report says about a set of manifests, as data: who can reach whom (per
 * workload and per namespace, on the ports the policies tell apart), who can change which
 * policy, tier and network set, and the audit's findings. `report.json` is this data; the
 * Markdown and HTML renderings read it.
 */
import { AuditSource, ReportFinding } from './audit-source';
import { ExternalTier, NetworkModel, RbacModel } from '../analysis';
import {
  AddressProbe, describePortProbe, ExtraProbes, isOutside, probesOf, reachabilityCells, readPolicies, subjectId,
} from '../analysis/diff';
import { CALICO_GROUP, findResource, NETWORKING_GROUP } from '../core/resource-catalogue';

/** An endpoint of the report: a workload or pod, or a class of addresses outside the cluster. */
export interface ReportEndpoint {
  /** The model's id (`<namespace>/<name>`, or `ip:<address>` for an address class). */
  readonly id: string;
  /** `Deployment`, `Pod`, …, or `External`. */
  readonly kind: string;
  /** The namespace; absent outside the cluster. */
  readonly namespace?: string;
  /** The workload name, or the class of addresses (`0.0.0.0/0 except 10.0.0.0/8`). */
  readonly name: string;
}

/** Who can reach whom, one source and destination. */
export interface ReportFlow {
  /** The source endpoint id. */
  readonly from: string;
  /** The destination endpoint id. */
  readonly to: string;
  /** The ports allowed (of `SecurityReport.ports`); empty when none. */
  readonly allowed: string[];
  /** Whether every port asked is allowed. */
  readonly all: boolean;
}

/** Who can reach whom between two namespaces (`outside` for addresses outside the cluster). */
export interface NamespaceFlow {
  /** The source namespace. */
  readonly from: string;
  /** The destination namespace. */
  readonly to: string;
  /** The number of source/destination endpoint pairs (a workload to itself excluded). */
  readonly pairs: number;
  /** The number of pairs with at least one allowed port. */
  readonly reachablePairs: number;
  /** The number of pairs allowed on every port. */
  readonly openPairs: number;
  /** The ports allowed for at least one pair. */
  readonly ports: string[];
}

/** Who may change the objects of one policy resource in one scope. */
export interface PolicyChangers {
  /** The resource, e.g. `networkpolicies.projectcalico.org`. */
  readonly resource: string;
  /** The namespace; absent for cluster-scoped resources. */
  readonly namespace?: string;
  /** The Calico tier of tiered policies. */
  readonly tier?: string;
  /** The subjects with the verbs each may use (of create, update, patch, delete), `system:masters` left out. */
  readonly subjects: { readonly subject: string; readonly verbs: string[] }[];
}

/** The security report of a set of manifests. */
export interface SecurityReport {
  /** The endpoints (workloads and pods, then classes of addresses outside the cluster). */
  readonly endpoints: ReportEndpoint[];
  /** The ports asked, each standing for the ports no rule tells apart (e.g. `TCP 444-8079`). */
  readonly ports: string[];
  /** Every source/destination pair (a workload to itself included), sources then destinations in endpoint order. */
  readonly flows: ReportFlow[];
  /** Every pair of namespaces (and `outside`). */
  readonly namespaces: NamespaceFlow[];
  /** The tiers, in evaluation order. */
  readonly tiers: string[];
  /** Who may change policies, tiers and network sets. */
  readonly changers: PolicyChangers[];
  /** The audit's findings; absent when no audit is available. */
  readonly findings?: ReportFinding[];
}

/** Options of {@link buildSecurityReport}. */
export interface SecurityReportOptions extends ExtraProbes {
  /** Tiers that exist in the cluster but not in the manifests. */
  readonly tiers?: ExternalTier[];
  /** The cluster's pod networks (see `NetworkModelOptions.podCidrs`). */
  readonly podCidrs?: string[];
  /** The cluster's service networks (see `NetworkModelOptions.serviceCidrs`); their addresses are not asked. */
  readonly serviceCidrs?: string[];
  /** Evaluate staged policies as if they were enforced. */
  readonly includeStaged?: boolean;
  /** The audit to run (`src/guardrails` when the package has it). */
  readonly audit?: AuditSource;
  /** Called with what is being done and how far it got, for progress displays. */
  readonly progress?: (what: string, done: number, total: number) => void;
}

/** The verbs that change an object. */
export const CHANGE_VERBS: readonly string[] = ['create', 'update', 'patch', 'delete'];

/** The group the API server allows everything; the report says so once instead of in every row. */
const MASTERS = 'Group:system:masters';

/** The name of the namespace of addresses outside the cluster in the namespace matrix. */
export const OUTSIDE = 'outside';

/**
 * Builds the report of a set of manifests.
 *
 * @throws Error naming the object and field of a malformed manifest, or the bad option
 */
export function buildSecurityReport(objects: any[], options: SecurityReportOptions = {}): SecurityReport {
  const network = NetworkModel.fromManifests(objects, { tiers: options.tiers, podCidrs: options.podCidrs, serviceCidrs: options.serviceCidrs });
  const rbac = RbacModel.fromManifests(objects);
  options.progress?.('models', 1, 1);
  const isExternal = (id: string) => isOutside(network, id);
  const probes = probesOf([objects], { ports: options.ports, addresses: options.addresses }, isExternal);
  const ids = network.endpoints();
  const endpoints: ReportEndpoint[] = [
    ...ids.map((id) => {
      const info = network.endpoint(id);
      return { id, kind: info.kind, namespace: info.namespace, name: info.name };
    }),
    ...probes.addresses.map((a: AddressProbe) => ({ id: a.id, kind: 'External', name: a.description })),
  ];
  const cells = reachabilityCells(network, ids, probes, options.includeStaged === true);
  const labels = probes.ports.map(describePortProbe);
  const flows: ReportFlow[] = [];
  endpoints.forEach((from, i) => {
    for (const to of endpoints) {
      if (from.kind === 'External' && to.kind === 'External') continue;
      const verdicts = cells.verdicts(from.id, to.id);
      const allowed = labels.filter((_, p) => verdicts?.[p] === true);
      flows.push({ from: from.id, to: to.id, allowed, all: allowed.length === labels.length });
    }
    options.progress?.('flows', i + 1, endpoints.length);
  });
  const tiers = [...readPolicies(objects).allTiers({ tiers: options.tiers }).values()]
    .sort((a, b) => (a.order === b.order ? (a.name < b.name ? -1 : 1) : a.order - b.order))
    .map((t) => t.name);
  const namespaces = [...new Set([
    ...rbac.namespaces,
    ...rbac.serviceAccounts.map((sa) => sa.namespace!),
    ...endpoints.filter((e) => e.namespace !== undefined).map((e) => e.namespace!),
  ])].sort();
  const changers = policyChangers(rbac, namespaces, tiers, options.progress);
  const findings = options.audit === undefined ? undefined : options.audit(objects);
  return {
    endpoints,
    ports: labels,
    flows,
    namespaces: namespaceFlows(endpoints, flows, labels),
    tiers,
    changers,
    ...(findings === undefined ? {} : { findings }),
  };
}

/** The flows aggregated per pair of namespaces (addresses outside the cluster are `outside`), ports in the order of `ports`. */
function namespaceFlows(endpoints: readonly ReportEndpoint[], flows: readonly ReportFlow[], ports: readonly string[]): NamespaceFlow[] {
  const nsOf = new Map(endpoints.map((e) => [e.id, e.namespace ?? OUTSIDE]));
  const names = [...new Set(endpoints.map((e) => e.namespace ?? OUTSIDE))];
  const order = [...names.filter((n) => n !== OUTSIDE).sort(), ...names.filter((n) => n === OUTSIDE)];
  const byPair = new Map<string, { pairs: number; reachable: number; open: number; ports: Set<string> }>();
  for (const f of flows) {
    if (f.from === f.to) continue;
    const key = `${nsOf.get(f.from)}\u0000${nsOf.get(f.to)}`;
    const agg = byPair.get(key) ?? { pairs: 0, reachable: 0, open: 0, ports: new Set<string>() };
    agg.pairs++;
    if (f.allowed.length > 0) agg.reachable++;
    if (f.all) agg.open++;
    f.allowed.forEach((p) => agg.ports.add(p));
    byPair.set(key, agg);
  }
  const result: NamespaceFlow[] = [];
  for (const from of order) {
    for (const to of order) {
      const agg = byPair.get(`${from}\u0000${to}`);
      if (agg === undefined) continue;
      result.push({ from, to, pairs: agg.pairs, reachablePairs: agg.reachable, openPairs: agg.open, ports: ports.filter((p) => agg.ports.has(p)) });
    }
  }
  return result;
}

/**
 * Who may create, update, patch or delete tiers, network sets and policies (Kubernetes, Calico,
 * staged), per namespace and Calico tier, with the RBAC model's `whoCan` (Calico tier
 * authorization included).
 */
function policyChangers(
  rbac: RbacModel,
  namespaces: readonly string[],
  tiers: readonly string[],
  progress?: (what: string, done: number, total: number) => void,
): PolicyChangers[] {
  const resources: [string, string][] = [
    [CALICO_GROUP, 'tiers'],
    [CALICO_GROUP, 'globalnetworkpolicies'],
    [CALICO_GROUP, 'stagedglobalnetworkpolicies'],
    [CALICO_GROUP, 'globalnetworksets'],
    [CALICO_GROUP, 'networkpolicies'],
    [CALICO_GROUP, 'stagednetworkpolicies'],
    [NETWORKING_GROUP, 'networkpolicies'],
    [CALICO_GROUP, 'stagedkubernetesnetworkpolicies'],
    [CALICO_GROUP, 'networksets'],
  ];
  const questions: { apiGroup: string; resource: string; namespace?: string; tier?: string }[] = [];
  for (const [apiGroup, resource] of resources) {
    const entry = findResource(apiGroup, resource)!;
    const scopes: (string | undefined)[] = entry.namespaced ? [...namespaces] : [undefined];
    const tierList: (string | undefined)[] = entry.tierResource !== undefined ? [...tiers] : [undefined];
    for (const namespace of scopes) {
      for (const tier of tierList) questions.push({ apiGroup, resource, namespace, tier });
    }
  }
  return questions.map((q, i) => {
    const verbs = new Map<string, string[]>();
    for (const verb of CHANGE_VERBS) {
      for (const subject of rbac.whoCan(verb, q.apiGroup, q.resource, q.namespace, q.tier)) {
        const id = subjectId(subject);
        if (id === MASTERS) continue;
        verbs.set(id, [...(verbs.get(id) ?? []), verb]);
      }
    }
    progress?.('permissions', i + 1, questions.length);
    return {
      resource: `${q.resource}.${q.apiGroup}`,
      ...(q.namespace === undefined ? {} : { namespace: q.namespace }),
      ...(q.tier === undefined ? {} : { tier: q.tier }),
      subjects: [...verbs.entries()].map(([subject, v]) => ({ subject, verbs: v })),
    };
  });
}
