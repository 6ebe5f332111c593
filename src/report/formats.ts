/**
 * The writers behind every machine- and reviewer-readable output of the package (CLI `--output`,
 * the diff and the report): JSON, CSV, Markdown tables and Graphviz DOT, so that each format looks
 * the same whoever prints it.
 */

/** A value as indented JSON with a final line break; `undefined` fields are left out. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** One CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string | number | boolean | undefined | null): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV: the header line and one line per row, each ending with a line break. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean | undefined | null>>): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\n`).join('');
}

/** A Markdown table cell: pipes escaped and line breaks turned into `<br>`. */
export function markdownCell(value: string | number | boolean | undefined | null): string {
  const text = value === undefined || value === null ? '' : String(value);
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A Markdown table, each line ending with a line break; `align` per column: `l` (default) or `c`. */
export function markdownTable(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | boolean | undefined | null>>,
  align?: readonly ('l' | 'c')[],
): string {
  const line = (cells: ReadonlyArray<string | number | boolean | undefined | null>) => `| ${cells.map(markdownCell).join(' | ')} |\n`;
  const rule = `|${header.map((_, i) => (align?.[i] === 'c' ? ' :---: ' : ' --- ')).join('|')}|\n`;
  return `${line(header)}${rule}${rows.map(line).join('')}`;
}

/** Inline code in Markdown, with a fence long enough for the backticks the text holds. */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** A DOT identifier: always quoted, with quotes and backslashes escaped. */
export function dotId(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/** A node of a {@link toDot} graph. */
export interface DotNode {
  /** The node id. */
  readonly id: string;
  /** The cluster the node is drawn in, if any. */
  readonly group?: string;
  /** The label; the id when absent. */
  readonly label?: string;
  /** Extra attributes, e.g. `{ fillcolor: '#eee' }`. */
  readonly attributes?: { readonly [name: string]: string };
}

/** An edge of a {@link toDot} graph. */
export interface DotEdge {
  /** The source node. */
  readonly from: string;
  /** The destination node. */
  readonly to: string;
  /** The label, if any. */
  readonly label?: string;
  /** Extra attributes, e.g. `{ style: 'dashed' }`. */
  readonly attributes?: { readonly [name: string]: string };
}

/**
 * A directed Graphviz graph: nodes grouped in a cluster per group (e.g. per namespace; nodes
 * without a group stand alone), then the edges.
 *
 * @param name the graph's name
 * @param nodes node ids with their group and label
 * @param edges the edges
 */
export function toDot(
  name: string,
  nodes: ReadonlyArray<DotNode>,
  edges: readonly DotEdge[],
): string {
  const attrs = (values: { readonly [name: string]: string | undefined }) => {
    const list = Object.entries(values).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${dotId(v!)}`);
    return list.length === 0 ? '' : ` [${list.join(', ')}]`;
  };
  const lines = [
    `digraph ${dotId(name)} {`,
    '  rankdir=LR;',
    '  graph [fontname="Helvetica", fontsize=12];',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  const groups = new Map<string, DotNode[]>();
  const loose: DotNode[] = [];
  for (const node of nodes) {
    if (node.group === undefined) {
      loose.push(node);
    } else {
      groups.set(node.group, [...(groups.get(node.group) ?? []), node]);
    }
  }
  [...groups.entries()].forEach(([group, members], i) => {
    lines.push(`  subgraph ${dotId(`cluster_${i}`)} {`, `    label=${dotId(group)};`, '    style=rounded;');
    for (const node of members) lines.push(`    ${dotId(node.id)}${attrs({ label: node.label, ...node.attributes })};`);
    lines.push('  }');
  });
  for (const node of loose) lines.push(`  ${dotId(node.id)}${attrs({ label: node.label, ...node.attributes })};`);
  for (const edge of edges) lines.push(`  ${dotId(edge.from)} -> ${dotId(edge.to)}${attrs({ label: edge.label, ...edge.attributes })};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
