import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { checkMetadata, dropChartNamespace, generatedName, rejectNamespace } from './metadata';
import { checkDnsLabel, checkOrder, describeConstruct, fail } from './validation';
import * as calico from '../imports';

/** What happens to traffic that reaches the end of a tier without a matching rule. */
export enum TierDefaultAction {
  /** Drop the traffic (Calico's default). */
  DENY = 'Deny',
  /** Continue with the next tier. */
  PASS = 'Pass',
}

/** Properties of a `Tier`. */
export interface TierProps {
  /**
   * Metadata of the Tier object (labels, annotations; `name` is the tier name).
   *
   * @default - no labels or annotations
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * The tier name: a DNS-1123 label (no dots), since it prefixes the names of its policies.
   *
   * @default - `metadata.name`, else a name generated from the construct path
   */
  readonly name?: string;

  /**
   * The order of the tier; lower orders are evaluated first (the default tier has 1,000,000).
   *
   * @default - after all ordered tiers
   */
  readonly order?: number;

  /**
   * What happens to traffic that matches a policy of this tier but no rule in it.
   *
   * @default - Calico's default, Deny (left out of the manifest, so older Calico versions accept it)
   */
  readonly defaultAction?: TierDefaultAction;
}

/** Tier names Calico creates and manages itself. */
const RESERVED_TIERS = ['default', 'kube-admin', 'kube-baseline', 'adminnetworkpolicy', 'baselineadminnetworkpolicy'];

/**
 * A Calico tier (`projectcalico.org/v3` `Tier`): an ordered group of policies. Policies placed in
 * the tier (`tier: myTier`) are named `<tier>.<name>`.
 */
export class Tier extends Construct {
  /** The tier name. */
  public readonly name: string;

  /** The tier order, if set. */
  public readonly order?: number;

  /** The default action, if set. */
  public readonly defaultAction?: TierDefaultAction;

  /** The generated Calico `Tier` object (escape hatch). */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: TierProps = {}) {
    super(scope, id);
    const owner = describeConstruct('Tier', this);
    if (props.name !== undefined && props.metadata?.name !== undefined && props.name !== props.metadata.name) {
      fail(owner, 'name', `name "${props.name}" and metadata.name "${props.metadata.name}" disagree; give the tier name once`);
    }
    const name = props.name ?? props.metadata?.name ?? generatedName(this);
    checkDnsLabel(owner, 'name', name, 'tier name (tier names cannot contain dots)');
    if (RESERVED_TIERS.includes(name)) {
      fail(
        owner,
        'name',
        `the "${name}" tier is created and managed by Calico; do not declare it, refer to it by name in policies (tier: '${name}')`,
      );
    }
    rejectNamespace(owner, 'Tier', props.metadata);
    checkMetadata(owner, props.metadata);
    checkOrder(owner, 'order', props.order);
    if (props.defaultAction !== undefined && !Object.values(TierDefaultAction).includes(props.defaultAction)) {
      fail(owner, 'defaultAction', `${JSON.stringify(props.defaultAction)} is not a tier default action; use TierDefaultAction.DENY or TierDefaultAction.PASS`);
    }

    this.name = name;
    this.order = props.order;
    this.defaultAction = props.defaultAction;
    this.apiObject = new calico.Tier(this, 'Resource', {
      metadata: { ...props.metadata, name },
      spec: {
        order: props.order,
        defaultAction: props.defaultAction,
      },
    });
    dropChartNamespace(this.apiObject);
  }
}
