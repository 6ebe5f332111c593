import { parseCalicoProtocol, parseQueryProtocol } from '../../src/core/protocol';

describe('protocols', () => {
  test('manifests: Calico names are case-sensitive', () => {
    expect(parseCalicoProtocol('UDPLite')).toEqual({ protocol: 136 });
    expect(parseCalicoProtocol('udp')).toEqual({ problem: '"udp" is not a Calico protocol name: names are case-sensitive; write "UDP"' });
  });

  test('queries: any case, or a number 1-255', () => {
    expect(['tcp', 'Udp', 'icmpv6', 'SCTP', 'udplite', 'ICMP'].map((p) => parseQueryProtocol(p))).toEqual([
      { protocol: 6 }, { protocol: 17 }, { protocol: 58 }, { protocol: 132 }, { protocol: 136 }, { protocol: 1 },
    ]);
    expect(parseQueryProtocol(47)).toEqual({ protocol: 47 });
    expect(parseQueryProtocol('50')).toEqual({ protocol: 50 });
    expect(parseQueryProtocol(0)).toEqual({ problem: '0 is not a valid protocol number; use an integer from 1 to 255 (0 is not allowed)' });
    expect(parseQueryProtocol('GRE')).toEqual({ problem: '"GRE" is not a protocol; use TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite (any case), or a number from 1 to 255' });
    expect(parseQueryProtocol(true)).toEqual({ problem: 'true is not a Calico protocol; use one of TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite, or a number from 1 to 255' });
  });
});
