/**
 * The flows worth asking about when comparing (or reporting on) sets of manifests: one port per
 * class of ports the policies treat alike, the ports they name by container-port name, and one
 * address per class of addresses outside the cluster that their `nets`/`notNets` (and ipBlocks)
 * tell apart.
 *
 * Ports: for each protocol, the numbers and ranges of every rule's `ports`/`notPorts` cut 1–65535
 * into intervals; every port of an interval is in the same entries of every rule, so one port
 * (its first) decides for all of them. Ports a rule names by container-port name (`http`) are
 * asked by name, resolved on each destination as the model does. TCP and UDP are always asked,
 * and every other protocol a rule names; protocols without ports once each. Limits: the target
 * ports of a Service that only a Calico `services` match names, and the addresses of network
 * sets that rules select only by label, are asked only when a rule or the caller names them.
 *
 * Addresses: the networks named by rules cut each IP family into classes (a network minus the
 * networks inside it, and the addresses outside every network); one address per class decides
 * for the class. IPv4 is always asked ("any other IPv4 address"), IPv6 when a rule names an
 * IPv6 network.
 *
 * The policies are read by the network model's own reader (the kind registry), so the probes
 * see exactly the rules the model evaluates.
 */
import { addressBits, Cidr, cidrContains, formatIp, IpAddress, parseIpAddress } from '../../core/cidr';
import { MAX_PORT, MIN_PORT, PortMatch } from '../../core/ports';
import { parseQueryProtocol, protocolName, supportsPorts, TCP, UDP } from '../../core/protocol';
import { forEachManifest } from '../manifest-list';
import { PolicyReader } from '../network/policy-reader';
import { RuleCompiler } from '../network-rules';

/** A destination port (or protocol) to ask about, standing for a class of ports. */
export interface PortProbe {
  /** The protocol name, e.g. `TCP`. */
  readonly protocol: string;
  /** The port asked: the first of the range, a container port name, or undefined for protocols without ports. */
  readonly port?: number | string;
  /** The first port of the range the probe stands for (numeric probes only). */
  readonly min?: number;
  /** The last port of the range the probe stands for (numeric probes only). */
  readonly max?: number;
}

/** An address outside the cluster to ask about, standing for a class of addresses. */
export interface AddressProbe {
  /** The endpoint id, `ip:<address>`. */
  readonly id: string;
  /** The class it stands for, e.g. `0.0.0.0/0 except 10.0.0.0/8` or `any other IPv4 address`. */
  readonly description: string;
}

/** What to ask about. */
export interface Probes {
  /** Ports, by protocol then range, named ports after the numeric ones of their protocol. */
  readonly ports: PortProbe[];
  /** Addresses outside the cluster. */
  readonly addresses: AddressProbe[];
}

/** Ports and addresses the caller adds (`--port`, `--external`). */
export interface ExtraProbes {
  /** Ports: a number or a container port name, with an optional protocol (default TCP). */
  readonly ports?: ReadonlyArray<{ readonly protocol?: string; readonly port: number | string }>;
  /** Addresses outside the cluster, `ip:<address>`; each stands for itself. */
  readonly addresses?: readonly string[];
}

/** Addresses tried first for a class (documentation ranges first), so that reports name familiar addresses. */
const FRIENDLY: { readonly [family: number]: readonly string[] } = {
  4: ['203.0.113.10', '198.51.100.10', '192.0.2.10', '8.8.8.8'],
  6: ['2001:db8::10', '3fff::10', '2606:4700:4700::1111'],
};

/**
 * The probes for a set of manifest lists (e.g. before and after a change): the union of what
 * each list's rules name, plus `extra`.
 *
 * @param manifestLists the manifests of each side
 * @param extra ports and addresses the caller adds
 * @param isExternal whether an `ip:` id is outside the cluster on every side (not a pod's address); addresses that are not are skipped
 * @throws Error naming the option for a malformed extra port, protocol or address
 */
export function probesOf(
  manifestLists: ReadonlyArray<readonly any[]>,
  extra: ExtraProbes = {},
  isExternal: (id: string) => boolean = () => true,
): Probes {
  const ranges = new Map<number, PortMatch[]>([[TCP, []], [UDP, []]]);
  const names = new Map<number, Set<string>>();
  const cidrs = new Map<string, Cidr>();
  const addPort = (protocol: number, port: PortMatch) => {
    if (port.kind === 'name') {
      names.set(protocol, (names.get(protocol) ?? new Set()).add(port.name));
    } else {
      ranges.set(protocol, [...(ranges.get(protocol) ?? []), port]);
    }
  };
  for (const objects of manifestLists) {
    for (const policy of readPolicies(objects).policies) {
      for (const rule of [...policy.ingress, ...policy.egress]) {
        for (const variant of rule.variants) {
          for (const protocol of [variant.protocol, variant.notProtocol]) {
            if (protocol !== undefined && !ranges.has(protocol)) ranges.set(protocol, []);
          }
          for (const side of [variant.source, variant.destination]) {
            for (const cidr of [...(side.peer?.nets ?? []), ...(side.peer?.notNets ?? [])]) cidrs.set(`${cidr.version}/${cidr.base}/${cidr.prefix}`, cidr);
          }
          if (variant.protocol === undefined || !supportsPorts(variant.protocol)) continue;
          for (const port of [...(variant.destination.ports ?? []), ...(variant.destination.notPorts ?? [])]) addPort(variant.protocol, port);
        }
      }
    }
  }
  (extra.ports ?? []).forEach((spec, i) => {
    const read = parseQueryProtocol(spec.protocol ?? 'TCP');
    if ('problem' in read) throw new Error(`ports[${i}].protocol: ${read.problem}`);
    if (!ranges.has(read.protocol)) ranges.set(read.protocol, []);
    if (!supportsPorts(read.protocol)) return;
    if (typeof spec.port === 'number') {
      addPort(read.protocol, { kind: 'range', min: spec.port, max: spec.port, text: String(spec.port) });
    } else {
      addPort(read.protocol, { kind: 'name', name: spec.port, text: spec.port });
    }
  });

  const ports: PortProbe[] = [];
  for (const protocol of [...ranges.keys()].sort((a, b) => a - b)) {
    const name = protocolName(protocol);
    if (!supportsPorts(protocol)) {
      ports.push({ protocol: name });
      continue;
    }
    for (const [min, max] of portClasses(ranges.get(protocol)!)) ports.push({ protocol: name, port: min, min, max });
    for (const portName of [...(names.get(protocol) ?? [])].sort()) ports.push({ protocol: name, port: portName });
  }

  const addresses: AddressProbe[] = [];
  const seen = new Set<string>();
  for (const text of extra.addresses ?? []) {
    const address = typeof text === 'string' && text.startsWith('ip:') ? parseIpAddress(text.slice(3)) : undefined;
    if (address === undefined) throw new Error(`addresses: ${JSON.stringify(text)} is not an address outside the cluster; write ip:<address>, e.g. ip:203.0.113.7`);
    const id = `ip:${address.text}`;
    if (!seen.has(id)) {
      seen.add(id);
      addresses.push({ id, description: address.text });
    }
  }
  const networks = [...cidrs.values()];
  const families: (4 | 6)[] = networks.some((c) => c.version === 6) ? [4, 6] : [4];
  for (const family of families) {
    for (const probe of addressClasses(networks.filter((c) => c.version === family), family, isExternal)) {
      if (!seen.has(probe.id)) {
        seen.add(probe.id);
        addresses.push(probe);
      }
    }
  }
  return { ports, addresses };
}

/**
 * The tiers and policies of a set of manifests, read by the network model's own reader (the
 * kind registry).
 */
export function readPolicies(objects: readonly any[]): PolicyReader {
  const reader = new PolicyReader(new RuleCompiler());
  forEachManifest(objects, 'objects', (obj) => {
    if (typeof obj.kind === 'string' && typeof obj.apiVersion === 'string') reader.accept(obj, obj.kind, obj.apiVersion);
  });
  return reader;
}

/** The intervals of 1–65535 that the numeric entries of the rules treat alike, in order. */
export function portClasses(entries: readonly PortMatch[]): [number, number][] {
  const cuts = new Set<number>([MIN_PORT, MAX_PORT + 1]);
  for (const entry of entries) {
    if (entry.kind !== 'range') continue;
    cuts.add(entry.min);
    cuts.add(entry.max + 1);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const result: [number, number][] = [];
  for (let i = 0; i + 1 < sorted.length; i++) result.push([sorted[i], sorted[i + 1] - 1]);
  return result;
}

/**
 * One address per class of an IP family that the networks tell apart: for each network, the
 * first address (documentation addresses preferred) inside it and outside every network inside
 * it; and one outside every network. Classes with no such address (fully covered) are skipped,
 * as are addresses `isExternal` refuses (a pod's address), trying the next one.
 */
export function addressClasses(networks: readonly Cidr[], family: 4 | 6, isExternal: (id: string) => boolean): AddressProbe[] {
  const unique = new Map<string, Cidr>();
  for (const c of networks) unique.set(`${c.base}/${c.prefix}`, c);
  const list = [...unique.values()].sort((a, b) => (a.base === b.base ? a.prefix - b.prefix : a.base < b.base ? -1 : 1));
  const bits = BigInt(addressBits(family));
  const size = (c: Cidr) => 2n ** (bits - BigInt(c.prefix));
  const probes: AddressProbe[] = [];
  const whole: Cidr | undefined = list.find((c) => c.prefix === 0);
  const classes: { readonly start: bigint; readonly end: bigint; readonly holes: readonly Cidr[]; readonly description: string }[] = [];
  for (const c of list) {
    const inside = list.filter((o) => o !== c && o.prefix > c.prefix && containsNetwork(c, o));
    const holes = inside.filter((o) => !inside.some((p) => p !== o && p.prefix < o.prefix && containsNetwork(p, o)));
    const description = holes.length === 0 ? c.canonical : `${c.canonical} except ${holes.map((h) => h.canonical).join(', ')}`;
    classes.push({ start: c.base, end: c.base + size(c) - 1n, holes, description });
  }
  if (whole === undefined) {
    const top = list.filter((o) => !list.some((p) => p !== o && p.prefix < o.prefix && containsNetwork(p, o)));
    classes.push({ start: 0n, end: 2n ** bits - 1n, holes: top, description: `any ${list.length === 0 ? '' : 'other '}IPv${family} address` });
  }
  for (const cls of classes) {
    const inClass = (value: bigint) => value >= cls.start && value <= cls.end && !cls.holes.some((h) => value >= h.base && value < h.base + size(h));
    const candidates: bigint[] = [];
    for (const text of FRIENDLY[family]) {
      const a = parseIpAddress(text)!;
      if (inClass(a.value)) candidates.push(a.value);
    }
    const found = firstFree(cls.start, cls.end, cls.holes, size, 8);
    candidates.push(...found);
    const chosen = candidates.find((value) => isExternal(`ip:${formatIp(family, value)}`));
    if (chosen !== undefined) probes.push({ id: `ip:${formatIp(family, chosen)}`, description: cls.description });
  }
  return probes;
}

/** Whether `outer` contains the network `inner` (same family). */
function containsNetwork(outer: Cidr, inner: Cidr): boolean {
  const address: IpAddress = { version: inner.version, value: inner.base, text: '' };
  return outer.prefix <= inner.prefix && cidrContains(outer, address);
}

/** Up to `count` addresses in [start, end] outside every hole, lowest first. */
function firstFree(start: bigint, end: bigint, holes: readonly Cidr[], size: (c: Cidr) => bigint, count: number): bigint[] {
  const sorted = [...holes].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  const result: bigint[] = [];
  let value = start;
  for (const hole of sorted) {
    while (value < hole.base && value <= end && result.length < count) result.push(value++);
    if (result.length >= count) return result;
    const after = hole.base + size(hole);
    if (after > value) value = after;
  }
  while (value <= end && result.length < count) result.push(value++);
  return result;
}

/** How a port probe reads: `TCP 443`, `TCP 1–442`, `TCP http`, `ICMP`. */
export function describePortProbe(probe: PortProbe): string {
  if (probe.port === undefined) return probe.protocol;
  if (probe.min !== undefined && probe.max !== undefined && probe.min !== probe.max) return `${probe.protocol} ${probe.min}-${probe.max}`;
  return `${probe.protocol} ${probe.port}`;
}

