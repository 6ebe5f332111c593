import { ObjectRef } from '../../src/analysis/network-objects';
import { containerPortsOf, k8sProtocolAt, resolveNamedPort } from '../../src/analysis/network-ports';

const ref = new ObjectRef('Pod', 'v1', 'p', 'prod');

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
      'Pod prod/p (v1): spec.containers[0].ports[0].containerPort: expected a port number from 1 to 65535, got 0',
    );
    expect(() => containerPortsOf({ containers: [{ ports: [{ containerPort: 80, name: 5 }] }] }, ref, 'spec')).toThrow('spec.containers[0].ports[0].name: expected a port name string');
    expect(() => containerPortsOf({ containers: [{ ports: [{ containerPort: 80, protocol: 'ICMP' }] }] }, ref, 'spec')).toThrow(
      'spec.containers[0].ports[0].protocol: "ICMP" is not a Kubernetes protocol; use TCP, UDP or SCTP',
    );
  });

  test('port names follow the Kubernetes rule Calico resolves them by', () => {
    expect(() => containerPortsOf({ containers: [{ ports: [{ containerPort: 80, name: 'HTTP' }] }] }, ref, 'spec')).toThrow(
      'spec.containers[0].ports[0].name: port name "HTTP" may only contain lower-case letters, digits and \'-\'',
    );
    expect(() => containerPortsOf({ containers: [{ ports: [{ containerPort: 80, name: 'a-very-long-port-name' }] }] }, ref, 'spec')).toThrow('port names have at most 15');
  });
});

describe('Kubernetes protocols', () => {
  test('TCP, UDP and SCTP, case-sensitive', () => {
    expect(k8sProtocolAt('SCTP', ref, 'p')).toBe(132);
    expect(() => k8sProtocolAt('tcp', ref, 'spec.ports[0].protocol')).toThrow('spec.ports[0].protocol: "tcp" is not a Kubernetes protocol; use TCP, UDP or SCTP');
  });
});
