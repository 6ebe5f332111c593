/**
 * The offline Calico network model: which endpoint can reach which, proven from plain manifests.
 */
import { App, Chart } from 'cdk8s';
import { forEachManifest } from './manifest-list';
import { manifestsOfApp, manifestsOfChart } from './manifests';
import { ClassVerdictTable, hasClass } from './network/class-verdicts';
import { EndpointClass, EndpointClasses, networksOfPolicies } from './network/classes';
import { EndpointRecord, Inventory, InventoryBuilder, WorkloadRecord } from './network-endpoints';
import { Decision, DirectionVerdict, directionAllows, explainDirection, notApplicable } from './network-evaluate';
import { IdentityIndex, PolicySet } from './network-index';
import { LABEL_NAME, workloadEndpointLabels, workloadEndpointOwnLabels } from './network-labels';
import { EPHEMERAL_PORTS, Flow, FlowEnd, FlowMatcher, PortRange, SourcePortPlanner } from './network-match';
import { MatrixGranularity, MatrixOptions, PortSpec, ReachabilityMatrix } from './network-matrix';
import { closestNames, isObject, show } from './network-objects';
import { PolicyReader, PolicyRecord, TierRecord } from './network-policies';
import { PolicyInfo, PolicyInfoBuilder, TierInfo, tierInfos } from './network-policy-info';
import { RuleCompiler } from './network-rules';
import { Cidr, cidrContains, IpAddress, parseCidr, parseIpAddress, ruleNetProblem } from '../core/cidr';
import { isPortNumber, MAX_PORT, MIN_PORT } from '../core/ports';
import { ICMP, ICMPV6, parseQueryProtocol, protocolName, supportsPorts, TCP } from '../core/protocol';

/** A flow to check: who talks to whom, over what. */
export interface FlowQuery {
  /**
   * Source: `namespace/name` (or `namespace/kind/name`) of a pod or of a workload declared in
   * the manifests, or `ip:<address>`. The address of a known pod stands for that pod; any other
   * address is outside the cluster.
   */
  readonly from: string;
  /**
   * Destination: `namespace/name` (or `namespace/kind/name`) of a pod or of a workload declared in
   * the manifests, or `ip:<address>`. The address of a known pod stands for that pod; any other
   * address is outside the cluster.
   */
  readonly to: string;
  /**
   * `TCP`, `UDP`, `SCTP`, `UDPLite`, `ICMP`, `ICMPv6` (any case) or a protocol number 1–255.
   * ICMP and ICMPv6 flows stand for an echo request (ping).
   * @default 'TCP'
   */
  readonly protocol?: string;
  /**
   * Destination port: a number from 1 to 65535, or the name of a container port of the
   * destination with the flow's protocol. Ignored for protocols without ports.
   * @default - no port: rules that name ports do not match, rules with notPorts do
   */
  readonly port?: number | string;
  /**
   * Source port, a number from 1 to 65535. Only rules with `source.ports`/`source.notPorts` look
   * at it. Ignored for protocols without ports.
   * @default - unknown: the flow is evaluated for every port of Linux's default ephemeral range
   *   (32768–60999) and is allowed only when every one of them is; the explanation says so when
   *   the verdict depends on the source port
   */
  readonly sourcePort?: number;
}

/** Options of `NetworkModel.check()`. */
export interface CheckOptions {
  /**
   * Evaluate as if staged policies were enforced: a staged `Set` policy replaces (or adds) the
   * enforced policy of the same kind, namespace and name; a staged `Delete` removes it.
   * @default false
   */
  readonly includeStaged?: boolean;
}

/** A tier that exists in the cluster but is not declared in the manifests (it is managed elsewhere). */
export interface ExternalTier {
  /** The tier name. */
  readonly name: string;
  /**
   * The tier's order: lower orders are evaluated first.
   * @default 1000000 - the order Calico gives a tier without one
   */
  readonly order?: number;
  /**
   * What happens at the end of the tier to traffic that no policy decided: `Deny` or `Pass`.
   * @default 'Deny'
   */
  readonly defaultAction?: string;
}

/** Options of `NetworkModel.fromManifests()`, `fromChart()` and `fromApp()`: facts about the cluster the manifests do not carry. */
export interface NetworkModelOptions {
  /**
   * Tiers that exist in the cluster but are not declared in the manifests. A policy in a tier
   * that is neither declared in the manifests, built into Calico (`kube-admin`, `default`,
   * `kube-baseline`) nor listed here is an error.
   * @default - none
   */
  readonly tiers?: ExternalTier[];
  /**
   * The cluster's pod networks (for example the CIDRs of the Calico IP pools), written like
   * `10.244.0.0/16`. Manifests rarely carry pod addresses: a pod whose address is unknown is
   * assumed to be inside every `nets`/`notNets` list (and ipBlock `cidr`/`except`) that covers
   * one of these networks, and outside any other; the explanation of a verdict says when it
   * relied on that.
   * @default - none: a pod whose address is unknown is inside only whole-family blocks
   *   (`0.0.0.0/0`, `::/0`)
   */
  readonly podCidrs?: string[];
  /**
   * The cluster's service networks (ClusterIP ranges), written like `10.96.0.0/12`. Calico
   * evaluates policy after kube-proxy has translated a ClusterIP to the address of one of the
   * service's pods, so `ip:` addresses inside these networks are refused by `check()` and
   * `matrix()`: check the flow to the pod instead.
   * @default - none
   */
  readonly serviceCidrs?: string[];
}

/** The verdict for a flow: both sides and a human explanation. */
export interface FlowVerdict {
  /** True when the source's egress and the destination's ingress both allow the flow. */
  readonly allowed: boolean;
  /** The source's side. */
  readonly egress: DirectionVerdict;
  /** The destination's side. */
  readonly ingress: DirectionVerdict;
  /** A multi-line explanation of both sides. */
  readonly explanation: string;
}

/** What the model knows about one endpoint. */
export interface EndpointInfo {
  /** The id used in queries. */
  readonly id: string;
  /** `Pod`, `Deployment`, `StatefulSet`, `DaemonSet`, `ReplicaSet`, `Job`, `CronJob`, `ReplicationController` or `External`. */
  readonly kind: string;
  /** The namespace (not set for external addresses). */
  readonly namespace?: string;
  /** The pod or workload name, or the address. */
  readonly name: string;
  /**
   * The labels Calico selectors see: pod labels plus `projectcalico.org/namespace`,
   * `orchestrator` and `serviceaccount` (the last only for service account names shorter than 63
   * characters, as Calico does).
   */
  readonly labels: { [key: string]: string };
  /** The namespace's labels as namespace selectors see them (with `projectcalico.org/name`). */
  readonly namespaceLabels?: { [key: string]: string };
  /** The service account name. */
  readonly serviceAccount?: string;
  /** The service account's labels as service-account selectors see them (with `projectcalico.org/name`). */
  readonly serviceAccountLabels?: { [key: string]: string };
  /** Known IP addresses. */
  readonly ips: string[];
  /** Network sets containing one of the addresses (`NetworkSet ns/name` or `GlobalNetworkSet name`). */
  readonly networkSets: string[];
  /** True for host-networked pods (not Calico workload endpoints). */
  readonly hostNetwork: boolean;
}

interface ResolvedPort {
  readonly port?: number;
  readonly error?: string;
}

/** A flow's verdict over the source ports it may use. */
interface SourcePortOutcome {
  /** The source port to explain the verdict with (the first denied one, else the first). */
  readonly explainWith?: number;
  /** Whether every candidate source port is allowed. */
  readonly allowed: boolean;
  /** The explanation line about the source port, when rules look at it and none was given. */
  readonly note?: string;
}

function readCidrOption(value: any, name: string): Cidr[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new Error(`NetworkModel options: ${name}: expected a list of networks such as ["10.244.0.0/16"], got ${show(value)}`);
  }
  return value.map((text, i) => {
    const problem = ruleNetProblem(text);
    if (problem !== undefined) {
      throw new Error(`NetworkModel options: ${name}[${i}]: ${problem}`);
    }
    return parseCidr(text) as Cidr;
  });
}

/** A row (and column) of a matrix: one endpoint or address, or a group of endpoints. */
interface MatrixRow {
  readonly id: string;
  /** A single endpoint or address. */
  readonly end?: FlowEnd;
  /** The classes of a group's endpoints. */
  readonly classes?: readonly EndpointClass[];
  /** The endpoints of a group. */
  readonly members?: readonly EndpointRecord[];
}

const GRANULARITIES: readonly string[] = Object.values(MatrixGranularity);

function readGranularity(value: any): MatrixGranularity {
  if (value === undefined || value === null) {
    return MatrixGranularity.POD;
  }
  if (!GRANULARITIES.includes(value)) {
    throw new Error(`NetworkModel.matrix(): granularity: ${show(value)} is not one of ${GRANULARITIES.map((g) => `'${g}'`).join(', ')} (MatrixGranularity)`);
  }
  return value as MatrixGranularity;
}

function describeRanges(ranges: readonly PortRange[]): string {
  return ranges.map((r) => (r.min === r.max ? String(r.min) : `${r.min}–${r.max}`)).join(', ');
}

/**
 * An offline model of Calico (v3.32) policy enforcement over a set of manifests: Kubernetes
 * namespaces, pods, workloads, service accounts and services; Kubernetes NetworkPolicies; Calico
 * tiers, (global) network policies, (global) network sets and staged policies.
 *
 * Semantics decided where manifests cannot say:
 * - a workload (Deployment, StatefulSet, …) is one endpoint named after it, with its pod
 *   template's labels, service account and container ports; a flow from it to itself is traffic
 *   between two of its pods and is evaluated;
 * - a pod's traffic to itself is allowed without evaluation: it stays inside the pod's network
 *   namespace and never crosses the host-side interface where Calico enforces policy;
 * - `ip:<address>` of a known pod is that pod (Calico matches selectors by IP-set membership);
 *   any other address is outside the cluster and has no policy of its own;
 * - an endpoint with no known IP (status.podIP(s) or the `cni.projectcalico.org/podIP(s)`
 *   annotations) is inside a `nets`/`notNets` list (ipBlock `cidr`/`except`) when the list holds
 *   its whole family (`0.0.0.0/0`, `::/0`) or covers one of the declared pod CIDRs (option
 *   `podCidrs`), and outside any other; the explanation says when this was assumed;
 * - a query without a port matches no rule that names ports and every rule with `notPorts`;
 * - a query without a source port is evaluated for every port of Linux's default ephemeral
 *   range (32768–60999) and allowed only when all of them are;
 * - ICMP/ICMPv6 queries stand for an echo request (type 8 / 128, code 0);
 * - HTTP criteria (layer 7) are not evaluated: such a rule matches on its layer 3/4 criteria;
 * - doNotTrack and preDNAT global policies apply to host endpoints only and are skipped;
 *   host-networked pods are not Calico workload endpoints and have no policy of their own;
 * - the IP family of a flow comes from an `ip:` end, ICMP/ICMPv6, or the endpoints' known IPs
 *   (IPv4 when unknown).
 *
 * Ids: an endpoint is `namespace/name`, and also answers to `namespace/kind/name` (kind in
 * lowercase, e.g. `prod/deployment/web`, `prod/pod/web-0`); when several endpoints of a namespace
 * share a name, `namespace/name` is an error that lists the candidates. Workloads (`workloads()`)
 * follow the same rule in `matrix({ granularity: MatrixGranularity.WORKLOAD })`.
 *
 * Scale: verdicts are computed per equivalence class of endpoints (same namespace, labels,
 * service account, named ports, and rule networks their addresses are in), once per pair of
 * classes, and fanned out to endpoints only when a matrix asks for them.
 */
export class NetworkModel {
  /**
   * Builds the model from plain objects as they appear in YAML (lists such as `kind: List` are unpacked;
   * null entries are skipped; unknown kinds are ignored).
   *
   * @param objects the manifests
   * @param options facts about the cluster the manifests do not carry (external tiers, pod and service networks)
   * @throws Error naming the kind, namespace, name and field of a malformed object, naming the
   *   policy and its tier when the tier does not exist, or the option that is not valid
   */
  public static fromManifests(objects: any[], options?: NetworkModelOptions): NetworkModel {
    if (!Array.isArray(objects)) {
      throw new Error(`NetworkModel.fromManifests(): expected a list of Kubernetes objects, got ${show(objects)}`);
    }
    if (options !== undefined && options !== null && !isObject(options)) {
      throw new Error(`NetworkModel options: expected an object { tiers?, podCidrs?, serviceCidrs? }, got ${show(options)}`);
    }
    const podCidrs = readCidrOption(options?.podCidrs, 'podCidrs');
    const serviceCidrs = readCidrOption(options?.serviceCidrs, 'serviceCidrs');
    const compiler = new RuleCompiler();
    const inventory = new InventoryBuilder();
    const policies = new PolicyReader(compiler);
    forEachManifest(objects, 'objects', (obj, where) => {
      if (typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string') {
        throw new Error(`${where}: a Kubernetes object needs string apiVersion and kind, got apiVersion ${show(obj.apiVersion)} and kind ${show(obj.kind)}`);
      }
      if (!inventory.accept(obj, obj.kind, obj.apiVersion)) {
        policies.accept(obj, obj.kind, obj.apiVersion);
      }
    });
    for (const ns of policies.namespaces) {
      inventory.referenceNamespace(ns);
    }
    return new NetworkModel(inventory.build(), policies.allTiers(options), policies.policies, podCidrs, serviceCidrs);
  }

  /**
   * Builds the model from the objects a chart synthesizes.
   * @param chart the chart
   * @param options facts about the cluster the manifests do not carry
   */
  public static fromChart(chart: Chart, options?: NetworkModelOptions): NetworkModel {
    return NetworkModel.fromManifests(manifestsOfChart(chart), options);
  }

  /**
   * Builds the model from the objects all charts of an app synthesize.
   * @param app the app
   * @param options facts about the cluster the manifests do not carry
   */
  public static fromApp(app: App, options?: NetworkModelOptions): NetworkModel {
    return NetworkModel.fromManifests(manifestsOfApp(app), options);
  }

  private readonly inventory: Inventory;
  private readonly tierRecords: ReadonlyMap<string, TierRecord>;
  private policyInfos?: readonly PolicyInfo[];
  private readonly allPolicies: readonly PolicyRecord[];
  private readonly index: IdentityIndex;
  private readonly matcher: FlowMatcher;
  private readonly enforced: PolicySet;
  private readonly podCidrs: readonly Cidr[];
  private readonly serviceCidrs: readonly Cidr[];
  private readonly sourcePorts = new SourcePortPlanner();
  private readonly classes: EndpointClasses;
  /** Class verdict tables per policy set, by protocol and port spec. */
  private readonly tables = new Map<PolicySet, Map<string, ClassVerdictTable>>();
  private withStaged?: PolicySet;

  private constructor(
    inventory: Inventory,
    tiers: ReadonlyMap<string, TierRecord>,
    policies: readonly PolicyRecord[],
    podCidrs: readonly Cidr[],
    serviceCidrs: readonly Cidr[],
  ) {
    this.inventory = inventory;
    this.tierRecords = tiers;
    this.allPolicies = policies;
    this.podCidrs = podCidrs;
    this.serviceCidrs = serviceCidrs;
    this.index = new IdentityIndex(inventory.identities);
    this.matcher = new FlowMatcher(inventory, this.index, podCidrs);
    this.enforced = new PolicySet(policies.filter((p) => p.staged === undefined), tiers, inventory, this.index);
    this.classes = EndpointClasses.build(inventory, networksOfPolicies(policies));
  }

  /** The ids of every endpoint (pods and workloads), sorted. */
  public endpoints(): string[] {
    return this.inventory.endpoints.map((e) => e.id);
  }

  /**
   * The ids of every workload, sorted: `namespace/kind/name` with the kind in lowercase
   * (`deployment`, `statefulset`, `daemonset`, `job`, `cronjob`, `replicaset`,
   * `replicationcontroller`, or `pod` for a pod that no controller owns). A pod belongs to its
   * controller (`metadata.ownerReferences` with `controller: true`), followed up through the
   * controllers in the manifests (a ReplicaSet's Deployment, a Job's CronJob); a ReplicaSet
   * missing from the manifests but named `<deployment>-<pod-template-hash>` of the pod stands for
   * that Deployment. These are the rows of `matrix({ granularity: MatrixGranularity.WORKLOAD })`.
   */
  public workloads(): string[] {
    return [...this.inventory.workloads.keys()];
  }

  /**
   * What the model knows about an endpoint (or an `ip:` address; the address of a known pod
   * describes that pod).
   * @param id `namespace/name` or `ip:<address>`
   */
  public endpoint(id: string): EndpointInfo {
    const end = this.resolveEnd(id, 'endpoint');
    const e = end.endpoint;
    if (e === undefined) {
      const address = end.address!;
      return {
        id: end.id,
        kind: 'External',
        name: address.text,
        labels: {},
        ips: [address.text],
        networkSets: this.inventory.networkSetIdentitiesContaining(address).map((i) => this.networkSetName(i)),
        hostNetwork: false,
      };
    }
    const sa = this.inventory.serviceAccounts.get(`${e.namespace}/${e.serviceAccount}`);
    const sets = new Set<string>([...e.networkSetIdentities[4], ...e.networkSetIdentities[6]].map((i) => this.networkSetName(i)));
    return {
      id: e.id,
      kind: e.kind,
      namespace: e.namespace,
      name: e.name,
      labels: { ...workloadEndpointOwnLabels(e.podLabels), ...workloadEndpointLabels(e.namespace, e.serviceAccount) },
      namespaceLabels: this.inventory.namespaceLabels(e.namespace),
      serviceAccount: e.serviceAccount,
      serviceAccountLabels: { ...(sa?.labels ?? {}), [LABEL_NAME]: e.serviceAccount },
      ips: e.ips.map((ip) => ip.text),
      networkSets: [...sets].sort(),
      hostNetwork: e.hostNetwork,
    };
  }

  /**
   * The tiers policies are evaluated in (Calico's built-in tiers, those of the manifests and
   * those of the `tiers` option), in evaluation order: by order, then by name.
   */
  public tiers(): TierInfo[] {
    return tierInfos(this.tierRecords);
  }

  /**
   * Every policy the model read (enforced and staged), in manifest order, with its tier, order
   * and rule actions, and for each selector (the policy's own and its rules' peers) the label
   * keys it reads by source (pod, namespace, service account, Calico-derived) and the
   * namespaces whose endpoints it can match. Read-only: for audits that ask who can set the
   * labels a policy trusts.
   */
  public policies(): PolicyInfo[] {
    if (this.policyInfos === undefined) {
      const builder = new PolicyInfoBuilder(this.inventory);
      this.policyInfos = this.allPolicies.map((p) => builder.policy(p));
    }
    return [...this.policyInfos];
  }

  /**
   * Whether a flow is allowed, and why: the source's egress and the destination's ingress are
   * evaluated through Calico's tiers; both must allow.
   *
   * @param flow the flow
   * @param options evaluation options
   * @throws Error for an unknown endpoint (listing close names), an unknown protocol, a port or
   *   source port that is not a number from 1 to 65535, an unresolvable port name, or an `ip:`
   *   address inside a declared service CIDR
   */
  public check(flow: FlowQuery, options?: CheckOptions): FlowVerdict {
    if (!isObject(flow)) {
      throw new Error(`NetworkModel.check(): expected a flow { from, to, protocol?, port?, sourcePort? }, got ${show(flow)}`);
    }
    const src = this.resolveEnd(flow.from, 'from');
    const dst = this.resolveEnd(flow.to, 'to');
    const protocol = this.resolveProtocol(flow.protocol, 'check(): protocol');
    const resolved = this.resolvePort(flow.port, protocol, dst);
    if (resolved.error !== undefined) {
      throw new Error(`NetworkModel.check(): port: ${resolved.error}`);
    }
    const givenSourcePort = this.resolveSourcePort(flow.sourcePort, protocol);
    const base: Flow = {
      src,
      dst,
      protocol,
      port: resolved.port,
      sourcePort: givenSourcePort,
      family: this.familyOf(src, dst, protocol),
    };
    const includeStaged = options?.includeStaged === true;
    const set = includeStaged ? this.stagedSet() : this.enforced;

    const lines: string[] = [];
    const portText = base.port === undefined ? '' : ` port ${base.port}${typeof flow.port === 'string' && !/^[0-9]+$/.test(flow.port) ? ` (${flow.port})` : ''}`;
    const sourcePortText = givenSourcePort === undefined ? '' : `, source port ${givenSourcePort}`;
    const head = `${src.id} -> ${dst.id} ${protocolName(protocol)}${portText}${sourcePortText} (IPv${base.family})`;
    const notes = this.endNotes(src, dst);

    if (this.isPodToItself(src, dst)) {
      const reason = `traffic from ${src.endpoint!.id} to itself stays inside the pod's network namespace (loopback) and never `
        + 'crosses its host-side interface, where Calico enforces policy';
      const self: DirectionVerdict = { allowed: true, decidedBy: Decision.NOT_APPLICABLE, reason, trace: [reason] };
      lines.push(`${head}: ALLOWED${includeStaged ? ' (staged policies included)' : ''}`);
      lines.push(`  egress of ${src.id}: allowed: ${reason}`);
      lines.push(`  ingress of ${dst.id}: allowed: ${reason}`);
      lines.push(...notes.map((n) => `  note: ${n}`));
      return { allowed: true, egress: self, ingress: self, explanation: lines.join('\n') };
    }

    const outcome = this.overSourcePorts(set, base);
    const f: Flow = { ...base, sourcePort: outcome.explainWith, notes: [] };
    const egress = src.endpoint === undefined ? notApplicable(src) : explainDirection(set, this.matcher, src.endpoint, 'egress', f);
    const ingress = dst.endpoint === undefined ? notApplicable(dst) : explainDirection(set, this.matcher, dst.endpoint, 'ingress', f);
    const allowed = egress.allowed && ingress.allowed;

    lines.push(`${head}: ${allowed ? 'ALLOWED' : 'DENIED'}${includeStaged ? ' (staged policies included)' : ''}`);
    for (const [name, end, verdict] of [['egress', src, egress], ['ingress', dst, ingress]] as const) {
      lines.push(`  ${name} of ${end.id}: ${verdict.allowed ? 'allowed' : 'denied'}: ${verdict.reason}`);
      for (const t of verdict.trace) {
        lines.push(`    ${t}`);
      }
    }
    if (outcome.note !== undefined) {
      notes.push(outcome.note);
    }
    notes.push(...f.notes!);
    lines.push(...notes.map((n) => `  note: ${n}`));
    if (!includeStaged && this.allPolicies.some((p) => p.staged !== undefined)) {
      const stagedAllowed = this.overSourcePorts(this.stagedSet(), base).allowed;
      if (stagedAllowed !== allowed) {
        lines.push(`  staged policies would change this verdict to ${stagedAllowed ? 'ALLOWED' : 'DENIED'} (check with includeStaged: true)`);
      }
    }
    return { allowed, egress, ingress, explanation: lines.join('\n') };
  }

  /**
   * Every verdict between a set of endpoints (or workloads, or classes of endpoints) on a set of
   * ports, each cell as `check()` decides it without a source port.
   *
   * Verdicts are computed once per pair of equivalence classes (endpoints that no policy, rule
   * or port tells apart: replicas of a workload are usually one class) and fanned out to the
   * rows, so the cost grows with the number of classes, not of pods.
   *
   * @param options which endpoints, ports and granularity
   * @throws Error for unknown endpoints or workloads (an ambiguous `namespace/name` lists the
   *   candidates), unknown protocols, ports that are not numbers from 1 to 65535, or an unknown
   *   granularity
   */
  public matrix(options?: MatrixOptions): ReachabilityMatrix {
    return this.computeMatrix(options, false);
  }

  /**
   * `matrix()` evaluated the naive way: every pair of endpoints through every policy that
   * selects them, no classes. The reference of the class evaluation (property tests, the bench).
   * @internal
   */
  public _matrixNaive(options?: MatrixOptions): ReachabilityMatrix {
    return this.computeMatrix(options, true);
  }

  private computeMatrix(options: MatrixOptions | undefined, naive: boolean): ReachabilityMatrix {
    if (options !== undefined && options !== null && !isObject(options)) {
      throw new Error(`NetworkModel.matrix(): expected options { ports?, endpoints?, includeExternal?, includeStaged?, granularity? }, got ${show(options)}`);
    }
    const granularity = readGranularity(options?.granularity);
    const rows = granularity === MatrixGranularity.POD
      ? this.podRows(options?.endpoints)
      : granularity === MatrixGranularity.WORKLOAD ? this.workloadRows(options?.endpoints) : this.classRows(options?.endpoints);
    const seen = new Set<string>(rows.map((r) => r.id));
    for (const id of options?.includeExternal ?? []) {
      if (typeof id !== 'string' || !id.startsWith('ip:')) {
        throw new Error(`NetworkModel.matrix(): includeExternal: ${show(id)} is not an external address; write it as ip:<address>, e.g. ip:203.0.113.7`);
      }
      const end = this.resolveEnd(id, 'matrix(): includeExternal');
      if (!seen.has(id)) {
        seen.add(id);
        rows.push({ id, end });
      }
    }
    const specs = options?.ports ?? [{ protocol: 'TCP' }];
    const set = options?.includeStaged === true ? this.stagedSet() : this.enforced;
    const portSpecs: PortSpec[] = [];
    const n = rows.length;
    const verdicts = new Uint8Array(specs.length * n * n);
    specs.forEach((spec, p) => {
      const protocol = this.resolveProtocol(spec?.protocol, `matrix(): ports[${p}].protocol`);
      const name = protocolName(protocol);
      portSpecs.push(spec.port === undefined ? { protocol: name } : { protocol: name, port: spec.port });
      if (spec.port !== undefined && typeof spec.port !== 'number' && typeof spec.port !== 'string') {
        throw new Error(`NetworkModel.matrix(): ports[${p}].port: expected a number or a port name, got ${show(spec.port)}`);
      }
      if (typeof spec.port === 'number' || (typeof spec.port === 'string' && /^[0-9]+$/.test(spec.port))) {
        const numeric = this.resolvePort(spec.port, protocol, { id: '' });
        if (numeric.error !== undefined) {
          throw new Error(`NetworkModel.matrix(): ports[${p}].port: ${numeric.error}`);
        }
      }
      const base = p * n * n;
      if (!naive && granularity === MatrixGranularity.POD) {
        this.fanOutToEndpoints(set, protocol, spec.port, rows, verdicts.subarray(base, base + n * n));
        return;
      }
      if (!naive) {
        this.fanOutToGroups(set, protocol, spec.port, rows, verdicts.subarray(base, base + n * n));
        return;
      }
      const pair = naive
        ? this.naivePairs(set, protocol, spec.port, granularity)
        : this.classPairs(set, protocol, spec.port);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          verdicts[base + i * n + j] = pair(rows[i], rows[j]) ? 1 : 0;
        }
      }
    });
    const members = new Map<string, string[]>();
    for (const row of rows) {
      if (row.members !== undefined) {
        members.set(row.id, row.members.map((e) => e.id));
      }
    }
    return ReachabilityMatrix._fromVerdicts(rows.map((r) => r.id), portSpecs, verdicts, members);
  }

  /** The rows of a pod-granularity matrix: endpoints, once each. */
  private podRows(ids: string[] | undefined): MatrixRow[] {
    const rows: MatrixRow[] = [];
    const seen = new Set<string>();
    for (const id of ids ?? this.endpoints()) {
      const end = this.resolveEnd(id, 'matrix(): endpoints');
      const key = end.endpoint?.id ?? id;
      if (!seen.has(key)) {
        seen.add(key);
        rows.push(end.endpoint === undefined ? { id, end } : { id: end.endpoint.id, end: { id: end.endpoint.id, endpoint: end.endpoint } });
      }
    }
    return rows;
  }

  /** The rows of a workload-granularity matrix: workloads, once each. */
  private workloadRows(ids: string[] | undefined): MatrixRow[] {
    const workloads = ids === undefined ? [...this.inventory.workloads.values()] : ids.map((id) => this.resolveWorkload(id));
    const seen = new Set<string>();
    const rows: MatrixRow[] = [];
    for (const w of workloads) {
      if (seen.has(w.id)) {
        continue;
      }
      seen.add(w.id);
      const members = w.endpoints.map((i) => this.inventory.endpoints[i]);
      const classes = [...new Set(members.map((e) => this.classes.classOf(e)))];
      rows.push({ id: w.id, classes, members });
    }
    return rows;
  }

  /**
   * A workload by id: `namespace/kind/name`, or `namespace/name` when one workload of the
   * namespace has that name.
   */
  private resolveWorkload(id: any): WorkloadRecord {
    if (typeof id !== 'string' || id === '') {
      throw new Error(`NetworkModel.matrix(): endpoints: expected a workload id (namespace/kind/name or namespace/name), got ${show(id)}`);
    }
    const direct = this.inventory.workloads.get(id);
    if (direct !== undefined) {
      return direct;
    }
    const candidates = this.inventory.workloadsByShortId.get(id) ?? [];
    if (candidates.length === 1) {
      return this.inventory.workloads.get(candidates[0])!;
    }
    if (candidates.length > 1) {
      throw new Error(`NetworkModel.matrix(): endpoints: ${id} names several workloads; use one of ${candidates.join(', ')}`);
    }
    const close = closestNames(id, [...this.inventory.workloads.keys()]);
    const hint = close.length === 0 ? 'the model has no workloads' : `did you mean ${close.join(', ')}?`;
    throw new Error(`NetworkModel.matrix(): endpoints: unknown workload ${show(id)} (workloads are namespace/kind/name, e.g. prod/deployment/web); ${hint}`);
  }

  /** The rows of a class-granularity matrix: the classes of the given endpoints, once each. */
  private classRows(ids: string[] | undefined): MatrixRow[] {
    const classes: EndpointClass[] = [];
    if (ids === undefined) {
      classes.push(...this.classes.classes);
    } else {
      const seen = new Set<number>();
      for (const id of ids) {
        const end = this.resolveEnd(id, 'matrix(): endpoints');
        if (end.endpoint === undefined) {
          throw new Error(`NetworkModel.matrix(): endpoints: ${id} is outside the cluster; list addresses in includeExternal`);
        }
        const c = this.classes.classOf(end.endpoint);
        if (!seen.has(c.index)) {
          seen.add(c.index);
          classes.push(c);
        }
      }
    }
    return classes.map((c) => ({
      id: `class:${c.index}`,
      classes: [c],
      members: c.members.map((m) => this.inventory.endpoints[m]),
    }));
  }

  /**
   * Fills one port's cells of a pod-granularity matrix from the class verdicts: a cell is two
   * bit look-ups (the source's egress row, the destination's ingress row).
   */
  private fanOutToEndpoints(set: PolicySet, protocol: number, port: number | string | undefined, rows: readonly MatrixRow[], out: Uint8Array): void {
    const table = this.table(set, protocol, port);
    const n = rows.length;
    // Rows given as addresses (`ip:`, even of a pod: the address decides the flow's family) go flow by flow.
    const cls = rows.map((r) => (r.end!.endpoint === undefined || r.end!.address !== undefined ? -1 : this.classes.classOf(r.end!.endpoint).index));
    const reachable = cls.map((c, j) => (c < 0
      ? this.resolvePort(port, protocol, rows[j].end!).error === undefined
      : table.portOf(this.classes.classes[c]).error === undefined));
    const perFlow = this.classPairs(set, protocol, port);
    for (let i = 0; i < n; i++) {
      const s = cls[i];
      const egress = s < 0 ? undefined : table.row('egress', s);
      for (let j = 0; j < n; j++) {
        const d = cls[j];
        let allowed: boolean;
        if (!reachable[j]) {
          allowed = false;
        } else if (egress === undefined || d < 0) {
          allowed = perFlow(rows[i], rows[j]);
        } else if (i === j && rows[i].end!.endpoint!.kind === 'Pod') {
          // A pod's traffic to itself is never policed.
          allowed = true;
        } else {
          allowed = hasClass(egress, d) && hasClass(table.row('ingress', d), s);
        }
        out[i * n + j] = allowed ? 1 : 0;
      }
    }
  }

  /**
   * Fills one port's cells of a workload- or class-granularity matrix: a cell is allowed when
   * every pair of the rows' classes is (rows of `ip:` addresses go flow by flow).
   */
  private fanOutToGroups(set: PolicySet, protocol: number, port: number | string | undefined, rows: readonly MatrixRow[], out: Uint8Array): void {
    const table = this.table(set, protocol, port);
    const n = rows.length;
    const cls = rows.map((r) => (r.classes === undefined ? undefined : r.classes.map((c) => c.index)));
    const reachable = rows.map((r) => r.classes === undefined || r.classes.every((c) => table.portOf(c).error === undefined));
    const perFlow = this.classPairs(set, protocol, port);
    for (let i = 0; i < n; i++) {
      const sources = cls[i];
      const egress = sources?.map((s) => table.row('egress', s));
      for (let j = 0; j < n; j++) {
        const destinations = cls[j];
        let allowed = reachable[j];
        if (!allowed) {
          // A destination without the named port is unreachable on it.
        } else if (sources === undefined || destinations === undefined) {
          allowed = perFlow(rows[i], rows[j]);
        } else {
          for (let a = 0; allowed && a < sources.length; a++) {
            for (let b = 0; allowed && b < destinations.length; b++) {
              allowed = hasClass(egress![a], destinations[b]) && hasClass(table.row('ingress', destinations[b]), sources[a]);
            }
          }
        }
        out[i * n + j] = allowed ? 1 : 0;
      }
    }
  }

  /** Cell verdicts from class verdict tables (external addresses are evaluated per flow). */
  private classPairs(set: PolicySet, protocol: number, port: number | string | undefined): (a: MatrixRow, b: MatrixRow) => boolean {
    const table = this.table(set, protocol, port);
    // A class's representative stands for all its members (that is what makes it a class).
    const ends = (row: MatrixRow): FlowEnd[] => row.end !== undefined
      ? [row.end]
      : row.classes!.map((c) => ({ id: c.representative.id, endpoint: c.representative }));
    return (src, dst) => {
      if (src.end === undefined && dst.end === undefined) {
        return src.classes!.every((s) => dst.classes!.every((d) => table.allows(s, d)));
      }
      const a = src.end?.endpoint;
      const b = dst.end?.endpoint;
      if (a !== undefined && b !== undefined && src.end!.address === undefined && dst.end!.address === undefined) {
        if (table.portOf(this.classes.classOf(b)).error !== undefined) {
          return false;
        }
        return this.isPodToItself(src.end!, dst.end!) || table.allows(this.classes.classOf(a), this.classes.classOf(b));
      }
      // A group row stands for its replicas: a flow to or from it is between two pods (evaluated).
      const single = src.end !== undefined && dst.end !== undefined;
      return ends(src).every((x) => ends(dst).every((y) => this.flowAllowed(set, protocol, port, x, y, single)));
    };
  }

  /**
   * Cell verdicts flow by flow: every pair of endpoints through the policies that select them.
   * A row that stands for several endpoints is allowed when every pair of them is; a flow to or
   * from such a row is between two of its replicas and is evaluated even when both ends are one
   * pod (only two single-endpoint rows get the pod-to-itself exemption).
   */
  private naivePairs(
    set: PolicySet,
    protocol: number,
    port: number | string | undefined,
    granularity: MatrixGranularity,
  ): (a: MatrixRow, b: MatrixRow) => boolean {
    if (granularity === MatrixGranularity.POD) {
      return (src, dst) => this.flowAllowed(set, protocol, port, src.end!, dst.end!, true);
    }
    const ends = (row: MatrixRow): FlowEnd[] => row.end !== undefined
      ? [row.end]
      : row.members!.map((e) => ({ id: e.id, endpoint: e }));
    return (src, dst) => {
      const single = src.end !== undefined && dst.end !== undefined;
      return ends(src).every((a) => ends(dst).every((b) => this.flowAllowed(set, protocol, port, a, b, single)));
    };
  }

  /** One flow's verdict without a source port, as `check()` decides it. */
  private flowAllowed(set: PolicySet, protocol: number, port: number | string | undefined, src: FlowEnd, dst: FlowEnd, podSelf: boolean): boolean {
    const resolved = this.resolvePort(port, protocol, dst);
    if (resolved.error !== undefined) {
      return false;
    }
    if (podSelf && this.isPodToItself(src, dst)) {
      return true;
    }
    const f: Flow = { src, dst, protocol, port: resolved.port, family: this.familyOf(src, dst, protocol) };
    return this.overSourcePorts(set, f).allowed;
  }

  private table(set: PolicySet, protocol: number, port: number | string | undefined): ClassVerdictTable {
    let bySpec = this.tables.get(set);
    if (bySpec === undefined) {
      bySpec = new Map();
      this.tables.set(set, bySpec);
    }
    const key = `${protocol}/${typeof port}/${port}`;
    let table = bySpec.get(key);
    if (table === undefined) {
      table = new ClassVerdictTable({
        set,
        matcher: this.matcher,
        sourcePorts: this.sourcePorts,
        classes: this.classes,
        protocol,
        portOn: (dst) => this.resolvePort(port, protocol, dst),
        familyOf: (src, dst) => this.familyOf(src, dst, protocol),
      });
      bySpec.set(key, table);
    }
    return table;
  }

  /** A pod's traffic to itself (not a workload's: its endpoint stands for several pods). */
  private isPodToItself(src: FlowEnd, dst: FlowEnd): boolean {
    return src.endpoint !== undefined && src.endpoint === dst.endpoint && src.endpoint.kind === 'Pod';
  }

  /** Notes about the ends of a flow: `ip:` addresses standing for pods, unknown pod addresses, workloads. */
  private endNotes(src: FlowEnd, dst: FlowEnd): string[] {
    const notes: string[] = [];
    for (const end of src.id === dst.id ? [src] : [src, dst]) {
      if (end.address === undefined) {
        continue;
      }
      if (end.endpoint !== undefined) {
        notes.push(`${end.id} is the address of ${end.endpoint.id}: its labels, namespace, service account and policies apply (Calico matches selectors by IP-set membership)`);
        continue;
      }
      const podCidr = this.podCidrs.find((c) => cidrContains(c, end.address!));
      if (podCidr !== undefined) {
        notes.push(`${end.id} is inside the pod CIDR ${podCidr.text} but is the address of no pod in the manifests: it is treated as an address outside the cluster`);
      }
    }
    if (src.endpoint !== undefined && src.endpoint === dst.endpoint && src.endpoint.kind !== 'Pod') {
      notes.push(`${src.endpoint.id} stands for every pod of its ${src.endpoint.kind}: this is traffic between two of them (a pod's traffic to itself is never policed)`);
    }
    return notes;
  }

  /**
   * The verdict of a flow over its possible source ports: the given one, or, when rules look at
   * source ports, one port of each range of the ephemeral ports that they treat alike.
   */
  private overSourcePorts(set: PolicySet, base: Flow): SourcePortOutcome {
    if (base.sourcePort !== undefined) {
      return { explainWith: base.sourcePort, allowed: this.allowsWith(set, base) };
    }
    const ranges = this.sourcePorts.ranges(set, base);
    if (ranges.length === 0) {
      return { allowed: this.allowsWith(set, base) };
    }
    const verdicts = ranges.map((r) => this.allowsWith(set, { ...base, sourcePort: r.min }));
    const denied = verdicts.indexOf(false);
    const range = `Linux's default ephemeral range ${EPHEMERAL_PORTS.min}–${EPHEMERAL_PORTS.max}`;
    if (denied < 0 || verdicts.every((v) => !v)) {
      return {
        explainWith: ranges[0].min,
        allowed: denied < 0,
        note: `no source port was given and rules match on source ports: the verdict is the same for every port of ${range} (shown for ${ranges[0].min})`,
      };
    }
    const allowedRanges = ranges.filter((_, i) => verdicts[i]);
    const deniedRanges = ranges.filter((_, i) => !verdicts[i]);
    return {
      explainWith: ranges[denied].min,
      allowed: false,
      note: `no source port was given and the verdict depends on it (${range}): allowed from ${describeRanges(allowedRanges)}, `
        + `denied from ${describeRanges(deniedRanges)}; reported as DENIED, shown for source port ${ranges[denied].min} (give sourcePort to check one)`,
    };
  }

  private allowsWith(set: PolicySet, f: Flow): boolean {
    if (f.src.endpoint !== undefined && !directionAllows(set, this.matcher, f.src.endpoint, 'egress', f)) {
      return false;
    }
    return f.dst.endpoint === undefined || directionAllows(set, this.matcher, f.dst.endpoint, 'ingress', f);
  }

  private stagedSet(): PolicySet {
    if (this.withStaged === undefined) {
      const staged = this.allPolicies.filter((p) => p.staged !== undefined);
      const replaced = new Set(staged.map((p) => p.key));
      const effective = [
        ...this.allPolicies.filter((p) => p.staged === undefined && !replaced.has(p.key)),
        ...staged.filter((p) => p.staged === 'Set'),
      ];
      this.withStaged = new PolicySet(effective, this.tierRecords, this.inventory, this.index);
    }
    return this.withStaged;
  }

  private networkSetName(identity: number): string {
    const set = this.inventory.networkSets[this.inventory.identities[identity].networkSet];
    return set.namespace === undefined ? `${set.kind} ${set.name}` : `${set.kind} ${set.namespace}/${set.name}`;
  }

  private resolveEnd(id: any, what: string): FlowEnd {
    if (typeof id !== 'string' || id === '') {
      throw new Error(`NetworkModel: ${what}: expected an endpoint id (namespace/name or ip:<address>), got ${show(id)}`);
    }
    if (id.startsWith('ip:')) {
      const address = parseIpAddress(id.slice(3));
      if (address === undefined) {
        throw new Error(`NetworkModel: ${what}: ${show(id)} is not a valid address; write ip:<IPv4 or IPv6 address>, e.g. ip:203.0.113.7`);
      }
      const serviceCidr = this.serviceCidrs.find((c) => cidrContains(c, address));
      if (serviceCidr !== undefined) {
        // Calico: api/pkg/apis/projectcalico/v3/globalnetworkpolicy.go PreDNAT (only preDNAT policy sees the address before DNAT)
        throw new Error(
          `NetworkModel: ${what}: ${id} is inside the service CIDR ${serviceCidr.text}: Calico evaluates policy after kube-proxy `
          + 'translated a ClusterIP to the address of one of the service\'s pods; check the flow to that pod instead',
        );
      }
      const owners = this.inventory.endpointsWithAddress(address);
      if (owners.length > 1) {
        throw new Error(`NetworkModel: ${what}: ${id} is the address of several endpoints (${owners.map((e) => e.id).join(', ')}); name one of them instead`);
      }
      return owners.length === 1 ? { id: `ip:${address.text}`, endpoint: owners[0], address } : { id: `ip:${address.text}`, address };
    }
    const index = this.inventory.byId.get(id);
    if (index !== undefined) {
      return { id: this.inventory.endpoints[index].id, endpoint: this.inventory.endpoints[index] };
    }
    const choices = this.inventory.ambiguous.get(id);
    if (choices !== undefined) {
      throw new Error(`NetworkModel: ${what}: ${id} names several workloads; use one of ${choices.join(', ')}`);
    }
    const workload = this.inventory.workloads.get(id);
    if (workload !== undefined) {
      // A workload known only through its pods: they may differ (addresses, rollouts), so name one.
      const pods = workload.endpoints.map((i) => this.inventory.endpoints[i].id);
      const shown = pods.length > 5 ? `${pods.slice(0, 5).join(', ')}, …` : pods.join(', ');
      throw new Error(
        `NetworkModel: ${what}: ${id} is a workload of ${pods.length} ${pods.length === 1 ? 'pod' : 'pods'} (${shown}); `
        + 'name one of its pods, or use matrix({ granularity: MatrixGranularity.WORKLOAD })',
      );
    }
    const all = this.inventory.endpoints.map((e) => e.id);
    const close = closestNames(id, all);
    const hint = close.length === 0 ? 'the model has no endpoints' : `did you mean ${close.join(', ')}?`;
    const form = id.includes('/') ? '' : ' (endpoints are namespace/name; addresses outside the cluster are ip:<address>)';
    throw new Error(`NetworkModel: ${what}: unknown endpoint ${show(id)}${form}; ${hint}`);
  }

  private resolveProtocol(value: any, what: string): number {
    if (value === undefined || value === null) {
      return TCP;
    }
    const read = parseQueryProtocol(value);
    if ('problem' in read) {
      throw new Error(`NetworkModel.${what}: ${read.problem}`);
    }
    return read.protocol;
  }

  private resolvePort(value: any, protocol: number, dst: FlowEnd): ResolvedPort {
    if (value === undefined || value === null) {
      return {};
    }
    if (typeof value === 'number' || (typeof value === 'string' && /^[0-9]+$/.test(value))) {
      const n = Number(value);
      if (!isPortNumber(n)) {
        return { error: `${show(value)} is not a valid port number; use an integer from ${MIN_PORT} to ${MAX_PORT}, or the name of a container port of the destination` };
      }
      return supportsPorts(protocol) ? { port: n } : {};
    }
    if (!supportsPorts(protocol)) {
      return {};
    }
    if (typeof value !== 'string' || value === '') {
      return { error: `expected a port number or a container port name, got ${show(value)}` };
    }
    const e: EndpointRecord | undefined = dst.endpoint;
    if (e === undefined) {
      return { error: `the port name ${show(value)} cannot be resolved on ${dst.id}: addresses outside the cluster have no named ports` };
    }
    const match = e.ports.find((p) => p.name === value && p.protocol === protocol);
    if (match === undefined) {
      const named = e.ports.filter((p) => p.name !== undefined).map((p) => `${p.name} (${protocolName(p.protocol)} ${p.port})`);
      return {
        error: `${dst.id} has no ${protocolName(protocol)} container port named ${show(value)}; `
          + `${named.length === 0 ? 'it has no named ports' : `its named ports are ${named.join(', ')}`}`,
      };
    }
    return { port: match.port };
  }

  private resolveSourcePort(value: any, protocol: number): number | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (!isPortNumber(value)) {
      throw new Error(`NetworkModel.check(): sourcePort: ${show(value)} is not a valid port number; use an integer from ${MIN_PORT} to ${MAX_PORT}`);
    }
    return supportsPorts(protocol) ? value : undefined;
  }

  private familyOf(src: FlowEnd, dst: FlowEnd, protocol: number): 4 | 6 {
    const addresses: IpAddress[] = [src.address, dst.address].filter((a): a is IpAddress => a !== undefined);
    if (addresses.length === 2 && addresses[0].version !== addresses[1].version) {
      throw new Error(`NetworkModel: ${src.id} and ${dst.id} are of different IP families; a flow stays within IPv4 or IPv6`);
    }
    let family: 4 | 6 | undefined = addresses.length > 0 ? addresses[0].version : undefined;
    if (protocol === ICMP || protocol === ICMPV6) {
      const wanted = protocol === ICMP ? 4 : 6;
      if (family !== undefined && family !== wanted) {
        throw new Error(`NetworkModel: ${protocolName(protocol)} needs IPv${wanted} addresses, but the flow uses IPv${family}`);
      }
      return wanted;
    }
    if (family !== undefined) {
      return family;
    }
    const s = new Set((src.endpoint?.ips ?? []).map((ip) => ip.version));
    const d = new Set((dst.endpoint?.ips ?? []).map((ip) => ip.version));
    if (s.has(4) && d.has(4)) {
      family = 4;
    } else if (s.has(6) && d.has(6)) {
      family = 6;
    } else {
      const known = new Set([...s, ...d]);
      family = known.size === 1 && known.has(6) ? 6 : 4;
    }
    return family;
  }
}
