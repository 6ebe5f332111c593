/**
 * `cdk8s-calico matrix`: a Markdown reachability matrix of the workloads.
 */
import { ExternalTier, NetworkModel, PortSpec, ReachabilityMatrix } from '../../analysis';
import { CliIo, Command, EXIT_OK, PROGRAM, withNewline } from '../command';
import { loadManifests } from '../load-manifests';
import {
  HELP_HELP, INCLUDE_STAGED_HELP, INCLUDE_STAGED_OPTION, TIER_HELP, TIER_OPTION, externalTiers, includeStaged,
  MANIFESTS_HELP, MANIFESTS_OPTION, optionalString,
  parseCommandLine, parseProtocolPort, ProtocolPort, rejectPositionals, requireManifests, stringList,
} from '../options';
import { OUTPUT_OPTION, OutputFormat, outputFormat, outputHelp, toCsv, toDot, toJson } from '../output';

/** The arguments of `cdk8s-calico matrix`. */
export interface MatrixArgs {
  /** Manifest files, directories, or `-` for standard input. */
  readonly manifests: string[];
  /** The protocols and ports to evaluate, one table each (`--port`, `[<protocol>/]<port>`). */
  readonly ports: ProtocolPort[];
  /** The protocol of ports given without one, and of the single table when no port is given. */
  readonly protocol?: string;
  /** The endpoints (`<namespace>/<name>`) to include; empty means all. */
  readonly endpoints: string[];
  /** Addresses outside the cluster (`ip:<address>`) to include as sources and destinations. */
  readonly external: string[];
  /** Whether staged policies are evaluated as if they were enforced. */
  readonly includeStaged: boolean;
  /** Tiers managed outside the manifests (`--tier`). */
  readonly tiers: ExternalTier[];
  /** The output format (`--output`): `text` (default) and `md` print the Markdown tables; `json`, `csv`, `dot`. */
  readonly output: OutputFormat;
}

const NAME = 'matrix';
const FORMATS: readonly OutputFormat[] = ['text', 'md', 'json', 'csv', 'dot'];

/** `cdk8s-calico matrix`: prints one Markdown reachability table per port; exit 0. */
export const matrixCommand: Command<MatrixArgs> = {
  name: NAME,
  summary: 'Print a Markdown reachability matrix of the workloads.',
  usage: `Usage: ${PROGRAM} matrix --manifests <path>... [--port [<protocol>/]<port>]... [options]

Prints a Markdown table per port: one row per source endpoint, one column per destination
endpoint, each cell telling whether the flow is allowed (✓) or denied (✗).

Options:
${MANIFESTS_HELP}
      --port [<protocol>/]<port>
                             A table for this destination port: a number 1-65535 or a
                             container port name, optionally with its protocol (UDP/53);
                             may be repeated. Default: one table without a port.
      --protocol <protocol>  Protocol of ports given without one (default TCP).
      --endpoint <ns/name>   Include only these endpoints; may be repeated (default: all).
      --external <ip:addr>   Also include an address outside the cluster, e.g. ip:203.0.113.7;
                             may be repeated.
${INCLUDE_STAGED_HELP}
${TIER_HELP}
${outputHelp(FORMATS)}
${HELP_HELP}

Output: text and md print the Markdown tables. json prints
  endpoints                  the endpoint ids, in row/column order
  ports                      the tables: protocol, port (null without a port)
  cells                      one per port, source and destination: from, to, protocol,
                             port (null without a port), allowed
csv prints one line per cell: from,to,protocol,port,allowed. dot prints a graph with the
endpoints as nodes (grouped by namespace) and an edge for each allowed flow between two
different endpoints, labelled with its ports ("all" when allowed in every table).

Examples:
  ${PROGRAM} matrix --manifests dist/ --port 443 --port udp/53
  ${PROGRAM} matrix -f dist/ --port http --endpoint fe/web --endpoint be/api --external ip:203.0.113.7
  ${PROGRAM} matrix -f dist/ --port 443 --output dot

Exit code: 0 on success, 2 on error.
`,

  parse(argv) {
    const line = parseCommandLine(NAME, argv, {
      ...MANIFESTS_OPTION,
      port: { type: 'string', multiple: true },
      protocol: { type: 'string' },
      endpoint: { type: 'string', multiple: true },
      external: { type: 'string', multiple: true },
      ...INCLUDE_STAGED_OPTION,
      ...TIER_OPTION,
      ...OUTPUT_OPTION,
    });
    const manifests = requireManifests(NAME, line);
    const { values, positionals } = line;
    rejectPositionals(NAME, positionals);
    const output = outputFormat(values, NAME, FORMATS);
    const ports = ((values.port as string[] | undefined) ?? []).map((text) => parseProtocolPort(text, NAME));
    const protocol = optionalString(values.protocol, '--protocol', NAME);
    const endpoints = stringList(values.endpoint, '--endpoint', NAME);
    const external = stringList(values.external, '--external', NAME);
    return {
      manifests,
      ports,
      protocol,
      endpoints,
      external,
      includeStaged: includeStaged(values),
      tiers: externalTiers(values, NAME),
      output,
    };
  },

  run(args: MatrixArgs, io: CliIo): number {
    const model = NetworkModel.fromManifests(loadManifests(args.manifests, io.stdin?.bind(io)), { tiers: args.tiers });
    const ports: PortSpec[] = args.ports.length === 0
      ? [{ protocol: args.protocol }]
      : args.ports.map((spec) => ({ protocol: spec.protocol ?? args.protocol, port: spec.port }));
    const matrix = model.matrix({
      ports,
      endpoints: args.endpoints.length === 0 ? undefined : args.endpoints,
      includeExternal: args.external,
      includeStaged: args.includeStaged,
    });
    io.stdout(render(matrix, args.output));
    return EXIT_OK;
  },
};

/** The matrix in an output format. */
function render(matrix: ReachabilityMatrix, output: OutputFormat): string {
  switch (output) {
    case 'json':
      return toJson({
        endpoints: matrix.endpoints,
        ports: matrix.ports.map((spec) => ({ protocol: spec.protocol, port: spec.port ?? null })),
        cells: matrix.cells.map((cell) => ({
          from: cell.from, to: cell.to, protocol: cell.protocol, port: cell.port ?? null, allowed: cell.allowed,
        })),
      });
    case 'csv':
      return toCsv(['from', 'to', 'protocol', 'port', 'allowed'],
        matrix.cells.map((cell) => [cell.from, cell.to, cell.protocol, cell.port, cell.allowed]));
    case 'dot':
      return matrixDot(matrix);
    default:
      return withNewline(matrix.toMarkdown());
  }
}

/** `TCP 443`, `UDP 53`, `TCP` (no port). */
function portLabel(spec: PortSpec): string {
  return spec.port === undefined ? `${spec.protocol}` : `${spec.protocol} ${spec.port}`;
}

/** The allowed flows between different endpoints as a Graphviz graph, grouped by namespace. */
function matrixDot(matrix: ReachabilityMatrix): string {
  const n = matrix.endpoints.length;
  const nodes = matrix.endpoints.map((id) => {
    const slash = id.indexOf('/');
    return id.startsWith('ip:') || slash < 0 ? { id } : { id, group: id.slice(0, slash), label: id.slice(slash + 1) };
  });
  const edges = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const allowed = matrix.ports.filter((_, p) => matrix.cells[(p * n + i) * n + j].allowed);
      if (allowed.length === 0) continue;
      const label = allowed.length === matrix.ports.length && matrix.ports.length > 1 ? 'all' : allowed.map(portLabel).join(', ');
      edges.push({ from: matrix.endpoints[i], to: matrix.endpoints[j], label });
    }
  }
  return toDot('reachability', nodes, edges);
}
