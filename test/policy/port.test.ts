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

  test('Port.of(), rangeOf() and namedOf() take a Protocol value', () => {
    expect(Port.of(Protocol.UDP, 53).protocol).toBe(Protocol.UDP);
    expect(Port.of(Protocol.of(6), 22).value).toBe(22);
    expect(Port.rangeOf(Protocol.SCTP, 1, 9).value).toBe('1:9');
    expect(Port.namedOf(Protocol.TCP, 'http').protocol).toBe(Protocol.TCP);
  });

  test('a named port carries no protocol until given one', () => {
    expect(Port.named('metrics').protocol).toBeUndefined();
  });
});

describe('Port factories check their input at once', () => {
  test.each([
    [() => Port.tcp(70000), 'Port.tcp(): 70000 is not a valid port number; use an integer from 1 to 65535'],
    [() => Port.udp(0), 'Port.udp(): 0 is not a valid port number; use an integer from 1 to 65535'],
    [() => Port.sctp(1.5), 'Port.sctp(): 1.5 is not a valid port number; use an integer from 1 to 65535'],
    [() => Port.number(-1), 'Port.number(): -1 is not a valid port number; use an integer from 1 to 65535'],
    [() => Port.of(Protocol.TCP, 65536), 'Port.of(): 65536 is not a valid port number; use an integer from 1 to 65535'],
    [() => Port.tcpRange(10, 5), 'Port.tcpRange(): port range 10:5 is not valid: the first port is greater than the last; write "5:10"'],
    [() => Port.udpRange(0, 5), 'Port.udpRange(): port range 0:5 is not valid; use "min:max" with 1 <= min <= max <= 65535'],
    [() => Port.sctpRange(1, 70000), /^Port.sctpRange\(\): port range 1:70000 is not valid/],
    [() => Port.range(NaN, 2), /^Port.range\(\): port range NaN:2 is not valid/],
    [() => Port.rangeOf(Protocol.UDP, 9, 1), /^Port.rangeOf\(\): port range 9:1 is not valid/],
    [() => Port.named('HTTP'), 'Port.named(): port name "HTTP" may only contain lower-case letters, digits and \'-\''],
    [() => Port.named('a-very-long-port-name'), 'Port.named(): port name "a-very-long-port-name" is 21 characters long; port names have at most 15'],
    [() => Port.namedTcp('8080'), /^Port.namedTcp\(\): port name "8080" must contain at least one letter/],
    [() => Port.namedUdp(''), 'Port.namedUdp(): a port name cannot be empty'],
    [() => Port.namedSctp('-x'), /^Port.namedSctp\(\): port name "-x" cannot start or end with '-'/],
    [() => Port.of(Protocol.ICMP, 1), 'Port.of(): protocol: protocol ICMP has no ports; ports exist for TCP, UDP and SCTP only'],
    [() => Port.rangeOf(Protocol.UDPLITE, 1, 2), 'Port.rangeOf(): protocol: protocol UDPLite has no ports; ports exist for TCP, UDP and SCTP only'],
    [() => Port.namedOf('TCP' as any, 'http'), 'Port.namedOf(): protocol: "TCP" is not a Protocol; use Protocol.TCP, Protocol.UDP or Protocol.SCTP'],
  ])('%#', (make, message) => {
    expect(make).toThrow(message as any);
  });

  test('the bounds are valid', () => {
    expect(Port.tcp(1).value).toBe(1);
    expect(Port.tcp(65535).value).toBe(65535);
    expect(Port.tcpRange(1, 65535).value).toBe('1:65535');
    expect(Port.named('abcdefghijklmno').value).toBe('abcdefghijklmno');
  });
});
