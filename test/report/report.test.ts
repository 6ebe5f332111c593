/**
 * The security report: its data, the Markdown and HTML renderings, the connectivity graph (DOT
 * and SVG by Graphviz) and the audit behind its small interface.
 */
import { parseAllDocuments } from 'yaml';
import {
  buildSecurityReport, changerRows, compactPorts, connectivityDot, displayEndpoints, escapeHtml, flowCell, GraphRenderer, namespaceCell, renderSvg,
  reportFiles, reportHtml, reportJson, reportMarkdown, ReportFinding, SecurityReport,
} from '../../src/report';
import { RBAC_YAML, SHOP_YAML } from '../cli/fixtures';

const SHOP = parseAllDocuments(SHOP_YAML).map((d) => d.toJS());
const RBAC = parseAllDocuments(RBAC_YAML).map((d) => d.toJS());
const SECURITY_TIER = { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security' }, spec: { order: 100 } };

const FINDING: ReportFinding = {
  rule: 'CC-TEST-001',
  severity: 'high',
  subject: 'ServiceAccount:be/ci',
  message: 'reads <pods> & logs',
  objects: ['RoleBinding be/ci-reads-pods'],
  fix: 'remove the binding',
};

describe('buildSecurityReport', () => {
  const report = buildSecurityReport([...SHOP, ...RBAC, SECURITY_TIER], { audit: () => [FINDING] });

  test('endpoints, then classes of addresses outside the cluster', () => {
    expect(report.endpoints.slice(0, 3)).toEqual([
      { id: 'shop/api', kind: 'Pod', namespace: 'shop', name: 'api' },
      { id: 'shop/db', kind: 'Pod', namespace: 'shop', name: 'db' },
      { id: 'shop/web', kind: 'Pod', namespace: 'shop', name: 'web' },
    ]);
    expect(report.endpoints.slice(3)).toEqual([{ id: 'ip:203.0.113.10', kind: 'External', name: 'any IPv4 address' }]);
    expect(report.ports).toEqual(['TCP 1-5431', 'TCP 5432', 'TCP 5433-65535', 'UDP 1-65535']);
  });

  test('flows: the ports allowed per pair', () => {
    const flow = (from: string, to: string) => report.flows.find((f) => f.from === from && f.to === to);
    expect(flow('shop/api', 'shop/db')).toEqual({ from: 'shop/api', to: 'shop/db', allowed: ['TCP 5432'], all: false });
    expect(flow('shop/web', 'shop/db')).toEqual({ from: 'shop/web', to: 'shop/db', allowed: [], all: false });
    expect(flow('shop/web', 'shop/api')!.all).toBe(true);
    expect(flow('ip:203.0.113.10', 'shop/api')!.all).toBe(true);
    expect(flow('ip:203.0.113.10', 'ip:203.0.113.10')).toBeUndefined();
    expect(report.flows).toHaveLength(3 * 4 + 3);
  });

  test('namespaces: pairs of different workloads, those reaching on some port and on every port', () => {
    expect(report.namespaces).toEqual([
      { from: 'shop', to: 'shop', pairs: 6, reachablePairs: 5, openPairs: 4, ports: report.ports },
      { from: 'shop', to: 'outside', pairs: 3, reachablePairs: 3, openPairs: 3, ports: report.ports },
      { from: 'outside', to: 'shop', pairs: 3, reachablePairs: 2, openPairs: 2, ports: report.ports },
    ]);
    expect(namespaceCell(report.namespaces[0])).toBe('◐ all TCP; all UDP (5/6 pairs)');
    expect(namespaceCell(report.namespaces[1])).toBe('✓');
    expect(namespaceCell({ from: 'a', to: 'a', pairs: 0, reachablePairs: 0, openPairs: 0, ports: [] })).toBe('—');
    expect(namespaceCell({ from: 'a', to: 'b', pairs: 2, reachablePairs: 0, openPairs: 0, ports: [] })).toBe('✗');
  });

  test('who may change tiered policies, per tier; system:masters left out', () => {
    const security = report.changers.find((c) => c.resource === 'globalnetworkpolicies.projectcalico.org' && c.tier === 'security')!;
    expect(security.subjects).toEqual([{ subject: 'Group:security-team', verbs: ['create', 'update', 'patch', 'delete'] }]);
    const defaultTier = report.changers.find((c) => c.resource === 'networkpolicies.projectcalico.org' && c.namespace === 'be' && c.tier === 'default')!;
    expect(defaultTier.subjects).toEqual([]);
    expect(report.tiers).toEqual(['security', 'kube-admin', 'default', 'kube-baseline']);
  });

  test('the audit\'s findings are part of the report; without an audit there are none', () => {
    expect(report.findings).toEqual([FINDING]);
    expect(buildSecurityReport(SHOP).findings).toBeUndefined();
  });
});

describe('renderings', () => {
  const report = buildSecurityReport([...SHOP, ...RBAC, SECURITY_TIER], { audit: () => [FINDING] });

  test('Markdown: summary, both matrices, who can change what (scopes merged), findings', () => {
    const md = reportMarkdown(report);
    expect(md).toContain('- 3 workloads in 1 namespaces; 1 classes of addresses outside the cluster.');
    expect(md).toContain('- Audit: 1 findings (1 high).');
    expect(md).toContain('| shop/api | ✓ | TCP 5432 | ✓ | ✓ |');
    expect(md).toContain('| outside: any IPv4 address | ✓ | ✗ | ✓ |  |');
    expect(md).toContain('| globalnetworkpolicies.projectcalico.org |  | security | `Group:security-team` (all) |');
    expect(md).toContain('| globalnetworkpolicies.projectcalico.org |  | kube-admin, default, kube-baseline | nobody |');
    expect(md).toContain('| shop | ◐ all TCP; all UDP (5/6 pairs) | ✓ |');
    expect(md).toContain('| high | CC-TEST-001 | `ServiceAccount:be/ci` | reads <pods> & logs | RoleBinding be/ci-reads-pods | remove the binding |');
    expect(reportMarkdown(buildSecurityReport(SHOP))).toContain('The audit was not run');
  });

  test('Markdown: above 40 endpoints the workloads are a list per source', () => {
    const pods = Array.from({ length: 41 }, (_, i) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'n' }, spec: { containers: [{ name: 'c', image: 'i' }] } }));
    const md = reportMarkdown(buildSecurityReport(pods));
    expect(md).not.toContain('| n/p0 |');
    expect(md).toMatch(/^- `n\/p0` reaches `n\/p1`, `n\/p10`/m);
  });

  test('HTML escapes every text it did not write itself', () => {
    const html = reportHtml(report, '<svg></svg>');
    expect(html).toContain('<td>reads &lt;pods&gt; &amp; logs</td>');
    expect(html).not.toContain('<pods>');
    expect(html).toContain('<td class="sev-high">high</td>');
    expect(escapeHtml('<a href="x">\'&</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&lt;/a&gt;');
  });

  test('JSON: every field present, absent values null', () => {
    const json = JSON.parse(reportJson(buildSecurityReport(SHOP)));
    expect(json.findings).toBeNull();
    expect(json.endpoints[3]).toEqual({ id: 'ip:203.0.113.10', kind: 'External', namespace: null, name: 'any IPv4 address' });
    expect(json.changers[0]).toEqual({ resource: 'tiers.projectcalico.org', namespace: null, tier: null, subjects: [] });
  });

  test('flow cells: ✓ every port, ✗ none, else the ports', () => {
    expect(flowCell({ from: 'a', to: 'b', allowed: ['TCP 1', 'TCP 2'], all: true })).toBe('✓');
    expect(flowCell({ from: 'a', to: 'b', allowed: [], all: false })).toBe('✗');
    expect(flowCell({ from: 'a', to: 'b', allowed: ['TCP 443', 'UDP 53'], all: false })).toBe('TCP 443; UDP 53');
  });

  test('ports for people: adjacent ranges merged, the protocol once, names and portless protocols kept', () => {
    expect(compactPorts(['TCP 1-52', 'TCP 53', 'TCP 54-442', 'TCP 444-8079', 'TCP http', 'UDP 53', 'ICMP'])).toBe('TCP 1-442, 444-8079, http; UDP 53; ICMP');
    expect(compactPorts(['TCP 1-442', 'TCP 443', 'TCP 444-65535', 'UDP 1-65535'])).toBe('all TCP; all UDP');
    expect(compactPorts(['TCP 1-442', 'TCP 443', 'TCP 444-65535', 'TCP http'])).toBe('all TCP, http');
    expect(compactPorts([])).toBe('');
  });

  test('who-can-change rows: tiers, then namespaces, with the same subjects merged', () => {
    const who = [{ subject: 'Group:x', verbs: ['create', 'update', 'patch', 'delete'] }];
    const rows = changerRows([
      { resource: 'r', namespace: 'a', tier: 't1', subjects: who },
      { resource: 'r', namespace: 'a', tier: 't2', subjects: who },
      { resource: 'r', namespace: 'b', tier: 't1', subjects: who },
      { resource: 'r', namespace: 'b', tier: 't2', subjects: who },
      { resource: 'r', namespace: 'c', tier: 't1', subjects: [{ subject: 'Group:y', verbs: ['patch'] }] },
      { resource: 'r', namespace: 'c', tier: 't2', subjects: who },
    ]);
    expect(rows).toEqual([
      { resource: 'r', namespaces: 'a, b', tiers: 't1, t2', subjects: [{ subject: 'Group:x', verbs: 'all' }] },
      { resource: 'r', namespaces: 'c', tiers: 't1', subjects: [{ subject: 'Group:y', verbs: 'patch' }] },
      { resource: 'r', namespaces: 'c', tiers: 't2', subjects: [{ subject: 'Group:x', verbs: 'all' }] },
    ]);
    expect(changerRows([
      { resource: 'r', namespace: 'a', subjects: who },
      { resource: 'r', namespace: 'b', subjects: who },
    ])[0].namespaces).toBe('every namespace');
  });
});

describe('connectivity graph', () => {
  const report: SecurityReport = {
    endpoints: [
      { id: 'a/x', kind: 'Deployment', namespace: 'a', name: 'x' },
      { id: 'b/y', kind: 'Deployment', namespace: 'b', name: 'y' },
      { id: 'ip:203.0.113.10', kind: 'External', name: '0.0.0.0/0 except 10.0.0.0/8' },
      { id: 'ip:10.0.0.0', kind: 'External', name: '10.0.0.0/8' },
    ],
    ports: ['TCP 1-442', 'TCP 443', 'TCP 444-65535', 'UDP 1-65535'],
    flows: [
      { from: 'a/x', to: 'a/x', allowed: ['TCP 443'], all: false },
      { from: 'a/x', to: 'b/y', allowed: ['TCP 443'], all: false },
      { from: 'b/y', to: 'a/x', allowed: ['TCP 443'], all: false },
      { from: 'b/y', to: 'b/y', allowed: [], all: false },
      { from: 'a/x', to: 'ip:203.0.113.10', allowed: ['TCP 1-442', 'TCP 443', 'TCP 444-65535', 'UDP 1-65535'], all: true },
      { from: 'a/x', to: 'ip:10.0.0.0', allowed: ['TCP 1-442', 'TCP 443', 'TCP 444-65535', 'UDP 1-65535'], all: true },
      { from: 'b/y', to: 'ip:203.0.113.10', allowed: ['TCP 1-442', 'TCP 443', 'TCP 444-65535'], all: false },
      { from: 'b/y', to: 'ip:10.0.0.0', allowed: ['TCP 1-442', 'TCP 443', 'TCP 444-65535'], all: false },
      { from: 'ip:203.0.113.10', to: 'a/x', allowed: [], all: false },
      { from: 'ip:10.0.0.0', to: 'a/x', allowed: [], all: false },
      { from: 'ip:203.0.113.10', to: 'b/y', allowed: [], all: false },
      { from: 'ip:10.0.0.0', to: 'b/y', allowed: [], all: false },
    ],
    namespaces: [],
    tiers: ['default'],
    changers: [],
  };

  test('for display, classes of outside addresses that every workload treats alike are one endpoint', () => {
    expect(displayEndpoints(report).map((e) => [e.id, e.label, e.members])).toEqual([
      ['a/x', 'a/x', ['a/x']],
      ['b/y', 'b/y', ['b/y']],
      ['ip:203.0.113.10', 'outside: 0.0.0.0/0 except 10.0.0.0/8; 10.0.0.0/8', ['ip:203.0.113.10', 'ip:10.0.0.0']],
    ]);
    const apart: SecurityReport = { ...report, flows: report.flows.map((f) => (f.from === 'a/x' && f.to === 'ip:10.0.0.0' ? { ...f, allowed: [], all: false } : f)) };
    expect(displayEndpoints(apart).map((e) => e.label)).toEqual(['a/x', 'b/y', 'outside: 0.0.0.0/0 except 10.0.0.0/8', 'outside: 10.0.0.0/8']);
  });

  test('DOT: namespaces as clusters, outside classes treated alike merged, both directions as one edge', () => {
    const dot = connectivityDot(report);
    expect(dot).toContain('label="a";');
    expect(dot).toContain('label="outside the cluster";');
    // Both address classes have the same flows: one node naming both.
    expect(dot).toContain('"ip:203.0.113.10" [label="0.0.0.0/0 except 10.0.0.0/8\\n10.0.0.0/8"');
    expect(dot).not.toContain('"ip:10.0.0.0" [');
    expect(dot).toMatch(/"a\/x" -> "b\/y" \[label="TCP 443", color="#1e8449", fontcolor="#1e8449", dir="both"/);
    expect(dot).not.toMatch(/"b\/y" -> "a\/x"/);
    expect(dot).toMatch(/"a\/x" -> "ip:203.0.113.10" \[label="any port", color="#d35400"/);
    expect(dot).toMatch(/"b\/y" -> "ip:203.0.113.10" \[label="all TCP", color="#1e8449"/);
    expect(dot).not.toMatch(/"a\/x" -> "a\/x"/);
  });

  test('SVG by Graphviz (WebAssembly): the nodes and edges of the graph, ready to inline', async () => {
    const svg = await renderSvg(connectivityDot(report));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('<title>a/x</title>');
    expect(svg).toContain('<title>b/y</title>');
    expect(svg).toContain('<title>a/x&#45;&gt;b/y</title>');
  });

  test('another renderer can be given; one that returns no SVG is an error', async () => {
    const fake: GraphRenderer = { renderString: () => '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg id="fake"></svg>\n' };
    expect(await renderSvg('digraph {}', fake)).toBe('<svg id="fake"></svg>');
    await expect(renderSvg('digraph {}', { renderString: () => 'nothing' })).rejects.toThrow('Graphviz returned no <svg> element for the connectivity graph');
    const files = await reportFiles(report, fake);
    expect(Object.keys(files)).toEqual(['report.md', 'report.html', 'report.json']);
    expect(files['report.html']).toContain('<div class="graph"><svg id="fake"></svg></div>');
  });
});
