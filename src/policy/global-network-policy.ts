import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkMetadata, dropChartNamespace, rejectNamespace } from './metadata';
import { CommonSpec, PolicyRules, renderCommonSpec, resolvePolicyName, resolveTierName } from './policy-common';
import { PolicyProps } from './policy-props';
import { Rule } from './rule';
import { renderPlainSelector } from './rule-renderer';
import { Tier } from './tier';
import { describeConstruct, fail } from './validation';
import * as calico from '../imports';
import { Selector } from '../selector';

/** Properties of a `GlobalNetworkPolicy`. */
export interface GlobalNetworkPolicyProps extends PolicyProps {
  /**
   * Restrict the policy to endpoints in namespaces whose labels match this selector.
   *
   * @default - endpoints in all namespaces, and host endpoints
   */
  readonly namespaceSelector?: Selector;

  /**
   * Apply the rules before connection tracking (untracked policy, for host endpoints). Needs
   * `applyOnForward: true`; not together with `preDNAT`.
   *
   * @default false
   */
  readonly doNotTrack?: boolean;

  /**
   * Apply the rules before DNAT (for host endpoints, e.g. to secure NodePorts). Needs
   * `applyOnForward: true`, ingress only; not together with `doNotTrack`.
   *
   * @default false
   */
  readonly preDNAT?: boolean;

  /**
   * Also apply the rules to traffic forwarded through host endpoints.
   *
   * @default false
   */
  readonly applyOnForward?: boolean;
}

/**
 * A cluster-wide Calico network policy (`projectcalico.org/v3` `GlobalNetworkPolicy`, or
 * `StagedGlobalNetworkPolicy` with `staged: true`). It applies to endpoints in all namespaces
 * (narrowed by `namespaceSelector`) and to host endpoints.
 *
 * Rules can be given in the props or added later with `addIngressRule()` /
 * `addEgressRule()`; every rule is checked against Calico's validation when it is added.
 */
export class GlobalNetworkPolicy extends Construct {
  /** The object name, including the `<tier>.` prefix outside the default tier. */
  public readonly name: string;

  /** The name of the tier the policy belongs to (`default` unless set). */
  public readonly tierName: string;

  /** Whether the policy is emitted as a `StagedGlobalNetworkPolicy`. */
  public readonly staged: boolean;

  /** The generated Calico object (escape hatch). */
  public readonly apiObject: ApiObject;

  private readonly rules: PolicyRules;

  constructor(scope: Construct, id: string, props: GlobalNetworkPolicyProps = {}) {
    super(scope, id);
    const owner = describeConstruct('GlobalNetworkPolicy', this);
    rejectNamespace(owner, 'GlobalNetworkPolicy', props.metadata);
    this.tierName = resolveTierName(owner, props.tier);
    this.name = resolvePolicyName(owner, this, props.metadata?.name, this.tierName);
    this.staged = props.staged ?? false;
    checkMetadata(owner, props.metadata);
    checkForwarding(owner, props);
    const common = renderCommonSpec(owner, props, this.tierName);
    const globalSpec: GlobalSpec = {
      ...common,
      namespaceSelector: renderPlainSelector(owner, 'namespaceSelector', props.namespaceSelector),
      doNotTrack: props.doNotTrack,
      preDnat: props.preDNAT,
      applyOnForward: props.applyOnForward,
    };
    this.rules = new PolicyRules({ owner, global: true, types: props.types, preDnat: props.preDNAT });

    const metadata = { ...props.metadata, name: this.name };
    if (this.staged) {
      this.apiObject = new calico.StagedGlobalNetworkPolicy(this, 'Resource', {
        metadata,
        spec: Lazy.any({ produce: () => this.stagedSpec(globalSpec) }),
      });
    } else {
      this.apiObject = new calico.GlobalNetworkPolicy(this, 'Resource', {
        metadata,
        spec: Lazy.any({ produce: () => this.spec(globalSpec) }),
      });
    }
    dropChartNamespace(this.apiObject);
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

  private spec(globalSpec: GlobalSpec): calico.GlobalNetworkPolicySpec {
    return { ...globalSpec, ...this.rules.renderSpecRules() };
  }

  private stagedSpec(globalSpec: GlobalSpec): calico.StagedGlobalNetworkPolicySpec {
    return { ...globalSpec, stagedAction: calico.StagedGlobalNetworkPolicySpecStagedAction.SET, ...this.rules.renderSpecRules() };
  }
}

interface GlobalSpec extends CommonSpec {
  readonly namespaceSelector?: string;
  readonly doNotTrack?: boolean;
  readonly preDnat?: boolean;
  readonly applyOnForward?: boolean;
}

function checkForwarding(owner: string, props: GlobalNetworkPolicyProps): void {
  if (props.doNotTrack && props.preDNAT) {
    fail(owner, 'preDNAT', 'preDNAT and doNotTrack cannot both be true; a policy is either untracked or pre-DNAT');
  }
  if (props.doNotTrack && !props.applyOnForward) {
    fail(owner, 'applyOnForward', 'a doNotTrack policy needs applyOnForward: true');
  }
  if (props.preDNAT && !props.applyOnForward) {
    fail(owner, 'applyOnForward', 'a preDNAT policy needs applyOnForward: true');
  }
}
