import { Port } from './port';
import { Protocol } from './protocol';
import { Selector } from '../selector';

/** What a rule does with the traffic it matches. */
export enum RuleAction {
  /** Allow the traffic. */
  ALLOW = 'Allow',
  /** Drop the traffic. */
  DENY = 'Deny',
  /** Log the traffic and continue with the next rule. */
  LOG = 'Log',
  /** Skip the rest of this tier and continue with the next tier. */
  PASS = 'Pass',
}

/** A direction of traffic that a policy applies to (`spec.types`). */
export enum PolicyType {
  /** Traffic arriving at the selected endpoints. */
  INGRESS = 'Ingress',
  /** Traffic leaving the selected endpoints. */
  EGRESS = 'Egress',
}

/** An IP version that a rule is restricted to. */
export enum IpVersion {
  /** IPv4 only. */
  V4 = 4,
  /** IPv6 only. */
  V6 = 6,
}

/**
 * Match on the Kubernetes service account of the pod at one end of the connection.
 * If both `names` and `selector` are given, both must match.
 */
export interface ServiceAccountMatch {
  /**
   * Service account names (in the namespace of the pod) to match.
   *
   * @default - any name
   */
  readonly names?: string[];

  /**
   * A selector over the labels of the service account.
   *
   * @default - any labels
   */
  readonly selector?: Selector;
}

/**
 * Match on the endpoints of a Kubernetes Service. Only allowed as the `destination` of an egress
 * rule or the `source` of an ingress rule, and not together with selectors, nets or service
 * accounts on the same side.
 */
export interface ServiceMatch {
  /** The name of the Service. */
  readonly name: string;

  /**
   * The namespace of the Service. Required in a GlobalNetworkPolicy.
   *
   * @default - the namespace of the NetworkPolicy
   */
  readonly namespace?: string;
}

/** Match on an ICMP type and, optionally, code. The rule's protocol must be ICMP or ICMPv6. */
export interface IcmpMatch {
  /**
   * The ICMP type, 0-254 (e.g. 8 for Echo Request).
   *
   * @default - any type
   */
  readonly type?: number;

  /**
   * The ICMP code, 0-255. Needs `type`.
   *
   * @default - any code
   */
  readonly code?: number;
}

/** One HTTP path to match: exactly one of `exact` and `prefix`. */
export interface HttpPathMatch {
  /**
   * The path must equal this value.
   *
   * @default - not an exact match
   */
  readonly exact?: string;

  /**
   * The path must start with this value.
   *
   * @default - not a prefix match
   */
  readonly prefix?: string;
}

/**
 * Match on HTTP requests (application layer policy). Only allowed on ingress rules with action
 * Allow and protocol TCP or unset.
 */
export interface HttpMatch {
  /**
   * HTTP methods (e.g. `GET`), any of which matches. At most 20, no duplicates.
   *
   * @default - any method
   */
  readonly methods?: string[];

  /**
   * HTTP paths, any of which matches. At most 20.
   *
   * @default - any path
   */
  readonly paths?: HttpPathMatch[];
}

/**
 * The match criteria for one end of a connection (the `source` or `destination` of a rule).
 * All given criteria must match.
 */
export interface EntityRule {
  /**
   * CIDRs, any of which contains the address. Each must be correctly masked (`10.0.0.0/8`, not
   * `10.0.0.1/8`), and one rule cannot mix IPv4 and IPv6.
   *
   * @default - any address
   */
  readonly nets?: string[];

  /**
   * CIDRs, none of which may contain the address (never `0.0.0.0/0` or `::/0`, which would
   * exclude every address).
   *
   * @default - no address excluded
   */
  readonly notNets?: string[];

  /**
   * The endpoints (pods, host endpoints, network sets) whose labels match.
   *
   * @default - any endpoint
   */
  readonly selector?: Selector;

  /**
   * Endpoints whose labels must not match.
   *
   * @default - no endpoint excluded
   */
  readonly notSelector?: Selector;

  /**
   * The namespaces (by namespace labels) in which `selector` picks endpoints. `Selector.global()`
   * alone picks non-namespaced resources (global network sets, host endpoints).
   *
   * @default - in a NetworkPolicy: the policy's namespace; in a GlobalNetworkPolicy: all namespaces
   */
  readonly namespaceSelector?: Selector;

  /**
   * Ports, any of which matches. Numeric ports need the rule's protocol to be TCP, UDP or SCTP,
   * which is inferred from ports made with a protocol (`Port.tcp(443)`); a rule whose ports are
   * all named needs no protocol. An empty list is no constraint.
   *
   * @default - any port
   */
  readonly ports?: Port[];

  /**
   * Ports that must not match (as `ports`, for the protocol).
   *
   * @default - no port excluded
   */
  readonly notPorts?: Port[];

  /**
   * The service account of the pod.
   *
   * @default - any service account
   */
  readonly serviceAccounts?: ServiceAccountMatch;

  /**
   * The endpoints of a Kubernetes Service.
   *
   * @default - not restricted to a service
   */
  readonly services?: ServiceMatch;
}

/**
 * One rule of a Calico policy: match criteria and an action. All given criteria must match
 * for the action to apply.
 */
export interface Rule {
  /** What to do with matching traffic. */
  readonly action: RuleAction;

  /**
   * The IP protocol. Inferred from the rule's ports when they carry one (`Port.tcp(443)`).
   *
   * @default - any protocol, or the protocol of the rule's ports
   */
  readonly protocol?: Protocol;

  /**
   * A protocol that must not match.
   *
   * @default - no protocol excluded
   */
  readonly notProtocol?: Protocol;

  /**
   * ICMP type/code to match; needs protocol ICMP or ICMPv6.
   *
   * @default - any ICMP type and code
   */
  readonly icmp?: IcmpMatch;

  /**
   * ICMP type/code that must not match; needs protocol ICMP or ICMPv6.
   *
   * @default - no ICMP type excluded
   */
  readonly notIcmp?: IcmpMatch;

  /**
   * Restrict the rule to IPv4 or IPv6 traffic.
   *
   * @default - both
   */
  readonly ipVersion?: IpVersion;

  /**
   * Where the traffic comes from.
   *
   * @default - anywhere
   */
  readonly source?: EntityRule;

  /**
   * Where the traffic goes to.
   *
   * @default - anywhere
   */
  readonly destination?: EntityRule;

  /**
   * HTTP request match (ingress Allow rules only).
   *
   * @default - no HTTP match
   */
  readonly http?: HttpMatch;

  /**
   * Annotations of the rule (`metadata.annotations` of the rule), e.g. a description.
   *
   * @default - none
   */
  readonly metadata?: { [key: string]: string };
}
