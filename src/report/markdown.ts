/**
 * The security report as Markdown (`report.md`): summary, connectivity between namespaces and
 * between workloads, who can change policies and tiers, and the audit's findings.
 */
import { markdownCode, markdownTable } from './formats';
import { NamespaceFlow, OUTSIDE, PolicyChangers, ReportFlow, SecurityReport } from './security-report';
import { compactPorts, displayEndpoints, flowIndex } from './views';

/** Up to this many endpoints the workload connectivity is a matrix; above, a list per source. */
export const MAX_MATRIX_ENDPOINTS = 40;

/** ✓ every port, ✗ none, otherwise the ports allowed (see `compactPorts`). */
export function flowCell(flow: ReportFlow | undefined): string {
  if (flow === undefined) return '';
  if (flow.all) return '✓';
  if (flow.allowed.length === 0) return '✗';
  return compactPorts(flow.allowed);
}

/** ✓ every pair on every port, ✗ no pair on any port, ◐ and the ports some pair may use, — no pair. */
export function namespaceCell(flow: NamespaceFlow | undefined): string {
  if (flow === undefined || flow.pairs === 0) return '—';
  if (flow.openPairs === flow.pairs) return '✓';
  if (flow.reachablePairs === 0) return '✗';
  return `◐ ${compactPorts(flow.ports)} (${flow.reachablePairs}/${flow.pairs} pairs)`;
}

/** The namespaces of the namespace matrix, in order (`outside` last). */
export function namespaceOrder(report: SecurityReport): string[] {
  const names = [...new Set(report.namespaces.flatMap((f) => [f.from, f.to]))];
  return [...names.filter((n) => n !== OUTSIDE).sort(), ...names.filter((n) => n === OUTSIDE)];
}

/** Severity counts: `2 high, 1 medium`. */
export function severityCounts(report: SecurityReport): string {
  const counts = new Map<string, number>();
  for (const f of report.findings ?? []) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return [...counts.entries()].map(([severity, n]) => `${n} ${severity}`).join(', ');
}

/** Rows of the "who can change" table: scopes with the same subjects and verbs merged. */
export interface ChangerRow {
  /** The resource, e.g. `networkpolicies.projectcalico.org`. */
  readonly resource: string;
  /** The namespaces (empty for cluster-scoped resources); `every namespace` when it is all of them. */
  readonly namespaces: string;
  /** The tiers (empty when not tiered). */
  readonly tiers: string;
  /** The subjects with their verbs (`all` for every change verb). */
  readonly subjects: { readonly subject: string; readonly verbs: string }[];
}

/**
 * The "who can change" rows with the tiers of a namespace, then the namespaces, that have the
 * same subjects and verbs merged into one row, in the report's order.
 */
export function changerRows(changers: readonly PolicyChangers[]): ChangerRow[] {
  const who = (c: PolicyChangers) => c.subjects.map((x) => `${x.subject}:${x.verbs.join(',')}`).join(' ');
  const byTier = new Map<string, { first: PolicyChangers; tiers: string[] }>();
  for (const c of changers) {
    const key = `${c.resource}\u0000${c.namespace ?? ''}\u0000${who(c)}`;
    const entry = byTier.get(key);
    if (entry === undefined) byTier.set(key, { first: c, tiers: c.tier === undefined ? [] : [c.tier] });
    else if (c.tier !== undefined) entry.tiers.push(c.tier);
  }
  const allNamespaces = new Map<string, Set<string>>();
  for (const c of changers) {
    if (c.namespace !== undefined) allNamespaces.set(c.resource, (allNamespaces.get(c.resource) ?? new Set()).add(c.namespace));
  }
  const byNamespace = new Map<string, { first: PolicyChangers; tiers: string[]; namespaces: string[] }>();
  for (const { first, tiers } of byTier.values()) {
    const key = `${first.resource}\u0000${tiers.join(',')}\u0000${who(first)}`;
    const entry = byNamespace.get(key);
    if (entry === undefined) byNamespace.set(key, { first, tiers, namespaces: first.namespace === undefined ? [] : [first.namespace] });
    else if (first.namespace !== undefined) entry.namespaces.push(first.namespace);
  }
  return [...byNamespace.values()].map(({ first, tiers, namespaces }) => ({
    resource: first.resource,
    namespaces: namespaces.length > 1 && namespaces.length === allNamespaces.get(first.resource)?.size ? 'every namespace' : namespaces.join(', '),
    tiers: tiers.join(', '),
    subjects: first.subjects.map((x) => ({ subject: x.subject, verbs: x.verbs.length === 4 ? 'all' : x.verbs.join(', ') })),
  }));
}

/** The report as Markdown. */
export function reportMarkdown(report: SecurityReport, title = 'Security report'): string {
  const workloads = report.endpoints.filter((e) => e.kind !== 'External');
  const inside = new Set(workloads.map((w) => w.id));
  const pairs = report.flows.filter((f) => f.from !== f.to && inside.has(f.from) && inside.has(f.to));
  const reachable = pairs.filter((f) => f.allowed.length > 0).length;
  const open = pairs.filter((f) => f.all).length;
  const namespaces = new Set(workloads.map((w) => w.namespace));
  const parts: string[] = [`# ${title}`, ''];
  parts.push('## Summary', '');
  parts.push(`- ${workloads.length} workloads in ${namespaces.size} namespaces; ${report.endpoints.length - workloads.length} classes of addresses outside the cluster.`);
  parts.push(`- ${reachable} of ${pairs.length} pairs of different workloads can reach each other on some port; ${open} on every port.`);
  parts.push(`- Tiers, in evaluation order: ${report.tiers.join(', ')}.`);
  parts.push(report.findings === undefined
    ? '- Audit: not run (no audit rule pack in this version).'
    : `- Audit: ${report.findings.length === 0 ? 'no findings' : `${report.findings.length} findings (${severityCounts(report)})`}.`);
  parts.push('');
  parts.push(`Legend: ✓ allowed on every port asked · ✗ denied on every port · otherwise the ports allowed. Ports asked: ${report.ports.join(', ')} `
    + '(each range stands for the ports no rule tells apart).', '');

  const order = namespaceOrder(report);
  const byNs = new Map(report.namespaces.map((f) => [`${f.from}\u0000${f.to}`, f]));
  parts.push('## Connectivity between namespaces', '');
  parts.push('◐: some pairs of workloads may talk, on the ports listed; — no pair (a single workload).', '');
  parts.push(markdownTable(
    ['from ↓ to →', ...order],
    order.map((from) => [from, ...order.map((to) => namespaceCell(byNs.get(`${from}\u0000${to}`)))]),
    ['l', ...order.map(() => 'c' as const)],
  ));

  const byPair = flowIndex(report);
  const shown = displayEndpoints(report);
  parts.push('## Connectivity between workloads', '');
  if (shown.length <= MAX_MATRIX_ENDPOINTS) {
    parts.push(markdownTable(
      ['from ↓ to →', ...shown.map((e) => e.label)],
      shown.map((from) => [from.label, ...shown.map((to) => flowCell(byPair.get(`${from.id}\u0000${to.id}`)))]),
      ['l', ...shown.map(() => 'c' as const)],
    ));
  } else {
    for (const from of shown) {
      const reached = shown
        .map((to) => ({ to, flow: byPair.get(`${from.id}\u0000${to.id}`) }))
        .filter(({ to, flow }) => to.id !== from.id && flow !== undefined && flow.allowed.length > 0);
      parts.push(`- ${markdownCode(from.label)} reaches ${reached.length === 0 ? 'nothing' : reached.map(({ to, flow }) =>
        `${markdownCode(to.label)}${flow!.all ? '' : ` (${compactPorts(flow!.allowed)})`}`).join(', ')}`);
    }
    parts.push('');
  }

  parts.push('## Who can change policies, tiers and network sets', '');
  parts.push('Verbs: create, update, patch, delete ("all" when every one). The group `system:masters` can do everything and is not listed.', '');
  parts.push(markdownTable(
    ['resource', 'namespaces', 'tiers', 'who'],
    changerRows(report.changers).map((c) => [c.resource, c.namespaces, c.tiers, c.subjects.length === 0 ? 'nobody'
      : c.subjects.map((x) => `${markdownCode(x.subject)} (${x.verbs})`).join('<br>')]),
  ));

  parts.push('## Audit findings', '');
  if (report.findings === undefined) {
    parts.push('The audit was not run: this version of cdk8s-calico has no audit rule pack.', '');
  } else if (report.findings.length === 0) {
    parts.push('No findings.', '');
  } else {
    parts.push(markdownTable(
      ['severity', 'rule', 'subject', 'finding', 'objects', 'fix'],
      report.findings.map((f) => [f.severity, f.rule, f.subject === undefined ? '' : markdownCode(f.subject), f.message, f.objects.join('\n'), f.fix]),
    ));
  }
  return `${parts.join('\n').trimEnd()}\n`;
}
