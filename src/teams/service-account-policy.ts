import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { NetworkPolicy } from '../policy/network-policy';
import { RuleAction } from '../policy/rule';
import { ITier } from '../policy/tier';
import { checkDnsSubdomain } from '../policy/validation';
import { Selector } from '../selector';

/** Options shared by the `ServiceAccountPolicy` factories. */
export interface ServiceAccountPolicyOptions {
  /**
   * The namespace of the policy (and of the service accounts it names).
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * The policy name.
   *
   * @default - a name generated from the construct path
   */
  readonly name?: string;

  /**
   * The tier. A security-team tier makes the policy one the development teams cannot override.
   *
   * @default Tier.DEFAULT
   */
  readonly tier?: ITier;

  /**
   * The order within the tier.
   *
   * @default - none
   */
  readonly order?: number;
}

/** Options of `ServiceAccountPolicy.allowFromServiceAccounts()`. */
export interface AllowFromServiceAccountsOptions extends ServiceAccountPolicyOptions {
  /** The pods the policy protects, e.g. `app == "db"`. */
  readonly selector: Selector;

  /** The service accounts (of the policy's namespace) whose pods may connect. */
  readonly names: string[];
}

/** Options of `ServiceAccountPolicy.allowFromServiceAccountSelector()`. */
export interface AllowFromServiceAccountSelectorOptions extends ServiceAccountPolicyOptions {
  /** The pods the policy protects, e.g. `app == "db"`. */
  readonly selector: Selector;

  /** The labels of the service accounts whose pods may connect, e.g. `app == "web-frontend"`. */
  readonly serviceAccountSelector: Selector;
}

/** Options of `ServiceAccountPolicy.restrictToServiceAccountGroup()`. */
export interface RestrictToServiceAccountGroupOptions extends ServiceAccountPolicyOptions {
  /** The service-account labels of the group, e.g. `role == "intern"`. */
  readonly serviceAccountSelector: Selector;
}

/**
 * The service-account policies of Calico's "Use service accounts rules in policy" guide, as
 * factories of Calico `NetworkPolicy` constructs. Each produces the documented object (plus
 * `spec.types`, which these constructs always write).
 *
 * Service-account labels decide who matches these policies, so keep the right to label service
 * accounts with the security team (`SecurityTeam` `canLabelServiceAccounts`), away from the
 * people who deploy pods.
 */
export class ServiceAccountPolicy {
  /**
   * Ingress to the selected pods only from pods running as the named service accounts
   * (the guide's `demo-calico`).
   *
   * @param scope the construct scope
   * @param id the construct id
   * @param options selector, names and common options
   */
  public static allowFromServiceAccounts(scope: Construct, id: string, options: AllowFromServiceAccountsOptions): NetworkPolicy {
    const where = `ServiceAccountPolicy.allowFromServiceAccounts() "${id}"`;
    checkSelector(where, 'selector', options?.selector);
    if (!Array.isArray(options.names) || options.names.length === 0) {
      fail(where, 'names', 'give at least one service account name, e.g. ["api-service"]');
    }
    options.names.forEach((name, i) => checkDnsSubdomain(where, `names[${i}]`, name, 'service account name'));
    return new NetworkPolicy(scope, id, {
      ...common(options),
      selector: options.selector,
      ingress: [{ action: RuleAction.ALLOW, source: { serviceAccounts: { names: [...options.names] } } }],
    });
  }

  /**
   * Ingress to the selected pods only from pods whose service account matches a label selector
   * (the guide's `allow-web-frontend`).
   *
   * @param scope the construct scope
   * @param id the construct id
   * @param options selector, service-account selector and common options
   */
  public static allowFromServiceAccountSelector(scope: Construct, id: string, options: AllowFromServiceAccountSelectorOptions): NetworkPolicy {
    const where = `ServiceAccountPolicy.allowFromServiceAccountSelector() "${id}"`;
    checkSelector(where, 'selector', options?.selector);
    checkSelector(where, 'serviceAccountSelector', options.serviceAccountSelector);
    return new NetworkPolicy(scope, id, {
      ...common(options),
      selector: options.selector,
      ingress: [{ action: RuleAction.ALLOW, source: { serviceAccounts: { selector: options.serviceAccountSelector } } }],
    });
  }

  /**
   * Pods whose service account matches the selector may talk only to each other, both ways
   * (the guide's `restrict-intern-access`: interns only reach interns).
   *
   * @param scope the construct scope
   * @param id the construct id
   * @param options service-account selector and common options
   */
  public static restrictToServiceAccountGroup(scope: Construct, id: string, options: RestrictToServiceAccountGroupOptions): NetworkPolicy {
    const where = `ServiceAccountPolicy.restrictToServiceAccountGroup() "${id}"`;
    checkSelector(where, 'serviceAccountSelector', options?.serviceAccountSelector);
    const group = { serviceAccounts: { selector: options.serviceAccountSelector } };
    return new NetworkPolicy(scope, id, {
      ...common(options),
      serviceAccountSelector: options.serviceAccountSelector,
      ingress: [{ action: RuleAction.ALLOW, source: group }],
      egress: [{ action: RuleAction.ALLOW, destination: group }],
    });
  }

  private constructor() {}
}

function checkSelector(where: string, field: string, selector: Selector | undefined): void {
  if (!(selector instanceof Selector)) {
    fail(where, field, `${selector === undefined ? 'is required' : `${JSON.stringify(selector)} is not a Selector`}; build one with Selector.label('app').eq('db')`);
  }
}

function common(options: ServiceAccountPolicyOptions): { metadata: { name?: string; namespace?: string }; tier?: ITier; order?: number } {
  const metadata: { name?: string; namespace?: string } = {};
  if (options.name !== undefined) metadata.name = options.name;
  if (options.namespace !== undefined) metadata.namespace = options.namespace;
  return { metadata, tier: options.tier, order: options.order };
}
