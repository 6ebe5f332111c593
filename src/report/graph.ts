/**
 * The connectivity graph of a security report: workloads as nodes grouped by namespace,
 * addresses outside the cluster in a group of their own, an edge for every allowed flow between
 * two different endpoints. Laid out and drawn as SVG by Graphviz compiled to WebAssembly
 * (`@viz-js/viz`: no native code, no network).
 */
import { DotEdge, DotNode, toDot } from './formats';
import { ReportFlow, SecurityReport } from './security-report';
import { compactPorts, displayEndpoints, flowIndex } from './views';

/** Edge labels longer than this are cut (the tooltip has them whole). */
const MAX_EDGE_LABEL = 40;

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
 * every workload treats alike are drawn as one node; two flows between the same endpoints in
 * both directions on the same ports are drawn as one edge with two arrowheads.
 */
export function connectivityDot(report: SecurityReport): string {
  const flows = flowIndex(report);
  const labelOf = (f: ReportFlow | undefined) => {
    if (f === undefined || f.allowed.length === 0) return undefined;
    if (f.all) return 'any port';
    const text = compactPorts(f.allowed);
    return text.length > MAX_EDGE_LABEL ? `${text.slice(0, MAX_EDGE_LABEL - 1)}…` : text;
  };
  const shown = displayEndpoints(report);
  const nodes: DotNode[] = shown.map((e) => (e.kind === 'External'
    ? { id: e.id, group: 'outside the cluster', label: e.name, attributes: { style: 'rounded,filled', fillcolor: GRAPH_COLORS.outside, tooltip: e.label } }
    : { id: e.id, group: e.namespace, label: e.name, attributes: { style: 'rounded,filled', fillcolor: GRAPH_COLORS.workload, tooltip: `${e.kind} ${e.id}` } }));
  const edges: DotEdge[] = [];
  const drawn = new Set<string>();
  for (const from of shown) {
    for (const to of shown) {
      const flow = flows.get(`${from.id}\u0000${to.id}`);
      const label = labelOf(flow);
      if (from.id === to.id || label === undefined || drawn.has(`${from.id}\u0000${to.id}`)) continue;
      const both = labelOf(flows.get(`${to.id}\u0000${from.id}`)) === label;
      drawn.add(`${from.id}\u0000${to.id}`);
      if (both) drawn.add(`${to.id}\u0000${from.id}`);
      const color = flow!.all ? GRAPH_COLORS.open : GRAPH_COLORS.restricted;
      edges.push({
        from: from.id,
        to: to.id,
        label,
        attributes: {
          color,
          fontcolor: color,
          ...(both ? { dir: 'both' } : {}),
          tooltip: `${from.label} ${both ? '<->' : '->'} ${to.label}: ${flow!.all ? 'every port' : compactPorts(flow!.allowed)}`,
        },
      });
    }
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
