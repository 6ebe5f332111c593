/**
 * Renderings of the analysis for people and tools: the security report (Markdown, HTML with the
 * connectivity graph drawn by Graphviz, JSON), the diff of two sets of manifests, and the output
 * writers they share. Internal to the package: used by the command-line tool.
 */
import { toJson } from './formats';
import { connectivityDot, GraphRenderer, renderSvg } from './graph';
import { reportHtml } from './html';
import { reportMarkdown } from './markdown';
import { SecurityReport } from './security-report';

export * from './audit-source';
export * from './diff';
export * from './formats';
export * from './graph';
export * from './html';
export * from './markdown';
export * from './security-report';
export * from './views';

/** The files of a report, by name. */
export interface ReportFiles {
  /** The Markdown report. */
  readonly 'report.md': string;
  /** The self-contained HTML report with the connectivity graph. */
  readonly 'report.html': string;
  /** The report's data. */
  readonly 'report.json': string;
}

/** The report's data as JSON with stable field names (see docs/cli-output.md); absent values are null. */
export function reportJson(report: SecurityReport): string {
  return toJson({
    endpoints: report.endpoints.map((e) => ({ id: e.id, kind: e.kind, namespace: e.namespace ?? null, name: e.name })),
    ports: report.ports,
    flows: report.flows.map((f) => ({ from: f.from, to: f.to, allowed: f.allowed, all: f.all })),
    namespaces: report.namespaces.map((n) => ({
      from: n.from, to: n.to, pairs: n.pairs, reachablePairs: n.reachablePairs, openPairs: n.openPairs, ports: n.ports,
    })),
    tiers: report.tiers,
    changers: report.changers.map((c) => ({
      resource: c.resource,
      namespace: c.namespace ?? null,
      tier: c.tier ?? null,
      subjects: c.subjects.map((s) => ({ subject: s.subject, verbs: s.verbs })),
    })),
    findings: report.findings === undefined ? null : report.findings.map((f) => ({
      rule: f.rule, severity: f.severity, subject: f.subject ?? null, message: f.message, objects: f.objects, fix: f.fix,
    })),
  });
}

/**
 * The three files of a report: `report.md`, `report.html` (with the connectivity graph as inline
 * SVG) and `report.json`.
 *
 * @param report the report
 * @param render the Graphviz renderer (default: `@viz-js/viz`)
 */
export async function reportFiles(report: SecurityReport, render?: GraphRenderer): Promise<ReportFiles> {
  const svg = await renderSvg(connectivityDot(report), render);
  return {
    'report.md': reportMarkdown(report),
    'report.html': reportHtml(report, svg),
    'report.json': reportJson(report),
  };
}
