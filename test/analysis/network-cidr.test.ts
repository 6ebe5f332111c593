import { anyCidrContains, cidrContains, formatIp, parseCidr, parseIpAddress } from '../../src/analysis/network-cidr';

describe('parseIpAddress', () => {
  test('IPv4', () => {
    expect(parseIpAddress('10.1.2.3')).toEqual({ version: 4, value: 0x0a010203n, text: '10.1.2.3' });
    expect(parseIpAddress(' 0.0.0.0 ')!.value).toBe(0n);
    expect(parseIpAddress('255.255.255.255')!.value).toBe(0xffffffffn);
  });

  test('invalid IPv4', () => {
    for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', 'a.b.c.d', '', '1.2.3.-1']) {
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
    for (const bad of ['1::2::3', ':::', '12345::', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', '::ffff:300.0.0.1', 'g::1', ':']) {
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

describe('parseCidr', () => {
  test('blocks, with host bits cleared', () => {
    expect(parseCidr('10.1.2.3/8', false)).toEqual({ version: 4, network: 0x0a000000n, prefix: 8, text: '10.1.2.3/8' });
    expect(parseCidr('0.0.0.0/0', false)!.prefix).toBe(0);
    expect(parseCidr('2001:db8::/32', false)).toMatchObject({ version: 6, prefix: 32 });
  });

  test('a bare address only when allowed', () => {
    expect(parseCidr('10.0.0.1', true)).toMatchObject({ prefix: 32 });
    expect(parseCidr('fd00::1', true)).toMatchObject({ prefix: 128 });
    expect(parseCidr('10.0.0.1', false)).toBeUndefined();
  });

  test('invalid blocks', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/08', 'fd00::/129', 'x/8', '10.0.0.0/-1']) {
      expect(parseCidr(bad, true)).toBeUndefined();
    }
    expect(parseCidr(undefined as any, true)).toBeUndefined();
  });
});

describe('containment', () => {
  test('same family only; edges included', () => {
    const block = parseCidr('10.0.0.0/24', false)!;
    expect(cidrContains(block, parseIpAddress('10.0.0.0')!)).toBe(true);
    expect(cidrContains(block, parseIpAddress('10.0.0.255')!)).toBe(true);
    expect(cidrContains(block, parseIpAddress('10.0.1.0')!)).toBe(false);
    expect(cidrContains(parseCidr('::/0', false)!, parseIpAddress('10.0.0.1')!)).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0', false)!, parseIpAddress('10.0.0.1')!)).toBe(true);
  });

  test('any of several blocks', () => {
    const blocks = [parseCidr('10.0.0.0/8', false)!, parseCidr('192.168.0.0/16', false)!];
    expect(anyCidrContains(blocks, parseIpAddress('192.168.3.4')!)).toBe(true);
    expect(anyCidrContains(blocks, parseIpAddress('172.16.0.1')!)).toBe(false);
    expect(anyCidrContains([], parseIpAddress('172.16.0.1')!)).toBe(false);
  });
});
