import { Construct } from 'constructs';
import { controlOrderErrors, SECURITY_CONTROL_ORDER } from './security-controls';
import { SecurityTeam } from './security-team';
import { DEFAULT_TIER } from '../core/calico';
import { fail } from '../core/errors';
import { NetworkPolicy } from '../policy/network-policy';
import { EntityRule, Rule, RuleAction } from '../policy/rule';
import { ITier, Tier } from '../policy/tier';
import { resolveTier } from '../policy/tier-resolution';
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
   * The security team: the policy goes into its tier (unless `tier` is given), as a control
   * the development teams can neither delete nor pre-empt.
   *
   * @default - none
   */
  readonly securityTeam?: SecurityTeam;

  /**
   * The tier. In the `default` tier the policy is the guide's object (Allow rules), which any
   * team that may write Calico policies in the namespace can delete, or pre-empt with a policy
   * of a lower order. In a tier before `default` (the security team's) it is a control: Pass
   * rules for what it lets through, then Deny for everything else of its direction.
   *
   * @default - the security team's tier, else Tier.DEFAULT (`restrictToServiceAccountGroup()`
   *   has no default: give `securityTeam` or `tier`)
   */
  readonly tier?: ITier;

  /**
   * The order within the tier.
   *
   * @default - none in the default tier; 5000 in another tier (after the baseline's allowances,
   *   before its Pass to the next tier)
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
 *
 * Placed in the security team's tier (`securityTeam` or `tier`), a policy becomes a control that
 * holds against the development teams: Pass rules for what it lets through (the teams' policies
 * still decide those flows), then a Deny rule for everything else in its direction, which no
 * policy of the `default` tier can undo. Each such policy is a complete restriction: two
 * controls on the same pods do not add up (the first one's Deny ends the evaluation), so list
 * every allowed account in one. The guide's `restrict-intern-access` is a control by nature:
 * `restrictToServiceAccountGroup()` asks where it goes.
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
    return create(scope, id, where, options, false, {
      selector: options.selector,
      ingress: [{ source: { serviceAccounts: { names: [...options.names] } } }],
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
    return create(scope, id, where, options, false, {
      selector: options.selector,
      ingress: [{ source: { serviceAccounts: { selector: options.serviceAccountSelector } } }],
    });
  }

  /**
   * Pods whose service account matches the selector may talk only to each other, both ways
   * (the guide's `restrict-intern-access`: interns only reach interns). A control: give
   * `securityTeam` (or `tier: securityTeam.tier`) so that the teams cannot undo it, or
   * `tier: Tier.DEFAULT` for the guide's object, which a team with Calico rights in the
   * namespace can delete or pre-empt.
   *
   * @param scope the construct scope
   * @param id the construct id
   * @param options service-account selector and common options
   */
  public static restrictToServiceAccountGroup(scope: Construct, id: string, options: RestrictToServiceAccountGroupOptions): NetworkPolicy {
    const where = `ServiceAccountPolicy.restrictToServiceAccountGroup() "${id}"`;
    checkSelector(where, 'serviceAccountSelector', options?.serviceAccountSelector);
    const group = { serviceAccounts: { selector: options.serviceAccountSelector } };
    return create(scope, id, where, options, true, {
      serviceAccountSelector: options.serviceAccountSelector,
      ingress: [{ source: group }],
      egress: [{ destination: group }],
    });
  }

  private constructor() {}
}

function checkSelector(where: string, field: string, selector: Selector | undefined): void {
  if (!(selector instanceof Selector)) {
    fail(where, field, `${selector === undefined ? 'is required' : `${JSON.stringify(selector)} is not a Selector`}; build one with Selector.label('app').eq('db')`);
  }
}

/** The rules of a policy, without their action. */
interface PolicyShape {
  readonly selector?: Selector;
  readonly serviceAccountSelector?: Selector;
  readonly ingress: { readonly source?: EntityRule }[];
  readonly egress?: { readonly destination?: EntityRule }[];
}

/**
 * The policy: Allow rules in the `default` tier (the guide's object); in another tier a
 * control, Pass rules then a final Deny per direction, ordered after the baseline's allowances.
 */
function create(
  scope: Construct,
  id: string,
  where: string,
  options: ServiceAccountPolicyOptions,
  isControl: boolean,
  shape: PolicyShape,
): NetworkPolicy {
  if (options.securityTeam !== undefined && !(options.securityTeam instanceof SecurityTeam)) {
    fail(where, 'securityTeam', 'must be a SecurityTeam construct');
  }
  const given = options.tier ?? options.securityTeam?.tier;
  if (given === undefined && isControl) {
    fail(
      where,
      'tier',
      'this policy is a control: give securityTeam (or tier: securityTeam.tier) so that the development teams cannot delete or pre-empt it, ' +
        'or tier: Tier.DEFAULT for the guide\'s object in the default tier, which any team with Calico rights in the namespace can undo',
    );
  }
  const tier = resolveTier(where, 'tier', given ?? Tier.DEFAULT);
  const inDefaultTier = tier.tierName === DEFAULT_TIER;
  const action = inDefaultTier ? RuleAction.ALLOW : RuleAction.PASS;
  const closing: Rule[] = inDefaultTier ? [] : [{ action: RuleAction.DENY }];
  const order = options.order ?? (inDefaultTier ? undefined : SECURITY_CONTROL_ORDER);
  const metadata: { name?: string; namespace?: string } = {};
  if (options.name !== undefined) metadata.name = options.name;
  if (options.namespace !== undefined) metadata.namespace = options.namespace;
  const policy = new NetworkPolicy(scope, id, {
    metadata,
    tier,
    order,
    selector: shape.selector,
    serviceAccountSelector: shape.serviceAccountSelector,
    ingress: [...shape.ingress.map((rule): Rule => ({ action, source: rule.source })), ...closing],
    egress: shape.egress === undefined ? undefined : [...shape.egress.map((rule): Rule => ({ action, destination: rule.destination })), ...closing],
  });
  if (!inDefaultTier) {
    policy.node.addValidation({ validate: () => controlOrderErrors(policy, `${where} (${policy.name})`, tier.tierName, order!) });
  }
  return policy;
}
