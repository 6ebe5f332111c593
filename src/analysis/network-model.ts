/**
 * The offline Calico network model: which endpoint can reach which, proven from plain manifests.
 */
import { App, Chart } from 'cdk8s';
import { forEachManifest } from './manifest-list';
import { manifestsOfApp, manifestsOfChart } from './manifests';
import { IpAddress, parseIpAddress } from './network-cidr';
import { EndpointRecord, Inventory, InventoryBuilder } from './network-endpoints';
import { DirectionVerdict, directionAllows, explainDirection, notApplicable } from './network-evaluate';
import { IdentityIndex, PolicySet } from './network-index';
import { LABEL_NAME, LABEL_NAMESPACE, LABEL_ORCHESTRATOR, LABEL_SERVICE_ACCOUNT } from './network-labels';
import { Flow, FlowEnd, FlowMatcher } from './network-match';
import { MatrixCell, MatrixOptions, PortSpec, ReachabilityMatrix } from './network-matrix';
import { closestNames, isObject, show } from './network-objects';
import { PolicyReader, PolicyRecord, TierRecord } from './network-policies';
import { ICMP, ICMPV6, parseProtocol, protocolName, supportsPorts, TCP } from './network-ports';
import { RuleCompiler } from './network-rules';

/** A flow to check: who talks to whom, over what. */
export interface FlowQuery {
  /** Source: `namespace/name` of a pod or workload, or `ip:<address>` outside the cluster. */
  readonly from: string;
  /** Destination: `namespace/name` of a pod or workload, or `ip:<address>` outside the cluster. */
  readonly to: string;
  /**
   * `TCP`, `UDP`, `SCTP`, `UDPLite`, `ICMP`, `ICMPv6` (any case) or a protocol number 1–255.
   * ICMP and ICMPv6 flows stand for an echo request (ping).
   * @default 'TCP'
   */
  readonly protocol?: string;
  /**
   * Destination port: a number, or the name of a container port of the destination with the
   * flow's protocol. Ignored for protocols without ports.
   * @default - no port: rules that name ports do not match, rules with notPorts do
   */
  readonly port?: number | string;
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

/** Options of `NetworkModel.fromManifests()`, `fromChart()` and `fromApp()`. */
export interface NetworkModelOptions {
  /**
   * Tiers that exist in the cluster but are not declared in the manifests. A policy in a tier
   * that is neither declared in the manifests, built into Calico (`kube-admin`, `default`,
   * `kube-baseline`) nor listed here is an error.
   * @default - none
   */
  readonly tiers?: ExternalTier[];
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
  /** The labels Calico selectors see: pod labels plus `projectcalico.org/namespace`, `orchestrator` and `serviceaccount`. */
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

/**
 * An offline model of Calico (v3.32) policy enforcement over a set of manifests: Kubernetes
 * namespaces, pods, workloads, service accounts and services; Kubernetes NetworkPolicies; Calico
 * tiers, (global) network policies, (global) network sets and staged policies.
 *
 * Semantics decided where manifests cannot say:
 * - a workload (Deployment, StatefulSet, …) is one endpoint named after it, with its pod
 *   template's labels, service account and container ports;
 * - an endpoint with no known IP (status.podIP(s) or the `cni.projectcalico.org/podIP(s)`
 *   annotations) matches no `nets`/ipBlock and every `notNets`/except, except that a block of
 *   the whole family (`0.0.0.0/0`, `::/0`) contains it, as it contains every address;
 * - a query without a port matches no rule that names ports and every rule with `notPorts`;
 *   source ports are never known, so `source.ports` never matches and `source.notPorts` always does;
 * - ICMP/ICMPv6 queries stand for an echo request (type 8 / 128, code 0);
 * - HTTP criteria (layer 7) are not evaluated: such a rule matches on its layer 3/4 criteria;
 * - doNotTrack and preDNAT global policies apply to host endpoints only and are skipped;
 * - the IP family of a flow comes from an `ip:` end, ICMP/ICMPv6, or the endpoints' known IPs
 *   (IPv4 when unknown).
 */
export class NetworkModel {
  /**
   * Builds the model from plain objects as they appear in YAML (lists such as `kind: List` are unpacked;
   * null entries are skipped; unknown kinds are ignored).
   *
   * @param objects the manifests
   * @param options tiers managed outside the manifests
   * @throws Error naming the kind, namespace, name and field of a malformed object, and naming
   *   the policy and its tier when the tier does not exist
   */
  public static fromManifests(objects: any[], options?: NetworkModelOptions): NetworkModel {
    if (!Array.isArray(objects)) {
      throw new Error(`NetworkModel.fromManifests(): expected a list of Kubernetes objects, got ${show(objects)}`);
    }
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
    return new NetworkModel(inventory.build(), policies.allTiers(options), policies.policies);
  }

  /**
   * Builds the model from the objects a chart synthesizes.
   * @param chart the chart
   * @param options tiers managed outside the chart
   */
  public static fromChart(chart: Chart, options?: NetworkModelOptions): NetworkModel {
    return NetworkModel.fromManifests(manifestsOfChart(chart), options);
  }

  /**
   * Builds the model from the objects all charts of an app synthesize.
   * @param app the app
   * @param options tiers managed outside the app
   */
  public static fromApp(app: App, options?: NetworkModelOptions): NetworkModel {
    return NetworkModel.fromManifests(manifestsOfApp(app), options);
  }

  private readonly inventory: Inventory;
  private readonly tiers: ReadonlyMap<string, TierRecord>;
  private readonly allPolicies: readonly PolicyRecord[];
  private readonly index: IdentityIndex;
  private readonly matcher: FlowMatcher;
  private readonly enforced: PolicySet;
  private withStaged?: PolicySet;

  private constructor(inventory: Inventory, tiers: ReadonlyMap<string, TierRecord>, policies: readonly PolicyRecord[]) {
    this.inventory = inventory;
    this.tiers = tiers;
    this.allPolicies = policies;
    this.index = new IdentityIndex(inventory.identities);
    this.matcher = new FlowMatcher(inventory, this.index);
    this.enforced = new PolicySet(policies.filter((p) => p.staged === undefined), tiers, inventory, this.index);
  }

  /** The ids of every endpoint (pods and workloads), sorted. */
  public endpoints(): string[] {
    return this.inventory.endpoints.map((e) => e.id);
  }

  /**
   * What the model knows about an endpoint (or an `ip:` address).
   * @param id `namespace/name` or `ip:<address>`
   */
  public endpoint(id: string): EndpointInfo {
    const end = this.resolveEnd(id, 'endpoint');
    const e = end.endpoint;
    if (e === undefined) {
      const address = end.address!;
      return {
        id,
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
      labels: {
        ...e.podLabels,
        [LABEL_NAMESPACE]: e.namespace,
        [LABEL_ORCHESTRATOR]: 'k8s',
        [LABEL_SERVICE_ACCOUNT]: e.serviceAccount,
      },
      namespaceLabels: this.inventory.namespaceLabels(e.namespace),
      serviceAccount: e.serviceAccount,
      serviceAccountLabels: { ...(sa?.labels ?? {}), [LABEL_NAME]: e.serviceAccount },
      ips: e.ips.map((ip) => ip.text),
      networkSets: [...sets].sort(),
      hostNetwork: e.hostNetwork,
    };
  }

  /**
   * Whether a flow is allowed, and why: the source's egress and the destination's ingress are
   * evaluated through Calico's tiers; both must allow.
   *
   * @param flow the flow
   * @param options evaluation options
   * @throws Error for an unknown endpoint (listing close names), an unknown protocol or an
   *   unresolvable port name
   */
  public check(flow: FlowQuery, options?: CheckOptions): FlowVerdict {
    if (!isObject(flow)) {
      throw new Error(`NetworkModel.check(): expected a flow { from, to, protocol?, port? }, got ${show(flow)}`);
    }
    const src = this.resolveEnd(flow.from, 'from');
    const dst = this.resolveEnd(flow.to, 'to');
    const protocol = this.resolveProtocol(flow.protocol, 'check(): protocol');
    const resolved = this.resolvePort(flow.port, protocol, dst);
    if (resolved.error !== undefined) {
      throw new Error(`NetworkModel.check(): port: ${resolved.error}`);
    }
    const f: Flow = { src, dst, protocol, port: resolved.port, family: this.familyOf(src, dst, protocol) };
    const includeStaged = options?.includeStaged === true;
    const set = includeStaged ? this.stagedSet() : this.enforced;
    const egress = src.endpoint === undefined ? notApplicable(src) : explainDirection(set, this.matcher, src.endpoint, 'egress', f);
    const ingress = dst.endpoint === undefined ? notApplicable(dst) : explainDirection(set, this.matcher, dst.endpoint, 'ingress', f);
    const allowed = egress.allowed && ingress.allowed;

    const portText = f.port === undefined ? '' : ` port ${f.port}${typeof flow.port === 'string' && !/^[0-9]+$/.test(flow.port) ? ` (${flow.port})` : ''}`;
    const lines: string[] = [];
    lines.push(`${src.id} -> ${dst.id} ${protocolName(protocol)}${portText} (IPv${f.family}): ${allowed ? 'ALLOWED' : 'DENIED'}${includeStaged ? ' (staged policies included)' : ''}`);
    for (const [name, end, verdict] of [['egress', src, egress], ['ingress', dst, ingress]] as const) {
      lines.push(`  ${name} of ${end.id}: ${verdict.allowed ? 'allowed' : 'denied'}: ${verdict.reason}`);
      for (const t of verdict.trace) {
        lines.push(`    ${t}`);
      }
    }
    if (!includeStaged && this.allPolicies.some((p) => p.staged !== undefined)) {
      const staged = this.stagedSet();
      const stagedAllowed = this.allowsWith(staged, f);
      if (stagedAllowed !== allowed) {
        lines.push(`  staged policies would change this verdict to ${stagedAllowed ? 'ALLOWED' : 'DENIED'} (check with includeStaged: true)`);
      }
    }
    return { allowed, egress, ingress, explanation: lines.join('\n') };
  }

  /**
   * Every verdict between a set of endpoints on a set of ports.
   *
   * @param options which endpoints and ports
   * @throws Error for unknown endpoints or protocols
   */
  public matrix(options?: MatrixOptions): ReachabilityMatrix {
    const ids = options?.endpoints ?? this.endpoints();
    const ends: FlowEnd[] = [];
    const seen = new Set<string>();
    for (const id of ids) {
      const end = this.resolveEnd(id, 'matrix(): endpoints');
      const key = end.endpoint?.id ?? id;
      if (!seen.has(key)) {
        seen.add(key);
        ends.push(end.endpoint === undefined ? end : { id: end.endpoint.id, endpoint: end.endpoint });
      }
    }
    for (const id of options?.includeExternal ?? []) {
      if (typeof id !== 'string' || !id.startsWith('ip:')) {
        throw new Error(`NetworkModel.matrix(): includeExternal: ${show(id)} is not an external address; write it as ip:<address>, e.g. ip:203.0.113.7`);
      }
      const end = this.resolveEnd(id, 'matrix(): includeExternal');
      if (!seen.has(id)) {
        seen.add(id);
        ends.push(end);
      }
    }
    const specs = options?.ports ?? [{ protocol: 'TCP' }];
    const set = options?.includeStaged === true ? this.stagedSet() : this.enforced;
    const portSpecs: PortSpec[] = [];
    const cells: MatrixCell[] = [];
    specs.forEach((spec, p) => {
      const protocol = this.resolveProtocol(spec.protocol, `matrix(): ports[${p}].protocol`);
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
      const ports = ends.map((dst) => this.resolvePort(spec.port, protocol, dst));
      for (const src of ends) {
        for (let j = 0; j < ends.length; j++) {
          const dst = ends[j];
          const port = ports[j];
          let allowed = false;
          if (port.error === undefined) {
            const f: Flow = { src, dst, protocol, port: port.port, family: this.familyOf(src, dst, protocol) };
            allowed = this.allowsWith(set, f);
          }
          cells.push(spec.port === undefined
            ? { from: src.id, to: dst.id, protocol: name, allowed }
            : { from: src.id, to: dst.id, protocol: name, port: spec.port, allowed });
        }
      }
    });
    return new ReachabilityMatrix(ends.map((e) => e.id), portSpecs, cells);
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
      this.withStaged = new PolicySet(effective, this.tiers, this.inventory, this.index);
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
      return { id: `ip:${address.text}`, address };
    }
    const index = this.inventory.byId.get(id);
    if (index !== undefined) {
      return { id: this.inventory.endpoints[index].id, endpoint: this.inventory.endpoints[index] };
    }
    const choices = this.inventory.ambiguous.get(id);
    if (choices !== undefined) {
      throw new Error(`NetworkModel: ${what}: ${id} names several workloads; use one of ${choices.join(', ')}`);
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
    const protocol = parseProtocol(value);
    if (protocol === undefined) {
      throw new Error(`NetworkModel.${what}: ${show(value)} is not a protocol; use TCP, UDP, SCTP, UDPLite, ICMP, ICMPv6 or a number from 1 to 255`);
    }
    return protocol;
  }

  private resolvePort(value: any, protocol: number, dst: FlowEnd): ResolvedPort {
    if (value === undefined || value === null || !supportsPorts(protocol)) {
      return {};
    }
    if (typeof value === 'number' || (typeof value === 'string' && /^[0-9]+$/.test(value))) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 65535) {
        return { error: `${show(value)} is not a port; use an integer from 0 to 65535 or a container port name` };
      }
      return { port: n };
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
