/**
 * Which flows a change of manifests opens and closes, at workload level, with the policy and rule
 * that decides each side before and after (Calico semantics: the network model's verdicts and
 * explanations).
 */
import { DirectionVerdict, FlowVerdict, NetworkModel, ReachabilityMatrix } from '..';
import { AddressProbe, describePortProbe, PortProbe, Probes } from './probes';

/** One side (egress of the source or ingress of the destination) of a flow's verdict. */
export interface FlowSideVerdict {
  /** Whether this side lets the flow through. */
  readonly allowed: boolean;
  /** What decided it: `RULE`, `END_OF_TIER`, `NO_POLICY`, `PROFILE_ALLOW`, `NOT_APPLICABLE`, or `ERROR` when the flow cannot be asked (e.g. a named port the destination lacks). */
  readonly decidedBy: string;
  /** The tier of the deciding rule, or of the tier whose end dropped the flow. */
  readonly tier?: string;
  /** The deciding policy, e.g. `NetworkPolicy be/allow-fe`. */
  readonly policy?: string;
  /** The index of the deciding rule in the policy's ingress or egress list. */
  readonly ruleIndex?: number;
  /** The action of the deciding rule. */
  readonly action?: string;
  /** One sentence: what decided. */
  readonly reason: string;
}

/** The verdict of a flow on one side of the change. */
export interface FlowState {
  /** Whether the flow is allowed. */
  readonly allowed: boolean;
  /** The source's side. */
  readonly egress: FlowSideVerdict;
  /** The destination's side. */
  readonly ingress: FlowSideVerdict;
}

/** A flow that a change opens or closes. */
export interface FlowChange {
  /** `opened` (denied or absent before, allowed after) or `closed`. */
  readonly change: 'opened' | 'closed';
  /** The source: an endpoint id, or `ip:<address>` standing for `fromDescription`. */
  readonly from: string;
  /** The destination: an endpoint id, or `ip:<address>` standing for `toDescription`. */
  readonly to: string;
  /** The class of addresses an `ip:` source stands for. */
  readonly fromDescription?: string;
  /** The class of addresses an `ip:` destination stands for. */
  readonly toDescription?: string;
  /** The protocol, e.g. `TCP`. */
  readonly protocol: string;
  /** The ports: `443`, `1-442`, a container port name, or undefined for protocols without ports. */
  readonly ports?: string;
  /** The verdict before the change; undefined when an end did not exist before. */
  readonly before?: FlowState;
  /** The verdict after the change; undefined when an end no longer exists. */
  readonly after?: FlowState;
}

/** The flows a change opens and closes, and the endpoints it adds and removes. */
export interface ReachabilityDiff {
  /** Opened flows first, then closed ones; each by source, destination, protocol and port. */
  readonly flows: FlowChange[];
  /** Endpoints only after the change. */
  readonly addedEndpoints: string[];
  /** Endpoints only before the change. */
  readonly removedEndpoints: string[];
  /** The ports that were asked (each stands for a class of ports). */
  readonly ports: string[];
  /** The addresses outside the cluster that were asked, with the class each stands for. */
  readonly addresses: AddressProbe[];
}

/** Options of {@link diffReachability}. */
export interface ReachabilityDiffOptions {
  /** Evaluate staged policies as if they were enforced (on both sides). */
  readonly includeStaged?: boolean;
  /** Called with the number of flows compared so far and the total, for progress displays. */
  readonly progress?: (done: number, total: number) => void;
}

/**
 * Compares every flow between the endpoints (and the probed addresses outside the cluster) of
 * two models on the probed ports: a flow whose verdict differs is opened or closed, explained
 * by each side's deciding policy and rule before and after. A flow with an end that exists on
 * one side only counts as denied on the other. Flows between two outside addresses have no
 * policy and are not compared. Adjacent port ranges with the same change and the same reasons
 * are merged.
 */
export function diffReachability(before: NetworkModel, after: NetworkModel, probes: Probes, options: ReachabilityDiffOptions = {}): ReachabilityDiff {
  const beforeIds = before.endpoints();
  const afterIds = after.endpoints();
  const beforeSet = new Set(beforeIds);
  const afterSet = new Set(afterIds);
  const external = new Map(probes.addresses.map((a) => [a.id, a.description]));
  const all = [...new Set([...beforeIds, ...afterIds])].sort();
  const ends = [...all, ...probes.addresses.map((a) => a.id)];
  const was = reachabilityCells(before, beforeIds, probes, options.includeStaged === true);
  const is = reachabilityCells(after, afterIds, probes, options.includeStaged === true);
  const raw: { change: 'opened' | 'closed'; from: string; to: string; probe: PortProbe }[] = [];
  let done = 0;
  const total = ends.length * ends.length;
  for (const from of ends) {
    for (const to of ends) {
      done++;
      if (external.has(from) && external.has(to)) continue;
      const a = was.verdicts(from, to);
      const b = is.verdicts(from, to);
      probes.ports.forEach((probe, p) => {
        const allowedBefore = a?.[p] === true;
        const allowedAfter = b?.[p] === true;
        if (allowedBefore !== allowedAfter) raw.push({ change: allowedAfter ? 'opened' : 'closed', from, to, probe });
      });
    }
    options.progress?.(done, total);
  }
  const explained = raw.map((r) => {
    const state = (model: NetworkModel, present: Set<string>) => (isPresent(r.from, present, external) && isPresent(r.to, present, external)
      ? flowState(model, r.from, r.to, r.probe, options.includeStaged === true) : undefined);
    return {
      change: r.change,
      from: r.from,
      to: r.to,
      probe: r.probe,
      before: state(before, beforeSet),
      after: state(after, afterSet),
    };
  });
  const flows = mergeRanges(explained).map((f): FlowChange => ({
    change: f.change,
    from: f.from,
    to: f.to,
    ...(external.has(f.from) ? { fromDescription: external.get(f.from) } : {}),
    ...(external.has(f.to) ? { toDescription: external.get(f.to) } : {}),
    protocol: f.probe.protocol,
    ...(f.probe.port === undefined ? {} : { ports: describePortProbe(f.probe).slice(f.probe.protocol.length + 1) }),
    ...(f.before === undefined ? {} : { before: f.before }),
    ...(f.after === undefined ? {} : { after: f.after }),
  }));
  flows.sort((x, y) => (x.change === y.change ? 0 : x.change === 'opened' ? -1 : 1));
  return {
    flows,
    addedEndpoints: afterIds.filter((id) => !beforeSet.has(id)).sort(),
    removedEndpoints: beforeIds.filter((id) => !afterSet.has(id)).sort(),
    ports: probes.ports.map(describePortProbe),
    addresses: probes.addresses,
  };
}

/** The verdict of one flow with both sides' deciding policy and rule; `ERROR` sides when the flow cannot be asked. */
export function flowState(model: NetworkModel, from: string, to: string, probe: PortProbe, includeStaged: boolean): FlowState {
  let verdict: FlowVerdict;
  try {
    verdict = model.check({ from, to, protocol: probe.protocol, port: probe.port }, { includeStaged });
  } catch (error: any) {
    const side: FlowSideVerdict = { allowed: false, decidedBy: 'ERROR', reason: String(error?.message ?? error) };
    return { allowed: false, egress: side, ingress: side };
  }
  return { allowed: verdict.allowed, egress: sideOf(verdict.egress), ingress: sideOf(verdict.ingress) };
}

function sideOf(v: DirectionVerdict): FlowSideVerdict {
  return {
    allowed: v.allowed,
    decidedBy: v.decidedBy,
    ...(v.tier === undefined ? {} : { tier: v.tier }),
    ...(v.policy === undefined ? {} : { policy: v.policy }),
    ...(v.ruleIndex === undefined ? {} : { ruleIndex: v.ruleIndex }),
    ...(v.action === undefined ? {} : { action: v.action }),
    reason: v.reason,
  };
}

function isPresent(id: string, present: Set<string>, external: Map<string, string>): boolean {
  return present.has(id) || external.has(id);
}

/** Every verdict between endpoints (and probed addresses) on the probed ports, by pair. */
export class ReachabilityCells {
  private readonly parts: { readonly matrix: ReachabilityMatrix; readonly index: Map<string, number>; readonly ports: readonly number[] }[] = [];

  /** @param probes how many probes there are */
  constructor(private readonly probes: number) {}

  /**
   * Adds a matrix whose port `p` is the probe `positions[p]`.
   */
  public add(matrix: ReachabilityMatrix, positions: readonly number[]): void {
    const ports = new Array<number>(this.probes).fill(-1);
    positions.forEach((position, p) => {
      ports[position] = p;
    });
    this.parts.push({ matrix, index: new Map(matrix.endpoints.map((id, i) => [id, i])), ports });
  }

  /**
   * The verdict of each probe from `from` to `to` (by probe position); undefined when the pair
   * was not asked (an end not in the model). A probe not asked for the pair is false.
   */
  public verdicts(from: string, to: string): boolean[] | undefined {
    let result: boolean[] | undefined;
    for (const { matrix, index, ports } of this.parts) {
      const i = index.get(from);
      const j = index.get(to);
      if (i === undefined || j === undefined) continue;
      const n = matrix.endpoints.length;
      result ??= new Array<boolean>(this.probes).fill(false);
      ports.forEach((p, position) => {
        if (p >= 0) result![position] = matrix.cells[(p * n + i) * n + j].allowed;
      });
    }
    return result;
  }
}

/**
 * Every verdict between the endpoints and the probed addresses on the probed ports. A flow stays
 * within one IP family, so the addresses are asked one family at a time (with the endpoints),
 * without the ICMP version of the other family.
 */
export function reachabilityCells(model: NetworkModel, ids: string[], probes: Probes, includeStaged: boolean): ReachabilityCells {
  const result = new ReachabilityCells(probes.ports.length);
  for (const family of [4, 6]) {
    const addresses = probes.addresses.filter((a) => (a.id.includes(':', 3) ? 6 : 4) === family).map((a) => a.id);
    const other = family === 4 ? 'ICMPv6' : 'ICMP';
    const positions = probes.ports.map((_, p) => p).filter((p) => probes.ports[p].protocol !== other);
    const ownIcmp = positions.some((p) => probes.ports[p].protocol === (family === 4 ? 'ICMP' : 'ICMPv6'));
    if (family === 6 && addresses.length === 0 && !ownIcmp) continue;
    const matrix = model.matrix({
      ports: positions.map((p) => probes.ports[p])
        .map((probe) => (probe.port === undefined ? { protocol: probe.protocol } : { protocol: probe.protocol, port: probe.port })),
      endpoints: ids,
      includeExternal: addresses,
      includeStaged,
    });
    result.add(matrix, positions);
  }
  return result;
}

interface Explained {
  readonly change: 'opened' | 'closed';
  readonly from: string;
  readonly to: string;
  readonly probe: PortProbe;
  readonly before?: FlowState;
  readonly after?: FlowState;
}

/** Merges changes of adjacent port ranges of one flow that read the same (same change, same reasons). */
function mergeRanges(changes: readonly Explained[]): Explained[] {
  const result: Explained[] = [];
  for (const c of changes) {
    const last = result[result.length - 1];
    if (last !== undefined && last.change === c.change && last.from === c.from && last.to === c.to
      && last.probe.protocol === c.probe.protocol && last.probe.max !== undefined && c.probe.min !== undefined
      && last.probe.max + 1 === c.probe.min && sameReasons(last, c)) {
      result[result.length - 1] = { ...last, probe: { ...last.probe, max: c.probe.max } };
    } else {
      result.push(c);
    }
  }
  return result;
}

function sameReasons(a: Explained, b: Explained): boolean {
  const text = (s?: FlowState) => (s === undefined ? '' : JSON.stringify([s.allowed, s.egress, s.ingress]));
  return text(a.before) === text(b.before) && text(a.after) === text(b.after);
}
