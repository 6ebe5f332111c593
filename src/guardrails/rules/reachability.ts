/**
 * Pieces shared by the network rules: which workloads reach given addresses outside the cluster,
 * grouped by namespace.
 *
 * Internal module (not a rule).
 */
import { EndpointInfo, FlowVerdict } from '../../analysis';
import { AuditContext } from '../context';
import { objectRef, objectsOfKind, unique } from '../manifests';
import { RuleFinding } from '../rule';
import { Severity } from '../severity';

/** An address outside the cluster, and the port a workload would use. */
export interface Destination {
  readonly address: string;
  readonly protocol: string;
  readonly port: number;
}

/** A workload that reaches a destination, and the model's verdict. */
export interface Reach {
  readonly endpoint: EndpointInfo;
  readonly destination: Destination;
  readonly verdict: FlowVerdict;
}

/** `93.184.216.34 TCP 443`. */
export function describeDestination(d: Destination): string {
  return `${d.address} ${d.protocol} ${d.port}`;
}

/** How a message names an endpoint: the probe pod as "any new pod", others by kind and name. */
export function describeEndpoint(ctx: AuditContext, e: EndpointInfo): string {
  return ctx.isProbe(e) ? `any new pod (no labels, service account default) in namespace ${e.namespace}` : objectRef(e.kind, e.name, e.namespace);
}

/** The object a verdict's deciding policy is, as findings name objects (`NetworkPolicy ns/name`). */
export function policyObject(policy: string | undefined): string | undefined {
  return policy?.replace(/^Kubernetes /, '');
}

/**
 * Every workload (outside the excluded namespaces, not host-networked: those have no Calico
 * policy, see CC-NET-004) whose egress reaches one of the destinations, grouped by namespace in
 * name order.
 */
export function reachability(ctx: AuditContext, destinations: readonly Destination[]): Map<string, Reach[]> {
  const result = new Map<string, Reach[]>();
  for (const endpoint of ctx.workloadEndpoints()) {
    if (endpoint.hostNetwork) {
      continue;
    }
    for (const destination of destinations) {
      const verdict = ctx.network.check({ from: endpoint.id, to: `ip:${destination.address}`, protocol: destination.protocol, port: destination.port });
      if (verdict.allowed) {
        const list = result.get(endpoint.namespace!) ?? [];
        list.push({ endpoint, destination, verdict });
        result.set(endpoint.namespace!, list);
      }
    }
  }
  return new Map([...result.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** What a network rule says. */
export interface ReachSpec {
  readonly severity: Severity;
  /** What the destinations are, e.g. `the internet`. */
  readonly what: string;
  /** What reaching them gives an attacker. */
  readonly consequence: string;
  readonly fix: string;
}

/** `93.184.216.34 and 2606:2800:220:1::1 on TCP 443 and 80`, or a plain list when not every pair is there. */
function describeDestinations(list: readonly Destination[]): string {
  const addresses = unique(list.map((d) => d.address));
  const ports = unique(list.map((d) => `${d.protocol} ${d.port}`));
  if (addresses.length * ports.length !== unique(list.map(describeDestination)).length) {
    return list.map(describeDestination).join(', ');
  }
  const and = (items: string[]): string => items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  const protocols = unique(list.map((d) => d.protocol));
  const portText = protocols.length === 1 ? `${protocols[0]} ${and(unique(list.map((d) => String(d.port))))}` : and(ports);
  return `${and(addresses)} on ${portText}`;
}

/** What one endpoint reaches: destinations grouped by the model's reason. */
function describeReaches(reaches: readonly Reach[]): string {
  const byReason = new Map<string, Destination[]>();
  for (const r of reaches) {
    byReason.set(r.verdict.egress.reason, [...(byReason.get(r.verdict.egress.reason) ?? []), r.destination]);
  }
  return [...byReason.entries()].map(([reason, list]) => `${describeDestinations(list)} (egress: ${reason})`).join('; ');
}

/**
 * One finding per namespace whose workloads reach any of the destinations: which workloads,
 * which destinations, and the model's reason (the deciding policy, or none).
 */
export function reachFindings(ctx: AuditContext, destinations: readonly Destination[], spec: ReachSpec): RuleFinding[] {
  const declared = new Set(objectsOfKind(ctx.objects, 'Namespace', '').map((n) => n.metadata?.name));
  const result: RuleFinding[] = [];
  for (const [namespace, reaches] of reachability(ctx, destinations)) {
    const byEndpoint = new Map<string, Reach[]>();
    for (const r of reaches) {
      byEndpoint.set(r.endpoint.id, [...(byEndpoint.get(r.endpoint.id) ?? []), r]);
    }
    // Workloads that reach the same destinations for the same reasons are listed together.
    const byDetail = new Map<string, string[]>();
    for (const list of byEndpoint.values()) {
      const detail = describeReaches(list);
      byDetail.set(detail, [...(byDetail.get(detail) ?? []), describeEndpoint(ctx, list[0].endpoint)]);
    }
    const details = [...byDetail.entries()].map(([detail, who]) => `${who.join(', ')} reach${who.length === 1 ? 'es' : ''} ${detail}`);
    const probe = ctx.probePods().get(namespace);
    const labelled = probe !== undefined && ![...byEndpoint.values()].some((list) => ctx.isProbe(list[0].endpoint));
    const spoofable = labelled
      ? ' A new pod without labels does not get through: the workloads above do because of their labels or service account, '
        + `which whoever creates pods in ${namespace} can copy.`
      : '';
    result.push({
      severity: spec.severity,
      message: `Workloads in namespace ${namespace} can reach ${spec.what}: ${details.join('; ')}. ${spec.consequence}${spoofable}`,
      objects: unique([
        ...(declared.has(namespace) ? [objectRef('Namespace', namespace)] : []),
        ...reaches.filter((r) => !ctx.isProbe(r.endpoint)).map((r) => objectRef(r.endpoint.kind, r.endpoint.name, r.endpoint.namespace)),
        ...reaches.map((r) => policyObject(r.verdict.egress.policy)).filter((p): p is string => p !== undefined),
      ]),
      fix: spec.fix,
    });
  }
  return result;
}
