/**
 * IPv4/IPv6 addresses and CIDR blocks for the network model.
 *
 * Internal module: the addresses are kept as `bigint` so that both families share one
 * containment test.
 */

/** An IP address. */
export interface IpAddress {
  /** 4 or 6. */
  readonly version: 4 | 6;
  /** The address as an unsigned integer (32 or 128 bits). */
  readonly value: bigint;
  /** The canonical text form. */
  readonly text: string;
}

/** A CIDR block (host bits cleared, as Calico normalizes them). */
export interface Cidr {
  /** 4 or 6. */
  readonly version: 4 | 6;
  /** The network address as an unsigned integer. */
  readonly network: bigint;
  /** The prefix length. */
  readonly prefix: number;
  /** The text as written in the manifest. */
  readonly text: string;
}

const V4_PART = /^(0|[1-9][0-9]{0,2})$/;
const V6_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseV4Value(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return undefined;
  }
  let value = 0n;
  for (const part of parts) {
    if (!V4_PART.test(part)) {
      return undefined;
    }
    const n = Number(part);
    if (n > 255) {
      return undefined;
    }
    value = value * 256n + BigInt(n);
  }
  return value;
}

function parseV6Value(text: string): bigint | undefined {
  if (text.length === 0 || text.includes(':::')) {
    return undefined;
  }
  const halves = text.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const groupsOf = (s: string): string[] | undefined => {
    if (s === '') {
      return [];
    }
    const raw = s.split(':');
    const out: string[] = [];
    for (let i = 0; i < raw.length; i++) {
      const g = raw[i];
      if (i === raw.length - 1 && g.includes('.')) {
        const v4 = parseV4Value(g);
        if (v4 === undefined) {
          return undefined;
        }
        out.push((v4 / 65536n).toString(16), (v4 % 65536n).toString(16));
      } else if (V6_GROUP.test(g)) {
        out.push(g);
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (head === undefined || tail === undefined) {
    return undefined;
  }
  let groups: string[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) {
      return undefined;
    }
    groups = [...head, ...new Array<string>(missing).fill('0'), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) {
    return undefined;
  }
  let value = 0n;
  for (const g of groups) {
    value = value * 65536n + BigInt(parseInt(g, 16));
  }
  return value;
}

/** Formats an address value in its canonical text form (RFC 5952 for IPv6). */
export function formatIp(version: 4 | 6, value: bigint): string {
  if (version === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => ((value / 2n ** shift) % 256n).toString()).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) {
    groups.push(Number((value / 2n ** BigInt(i * 16)) % 65536n));
  }
  // The longest run (of at least two) of zero groups becomes "::".
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) {
      j++;
    }
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) {
    return hex.join(':');
  }
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Parses an IPv4 or IPv6 address; `undefined` when the text is not one. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (typeof text !== 'string') {
    return undefined;
  }
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseV6Value(trimmed);
    return value === undefined ? undefined : { version: 6, value, text: formatIp(6, value) };
  }
  const value = parseV4Value(trimmed);
  return value === undefined ? undefined : { version: 4, value, text: formatIp(4, value) };
}

function bitsOf(version: 4 | 6): number {
  return version === 4 ? 32 : 128;
}

/**
 * Parses a CIDR block such as `10.0.0.0/8` or `2001:db8::/32`.
 *
 * @param text the block
 * @param allowBareAddress when true, a plain address is read as a /32 (or /128) block
 * @returns the block, or `undefined` when the text is not valid
 */
export function parseCidr(text: string, allowBareAddress: boolean): Cidr | undefined {
  if (typeof text !== 'string') {
    return undefined;
  }
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const address = parseIpAddress(addressText);
  if (address === undefined) {
    return undefined;
  }
  const bits = bitsOf(address.version);
  let prefix: number;
  if (slash < 0) {
    if (!allowBareAddress) {
      return undefined;
    }
    prefix = bits;
  } else {
    const prefixText = trimmed.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) {
      return undefined;
    }
    prefix = Number(prefixText);
    if (prefix > bits) {
      return undefined;
    }
  }
  const block = 2n ** BigInt(bits - prefix);
  const network = (address.value / block) * block;
  return { version: address.version, network, prefix, text: trimmed };
}

/** Whether `address` lies inside `cidr` (always false across families). */
export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  if (cidr.version !== address.version) {
    return false;
  }
  const block = 2n ** BigInt(bitsOf(cidr.version) - cidr.prefix);
  return address.value / block === cidr.network / block;
}

/** Whether any block of `cidrs` contains `address`. */
export function anyCidrContains(cidrs: readonly Cidr[], address: IpAddress): boolean {
  for (const cidr of cidrs) {
    if (cidrContains(cidr, address)) {
      return true;
    }
  }
  return false;
}
