/**
 * The reachability matrix: every source × destination × port verdict of a network model.
 */

/** A protocol and destination port to evaluate in a matrix. */
export interface PortSpec {
  /**
   * The protocol: `TCP`, `UDP`, `SCTP`, `UDPLite`, `ICMP`, `ICMPv6` or a number 1–255.
   * @default 'TCP'
   */
  readonly protocol?: string;
  /**
   * The destination port: a number, or a container port name resolved on each destination
   * (a destination without that named port is unreachable on it).
   * @default - no port: rules that name ports do not match, rules with notPorts do
   */
  readonly port?: number | string;
}

/** Options of `NetworkModel.matrix()`. */
export interface MatrixOptions {
  /**
   * The ports to evaluate; one table each.
   * @default - one entry: TCP without a port
   */
  readonly ports?: PortSpec[];
  /**
   * The endpoints (`namespace/name`) to include, as sources and destinations.
   * @default - every endpoint of the model
   */
  readonly endpoints?: string[];
  /**
   * Addresses outside the cluster (`ip:203.0.113.7`) to include as sources and destinations.
   * @default - none
   */
  readonly includeExternal?: string[];
  /**
   * Evaluate as if staged policies were enforced.
   * @default false
   */
  readonly includeStaged?: boolean;
}

/** One verdict of a matrix. */
export interface MatrixCell {
  /** The source endpoint id. */
  readonly from: string;
  /** The destination endpoint id. */
  readonly to: string;
  /** The protocol name, e.g. `TCP`. */
  readonly protocol: string;
  /** The port as given in the port spec, if any. */
  readonly port?: number | string;
  /** Whether the flow is allowed (by the source's egress and the destination's ingress). */
  readonly allowed: boolean;
}

function portLabel(spec: PortSpec): string {
  return spec.port === undefined ? `${spec.protocol}` : `${spec.protocol} ${spec.port}`;
}

function samePort(a: number | string | undefined, b: number | string | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && String(a) === String(b));
}

/**
 * Who can reach whom: one verdict per source, destination and port, in the order of `ports`,
 * then sources, then destinations (both in the order of `endpoints`).
 */
export class ReachabilityMatrix {
  /** Sources and destinations, in row/column order. */
  public readonly endpoints: string[];
  /** The evaluated ports (protocol always set). */
  public readonly ports: PortSpec[];
  /** Every verdict: for each port, for each source, for each destination. */
  public readonly cells: MatrixCell[];

  private readonly position: Map<string, number>;

  /**
   * @param endpoints the endpoint ids, in row/column order
   * @param ports the evaluated ports, with their protocol set
   * @param cells ports × endpoints × endpoints cells, ordered by port, then source, then destination
   */
  constructor(endpoints: string[], ports: PortSpec[], cells: MatrixCell[]) {
    const n = endpoints.length;
    if (cells.length !== ports.length * n * n) {
      throw new Error(`ReachabilityMatrix: expected ${ports.length * n * n} cells (${ports.length} ports × ${n} × ${n} endpoints), got ${cells.length}`);
    }
    ports.forEach((spec, p) => {
      if (spec.protocol === undefined) {
        throw new Error(`ReachabilityMatrix: ports[${p}].protocol is missing; give every port spec its protocol`);
      }
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const cell = cells[(p * n + i) * n + j];
          if (cell.from !== endpoints[i] || cell.to !== endpoints[j] || cell.protocol !== spec.protocol || !samePort(cell.port, spec.port)) {
            throw new Error(
              `ReachabilityMatrix: cell ${(p * n + i) * n + j} is ${cell.from} -> ${cell.to} ${cell.protocol} ${cell.port ?? ''}; `
              + `expected ${endpoints[i]} -> ${endpoints[j]} ${portLabel(spec)} (cells go by port, then source, then destination)`,
            );
          }
        }
      }
    });
    this.endpoints = endpoints;
    this.ports = ports;
    this.cells = cells;
    this.position = new Map(endpoints.map((e, i) => [e, i]));
  }

  /**
   * Whether `from` can reach `to`.
   *
   * @param from source endpoint id
   * @param to destination endpoint id
   * @param port the port of one of the matrix's port specs; may be omitted when there is only one
   */
  public isAllowed(from: string, to: string, port?: number | string): boolean {
    const i = this.indexOf(from);
    const j = this.indexOf(to);
    let matches: number[];
    if (port === undefined) {
      if (this.ports.length !== 1) {
        throw new Error(`ReachabilityMatrix.isAllowed(): the matrix has ${this.ports.length} ports (${this.ports.map(portLabel).join(', ')}); name one`);
      }
      matches = [0];
    } else {
      matches = this.ports.map((spec, p) => (samePort(spec.port, port) ? p : -1)).filter((p) => p >= 0);
    }
    if (matches.length === 0) {
      throw new Error(`ReachabilityMatrix.isAllowed(): port ${port} is not in the matrix; its ports are ${this.ports.map(portLabel).join(', ')}`);
    }
    if (matches.length > 1) {
      throw new Error(
        `ReachabilityMatrix.isAllowed(): port ${port} is ambiguous (${matches.map((p) => portLabel(this.ports[p])).join(', ')}); read the cells instead`,
      );
    }
    const n = this.endpoints.length;
    return this.cells[(matches[0] * n + i) * n + j].allowed;
  }

  /** One Markdown table per port: rows are sources, columns destinations, ✓ allowed, ✗ denied. */
  public toMarkdown(): string {
    const n = this.endpoints.length;
    const sections: string[] = [];
    this.ports.forEach((spec, p) => {
      const lines: string[] = [];
      lines.push(`### ${spec.port === undefined ? `${spec.protocol} (no port)` : `${spec.protocol} port ${spec.port}`}`);
      lines.push('');
      lines.push(`| from \\ to | ${this.endpoints.join(' | ')} |`);
      lines.push(`| --- |${' :---: |'.repeat(n)}`);
      for (let i = 0; i < n; i++) {
        const row: string[] = [];
        for (let j = 0; j < n; j++) {
          row.push(this.cells[(p * n + i) * n + j].allowed ? '✓' : '✗');
        }
        lines.push(`| ${this.endpoints[i]} | ${row.join(' | ')} |`);
      }
      sections.push(lines.join('\n'));
    });
    return `${sections.join('\n\n')}\n`;
  }

  private indexOf(id: string): number {
    const i = this.position.get(id);
    if (i === undefined) {
      throw new Error(`ReachabilityMatrix: ${id} is not in the matrix; its endpoints are ${this.endpoints.slice(0, 10).join(', ')}${this.endpoints.length > 10 ? ', …' : ''}`);
    }
    return i;
  }
}
