import { Construct } from 'constructs';
import { PolicyBase } from './policy-base';
import { PolicyProps } from './policy-props';
import { renderPlainSelector } from './rule-renderer';
import { describeChild } from './validation';
import { fail } from '../core/errors';
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
 * Rules can be given in the props or added later with `addIngressRule()` / `addEgressRule()` /
 * `allowFrom()` / `allowTo()`; every rule is checked against Calico's validation when it is added.
 */
export class GlobalNetworkPolicy extends PolicyBase {
  private readonly globalSpec: GlobalSpec;

  constructor(scope: Construct, id: string, props: GlobalNetworkPolicyProps = {}) {
    const owner = describeChild('GlobalNetworkPolicy', scope, id);
    checkForwarding(owner, props);
    const namespaceSelector = renderPlainSelector(owner, 'namespaceSelector', props.namespaceSelector);
    super(scope, id, {
      kind: 'GlobalNetworkPolicy',
      global: true,
      preDnat: props.preDNAT,
      gvk: calico.GlobalNetworkPolicy.GVK,
      stagedGvk: calico.StagedGlobalNetworkPolicy.GVK,
    }, props);
    this.globalSpec = {
      namespaceSelector,
      doNotTrack: props.doNotTrack,
      preDNAT: props.preDNAT,
      applyOnForward: props.applyOnForward,
    };
  }

  protected renderSpec(): any {
    return { ...super.renderSpec(), ...this.globalSpec };
  }
}

interface GlobalSpec {
  readonly namespaceSelector?: string;
  readonly doNotTrack?: boolean;
  readonly preDNAT?: boolean;
  readonly applyOnForward?: boolean;
}

// Calico: libcalico-go/lib/validator/v3/validator.go validateGlobalNetworkPolicySpec (doNotTrack/preDNAT/applyOnForward)
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
