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

/** What the rows and columns of a matrix stand for. */
export enum MatrixGranularity {
  /**
   * One row per endpoint of the model (pods and workloads declared in the manifests), named by
   * its endpoint id. A pod's traffic to itself is allowed (never policed).
   */
  POD = 'pod',
  /**
   * One row per workload, named `<namespace>/<kind>/<name>` (`deployment`, `statefulset`,
   * `daemonset`, `job`, `cronjob`, `replicaset`, `replicationcontroller`, or `pod` for a pod no
   * controller owns). A pod belongs to the workload that controls it (its controller
   * `ownerReference`, followed through ReplicaSets and Jobs to their Deployment or CronJob).
   * A cell is allowed when it is allowed between every pod of the source workload and every pod
   * of the destination workload; a workload stands for its replicas, so its row to itself (and
   * to the `ip:` address of one of its pods) is traffic between two of its pods.
   */
  WORKLOAD = 'workload',
  /**
   * One row per equivalence class: endpoints that no policy, rule or port can tell apart
   * (namespace, labels, service account, named ports, the rule networks their addresses are
   * in). Rows are named `class:<n>`; `membersOf()` lists their endpoints.
   */
  CLASS = 'class',
}

/** Options of `NetworkModel.matrix()`. */
export interface MatrixOptions {
  /**
   * The ports to evaluate; one table each.
   * @default - one entry: TCP without a port
   */
  readonly ports?: PortSpec[];
  /**
   * The endpoints to include, as sources and destinations: endpoint ids (`namespace/name` or
   * `namespace/kind/name`) for the `POD` and `CLASS` granularities (a class is included when
   * one of its endpoints is), workload ids (`namespace/kind/name`, or `namespace/name` when only
   * one workload has that name) for `WORKLOAD`.
   * @default - every endpoint (or workload) of the model
   */
  readonly endpoints?: string[];
  /**
   * What rows and columns stand for: endpoints, workloads or equivalence classes.
   * @default MatrixGranularity.POD
   */
  readonly granularity?: MatrixGranularity;
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

/** Set by `ReachabilityMatrix._fromVerdicts` while it calls the constructor. */
let pending: { verdicts: Uint8Array; members?: ReadonlyMap<string, readonly string[]> } | undefined;

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
  /**
   * A matrix from verdicts computed by the model (one byte per cell, 1 = allowed); the cells are
   * built when first read.
   *
   * @param endpoints the row/column ids
   * @param ports the evaluated ports, with their protocol set
   * @param verdicts ports × endpoints × endpoints bytes, ordered like `cells`
   * @param members for rows that stand for several endpoints, those endpoints
   * @internal
   */
  public static _fromVerdicts(
    endpoints: string[],
    ports: PortSpec[],
    verdicts: Uint8Array,
    members?: ReadonlyMap<string, readonly string[]>,
  ): ReachabilityMatrix {
    pending = { verdicts, members };
    try {
      return new ReachabilityMatrix(endpoints, ports, []);
    } finally {
      pending = undefined;
    }
  }

  /** Sources and destinations, in row/column order. */
  public readonly endpoints: string[];
  /** The evaluated ports (protocol always set). */
  public readonly ports: PortSpec[];

  private readonly position: Map<string, number>;
  private readonly verdicts: Uint8Array;
  private readonly members?: ReadonlyMap<string, readonly string[]>;
  private builtCells?: MatrixCell[];

  /**
   * @param endpoints the endpoint ids, in row/column order
   * @param ports the evaluated ports, with their protocol set
   * @param cells ports × endpoints × endpoints cells, ordered by port, then source, then destination
   */
  constructor(endpoints: string[], ports: PortSpec[], cells: MatrixCell[]) {
    const n = endpoints.length;
    ports.forEach((spec, p) => {
      if (spec.protocol === undefined) {
        throw new Error(`ReachabilityMatrix: ports[${p}].protocol is missing; give every port spec its protocol`);
      }
    });
    this.endpoints = endpoints;
    this.ports = ports;
    this.position = new Map(endpoints.map((e, i) => [e, i]));
    if (pending !== undefined) {
      if (pending.verdicts.length !== ports.length * n * n) {
        throw new Error(`ReachabilityMatrix: expected ${ports.length * n * n} verdicts (${ports.length} ports × ${n} × ${n} endpoints), got ${pending.verdicts.length}`);
      }
      this.verdicts = pending.verdicts;
      this.members = pending.members;
      return;
    }
    if (cells.length !== ports.length * n * n) {
      throw new Error(`ReachabilityMatrix: expected ${ports.length * n * n} cells (${ports.length} ports × ${n} × ${n} endpoints), got ${cells.length}`);
    }
    this.verdicts = new Uint8Array(cells.length);
    ports.forEach((spec, p) => {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const cell = cells[(p * n + i) * n + j];
          if (cell.from !== endpoints[i] || cell.to !== endpoints[j] || cell.protocol !== spec.protocol || !samePort(cell.port, spec.port)) {
            throw new Error(
              `ReachabilityMatrix: cell ${(p * n + i) * n + j} is ${cell.from} -> ${cell.to} ${cell.protocol} ${cell.port ?? ''}; `
              + `expected ${endpoints[i]} -> ${endpoints[j]} ${portLabel(spec)} (cells go by port, then source, then destination)`,
            );
          }
          this.verdicts[(p * n + i) * n + j] = cell.allowed ? 1 : 0;
        }
      }
    });
    this.builtCells = cells;
  }

  /** Every verdict: for each port, for each source, for each destination. */
  public get cells(): MatrixCell[] {
    if (this.builtCells === undefined) {
      const n = this.endpoints.length;
      const cells: MatrixCell[] = new Array(this.verdicts.length);
      let k = 0;
      for (const spec of this.ports) {
        const protocol = spec.protocol!;
        for (let i = 0; i < n; i++) {
          const from = this.endpoints[i];
          for (let j = 0; j < n; j++) {
            const allowed = this.verdicts[k] === 1;
            cells[k++] = spec.port === undefined
              ? { from, to: this.endpoints[j], protocol, allowed }
              : { from, to: this.endpoints[j], protocol, port: spec.port, allowed };
          }
        }
      }
      this.builtCells = cells;
    }
    return this.builtCells;
  }

  /**
   * The endpoints a row stands for: the endpoints of a workload or class, or the row itself
   * (an endpoint or an `ip:` address).
   *
   * @param row a row id
   */
  public membersOf(row: string): string[] {
    this.indexOf(row);
    return [...(this.members?.get(row) ?? [row])];
  }

  /** The number of allowed cells (of one port, or of all ports when omitted). */
  public allowedCount(port?: number | string): number {
    const n = this.endpoints.length;
    const ports = port === undefined ? this.ports.map((_, p) => p) : [this.portIndex(port, 'allowedCount')];
    let count = 0;
    for (const p of ports) {
      for (let k = p * n * n; k < (p + 1) * n * n; k++) {
        count += this.verdicts[k];
      }
    }
    return count;
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
    const p = this.portIndex(port, 'isAllowed');
    const n = this.endpoints.length;
    return this.verdicts[(p * n + i) * n + j] === 1;
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
          row.push(this.verdicts[(p * n + i) * n + j] === 1 ? '✓' : '✗');
        }
        lines.push(`| ${this.endpoints[i]} | ${row.join(' | ')} |`);
      }
      sections.push(lines.join('\n'));
    });
    return `${sections.join('\n\n')}\n`;
  }

  private portIndex(port: number | string | undefined, method: string): number {
    let matches: number[];
    if (port === undefined) {
      if (this.ports.length !== 1) {
        throw new Error(`ReachabilityMatrix.${method}(): the matrix has ${this.ports.length} ports (${this.ports.map(portLabel).join(', ')}); name one`);
      }
      matches = [0];
    } else {
      matches = this.ports.map((spec, p) => (samePort(spec.port, port) ? p : -1)).filter((p) => p >= 0);
    }
    if (matches.length === 0) {
      throw new Error(`ReachabilityMatrix.${method}(): port ${port} is not in the matrix; its ports are ${this.ports.map(portLabel).join(', ')}`);
    }
    if (matches.length > 1) {
      throw new Error(
        `ReachabilityMatrix.${method}(): port ${port} is ambiguous (${matches.map((p) => portLabel(this.ports[p])).join(', ')}); read the cells instead`,
      );
    }
    return matches[0];
  }

  private indexOf(id: string): number {
    const i = this.position.get(id);
    if (i === undefined) {
      throw new Error(`ReachabilityMatrix: ${id} is not in the matrix; its endpoints are ${this.endpoints.slice(0, 10).join(', ')}${this.endpoints.length > 10 ? ', …' : ''}`);
    }
    return i;
  }
}
