/**
 * Protocols, port matches and container ports for the network model.
 *
 * Internal module of the network model.
 */
import { fail, isObject, ObjectRef, optArray, show } from './network-objects';

/** IANA protocol numbers of the named protocols Calico accepts. */
export const PROTOCOL_NUMBERS: { readonly [name: string]: number } = {
  TCP: 6,
  UDP: 17,
  ICMP: 1,
  ICMPV6: 58,
  SCTP: 132,
  UDPLITE: 136,
};

const CANONICAL_NAMES: { readonly [num: number]: string } = {
  6: 'TCP',
  17: 'UDP',
  1: 'ICMP',
  58: 'ICMPv6',
  132: 'SCTP',
  136: 'UDPLite',
};

/** TCP. */
export const TCP = 6;
/** ICMP (IPv4). */
export const ICMP = 1;
/** ICMPv6. */
export const ICMPV6 = 58;

/**
 * A protocol given as a name (`TCP`, `udp`, `ICMPv6`, …, case-insensitive) or a number 1–255
 * (as a number or a numeric string); `undefined` when it is neither.
 */
export function parseProtocol(value: any): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 1 && value <= 255 ? value : undefined;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const text = value.trim();
  if (/^[0-9]+$/.test(text)) {
    return parseProtocol(Number(text));
  }
  return PROTOCOL_NUMBERS[text.toUpperCase()];
}

/** The usual name of a protocol number (`TCP`, `ICMPv6`, …) or the number itself. */
export function protocolName(protocol: number): string {
  return CANONICAL_NAMES[protocol] ?? String(protocol);
}

/** Whether Calico lets rules with this protocol match ports (TCP, UDP, SCTP, UDPLite). */
export function supportsPorts(protocol: number): boolean {
  return protocol === 6 || protocol === 17 || protocol === 132 || protocol === 136;
}

/** One entry of a rule's `ports`/`notPorts`: a numeric range or a named port. */
export type PortMatch =
  | { readonly kind: 'range'; readonly min: number; readonly max: number; readonly text: string }
  | { readonly kind: 'name'; readonly name: string; readonly text: string };

const PORT_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?$/;

function isPortNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 65535;
}

/**
 * Parses a Calico port: a number, a `"min:max"` range or a port name.
 */
export function parseCalicoPort(value: any, ref: ObjectRef, field: string): PortMatch {
  if (typeof value === 'number') {
    if (!isPortNumber(value)) {
      fail(ref, field, `port ${value} is out of range; use an integer from 0 to 65535`);
    }
    return { kind: 'range', min: value, max: value, text: String(value) };
  }
  if (typeof value !== 'string' || value.trim() === '') {
    fail(ref, field, `expected a port number, a "min:max" range or a port name, got ${show(value)}`);
  }
  const text = value.trim();
  const range = /^([0-9]+)(?::([0-9]+))?$/.exec(text);
  if (range) {
    const min = Number(range[1]);
    const max = range[2] === undefined ? min : Number(range[2]);
    if (!isPortNumber(min) || !isPortNumber(max) || min > max) {
      fail(ref, field, `port range ${show(value)} is not valid; use "min:max" with 0 <= min <= max <= 65535`);
    }
    return { kind: 'range', min, max, text };
  }
  if (!PORT_NAME.test(text)) {
    fail(ref, field, `${show(value)} is neither a port number, a "min:max" range nor a valid port name`);
  }
  return { kind: 'name', name: text, text };
}

/** A list of Calico ports (`ports` or `notPorts`). */
export function parseCalicoPorts(parent: any, key: string, ref: ObjectRef, field: string): PortMatch[] | undefined {
  const list = optArray(parent, key, ref, field);
  if (list === undefined) {
    return undefined;
  }
  return list.map((item, i) => parseCalicoPort(item, ref, `${field}[${i}]`));
}

/** A container port of a pod (or pod template). */
export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: number;
}

/** The container ports of a pod spec (containers and init containers). */
export function containerPortsOf(podSpec: any, ref: ObjectRef, field: string): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const group of ['containers', 'initContainers']) {
    const containers = optArray(podSpec, group, ref, `${field}.${group}`) ?? [];
    containers.forEach((container, ci) => {
      const cf = `${field}.${group}[${ci}]`;
      if (!isObject(container)) {
        fail(ref, cf, `expected a container object, got ${show(container)}`);
      }
      const ports = optArray(container, 'ports', ref, `${cf}.ports`) ?? [];
      ports.forEach((p, pi) => {
        const pf = `${cf}.ports[${pi}]`;
        if (!isObject(p)) {
          fail(ref, pf, `expected an object with containerPort, got ${show(p)}`);
        }
        if (typeof p.containerPort !== 'number' || !Number.isInteger(p.containerPort) || p.containerPort < 1 || p.containerPort > 65535) {
          fail(ref, `${pf}.containerPort`, `expected a port number from 1 to 65535, got ${show(p.containerPort)}`);
        }
        const protocol = p.protocol === undefined || p.protocol === null ? TCP : parseK8sProtocol(p.protocol, ref, `${pf}.protocol`);
        if (p.name !== undefined && p.name !== null && typeof p.name !== 'string') {
          fail(ref, `${pf}.name`, `expected a port name string, got ${show(p.name)}`);
        }
        out.push({ name: p.name ?? undefined, port: p.containerPort, protocol });
      });
    });
  }
  return out;
}

/** A Kubernetes protocol (`TCP`, `UDP` or `SCTP`). */
export function parseK8sProtocol(value: any, ref: ObjectRef, field: string): number {
  if (value === 'TCP' || value === 'UDP' || value === 'SCTP') {
    return PROTOCOL_NUMBERS[value];
  }
  fail(ref, field, `${show(value)} is not a Kubernetes protocol; use TCP, UDP or SCTP`);
}

/** The number of the container port with this name and protocol, if any. */
export function resolveNamedPort(ports: readonly ContainerPort[], name: string, protocol: number): number | undefined {
  for (const p of ports) {
    if (p.name === name && p.protocol === protocol) {
      return p.port;
    }
  }
  return undefined;
}
