import { Construct } from 'constructs';
import { PolicyBase } from './policy-base';
import { PolicyProps } from './policy-props';
import * as calico from '../imports';

/** Properties of a `NetworkPolicy`. */
export interface NetworkPolicyProps extends PolicyProps {}

/**
 * A namespaced Calico network policy (`projectcalico.org/v3` `NetworkPolicy`, or
 * `StagedNetworkPolicy` with `staged: true`).
 *
 * The namespace is `metadata.namespace`, else the chart's namespace. Rules can be given in the
 * props or added later with `addIngressRule()` / `addEgressRule()` / `allowFrom()` /
 * `allowTo()`; every rule is checked against Calico's validation when it is added. The manifest
 * always lists `spec.types`, and `spec.tier` only outside the default tier.
 *
 * @example
 * const policy = new NetworkPolicy(chart, 'allow-web', { selector: Selector.label('app').eq('web') });
 * policy.allowFrom(Peer.namespaces('fe'), Port.tcp(443));
 */
export class NetworkPolicy extends PolicyBase {
  /** The namespace of the policy. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: NetworkPolicyProps = {}) {
    super(scope, id, { kind: 'NetworkPolicy', global: false, gvk: calico.NetworkPolicy.GVK, stagedGvk: calico.StagedNetworkPolicy.GVK }, props);
    this.namespace = this.metadata.namespace!;
  }
}
