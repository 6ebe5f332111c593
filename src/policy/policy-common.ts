/**
 * Machinery shared by `NetworkPolicy` and `GlobalNetworkPolicy` (through `PolicyBase`): name
 * resolution, the rule lists, `spec.types`, and the rules that let a `Peer` in on some ports.
 * The peer and port checks are construct helpers that the team constructs use too.
 *
 * This module is internal: it is not re-exported by the `policy` barrel.
 */
import { Construct } from 'constructs';
import { generatedChildName } from './metadata';
import { IPeer, PeerContext } from './peer';
import { PolicyProps } from './policy-props';
import { Port } from './port';
import { Protocol } from './protocol';
import { EntityRule, PolicyType, Rule, RuleAction } from './rule';
import { ManifestRule, renderPlainSelector, renderRule } from './rule-renderer';
import { checkOrder, checkPolicyName } from './validation';
import { DEFAULT_TIER } from '../core/calico';
import { describeValue, fail } from '../core/errors';

/**
 * The object name of a policy of `kind` about to be created as `id` in `scope`: `metadata.name`
 * or the name cdk8s generates for it, prefixed with
 * `<tier>.` in a tier other than `default` (unless the prefix is already there), then checked.
 */
export function resolvePolicyName(
  owner: string, scope: Construct, id: string, metadataName: string | undefined, tierName: string, kind: string,
): string {
  let name = metadataName ?? generatedChildName(scope, id);
  if (tierName !== DEFAULT_TIER && !name.startsWith(`${tierName}.`)) {
    name = `${tierName}.${name}`;
  }
  checkPolicyName(owner, 'metadata.name', name, tierName, kind);
  return name;
}

/** Options of `PolicyRules`. */
export interface PolicyRulesOptions {
  /** The owning construct, as `describeConstruct()` names it. */
  readonly owner: string;
  /** Whether the policy is cluster-scoped. */
  readonly global: boolean;
  /** Explicit `spec.types`. */
  readonly types?: PolicyType[];
  /** Whether the policy is a pre-DNAT policy (ingress only). */
  readonly preDnat?: boolean;
}

const POLICY_TYPES: readonly string[] = Object.values(PolicyType);

/**
 * The ingress and egress rules of a policy, checked as they are added, and the policy's
 * `spec.types`.
 */
export class PolicyRules {
  private readonly owner: string;
  private readonly global: boolean;
  private readonly explicitTypes?: PolicyType[];
  private readonly preDnat: boolean;
  private readonly ingress: ManifestRule[] = [];
  private readonly egress: ManifestRule[] = [];

  constructor(options: PolicyRulesOptions) {
    this.owner = options.owner;
    this.global = options.global;
    this.preDnat = options.preDnat ?? false;
    if (options.types !== undefined) {
      this.explicitTypes = checkTypes(options.owner, options.types, this.preDnat);
    }
  }

  /** Checks and adds an ingress rule. */
  public addIngressRule(rule: Rule): void {
    this.add(PolicyType.INGRESS, rule);
  }

  /** Checks and adds an egress rule. */
  public addEgressRule(rule: Rule): void {
    this.add(PolicyType.EGRESS, rule);
  }

  /** The ingress rules as the manifest writes them, or undefined if there are none. */
  public get renderedIngress(): ManifestRule[] | undefined {
    return this.ingress.length > 0 ? [...this.ingress] : undefined;
  }

  /** The egress rules as the manifest writes them, or undefined if there are none. */
  public get renderedEgress(): ManifestRule[] | undefined {
    return this.egress.length > 0 ? [...this.egress] : undefined;
  }

  /**
   * `types`, `ingress` and `egress` of the spec, as the manifest writes them. The rules of every
   * policy kind share one structure, so one rendering serves all kinds.
   */
  public renderSpecRules(): any {
    return { types: this.types, ingress: this.renderedIngress, egress: this.renderedEgress };
  }

  /**
   * `spec.types`: the explicit types, else Ingress if there are ingress rules or no rules at
   * all, plus Egress if there are egress rules.
   */
  public get types(): PolicyType[] {
    if (this.explicitTypes) {
      return [...this.explicitTypes];
    }
    const types: PolicyType[] = [];
    if (this.ingress.length > 0 || this.egress.length === 0) {
      types.push(PolicyType.INGRESS);
    }
    if (this.egress.length > 0) {
      types.push(PolicyType.EGRESS);
    }
    return types;
  }

  private add(direction: PolicyType, rule: Rule): void {
    const list = direction === PolicyType.INGRESS ? this.ingress : this.egress;
    const key = direction === PolicyType.INGRESS ? 'ingress' : 'egress';
    const field = `${key}[${list.length}]`;
    if (direction === PolicyType.EGRESS && this.preDnat) {
      fail(this.owner, field, 'a preDNAT policy cannot have egress rules (pre-DNAT policy only applies to incoming traffic); remove the rule or preDNAT');
    }
    if (this.explicitTypes && !this.explicitTypes.includes(direction)) {
      fail(
        this.owner,
        field,
        `the policy's types are [${this.explicitTypes.join(', ')}], so this ${key} rule would never apply; ` +
          `add PolicyType.${direction.toUpperCase()} to types or remove the rule`,
      );
    }
    list.push(renderRule(rule, { owner: this.owner, field, direction, global: this.global }));
  }
}

function checkTypes(owner: string, types: PolicyType[], preDnat: boolean): PolicyType[] {
  if (!Array.isArray(types) || types.length === 0) {
    fail(owner, 'types', 'give at least one of PolicyType.INGRESS and PolicyType.EGRESS, or leave types out to infer them from the rules');
  }
  const seen = new Set<string>();
  types.forEach((type, i) => {
    if (!POLICY_TYPES.includes(type)) {
      fail(owner, `types[${i}]`, `${JSON.stringify(type)} is not a policy type; use PolicyType.INGRESS or PolicyType.EGRESS`);
    }
    if (seen.has(type)) {
      fail(owner, `types[${i}]`, `'${type}' is listed twice; list each type once`);
    }
    seen.add(type);
  });
  if (preDnat && types.includes(PolicyType.EGRESS)) {
    fail(owner, 'types', 'a preDNAT policy applies to ingress only; remove PolicyType.EGRESS from types');
  }
  return [...types];
}

/** The rendered spec fields common to both policy kinds. */
export interface CommonSpec {
  readonly tier?: string;
  readonly order?: number;
  readonly selector?: string;
  readonly serviceAccountSelector?: string;
}

/**
 * Checks and renders the spec fields common to both policy kinds (`tier` only when not
 * `default`, so that manifests also apply to Calico before 3.29).
 */
export function renderCommonSpec(owner: string, props: PolicyProps, tierName: string): CommonSpec {
  checkOrder(owner, 'order', props.order);
  return {
    tier: tierName === DEFAULT_TIER ? undefined : tierName,
    order: props.order,
    selector: renderPlainSelector(owner, 'selector', props.selector),
    serviceAccountSelector: renderPlainSelector(owner, 'serviceAccountSelector', props.serviceAccountSelector),
  };
}

/** A group of ports that share a protocol (or that have none). */
export interface PortGroup {
  /** The protocol of the ports, if they have one. */
  readonly protocol?: Protocol;
  /** The ports. */
  readonly ports: Port[];
}

/**
 * The ports grouped by their protocol, in order of first appearance (ports without a protocol
 * form a group of their own); one empty group for no ports. A Calico rule has one protocol, so
 * every group becomes a rule.
 */
export function portsByProtocol(ports: Port[]): PortGroup[] {
  if (ports.length === 0) {
    return [{ protocol: undefined, ports: [] }];
  }
  const groups: { protocol?: Protocol; ports: Port[] }[] = [];
  for (const port of ports) {
    const protocol = port.protocol;
    let group = groups.find((g) => (g.protocol === undefined ? protocol === undefined : protocol !== undefined && g.protocol.sameAs(protocol)));
    if (group === undefined) {
      group = { protocol, ports: [] };
      groups.push(group);
    }
    group.ports.push(port);
  }
  return groups;
}

/** Checks that `peer` is a peer (something made with a `Peer` factory). */
export function checkPeer(owner: string, field: string, peer: IPeer): void {
  if (peer === null || typeof peer !== 'object' || typeof peer.toCalicoEntityRules !== 'function') {
    fail(owner, field, `${describeValue(peer)} is not a Peer; use Peer.namespaces(), Peer.pods(), Peer.cidr() or another Peer factory`);
  }
}

/** Checks a list of ports given to `allowFrom()` / `allowTo()` and friends. */
export function checkPortList(owner: string, field: string, ports: Port[] | undefined): Port[] {
  if (ports === undefined) {
    return [];
  }
  if (!Array.isArray(ports)) {
    fail(owner, `${field}.ports`, 'must be a list of Port (e.g. [Port.tcp(443)]), or left out for every port');
  }
  ports.forEach((port, i) => {
    if (!(port instanceof Port)) {
      fail(owner, `${field}.ports[${i}]`, `${describeValue(port)} is not a Port; use Port.tcp(443), Port.udp(53) or Port.tcpRange(8000, 8080)`);
    }
  });
  return [...ports];
}

/**
 * The Allow rules that let `peer` connect (ingress) or be connected to (egress) on `ports`: one
 * rule per rule side of the peer and per protocol of the ports. Errors name `owner` and `field`.
 */
export function peerRules(owner: string, field: string, direction: PolicyType, peer: IPeer, ports: Port[], context: PeerContext): Rule[] {
  checkPeer(owner, field, peer);
  const list = checkPortList(owner, field, ports);
  let entities: EntityRule[];
  try {
    entities = peer.toCalicoEntityRules(context);
  } catch (e) {
    return fail(owner, field, (e as Error).message);
  }
  const rules: Rule[] = [];
  for (const entity of entities) {
    for (const group of portsByProtocol(list)) {
      const portMatch: EntityRule | undefined = group.ports.length > 0 ? { ports: group.ports } : undefined;
      if (direction === PolicyType.INGRESS) {
        rules.push({ action: RuleAction.ALLOW, protocol: group.protocol, source: entity, destination: portMatch });
      } else {
        rules.push({ action: RuleAction.ALLOW, protocol: group.protocol, destination: { ...entity, ...portMatch } });
      }
    }
  }
  return rules;
}
