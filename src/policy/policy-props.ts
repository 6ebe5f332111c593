import { ApiObjectMetadata } from 'cdk8s';
import { PolicyType, Rule } from './rule';
import { ITier } from './tier';
import { Selector } from '../selector';

/**
 * Properties shared by `NetworkPolicy` and `GlobalNetworkPolicy`.
 */
export interface PolicyProps {
  /**
   * Metadata of the policy object: `name`, `labels`, `annotations` (and `namespace` for a
   * NetworkPolicy). In a tier other than `default` the name is prefixed with `<tier>.` unless
   * it already starts with it.
   *
   * @default - a name generated from the construct path
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * The tier the policy belongs to: a `Tier` construct, `Tier.fromName('security')`, or a
   * built-in tier such as `Tier.DEFAULT`. (A tier name given as a string is still accepted at
   * run time, from JavaScript; deprecated: use `Tier.fromName()`.)
   *
   * @default Tier.DEFAULT
   */
  readonly tier?: ITier;

  /**
   * The order of the policy within its tier; lower orders apply first.
   *
   * @default - Calico's default (after all ordered policies)
   */
  readonly order?: number;

  /**
   * The endpoints the policy applies to.
   *
   * @default - all endpoints (Calico's `all()`); the field is left out of the manifest
   */
  readonly selector?: Selector;

  /**
   * Restrict the policy to pods whose service account matches this selector.
   *
   * @default - no restriction
   */
  readonly serviceAccountSelector?: Selector;

  /**
   * The directions the policy applies to. When given, rules for a direction not listed are an
   * error.
   *
   * @default - Ingress if there are ingress rules or no rules at all, plus Egress if there are egress rules (always written to the manifest)
   */
  readonly types?: PolicyType[];

  /**
   * Ingress rules, in order. More can be added with `addIngressRule()`.
   *
   * @default - none
   */
  readonly ingress?: Rule[];

  /**
   * Egress rules, in order. More can be added with `addEgressRule()`.
   *
   * @default - none
   */
  readonly egress?: Rule[];

  /**
   * Emit the staged kind (`StagedNetworkPolicy` / `StagedGlobalNetworkPolicy`) with
   * `stagedAction: Set`, which previews the policy's verdicts without enforcing them.
   *
   * @default false
   */
  readonly staged?: boolean;
}
