import { describeValue, fail } from '../core/errors';
import { CALICO_PROTOCOL_NAMES, ICMP, ICMPV6, parseCalicoProtocol, SCTP, supportsPorts, TCP, UDP, UDPLITE } from '../core/protocol';

/**
 * An IP protocol that a Calico rule matches (`protocol` / `notProtocol`).
 *
 * Calico accepts one of six protocol names, spelled exactly as below (the names are
 * case-sensitive: `tcp` is rejected), or a protocol number from 1 to 255.
 *
 * @example
 * Protocol.TCP
 * Protocol.named('ICMPv6')
 * Protocol.of(47) // GRE
 */
export class Protocol {
  /** Transmission Control Protocol (IP protocol 6). */
  public static readonly TCP = new Protocol('TCP', TCP);

  /** User Datagram Protocol (IP protocol 17). */
  public static readonly UDP = new Protocol('UDP', UDP);

  /** Internet Control Message Protocol for IPv4 (IP protocol 1). */
  public static readonly ICMP = new Protocol('ICMP', ICMP);

  /** Internet Control Message Protocol for IPv6 (IP protocol 58). */
  public static readonly ICMPV6 = new Protocol('ICMPv6', ICMPV6);

  /** Stream Control Transmission Protocol (IP protocol 132). */
  public static readonly SCTP = new Protocol('SCTP', SCTP);

  /** Lightweight User Datagram Protocol (IP protocol 136). */
  public static readonly UDPLITE = new Protocol('UDPLite', UDPLITE);

  /**
   * A protocol given by its name as Calico spells it: `TCP`, `UDP`, `ICMP`, `ICMPv6`, `SCTP`
   * or `UDPLite`. Names are case-sensitive.
   *
   * @param name the protocol name
   * @throws if the name is not one of the six Calico protocol names
   */
  public static named(name: string): Protocol {
    if (typeof name === 'string' && Object.prototype.hasOwnProperty.call(CALICO_PROTOCOL_NAMES, name)) {
      return NAMED.find((p) => p.name === name)!;
    }
    const read = typeof name === 'string' && !/^[0-9]+$/.test(name) ? parseCalicoProtocol(name) : undefined;
    const problem = read !== undefined && 'problem' in read ? read.problem : `${describeValue(name)} is not a Calico protocol name`;
    const spelled = NAMED.find((p) => p.name.toLowerCase() === String(name).toLowerCase());
    const hint = spelled ? ` (Protocol.${spelled.name.toUpperCase()})` : '; for a number use Protocol.of(n)';
    return fail('Protocol.named()', 'name', `${problem}${hint}`);
  }

  /**
   * A protocol given by its IP protocol number (1-255), rendered as that number.
   *
   * @param protocolNumber the IANA protocol number, an integer from 1 to 255
   * @throws if the number is not an integer from 1 to 255
   */
  public static of(protocolNumber: number): Protocol {
    if (typeof protocolNumber !== 'number' || !Number.isInteger(protocolNumber)) {
      fail('Protocol.of()', 'protocolNumber', `${describeValue(protocolNumber)} is not a whole number; give an IP protocol number from 1 to 255`);
    }
    const read = parseCalicoProtocol(protocolNumber);
    if ('problem' in read) {
      fail('Protocol.of()', 'protocolNumber', read.problem);
    }
    return new Protocol(undefined, read.protocol);
  }

  /**
   * The value emitted in the manifest: the protocol name for named protocols, the number for
   * numeric ones.
   */
  public readonly value: string | number;

  /**
   * A readable name: the Calico protocol name (`TCP`, `ICMPv6`, …) or, for a numeric protocol,
   * the number as text.
   */
  public readonly name: string;

  /** The IP protocol number (6 for TCP, 17 for UDP, …). */
  public readonly protocolNumber: number;

  private constructor(name: string | undefined, protocolNumber: number) {
    this.value = name ?? protocolNumber;
    this.name = name ?? String(protocolNumber);
    this.protocolNumber = protocolNumber;
  }

  /**
   * Whether rules with this protocol may match on ports: true for TCP, UDP and SCTP (by name
   * or number), which are the protocols Calico accepts with `ports`/`notPorts`.
   */
  public get supportsPorts(): boolean {
    return supportsPorts(this.protocolNumber);
  }

  /** Whether this is ICMP for IPv4 (named or protocol number 1). */
  public get isIcmp(): boolean {
    return this.protocolNumber === ICMP;
  }

  /** Whether this is ICMP for IPv6 (named or protocol number 58). */
  public get isIcmpV6(): boolean {
    return this.protocolNumber === ICMPV6;
  }

  /**
   * Whether two protocols denote the same IP protocol (`Protocol.TCP` is the same as `Protocol.of(6)`).
   *
   * @param other the protocol to compare with
   */
  public sameAs(other: Protocol): boolean {
    return this.protocolNumber === other.protocolNumber;
  }

  /** The protocol as it is written in a manifest. */
  public toString(): string {
    return String(this.value);
  }
}

const NAMED: readonly Protocol[] = [Protocol.TCP, Protocol.UDP, Protocol.ICMP, Protocol.ICMPV6, Protocol.SCTP, Protocol.UDPLITE];
