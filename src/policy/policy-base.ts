import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkMetadata, dropChartNamespace, rejectNamespace, resolveNamespace } from './metadata';
import { IPeer } from './peer';
import { CommonSpec, PolicyRules, peerRules, renderCommonSpec, resolvePolicyName } from './policy-common';
import { PolicyProps } from './policy-props';
import { Port } from './port';
import { PolicyType, Rule } from './rule';
import { ITier, Tier } from './tier';
import { resolveTier } from './tier-resolution';
import { describeConstruct } from './validation';

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
}

/**
 * What `NetworkPolicy` and `GlobalNetworkPolicy` share: the name (with its tier prefix), the tier,
 * the staged variant, the ingress and egress rules (checked as they are added, rendered when the
 * app is synthesized), `allowFrom()` / `allowTo()` with peers and ports, and the `apiObject`
 * escape hatch.
 */
export abstract class PolicyBase extends Construct {
  /** The object name, including the `<tier>.` prefix outside the default tier. */
  public readonly name: string;

  /** The tier the policy belongs to (`Tier.DEFAULT` unless set). */
  public readonly tier: ITier;

  /** The name of the tier the policy belongs to (`default` unless set). */
  public readonly tierName: string;

  /** Whether the policy is emitted as its staged kind (`StagedNetworkPolicy`, `StagedGlobalNetworkPolicy`). */
  public readonly staged: boolean;

  /** The generated Calico object (escape hatch). */
  public readonly apiObject: ApiObject;

  /** How errors name this construct, e.g. `NetworkPolicy "chart/allow-web"`. */
  protected readonly owner: string;

  private readonly rules: PolicyRules;
  private readonly commonSpec: CommonSpec;
  private readonly policyNamespace?: string;

  protected constructor(scope: Construct, id: string, kind: PolicyKindOptions, props: PolicyProps) {
    super(scope, id);
    this.owner = describeConstruct(kind.kind, this);
    if (kind.global) {
      rejectNamespace(this.owner, kind.kind, props.metadata);
    }
    this.tier = resolveTier(this.owner, 'tier', props.tier);
    this.tierName = this.tier.tierName;
    this.name = resolvePolicyName(this.owner, this, props.metadata?.name, this.tierName, kind.kind);
    this.policyNamespace = kind.global ? undefined : resolveNamespace(this.owner, this, props.metadata);
    this.staged = props.staged ?? false;
    checkMetadata(this.owner, props.metadata);
    this.commonSpec = renderCommonSpec(this.owner, props, this.tierName);
    this.rules = new PolicyRules({ owner: this.owner, global: kind.global, types: props.types, preDnat: kind.preDnat });

    this.apiObject = this.createApiObject({ ...props.metadata, name: this.name, namespace: this.policyNamespace });
    if (kind.global) {
      dropChartNamespace(this.apiObject);
    }
    if (this.tier instanceof Tier) {
      this.apiObject.addDependency(this.tier);
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
   * Creates the Calico object of the policy (called once, by the constructor of `PolicyBase`,
   * after `staged` is set); its spec should be `Lazy.any({ produce: () => this.renderSpec() })`.
   *
   * @param metadata the object metadata (name, namespace, labels, annotations)
   */
  protected abstract createApiObject(metadata: ApiObjectMetadata): ApiObject;

  /**
   * The spec of the policy, in the shape of the generated Calico types: tier, order, selectors,
   * `stagedAction` of a staged policy, types and rules. Subclasses add their own fields.
   */
  protected renderSpec(): any {
    return {
      ...this.commonSpec,
      stagedAction: this.staged ? 'Set' : undefined,
      ...this.rules.renderSpecRules(),
    };
  }

  /** The spec, produced when the app is synthesized (for `createApiObject`). */
  protected lazySpec(): any {
    return Lazy.any({ produce: () => this.renderSpec() });
  }
}
