/**
 * The security report as one self-contained HTML page (`report.html`): the connectivity graph as
 * inline SVG, the matrices, who can change what, and the audit's findings. No scripts, fonts,
 * images or styles from elsewhere: it opens offline, as an attachment or a CI artifact.
 */
import { GRAPH_COLORS } from './graph';
import { changerRows, flowCell, MAX_MATRIX_ENDPOINTS, namespaceCell, namespaceOrder, severityCounts } from './markdown';
import { ReportFlow, SecurityReport } from './security-report';
import { compactPorts, displayEndpoints, flowIndex } from './views';

/** Text escaped for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `
body { font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2rem; color: #1c2833; }
h1 { margin-bottom: 0.2rem; }
h2 { margin-top: 2.2rem; border-bottom: 1px solid #d5d8dc; padding-bottom: 0.3rem; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.85rem; }
th, td { border: 1px solid #d5d8dc; padding: 0.25rem 0.5rem; vertical-align: top; }
th { background: #f4f6f7; text-align: left; }
td.cell { text-align: center; white-space: nowrap; }
td.open { background: #fdebd0; color: #a04000; }
td.some { background: #e9f7ef; color: #1e8449; }
td.none { background: #f8f9f9; color: #aab7b8; }
td.self { background: #fbfcfc; color: #aab7b8; }
.graph { overflow: auto; border: 1px solid #d5d8dc; padding: 0.5rem; background: #fff; }
.graph svg { max-width: 100%; height: auto; }
.legend span { display: inline-block; margin-right: 1.2rem; }
.swatch { display: inline-block; width: 1.6rem; height: 0.25rem; vertical-align: middle; margin-right: 0.3rem; }
.sev-critical, .sev-high { color: #922b21; font-weight: bold; }
.sev-medium { color: #a04000; }
code { background: #f4f6f7; padding: 0 0.2rem; border-radius: 3px; }
`;

/**
 * The report as an HTML page.
 *
 * @param report the report
 * @param svg the connectivity graph, an `<svg>` element (see `renderSvg`)
 * @param title the page title
 */
export function reportHtml(report: SecurityReport, svg: string, title = 'Security report'): string {
  const e = escapeHtml;
  const workloads = report.endpoints.filter((x) => x.kind !== 'External');
  const parts: string[] = [];
  parts.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
    `<title>${e(title)}</title>`, `<style>${STYLE}</style>`, '</head>', '<body>');
  parts.push(`<h1>${e(title)}</h1>`);
  parts.push(`<p>${workloads.length} workloads in ${new Set(workloads.map((w) => w.namespace)).size} namespaces; `
    + `tiers in evaluation order: ${report.tiers.map((t) => `<code>${e(t)}</code>`).join(', ')}; `
    + `audit: ${report.findings === undefined ? 'not run' : report.findings.length === 0 ? 'no findings' : e(`${report.findings.length} findings (${severityCounts(report)})`)}.</p>`);

  parts.push('<h2>Connectivity graph</h2>');
  parts.push('<p class="legend">'
    + `<span><span class="swatch" style="background:${GRAPH_COLORS.restricted}"></span>allowed on the ports shown</span>`
    + `<span><span class="swatch" style="background:${GRAPH_COLORS.open}"></span>allowed on every port</span>`
    + '<span>no edge: denied on every port</span></p>');
  parts.push(`<div class="graph">${svg}</div>`);
  parts.push(`<p>Ports asked: ${e(report.ports.join(', '))} (each range stands for the ports no rule tells apart).</p>`);

  const order = namespaceOrder(report);
  const byNs = new Map(report.namespaces.map((f) => [`${f.from}\u0000${f.to}`, f]));
  parts.push('<h2>Connectivity between namespaces</h2>');
  parts.push('<table><tr><th>from ↓ to →</th>', ...order.map((n) => `<th>${e(n)}</th>`), '</tr>');
  for (const from of order) {
    parts.push(`<tr><th>${e(from)}</th>`);
    for (const to of order) {
      const flow = byNs.get(`${from}\u0000${to}`);
      const cls = flow === undefined || flow.pairs === 0 ? 'self' : flow.openPairs === flow.pairs ? 'open' : flow.reachablePairs === 0 ? 'none' : 'some';
      parts.push(`<td class="cell ${cls}">${e(namespaceCell(flow))}</td>`);
    }
    parts.push('</tr>');
  }
  parts.push('</table>');

  parts.push('<h2>Connectivity between workloads</h2>');
  const byPair = flowIndex(report);
  const shown = displayEndpoints(report);
  const flowClass = (f: ReportFlow | undefined) => (f === undefined ? 'self' : f.all ? 'open' : f.allowed.length === 0 ? 'none' : 'some');
  if (shown.length <= MAX_MATRIX_ENDPOINTS) {
    parts.push('<table><tr><th>from ↓ to →</th>', ...shown.map((x) => `<th>${e(x.label)}</th>`), '</tr>');
    for (const from of shown) {
      parts.push(`<tr><th>${e(from.label)}</th>`);
      for (const to of shown) {
        const flow = byPair.get(`${from.id}\u0000${to.id}`);
        parts.push(`<td class="cell ${flowClass(flow)}">${e(flowCell(flow))}</td>`);
      }
      parts.push('</tr>');
    }
    parts.push('</table>');
  } else {
    parts.push('<table><tr><th>from</th><th>reaches</th></tr>');
    for (const from of shown) {
      const reached = shown
        .map((to) => ({ to, flow: byPair.get(`${from.id}\u0000${to.id}`) }))
        .filter(({ to, flow }) => to.id !== from.id && flow !== undefined && flow.allowed.length > 0);
      const text = reached.length === 0 ? 'nothing'
        : reached.map(({ to, flow }) => `${to.label}${flow!.all ? '' : ` (${compactPorts(flow!.allowed)})`}`).join(', ');
      parts.push(`<tr><th>${e(from.label)}</th><td>${e(text)}</td></tr>`);
    }
    parts.push('</table>');
  }

  parts.push('<h2>Who can change policies, tiers and network sets</h2>');
  parts.push('<p>Verbs: create, update, patch, delete ("all" when every one). The group <code>system:masters</code> can do everything and is not listed.</p>');
  parts.push('<table><tr><th>resource</th><th>namespaces</th><th>tiers</th><th>who</th></tr>');
  for (const c of changerRows(report.changers)) {
    const who = c.subjects.length === 0 ? 'nobody' : c.subjects.map((x) => `<code>${e(x.subject)}</code> (${e(x.verbs)})`).join('<br>');
    parts.push(`<tr><td>${e(c.resource)}</td><td>${e(c.namespaces)}</td><td>${e(c.tiers)}</td><td>${who}</td></tr>`);
  }
  parts.push('</table>');

  parts.push('<h2>Audit findings</h2>');
  if (report.findings === undefined) {
    parts.push('<p>The audit was not run: this version of cdk8s-calico has no audit rule pack.</p>');
  } else if (report.findings.length === 0) {
    parts.push('<p>No findings.</p>');
  } else {
    parts.push('<table><tr><th>severity</th><th>rule</th><th>subject</th><th>finding</th><th>objects</th><th>fix</th></tr>');
    for (const f of report.findings) {
      parts.push(`<tr><td class="sev-${e(f.severity)}">${e(f.severity)}</td><td>${e(f.rule)}</td><td>${f.subject === undefined ? '' : `<code>${e(f.subject)}</code>`}</td>`
        + `<td>${e(f.message)}</td><td>${f.objects.map((o) => e(o)).join('<br>')}</td><td>${e(f.fix)}</td></tr>`);
    }
    parts.push('</table>');
  }
  parts.push('</body>', '</html>', '');
  return parts.join('\n');
}
