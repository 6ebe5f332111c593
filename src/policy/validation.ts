/**
 * Checks shared by the policy constructs, following what Calico's API validation accepts
 * (Calico v3.32). Every failure throws an `Error` whose message names the construct, the field,
 * what is wrong and what would be right.
 *
 * This module is internal: it is not re-exported by the `policy` barrel.
 */
import { Construct } from 'constructs';

/** Maximum length of a DNS-1123 label (namespace, tier and policy name components). */
export const DNS1123_LABEL_MAX_LENGTH = 63;

/** Maximum length of a DNS-1123 subdomain (object names). */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

/** The name of Calico's default tier. */
export const DEFAULT_TIER = 'default';

const LABEL_FORMAT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${LABEL_FORMAT}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL_FORMAT}(\\.${LABEL_FORMAT})*$`);
const POLICY_NAME = new RegExp(`^${LABEL_FORMAT}(\\.${LABEL_FORMAT})?$`);
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * How errors name a construct: its kind and construct path, e.g. `NetworkPolicy "chart/allow-web"`.
 */
export function describeConstruct(kind: string, scope: Construct): string {
  return `${kind} "${scope.node.path}"`;
}

/**
 * Throws an error for `owner` (see `describeConstruct`) and `field` (e.g. `ingress[0].protocol`).
 */
export function fail(owner: string, field: string, message: string): never {
  throw new Error(field ? `${owner}: ${field}: ${message}` : `${owner}: ${message}`);
}

/** Joins a field path: `joinField('ingress[0]', 'source')` is `ingress[0].source`. */
export function joinField(parent: string, child: string): string {
  return parent ? `${parent}.${child}` : child;
}

/** Whether `value` is a DNS-1123 label (at most 63 of `a-z`, `0-9`, `-`; alphanumeric at both ends). */
export function isDns1123Label(value: string): boolean {
  return typeof value === 'string' && value.length <= DNS1123_LABEL_MAX_LENGTH && DNS1123_LABEL.test(value);
}

/** Whether `value` is a DNS-1123 subdomain (dot-separated labels, at most 253 characters). */
export function isDns1123Subdomain(value: string): boolean {
  return typeof value === 'string' && value.length <= DNS1123_SUBDOMAIN_MAX_LENGTH && DNS1123_SUBDOMAIN.test(value);
}

/** A best-effort DNS-1123 label made from `value`, for "did you mean" hints. */
export function suggestDnsLabel(value: string): string {
  const cleaned = String(value)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, DNS1123_LABEL_MAX_LENGTH)
    .replace(/-+$/g, '');
  return cleaned || 'name';
}

/**
 * Checks that `value` is a DNS-1123 label; `what` names the value in the message
 * (e.g. "namespace").
 */
export function checkDnsLabel(owner: string, field: string, value: string, what: string): void {
  if (isDns1123Label(value)) {
    return;
  }
  fail(owner, field, `${JSON.stringify(value)} is not a valid ${what}: ${labelRules()}; for example "${suggestDnsLabel(value)}"`);
}

/** Checks that `value` is a DNS-1123 subdomain. */
export function checkDnsSubdomain(owner: string, field: string, value: string, what: string): void {
  if (isDns1123Subdomain(value)) {
    return;
  }
  fail(
    owner,
    field,
    `${JSON.stringify(value)} is not a valid ${what}: use at most ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters of dot-separated ` +
      `labels (${labelRules()}); for example "${suggestDnsLabel(value)}"`,
  );
}

function labelRules(): string {
  return `use at most ${DNS1123_LABEL_MAX_LENGTH} lower-case letters, digits and '-', starting and ending with a letter or digit`;
}

/**
 * Checks the final name of a Calico policy in `tier`. Calico accepts `<name>` in the default
 * tier and `<tier>.<name>` in any tier, where `<name>` is a DNS-1123 label (so one dot at most),
 * and at most 253 characters in all.
 */
export function checkPolicyName(owner: string, field: string, name: string, tier: string): void {
  if (typeof name !== 'string' || name.length === 0) {
    fail(owner, field, 'the policy name is empty; give metadata.name or leave it out to generate one');
  }
  if (name.length > DNS1123_SUBDOMAIN_MAX_LENGTH) {
    fail(owner, field, `the policy name "${name}" is ${name.length} characters long; use at most ${DNS1123_SUBDOMAIN_MAX_LENGTH}`);
  }
  const base = name.startsWith(`${tier}.`) ? name.slice(tier.length + 1) : name;
  if (!POLICY_NAME.test(name)) {
    const expected = tier === DEFAULT_TIER ? '"<name>"' : `"${tier}.<name>"`;
    fail(
      owner,
      field,
      `"${name}" is not a valid policy name in tier "${tier}": Calico expects ${expected} where <name> is a DNS-1123 label ` +
        `(${labelRules()}; no further dots); for example "${suggestDnsLabel(base)}"`,
    );
  }
  if (tier !== DEFAULT_TIER && !name.startsWith(`${tier}.`)) {
    fail(owner, field, `"${name}" must start with the tier name: use "${tier}.${name}"`);
  }
  if (tier === DEFAULT_TIER && name.includes('.') && !name.startsWith(`${DEFAULT_TIER}.`)) {
    const [prefix, rest] = name.split('.');
    fail(
      owner,
      field,
      `"${name}" reads as a policy of tier "${prefix}", but the policy is in the default tier: name it "${rest}" ` +
        `(or "${DEFAULT_TIER}.${rest}"), or set tier: '${prefix}'`,
    );
  }
}

/**
 * Checks a Kubernetes qualified name (label keys, annotation keys): an optional DNS-1123
 * subdomain prefix and `/`, then a name of at most 63 characters.
 */
export function checkQualifiedName(owner: string, field: string, key: string, what: string): void {
  const problem = qualifiedNameProblem(key);
  if (problem) {
    fail(owner, field, `${JSON.stringify(key)} is not a valid ${what}: ${problem}`);
  }
}

function qualifiedNameProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key.length === 0) {
    return 'it is empty';
  }
  const parts = key.split('/');
  if (parts.length > 2) {
    return "use at most one '/', between an optional DNS subdomain prefix and the name";
  }
  const name = parts[parts.length - 1];
  if (parts.length === 2 && !isDns1123Subdomain(parts[0])) {
    return `the prefix "${parts[0]}" must be a DNS-1123 subdomain (lower-case, e.g. "example.com")`;
  }
  if (name.length > DNS1123_LABEL_MAX_LENGTH) {
    return `the name part "${name}" is longer than ${DNS1123_LABEL_MAX_LENGTH} characters`;
  }
  if (!QUALIFIED_NAME_PART.test(name)) {
    return `the name part "${name}" must consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit`;
  }
  return undefined;
}

/** Checks labels (keys are qualified names, values label values). */
export function checkLabels(owner: string, field: string, labels: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    checkQualifiedName(owner, field, key, 'label key');
    checkLabelValue(owner, `${field}["${key}"]`, value);
  }
}

/** Checks a label value: at most 63 characters, alphanumeric at both ends, or empty. */
export function checkLabelValue(owner: string, field: string, value: string): void {
  if (typeof value !== 'string' || value.length > DNS1123_LABEL_MAX_LENGTH || !LABEL_VALUE.test(value)) {
    fail(
      owner,
      field,
      `${JSON.stringify(value)} is not a valid label value: use at most ${DNS1123_LABEL_MAX_LENGTH} letters, digits, '-', '_' or '.', ` +
        'starting and ending with a letter or digit (or the empty string)',
    );
  }
}

/** Checks annotations (keys are qualified names, values strings). */
export function checkAnnotations(owner: string, field: string, annotations: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(annotations ?? {})) {
    checkQualifiedName(owner, field, key, 'annotation key');
    if (typeof value !== 'string') {
      fail(owner, `${field}["${key}"]`, `annotation values must be strings, got ${JSON.stringify(value)}`);
    }
  }
}

/** Checks that `order` is a finite number (Calico orders policies and tiers by it). */
export function checkOrder(owner: string, field: string, order: number | undefined): void {
  if (order === undefined) {
    return;
  }
  if (typeof order !== 'number' || !Number.isFinite(order)) {
    fail(owner, field, `${String(order)} is not a usable order; use a finite number (lower orders apply first)`);
  }
}

/**
 * Whether `name` is a valid Kubernetes port name (an IANA service name): 1-15 characters of
 * `a-z`, `0-9` and `-`, at least one letter, no leading, trailing or doubled `-`.
 */
export function portNameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) {
    return 'a port name cannot be empty';
  }
  if (name.length > 15) {
    return `port name "${name}" is ${name.length} characters long; port names have at most 15`;
  }
  if (!/^[a-z0-9-]+$/.test(name)) {
    return `port name "${name}" may only contain lower-case letters, digits and '-'`;
  }
  if (!/[a-z]/.test(name)) {
    return `port name "${name}" must contain at least one letter (a number is a port number: use Port.tcp(n) or Port.number(n))`;
  }
  if (name.startsWith('-') || name.endsWith('-') || name.includes('--')) {
    return `port name "${name}" cannot start or end with '-' or contain '--'`;
  }
  return undefined;
}

/** A parsed IP network. */
export interface ParsedCidr {
  /** 4 or 6. */
  readonly version: 4 | 6;
  /** The prefix length. */
  readonly prefix: number;
  /** Whether the host bits are all zero. */
  readonly masked: boolean;
  /** The network written with its host bits cleared, e.g. `10.0.0.0/8`. */
  readonly network: string;
  /** Whether the network has prefix length 0 (all addresses of its version). */
  readonly everything: boolean;
  /** Whether the text had no `/prefix` (a single address). */
  readonly bareAddress: boolean;
  /** The network address (host bits cleared) as a number. */
  readonly base: bigint;
}

/**
 * Parses an IPv4 or IPv6 CIDR (`10.0.0.0/8`, `fd00::/8`) or a bare address, the way Go's
 * `net.ParseCIDR` does (no zones, no leading zeros in IPv4 octets). Returns a reason string
 * if it cannot be parsed.
 */
export function parseCidr(text: string): ParsedCidr | string {
  if (typeof text !== 'string' || text.length === 0) {
    return 'an empty string is not a CIDR';
  }
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  const v4 = parseIpv4(addressText);
  const v6 = v4 === undefined ? parseIpv6(addressText) : undefined;
  if (v4 === undefined && v6 === undefined) {
    return `"${addressText}" is not an IPv4 or IPv6 address`;
  }
  const version: 4 | 6 = v4 !== undefined ? 4 : 6;
  const bits = version === 4 ? 32 : 128;
  const address = (v4 ?? v6) as bigint;
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^(0|[1-9][0-9]*)$/.test(prefixText) || Number(prefixText) > bits) {
      return `"/${prefixText}" is not a valid prefix length for IPv${version}; use /0 to /${bits}`;
    }
    prefix = Number(prefixText);
  }
  const networkAddress = address - (address % 2n ** BigInt(bits - prefix));
  const formatted = version === 4 ? formatIpv4(networkAddress) : formatIpv6(networkAddress);
  return {
    version,
    prefix,
    masked: networkAddress === address,
    network: `${formatted}/${prefix}`,
    everything: prefix === 0,
    bareAddress: prefixText === undefined,
    base: networkAddress,
  };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return undefined;
  }
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) {
      return undefined;
    }
    value = value * 256n + BigInt(Number(part));
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) {
    return undefined;
  }
  const halves = text.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const parseGroups = (part: string, allowTrailingIpv4: boolean): number[] | undefined => {
    if (part === '') {
      return [];
    }
    const groups = part.split(':');
    const result: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i];
      if (allowTrailingIpv4 && i === groups.length - 1 && group.includes('.')) {
        const v4 = parseIpv4(group);
        if (v4 === undefined) {
          return undefined;
        }
        result.push(Number(v4 / 65536n), Number(v4 % 65536n));
        continue;
      }
      if (!/^[0-9A-Fa-f]{1,4}$/.test(group)) {
        return undefined;
      }
      result.push(parseInt(group, 16));
    }
    return result;
  };
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0], false);
    const tail = parseGroups(halves[1], true);
    if (!head || !tail || head.length + tail.length > 7) {
      return undefined;
    }
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(text, true);
    if (!all || all.length !== 8) {
      return undefined;
    }
    groups = all;
  }
  return groups.reduce((acc, g) => acc * 65536n + BigInt(g), 0n);
}

function formatIpv4(value: bigint): string {
  return [3n, 2n, 1n, 0n].map((octet) => String(Number((value / 256n ** octet) % 256n))).join('.');
}

/** RFC 5952 text form: lower-case, no leading zeros, longest run of two or more zero groups as `::`. */
function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) {
    groups.push(Number((value / 65536n ** BigInt(i)) % 65536n));
  }
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) {
    return hex.join(':');
  }
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

/**
 * Checks one CIDR of a rule or network set and returns it parsed.
 *
 * @param strict require a `/prefix` and cleared host bits (rule nets); network sets accept a
 * bare address or host bits, as Calico does
 */
export function checkCidr(owner: string, field: string, text: string, strict: boolean): ParsedCidr {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') {
    fail(owner, field, `${JSON.stringify(text)} is not a valid CIDR: ${parsed}; write a network such as "10.0.0.0/8" or "fd00::/8"`);
  }
  if (strict && parsed.bareAddress) {
    fail(owner, field, `"${text}" has no prefix length; write "${parsed.network}" for this single address`);
  }
  if (strict && !parsed.masked) {
    const host = `${text.slice(0, text.indexOf('/'))}/${parsed.version === 4 ? 32 : 128}`;
    fail(owner, field, `"${text}" is not correctly masked (host bits are set): use "${parsed.network}" for the network, or "${host}" for the single address`);
  }
  return parsed;
}

/** Whether network `inner` lies inside network `outer` (same IP version, at least as long a prefix). */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.version !== inner.version || inner.prefix < outer.prefix) {
    return false;
  }
  const bits = outer.version === 4 ? 32 : 128;
  const size = 2n ** BigInt(bits - outer.prefix);
  return inner.base / size === outer.base / size;
}
