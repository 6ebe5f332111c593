/**
 * Verdicts between endpoint classes, computed a whole row at a time: for one class and direction,
 * every rule that applies is matched once against all classes (a bit per class), and Calico's
 * tiered evaluation runs on those bit sets. A matrix cell is then two bit look-ups.
 *
 * The result is exactly the per-flow evaluation of `network-evaluate.ts` `directionAllows` (the
 * naive path, kept for explanations and as the reference of the property tests): the same
 * rules, matched by the same `FlowMatcher` code, in the same order.
 *
 * Internal module of the network model.
 */
/* eslint-disable no-bitwise -- class sets are bit sets: one 32-bit word per 32 classes */
import { EndpointClass, EndpointClasses } from './classes';
import { PolicySet, TierGroup } from '../network-index';
import { ephemeralRanges, Flow, FlowEnd, FlowMatcher, NO_CUTS, SourcePortPlanner } from '../network-match';
import { CompiledRule, Direction, EntityMatch, PeerMatcher } from '../network-rules';

/** A set of classes, one bit per class index. */
type Bits = Uint32Array;

/** The destination port of a flow to a class: resolved, or why it cannot be. */
export interface ClassPort {
  readonly port?: number;
  readonly error?: string;
}

/** What the table needs from the model (so that the model's own rules are the only ones). */
export interface ClassTableContext {
  readonly set: PolicySet;
  readonly matcher: FlowMatcher;
  readonly sourcePorts: SourcePortPlanner;
  readonly classes: EndpointClasses;
  /** The IANA protocol number of the flows. */
  readonly protocol: number;
  /** The destination port on an endpoint (a port spec's number, or its name resolved on the endpoint). */
  readonly portOn: (dst: FlowEnd) => ClassPort;
  /** The IP family of a flow between two endpoints (`NetworkModel` familyOf). */
  readonly familyOf: (src: FlowEnd, dst: FlowEnd) => 4 | 6;
}

/** Peers of one row that share the flow's family and destination port. */
interface RowContext {
  readonly family: 4 | 6;
  readonly port?: number;
  readonly mask: Bits;
}

function hasNamedPorts(side: EntityMatch): boolean {
  return (side.ports ?? []).some((p) => p.kind === 'name') || (side.notPorts ?? []).some((p) => p.kind === 'name');
}

/**
 * Verdicts between every pair of classes for one policy set, protocol and port spec. Rows are
 * computed when first needed and kept.
 */
export class ClassVerdictTable {
  private readonly count: number;
  private readonly words: number;
  private readonly ends: readonly FlowEnd[];
  private readonly ports: readonly ClassPort[];
  /** Which IP families each class has addresses of (`''`, `'4'`, `'6'`, `'46'`). */
  private readonly families: readonly string[];
  private readonly ones: Bits;
  private readonly zero: Bits;
  private readonly rows: { egress: Array<Bits | undefined>; ingress: Array<Bits | undefined> };
  private readonly familyCache = new Map<string, 4 | 6>();
  private readonly contextCache = new Map<string, RowContext[]>();
  private readonly peerCache = new Map<PeerMatcher, Array<Bits | undefined>>();
  private readonly sideCache = new Map<EntityMatch, Map<string, Bits>>();
  private namedPortsByName?: Map<string, number[]>;
  /** Per family: the classes showing each identity. */
  private readonly identityClasses: [number[][] | undefined, number[][] | undefined] = [undefined, undefined];

  constructor(private readonly ctx: ClassTableContext) {
    const classes = ctx.classes.classes;
    this.count = classes.length;
    this.words = Math.max(1, Math.ceil(this.count / 32));
    this.ends = classes.map((c) => ({ id: c.representative.id, endpoint: c.representative }));
    this.ports = this.ends.map((end) => ctx.portOn(end));
    this.families = classes.map((c) => {
      const ips = c.representative.ips;
      return `${ips.some((ip) => ip.version === 4) ? '4' : ''}${ips.some((ip) => ip.version === 6) ? '6' : ''}`;
    });
    this.ones = new Uint32Array(this.words).fill(0xffffffff);
    this.zero = new Uint32Array(this.words);
    this.rows = { egress: new Array(this.count), ingress: new Array(this.count) };
  }

  /** The destination port of flows to a class. */
  public portOf(dst: EndpointClass): ClassPort {
    return this.ports[dst.index];
  }

  /**
   * Whether traffic from a member of `src` to a member of `dst` (two different endpoints) is
   * allowed, for every source port of the ephemeral range, as `NetworkModel.check()` decides it
   * without a source port.
   */
  public allows(src: EndpointClass, dst: EndpointClass): boolean {
    if (this.ports[dst.index].error !== undefined) {
      return false;
    }
    return hasClass(this.row('egress', src.index), dst.index) && hasClass(this.row('ingress', dst.index), src.index);
  }

  /**
   * One direction of one class against every class: bit `k` tells whether the class's policies
   * for `direction` allow the flow with class `k` on the other end.
   */
  public row(direction: Direction, self: number): Bits {
    const cache = this.rows[direction];
    let row = cache[self];
    if (row === undefined) {
      row = this.computeRow(direction, self);
      cache[self] = row;
    }
    return row;
  }

  private computeRow(direction: Direction, self: number): Bits {
    const rep = this.ends[self].endpoint!;
    if (rep.hostNetwork) {
      return this.ones;
    }
    const groups = this.ctx.set.groups(rep, direction);
    if (groups.length === 0) {
      return this.ones;
    }
    const contexts = this.contexts(direction, self);
    const out = new Uint32Array(this.ones);
    for (const sourcePort of this.sourcePortsToTry(direction, self)) {
      const allowed = new Uint32Array(this.words);
      for (const context of contexts) {
        this.evaluate(groups, direction, self, context, sourcePort, allowed);
      }
      for (let w = 0; w < this.words; w++) {
        out[w] &= allowed[w];
      }
    }
    return out;
  }

  /**
   * Calico's tiered evaluation on sets of peers: the peers still undecided go through each tier's
   * policies and rules in order; Allow and Deny decide, Pass leaves the tier, the end of a tier
   * drops what it did not decide unless its defaultAction is Pass; what every tier passed on is
   * allowed by the profile. Adds the allowed peers to `allowed`.
   */
  // Calico: felix/rules/endpoints.go endpointIptablesChain (per tier: policies in order, end-of-tier drop unless defaultAction Pass)
  private evaluate(
    groups: readonly TierGroup[],
    direction: Direction,
    self: number,
    context: RowContext,
    sourcePort: number | undefined,
    allowed: Bits,
  ): void {
    const W = this.words;
    const undecided = new Uint32Array(context.mask);
    const inTier = new Uint32Array(W);
    const selfEnd = this.ends[self];
    const flow: Flow = { src: selfEnd, dst: selfEnd, protocol: this.ctx.protocol, port: context.port, sourcePort, family: context.family };
    for (const group of groups) {
      inTier.set(undecided);
      let left = true;
      for (const policy of group.policies) {
        const rules = direction === 'ingress' ? policy.ingress : policy.egress;
        for (const rule of rules) {
          if (rule.action === 'Log') {
            continue;
          }
          const match = this.ruleVector(rule, direction, selfEnd, flow, context);
          if (match === this.zero) {
            continue;
          }
          let touched = false;
          for (let w = 0; w < W; w++) {
            const m = match[w] & inTier[w];
            if (m === 0) {
              continue;
            }
            touched = true;
            inTier[w] &= ~m;
            if (rule.action === 'Allow') {
              allowed[w] |= m;
              undecided[w] &= ~m;
            } else if (rule.action === 'Deny') {
              undecided[w] &= ~m;
            }
            // Pass: the peers leave this tier and stay undecided for the next.
          }
          if (touched && isEmpty(inTier)) {
            left = false;
            break;
          }
        }
        if (!left) {
          break;
        }
      }
      if (left && group.tier.defaultAction !== 'Pass') {
        // End of tier without a verdict: drop.
        for (let w = 0; w < W; w++) {
          undecided[w] &= ~inTier[w];
        }
      }
      if (isEmpty(undecided)) {
        return;
      }
    }
    // Every applicable tier passed (or had nothing to say): the profile allows.
    for (let w = 0; w < W; w++) {
      allowed[w] |= undecided[w];
    }
  }

  /** The peers a rule matches, with this class on the policy's side. */
  private ruleVector(rule: CompiledRule, direction: Direction, selfEnd: FlowEnd, flow: Flow, context: RowContext): Bits {
    let out: Bits | undefined;
    let owned = false;
    for (const v of rule.variants) {
      if (!this.ctx.matcher.flowLevelMatches(v, flow)) {
        continue;
      }
      const own = direction === 'egress' ? v.source : v.destination;
      if (!this.ctx.matcher.sideMatches(own, direction === 'egress' ? 'source' : 'destination', selfEnd, flow, true)) {
        continue;
      }
      const peers = this.peerSide(direction === 'egress' ? v.destination : v.source, direction === 'egress' ? 'destination' : 'source', flow, context);
      if (peers === this.zero) {
        continue;
      }
      if (out === undefined) {
        out = peers;
      } else {
        if (!owned) {
          out = new Uint32Array(out);
          owned = true;
        }
        for (let w = 0; w < this.words; w++) {
          out[w] |= peers[w];
        }
      }
    }
    return out ?? this.zero;
  }

  /** The classes that the peer side of a rule matches, for flows of this context. */
  private peerSide(side: EntityMatch, which: 'source' | 'destination', flow: Flow, context: RowContext): Bits {
    const named = hasNamedPorts(side) || side.servicePorts !== undefined;
    if (side.peer === undefined && side.ports === undefined && side.notPorts === undefined && side.servicePorts === undefined) {
      return this.ones;
    }
    const key = `${which}/${context.family}/${context.port}/${flow.sourcePort}`;
    let cache = this.sideCache.get(side);
    if (cache === undefined) {
      cache = new Map();
      this.sideCache.set(side, cache);
    }
    let bits = cache.get(key);
    if (bits !== undefined) {
      return bits;
    }
    const matcher = this.ctx.matcher;
    if (!named) {
      // Ports that name no port do not depend on the peer: check them once.
      const portsOnly: EntityMatch = { ports: side.ports, notPorts: side.notPorts };
      const portsMatch = matcher.sideMatches(portsOnly, which, flow.src, flow, true);
      bits = !portsMatch ? this.zero : side.peer === undefined ? this.ones : this.peerVector(side.peer, context.family);
    } else {
      bits = new Uint32Array(this.words);
      for (let k = 0; k < this.count; k++) {
        const end = this.ends[k];
        const f: Flow = which === 'destination' ? { ...flow, dst: end } : { ...flow, src: end };
        if (matcher.sideMatches(side, which, end, f, true)) {
          bits[k >>> 5] |= 1 << (k & 31);
        }
      }
      if (isEmpty(bits)) {
        bits = this.zero;
      }
    }
    cache.set(key, bits);
    return bits;
  }

  /** The classes a peer criterion (selectors, nets, services) matches. */
  private peerVector(m: PeerMatcher, family: 4 | 6): Bits {
    let both = this.peerCache.get(m);
    if (both === undefined) {
      both = [undefined, undefined];
      this.peerCache.set(m, both);
    }
    const slot = family === 4 ? 0 : 1;
    let bits = both[slot];
    if (bits === undefined) {
      bits = new Uint32Array(this.words);
      const matcher = this.ctx.matcher;
      const selected = matcher.selectedIdentities(m);
      // With a selector, only the classes showing a selected identity can match.
      const candidates = selected === undefined ? undefined : this.classesShowing(selected, family);
      const check = (k: number): void => {
        if (matcher.peerMatchesEnd(m, this.ends[k], family)) {
          bits![k >>> 5] |= 1 << (k & 31);
        }
      };
      if (candidates === undefined) {
        for (let k = 0; k < this.count; k++) {
          check(k);
        }
      } else {
        candidates.forEach(check);
      }
      if (isEmpty(bits)) {
        bits = this.zero;
      }
      both[slot] = bits;
    }
    return bits;
  }

  /** The classes one of whose identities (in flows of a family) is selected, ascending. */
  private classesShowing(selected: Uint8Array, family: 4 | 6): number[] {
    let byIdentity = this.identityClasses[family === 4 ? 0 : 1];
    if (byIdentity === undefined) {
      byIdentity = [];
      for (let k = 0; k < this.count; k++) {
        for (const identity of this.ctx.matcher.identitiesOf(this.ends[k].endpoint!, family)) {
          (byIdentity[identity] ??= []).push(k);
        }
      }
      this.identityClasses[family === 4 ? 0 : 1] = byIdentity;
    }
    const out = new Set<number>();
    for (let i = 0; i < selected.length; i++) {
      if (selected[i] === 1) {
        for (const k of byIdentity[i] ?? []) {
          out.add(k);
        }
      }
    }
    return [...out];
  }

  /**
   * The peers of a row grouped by the flow's family and destination port: egress rows resolve
   * the port on each peer (the destination); ingress rows on the class itself.
   */
  private contexts(direction: Direction, self: number): RowContext[] {
    const own = this.ports[self];
    if (direction === 'ingress' && own.error !== undefined) {
      return [];
    }
    const key = direction === 'egress' ? `egress/${this.families[self]}` : `ingress/${this.families[self]}/${own.port}`;
    let found = this.contextCache.get(key);
    if (found !== undefined) {
      return found;
    }
    const groups = new Map<string, { family: 4 | 6; port?: number; mask: Bits }>();
    for (let k = 0; k < this.count; k++) {
      const port = direction === 'egress' ? this.ports[k] : own;
      if (port.error !== undefined) {
        continue;
      }
      const family = direction === 'egress' ? this.family(self, k) : this.family(k, self);
      const gkey = `${family}/${port.port}`;
      let g = groups.get(gkey);
      if (g === undefined) {
        g = { family, port: port.port, mask: new Uint32Array(this.words) };
        groups.set(gkey, g);
      }
      g.mask[k >>> 5] |= 1 << (k & 31);
    }
    found = [...groups.values()];
    this.contextCache.set(key, found);
    return found;
  }

  private family(src: number, dst: number): 4 | 6 {
    const key = `${this.families[src]}/${this.families[dst]}`;
    let family = this.familyCache.get(key);
    if (family === undefined) {
      family = this.ctx.familyOf(this.ends[src], this.ends[dst]);
      this.familyCache.set(key, family);
    }
    return family;
  }

  /**
   * One source port per range of the ephemeral ports over which the class's rules for this
   * direction do not change their mind (`undefined` alone when no rule looks at source ports).
   * Named source ports resolve on the source: the class itself for egress, any class for
   * ingress (a finer split than one source needs changes no verdict).
   */
  private sourcePortsToTry(direction: Direction, self: number): Array<number | undefined> {
    const rep = this.ends[self].endpoint!;
    const cuts = this.ctx.sourcePorts.cutsOf(this.ctx.set, rep, direction);
    if (cuts === NO_CUTS) {
      return [undefined];
    }
    const points = [...cuts.cuts];
    for (const name of new Set(cuts.names)) {
      const ports = direction === 'egress'
        ? rep.ports.filter((cp) => cp.name === name).map((cp) => cp.port)
        : this.namedPorts().get(name) ?? [];
      for (const port of ports) {
        points.push(port, port + 1);
      }
    }
    return ephemeralRanges(points).map((r) => r.min);
  }

  private namedPorts(): Map<string, number[]> {
    if (this.namedPortsByName === undefined) {
      this.namedPortsByName = new Map();
      for (const end of this.ends) {
        for (const cp of end.endpoint!.ports) {
          if (cp.name !== undefined) {
            const list = this.namedPortsByName.get(cp.name) ?? [];
            list.push(cp.port);
            this.namedPortsByName.set(cp.name, list);
          }
        }
      }
    }
    return this.namedPortsByName;
  }
}

/** Whether class `k` is in a row (see `ClassVerdictTable.row`). */
export function hasClass(bits: Uint32Array, k: number): boolean {
  return (bits[k >>> 5] & (1 << (k & 31))) !== 0;
}

function isEmpty(bits: Bits): boolean {
  for (let w = 0; w < bits.length; w++) {
    if (bits[w] !== 0) {
      return false;
    }
  }
  return true;
}
