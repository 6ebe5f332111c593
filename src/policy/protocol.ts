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
  public static readonly TCP = new Protocol('TCP', 6);

  /** User Datagram Protocol (IP protocol 17). */
  public static readonly UDP = new Protocol('UDP', 17);

  /** Internet Control Message Protocol for IPv4 (IP protocol 1). */
  public static readonly ICMP = new Protocol('ICMP', 1);

  /** Internet Control Message Protocol for IPv6 (IP protocol 58). */
  public static readonly ICMPV6 = new Protocol('ICMPv6', 58);

  /** Stream Control Transmission Protocol (IP protocol 132). */
  public static readonly SCTP = new Protocol('SCTP', 132);

  /** Lightweight User Datagram Protocol (IP protocol 136). */
  public static readonly UDPLITE = new Protocol('UDPLite', 136);

  /**
   * A protocol given by its name as Calico spells it: `TCP`, `UDP`, `ICMP`, `ICMPv6`, `SCTP`
   * or `UDPLite`. Names are case-sensitive.
   *
   * @param name the protocol name
   * @throws if the name is not one of the six Calico protocol names
   */
  public static named(name: string): Protocol {
    const found = NAMED.find((p) => p.name === name);
    if (found) {
      return found;
    }
    const caseInsensitive = NAMED.find((p) => p.name.toLowerCase() === String(name).toLowerCase());
    const hint = caseInsensitive
      ? `Calico protocol names are case-sensitive; write "${caseInsensitive.name}" (Protocol.${constantOf(caseInsensitive)})`
      : `use one of ${NAMED.map((p) => p.name).join(', ')}, or Protocol.of(n) for an IP protocol number 1-255`;
    throw new Error(`protocol: "${name}" is not a Calico protocol name; ${hint}`);
  }

  /**
   * A protocol given by its IP protocol number (1-255), rendered as that number.
   *
   * @param protocolNumber the IANA protocol number, an integer from 1 to 255
   * @throws if the number is not an integer from 1 to 255
   */
  public static of(protocolNumber: number): Protocol {
    if (!Number.isInteger(protocolNumber) || protocolNumber < 1 || protocolNumber > 255) {
      throw new Error(`protocol: ${protocolNumber} is not a valid IP protocol number; use an integer from 1 to 255 (0 is not allowed)`);
    }
    return new Protocol(undefined, protocolNumber);
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
    return PORT_PROTOCOLS.includes(this.protocolNumber);
  }

  /** Whether this is ICMP for IPv4 (named or protocol number 1). */
  public get isIcmp(): boolean {
    return this.protocolNumber === 1;
  }

  /** Whether this is ICMP for IPv6 (named or protocol number 58). */
  public get isIcmpV6(): boolean {
    return this.protocolNumber === 58;
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

const PORT_PROTOCOLS: readonly number[] = [6, 17, 132];

function constantOf(p: Protocol): string {
  return p.name.toUpperCase();
}
