/**
 * Calico rule validation, the one home of it: the construct layer checks every rule it renders
 * with it, and the network model reads every rule of a manifest with it, so both refuse the same
 * rules with the same reason.
 *
 * It reads a rule as it appears in a manifest (`spec.ingress[i]` / `spec.egress[i]` of a Calico
 * policy) and returns either the rule's facts (protocols, ports, networks, ICMP, ip version) or the
 * first problem with the field (relative to the rule, e.g. `destination.ports[0]`) and a sentence
 * saying what was wrong and what would be right. Selectors are returned as written: the selector
 * layer parses them.
 *
 * Empty lists (`nets: []`, `ports: []`, …) are no constraint, as in Felix.
 *
 * Internal module: not part of the jsii API.
 */
// Calico: libcalico-go/lib/validator/v3/validator.go validateRule, validateEntityRule, validateICMPFields,
// validateNetworkPolicySpec (services by direction, HTTP only in ingress); felix/rules/policy.go (empty lists)
import { Cidr, parseCidr, ruleNetProblem } from './cidr';
import { describeValue } from './errors';
import { isDns1123Subdomain } from './names';
import { allPortsNamed, parseCalicoPort, PortMatch } from './ports';
import { ICMP, ICMPV6, parseCalicoProtocol, protocolName, supportsPorts, TCP } from './protocol';

/** The actions of a Calico rule. */
// Calico: validator.go actionRegex ^(Allow|Deny|Log|Pass)$
export const RULE_ACTIONS: readonly string[] = ['Allow', 'Deny', 'Log', 'Pass'];

/** The direction of a rule: which list of the policy holds it. */
export type RuleDirection = 'ingress' | 'egress';

/** A problem with a rule: the field (relative to the rule) and what was wrong. */
export interface RuleProblem {
  /** The field, relative to the rule, e.g. `destination.ports[0]` (empty for the rule itself). */
  readonly field: string;
  /** What was wrong and what would be right. */
  readonly problem: string;
}

/** ICMP type and code of a rule. */
export interface IcmpFields {
  /** The ICMP type (0-254). */
  readonly type?: number;
  /** The ICMP code (0-255); only with a type. */
  readonly code?: number;
}

/** A service named by a rule (`services`). */
export interface ServiceRef {
  /** The service name. */
  readonly name: string;
  /** The service namespace; absent means the policy's own namespace. */
  readonly namespace?: string;
}

/** The facts of a rule side (`source` or `destination`). */
export interface EntityFacts {
  /** `nets` (absent when not given or empty). */
  readonly nets?: readonly Cidr[];
  /** `notNets` (absent when not given or empty). */
  readonly notNets?: readonly Cidr[];
  /** `ports` (absent when not given or empty). */
  readonly ports?: readonly PortMatch[];
  /** `notPorts` (absent when not given or empty). */
  readonly notPorts?: readonly PortMatch[];
  /** `selector` as written (absent when not given or empty). */
  readonly selector?: string;
  /** `notSelector` as written. */
  readonly notSelector?: string;
  /** `namespaceSelector` as written. */
  readonly namespaceSelector?: string;
  /** `serviceAccounts`, when given. */
  readonly serviceAccounts?: { readonly names?: readonly string[]; readonly selector?: string };
  /** `services`, when given. */
  readonly services?: ServiceRef;
}

/** The facts of a valid Calico rule. */
export interface RuleFacts {
  /** Allow, Deny, Log or Pass. */
  readonly action: 'Allow' | 'Deny' | 'Log' | 'Pass';
  /** The protocol number, when the rule has one. */
  readonly protocol?: number;
  /** The excluded protocol number. */
  readonly notProtocol?: number;
  /** `icmp`. */
  readonly icmp?: IcmpFields;
  /** `notICMP`. */
  readonly notIcmp?: IcmpFields;
  /** `ipVersion` as written. */
  readonly ipVersion?: 4 | 6;
  /**
   * The IP family the rule is limited to: `ipVersion`, else the family of its CIDRs, else that of
   * an ICMP/ICMPv6 protocol; absent for rules of both families.
   */
  readonly family?: 4 | 6;
  /** Whether the rule has an HTTP match. */
  readonly http: boolean;
  /** The source side. */
  readonly source: EntityFacts;
  /** The destination side. */
  readonly destination: EntityFacts;
}

/** What a rule is read in: which kind of policy holds it. */
export interface RuleReadOptions {
  /** Whether the rule is in a global policy (GlobalNetworkPolicy or its staged kind). */
  readonly global?: boolean;
}

/** Most HTTP methods, or paths, in one HTTP match. */
// Calico: api/pkg/apis/projectcalico/v3/policy_common.go HTTPMatch (+kubebuilder:validation:MaxItems=20)
export const MAX_HTTP_ITEMS = 20;

/** Longest HTTP path Calico accepts. */
// Calico: api/pkg/apis/projectcalico/v3/policy_common.go HTTPPath (+kubebuilder:validation:MaxLength=1024)
export const MAX_HTTP_PATH_LENGTH = 1024;

/**
 * The problem with a policy's own `selector` or `serviceAccountSelector` text, or undefined:
 * Calico refuses `global()` there (it only has a meaning as a rule's whole namespaceSelector).
 */
// Calico: validator.go validateNetworkPolicySpec / validateGlobalNetworkPolicySpec (globalSelectorEntRule, on the text)
export function policySelectorProblem(text: string | undefined): string | undefined {
  if (text !== undefined && text.includes('global()')) {
    return 'global() can only be used in a rule namespaceSelector, not in a policy selector';
  }
  return undefined;
}

/** The result of reading a rule: its facts, or the first problem. */
export type RuleRead = { readonly rule: RuleFacts } | { readonly problem: RuleProblem };

class Problem {
  constructor(public readonly field: string, public readonly problem: string) {}
}

function problemAt(field: string, problem: string): never {
  throw new Problem(field, problem);
}

function isPlainObject(value: any): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optional(value: any): boolean {
  return value === undefined || value === null;
}

function optList(parent: any, key: string, field: string): any[] | undefined {
  const value = parent[key];
  if (optional(value)) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    problemAt(field, `expected a list, got ${describeValue(value)}`);
  }
  return value.length === 0 ? undefined : value;
}

function optText(parent: any, key: string, field: string): string | undefined {
  const value = parent[key];
  if (optional(value)) {
    return undefined;
  }
  if (typeof value !== 'string') {
    problemAt(field, `expected a string, got ${describeValue(value)}`);
  }
  return value === '' ? undefined : value;
}

function readNets(parent: any, key: string, field: string): Cidr[] | undefined {
  const list = optList(parent, key, field);
  return list?.map((text, i) => {
    const problem = ruleNetProblem(text);
    if (problem) {
      problemAt(`${field}[${i}]`, problem);
    }
    return parseCidr(text) as Cidr;
  });
}

function readPorts(parent: any, key: string, field: string): PortMatch[] | undefined {
  const list = optList(parent, key, field);
  return list?.map((value, i) => {
    const read = parseCalicoPort(value);
    if ('problem' in read) {
      problemAt(`${field}[${i}]`, read.problem);
    }
    return read.port;
  });
}

function readIcmp(raw: any, key: string, field: string): IcmpFields | undefined {
  const value = raw[key];
  if (optional(value)) {
    return undefined;
  }
  if (!isPlainObject(value)) {
    problemAt(field, `expected an object with type and code, got ${describeValue(value)}`);
  }
  const out: { type?: number; code?: number } = {};
  for (const [part, max] of [['type', 254], ['code', 255]] as const) {
    const v = value[part];
    if (optional(v)) {
      continue;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
      problemAt(`${field}.${part}`, `ICMP ${part} ${describeValue(v)} is out of range; use an integer from 0 to ${max}`);
    }
    out[part] = v;
  }
  // Calico: validator.go validateICMPFields
  if (out.code !== undefined && out.type === undefined) {
    problemAt(`${field}.code`, 'ICMP code specified without an ICMP type; add type');
  }
  return out;
}

function readEntity(raw: any, field: string): EntityFacts {
  if (optional(raw)) {
    return {};
  }
  if (!isPlainObject(raw)) {
    problemAt(field, `expected an object (selector, nets, ports, …), got ${describeValue(raw)}`);
  }
  const f = (k: string) => (field ? `${field}.${k}` : k);
  const selector = optText(raw, 'selector', f('selector'));
  const notSelector = optText(raw, 'notSelector', f('notSelector'));
  const namespaceSelector = optText(raw, 'namespaceSelector', f('namespaceSelector'));
  // Calico: validator.go validateEntityRule (globalSelectorEntRule: checked on the text of selector)
  if (selector !== undefined && selector.includes('global()')) {
    problemAt(f('selector'), 'global() can only be used in a rule namespaceSelector, not in a selector; write namespaceSelector: global() instead');
  }
  // Calico: validator.go validateEntityRule (globalSelectorOnly: global() must be the whole namespaceSelector)
  if (namespaceSelector !== undefined && namespaceSelector.includes('global(') && namespaceSelector.replace(/[ \t]/g, '') !== 'global()') {
    problemAt(f('namespaceSelector'), `"${namespaceSelector}" combines global() with other terms; use namespaceSelector: global() alone`);
  }
  let serviceAccounts: EntityFacts['serviceAccounts'];
  if (!optional(raw.serviceAccounts)) {
    if (!isPlainObject(raw.serviceAccounts)) {
      problemAt(f('serviceAccounts'), `expected an object with names and/or selector, got ${describeValue(raw.serviceAccounts)}`);
    }
    const names = optList(raw.serviceAccounts, 'names', f('serviceAccounts.names'));
    names?.forEach((n, i) => {
      if (typeof n !== 'string' || n === '') {
        problemAt(f(`serviceAccounts.names[${i}]`), `expected a service account name, got ${describeValue(n)}`);
      }
    });
    serviceAccounts = { names, selector: optText(raw.serviceAccounts, 'selector', f('serviceAccounts.selector')) };
  }
  const nets = readNets(raw, 'nets', f('nets'));
  const notNets = readNets(raw, 'notNets', f('notNets'));
  // Calico: validator.go validateRule scanNets (a catch-all CIDR in a negation matches no traffic)
  notNets?.forEach((cidr, i) => {
    if (cidr.prefix === 0) {
      problemAt(f(`notNets[${i}]`), `"${cidr.text}" in notNets excludes every address, so the rule could never match; remove it, or drop the rule`);
    }
  });
  const ports = readPorts(raw, 'ports', f('ports'));
  const notPorts = readPorts(raw, 'notPorts', f('notPorts'));
  let services: ServiceRef | undefined;
  if (!optional(raw.services)) {
    if (!isPlainObject(raw.services)) {
      problemAt(f('services'), `expected an object with name and namespace, got ${describeValue(raw.services)}`);
    }
    const name = optText(raw.services, 'name', f('services.name'));
    // Calico: validator.go validateEntityRule (services)
    if (name === undefined) {
      problemAt(f('services.name'), 'missing: a services match needs the name of a Kubernetes Service');
    }
    if (namespaceSelector !== undefined) {
      problemAt(f('services'), 'cannot specify namespaceSelector and services on the same rule side');
    }
    if (selector !== undefined || notSelector !== undefined) {
      problemAt(f('services'), 'cannot specify selector/notSelector and services on the same rule side');
    }
    if (serviceAccounts !== undefined) {
      problemAt(f('services'), 'cannot specify serviceAccounts and services on the same rule side');
    }
    if (nets !== undefined || notNets !== undefined) {
      problemAt(f('services'), 'cannot specify nets/notNets and services on the same rule side: the service defines the addresses');
    }
    // Calico: policy_common.go ServiceMatch (validate:"name": a DNS-1123 subdomain)
    if (!isDns1123Subdomain(name)) {
      problemAt(f('services.name'), `"${name}" is not a valid service name: use a DNS-1123 subdomain (lower-case letters, digits, '-' and '.')`);
    }
    const namespace = optText(raw.services, 'namespace', f('services.namespace'));
    if (namespace !== undefined && !isDns1123Subdomain(namespace)) {
      problemAt(f('services.namespace'), `"${namespace}" is not a valid namespace name: use lower-case letters, digits and '-'`);
    }
    services = { name, namespace };
  }
  return { selector, notSelector, namespaceSelector, serviceAccounts, nets, notNets, ports, notPorts, services };
}

/** Checks an HTTP match. */
// Calico: validator.go validateHTTPMethods, validateHTTPPaths; policy_common.go HTTPMatch/HTTPPath limits
function readHttp(http: any): void {
  const methods = optional(http.methods) ? [] : http.methods;
  if (!Array.isArray(methods)) {
    problemAt('http.methods', `expected a list of HTTP methods such as ["GET"], got ${describeValue(methods)}`);
  }
  if (methods.length > MAX_HTTP_ITEMS) {
    problemAt('http.methods', `has ${methods.length} methods; Calico accepts at most ${MAX_HTTP_ITEMS}`);
  }
  const seen = new Set<string>();
  methods.forEach((method: any, i: number) => {
    if (typeof method !== 'string' || method.length === 0) {
      problemAt(`http.methods[${i}]`, `an HTTP method must be a non-empty string such as "GET", got ${describeValue(method)}`);
    }
    if (seen.has(method)) {
      problemAt(`http.methods[${i}]`, `"${method}" is listed twice; remove the duplicate`);
    }
    seen.add(method);
  });
  const paths = optional(http.paths) ? [] : http.paths;
  if (!Array.isArray(paths)) {
    problemAt('http.paths', `expected a list of paths such as [{ prefix: "/api" }], got ${describeValue(paths)}`);
  }
  if (paths.length > MAX_HTTP_ITEMS) {
    problemAt('http.paths', `has ${paths.length} paths; Calico accepts at most ${MAX_HTTP_ITEMS}`);
  }
  paths.forEach((path: any, i: number) => {
    const field = `http.paths[${i}]`;
    if (!isPlainObject(path)) {
      problemAt(field, `expected { exact } or { prefix }, got ${describeValue(path)}`);
    }
    const hasExact = !optional(path.exact) && path.exact !== '';
    const hasPrefix = !optional(path.prefix) && path.prefix !== '';
    if (hasExact === hasPrefix) {
      problemAt(field, hasExact ? 'set either exact or prefix, not both' : 'set exact or prefix (e.g. { prefix: "/api" })');
    }
    const value = hasExact ? path.exact : path.prefix;
    if (typeof value !== 'string' || !value.startsWith('/') || /[? #]/.test(value)) {
      problemAt(field, `${describeValue(value)} is not a valid path: it must start with '/' and contain no '?', '#' or spaces`);
    }
    if (value.length > MAX_HTTP_PATH_LENGTH) {
      problemAt(field, `the path is ${value.length} characters long; Calico accepts at most ${MAX_HTTP_PATH_LENGTH}`);
    }
  });
}

/** A rule protocol: its number, and its name when it was written as one (`TCP`, not `6`). */
interface RuleProtocol {
  readonly protocol: number;
  readonly name?: string;
}

function readProtocol(raw: any, key: string): RuleProtocol | undefined {
  const value = raw[key];
  if (optional(value)) {
    return undefined;
  }
  const read = parseCalicoProtocol(value);
  if ('problem' in read) {
    problemAt(key, read.problem);
  }
  // A number, or a string of digits, is a numeric protocol (numorstring Uint8OrString.UnmarshalJSON).
  const numeric = typeof value === 'number' || /^[0-9]+$/.test(value);
  return { protocol: read.protocol, name: numeric ? undefined : value };
}

function readRule(raw: any, direction: RuleDirection, options: RuleReadOptions): RuleFacts {
  if (!isPlainObject(raw)) {
    problemAt('', `expected a rule object with an action, got ${describeValue(raw)}`);
  }
  const action = raw.action;
  if (!RULE_ACTIONS.includes(action)) {
    problemAt('action', `${describeValue(action)} is not a rule action; use one of ${RULE_ACTIONS.join(', ')} (case-sensitive)`);
  }
  const protocolRead = readProtocol(raw, 'protocol');
  const notProtocolRead = readProtocol(raw, 'notProtocol');
  const protocol = protocolRead?.protocol;
  const notProtocol = notProtocolRead?.protocol;
  // Calico compares the protocol with ProtocolFromString("ICMP"/"ICMPv6"/"TCP") as whole values, so
  // these checks hold for protocols written by name only: protocol 1 is not "ICMP" to the validator.
  // Calico: validator.go validateRule
  const protocolName_ = protocolRead?.name;
  const notProtocolName = notProtocolRead?.name;
  let ipVersion: 4 | 6 | undefined;
  if (!optional(raw.ipVersion)) {
    if (raw.ipVersion !== 4 && raw.ipVersion !== 6) {
      problemAt('ipVersion', `${describeValue(raw.ipVersion)} is not an IP version; use 4 or 6`);
    }
    ipVersion = raw.ipVersion;
  }
  const icmp = readIcmp(raw, 'icmp', 'icmp');
  const notIcmp = readIcmp(raw, 'notICMP', 'notICMP');
  if (icmp !== undefined && protocolName_ !== 'ICMP' && protocolName_ !== 'ICMPv6') {
    problemAt('icmp', protocol === ICMP || protocol === ICMPV6
      ? `rules that specify ICMP fields must set protocol to ICMP or ICMPv6 by name; Calico does not take the number ${protocol} for it`
      : 'rules that specify ICMP fields must set protocol to ICMP or ICMPv6');
  }
  for (const [p, name] of [[protocolName_, 'protocol'], [notProtocolName, 'notProtocol']] as const) {
    if (p === 'ICMP' && ipVersion !== undefined && ipVersion !== 4) {
      problemAt('ipVersion', `${name} ICMP needs ipVersion 4 (use ICMPv6 for IPv6)`);
    }
    if (p === 'ICMPv6' && ipVersion !== undefined && ipVersion !== 6) {
      problemAt('ipVersion', `${name} ICMPv6 needs ipVersion 6 (use ICMP for IPv4)`);
    }
  }
  const http = !optional(raw.http);
  if (http) {
    if (!isPlainObject(raw.http)) {
      problemAt('http', `expected an object with methods and/or paths, got ${describeValue(raw.http)}`);
    }
    if (direction === 'egress') {
      problemAt('http', 'HTTP match is not allowed in egress rules');
    }
    if (action !== 'Allow') {
      problemAt('http', 'HTTP match is only valid on Allow rules');
    }
    if (protocolRead !== undefined && protocolName_ !== 'TCP') {
      problemAt('protocol', protocol === TCP
        ? 'rules that specify HTTP fields must set protocol to TCP by name or leave it out; Calico does not take the number 6 for it'
        : 'rules that specify HTTP fields must set protocol to TCP or leave it out');
    }
    readHttp(raw.http);
  }
  const source = readEntity(raw.source, 'source');
  const destination = readEntity(raw.destination, 'destination');
  if (direction === 'egress' && source.services !== undefined) {
    problemAt('source.services', 'services are not allowed in the source of an egress rule; name the service in the destination');
  }
  if (direction === 'ingress' && destination.services !== undefined) {
    problemAt('destination.services', 'services are not allowed in the destination of an ingress rule; name the service in the source');
  }
  // Calico: validator.go validateGlobalNetworkPolicySpec ("must specify a namespace")
  const named = direction === 'egress' ? destination.services : source.services;
  if (options.global && named !== undefined && named.namespace === undefined) {
    problemAt(`${direction === 'egress' ? 'destination' : 'source'}.services.namespace`, 'a global policy must name the namespace of the Service; set services.namespace');
  }
  for (const [side, entity] of [['source', source], ['destination', destination]] as const) {
    for (const key of ['ports', 'notPorts'] as const) {
      const list = entity[key];
      if (list === undefined) {
        continue;
      }
      if (protocol === undefined) {
        // Calico: validator.go validateRule (numeric ports need a protocol; named ports do not)
        if (!allPortsNamed(list)) {
          problemAt(`${side}.${key}`, 'rules with a numeric port or port range must set protocol to TCP, UDP or SCTP');
        }
      } else if (!supportsPorts(protocol)) {
        problemAt(`${side}.${key}`, `protocol ${protocolName(protocol)} does not support ports; set protocol to TCP, UDP or SCTP`);
      }
    }
  }
  // Calico: validator.go validateRule ("cannot specify ports with a service selector")
  if (destination.services !== undefined && (destination.ports !== undefined || destination.notPorts !== undefined)) {
    problemAt(`destination.${destination.ports !== undefined ? 'ports' : 'notPorts'}`, 'ports and notPorts cannot be specified with services: the service defines the ports');
  }
  let netFamily: 4 | 6 | undefined;
  for (const [name, list] of [['source.nets', source.nets], ['source.notNets', source.notNets], ['destination.nets', destination.nets], ['destination.notNets', destination.notNets]] as const) {
    for (const cidr of list ?? []) {
      if (ipVersion !== undefined && cidr.version !== ipVersion) {
        problemAt(name, `ipVersion ${ipVersion} does not match the IPv${cidr.version} CIDR "${cidr.text}"`);
      }
      if (netFamily !== undefined && cidr.version !== netFamily) {
        problemAt(name, 'the rule mixes IPv4 and IPv6 CIDRs; Calico needs one IP version per rule, so split it into two rules');
      }
      netFamily = cidr.version;
    }
  }
  let family = ipVersion ?? netFamily;
  if (family === undefined && protocol === ICMP) {
    family = 4;
  } else if (family === undefined && protocol === ICMPV6) {
    family = 6;
  }
  return { action, protocol, notProtocol, icmp, notIcmp, ipVersion, family, http, source, destination };
}

/**
 * Reads a Calico rule (as in a manifest) in `direction` of a policy (global or namespaced): its
 * facts, or the first problem with the field relative to the rule.
 */
export function readCalicoRule(raw: any, direction: RuleDirection, options: RuleReadOptions = {}): RuleRead {
  try {
    return { rule: readRule(raw, direction, options) };
  } catch (e) {
    if (e instanceof Problem) {
      return { problem: { field: e.field, problem: e.problem } };
    }
    throw e;
  }
}
