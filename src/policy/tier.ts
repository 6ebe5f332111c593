import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { checkMetadata, dropChartNamespace, generatedChildName, rejectNamespace } from './metadata';
import { checkOrder, checkTierName, describeChild } from './validation';
import { builtInTier, DEFAULT_TIER, KUBE_ADMIN_TIER, KUBE_BASELINE_TIER } from '../core/calico';
import { fail } from '../core/errors';
import { tierNameProblem } from '../core/names';
import * as calico from '../imports';
import { TypedApiObject } from './typed-api-object';

/** What happens to traffic that reaches the end of a tier without a matching rule. */
export enum TierDefaultAction {
  /** Drop the traffic (Calico's default). */
  DENY = 'Deny',
  /** Continue with the next tier. */
  PASS = 'Pass',
}

/**
 * A Calico tier that policies can be placed in: a `Tier` construct, a built-in tier
 * (`Tier.DEFAULT`, `Tier.KUBE_ADMIN`, `Tier.KUBE_BASELINE`) or a tier created elsewhere
 * (`Tier.fromName('security')`).
 */
export interface ITier {
  /** The tier name (a DNS-1123 label; it prefixes the names of the tier's policies). */
  readonly tierName: string;

  /**
   * The tier order, when known here (lower orders are evaluated first).
   *
   * @default - unknown (a tier referenced by name)
   */
  readonly order?: number;

  /**
   * What happens at the end of the tier to traffic that its policies select but do not decide,
   * when known here.
   *
   * @default - unknown (a tier referenced by name)
   */
  readonly defaultAction?: TierDefaultAction;
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
   * The built-in tiers `default`, `kube-admin` and `kube-baseline` can only have their fixed
   * orders (1,000,000, 1,000 and 10,000,000).
   *
   * @default - after all ordered tiers; for a built-in tier, its fixed order
   */
  readonly order?: number;

  /**
   * What happens to traffic that matches a policy of this tier but no rule in it.
   *
   * @default - Calico's default, Deny (left out of the manifest, so older Calico versions accept it)
   */
  readonly defaultAction?: TierDefaultAction;
}

/** A tier referenced by name: created by Calico or elsewhere. */
class TierReference implements ITier {
  constructor(
    public readonly tierName: string,
    public readonly order?: number,
    public readonly defaultAction?: TierDefaultAction,
  ) {}

  public toString(): string {
    return this.tierName;
  }
}

function builtInReference(name: string): ITier {
  const tier = builtInTier(name)!;
  return new TierReference(tier.name, tier.order, tier.defaultAction as TierDefaultAction);
}

/**
 * A Calico tier (`projectcalico.org/v3` `Tier`): an ordered group of policies. Policies placed in
 * the tier (`tier: myTier`) are named `<tier>.<name>`. The construct is itself the `Tier`
 * object (`name` is the tier name).
 *
 * To place policies in a tier that is not created here, use `Tier.fromName()` or one of the
 * built-in tiers `Tier.DEFAULT`, `Tier.KUBE_ADMIN` and `Tier.KUBE_BASELINE`.
 */
export class Tier extends TypedApiObject implements ITier {
  /** Calico's `default` tier (order 1,000,000, default action Deny), where policies go unless told otherwise. */
  public static readonly DEFAULT: ITier = builtInReference(DEFAULT_TIER);

  /** Calico's `kube-admin` tier (order 1,000, default action Pass), for Admin cluster network policies. */
  public static readonly KUBE_ADMIN: ITier = builtInReference(KUBE_ADMIN_TIER);

  /** Calico's `kube-baseline` tier (order 10,000,000, default action Pass), for Baseline cluster network policies. */
  public static readonly KUBE_BASELINE: ITier = builtInReference(KUBE_BASELINE_TIER);

  /**
   * A tier created elsewhere (or a built-in one), by its name. The name is checked at once.
   *
   * @param name the tier name, e.g. `security`
   * @returns the tier; the built-in tiers with their known order and default action
   * @throws if the name is not a valid tier name
   */
  public static fromName(name: string): ITier {
    const problem = tierNameProblem(name);
    if (problem !== undefined) {
      fail('Tier.fromName()', 'name', problem);
    }
    return [Tier.DEFAULT, Tier.KUBE_ADMIN, Tier.KUBE_BASELINE].find((t) => t.tierName === name) ?? new TierReference(name);
  }

  /** The tier order, if set. */
  public readonly order?: number;

  /** The default action, if set. */
  public readonly defaultAction?: TierDefaultAction;

  constructor(scope: Construct, id: string, props: TierProps = {}) {
    const owner = describeChild('Tier', scope, id);
    if (props.name !== undefined && props.metadata?.name !== undefined && props.name !== props.metadata.name) {
      fail(owner, 'name', `name "${props.name}" and metadata.name "${props.metadata.name}" disagree; give the tier name once`);
    }
    const name = props.name ?? props.metadata?.name ?? generatedChildName(scope, id);
    checkTierName(owner, 'name', name);
    rejectNamespace(owner, 'Tier', props.metadata);
    checkMetadata(owner, props.metadata);
    checkOrder(owner, 'order', props.order);
    const order = builtInOrder(owner, name, props.order);
    if (props.defaultAction !== undefined && !Object.values(TierDefaultAction).includes(props.defaultAction)) {
      fail(owner, 'defaultAction', `${JSON.stringify(props.defaultAction)} is not a tier default action; use TierDefaultAction.DENY or TierDefaultAction.PASS`);
    }

    super(scope, id, {
      ...calico.Tier.GVK,
      metadata: { ...props.metadata, name },
      spec: { order, defaultAction: props.defaultAction },
    });
    this.order = order;
    this.defaultAction = props.defaultAction;
    dropChartNamespace(this);
  }


  /** The tier name (the same as `name`). */
  public get tierName(): string {
    return this.name;
  }
}

/**
 * The order of a tier: as given, except that a built-in tier (`default`, `kube-admin`,
 * `kube-baseline`) can only have its fixed order, which is also its default.
 */
// Calico: libcalico-go/lib/validator/v3/validator.go validateTier (default/kube-admin/kube-baseline tier order)
function builtInOrder(owner: string, name: string, order: number | undefined): number | undefined {
  const builtIn = builtInTier(name);
  if (builtIn === undefined) {
    return order;
  }
  if (order !== undefined && order !== builtIn.order) {
    fail(owner, 'order', `the built-in "${name}" tier can only have order ${builtIn.order}, not ${order}; leave order out or set it to ${builtIn.order}`);
  }
  return builtIn.order;
}
