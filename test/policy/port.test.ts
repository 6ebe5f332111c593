import { Port } from '../../src/policy/port';
import { Protocol } from '../../src/policy/protocol';

describe('Port', () => {
  test('single ports render as numbers and carry their protocol', () => {
    expect(Port.tcp(443).value).toBe(443);
    expect(Port.tcp(443).protocol).toBe(Protocol.TCP);
    expect(Port.udp(53).protocol).toBe(Protocol.UDP);
    expect(Port.sctp(9899).protocol).toBe(Protocol.SCTP);
    expect(Port.sctp(9899).value).toBe(9899);
    expect(Port.tcp(443).minPort).toBe(443);
    expect(Port.tcp(443).maxPort).toBe(443);
    expect(Port.tcp(443).isNamed).toBe(false);
  });

  test('ranges render as "min:max" strings', () => {
    expect(Port.tcpRange(8000, 8080).value).toBe('8000:8080');
    expect(Port.udpRange(30000, 32767).value).toBe('30000:32767');
    expect(Port.sctpRange(1, 2).value).toBe('1:2');
    expect(Port.range(1024, 2048).value).toBe('1024:2048');
    expect(Port.tcpRange(8000, 8080).protocol).toBe(Protocol.TCP);
    expect(Port.udpRange(1, 2).protocol).toBe(Protocol.UDP);
    expect(Port.sctpRange(1, 2).protocol).toBe(Protocol.SCTP);
  });

  test('a range of one port renders as a number', () => {
    expect(Port.tcpRange(80, 80).value).toBe(80);
  });

  test('ports without protocol', () => {
    expect(Port.number(8080).protocol).toBeUndefined();
    expect(Port.number(8080).value).toBe(8080);
    expect(Port.range(1, 2).protocol).toBeUndefined();
    expect(Port.named('http').protocol).toBeUndefined();
  });

  test('named ports render as their name', () => {
    expect(Port.named('http').value).toBe('http');
    expect(Port.named('http').isNamed).toBe(true);
    expect(Port.named('http').portName).toBe('http');
    expect(Port.namedTcp('http').protocol).toBe(Protocol.TCP);
    expect(Port.namedUdp('dns').protocol).toBe(Protocol.UDP);
    expect(Port.namedSctp('sig').protocol).toBe(Protocol.SCTP);
    expect(Port.namedTcp('http').minPort).toBeUndefined();
  });

  test('toString is the manifest form', () => {
    expect(Port.tcp(443).toString()).toBe('443');
    expect(Port.tcpRange(1, 9).toString()).toBe('1:9');
    expect(Port.named('metrics').toString()).toBe('metrics');
  });

  test('values are kept as given; they are checked when a rule is added', () => {
    expect(Port.tcp(70000).value).toBe(70000);
    expect(Port.tcpRange(9, 1).value).toBe('9:1');
  });
});
