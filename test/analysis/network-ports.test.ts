import { ObjectRef } from '../../src/analysis/network-objects';
import {
  containerPortsOf,
  parseCalicoPort,
  parseCalicoPorts,
  parseK8sProtocol,
  parseProtocol,
  protocolName,
  resolveNamedPort,
  supportsPorts,
} from '../../src/analysis/network-ports';

const ref = new ObjectRef('NetworkPolicy', 'projectcalico.org/v3', 'p', 'prod');

describe('protocols', () => {
  test('names (any case) and numbers', () => {
    expect(['TCP', 'udp', 'Icmp', 'ICMPv6', 'sctp', 'UDPLite'].map(parseProtocol)).toEqual([6, 17, 1, 58, 132, 136]);
    expect(parseProtocol(47)).toBe(47);
    expect(parseProtocol(' 50 ')).toBe(50);
    expect(parseProtocol(0)).toBeUndefined();
    expect(parseProtocol(256)).toBeUndefined();
    expect(parseProtocol(1.5)).toBeUndefined();
    expect(parseProtocol('GRE')).toBeUndefined();
    expect(parseProtocol(undefined)).toBeUndefined();
  });

  test('names and port support', () => {
    expect([6, 17, 1, 58, 132, 136, 47].map(protocolName)).toEqual(['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite', '47']);
    expect([6, 17, 132, 136].every(supportsPorts)).toBe(true);
    expect([1, 58, 47].some(supportsPorts)).toBe(false);
  });

  test('Kubernetes protocols', () => {
    expect(parseK8sProtocol('SCTP', ref, 'p')).toBe(132);
    expect(() => parseK8sProtocol('tcp', ref, 'spec.ports[0].protocol')).toThrow('spec.ports[0].protocol: "tcp" is not a Kubernetes protocol; use TCP, UDP or SCTP');
  });
});

describe('Calico ports', () => {
  test('numbers, ranges and names', () => {
    expect(parseCalicoPort(80, ref, 'x')).toEqual({ kind: 'range', min: 80, max: 80, text: '80' });
    expect(parseCalicoPort('8000:8080', ref, 'x')).toEqual({ kind: 'range', min: 8000, max: 8080, text: '8000:8080' });
    expect(parseCalicoPort('443', ref, 'x')).toEqual({ kind: 'range', min: 443, max: 443, text: '443' });
    expect(parseCalicoPort('http-alt', ref, 'x')).toEqual({ kind: 'name', name: 'http-alt', text: 'http-alt' });
    expect(parseCalicoPorts({ ports: [1, 'a'] }, 'ports', ref, 'x')).toHaveLength(2);
    expect(parseCalicoPorts({}, 'ports', ref, 'x')).toBeUndefined();
  });

  test('invalid ports name the field', () => {
    expect(() => parseCalicoPort(70000, ref, 'spec.ingress[0].destination.ports[0]')).toThrow('spec.ingress[0].destination.ports[0]: port 70000 is out of range; use an integer from 0 to 65535');
    expect(() => parseCalicoPort('90:80', ref, 'x')).toThrow('x: port range "90:80" is not valid; use "min:max" with 0 <= min <= max <= 65535');
    expect(() => parseCalicoPort('1:70000', ref, 'x')).toThrow('port range "1:70000" is not valid');
    expect(() => parseCalicoPort('-bad-', ref, 'x')).toThrow('x: "-bad-" is neither a port number, a "min:max" range nor a valid port name');
    expect(() => parseCalicoPort(true, ref, 'x')).toThrow('x: expected a port number, a "min:max" range or a port name, got true');
    expect(() => parseCalicoPort('', ref, 'x')).toThrow('expected a port number');
  });
});

describe('container ports', () => {
  test('containers and init containers, TCP by default', () => {
    const spec = {
      containers: [{ name: 'a', ports: [{ name: 'http', containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] }],
      initContainers: [{ name: 'sidecar', ports: [{ name: 'admin', containerPort: 9000 }] }],
    };
    const ports = containerPortsOf(spec, ref, 'spec');
    expect(ports).toEqual([
      { name: 'http', port: 80, protocol: 6 },
      { name: undefined, port: 53, protocol: 17 },
      { name: 'admin', port: 9000, protocol: 6 },
    ]);
    expect(resolveNamedPort(ports, 'http', 6)).toBe(80);
    expect(resolveNamedPort(ports, 'http', 17)).toBeUndefined();
    expect(containerPortsOf({}, ref, 'spec')).toEqual([]);
  });

  test('malformed container ports name the field', () => {
    expect(() => containerPortsOf({ containers: ['x'] }, ref, 'spec')).toThrow('spec.containers[0]: expected a container object');
    expect(() => containerPortsOf({ containers: [{ ports: ['80'] }] }, ref, 'spec')).toThrow('spec.containers[0].ports[0]: expected an object with containerPort');
    expect(() => containerPortsOf({ containers: [{ ports: [{ containerPort: 0 }] }] }, ref, 'spec')).toThrow(
      'spec.containers[0].ports[0].containerPort: expected a port number from 1 to 65535, got 0',
    );
    expect(() => containerPortsOf({ containers: [{ ports: [{ containerPort: 80, name: 5 }] }] }, ref, 'spec')).toThrow('spec.containers[0].ports[0].name: expected a port name string');
    expect(() => containerPortsOf({ containers: [{ ports: [{ containerPort: 80, protocol: 'ICMP' }] }] }, ref, 'spec')).toThrow('"ICMP" is not a Kubernetes protocol');
  });
});
