/**
 * IPv4 and IPv6 addresses and networks: the one parser of the package. It reads text the way Go's
 * `net.ParseIP`/`net.ParseCIDR` do (which Calico uses): no surrounding spaces, no zones, no leading
 * zeros in IPv4 octets, IPv6 with an optional trailing dotted IPv4 part.
 *
 * Addresses are kept as `bigint` so that both families share one containment test.
 *
 * Internal module: not part of the jsii API.
 */

/** An IP address. */
export interface IpAddress {
  /** 4 or 6. */
  readonly version: 4 | 6;
  /** The address as an unsigned integer (32 or 128 bits). */
  readonly value: bigint;
  /** The canonical text form (RFC 5952 for IPv6). */
  readonly text: string;
}

/** An IP network. */
export interface Cidr {
  /** 4 or 6. */
  readonly version: 4 | 6;
  /** The prefix length. */
  readonly prefix: number;
  /** The network address (host bits cleared) as an unsigned integer. */
  readonly base: bigint;
  /** The text as written. */
  readonly text: string;
  /** The network written with its host bits cleared, e.g. `10.0.0.0/8`. */
  readonly canonical: string;
  /** Whether the host bits of the written address were all zero. */
  readonly masked: boolean;
  /** Whether the text had no `/prefix` (a single address, read as /32 or /128). */
  readonly bareAddress: boolean;
}

/** The number of address bits of an IP version. */
export function addressBits(version: 4 | 6): number {
  return version === 4 ? 32 : 128;
}

/** Parses an IPv4 or IPv6 address; `undefined` when the text is not one. */
export function parseIpAddress(text: any): IpAddress | undefined {
  if (typeof text !== 'string' || text.length === 0) {
    return undefined;
  }
  const v4 = parseIpv4(text);
  if (v4 !== undefined) {
    return { version: 4, value: v4, text: formatIp(4, v4) };
  }
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  return v6 === undefined ? undefined : { version: 6, value: v6, text: formatIp(6, v6) };
}

/**
 * Parses a network (`10.0.0.0/8`, `fd00::/8`) or a bare address (read as /32 or /128, with
 * `bareAddress` set). Returns a reason when the text is neither.
 */
// Calico: libcalico-go/lib/net/ipnet.go ParseCIDR / ParseCIDROrIP (Go net.ParseCIDR)
export function parseCidr(text: any): Cidr | string {
  if (typeof text !== 'string' || text.length === 0) {
    return `${text === '' ? 'an empty string' : JSON.stringify(text) ?? String(text)} is not a CIDR`;
  }
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  const address = parseIpAddress(addressText);
  if (address === undefined) {
    return `"${addressText}" is not an IPv4 or IPv6 address`;
  }
  const bits = addressBits(address.version);
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^[0-9]{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
      return `"/${prefixText}" is not a valid prefix length for IPv${address.version}; use /0 to /${bits}`;
    }
    prefix = Number(prefixText);
  }
  const block = 2n ** BigInt(bits - prefix);
  const base = (address.value / block) * block;
  return {
    version: address.version,
    prefix,
    base,
    text,
    canonical: `${formatIp(address.version, base)}/${prefix}`,
    masked: base === address.value,
    bareAddress: prefixText === undefined,
  };
}

/**
 * Why `text` is not a network Calico accepts in a rule's `nets`/`notNets` (a CIDR with a prefix
 * length whose host bits are clear), or undefined.
 */
// Calico: validator.go validateIPNetwork ("net": masked) and validateRule scanNets (cnet.ParseCIDR: prefix required)
export function ruleNetProblem(text: any): string | undefined {
  const parsed = parsePrefixedCidr(text);
  if (typeof parsed === 'string') {
    return parsed;
  }
  if (!parsed.masked) {
    const host = `${text.slice(0, text.indexOf('/'))}/${addressBits(parsed.version)}`;
    return `"${text}" is not correctly masked (host bits are set): use "${parsed.canonical}" for the network, or "${host}" for the single address`;
  }
  return undefined;
}

/**
 * Parses a network that must have a prefix length (host bits may be set): the network, or why
 * the text is not one.
 */
// Calico: libcalico-go/lib/net/ipnet.go ParseCIDR (Go net.ParseCIDR: a prefix is required)
export function parsePrefixedCidr(text: any): Cidr | string {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') {
    return `${JSON.stringify(text) ?? String(text)} is not a valid CIDR: ${parsed}; write a network such as "10.0.0.0/8" or "fd00::/8"`;
  }
  if (parsed.bareAddress) {
    return `"${text}" has no prefix length; write "${parsed.canonical}" for this single address`;
  }
  return parsed;
}

/** A Kubernetes NetworkPolicy `ipBlock`: its network and the networks excepted from it. */
export interface IpBlock {
  /** `cidr` (host bits may be set; `base` has them cleared). */
  readonly cidr: Cidr;
  /** `except`, each strictly inside `cidr` (empty when not given). */
  readonly except: readonly Cidr[];
}

/** An ipBlock read, or its first problem with the field relative to the ipBlock (`cidr`, `except[1]`). */
export type IpBlockRead = { readonly block: IpBlock } | { readonly field: string; readonly problem: string };

/**
 * Reads a Kubernetes NetworkPolicy `ipBlock` as Kubernetes validates it: `cidr` is a network
 * with a prefix length, every `except` entry is a network strictly inside it (same family, longer
 * prefix). Calico turns the block into a rule's `nets` and `notNets`.
 */
// Kubernetes: pkg/apis/networking/validation ValidateIPBlock ("must be a strict subset of `cidr`");
// Calico: libcalico-go/lib/backend/k8s/conversion/conversion.go k8sPeerToCalicoFields (cidr -> nets, except -> notNets)
export function readIpBlock(cidrText: any, exceptTexts: any): IpBlockRead {
  if (cidrText === undefined || cidrText === null || cidrText === '') {
    return { field: 'cidr', problem: 'missing: an ipBlock needs a cidr such as "10.0.0.0/8"' };
  }
  const cidr = parsePrefixedCidr(cidrText);
  if (typeof cidr === 'string') {
    return { field: 'cidr', problem: cidr };
  }
  if (exceptTexts !== undefined && exceptTexts !== null && !Array.isArray(exceptTexts)) {
    return { field: 'except', problem: `expected a list of CIDRs, got ${JSON.stringify(exceptTexts) ?? String(exceptTexts)}` };
  }
  const except: Cidr[] = [];
  for (const [i, text] of (exceptTexts ?? []).entries()) {
    const inner = parsePrefixedCidr(text);
    if (typeof inner === 'string') {
      return { field: `except[${i}]`, problem: inner };
    }
    if (!cidrContainsCidr(cidr, inner) || inner.prefix === cidr.prefix) {
      return { field: `except[${i}]`, problem: `"${text}" must be a strict subset of the ipBlock cidr "${cidrText}"` };
    }
    except.push(inner);
  }
  return { block: { cidr, except } };
}

/** Whether `address` lies inside `cidr` (always false across families). */
export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  if (cidr.version !== address.version) {
    return false;
  }
  const block = 2n ** BigInt(addressBits(cidr.version) - cidr.prefix);
  return address.value / block === cidr.base / block;
}

/** Whether network `inner` lies inside network `outer` (same IP version, at least as long a prefix). */
export function cidrContainsCidr(outer: Cidr, inner: Cidr): boolean {
  if (outer.version !== inner.version || inner.prefix < outer.prefix) {
    return false;
  }
  const block = 2n ** BigInt(addressBits(outer.version) - outer.prefix);
  return inner.base / block === outer.base / block;
}

/** Whether any network of `cidrs` contains `address`. */
export function anyCidrContains(cidrs: readonly Cidr[], address: IpAddress): boolean {
  for (const cidr of cidrs) {
    if (cidrContains(cidr, address)) {
      return true;
    }
  }
  return false;
}

/** Whether the network is a whole family (`0.0.0.0/0` or `::/0`). */
export function isWholeFamily(cidr: Cidr): boolean {
  return cidr.prefix === 0;
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

/** The canonical text of an address: dotted IPv4, or RFC 5952 IPv6 (lower case, longest zero run as `::`). */
export function formatIp(version: 4 | 6, value: bigint): string {
  if (version === 4) {
    return [3n, 2n, 1n, 0n].map((octet) => String(Number((value / 256n ** octet) % 256n))).join('.');
  }
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
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
