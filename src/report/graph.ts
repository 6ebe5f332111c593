/**
 * The connectivity graph of a security report: workloads as nodes grouped by namespace,
 * addresses outside the cluster in a group of their own, an edge for every allowed flow between
 * two different endpoints. Laid out and drawn as SVG by Graphviz compiled to WebAssembly
 * (`@viz-js/viz`: no native code, no network).
 */
import { DotEdge, toDot } from './formats';
import { ReportFlow, SecurityReport } from './security-report';

/** Edges with more allowed ports than this show the first ones and a count. */
const MAX_EDGE_PORTS = 3;

/** Colours of the graph (also used by the HTML legend). */
export const GRAPH_COLORS = {
  /** An edge allowed on every port asked. */
  open: '#d35400',
  /** An edge allowed on some ports only. */
  restricted: '#1e8449',
  /** Nodes outside the cluster. */
  outside: '#fdebd0',
  /** Workload nodes. */
  workload: '#eaf2f8',
};

/**
 * The report's connectivity graph in Graphviz DOT. Classes of addresses outside the cluster that
 * every endpoint treats alike are drawn as one node; two flows between the same endpoints in
 * both directions on the same ports are drawn as one edge with two arrowheads.
 */
export function connectivityDot(report: SecurityReport): string {
  const flowOf = new Map(report.flows.map((f) => [`${f.from}\u0000${f.to}`, f]));
  const labelOf = (f: ReportFlow | undefined) => {
    if (f === undefined || f.allowed.length === 0) return undefined;
    if (f.all) return 'any port';
    const shown = f.allowed.slice(0, MAX_EDGE_PORTS).join(', ');
    return f.allowed.length > MAX_EDGE_PORTS ? `${shown}, +${f.allowed.length - MAX_EDGE_PORTS}` : shown;
  };
  // Address classes with the same flows to and from every endpoint become one node.
  const inside = report.endpoints.filter((e) => e.kind !== 'External');
  const representative = new Map<string, string>();
  const merged = new Map<string, string[]>();
  for (const e of report.endpoints.filter((x) => x.kind === 'External')) {
    const signature = inside.map((w) => `${labelOf(flowOf.get(`${e.id}\u0000${w.id}`))}|${labelOf(flowOf.get(`${w.id}\u0000${e.id}`))}`).join('\u0000');
    const first = [...merged.keys()].find((id) => merged.get(id)![0] === signature);
    if (first === undefined) {
      merged.set(e.id, [signature, e.name]);
      representative.set(e.id, e.id);
    } else {
      merged.get(first)!.push(e.name);
      representative.set(e.id, first);
    }
  }
  const nodes = [
    ...inside.map((e) => ({
      id: e.id, group: e.namespace, label: e.name, attributes: { style: 'rounded,filled', fillcolor: GRAPH_COLORS.workload, tooltip: `${e.kind} ${e.id}` },
    })),
    ...[...merged.entries()].map(([id, [, ...names]]) => ({
      id, group: 'outside the cluster', label: names.join('\n'), attributes: { style: 'rounded,filled', fillcolor: GRAPH_COLORS.outside, tooltip: names.join('; ') },
    })),
  ];
  const edges: DotEdge[] = [];
  const drawn = new Set<string>();
  for (const flow of report.flows) {
    const from = representative.get(flow.from) ?? flow.from;
    const to = representative.get(flow.to) ?? flow.to;
    const label = labelOf(flow);
    if (from === to || label === undefined || drawn.has(`${from}\u0000${to}`)) continue;
    const back = flowOf.get(`${flow.to}\u0000${flow.from}`);
    const both = labelOf(back) === label;
    drawn.add(`${from}\u0000${to}`);
    if (both) drawn.add(`${to}\u0000${from}`);
    const color = flow.all ? GRAPH_COLORS.open : GRAPH_COLORS.restricted;
    edges.push({
      from,
      to,
      label,
      attributes: {
        color,
        fontcolor: color,
        ...(both ? { dir: 'both' } : {}),
        tooltip: `${flow.from} ${both ? '<->' : '->'} ${flow.to}: ${flow.all ? 'every port' : flow.allowed.join(', ')}`,
      },
    });
  }
  return toDot('connectivity', nodes, edges);
}

/** What the report needs of Graphviz: DOT in, SVG out. */
export interface GraphRenderer {
  /** Lays out and draws a DOT graph; throws on invalid DOT. */
  renderString(dot: string, options: { readonly format: string; readonly engine?: string }): string;
}

/** The Graphviz renderer, created once (compiling the WebAssembly module takes a moment). */
let renderer: Promise<GraphRenderer> | undefined;

/** Graphviz compiled to WebAssembly (`@viz-js/viz`), loaded once. */
export function graphviz(): Promise<GraphRenderer> {
  if (renderer === undefined) {
    // @viz-js/viz is an ES module package with a CommonJS build for require(); its types only
    // resolve for ES modules, so the little this module uses is typed by GraphRenderer.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const viz = require('@viz-js/viz') as { instance(): Promise<GraphRenderer> };
    renderer = viz.instance();
  }
  return renderer;
}

/**
 * Draws a DOT graph as an SVG element to inline in HTML (the XML prolog and doctype removed).
 *
 * @param dot the graph
 * @param render the Graphviz renderer (default: `@viz-js/viz`)
 */
export async function renderSvg(dot: string, render?: GraphRenderer): Promise<string> {
  const viz = render ?? await graphviz();
  const svg = viz.renderString(dot, { format: 'svg', engine: 'dot' });
  const start = svg.indexOf('<svg');
  if (start < 0) throw new Error('Graphviz returned no <svg> element for the connectivity graph');
  return svg.slice(start).trim();
}
