import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkMetadata, resolveNamespace } from './metadata';
import { CommonSpec, PolicyRules, renderCommonSpec, resolvePolicyName, resolveTierName } from './policy-common';
import { PolicyProps } from './policy-props';
import { Rule } from './rule';
import { Tier } from './tier';
import { describeConstruct } from './validation';
import * as calico from '../imports';

/** Properties of a `NetworkPolicy`. */
export interface NetworkPolicyProps extends PolicyProps {}

/**
 * A namespaced Calico network policy (`projectcalico.org/v3` `NetworkPolicy`, or
 * `StagedNetworkPolicy` with `staged: true`).
 *
 * The namespace is `metadata.namespace`, else the chart's namespace. Rules can be given in the
 * props or added later with `addIngressRule()` / `addEgressRule()`; every rule is checked
 * against Calico's validation when it is added. The manifest always lists `spec.types`, and
 * `spec.tier` only outside the default tier.
 *
 * @example
 * new NetworkPolicy(chart, 'allow-web', {
 *   selector: Selector.label('app').eq('web'),
 *   ingress: [{ action: RuleAction.ALLOW, destination: { ports: [Port.tcp(443)] } }],
 * });
 */
export class NetworkPolicy extends Construct {
  /** The object name, including the `<tier>.` prefix outside the default tier. */
  public readonly name: string;

  /** The namespace of the policy. */
  public readonly namespace: string;

  /** The name of the tier the policy belongs to (`default` unless set). */
  public readonly tierName: string;

  /** Whether the policy is emitted as a `StagedNetworkPolicy`. */
  public readonly staged: boolean;

  /** The generated Calico object (escape hatch). */
  public readonly apiObject: ApiObject;

  private readonly rules: PolicyRules;

  constructor(scope: Construct, id: string, props: NetworkPolicyProps = {}) {
    super(scope, id);
    const owner = describeConstruct('NetworkPolicy', this);
    this.tierName = resolveTierName(owner, props.tier);
    this.name = resolvePolicyName(owner, this, props.metadata?.name, this.tierName);
    this.namespace = resolveNamespace(owner, this, props.metadata);
    this.staged = props.staged ?? false;
    checkMetadata(owner, props.metadata);
    const common = renderCommonSpec(owner, props, this.tierName);
    this.rules = new PolicyRules({ owner, global: false, types: props.types });

    const metadata = { ...props.metadata, name: this.name, namespace: this.namespace };
    if (this.staged) {
      this.apiObject = new calico.StagedNetworkPolicy(this, 'Resource', {
        metadata,
        spec: Lazy.any({ produce: () => this.stagedSpec(common) }),
      });
    } else {
      this.apiObject = new calico.NetworkPolicy(this, 'Resource', {
        metadata,
        spec: Lazy.any({ produce: () => this.spec(common) }),
      });
    }
    if (props.tier instanceof Tier) {
      this.apiObject.addDependency(props.tier);
    }

    for (const rule of props.ingress ?? []) {
      this.addIngressRule(rule);
    }
    for (const rule of props.egress ?? []) {
      this.addEgressRule(rule);
    }
  }

  /**
   * Adds an ingress rule (after the existing ones). The rule is checked now; errors name the
   * policy and the rule field (e.g. `ingress[2].destination.ports[0]`).
   *
   * @param rule the rule to add
   */
  public addIngressRule(rule: Rule): void {
    this.rules.addIngressRule(rule);
  }

  /**
   * Adds an egress rule (after the existing ones). The rule is checked now.
   *
   * @param rule the rule to add
   */
  public addEgressRule(rule: Rule): void {
    this.rules.addEgressRule(rule);
  }

  private spec(common: CommonSpec): calico.NetworkPolicySpec {
    return { ...common, ...this.rules.renderSpecRules() };
  }

  private stagedSpec(common: CommonSpec): calico.StagedNetworkPolicySpec {
    return { ...common, stagedAction: calico.StagedNetworkPolicySpecStagedAction.SET, ...this.rules.renderSpecRules() };
  }
}
