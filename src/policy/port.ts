import { Protocol } from './protocol';
import { describeValue, fail } from '../core/errors';
import { portNameProblem } from '../core/names';
import { portNumberProblem, portRangeProblem } from '../core/ports';

/**
 * A port match in a Calico rule (`ports` / `notPorts` of a source or destination): a single
 * port, a range of ports, or a named port.
 *
 * Calico has one protocol per rule, and ports only exist for TCP, UDP and SCTP. A port made
 * with a protocol (`Port.tcp(443)`) lets the rule infer its protocol. A numeric port without
 * one (`Port.number(8080)`, `Port.range(…)`) needs the rule's `protocol` to be set, or another
 * port of the rule to carry it; a rule whose ports are all named (`Port.named('http')`) needs no
 * protocol.
 *
 * Every factory checks its input at once: port numbers are integers from 1 to 65535, ranges
 * have min <= max, and port names follow the Kubernetes port-name rules (at most 15 characters,
 * lower-case letters, digits and '-', at least one letter).
 */
export class Port {
  /**
   * A single TCP port.
   *
   * @param port the port number, 1-65535
   */
  public static tcp(port: number): Port {
    return Port.single('Port.tcp()', Protocol.TCP, port);
  }

  /**
   * A single UDP port.
   *
   * @param port the port number, 1-65535
   */
  public static udp(port: number): Port {
    return Port.single('Port.udp()', Protocol.UDP, port);
  }

  /**
   * A single SCTP port.
   *
   * @param port the port number, 1-65535
   */
  public static sctp(port: number): Port {
    return Port.single('Port.sctp()', Protocol.SCTP, port);
  }

  /**
   * A single port of `protocol`, for code that has a `Protocol` value.
   *
   * @param protocol TCP, UDP or SCTP (by name or number): the protocols that have ports
   * @param port the port number, 1-65535
   */
  public static of(protocol: Protocol, port: number): Port {
    return Port.single('Port.of()', portProtocol('Port.of()', protocol), port);
  }

  /**
   * An inclusive range of TCP ports, rendered as `"min:max"`.
   *
   * @param min the first port of the range
   * @param max the last port of the range
   */
  public static tcpRange(min: number, max: number): Port {
    return Port.ranged('Port.tcpRange()', Protocol.TCP, min, max);
  }

  /**
   * An inclusive range of UDP ports, rendered as `"min:max"`.
   *
   * @param min the first port of the range
   * @param max the last port of the range
   */
  public static udpRange(min: number, max: number): Port {
    return Port.ranged('Port.udpRange()', Protocol.UDP, min, max);
  }

  /**
   * An inclusive range of SCTP ports, rendered as `"min:max"`.
   *
   * @param min the first port of the range
   * @param max the last port of the range
   */
  public static sctpRange(min: number, max: number): Port {
    return Port.ranged('Port.sctpRange()', Protocol.SCTP, min, max);
  }

  /**
   * An inclusive range of ports of `protocol`, for code that has a `Protocol` value.
   *
   * @param protocol TCP, UDP or SCTP (by name or number)
   * @param min the first port of the range
   * @param max the last port of the range
   */
  public static rangeOf(protocol: Protocol, min: number, max: number): Port {
    return Port.ranged('Port.rangeOf()', portProtocol('Port.rangeOf()', protocol), min, max);
  }

  /**
   * An inclusive range of ports without a protocol of its own: the rule's protocol (TCP, UDP
   * or SCTP) must be set.
   *
   * @param min the first port of the range
   * @param max the last port of the range
   */
  public static range(min: number, max: number): Port {
    return Port.ranged('Port.range()', undefined, min, max);
  }

  /**
   * A single port without a protocol of its own: the rule's protocol (TCP, UDP or SCTP) must
   * be set.
   *
   * @param port the port number, 1-65535
   */
  public static number(port: number): Port {
    return Port.single('Port.number()', undefined, port);
  }

  /**
   * A named port (the `name` of a container port), without a protocol of its own. Calico
   * resolves it on the endpoint; a rule whose ports are all named needs no protocol (it then
   * matches the named port of any protocol), or takes the rule's protocol when one is set.
   *
   * @param name the port name, e.g. `http`: a Kubernetes port name
   */
  public static named(name: string): Port {
    return Port.withName('Port.named()', undefined, name);
  }

  /**
   * A named TCP port.
   *
   * @param name the port name, e.g. `http`
   */
  public static namedTcp(name: string): Port {
    return Port.withName('Port.namedTcp()', Protocol.TCP, name);
  }

  /**
   * A named UDP port.
   *
   * @param name the port name, e.g. `dns`
   */
  public static namedUdp(name: string): Port {
    return Port.withName('Port.namedUdp()', Protocol.UDP, name);
  }

  /**
   * A named SCTP port.
   *
   * @param name the port name
   */
  public static namedSctp(name: string): Port {
    return Port.withName('Port.namedSctp()', Protocol.SCTP, name);
  }

  /**
   * A named port of `protocol`, for code that has a `Protocol` value.
   *
   * @param protocol TCP, UDP or SCTP (by name or number)
   * @param name the port name
   */
  public static namedOf(protocol: Protocol, name: string): Port {
    return Port.withName('Port.namedOf()', portProtocol('Port.namedOf()', protocol), name);
  }

  private static single(factory: string, protocol: Protocol | undefined, port: number): Port {
    const problem = portNumberProblem(port);
    if (problem !== undefined) {
      fail(factory, '', problem);
    }
    return new Port(protocol, port, port, undefined);
  }

  private static ranged(factory: string, protocol: Protocol | undefined, min: number, max: number): Port {
    const problem = portRangeProblem(min, max);
    if (problem !== undefined) {
      fail(factory, '', problem);
    }
    return new Port(protocol, min, max, undefined);
  }

  private static withName(factory: string, protocol: Protocol | undefined, name: string): Port {
    const problem = portNameProblem(name);
    if (problem !== undefined) {
      fail(factory, '', problem);
    }
    return new Port(protocol, undefined, undefined, name);
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

/** Checks that `protocol` is a Protocol with ports (TCP, UDP or SCTP). */
function portProtocol(factory: string, protocol: Protocol): Protocol {
  if (!(protocol instanceof Protocol)) {
    fail(factory, 'protocol', `${describeValue(protocol)} is not a Protocol; use Protocol.TCP, Protocol.UDP or Protocol.SCTP`);
  }
  // Calico: api/pkg/lib/numorstring/protocol.go Protocol.SupportsPorts
  if (!protocol.supportsPorts) {
    fail(factory, 'protocol', `protocol ${protocol.name} has no ports; ports exist for TCP, UDP and SCTP only`);
  }
  return protocol;
}
