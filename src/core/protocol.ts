/**
 * IP protocols as Calico reads them in rules (`protocol`, `notProtocol`) and as Kubernetes reads
 * them in NetworkPolicy ports and container ports.
 *
 * Internal module: not part of the jsii API.
 */

/** IP protocol number of TCP. */
export const TCP = 6;
/** IP protocol number of UDP. */
export const UDP = 17;
/** IP protocol number of ICMP (IPv4). */
export const ICMP = 1;
/** IP protocol number of ICMPv6. */
export const ICMPV6 = 58;
/** IP protocol number of SCTP. */
export const SCTP = 132;
/** IP protocol number of UDP-Lite. */
export const UDPLITE = 136;

/** The protocol names Calico accepts, spelled as Calico spells them (case-sensitive), with their numbers. */
// Calico: libcalico-go/lib/validator/v3/validator.go protocolRegex ^(TCP|UDP|ICMP|ICMPv6|SCTP|UDPLite)$
export const CALICO_PROTOCOL_NAMES: { readonly [name: string]: number } = {
  TCP,
  UDP,
  ICMP,
  ICMPv6: ICMPV6,
  SCTP,
  UDPLite: UDPLITE,
};

/** The protocols whose rules may match ports: TCP, UDP and SCTP (not UDP-Lite). */
// Calico: api/pkg/lib/numorstring/protocol.go Protocol.SupportsPorts
export const PORT_PROTOCOLS: readonly number[] = [TCP, UDP, SCTP];

/** The protocols a Kubernetes NetworkPolicy port or container port may name. */
export const K8S_PROTOCOL_NAMES: { readonly [name: string]: number } = { TCP, UDP, SCTP };

/** Whether rules with this protocol number may match on ports (TCP, UDP, SCTP). */
export function supportsPorts(protocol: number): boolean {
  return PORT_PROTOCOLS.includes(protocol);
}

/** The usual name of a protocol number (`TCP`, `ICMPv6`, …), or the number as text. */
export function protocolName(protocol: number): string {
  for (const [name, num] of Object.entries(CALICO_PROTOCOL_NAMES)) {
    if (num === protocol) {
      return name;
    }
  }
  return String(protocol);
}

/** A parsed protocol: its number, or the problem. */
export type ProtocolParse = { readonly protocol: number } | { readonly problem: string };

/**
 * Reads a Calico rule protocol as Calico does: one of the six names, case-sensitive, or a number
 * 1-255 (as a number or as a string of digits).
 */
// Calico: api/pkg/lib/numorstring/uint8orstring.go UnmarshalJSON and validator.go validateProtocol
export function parseCalicoProtocol(value: any): ProtocolParse {
  if (typeof value === 'number' || (typeof value === 'string' && /^[0-9]+$/.test(value))) {
    const n = Number(value);
    if (Number.isInteger(n) && n >= 1 && n <= 255) {
      return { protocol: n };
    }
    return { problem: `${JSON.stringify(value)} is not a valid protocol number; use an integer from 1 to 255 (0 is not allowed)` };
  }
  if (typeof value === 'string' && Object.prototype.hasOwnProperty.call(CALICO_PROTOCOL_NAMES, value)) {
    return { protocol: CALICO_PROTOCOL_NAMES[value] };
  }
  const names = Object.keys(CALICO_PROTOCOL_NAMES);
  const caseInsensitive = typeof value === 'string' ? names.find((n) => n.toLowerCase() === value.toLowerCase()) : undefined;
  if (caseInsensitive) {
    return { problem: `"${value}" is not a Calico protocol name: names are case-sensitive; write "${caseInsensitive}"` };
  }
  return { problem: `${JSON.stringify(value)} is not a Calico protocol; use one of ${names.join(', ')}, or a number from 1 to 255` };
}

/** Reads a Kubernetes protocol (`TCP`, `UDP` or `SCTP`, case-sensitive). */
export function parseK8sProtocol(value: any): ProtocolParse {
  if (typeof value === 'string' && Object.prototype.hasOwnProperty.call(K8S_PROTOCOL_NAMES, value)) {
    return { protocol: K8S_PROTOCOL_NAMES[value] };
  }
  return { problem: `${JSON.stringify(value)} is not a Kubernetes protocol; use TCP, UDP or SCTP` };
}

/**
 * Reads a protocol the way a query (not a manifest) may spell it: one of Calico's six names in
 * any case (`udp`, `icmpv6`), or a number 1-255. Manifests go through {@link parseCalicoProtocol},
 * which is case-sensitive as Calico is.
 */
export function parseQueryProtocol(value: any): ProtocolParse {
  if (typeof value === 'string' && !/^[0-9]+$/.test(value)) {
    const name = Object.keys(CALICO_PROTOCOL_NAMES).find((n) => n.toLowerCase() === value.toLowerCase());
    if (name !== undefined) {
      return { protocol: CALICO_PROTOCOL_NAMES[name] };
    }
    return { problem: `${JSON.stringify(value)} is not a protocol; use ${Object.keys(CALICO_PROTOCOL_NAMES).join(', ')} (any case), or a number from 1 to 255` };
  }
  return parseCalicoProtocol(value);
}
