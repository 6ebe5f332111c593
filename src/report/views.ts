/**
 * How the report's renderings condense its data without losing anything: adjacent port ranges
 * written as one, classes of addresses outside the cluster that every endpoint treats alike shown
 * as one. `report.json` keeps the data as it is.
 */
import { ReportFlow, SecurityReport } from './security-report';

/**
 * The ports of a flow for people: adjacent ranges of a protocol merged, the protocol written
 * once, `all TCP` for every port of it, e.g. `TCP 443, 8080; UDP 53` or `all TCP; UDP 53`.
 * Labels that are not a protocol and port range (named ports, protocols without ports) are kept.
 */
export function compactPorts(labels: readonly string[]): string {
  const byProtocol = new Map<string, { ranges: [number, number][]; names: string[] }>();
  for (const label of labels) {
    const match = /^(\S+) (\d+)(?:-(\d+))?$/.exec(label);
    const protocol = match ? match[1] : label.split(' ')[0];
    const entry = byProtocol.get(protocol) ?? { ranges: [], names: [] };
    if (match) entry.ranges.push([Number(match[2]), Number(match[3] ?? match[2])]);
    else if (label !== protocol) entry.names.push(label.slice(protocol.length + 1));
    byProtocol.set(protocol, entry);
  }
  const parts: string[] = [];
  for (const [protocol, { ranges, names }] of byProtocol) {
    const merged: [number, number][] = [];
    for (const [min, max] of [...ranges].sort((a, b) => a[0] - b[0])) {
      const last = merged[merged.length - 1];
      if (last !== undefined && min <= last[1] + 1) last[1] = Math.max(last[1], max);
      else merged.push([min, max]);
    }
    if (merged.length === 1 && merged[0][0] === 1 && merged[0][1] === 65535) {
      parts.push([`all ${protocol}`, ...names].join(', '));
      continue;
    }
    const items = [...merged.map(([min, max]) => (min === max ? `${min}` : `${min}-${max}`)), ...names];
    parts.push(items.length === 0 ? protocol : `${protocol} ${items.join(', ')}`);
  }
  return parts.join('; ');
}

/** An endpoint as the renderings show it: a workload, or classes of outside addresses treated alike. */
export interface DisplayEndpoint {
  /** The id of the endpoint (for merged classes, the first one's). */
  readonly id: string;
  /** What the rendering calls it: the id, or `outside: <class>; <class>`. */
  readonly label: string;
  /** The namespace; absent outside the cluster. */
  readonly namespace?: string;
  /** The workload name, or the classes one per line. */
  readonly name: string;
  /** `Deployment`, `Pod`, …, or `External`. */
  readonly kind: string;
  /** The ids it stands for. */
  readonly members: string[];
}

/**
 * The report's endpoints for display: the workloads, then the classes of addresses outside the
 * cluster, those with the same flows to and from every workload merged into one.
 */
export function displayEndpoints(report: SecurityReport): DisplayEndpoint[] {
  const flows = flowIndex(report);
  const inside = report.endpoints.filter((e) => e.kind !== 'External');
  const result: DisplayEndpoint[] = inside.map((e) => ({
    id: e.id, label: e.id, namespace: e.namespace, name: e.name, kind: e.kind, members: [e.id],
  }));
  const outside = new Map<string, { id: string; names: string[]; members: string[] }>();
  for (const e of report.endpoints.filter((x) => x.kind === 'External')) {
    const signature = inside.map((w) => `${cellKey(flows.get(`${e.id}\u0000${w.id}`))}|${cellKey(flows.get(`${w.id}\u0000${e.id}`))}`).join('\u0000');
    const group = outside.get(signature);
    if (group === undefined) {outside.set(signature, { id: e.id, names: [e.name], members: [e.id] });} else {
      group.names.push(e.name);
      group.members.push(e.id);
    }
  }
  for (const group of outside.values()) {
    result.push({ id: group.id, label: `outside: ${group.names.join('; ')}`, name: group.names.join('\n'), kind: 'External', members: group.members });
  }
  return result;
}

/** The report's flows by `<from>\u0000<to>`. */
export function flowIndex(report: SecurityReport): Map<string, ReportFlow> {
  return new Map(report.flows.map((f) => [`${f.from}\u0000${f.to}`, f]));
}

function cellKey(flow: ReportFlow | undefined): string {
  return flow === undefined ? '' : flow.allowed.join(',');
}
