/**
 * Turns a `Rule` into the rule as the manifest writes it (through the generated Calico rule types,
 * `calico.NetworkPolicySpecIngress` and its siblings, which all share one structure) and checks it
 * in three steps:
 *
 * 1. what only the constructs have: typed values (`Port`, `Protocol`, `Selector`), and the rule's
 *    protocol inferred from its `Port` objects;
 * 2. the rendered rule, as Calico reads it in a manifest, with `readCalicoRule` of
 *    `core/rule-validation.ts` (the one copy of Calico's rule validation);
 * 3. what only a construct can get wrong: duplicate networks, and service-account matches that
 *    could never match (names that are not Kubernetes names, an empty match).
 *
 * Every failure names the owning construct and the rule field (`ingress[0].destination.ports[1]`).
 *
 * This module is internal: it is not re-exported by the `policy` barrel.
 */
import { Port } from './port';
import { Protocol } from './protocol';
import { EntityRule, HttpMatch, IcmpMatch, IpVersion, PolicyType, Rule, RuleAction, ServiceAccountMatch } from './rule';
import { checkAnnotations, checkDnsSubdomain } from './validation';
import { parseCidr } from '../core/cidr';
import { describeValue, fail, joinField } from '../core/errors';
import { policySelectorProblem, readCalicoRule } from '../core/rule-validation';
import * as calico from '../imports';
import { Selector } from '../selector';


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

/** A rule as the manifest writes it (`notICMP`, plain numbers and strings). */
export type ManifestRule = { readonly [key: string]: any };

/**
 * Renders `rule` in `ctx` and checks it; returns it as the manifest writes it. Throws on the
 * first problem, naming the owner and the field.
 */
export function renderRule(rule: Rule, ctx: RuleContext): ManifestRule {
  const { owner, field } = ctx;
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
    fail(owner, field, `a rule must be an object with at least an action, got ${describeValue(rule)}`);
  }
  checkProtocolObject(owner, joinField(field, 'protocol'), rule.protocol);
  checkProtocolObject(owner, joinField(field, 'notProtocol'), rule.notProtocol);
  const ports = [
    ...collectPorts(owner, field, 'source', rule.source),
    ...collectPorts(owner, field, 'destination', rule.destination),
  ];
  const protocol = effectiveProtocol(owner, rule.protocol, ports);
  if (rule.notProtocol && protocol && rule.notProtocol.sameAs(protocol)) {
    fail(owner, joinField(field, 'notProtocol'), `the rule matches protocol ${protocol.name} and excludes it with notProtocol, so it never matches; remove one of them`);
  }

  const rendered: RenderedRule = {
    action: rule.action,
    ipVersion: rule.ipVersion,
    protocol: protocol ? unionOf(protocol.value) : undefined,
    notProtocol: rule.notProtocol ? unionOf(rule.notProtocol.value) : undefined,
    icmp: renderIcmp(owner, joinField(field, 'icmp'), rule.icmp),
    notIcmp: renderIcmp(owner, joinField(field, 'notIcmp'), rule.notIcmp),
    source: renderEntity(ctx, 'source', rule.source),
    destination: renderEntity(ctx, 'destination', rule.destination),
    http: renderHttp(ctx, rule.http),
    metadata: rule.metadata && Object.keys(rule.metadata).length > 0 ? { annotations: { ...rule.metadata } } : undefined,
  };

  // The generated types' conversion writes the manifest's field names (all rule types share one structure).
  const manifest: ManifestRule = calico.toJson_NetworkPolicySpecIngress(rendered as unknown as calico.NetworkPolicySpecIngress)!;
  // Calico: libcalico-go/lib/validator/v3/validator.go validateRule, validateEntityRule (through core)
  const read = readCalicoRule(
    manifest,
    ctx.direction === PolicyType.INGRESS ? 'ingress' : 'egress',
    { global: ctx.global },
  );
  if ('problem' in read) {
    fail(owner, joinField(field, constructField(read.problem.field)), read.problem.problem);
  }

  for (const side of ['source', 'destination'] as const) {
    checkEntityExtras(ctx, side, rule[side]);
  }
  checkAnnotations(owner, joinField(field, 'metadata'), rule.metadata);
  return manifest;
}

/** The field of a rule as the constructs spell it (`notIcmp`, where the manifest has `notICMP`). */
function constructField(manifestField: string): string {
  return manifestField.replace(/^notICMP\b/, 'notIcmp');
}

function unionOf(value: string | number): UnionValue {
  return typeof value === 'number'
    ? calico.NetworkPolicySpecIngressProtocol.fromNumber(value)
    : calico.NetworkPolicySpecIngressProtocol.fromString(value);
}

function checkProtocolObject(owner: string, field: string, protocol: Protocol | undefined): void {
  if (protocol !== undefined && !(protocol instanceof Protocol)) {
    fail(owner, field, `${describeValue(protocol)} is not a Protocol; use Protocol.TCP, Protocol.named('TCP') or Protocol.of(n)`);
  }
}

function collectPorts(owner: string, field: string, side: string, entity: EntityRule | undefined): PortRef[] {
  const refs: PortRef[] = [];
  if (entity === null || typeof entity !== 'object') {
    return refs;
  }
  for (const list of ['ports', 'notPorts'] as const) {
    const ports = entity[list];
    if (ports === undefined) {
      continue;
    }
    const listField = joinField(field, `${side}.${list}`);
    if (!Array.isArray(ports)) {
      fail(owner, listField, 'must be an array of Port values (e.g. [Port.tcp(443)])');
    }
    ports.forEach((port, i) => {
      const portField = `${listField}[${i}]`;
      if (!(port instanceof Port)) {
        fail(owner, portField, `${describeValue(port)} is not a Port; use Port.tcp(443), Port.udp(53), Port.tcpRange(min, max) or Port.named('http')`);
      }
      refs.push({ port, field: portField });
    });
  }
  return refs;
}

/**
 * The rule's protocol: the one given, or the one its `Port` objects agree on. Calico has one
 * protocol per rule; whether the ports need one is Calico's rule, checked by core.
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
    return given;
  }
  if (withProtocol.length === 0) {
    return undefined;
  }
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
  return first.port.protocol;
}

function renderIcmp(owner: string, field: string, icmp: IcmpMatch | undefined): { type?: number; code?: number } | undefined {
  if (icmp === undefined) {
    return undefined;
  }
  if (icmp === null || typeof icmp !== 'object') {
    fail(owner, field, `${describeValue(icmp)} is not an ICMP match; give { type, code? }`);
  }
  return { type: icmp.type, code: icmp.code };
}

function selectorText(owner: string, field: string, selector: Selector | undefined): string | undefined {
  if (selector === undefined) {
    return undefined;
  }
  if (!(selector instanceof Selector)) {
    fail(owner, field, `${describeValue(selector)} is not a Selector; build one with Selector.parse('app == "web"') or Selector.label('app').eq('web')`);
  }
  return selector.toString();
}

/** Renders a policy's own selector (`selector`, `serviceAccountSelector`, a global policy's `namespaceSelector`), where Calico refuses `global()`. */
export function renderPlainSelector(owner: string, field: string, selector: Selector | undefined): string | undefined {
  const text = selectorText(owner, field, selector);
  const problem = policySelectorProblem(text);
  if (problem !== undefined) {
    fail(owner, field, problem);
  }
  return text;
}

/** A list as given (a copy), `undefined` when empty: Calico reads an empty list as no constraint. */
function listOf<T>(owner: string, field: string, list: T[] | undefined, what: string): T[] | undefined {
  if (list === undefined) {
    return undefined;
  }
  if (!Array.isArray(list)) {
    fail(owner, field, `must be an array of ${what}`);
  }
  return list.length > 0 ? [...list] : undefined;
}

function renderEntity(ctx: RuleContext, side: 'source' | 'destination', entity: EntityRule | undefined): RenderedEntityRule | undefined {
  if (entity === undefined) {
    return undefined;
  }
  const { owner } = ctx;
  const field = joinField(ctx.field, side);
  if (entity === null || typeof entity !== 'object' || Array.isArray(entity)) {
    fail(owner, field, `must be an object (an EntityRule), got ${describeValue(entity)}`);
  }
  const selector = selectorText(owner, `${field}.selector`, entity.selector);
  const notSelector = selectorText(owner, `${field}.notSelector`, entity.notSelector);
  const namespaceSelector = selectorText(owner, `${field}.namespaceSelector`, entity.namespaceSelector);
  const rendered: RenderedEntityRule = {
    nets: listOf(owner, `${field}.nets`, entity.nets, 'CIDR strings (e.g. ["10.0.0.0/8"])'),
    notNets: listOf(owner, `${field}.notNets`, entity.notNets, 'CIDR strings (e.g. ["10.0.0.0/8"])'),
    selector,
    notSelector,
    namespaceSelector,
    ports: listOf(owner, `${field}.ports`, entity.ports, 'Port values')?.map(portValue),
    notPorts: listOf(owner, `${field}.notPorts`, entity.notPorts, 'Port values')?.map(portValue),
    serviceAccounts: renderServiceAccounts(owner, `${field}.serviceAccounts`, entity.serviceAccounts),
    services: entity.services === undefined ? undefined : renderServices(owner, `${field}.services`, entity.services),
  };
  return Object.values(rendered).some((v) => v !== undefined) ? rendered : undefined;
}

function portValue(port: Port): UnionValue {
  return unionOf(port.value);
}

function renderServiceAccounts(owner: string, field: string, match: ServiceAccountMatch | undefined): RenderedEntityRule['serviceAccounts'] {
  if (match === undefined) {
    return undefined;
  }
  if (match === null || typeof match !== 'object') {
    fail(owner, field, `${describeValue(match)} is not a service account match; give { names?, selector? }`);
  }
  return {
    names: listOf(owner, `${field}.names`, match.names, 'service account names'),
    selector: selectorText(owner, `${field}.selector`, match.selector),
  };
}

function renderServices(owner: string, field: string, services: EntityRule['services']): RenderedEntityRule['services'] {
  if (services === null || typeof services !== 'object') {
    fail(owner, field, `${describeValue(services)} is not a service match; give { name, namespace? }`);
  }
  return { name: services.name, namespace: services.namespace };
}

function renderHttp(ctx: RuleContext, http: HttpMatch | undefined): RenderedRule['http'] {
  if (http === undefined) {
    return undefined;
  }
  const field = joinField(ctx.field, 'http');
  if (http === null || typeof http !== 'object') {
    fail(ctx.owner, field, `${describeValue(http)} is not an HTTP match; give { methods?, paths? }`);
  }
  const methods = listOf(ctx.owner, `${field}.methods`, http.methods, 'HTTP methods (e.g. ["GET"])');
  const paths = listOf(ctx.owner, `${field}.paths`, http.paths, 'HTTP paths (e.g. [{ prefix: "/api" }])');
  return {
    methods,
    paths: paths?.map((p) => (p === null || typeof p !== 'object' ? p : { exact: p.exact, prefix: p.prefix })),
  };
}

/** Checks of a rule side that Calico's validator makes and core's rule reader does not. */
function checkEntityExtras(ctx: RuleContext, side: 'source' | 'destination', entity: EntityRule | undefined): void {
  if (entity === undefined) {
    return;
  }
  const { owner } = ctx;
  const field = joinField(ctx.field, side);
  for (const list of ['nets', 'notNets'] as const) {
    const seen = new Set<string>();
    (entity[list] ?? []).forEach((net, i) => {
      const parsed = parseCidr(net);
      const key = typeof parsed === 'string' ? net : parsed.canonical;
      if (seen.has(key)) {
        fail(owner, `${field}.${list}[${i}]`, `"${net}" is listed twice; Calico treats ${list} as a set, remove the duplicate`);
      }
      seen.add(key);
    });
  }
  const accounts = entity.serviceAccounts;
  if (accounts !== undefined) {
    const names = accounts.names ?? [];
    // An empty match is no constraint in Calico (libcalico-go/lib/backend/syncersv1/updateprocessors/rules.go
    // parseServiceAccounts): refuse it rather than let a computed empty list select every pod.
    if (names.length === 0 && accounts.selector === undefined) {
      fail(owner, `${field}.serviceAccounts`, 'give names and/or a selector; an empty service account match would select every pod');
    }
    const seen = new Set<string>();
    names.forEach((name, i) => {
      checkDnsSubdomain(owner, `${field}.serviceAccounts.names[${i}]`, name, 'service account name');
      if (seen.has(name)) {
        fail(owner, `${field}.serviceAccounts.names[${i}]`, `"${name}" is listed twice; remove the duplicate`);
      }
      seen.add(name);
    });
  }
}

