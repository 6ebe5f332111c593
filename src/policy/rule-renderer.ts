/**
 * Checks a `Rule` the way Calico's API validation does and turns it into the shape of the
 * generated Calico rule types (`calico.NetworkPolicySpecIngress` and its siblings, which all
 * share one structure).
 *
 * This module is internal: it is not re-exported by the `policy` barrel.
 */
import { Port } from './port';
import { Protocol } from './protocol';
import { EntityRule, HttpMatch, IcmpMatch, IpVersion, PolicyType, Rule, RuleAction, ServiceAccountMatch } from './rule';
import { checkAnnotations, checkCidr, checkDnsLabel, checkDnsSubdomain, fail, joinField, portNameProblem } from './validation';
import * as calico from '../imports';
import { Selector } from '../selector';

/** Most ports Calico accepts in one `ports` or `notPorts` list. */
export const MAX_PORTS_PER_LIST = 50;

/** Most HTTP methods or paths in one HTTP match. */
export const MAX_HTTP_ITEMS = 20;

/** Longest HTTP path Calico accepts. */
export const MAX_HTTP_PATH_LENGTH = 1024;

/** A number-or-string value as the generated types carry it (all generated union classes share this shape). */
export type UnionValue = calico.NetworkPolicySpecIngressProtocol;

/** A rendered `source` / `destination`. */
export interface RenderedEntityRule {
  readonly nets?: string[];
  readonly notNets?: string[];
  readonly selector?: string;
  readonly notSelector?: string;
  readonly namespaceSelector?: string;
  readonly ports?: UnionValue[];
  readonly notPorts?: UnionValue[];
  readonly serviceAccounts?: { readonly names?: string[]; readonly selector?: string };
  readonly services?: { readonly name: string; readonly namespace?: string };
}

/** A rendered rule, in the property names of the generated types (`notIcmp`, not `notICMP`). */
export interface RenderedRule {
  readonly action: RuleAction;
  readonly ipVersion?: IpVersion;
  readonly protocol?: UnionValue;
  readonly notProtocol?: UnionValue;
  readonly icmp?: { readonly type?: number; readonly code?: number };
  readonly notIcmp?: { readonly type?: number; readonly code?: number };
  readonly source?: RenderedEntityRule;
  readonly destination?: RenderedEntityRule;
  readonly http?: { readonly methods?: string[]; readonly paths?: { readonly exact?: string; readonly prefix?: string }[] };
  readonly metadata?: { readonly annotations: { [key: string]: string } };
}

/** Where a rule sits: who owns it, its field path, its direction, and the policy scope. */
export interface RuleContext {
  /** The owning construct, as `describeConstruct()` names it. */
  readonly owner: string;
  /** The rule's field path, e.g. `ingress[0]`. */
  readonly field: string;
  /** Ingress or egress. */
  readonly direction: PolicyType;
  /** Whether the rule belongs to a cluster-scoped (global) policy. */
  readonly global: boolean;
}

interface PortRef {
  readonly port: Port;
  readonly field: string;
}

const ACTIONS: readonly string[] = Object.values(RuleAction);

/**
 * Validates `rule` in `ctx` and renders it. Throws on the first problem, naming the owner and
 * the field.
 */
export function renderRule(rule: Rule, ctx: RuleContext): RenderedRule {
  const { owner, field } = ctx;
  if (rule === null || typeof rule !== 'object') {
    fail(owner, field, `a rule must be an object with at least an action, got ${JSON.stringify(rule)}`);
  }
  if (!ACTIONS.includes(rule.action)) {
    fail(owner, joinField(field, 'action'), `${JSON.stringify(rule.action)} is not a rule action; use RuleAction.ALLOW, DENY, LOG or PASS`);
  }
  checkProtocolObject(owner, joinField(field, 'protocol'), rule.protocol);
  checkProtocolObject(owner, joinField(field, 'notProtocol'), rule.notProtocol);
  if (rule.ipVersion !== undefined && rule.ipVersion !== IpVersion.V4 && rule.ipVersion !== IpVersion.V6) {
    fail(owner, joinField(field, 'ipVersion'), `${JSON.stringify(rule.ipVersion)} is not an IP version; use IpVersion.V4 or IpVersion.V6`);
  }

  const ports = [
    ...collectPorts(owner, field, 'source', rule.source),
    ...collectPorts(owner, field, 'destination', rule.destination),
  ];
  const protocol = effectiveProtocol(owner, rule.protocol, ports);

  if (rule.notProtocol && protocol && rule.notProtocol.sameAs(protocol)) {
    fail(owner, joinField(field, 'notProtocol'), `the rule matches protocol ${protocol.name} and excludes it with notProtocol, so it never matches; remove one of them`);
  }
  checkIcmp(owner, field, 'icmp', rule.icmp, protocol);
  checkIcmp(owner, field, 'notIcmp', rule.notIcmp, protocol);
  checkIpVersionAgainstProtocol(owner, field, rule.ipVersion, protocol, 'protocol');
  checkIpVersionAgainstProtocol(owner, field, rule.ipVersion, rule.notProtocol, 'notProtocol');
  checkNets(owner, field, rule);

  const source = renderEntity(ctx, 'source', rule.source);
  const destination = renderEntity(ctx, 'destination', rule.destination);
  const http = renderHttp(ctx, rule.http, rule.action, protocol);
  checkAnnotations(owner, joinField(field, 'metadata'), rule.metadata);

  return {
    action: rule.action,
    ipVersion: rule.ipVersion,
    protocol: protocol ? unionOf(protocol.value) : undefined,
    notProtocol: rule.notProtocol ? unionOf(rule.notProtocol.value) : undefined,
    icmp: renderIcmp(rule.icmp),
    notIcmp: renderIcmp(rule.notIcmp),
    source,
    destination,
    http,
    metadata: rule.metadata && Object.keys(rule.metadata).length > 0 ? { annotations: { ...rule.metadata } } : undefined,
  };
}

function unionOf(value: string | number): UnionValue {
  return typeof value === 'number'
    ? calico.NetworkPolicySpecIngressProtocol.fromNumber(value)
    : calico.NetworkPolicySpecIngressProtocol.fromString(value);
}

function checkProtocolObject(owner: string, field: string, protocol: Protocol | undefined): void {
  if (protocol !== undefined && !(protocol instanceof Protocol)) {
    fail(owner, field, `${JSON.stringify(protocol)} is not a Protocol; use Protocol.TCP, Protocol.named('TCP') or Protocol.of(n)`);
  }
}

function collectPorts(owner: string, field: string, side: string, entity: EntityRule | undefined): PortRef[] {
  const refs: PortRef[] = [];
  for (const list of ['ports', 'notPorts'] as const) {
    const ports = entity?.[list];
    if (ports === undefined) {
      continue;
    }
    const listField = joinField(field, `${side}.${list}`);
    if (!Array.isArray(ports)) {
      fail(owner, listField, 'must be an array of Port values (e.g. [Port.tcp(443)])');
    }
    if (ports.length > MAX_PORTS_PER_LIST) {
      fail(owner, listField, `has ${ports.length} ports; Calico accepts at most ${MAX_PORTS_PER_LIST} per list: use port ranges (Port.tcpRange) or split the rule`);
    }
    ports.forEach((port, i) => {
      const portField = `${listField}[${i}]`;
      checkPort(owner, portField, port);
      refs.push({ port, field: portField });
    });
  }
  return refs;
}

function checkPort(owner: string, field: string, port: Port): void {
  if (!(port instanceof Port)) {
    fail(owner, field, `${JSON.stringify(port)} is not a Port; use Port.tcp(443), Port.udp(53), Port.tcpRange(min, max) or Port.named('http')`);
  }
  if (port.portName !== undefined) {
    const problem = portNameProblem(port.portName);
    if (problem) {
      fail(owner, field, problem);
    }
    return;
  }
  for (const n of [port.minPort, port.maxPort]) {
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      fail(owner, field, `port ${String(n)} is not a whole number; use 1-65535`);
    }
    if (n < 1 || n > 65535) {
      fail(owner, field, `port ${n} is out of range; use 1-65535`);
    }
  }
  if ((port.minPort as number) > (port.maxPort as number)) {
    fail(owner, field, `port range ${port.minPort}:${port.maxPort} is reversed; write the lower port first (${port.maxPort}:${port.minPort})`);
  }
}

/**
 * The rule's protocol: the one given, or the one its ports agree on. Calico has one protocol per
 * rule, and ports only for TCP, UDP and SCTP.
 */
function effectiveProtocol(owner: string, given: Protocol | undefined, ports: PortRef[]): Protocol | undefined {
  const withProtocol = ports.filter((ref) => ref.port.protocol !== undefined);
  if (given) {
    const mismatch = withProtocol.find((ref) => !(ref.port.protocol as Protocol).sameAs(given));
    if (mismatch) {
      fail(
        owner,
        mismatch.field,
        `port ${mismatch.port.toString()}/${(mismatch.port.protocol as Protocol).name} does not match the rule's protocol ${given.name}; ` +
          'a Calico rule has one protocol: split it into one rule per protocol',
      );
    }
  }
  let protocol = given;
  if (!protocol && withProtocol.length > 0) {
    const first = withProtocol[0];
    const other = withProtocol.find((ref) => !(ref.port.protocol as Protocol).sameAs(first.port.protocol as Protocol));
    if (other) {
      fail(
        owner,
        other.field,
        `port ${other.port.toString()}/${(other.port.protocol as Protocol).name} and port ${first.port.toString()}/` +
          `${(first.port.protocol as Protocol).name} (${first.field}) use different protocols, but a Calico rule has one protocol: ` +
          'split it into one rule per protocol',
      );
    }
    protocol = first.port.protocol;
  }
  if (ports.length > 0 && (!protocol || !protocol.supportsPorts)) {
    const ref = ports[0];
    const example = ref.port.isNamed ? `Port.namedTcp('${ref.port.portName}')` : `Port.tcp(${ref.port.toString()})`;
    const what = ref.port.isNamed ? `named port "${ref.port.portName}"` : `port ${ref.port.toString()}`;
    if (protocol) {
      fail(owner, ref.field, `${what} needs protocol TCP, UDP or SCTP, but the rule's protocol is ${protocol.name}; remove the ports or change the protocol`);
    }
    fail(owner, ref.field, `${what} needs the rule's protocol to be TCP, UDP or SCTP; set protocol (e.g. Protocol.TCP) or write ${example}`);
  }
  return protocol;
}

function checkIcmp(owner: string, field: string, name: string, icmp: IcmpMatch | undefined, protocol: Protocol | undefined): void {
  if (icmp === undefined) {
    return;
  }
  const icmpField = joinField(field, name);
  if (!protocol || !(protocol.isIcmp || protocol.isIcmpV6)) {
    fail(
      owner,
      icmpField,
      `ICMP matches need the rule's protocol to be ICMP or ICMPv6 (got ${protocol ? protocol.name : 'none'}); set protocol: Protocol.ICMP or Protocol.ICMPV6`,
    );
  }
  if (icmp.type !== undefined && (!Number.isInteger(icmp.type) || icmp.type < 0 || icmp.type > 254)) {
    fail(owner, `${icmpField}.type`, `ICMP type ${String(icmp.type)} is out of range; use a whole number 0-254`);
  }
  if (icmp.code !== undefined) {
    if (!Number.isInteger(icmp.code) || icmp.code < 0 || icmp.code > 255) {
      fail(owner, `${icmpField}.code`, `ICMP code ${String(icmp.code)} is out of range; use a whole number 0-255`);
    }
    if (icmp.type === undefined) {
      fail(owner, `${icmpField}.code`, 'an ICMP code needs an ICMP type (a kernel limitation); set type as well');
    }
  }
}

function renderIcmp(icmp: IcmpMatch | undefined): { type?: number; code?: number } | undefined {
  return icmp === undefined ? undefined : { type: icmp.type, code: icmp.code };
}

function checkIpVersionAgainstProtocol(
  owner: string,
  field: string,
  ipVersion: IpVersion | undefined,
  protocol: Protocol | undefined,
  which: string,
): void {
  if (ipVersion === undefined || protocol === undefined) {
    return;
  }
  if (protocol.isIcmp && ipVersion !== IpVersion.V4) {
    fail(owner, joinField(field, 'ipVersion'), `${which} ICMP is IPv4-only, but ipVersion is ${ipVersion}; use IpVersion.V4, or Protocol.ICMPV6 for IPv6`);
  }
  if (protocol.isIcmpV6 && ipVersion !== IpVersion.V6) {
    fail(owner, joinField(field, 'ipVersion'), `${which} ICMPv6 is IPv6-only, but ipVersion is ${ipVersion}; use IpVersion.V6, or Protocol.ICMP for IPv4`);
  }
}

function checkNets(owner: string, field: string, rule: Rule): void {
  let seen: { version: 4 | 6; field: string } | undefined;
  for (const side of ['source', 'destination'] as const) {
    for (const list of ['nets', 'notNets'] as const) {
      const nets = rule[side]?.[list];
      if (nets === undefined) {
        continue;
      }
      const listField = joinField(field, `${side}.${list}`);
      if (!Array.isArray(nets)) {
        fail(owner, listField, 'must be an array of CIDR strings (e.g. ["10.0.0.0/8"])');
      }
      const unique = new Set<string>();
      nets.forEach((net, i) => {
        const netField = `${listField}[${i}]`;
        const parsed = checkCidr(owner, netField, net, true);
        if (list === 'notNets' && parsed.everything) {
          fail(
            owner,
            netField,
            `"${net}" excludes every IPv${parsed.version} address, so the rule could never match; ` +
              `remove it (to match other IP versions only, set ipVersion: IpVersion.V${parsed.version === 4 ? 6 : 4})`,
          );
        }
        if (unique.has(parsed.network)) {
          fail(owner, netField, `"${net}" is listed twice; Calico treats ${list} as a set, remove the duplicate`);
        }
        unique.add(parsed.network);
        if (rule.ipVersion !== undefined && rule.ipVersion !== parsed.version) {
          fail(owner, netField, `"${net}" is an IPv${parsed.version} network, but the rule's ipVersion is ${rule.ipVersion}; use networks of one IP version`);
        }
        if (seen && seen.version !== parsed.version) {
          fail(
            owner,
            netField,
            `"${net}" is IPv${parsed.version} but ${seen.field} is IPv${seen.version}; a Calico rule cannot mix IPv4 and IPv6 networks: ` +
              'split it into one rule per IP version',
          );
        }
        seen = seen ?? { version: parsed.version, field: netField };
      });
    }
  }
}

function selectorText(owner: string, field: string, selector: Selector | undefined): string | undefined {
  if (selector === undefined) {
    return undefined;
  }
  if (!(selector instanceof Selector)) {
    fail(owner, field, `${JSON.stringify(selector)} is not a Selector; build one with Selector.parse('app == "web"') or Selector.label('app').eq('web')`);
  }
  return selector.toString();
}

/** Checks that a selector other than an entity `namespaceSelector` does not use `global()`. */
export function checkNoGlobal(owner: string, field: string, text: string | undefined): void {
  if (text !== undefined && text.includes('global(')) {
    fail(owner, field, `"${text}" uses global(), which Calico only accepts on its own as the namespaceSelector of a rule's source or destination`);
  }
}

/** Renders a selector that must not use `global()` (policy selectors, service account selectors). */
export function renderPlainSelector(owner: string, field: string, selector: Selector | undefined): string | undefined {
  const text = selectorText(owner, field, selector);
  checkNoGlobal(owner, field, text);
  return text;
}

function renderEntity(ctx: RuleContext, side: 'source' | 'destination', entity: EntityRule | undefined): RenderedEntityRule | undefined {
  if (entity === undefined) {
    return undefined;
  }
  const { owner } = ctx;
  const field = joinField(ctx.field, side);
  if (entity === null || typeof entity !== 'object') {
    fail(owner, field, `must be an object (an EntityRule), got ${JSON.stringify(entity)}`);
  }
  const selector = renderPlainSelector(owner, `${field}.selector`, entity.selector);
  const notSelector = renderPlainSelector(owner, `${field}.notSelector`, entity.notSelector);
  const namespaceSelector = selectorText(owner, `${field}.namespaceSelector`, entity.namespaceSelector);
  if (namespaceSelector !== undefined && namespaceSelector.includes('global(') && namespaceSelector !== 'global()') {
    fail(owner, `${field}.namespaceSelector`, `"${namespaceSelector}" combines global() with other terms; use Selector.global() on its own`);
  }
  const serviceAccounts = renderServiceAccounts(owner, `${field}.serviceAccounts`, entity.serviceAccounts);
  const services = entity.services;
  if (services !== undefined) {
    checkServices(ctx, side, field, entity);
  }
  const rendered: RenderedEntityRule = {
    nets: nonEmpty(entity.nets),
    notNets: nonEmpty(entity.notNets),
    selector,
    notSelector,
    namespaceSelector,
    ports: nonEmpty(entity.ports)?.map((p) => portValue(p)),
    notPorts: nonEmpty(entity.notPorts)?.map((p) => portValue(p)),
    serviceAccounts,
    services: services ? { name: services.name, namespace: services.namespace } : undefined,
  };
  return Object.values(rendered).some((v) => v !== undefined) ? rendered : undefined;
}

function portValue(port: Port): UnionValue {
  const value = port.value;
  return typeof value === 'number'
    ? calico.NetworkPolicySpecIngressProtocol.fromNumber(value)
    : calico.NetworkPolicySpecIngressProtocol.fromString(value);
}

function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? [...list] : undefined;
}

function renderServiceAccounts(owner: string, field: string, match: ServiceAccountMatch | undefined): RenderedEntityRule['serviceAccounts'] {
  if (match === undefined) {
    return undefined;
  }
  const names = match.names ?? [];
  if (!Array.isArray(names)) {
    fail(owner, `${field}.names`, 'must be an array of service account names');
  }
  if (names.length === 0 && match.selector === undefined) {
    fail(owner, field, 'give names and/or a selector; an empty service account match would select every pod');
  }
  const unique = new Set<string>();
  names.forEach((name, i) => {
    checkDnsSubdomain(owner, `${field}.names[${i}]`, name, 'service account name');
    if (unique.has(name)) {
      fail(owner, `${field}.names[${i}]`, `"${name}" is listed twice; remove the duplicate`);
    }
    unique.add(name);
  });
  return {
    names: names.length > 0 ? [...names] : undefined,
    selector: renderPlainSelector(owner, `${field}.selector`, match.selector),
  };
}

function checkServices(ctx: RuleContext, side: 'source' | 'destination', field: string, entity: EntityRule): void {
  const { owner } = ctx;
  const services = entity.services as NonNullable<EntityRule['services']>;
  const servicesField = `${field}.services`;
  if (ctx.direction === PolicyType.INGRESS && side === 'destination') {
    fail(owner, servicesField, 'services can only match the source of an ingress rule (the destination is the policy\'s own endpoints); move it to source');
  }
  if (ctx.direction === PolicyType.EGRESS && side === 'source') {
    fail(owner, servicesField, 'services can only match the destination of an egress rule (the source is the policy\'s own endpoints); move it to destination');
  }
  if (typeof services.name !== 'string' || services.name.length === 0) {
    fail(owner, `${servicesField}.name`, 'give the name of the Kubernetes Service to match');
  }
  checkDnsSubdomain(owner, `${servicesField}.name`, services.name, 'service name');
  if (services.namespace !== undefined) {
    checkDnsLabel(owner, `${servicesField}.namespace`, services.namespace, 'namespace');
  } else if (ctx.global) {
    fail(owner, `${servicesField}.namespace`, 'a global policy must name the namespace of the Service; set services.namespace');
  }
  const conflicts: string[] = [];
  if (entity.selector !== undefined) conflicts.push('selector');
  if (entity.notSelector !== undefined) conflicts.push('notSelector');
  if (entity.namespaceSelector !== undefined) conflicts.push('namespaceSelector');
  if (entity.nets !== undefined && entity.nets.length > 0) conflicts.push('nets');
  if (entity.notNets !== undefined && entity.notNets.length > 0) conflicts.push('notNets');
  if (entity.serviceAccounts !== undefined) conflicts.push('serviceAccounts');
  if (conflicts.length > 0) {
    fail(
      owner,
      servicesField,
      `services cannot be combined with ${conflicts.join(', ')} on the same side of a rule (Calico takes the addresses from the Service); ` +
        'remove them or use a separate rule',
    );
  }
  if (side === 'destination') {
    for (const list of ['ports', 'notPorts'] as const) {
      if ((entity[list] ?? []).length > 0) {
        fail(owner, `${field}.${list}`, `a destination Service already defines its ports; remove ${list} (Calico matches the Service's endpoint ports)`);
      }
    }
  }
}

function renderHttp(ctx: RuleContext, http: HttpMatch | undefined, action: RuleAction, protocol: Protocol | undefined): RenderedRule['http'] {
  if (http === undefined) {
    return undefined;
  }
  const { owner } = ctx;
  const field = joinField(ctx.field, 'http');
  if (ctx.direction !== PolicyType.INGRESS) {
    fail(owner, field, 'HTTP matches are only allowed on ingress rules; remove http from this egress rule');
  }
  if (action !== RuleAction.ALLOW) {
    fail(owner, field, `HTTP matches are only allowed on Allow rules, but the action is ${action}; use RuleAction.ALLOW or remove http`);
  }
  if (protocol && protocol.protocolNumber !== 6) {
    fail(owner, field, `HTTP matches need protocol TCP or no protocol, but the rule's protocol is ${protocol.name}`);
  }
  const methods = http.methods ?? [];
  if (methods.length > MAX_HTTP_ITEMS) {
    fail(owner, `${field}.methods`, `has ${methods.length} methods; Calico accepts at most ${MAX_HTTP_ITEMS}`);
  }
  const seen = new Set<string>();
  methods.forEach((method, i) => {
    if (typeof method !== 'string' || method.length === 0) {
      fail(owner, `${field}.methods[${i}]`, 'an HTTP method must be a non-empty string such as "GET"');
    }
    if (seen.has(method)) {
      fail(owner, `${field}.methods[${i}]`, `"${method}" is listed twice; remove the duplicate`);
    }
    seen.add(method);
  });
  const paths = http.paths ?? [];
  if (paths.length > MAX_HTTP_ITEMS) {
    fail(owner, `${field}.paths`, `has ${paths.length} paths; Calico accepts at most ${MAX_HTTP_ITEMS}`);
  }
  paths.forEach((path, i) => {
    const pathField = `${field}.paths[${i}]`;
    const hasExact = path.exact !== undefined && path.exact !== '';
    const hasPrefix = path.prefix !== undefined && path.prefix !== '';
    if (hasExact === hasPrefix) {
      fail(owner, pathField, hasExact ? 'set either exact or prefix, not both' : 'set exact or prefix (e.g. { prefix: "/api" })');
    }
    const value = (hasExact ? path.exact : path.prefix) as string;
    if (!value.startsWith('/') || /[? #]/.test(value)) {
      fail(owner, pathField, `"${value}" is not a valid path: it must start with '/' and contain no '?', '#' or spaces`);
    }
    if (value.length > MAX_HTTP_PATH_LENGTH) {
      fail(owner, pathField, `the path is ${value.length} characters long; Calico accepts at most ${MAX_HTTP_PATH_LENGTH}`);
    }
  });
  return {
    methods: methods.length > 0 ? [...methods] : undefined,
    paths: paths.length > 0 ? paths.map((p) => (p.exact ? { exact: p.exact } : { prefix: p.prefix })) : undefined,
  };
}
