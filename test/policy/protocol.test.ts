import { Protocol } from '../../src/policy/protocol';

describe('Protocol', () => {
  test.each([
    [Protocol.TCP, 'TCP', 6],
    [Protocol.UDP, 'UDP', 17],
    [Protocol.ICMP, 'ICMP', 1],
    [Protocol.ICMPV6, 'ICMPv6', 58],
    [Protocol.SCTP, 'SCTP', 132],
    [Protocol.UDPLITE, 'UDPLite', 136],
  ])('%s renders as its Calico name', (protocol, name, num) => {
    expect(protocol.value).toBe(name);
    expect(protocol.name).toBe(name);
    expect(protocol.protocolNumber).toBe(num);
    expect(protocol.toString()).toBe(name);
    expect(Protocol.named(name)).toBe(protocol);
  });

  test('numeric protocols render as numbers', () => {
    const gre = Protocol.of(47);
    expect(gre.value).toBe(47);
    expect(gre.name).toBe('47');
    expect(gre.toString()).toBe('47');
    expect(Protocol.of(1).value).toBe(1);
    expect(Protocol.of(255).value).toBe(255);
  });

  test.each([0, 256, -1])('Protocol.of(%p) is rejected, naming the factory and the range', (n) => {
    expect(() => Protocol.of(n)).toThrow(`Protocol.of(): protocolNumber: ${n} is not a valid protocol number; use an integer from 1 to 255 (0 is not allowed)`);
  });

  test.each([6.5, NaN, '6' as any])('Protocol.of(%p) is rejected: not a whole number', (n) => {
    expect(() => Protocol.of(n)).toThrow(/^Protocol.of\(\): protocolNumber: .* is not a whole number; give an IP protocol number from 1 to 255$/);
  });

  test('names are case-sensitive, with a hint for the right spelling', () => {
    expect(() => Protocol.named('tcp')).toThrow('Protocol.named(): name: "tcp" is not a Calico protocol name: names are case-sensitive; write "TCP" (Protocol.TCP)');
    expect(() => Protocol.named('icmpv6')).toThrow(/write "ICMPv6" \(Protocol.ICMPV6\)/);
    expect(() => Protocol.named('UDPLITE')).toThrow(/write "UDPLite" \(Protocol.UDPLITE\)/);
  });

  test('unknown names list the accepted ones', () => {
    expect(() => Protocol.named('GRE')).toThrow(
      'Protocol.named(): name: "GRE" is not a Calico protocol; use one of TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite, or a number from 1 to 255; for a number use Protocol.of(n)',
    );
    expect(() => Protocol.named('6')).toThrow('Protocol.named(): name: "6" is not a Calico protocol name; for a number use Protocol.of(n)');
    expect(() => Protocol.named(undefined as any)).toThrow(/^Protocol.named\(\): name: undefined is not a Calico protocol name/);
  });

  test('supportsPorts is true for TCP, UDP and SCTP by name or number', () => {
    expect([Protocol.TCP, Protocol.UDP, Protocol.SCTP, Protocol.of(6), Protocol.of(17), Protocol.of(132)].every((p) => p.supportsPorts)).toBe(true);
    expect([Protocol.ICMP, Protocol.ICMPV6, Protocol.UDPLITE, Protocol.of(47)].some((p) => p.supportsPorts)).toBe(false);
  });

  test('ICMP flavours are recognised by name or number', () => {
    expect(Protocol.ICMP.isIcmp && Protocol.of(1).isIcmp).toBe(true);
    expect(Protocol.ICMPV6.isIcmpV6 && Protocol.of(58).isIcmpV6).toBe(true);
    expect(Protocol.TCP.isIcmp || Protocol.TCP.isIcmpV6 || Protocol.ICMP.isIcmpV6).toBe(false);
  });

  test('sameAs compares protocol numbers', () => {
    expect(Protocol.TCP.sameAs(Protocol.of(6))).toBe(true);
    expect(Protocol.TCP.sameAs(Protocol.UDP)).toBe(false);
  });
});
