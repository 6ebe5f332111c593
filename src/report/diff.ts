/**
 * A change's security meaning (flows opened and closed, permissions gained and lost) as text for
 * a terminal, Markdown for a pull-request comment, and JSON with stable field names.
 */
import { markdownCode, markdownTable, toJson } from './formats';
import { FlowChange, FlowSideVerdict, FlowState, ManifestDiff, PermissionChange, subjectId } from '../analysis/diff';
import { describePermissionTarget } from '../analysis/rbac/permissions';

/** Permission changes of one subject that differ only in their verb, shown as one line. */
export interface GroupedPermissionChange {
  /** `gained` or `lost`. */
  readonly change: 'gained' | 'lost';
  /** `User:<name>`, `Group:<name>` or `ServiceAccount:<namespace>/<name>`. */
  readonly subject: string;
  /** The verbs, sorted. */
  readonly verbs: string[];
  /** The permission without its verb, e.g. `projectcalico.org/networkpolicies in tier security in namespace be`. */
  readonly what: string;
  /** The role/binding pairs that grant it (on the side where it is allowed). */
  readonly grants: string[];
}

/** Groups permission changes that differ only in their verb, in the order of their first change. */
export function groupPermissionChanges(changes: readonly PermissionChange[]): GroupedPermissionChange[] {
  const groups = new Map<string, { change: 'gained' | 'lost'; subject: string; verbs: Set<string>; what: string; grants: Set<string> }>();
  for (const c of changes) {
    const what = describePermissionTarget(c.permission);
    const subject = subjectId(c.subject);
    const key = `${subject}\u0000${c.change}\u0000${what}`;
    const group = groups.get(key) ?? { change: c.change, subject, verbs: new Set<string>(), what, grants: new Set<string>() };
    group.verbs.add(c.permission.verb);
    c.permission.grants.forEach((g) => group.grants.add(g));
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({ change: g.change, subject: g.subject, verbs: [...g.verbs].sort(), what: g.what, grants: [...g.grants] }));
}

/** The diff for a terminal: a summary line, then the flows and permissions with their reasons. */
export function diffText(diff: ManifestDiff): string {
  const { reachability, permissions } = diff;
  const opened = reachability.flows.filter((f) => f.change === 'opened');
  const closed = reachability.flows.filter((f) => f.change === 'closed');
  const grouped = groupPermissionChanges(permissions);
  const gained = grouped.filter((g) => g.change === 'gained');
  const lost = grouped.filter((g) => g.change === 'lost');
  const lines: string[] = [summary(diff)];
  const section = (title: string, flows: FlowChange[], sign: string) => {
    if (flows.length === 0) return;
    lines.push('', `${title}:`);
    for (const f of flows) {
      lines.push(`  ${sign} ${flowTitle(f)}`);
      for (const why of flowReasons(f)) lines.push(`      ${why}`);
    }
  };
  section('Flows opened', opened, '+');
  section('Flows closed', closed, '-');
  const permissionSection = (title: string, list: GroupedPermissionChange[], sign: string) => {
    if (list.length === 0) return;
    lines.push('', `${title}:`);
    for (const g of list) {
      lines.push(`  ${sign} ${g.subject}: ${g.verbs.join(', ')} ${g.what}`);
      if (g.grants.length > 0) lines.push(`      ${g.change === 'gained' ? 'granted' : 'was granted'} by ${g.grants.join('; ')}`);
    }
  };
  permissionSection('Permissions gained', gained, '+');
  permissionSection('Permissions lost', lost, '-');
  if (reachability.addedEndpoints.length > 0) lines.push('', `Endpoints added: ${reachability.addedEndpoints.join(', ')}`);
  if (reachability.removedEndpoints.length > 0) lines.push('', `Endpoints removed: ${reachability.removedEndpoints.join(', ')}`);
  lines.push('', `Ports asked (each stands for the ports no rule tells apart): ${reachability.ports.join(', ')}`);
  lines.push(`Addresses outside the cluster asked: ${reachability.addresses.map((a) => `${a.id} (${a.description})`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** The diff as Markdown for a pull-request comment: a headline, tables of flows and permissions, what was compared folded. */
export function diffMarkdown(diff: ManifestDiff): string {
  const { reachability, permissions } = diff;
  const grouped = groupPermissionChanges(permissions);
  const parts: string[] = [`### cdk8s-calico diff: ${summary(diff)}`, ''];
  if (!diff.opensAnything) parts.push('Nothing is opened: no flow becomes allowed and no subject gains a permission.', '');
  const flowTable = (title: string, change: 'opened' | 'closed') => {
    const flows = reachability.flows.filter((f) => f.change === change);
    if (flows.length === 0) return;
    parts.push(`#### ${title}`, '', markdownTable(
      ['from', 'to', 'protocol', 'ports', 'why'],
      flows.map((f) => [endLabel(f.from, f.fromDescription, true), endLabel(f.to, f.toDescription, true), f.protocol, f.ports ?? '', flowReasons(f).join('\n')]),
    ));
  };
  flowTable('Flows opened', 'opened');
  flowTable('Flows closed', 'closed');
  const permissionTable = (title: string, change: 'gained' | 'lost') => {
    const list = grouped.filter((g) => g.change === change);
    if (list.length === 0) return;
    parts.push(`#### ${title}`, '', markdownTable(
      ['subject', 'verbs', 'on', change === 'gained' ? 'granted by' : 'was granted by'],
      list.map((g) => [markdownCode(g.subject), g.verbs.join(', '), g.what, g.grants.join('\n')]),
    ));
  };
  permissionTable('Permissions gained', 'gained');
  permissionTable('Permissions lost', 'lost');
  const compared = [
    `- Endpoints added: ${reachability.addedEndpoints.length === 0 ? 'none' : reachability.addedEndpoints.map(markdownCode).join(', ')}`,
    `- Endpoints removed: ${reachability.removedEndpoints.length === 0 ? 'none' : reachability.removedEndpoints.map(markdownCode).join(', ')}`,
    `- Ports asked (each stands for the ports no rule tells apart): ${reachability.ports.join(', ')}`,
    `- Addresses outside the cluster asked: ${reachability.addresses.map((a) => `${markdownCode(a.id)} (${a.description})`).join(', ')}`,
  ];
  parts.push('<details><summary>What was compared</summary>', '', ...compared, '', '</details>', '');
  return parts.join('\n');
}

/** The diff as JSON with the stable field names documented in docs/cli-output.md; absent values are null. */
export function diffJson(diff: ManifestDiff): string {
  const { reachability, permissions } = diff;
  const count = (change: string) => reachability.flows.filter((f) => f.change === change).length;
  return toJson({
    opensAnything: diff.opensAnything,
    summary: {
      flowsOpened: count('opened'),
      flowsClosed: count('closed'),
      permissionsGained: permissions.filter((p) => p.change === 'gained').length,
      permissionsLost: permissions.filter((p) => p.change === 'lost').length,
    },
    flows: reachability.flows.map((f) => ({
      change: f.change,
      from: f.from,
      fromDescription: f.fromDescription ?? null,
      to: f.to,
      toDescription: f.toDescription ?? null,
      protocol: f.protocol,
      ports: f.ports ?? null,
      before: stateJson(f.before),
      after: stateJson(f.after),
    })),
    permissions: permissions.map((c) => ({
      change: c.change,
      subject: { kind: c.subject.kind, name: c.subject.name, namespace: c.subject.namespace ?? null },
      verb: c.permission.verb,
      apiGroup: c.permission.apiGroup,
      resource: c.permission.resource,
      subresource: c.permission.subresource ?? null,
      namespace: c.permission.namespace ?? null,
      name: c.permission.name ?? null,
      tier: c.permission.tier ?? null,
      grants: c.permission.grants,
    })),
    endpoints: { added: reachability.addedEndpoints, removed: reachability.removedEndpoints },
    probes: { ports: reachability.ports, addresses: reachability.addresses.map((a) => ({ id: a.id, description: a.description })) },
  });
}

/** `1 flow opened, 0 closed; 2 permissions gained, 1 lost` (permissions counted per subject, verb and object). */
function summary(diff: ManifestDiff): string {
  const flows = diff.reachability.flows;
  const opened = flows.filter((f) => f.change === 'opened').length;
  const closed = flows.length - opened;
  const gained = diff.permissions.filter((p) => p.change === 'gained').length;
  const lost = diff.permissions.length - gained;
  return `${opened} ${opened === 1 ? 'flow' : 'flows'} opened, ${closed} closed; ${gained} ${gained === 1 ? 'permission' : 'permissions'} gained, ${lost} lost`;
}

/** `fe/web -> be/api TCP 443`, with the address class of an outside end. */
function flowTitle(f: FlowChange): string {
  return `${endLabel(f.from, f.fromDescription, false)} -> ${endLabel(f.to, f.toDescription, false)} ${f.protocol}${f.ports === undefined ? '' : ` ${f.ports}`}`;
}

function endLabel(id: string, description: string | undefined, markdown: boolean): string {
  const code = markdown ? markdownCode(id) : id;
  return description === undefined || description === id.slice(3) ? code : `${code} (${description})`;
}

/**
 * Why a flow changed: for each side whose verdict changed, what decides it now and what decided
 * it before; for an end that exists on one side only, that it was added or removed (with what
 * decides the flow on the other side).
 */
export function flowReasons(f: FlowChange): string[] {
  const ends: [string, 'egress' | 'ingress'][] = [[f.from, 'egress'], [f.to, 'ingress']];
  if (f.before === undefined || f.after === undefined) {
    const present = (f.after ?? f.before)!;
    const reasons = [f.before === undefined ? 'an end of the flow is new' : 'an end of the flow was removed'];
    for (const [end, side] of ends) reasons.push(`${side} of ${end}: ${present[side].allowed ? 'allowed' : 'denied'}: ${present[side].reason}`);
    return reasons;
  }
  const reasons: string[] = [];
  for (const [end, side] of ends) {
    const was: FlowSideVerdict = f.before[side];
    const is: FlowSideVerdict = f.after[side];
    if (was.allowed === is.allowed && was.reason === is.reason) continue;
    reasons.push(`${side} of ${end}: ${is.allowed ? 'allowed' : 'denied'}: ${is.reason} (was ${was.allowed ? 'allowed' : 'denied'}: ${was.reason})`);
  }
  return reasons;
}

function stateJson(state: FlowState | undefined) {
  if (state === undefined) return null;
  const side = (v: FlowSideVerdict) => ({
    allowed: v.allowed,
    decidedBy: v.decidedBy,
    tier: v.tier ?? null,
    policy: v.policy ?? null,
    ruleIndex: v.ruleIndex ?? null,
    action: v.action ?? null,
    reason: v.reason,
  });
  return { allowed: state.allowed, egress: side(state.egress), ingress: side(state.ingress) };
}
