import { GroupVersionKind, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkMetadata, dropChartNamespace, rejectNamespace, resolveNamespace } from './metadata';
import { IPeer } from './peer';
import { CommonSpec, PolicyRules, peerRules, renderCommonSpec, resolvePolicyName } from './policy-common';
import { PolicyProps } from './policy-props';
import { Port } from './port';
import { PolicyType, Rule } from './rule';
import { ITier, Tier } from './tier';
import { resolveTier } from './tier-resolution';
import { TypedApiObject } from './typed-api-object';
import { describeChild } from './validation';

/** What a subclass of `PolicyBase` tells it about its kind. */
export interface PolicyKindOptions {
  /** The kind, as errors name the construct (e.g. `GlobalNetworkPolicy`). */
  readonly kind: string;

  /** Whether the policy is cluster-scoped (no namespace). */
  readonly global: boolean;

  /**
   * Whether the policy only applies to incoming traffic (a pre-DNAT policy): egress rules and
   * the Egress type are refused.
   *
   * @default false
   */
  readonly preDnat?: boolean;

  /** The generated type's group, version and kind (e.g. `calico.NetworkPolicy.GVK`). */
  readonly gvk: GroupVersionKind;

  /** The same of the staged kind (e.g. `calico.StagedNetworkPolicy.GVK`). */
  readonly stagedGvk: GroupVersionKind;
}

/**
 * What `NetworkPolicy` and `GlobalNetworkPolicy` share: the name (with its tier prefix), the tier,
 * the staged variant, the ingress and egress rules (checked as they are added, rendered when the
 * app is synthesized), `allowFrom()` / `allowTo()` with peers and ports.
 *
 * A policy is itself the Calico object it synthesizes (an `ApiObject` of kind `NetworkPolicy`,
 * `StagedNetworkPolicy`, …): `name` is the object name, including the `<tier>.` prefix outside the
 * default tier; JSON patches (on the manifest as written: `/spec/preDNAT`, `notICMP`), labels and
 * dependencies go on it directly, and `apiObject` returns it.
 */
export abstract class PolicyBase extends TypedApiObject {
  /** The tier the policy belongs to (`Tier.DEFAULT` unless set). */
  public readonly tier: ITier;

  /** The name of the tier the policy belongs to (`default` unless set). */
  public readonly tierName: string;

  /** Whether the policy is emitted as its staged kind (`StagedNetworkPolicy`, `StagedGlobalNetworkPolicy`). */
  public readonly staged: boolean;

  /** How errors name this construct, e.g. `NetworkPolicy "chart/allow-web"`. */
  protected readonly owner: string;

  private readonly rules: PolicyRules;
  private readonly commonSpec: CommonSpec;
  private readonly policyNamespace?: string;

  protected constructor(scope: Construct, id: string, kind: PolicyKindOptions, props: PolicyProps) {
    const owner = describeChild(kind.kind, scope, id);
    if (kind.global) {
      rejectNamespace(owner, kind.kind, props.metadata);
    }
    const tier = resolveTier(owner, 'tier', props.tier);
    const name = resolvePolicyName(owner, scope, id, props.metadata?.name, tier.tierName, kind.kind);
    const policyNamespace = kind.global ? undefined : resolveNamespace(owner, scope, props.metadata);
    const staged = props.staged ?? false;
    checkMetadata(owner, props.metadata);
    const commonSpec = renderCommonSpec(owner, props, tier.tierName);
    const rules = new PolicyRules({ owner, global: kind.global, types: props.types, preDnat: kind.preDnat });
    // The spec is rendered when the app is synthesized, from the rules added by then.
    const spec: { render?: () => any } = {};
    super(scope, id, {
      ...(staged ? kind.stagedGvk : kind.gvk),
      metadata: { ...props.metadata, name, namespace: policyNamespace },
      spec: Lazy.any({ produce: () => spec.render!() }),
    });
    spec.render = () => this.renderSpec();
    this.owner = owner;
    this.tier = tier;
    this.tierName = tier.tierName;
    this.policyNamespace = policyNamespace;
    this.staged = staged;
    this.commonSpec = commonSpec;
    this.rules = rules;

    if (kind.global) {
      dropChartNamespace(this);
    }
    if (this.tier instanceof Tier) {
      this.addDependency(this.tier);
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

  /**
   * Allows `peer` to connect to the policy's endpoints on `ports` (every port if none): Allow
   * ingress rules, one per protocol of the ports (and per IP version of a `Peer.cidr()`).
   *
   * @param peer who may connect, e.g. `Peer.namespaces('fe')`
   * @param ports the ports of the policy's endpoints, e.g. `Port.tcp(443)`
   */
  public allowFrom(peer: IPeer, ...ports: Port[]): void {
    for (const rule of peerRules(this.owner, 'allowFrom()', PolicyType.INGRESS, peer, ports, { policyNamespace: this.policyNamespace })) {
      this.addIngressRule(rule);
    }
  }

  /**
   * Allows the policy's endpoints to connect to `peer` on `ports` (every port if none): Allow
   * egress rules, one per protocol of the ports (and per IP version of a `Peer.cidr()`).
   *
   * @param peer whom the endpoints may connect to, e.g. `Peer.cidr('203.0.113.0/24')`
   * @param ports the destination ports, e.g. `Port.tcp(443)`
   */
  public allowTo(peer: IPeer, ...ports: Port[]): void {
    for (const rule of peerRules(this.owner, 'allowTo()', PolicyType.EGRESS, peer, ports, { policyNamespace: this.policyNamespace })) {
      this.addEgressRule(rule);
    }
  }

  /**
   * The spec of the policy as the manifest writes it: tier, order, selectors, `stagedAction` of
   * a staged policy, types and rules. Subclasses add their own fields.
   */
  protected renderSpec(): any {
    return {
      ...this.commonSpec,
      stagedAction: this.staged ? 'Set' : undefined,
      ...this.rules.renderSpecRules(),
    };
  }
}
