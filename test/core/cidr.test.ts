import {
  anyCidrContains,
  Cidr,
  cidrContains,
  cidrContainsCidr,
  formatIp,
  parseCidr,
  parseIpAddress,
  parsePrefixedCidr,
  readIpBlock,
  ruleNetProblem,
} from '../../src/core/cidr';

const cidr = (text: string): Cidr => parseCidr(text) as Cidr;

describe('parseIpAddress (Go net.ParseIP)', () => {
  test('IPv4', () => {
    expect(parseIpAddress('10.1.2.3')).toEqual({ version: 4, value: 0x0a010203n, text: '10.1.2.3' });
    expect(parseIpAddress('0.0.0.0')!.value).toBe(0n);
    expect(parseIpAddress('255.255.255.255')!.value).toBe(0xffffffffn);
  });

  test('invalid IPv4, surrounding spaces included', () => {
    for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', 'a.b.c.d', '', '1.2.3.-1', ' 10.0.0.1', '10.0.0.1 ']) {
      expect(parseIpAddress(bad)).toBeUndefined();
    }
    expect(parseIpAddress(5 as any)).toBeUndefined();
  });

  test('IPv6 in full, compressed and with an embedded IPv4 address', () => {
    expect(parseIpAddress('2001:db8:0:0:0:0:0:1')!.text).toBe('2001:db8::1');
    expect(parseIpAddress('2001:DB8::1')!.value).toBe(0x20010db8000000000000000000000001n);
    expect(parseIpAddress('::')!.value).toBe(0n);
    expect(parseIpAddress('::1')!.text).toBe('::1');
    expect(parseIpAddress('fe80::')!.text).toBe('fe80::');
    expect(parseIpAddress('::ffff:10.0.0.1')!.value).toBe(0xffff0a000001n);
  });

  test('invalid IPv6', () => {
    for (const bad of ['1::2::3', ':::', '12345::', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', '::ffff:300.0.0.1', 'g::1', ':', 'fe80::1%eth0']) {
      expect(parseIpAddress(bad)).toBeUndefined();
    }
  });
});

describe('formatIp', () => {
  test('compresses the longest run of zero groups, not a single one', () => {
    expect(formatIp(6, 0x20010db8000000010000000000000001n)).toBe('2001:db8:0:1::1');
    expect(formatIp(6, 0x20010db8000100020003000400050006n)).toBe('2001:db8:1:2:3:4:5:6');
    expect(formatIp(6, 0x20010000000100000000000000000000n)).toBe('2001:0:1::');
    expect(formatIp(4, 0xc0a80001n)).toBe('192.168.0.1');
  });
});

describe('parseCidr and containment', () => {
  test('networks keep the written text and know whether host bits were set', () => {
    expect(parseCidr('10.1.2.3/8')).toMatchObject({ version: 4, base: 0x0a000000n, prefix: 8, text: '10.1.2.3/8', canonical: '10.0.0.0/8', masked: false, bareAddress: false });
    expect(parseCidr('fd00::1')).toMatchObject({ prefix: 128, bareAddress: true });
    expect(parseCidr('10.0.0.0/33')).toBe('"/33" is not a valid prefix length for IPv4; use /0 to /32');
    expect(parseCidr('x/8')).toBe('"x" is not an IPv4 or IPv6 address');
  });

  test('same family only; edges included', () => {
    const block = cidr('10.0.0.0/24');
    expect(cidrContains(block, parseIpAddress('10.0.0.0')!)).toBe(true);
    expect(cidrContains(block, parseIpAddress('10.0.0.255')!)).toBe(true);
    expect(cidrContains(block, parseIpAddress('10.0.1.0')!)).toBe(false);
    expect(cidrContains(cidr('::/0'), parseIpAddress('10.0.0.1')!)).toBe(false);
    expect(anyCidrContains([cidr('10.0.0.0/8'), cidr('192.168.0.0/16')], parseIpAddress('192.168.3.4')!)).toBe(true);
    expect(anyCidrContains([], parseIpAddress('172.16.0.1')!)).toBe(false);
    expect(cidrContainsCidr(cidr('10.0.0.0/8'), cidr('10.244.0.0/16'))).toBe(true);
    expect(cidrContainsCidr(cidr('10.244.0.0/16'), cidr('10.0.0.0/8'))).toBe(false);
  });
});

describe('networks that need a prefix', () => {
  test('parsePrefixedCidr refuses a bare address and keeps host bits', () => {
    expect(parsePrefixedCidr('10.0.0.1')).toBe('"10.0.0.1" has no prefix length; write "10.0.0.1/32" for this single address');
    expect(parsePrefixedCidr('10.0.0.1/8')).toMatchObject({ canonical: '10.0.0.0/8', masked: false });
    expect(parsePrefixedCidr(undefined)).toBe('undefined is not a valid CIDR: undefined is not a CIDR; write a network such as "10.0.0.0/8" or "fd00::/8"');
  });

  test('rule nets also need cleared host bits (messages unchanged)', () => {
    expect(ruleNetProblem('10.0.0.0/8')).toBeUndefined();
    expect(ruleNetProblem('10.0.0.1')).toBe('"10.0.0.1" has no prefix length; write "10.0.0.1/32" for this single address');
    expect(ruleNetProblem('10.0.0.1/8')).toBe('"10.0.0.1/8" is not correctly masked (host bits are set): use "10.0.0.0/8" for the network, or "10.0.0.1/32" for the single address');
    expect(ruleNetProblem('bad')).toBe('"bad" is not a valid CIDR: "bad" is not an IPv4 or IPv6 address; write a network such as "10.0.0.0/8" or "fd00::/8"');
  });
});

describe('readIpBlock (Kubernetes ValidateIPBlock)', () => {
  test('a cidr and excepts strictly inside it', () => {
    const read = readIpBlock('0.0.0.0/0', ['10.0.0.0/8', '192.168.1.1/16']);
    expect('block' in read && read.block.cidr.canonical).toBe('0.0.0.0/0');
    expect('block' in read && read.block.except.map((c) => c.canonical)).toEqual(['10.0.0.0/8', '192.168.0.0/16']);
    expect(readIpBlock('10.0.0.0/8', undefined)).toMatchObject({ block: { except: [] } });
  });

  test('problems name the field within the ipBlock', () => {
    expect(readIpBlock(undefined, [])).toEqual({ field: 'cidr', problem: 'missing: an ipBlock needs a cidr such as "10.0.0.0/8"' });
    expect(readIpBlock('10.0.0.1', [])).toEqual({ field: 'cidr', problem: '"10.0.0.1" has no prefix length; write "10.0.0.1/32" for this single address' });
    expect(readIpBlock('10.0.0.0/8', 'x')).toEqual({ field: 'except', problem: 'expected a list of CIDRs, got "x"' });
    expect(readIpBlock('10.0.0.0/8', ['10.1.0.0/16', '10.0.0.0/8'])).toEqual({ field: 'except[1]', problem: '"10.0.0.0/8" must be a strict subset of the ipBlock cidr "10.0.0.0/8"' });
    expect(readIpBlock('10.0.0.0/8', ['11.0.0.0/16'])).toMatchObject({ field: 'except[0]' });
    expect(readIpBlock('10.0.0.0/8', ['fd00::/16'])).toMatchObject({ field: 'except[0]' });
    expect(readIpBlock('10.0.0.0/8', [7])).toMatchObject({ field: 'except[0]', problem: '7 is not a valid CIDR: 7 is not a CIDR; write a network such as "10.0.0.0/8" or "fd00::/8"' });
  });
});
