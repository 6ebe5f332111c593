/**
 * The things policies select and match: namespaces, service accounts, pods and workloads,
 * network sets and services, read from plain manifests.
 *
 * Internal module of the network model.
 */
import { calicoLabelMap, LABEL_K8S_NAMESPACE_NAME, LABEL_NAME, LABEL_NAMESPACE, workloadEndpointLabels, workloadEndpointOwnLabels } from './network-labels';
import {
  fail,
  isObject,
  ObjectRef,
  optArray,
  optBoolean,
  optObject,
  optString,
  optStringArray,
  optStringMap,
  show,
} from './network-objects';
import { ContainerPort, containerPortsOf, k8sProtocolAt } from './network-ports';
import { CALICO_API_GROUPS } from '../core/calico';
import { anyCidrContains, Cidr, IpAddress, parseCidr, parseIpAddress } from '../core/cidr';
import { isPortNumber, MAX_PORT, MIN_PORT } from '../core/ports';
import { TCP } from '../core/protocol';
import { POD_TEMPLATE_KINDS } from '../core/resource-catalogue';
import { Labels } from '../selector/ast';

/** A namespace, declared or implied by a namespaced object. */
export interface NamespaceRecord {
  readonly name: string;
  /** Kubernetes labels, including `kubernetes.io/metadata.name`. */
  readonly labels: Labels;
  readonly declared: boolean;
}

/** A service account, declared or implied by a pod. */
export interface ServiceAccountRecord {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly declared: boolean;
}

/** A pod, or a workload counted as one endpoint. */
export interface EndpointRecord {
  /** Position in `Inventory.endpoints`. */
  readonly index: number;
  /** The id used in queries (`namespace/name`, or `namespace/kind/name` when names clash). */
  readonly id: string;
  /** Every id this endpoint answers to. */
  readonly aliases: readonly string[];
  /** `Pod`, `Deployment`, `StatefulSet`, … */
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The pod (template) labels. */
  readonly podLabels: Labels;
  readonly serviceAccount: string;
  /** Known IPs (status or Calico annotations); may be empty. */
  readonly ips: readonly IpAddress[];
  /** Host-networked pods are not Calico workload endpoints. */
  readonly hostNetwork: boolean;
  readonly ports: readonly ContainerPort[];
  /** The label map Calico matches selectors against. */
  readonly labels: Labels;
  /**
   * Index in `Inventory.identities`; -1 for host-networked pods. Endpoints with the same
   * namespace, service account and pod labels (replicas of a workload) share one identity:
   * every selector treats them alike.
   */
  readonly identity: number;
  /** Identities of the network sets containing one of its IPv4 / IPv6 addresses. */
  readonly networkSetIdentities: { readonly 4: readonly number[]; readonly 6: readonly number[] };
  /** The workload it belongs to: `namespace/kind/name` (kind lowercase; `pod` for a pod no controller owns). */
  readonly workload: string;
}

/** A workload: what controls a set of pods (or a workload object of the manifests without pods). */
export interface WorkloadRecord {
  /** `namespace/kind/name`, kind lowercase. */
  readonly id: string;
  readonly namespace: string;
  /** `Deployment`, `StatefulSet`, …, or `Pod`. */
  readonly kind: string;
  readonly name: string;
  /**
   * The endpoints it stands for, by index: its pods when the manifests have any, else its own
   * (pod template) endpoint and those of workloads it controls.
   */
  readonly endpoints: readonly number[];
}

/** A NetworkSet or GlobalNetworkSet. */
export interface NetworkSetRecord {
  readonly kind: 'NetworkSet' | 'GlobalNetworkSet';
  readonly namespace?: string;
  readonly name: string;
  readonly nets: readonly Cidr[];
  /** The label map Calico matches selectors against. */
  readonly labels: Labels;
  readonly identity: number;
}

/** A port of a Kubernetes Service. */
export interface ServicePortRecord {
  readonly port: number;
  readonly targetPort: number | string;
  readonly protocol: number;
}

/** A Kubernetes Service (used by Calico `services` rule matches). */
export interface ServiceRecord {
  readonly namespace: string;
  readonly name: string;
  /** `undefined` when the service has no selector (no backing pods the model can know). */
  readonly selector?: Labels;
  readonly ports: readonly ServicePortRecord[];
}

/**
 * Something a selector can select by labels: the workload endpoints with one namespace, service
 * account and pod labels (replicas of a workload share them), or a network set.
 */
export interface Identity {
  readonly labels: Labels;
  /** The first endpoint with this identity (the lowest index), or -1 for a network set. */
  readonly endpoint: number;
  /** Every endpoint with this identity, by index (empty for a network set). */
  readonly endpoints?: readonly number[];
  /** Network set index, or -1. */
  readonly networkSet: number;
  /** Namespace, for namespaced identities. */
  readonly namespace?: string;
}

/** Calico API groups. */
export const CALICO_GROUPS: readonly string[] = CALICO_API_GROUPS;

/** The API group of an apiVersion (`''` for the core group). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** metadata.name, required and non-empty. */
export function requireName(obj: any, ref: ObjectRef): string {
  const metadata = optObject(obj, 'metadata', ref, 'metadata');
  const name = optString(metadata, 'name', ref, 'metadata.name');
  if (name === undefined || name === '') {
    fail(ref, 'metadata.name', 'missing; every object needs a name');
  }
  return name;
}

/** metadata.namespace, defaulting to `default`. */
export function namespaceOf(obj: any, ref: ObjectRef): string {
  const metadata = optObject(obj, 'metadata', ref, 'metadata');
  const ns = optString(metadata, 'namespace', ref, 'metadata.namespace');
  return ns === undefined || ns === '' ? 'default' : ns;
}

/** The controller of an object (its ownerReference with `controller: true`). */
interface Owner {
  readonly kind: string;
  readonly name: string;
}

interface PendingEndpoint {
  owner?: Owner;
  /** The `pod-template-hash` label of a pod (it names the ReplicaSet of a Deployment). */
  templateHash?: string;
  kind: string;
  namespace: string;
  name: string;
  podLabels: Labels;
  serviceAccount: string;
  ips: IpAddress[];
  hostNetwork: boolean;
  ports: ContainerPort[];
}

interface PendingNetworkSet {
  kind: 'NetworkSet' | 'GlobalNetworkSet';
  namespace?: string;
  name: string;
  labels: Labels;
  nets: Cidr[];
}

// Calico: libcalico-go/lib/backend/k8s/conversion/constants.go AnnotationPodIP, AnnotationPodIPs, AnnotationAWSPodIPs
const POD_IP_ANNOTATION = 'cni.projectcalico.org/podIP';
const POD_IPS_ANNOTATION = 'cni.projectcalico.org/podIPs';
const AWS_POD_IPS_ANNOTATION = 'vpc.amazonaws.com/pod-ips';

function parseAddressList(texts: string[], ref: ObjectRef, field: string): IpAddress[] {
  return texts.map((t) => {
    // Calico: conversion.go getPodIPs (cnet.ParseCIDROrIP: an address, or an address with a prefix length)
    const cidr = parseCidr(t);
    if (typeof cidr === 'string') {
      fail(ref, field, `${show(t)} is not an IP address: ${cidr}`);
    }
    const slash = t.indexOf('/');
    return parseIpAddress(slash < 0 ? t : t.slice(0, slash))!;
  });
}

/** IPs from status (pods) or the Calico CNI annotations, in Calico's order of preference. */
// Calico: libcalico-go/lib/backend/k8s/conversion/conversion.go getPodIPs
function ipsOf(status: any, annotations: Labels[], ref: ObjectRef, statusField: string): IpAddress[] {
  if (status !== undefined) {
    const podIPs = optArray(status, 'podIPs', ref, `${statusField}.podIPs`);
    if (podIPs !== undefined && podIPs.length > 0) {
      return parseAddressList(
        podIPs.map((entry, i) => {
          if (!isObject(entry) || typeof entry.ip !== 'string') {
            fail(ref, `${statusField}.podIPs[${i}]`, `expected an object with an ip string, got ${show(entry)}`);
          }
          return entry.ip as string;
        }),
        ref,
        `${statusField}.podIPs`,
      );
    }
    const podIP = optString(status, 'podIP', ref, `${statusField}.podIP`);
    if (podIP !== undefined && podIP !== '') {
      return parseAddressList([podIP], ref, `${statusField}.podIP`);
    }
  }
  for (const ann of annotations) {
    const plural = ann[POD_IPS_ANNOTATION];
    if (plural !== undefined && plural !== '') {
      // Calico: conversion.go getPodIPs (strings.Split(ips, ","), each part parsed as it is)
      return parseAddressList(plural.split(','), ref, `metadata.annotations["${POD_IPS_ANNOTATION}"]`);
    }
    const single = ann[POD_IP_ANNOTATION];
    if (single !== undefined && single !== '') {
      return parseAddressList([single], ref, `metadata.annotations["${POD_IP_ANNOTATION}"]`);
    }
    const aws = ann[AWS_POD_IPS_ANNOTATION];
    if (aws !== undefined && aws !== '') {
      return parseAddressList(aws.split(','), ref, `metadata.annotations["${AWS_POD_IPS_ANNOTATION}"]`);
    }
  }
  return [];
}

/** `deployment` → `Deployment` for the kinds the model knows; other kinds as written in the owner reference. */
function displayKind(kind: string): string {
  const known = [...Object.keys(POD_TEMPLATE_KINDS), 'Pod'].find((k) => k.toLowerCase() === kind.toLowerCase());
  return known ?? kind;
}

/** A label map as a string that is equal for equal maps, whatever the order of their keys. */
export function labelKey(labels: Labels): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

function labelsEqual(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** Everything the policies talk about, once all objects are read. */
export class Inventory {
  /** Namespaces by name. */
  public readonly namespaces = new Map<string, NamespaceRecord>();
  /** Service accounts by `namespace/name`. */
  public readonly serviceAccounts = new Map<string, ServiceAccountRecord>();
  /** Endpoints sorted by id. */
  public readonly endpoints: EndpointRecord[] = [];
  /** Every id and alias → endpoint index. */
  public readonly byId = new Map<string, number>();
  /** Short ids that name several workloads, with the ids to use instead. */
  public readonly ambiguous = new Map<string, string[]>();
  /** Workloads by id (`namespace/kind/name`), sorted. */
  public readonly workloads = new Map<string, WorkloadRecord>();
  /** Workload ids by `namespace/name`. */
  public readonly workloadsByShortId = new Map<string, string[]>();
  public readonly networkSets: NetworkSetRecord[] = [];
  /** Services by `namespace/name`. */
  public readonly services = new Map<string, ServiceRecord>();
  /** Workload endpoints first (by endpoint index, host-networked ones skipped), then network sets. */
  public readonly identities: Identity[] = [];

  private readonly externalSets = new Map<string, number[]>();
  private byAddress?: Map<string, EndpointRecord[]>;

  /**
   * The workload endpoints (not host-networked pods) that have this address. Calico matches
   * selectors by IP-set membership, so a packet from or to this address is that endpoint's.
   */
  // Calico: felix/calc/rule_scanner.go (selectors become IP sets of the matching endpoints' addresses)
  public endpointsWithAddress(address: IpAddress): readonly EndpointRecord[] {
    if (this.byAddress === undefined) {
      this.byAddress = new Map();
      for (const e of this.endpoints) {
        if (e.hostNetwork) {
          continue;
        }
        for (const ip of e.ips) {
          const list = this.byAddress.get(ip.text) ?? [];
          if (!list.includes(e)) {
            list.push(e);
          }
          this.byAddress.set(ip.text, list);
        }
      }
    }
    return this.byAddress.get(address.text) ?? [];
  }

  /** Identities of the network sets containing an address (cached). */
  public networkSetIdentitiesContaining(address: IpAddress): readonly number[] {
    let found = this.externalSets.get(address.text);
    if (found === undefined) {
      found = this.networkSets.filter((s) => anyCidrContains(s.nets, address)).map((s) => s.identity);
      this.externalSets.set(address.text, found);
    }
    return found;
  }

  /** The namespace's labels as a namespaceSelector sees them (with `projectcalico.org/name`). */
  public namespaceLabels(name: string): Labels {
    const ns = this.namespaces.get(name);
    return { ...(ns ? ns.labels : { [LABEL_K8S_NAMESPACE_NAME]: name }), [LABEL_NAME]: name };
  }
}

/** Reads the endpoint-side kinds of a manifest stream and builds an {@link Inventory}. */
export class InventoryBuilder {
  private readonly namespaces = new Map<string, { labels: Labels; ref: ObjectRef }>();
  private readonly serviceAccounts = new Map<string, { labels: Labels; ref: ObjectRef }>();
  private readonly pending: PendingEndpoint[] = [];
  private readonly pendingKeys = new Map<string, ObjectRef>();
  private readonly networkSets: PendingNetworkSet[] = [];
  private readonly networkSetKeys = new Set<string>();
  private readonly services = new Map<string, ServiceRecord>();
  private readonly referencedNamespaces = new Set<string>();
  /** Workload objects by `kind/namespace/name`, with their controller. */
  private readonly owners = new Map<string, { owner?: Owner }>();

  /**
   * Reads an object if it is one of the endpoint-side kinds.
   * @returns true when the object was consumed
   */
  public accept(obj: any, kind: string, apiVersion: string): boolean {
    const group = apiGroup(apiVersion);
    if (group === '' && kind === 'Namespace') {
      this.addNamespace(obj, new ObjectRef(kind, apiVersion, obj?.metadata?.name, undefined));
      return true;
    }
    if (group === '' && kind === 'ServiceAccount') {
      this.addServiceAccount(obj, this.ref(obj, kind, apiVersion));
      return true;
    }
    if (group === '' && kind === 'Pod') {
      this.addPod(obj, this.ref(obj, kind, apiVersion));
      return true;
    }
    if (group === '' && kind === 'Service') {
      this.addService(obj, this.ref(obj, kind, apiVersion));
      return true;
    }
    const groups = POD_TEMPLATE_KINDS[kind];
    if (groups !== undefined && groups.includes(group)) {
      this.addWorkload(obj, kind, this.ref(obj, kind, apiVersion));
      return true;
    }
    if (CALICO_GROUPS.includes(group) && (kind === 'NetworkSet' || kind === 'GlobalNetworkSet')) {
      const ref = kind === 'NetworkSet' ? this.ref(obj, kind, apiVersion) : new ObjectRef(kind, apiVersion, obj?.metadata?.name, undefined);
      this.addNetworkSet(obj, kind, ref);
      return true;
    }
    return false;
  }

  /** Notes a namespace some other object lives in or refers to. */
  public referenceNamespace(name: string): void {
    this.referencedNamespaces.add(name);
  }

  /** Builds the inventory. */
  public build(): Inventory {
    const inv = new Inventory();
    const nsNames = new Set<string>([...this.namespaces.keys(), ...this.referencedNamespaces]);
    for (const p of this.pending) {
      nsNames.add(p.namespace);
    }
    for (const s of this.networkSets) {
      if (s.namespace !== undefined) {
        nsNames.add(s.namespace);
      }
    }
    for (const s of this.services.values()) {
      nsNames.add(s.namespace);
    }
    for (const name of [...nsNames].sort()) {
      const declared = this.namespaces.get(name);
      inv.namespaces.set(name, {
        name,
        labels: { ...(declared ? declared.labels : {}), [LABEL_K8S_NAMESPACE_NAME]: name },
        declared: declared !== undefined,
      });
    }
    for (const [key, sa] of this.serviceAccounts) {
      const [namespace, name] = key.split('/');
      inv.serviceAccounts.set(key, { namespace, name, labels: sa.labels, declared: true });
    }
    for (const p of this.pending) {
      const key = `${p.namespace}/${p.serviceAccount}`;
      if (!inv.serviceAccounts.has(key)) {
        inv.serviceAccounts.set(key, { namespace: p.namespace, name: p.serviceAccount, labels: {}, declared: false });
      }
    }
    for (const [key, svc] of [...this.services].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      inv.services.set(key, svc);
    }

    // Ids: namespace/name unless two workloads share it, then namespace/kind/name.
    const shortCount = new Map<string, number>();
    for (const p of this.pending) {
      const short = `${p.namespace}/${p.name}`;
      shortCount.set(short, (shortCount.get(short) ?? 0) + 1);
    }
    const withIds = this.pending.map((p) => {
      const short = `${p.namespace}/${p.name}`;
      const qualified = `${p.namespace}/${p.kind.toLowerCase()}/${p.name}`;
      const id = shortCount.get(short)! > 1 ? qualified : short;
      return { p, id, short, qualified };
    });
    withIds.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

    const workloadOf = this.workloadIds(withIds.map(({ p }) => p));
    const endpoints: EndpointRecord[] = [];
    // One identity per namespace, service account and pod labels: selectors see nothing else of an endpoint.
    const identityKeys = new Map<string, number>();
    const identityMembers: number[][] = [];
    const identityLabels: Labels[] = [];
    const identityOf: number[] = [];
    const labelsOf = withIds.map(({ p }) => {
      // Replicas share namespace, service account and pod labels: their label map is computed once.
      const key = `${p.namespace}\u0000${p.serviceAccount}\u0000${labelKey(p.podLabels)}`;
      let identity = identityKeys.get(key);
      if (identity === undefined) {
        const sa = inv.serviceAccounts.get(`${p.namespace}/${p.serviceAccount}`)!;
        identity = identityMembers.length;
        identityKeys.set(key, identity);
        identityMembers.push([]);
        identityLabels.push(calicoLabelMap(
          workloadEndpointOwnLabels(p.podLabels),
          workloadEndpointLabels(p.namespace, p.serviceAccount),
          inv.namespaceLabels(p.namespace),
          { ...sa.labels, [LABEL_NAME]: p.serviceAccount },
        ));
      }
      identityOf.push(identity);
      return identityLabels[identity];
    });
    // Host-networked pods are no workload endpoints: no identity. Number the others' identities densely.
    const renumber = new Map<number, number>();
    withIds.forEach(({ p }, index) => {
      if (p.hostNetwork) {
        identityOf[index] = -1;
        return;
      }
      let dense = renumber.get(identityOf[index]);
      if (dense === undefined) {
        dense = renumber.size;
        renumber.set(identityOf[index], dense);
      }
      identityOf[index] = dense;
    });
    identityMembers.length = 0;
    identityOf.forEach((identity, index) => {
      if (identity >= 0) {
        (identityMembers[identity] ??= []).push(index);
      }
    });
    const identityCount = identityMembers.length;
    const setIdentityBase = identityCount;

    // Network sets.
    this.networkSets.sort((a, b) => {
      const ka = `${a.namespace ?? ''}/${a.name}`;
      const kb = `${b.namespace ?? ''}/${b.name}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    this.networkSets.forEach((s, i) => {
      const labels = s.namespace === undefined
        ? { ...s.labels }
        : calicoLabelMap(s.labels, { [LABEL_NAMESPACE]: s.namespace }, inv.namespaceLabels(s.namespace), undefined);
      inv.networkSets.push({ kind: s.kind, namespace: s.namespace, name: s.name, nets: s.nets, labels, identity: setIdentityBase + i });
    });

    withIds.forEach(({ p, id, short, qualified }, index) => {
      // Endpoints with the same namespace, service account and pod labels share one label map object.
      const labels = labelsOf[index];
      const sets: { 4: number[]; 6: number[] } = { 4: [], 6: [] };
      for (const ip of p.ips) {
        for (const s of inv.networkSets) {
          if (anyCidrContains(s.nets, ip) && !sets[ip.version].includes(s.identity)) {
            sets[ip.version].push(s.identity);
          }
        }
      }
      const aliases = id === short ? [short, qualified] : [qualified];
      endpoints.push({
        index,
        id,
        aliases,
        kind: p.kind,
        namespace: p.namespace,
        name: p.name,
        podLabels: p.podLabels,
        serviceAccount: p.serviceAccount,
        ips: p.ips,
        hostNetwork: p.hostNetwork,
        ports: p.ports,
        labels,
        identity: identityOf[index],
        networkSetIdentities: sets,
        workload: workloadOf[index],
      });
      for (const alias of aliases) {
        inv.byId.set(alias, index);
      }
      if (id !== short) {
        const list = inv.ambiguous.get(short) ?? [];
        list.push(qualified);
        inv.ambiguous.set(short, list);
      }
    });
    inv.endpoints.push(...endpoints);
    identityMembers.forEach((members) => {
      const first = endpoints[members[0]];
      inv.identities.push({ labels: first.labels, endpoint: first.index, endpoints: members, networkSet: -1, namespace: first.namespace });
    });
    inv.networkSets.forEach((s, i) => {
      inv.identities.push({ labels: s.labels, endpoint: -1, networkSet: i, namespace: s.namespace });
    });
    this.buildWorkloads(inv);
    return inv;
  }

  /**
   * The workload of each endpoint: a pod's controller, followed up through controllers that are
   * in the manifests (a ReplicaSet's Deployment, a Job's CronJob); a ReplicaSet that is not in the
   * manifests but is named `<deployment>-<pod-template-hash>` of the pod stands for that
   * Deployment. A pod without a controller is its own workload.
   */
  private workloadIds(pending: readonly PendingEndpoint[]): string[] {
    return pending.map((p) => {
      let kind = p.kind;
      let name = p.name;
      let owner = p.owner;
      const seen = new Set<string>();
      while (owner !== undefined && !seen.has(`${owner.kind}/${owner.name}`)) {
        seen.add(`${owner.kind}/${owner.name}`);
        kind = owner.kind;
        name = owner.name;
        const declared = this.owners.get(`${kind}/${p.namespace}/${name}`);
        if (declared !== undefined) {
          owner = declared.owner;
          continue;
        }
        // Kubernetes: pkg/controller/deployment/sync.go getNewReplicaSet (ReplicaSet name = <deployment>-<pod-template-hash>)
        const hash = p.templateHash;
        if (kind === 'ReplicaSet' && hash !== undefined && hash !== '' && name.endsWith(`-${hash}`) && name.length > hash.length + 1) {
          kind = 'Deployment';
          name = name.slice(0, -(hash.length + 1));
        }
        owner = undefined;
      }
      return `${p.namespace}/${kind.toLowerCase()}/${name}`;
    });
  }

  private buildWorkloads(inv: Inventory): void {
    const byId = new Map<string, { pods: number[]; others: number[] }>();
    for (const e of inv.endpoints) {
      let w = byId.get(e.workload);
      if (w === undefined) {
        w = { pods: [], others: [] };
        byId.set(e.workload, w);
      }
      (e.kind === 'Pod' ? w.pods : w.others).push(e.index);
    }
    for (const id of [...byId.keys()].sort()) {
      const w = byId.get(id)!;
      const [namespace, kind, ...rest] = id.split('/');
      const name = rest.join('/');
      inv.workloads.set(id, { id, namespace, kind: displayKind(kind), name, endpoints: w.pods.length > 0 ? w.pods : w.others });
      const short = `${namespace}/${name}`;
      inv.workloadsByShortId.set(short, [...(inv.workloadsByShortId.get(short) ?? []), id]);
    }
  }

  private ref(obj: any, kind: string, apiVersion: string): ObjectRef {
    const ns = obj?.metadata?.namespace;
    return new ObjectRef(kind, apiVersion, obj?.metadata?.name, typeof ns === 'string' && ns !== '' ? ns : 'default');
  }

  private addNamespace(obj: any, ref: ObjectRef): void {
    const name = requireName(obj, ref);
    const labels = optStringMap(obj.metadata, 'labels', ref, 'metadata.labels') ?? {};
    const existing = this.namespaces.get(name);
    if (existing !== undefined && !labelsEqual(existing.labels, labels)) {
      fail(ref, 'metadata.labels', `the namespace is declared twice with different labels (${show(existing.labels)} and ${show(labels)}); keep one declaration`);
    }
    this.namespaces.set(name, { labels, ref });
  }

  private addServiceAccount(obj: any, ref: ObjectRef): void {
    const name = requireName(obj, ref);
    const ns = namespaceOf(obj, ref);
    const labels = optStringMap(obj.metadata, 'labels', ref, 'metadata.labels') ?? {};
    const key = `${ns}/${name}`;
    const existing = this.serviceAccounts.get(key);
    if (existing !== undefined && !labelsEqual(existing.labels, labels)) {
      fail(ref, 'metadata.labels', `the service account is declared twice with different labels (${show(existing.labels)} and ${show(labels)}); keep one declaration`);
    }
    this.serviceAccounts.set(key, { labels, ref });
  }

  private addEndpoint(p: PendingEndpoint, ref: ObjectRef): void {
    const key = `${p.kind}/${p.namespace}/${p.name}`;
    if (this.pendingKeys.has(key)) {
      fail(ref, 'metadata.name', 'declared twice; every workload needs a unique kind, namespace and name');
    }
    this.pendingKeys.set(key, ref);
    this.pending.push(p);
    this.owners.set(key, { owner: p.owner });
  }

  /** The controller among metadata.ownerReferences, if any. */
  private ownerOf(obj: any, ref: ObjectRef): Owner | undefined {
    const refs = optArray(obj.metadata, 'ownerReferences', ref, 'metadata.ownerReferences') ?? [];
    let found: Owner | undefined;
    refs.forEach((r, i) => {
      const field = `metadata.ownerReferences[${i}]`;
      if (!isObject(r)) {
        fail(ref, field, `expected an object { apiVersion, kind, name, uid, controller? }, got ${show(r)}`);
      }
      const kind = optString(r, 'kind', ref, `${field}.kind`);
      const name = optString(r, 'name', ref, `${field}.name`);
      const controller = optBoolean(r, 'controller', ref, `${field}.controller`);
      if (kind === undefined || kind === '' || name === undefined || name === '') {
        fail(ref, field, `an owner reference needs a kind and a name, got ${show(r)}`);
      }
      if (controller === true) {
        if (found !== undefined) {
          fail(ref, `${field}.controller`, `a second controller (${kind} ${name} after ${found.kind} ${found.name}); an object has at most one`);
        }
        found = { kind, name };
      }
    });
    return found;
  }

  private addPod(obj: any, ref: ObjectRef): void {
    const name = requireName(obj, ref);
    const namespace = namespaceOf(obj, ref);
    const labels = optStringMap(obj.metadata, 'labels', ref, 'metadata.labels') ?? {};
    const annotations = optStringMap(obj.metadata, 'annotations', ref, 'metadata.annotations') ?? {};
    const spec = optObject(obj, 'spec', ref, 'spec') ?? {};
    const status = optObject(obj, 'status', ref, 'status');
    this.addEndpoint(
      {
        owner: this.ownerOf(obj, ref),
        templateHash: labels['pod-template-hash'],
        kind: 'Pod',
        namespace,
        name,
        podLabels: labels,
        serviceAccount: this.serviceAccountOf(spec, ref, 'spec'),
        ips: ipsOf(status, [annotations], ref, 'status'),
        // Calico: conversion.go IsValidCalicoWorkloadEndpoint (a host-networked pod is no workload endpoint)
        hostNetwork: optBoolean(spec, 'hostNetwork', ref, 'spec.hostNetwork') ?? false,
        ports: containerPortsOf(spec, ref, 'spec'),
      },
      ref,
    );
  }

  private addWorkload(obj: any, kind: string, ref: ObjectRef): void {
    const name = requireName(obj, ref);
    const namespace = namespaceOf(obj, ref);
    const spec = optObject(obj, 'spec', ref, 'spec');
    let template: any;
    let field: string;
    if (kind === 'CronJob') {
      const jobTemplate = optObject(spec, 'jobTemplate', ref, 'spec.jobTemplate');
      const jobSpec = optObject(jobTemplate, 'spec', ref, 'spec.jobTemplate.spec');
      template = optObject(jobSpec, 'template', ref, 'spec.jobTemplate.spec.template');
      field = 'spec.jobTemplate.spec.template';
    } else {
      template = optObject(spec, 'template', ref, 'spec.template');
      field = 'spec.template';
    }
    if (template === undefined) {
      fail(ref, field, `missing; a ${kind} needs a pod template`);
    }
    const templateMeta = optObject(template, 'metadata', ref, `${field}.metadata`);
    const labels = optStringMap(templateMeta, 'labels', ref, `${field}.metadata.labels`) ?? {};
    const templateAnnotations = optStringMap(templateMeta, 'annotations', ref, `${field}.metadata.annotations`) ?? {};
    const ownAnnotations = optStringMap(obj.metadata, 'annotations', ref, 'metadata.annotations') ?? {};
    const podSpec = optObject(template, 'spec', ref, `${field}.spec`) ?? {};
    this.addEndpoint(
      {
        owner: this.ownerOf(obj, ref),
        kind,
        namespace,
        name,
        podLabels: labels,
        serviceAccount: this.serviceAccountOf(podSpec, ref, `${field}.spec`),
        ips: ipsOf(undefined, [ownAnnotations, templateAnnotations], ref, 'status'),
        hostNetwork: optBoolean(podSpec, 'hostNetwork', ref, `${field}.spec.hostNetwork`) ?? false,
        ports: containerPortsOf(podSpec, ref, `${field}.spec`),
      },
      ref,
    );
  }

  private serviceAccountOf(podSpec: any, ref: ObjectRef, field: string): string {
    const sa = optString(podSpec, 'serviceAccountName', ref, `${field}.serviceAccountName`)
      ?? optString(podSpec, 'serviceAccount', ref, `${field}.serviceAccount`);
    return sa === undefined || sa === '' ? 'default' : sa;
  }

  private addNetworkSet(obj: any, kind: 'NetworkSet' | 'GlobalNetworkSet', ref: ObjectRef): void {
    const name = requireName(obj, ref);
    const namespace = kind === 'NetworkSet' ? namespaceOf(obj, ref) : undefined;
    const key = `${kind}/${namespace ?? ''}/${name}`;
    if (this.networkSetKeys.has(key)) {
      fail(ref, 'metadata.name', `declared twice; every ${kind} needs a unique name`);
    }
    this.networkSetKeys.add(key);
    const labels = optStringMap(obj.metadata, 'labels', ref, 'metadata.labels') ?? {};
    if (labels[LABEL_NAMESPACE] !== undefined) {
      fail(ref, `metadata.labels["${LABEL_NAMESPACE}"]`, 'this label is reserved for Calico; remove it');
    }
    const spec = optObject(obj, 'spec', ref, 'spec');
    const netTexts = optStringArray(spec, 'nets', ref, 'spec.nets') ?? [];
    const nets = netTexts.map((t, i) => {
      // Calico: validator.go validateCIDR (an address or a network, host bits may be set)
      const cidr = parseCidr(t);
      if (typeof cidr === 'string') {
        fail(ref, `spec.nets[${i}]`, `${show(t)} is not a valid CIDR: ${cidr}; write a network such as "10.0.0.0/8" or an address`);
      }
      return cidr;
    });
    this.networkSets.push({ kind, namespace, name, labels, nets });
  }

  private addService(obj: any, ref: ObjectRef): void {
    const name = requireName(obj, ref);
    const namespace = namespaceOf(obj, ref);
    const spec = optObject(obj, 'spec', ref, 'spec') ?? {};
    const selector = optStringMap(spec, 'selector', ref, 'spec.selector');
    const type = optString(spec, 'type', ref, 'spec.type');
    const ports = (optArray(spec, 'ports', ref, 'spec.ports') ?? []).map((p, i) => {
      const f = `spec.ports[${i}]`;
      if (!isObject(p)) {
        fail(ref, f, `expected an object with port, got ${show(p)}`);
      }
      if (!isPortNumber(p.port)) {
        fail(ref, `${f}.port`, `expected a port number from ${MIN_PORT} to ${MAX_PORT}, got ${show(p.port)}`);
      }
      const protocol = p.protocol === undefined || p.protocol === null ? TCP : k8sProtocolAt(p.protocol, ref, `${f}.protocol`);
      let targetPort: number | string = p.port;
      if (p.targetPort !== undefined && p.targetPort !== null) {
        if (isPortNumber(p.targetPort)) {
          targetPort = p.targetPort;
        } else if (typeof p.targetPort === 'string' && /^[0-9]+$/.test(p.targetPort)) {
          targetPort = Number(p.targetPort);
        } else if (typeof p.targetPort === 'string' && p.targetPort !== '') {
          targetPort = p.targetPort;
        } else {
          fail(ref, `${f}.targetPort`, `expected a port number or a container port name, got ${show(p.targetPort)}`);
        }
      }
      return { port: p.port, targetPort, protocol };
    });
    this.services.set(`${namespace}/${name}`, {
      namespace,
      name,
      selector: type === 'ExternalName' || selector === undefined || Object.keys(selector).length === 0 ? undefined : selector,
      ports,
    });
  }
}
