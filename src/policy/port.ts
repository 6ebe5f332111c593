import { Protocol } from './protocol';

/**
 * A port match in a Calico rule (`ports` / `notPorts` of a source or destination): a single
 * port, a range of ports, or a named port.
 *
 * Calico has one protocol per rule, and ports only exist for TCP, UDP and SCTP. A port made
 * with a protocol (`Port.tcp(443)`) lets the rule infer its protocol; a port without one
 * (`Port.number(8080)`, `Port.range(…)`, `Port.named('http')`) needs the rule's `protocol`
 * to be set, or another port of the rule to carry the protocol.
 *
 * Values are checked when the rule is added to a policy, so that errors can name the policy
 * and the rule field: port numbers must be 1-65535, ranges need min <= max, and port names
 * follow the Kubernetes port-name rules (at most 15 characters, lower-case letters, digits and
 * '-', at least one letter).
 */
export class Port {
  /**
   * A single TCP port.
   *
   * @param port the port number, 1-65535
   */
  public static tcp(port: number): Port {
    return new Port(Protocol.TCP, port, port, undefined);
  }

  /**
   * A single UDP port.
   *
   * @param port the port number, 1-65535
   */
  public static udp(port: number): Port {
    return new Port(Protocol.UDP, port, port, undefined);
  }

  /**
   * A single SCTP port.
   *
   * @param port the port number, 1-65535
   */
  public static sctp(port: number): Port {
    return new Port(Protocol.SCTP, port, port, undefined);
  }

  /**
   * An inclusive range of TCP ports, rendered as `"min:max"`.
   *
   * @param min the first port of the range
   * @param max the last port of the range
   */
  public static tcpRange(min: number, max: number): Port {
    return new Port(Protocol.TCP, min, max, undefined);
  }

  /**
   * An inclusive range of UDP ports, rendered as `"min:max"`.
   *
   * @param min the first port of the range
   * @param max the last port of the range
   */
  public static udpRange(min: number, max: number): Port {
    return new Port(Protocol.UDP, min, max, undefined);
  }

  /**
   * An inclusive range of SCTP ports, rendered as `"min:max"`.
   *
   * @param min the first port of the range
   * @param max the last port of the range
   */
  public static sctpRange(min: number, max: number): Port {
    return new Port(Protocol.SCTP, min, max, undefined);
  }

  /**
   * An inclusive range of ports without a protocol of its own: the rule's protocol (TCP, UDP
   * or SCTP) must be set.
   *
   * @param min the first port of the range
   * @param max the last port of the range
   */
  public static range(min: number, max: number): Port {
    return new Port(undefined, min, max, undefined);
  }

  /**
   * A single port without a protocol of its own: the rule's protocol (TCP, UDP or SCTP) must
   * be set.
   *
   * @param port the port number, 1-65535
   */
  public static number(port: number): Port {
    return new Port(undefined, port, port, undefined);
  }

  /**
   * A named port (the `name` of a container port), without a protocol of its own. Calico
   * resolves named ports per protocol, so the rule's protocol must be TCP, UDP or SCTP: set it
   * on the rule, or use `Port.namedTcp()` / `Port.namedUdp()`.
   *
   * @param name the port name, e.g. `http`
   */
  public static named(name: string): Port {
    return new Port(undefined, undefined, undefined, name);
  }

  /**
   * A named TCP port.
   *
   * @param name the port name, e.g. `http`
   */
  public static namedTcp(name: string): Port {
    return new Port(Protocol.TCP, undefined, undefined, name);
  }

  /**
   * A named UDP port.
   *
   * @param name the port name, e.g. `dns`
   */
  public static namedUdp(name: string): Port {
    return new Port(Protocol.UDP, undefined, undefined, name);
  }

  /**
   * A named SCTP port.
   *
   * @param name the port name
   */
  public static namedSctp(name: string): Port {
    return new Port(Protocol.SCTP, undefined, undefined, name);
  }

  /** The protocol this port belongs to, if it was made with one. */
  public readonly protocol?: Protocol;

  /** The first port number (single ports and ranges); undefined for named ports. */
  public readonly minPort?: number;

  /** The last port number (single ports and ranges); undefined for named ports. */
  public readonly maxPort?: number;

  /** The port name, for named ports. */
  public readonly portName?: string;

  private constructor(protocol: Protocol | undefined, minPort: number | undefined, maxPort: number | undefined, portName: string | undefined) {
    this.protocol = protocol;
    this.minPort = minPort;
    this.maxPort = maxPort;
    this.portName = portName;
  }

  /**
   * The value emitted in the manifest: a number for a single port, a `"min:max"` string for a
   * range, or the name for a named port.
   */
  public get value(): string | number {
    if (this.portName !== undefined) {
      return this.portName;
    }
    if (this.minPort === this.maxPort) {
      return this.minPort as number;
    }
    return `${this.minPort}:${this.maxPort}`;
  }

  /** Whether this is a named port. */
  public get isNamed(): boolean {
    return this.portName !== undefined;
  }

  /** The port as it is written in a manifest, e.g. `443`, `8000:8080` or `http`. */
  public toString(): string {
    return String(this.value);
  }
}
