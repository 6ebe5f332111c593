/**
 * The `properties` of the plugin in `cdk8s.yaml`, checked with clear errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { describeValue } from '../core';
import { AuditOptions, Severity } from '../guardrails';
import { checkSeverity } from '../guardrails/severity-rank';

/** A reachability assertion: is traffic `from` → `to` allowed or denied? */
export interface FlowAssertion {
  /** Source endpoint: `<namespace>/<name>` or `ip:<address>`. */
  readonly from: string;
  /** Destination endpoint: `<namespace>/<name>` or `ip:<address>`. */
  readonly to: string;
  /** Destination port: a number or a container port name. */
  readonly port?: number | string;
  /** Protocol (default TCP). */
  readonly protocol?: string;
  /** The expected verdict. */
  readonly expect: 'allow' | 'deny';
}

/** A permission assertion: may `as` do `verb` on `resource`? */
export interface AccessAssertion {
  /** The user, e.g. `alice` or `system:serviceaccount:<namespace>:<name>`. */
  readonly as: string;
  /** Extra groups of the user. */
  readonly groups?: string[];
  /** The verb, e.g. `create`. */
  readonly verb: string;
  /** kubectl-style resource, e.g. `networkpolicies.projectcalico.org` or `pods/log`. */
  readonly resource: string;
  /** The namespace of the request. */
  readonly namespace?: string;
  /** The object name. */
  readonly name?: string;
  /** The Calico tier of a tiered policy resource. */
  readonly tier?: string;
  /** The expected verdict. */
  readonly expect: 'allow' | 'deny';
}

/** The checked properties. */
export interface PluginSettings {
  /** Audit findings at or above this severity fail the synth. */
  readonly failOn: Severity;
  /** Options passed to the audit and the network model. */
  readonly audit: AuditOptions;
  /** Whether the CRD and Kubernetes checks run. */
  readonly schemas: boolean;
  /** Reachability assertions, each with where it was declared. */
  readonly flows: Array<{ readonly assertion: FlowAssertion; readonly where: string }>;
  /** Permission assertions, each with where it was declared. */
  readonly access: Array<{ readonly assertion: AccessAssertion; readonly where: string }>;
}

const WHERE = 'cdk8s-calico validation plugin: properties';
const KNOWN = ['failOn', 'audit', 'schemas', 'assertions'];
const FLOW_KEYS = ['from', 'to', 'port', 'protocol', 'expect'];
const ACCESS_KEYS = ['as', 'groups', 'verb', 'resource', 'namespace', 'name', 'tier', 'expect'];

/**
 * Checks the plugin properties.
 *
 * @param properties `properties` of the `validations` entry of `cdk8s.yaml`
 * @param baseDir where relative assertion file paths are resolved (the app's directory)
 * @throws Error naming the property, what was wrong and what would be right
 */
export function parseProperties(properties: any, baseDir: string): PluginSettings {
  const props = properties ?? {};
  if (typeof props !== 'object' || Array.isArray(props)) {
    throw new Error(`${WHERE}: expected a mapping, got ${describeValue(props)}`);
  }
  for (const key of Object.keys(props)) {
    if (!KNOWN.includes(key)) {
      throw new Error(`${WHERE}: unknown property "${key}"; known: ${KNOWN.join(', ')}`);
    }
  }
  const failOn = props.failOn === undefined ? Severity.MEDIUM : checkSeverity(WHERE, 'failOn', props.failOn);
  if (props.audit !== undefined && (typeof props.audit !== 'object' || props.audit === null || Array.isArray(props.audit))) {
    throw new Error(`${WHERE}: audit must be a mapping of audit options (e.g. nodeCidrs, podCidrs, serviceCidrs, suppressions), got ${describeValue(props.audit)}`);
  }
  if (props.schemas !== undefined && typeof props.schemas !== 'boolean') {
    throw new Error(`${WHERE}: schemas must be true or false, got ${describeValue(props.schemas)}`);
  }
  const flows: PluginSettings['flows'] = [];
  const access: PluginSettings['access'] = [];
  for (const { item, where } of assertionItems(props.assertions, baseDir)) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new Error(`${where}: expected a mapping {from, to, port?, protocol?, expect} or {as, verb, resource, namespace?, tier?, expect}, got ${describeValue(item)}`);
    }
    if (item.expect !== 'allow' && item.expect !== 'deny') {
      throw new Error(`${where}: expect must be "allow" or "deny", got ${describeValue(item.expect)}`);
    }
    if ('from' in item || 'to' in item) {
      checkKeys(item, FLOW_KEYS, where, 'a reachability assertion');
      requireText(item.from, 'from', where, '<namespace>/<name> or ip:<address>');
      requireText(item.to, 'to', where, '<namespace>/<name> or ip:<address>');
      if (item.port !== undefined && typeof item.port !== 'number' && typeof item.port !== 'string') {
        throw new Error(`${where}: port must be a number 1-65535 or a container port name, got ${describeValue(item.port)}`);
      }
      if (item.protocol !== undefined) requireText(item.protocol, 'protocol', where, 'TCP, UDP, SCTP, ICMP, … or a number');
      flows.push({ assertion: item, where });
    } else if ('as' in item || 'verb' in item) {
      checkKeys(item, ACCESS_KEYS, where, 'a permission assertion');
      requireText(item.as, 'as', where, 'a user, e.g. alice or system:serviceaccount:<namespace>:<name>');
      requireText(item.verb, 'verb', where, 'a verb, e.g. create');
      requireText(item.resource, 'resource', where, 'a kubectl-style resource, e.g. networkpolicies.projectcalico.org');
      for (const field of ['namespace', 'name', 'tier']) {
        if (item[field] !== undefined) requireText(item[field], field, where, 'a non-empty string');
      }
      if (item.groups !== undefined && !(Array.isArray(item.groups) && item.groups.every((g: any) => typeof g === 'string' && g !== ''))) {
        throw new Error(`${where}: groups must be a list of group names, got ${describeValue(item.groups)}`);
      }
      access.push({ assertion: item, where });
    } else {
      throw new Error(`${where}: an assertion needs from/to (reachability) or as/verb/resource (permission), got keys ${Object.keys(item).join(', ') || 'none'}`);
    }
  }
  return { failOn, audit: props.audit ?? {}, schemas: props.schemas ?? true, flows, access };
}

/** The assertion items: from a list, a YAML file path, or a list mixing both. */
function assertionItems(value: any, baseDir: string): Array<{ item: any; where: string }> {
  if (value === undefined) return [];
  const entries = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(entries)) {
    throw new Error(`${WHERE}: assertions must be a list of assertions or a YAML file path (or a list of both), got ${describeValue(value)}`);
  }
  const items: Array<{ item: any; where: string }> = [];
  entries.forEach((entry: any, index: number) => {
    if (typeof entry !== 'string') {
      items.push({ item: entry, where: `${WHERE}: assertions[${index}]` });
      return;
    }
    const file = path.resolve(baseDir, entry);
    let parsed: any;
    try {
      parsed = parse(fs.readFileSync(file, 'utf8'));
    } catch (error: any) {
      throw new Error(`${WHERE}: assertions[${index}]: cannot read the assertion file ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    }
    const list = parsed?.assertions ?? parsed;
    if (!Array.isArray(list)) {
      throw new Error(`${WHERE}: assertions file ${file} must hold a YAML list of assertions (or a mapping with an assertions list), got ${describeValue(parsed)}`);
    }
    list.forEach((item: any, i: number) => items.push({ item, where: `assertion file ${entry}: item ${i}` }));
  });
  return items;
}

function checkKeys(item: any, known: string[], where: string, what: string): void {
  for (const key of Object.keys(item)) {
    if (!known.includes(key)) {
      throw new Error(`${where}: unknown field "${key}" in ${what}; known: ${known.join(', ')}`);
    }
  }
}

function requireText(value: any, field: string, where: string, expected: string): void {
  if (typeof value !== 'string' || value === '') {
    throw new Error(`${where}: ${field} must be ${expected}, got ${describeValue(value)}`);
  }
}
