/**
 * Machinery shared by `NetworkPolicy` and `GlobalNetworkPolicy`: tier and name resolution, the
 * rule lists, and `spec.types`.
 *
 * This module is internal: it is not re-exported by the `policy` barrel.
 */
import { Construct } from 'constructs';
import { generatedName } from './metadata';
import { PolicyProps } from './policy-props';
import { PolicyType, Rule } from './rule';
import { RenderedRule, renderPlainSelector, renderRule } from './rule-renderer';
import { Tier } from './tier';
import { DEFAULT_TIER, checkDnsLabel, checkOrder, checkPolicyName, fail } from './validation';

/** The tier name of `tier` (a `Tier` construct or a name), checked. */
export function resolveTierName(owner: string, tier: Tier | string | undefined): string {
  if (tier === undefined) {
    return DEFAULT_TIER;
  }
  if (tier instanceof Tier) {
    return tier.name;
  }
  if (typeof tier !== 'string') {
    fail(owner, 'tier', `${JSON.stringify(tier)} is not a tier; pass a Tier construct or a tier name`);
  }
  checkDnsLabel(owner, 'tier', tier, 'tier name (tier names cannot contain dots)');
  return tier;
}

/**
 * The object name of a policy: `metadata.name` or a generated name, prefixed with `<tier>.` in a
 * tier other than `default` (unless the prefix is already there), then checked.
 */
export function resolvePolicyName(owner: string, scope: Construct, metadataName: string | undefined, tierName: string): string {
  let name = metadataName ?? generatedName(scope);
  if (tierName !== DEFAULT_TIER && !name.startsWith(`${tierName}.`)) {
    name = `${tierName}.${name}`;
  }
  checkPolicyName(owner, 'metadata.name', name, tierName);
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
  private readonly ingress: RenderedRule[] = [];
  private readonly egress: RenderedRule[] = [];

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

  /** The rendered ingress rules, or undefined if there are none. */
  public get renderedIngress(): RenderedRule[] | undefined {
    return this.ingress.length > 0 ? [...this.ingress] : undefined;
  }

  /** The rendered egress rules, or undefined if there are none. */
  public get renderedEgress(): RenderedRule[] | undefined {
    return this.egress.length > 0 ? [...this.egress] : undefined;
  }

  /**
   * `types`, `ingress` and `egress` of the spec. The generated rule types of every policy kind
   * share one structure (only their enum types differ), so one rendering serves all kinds.
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
