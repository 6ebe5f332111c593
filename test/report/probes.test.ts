/**
 * The probes of the diff and the report: one port per range of ports the rules treat alike, one
 * address per class of addresses the rules' networks tell apart. The claim that one probe decides
 * for its whole class is checked against the network model on random policies.
 */
import fc from 'fast-check';
import { NetworkModel } from '../../src/analysis';
import { addressClasses, portClasses, probesOf } from '../../src/analysis/diff';
import { Cidr, parseCidr } from '../../src/core/cidr';

const NAMESPACE = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } };

function pod(name: string, ports: { name: string; containerPort: number; protocol?: string }[] = []): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i', ports }] } };
}

function calicoPolicy(name: string, spec: any): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name, namespace: 'ns' }, spec };
}

function cidrs(...texts: string[]): Cidr[] {
  return texts.map((t) => parseCidr(t) as Cidr);
}

describe('portClasses', () => {
  test('the numbers and ranges cut 1-65535 into ranges', () => {
    expect(portClasses([])).toEqual([[1, 65535]]);
    expect(portClasses([
      { kind: 'range', min: 443, max: 443, text: '443' },
      { kind: 'range', min: 8000, max: 8080, text: '8000:8080' },
      { kind: 'range', min: 8080, max: 9000, text: '8080:9000' },
      { kind: 'name', name: 'http', text: 'http' },
    ])).toEqual([[1, 442], [443, 443], [444, 7999], [8000, 8079], [8080, 8080], [8081, 9000], [9001, 65535]]);
    expect(portClasses([{ kind: 'range', min: 1, max: 65535, text: '1:65535' }])).toEqual([[1, 65535]]);
  });
});

describe('addressClasses', () => {
  const always = () => true;

  test('no networks: one address for the whole family, a documentation address', () => {
    expect(addressClasses([], 4, always)).toEqual([{ id: 'ip:203.0.113.10', description: 'any IPv4 address' }]);
    expect(addressClasses([], 6, always)).toEqual([{ id: 'ip:2001:db8::10', description: 'any IPv6 address' }]);
  });

  test('nested networks: each network minus the ones inside it, and the rest', () => {
    expect(addressClasses(cidrs('10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '192.168.0.0/16'), 4, always)).toEqual([
      { id: 'ip:10.0.0.0', description: '10.0.0.0/8 except 10.1.0.0/16' },
      { id: 'ip:10.1.0.0', description: '10.1.0.0/16 except 10.1.2.0/24' },
      { id: 'ip:10.1.2.0', description: '10.1.2.0/24' },
      { id: 'ip:192.168.0.0', description: '192.168.0.0/16' },
      { id: 'ip:203.0.113.10', description: 'any other IPv4 address' },
    ]);
  });

  test('0.0.0.0/0 leaves no other address; a fully covered network has no class of its own', () => {
    expect(addressClasses(cidrs('0.0.0.0/0', '203.0.113.0/24', '10.0.0.0/31', '10.0.0.0/32', '10.0.0.1/32'), 4, always)).toEqual([
      { id: 'ip:198.51.100.10', description: '0.0.0.0/0 except 10.0.0.0/31, 203.0.113.0/24' },
      { id: 'ip:10.0.0.0', description: '10.0.0.0/32' },
      { id: 'ip:10.0.0.1', description: '10.0.0.1/32' },
      { id: 'ip:203.0.113.10', description: '203.0.113.0/24' },
    ]);
  });

  test('addresses of pods are skipped for the next address of the class', () => {
    expect(addressClasses(cidrs('10.0.0.0/30'), 4, (id) => id !== 'ip:10.0.0.0')).toEqual([
      { id: 'ip:10.0.0.1', description: '10.0.0.0/30' },
      { id: 'ip:203.0.113.10', description: 'any other IPv4 address' },
    ]);
  });
});

describe('probesOf', () => {
  test('ports per protocol, named ports, protocols without ports, networks; TCP and UDP always', () => {
    const objects = [NAMESPACE, pod('a'), calicoPolicy('p', {
      selector: 'all()',
      types: ['Ingress', 'Egress'],
      ingress: [
        { action: 'Allow', protocol: 'TCP', destination: { ports: [443, 'http'] } },
        { action: 'Allow', protocol: 'ICMP' },
      ],
      egress: [{ action: 'Allow', protocol: 'UDP', destination: { nets: ['10.0.0.0/8'], notPorts: ['1000:2000'] } }],
    })];
    const probes = probesOf([objects]);
    expect(probes.ports).toEqual([
      { protocol: 'ICMP' },
      { protocol: 'TCP', port: 1, min: 1, max: 442 },
      { protocol: 'TCP', port: 443, min: 443, max: 443 },
      { protocol: 'TCP', port: 444, min: 444, max: 65535 },
      { protocol: 'TCP', port: 'http' },
      { protocol: 'UDP', port: 1, min: 1, max: 999 },
      { protocol: 'UDP', port: 1000, min: 1000, max: 2000 },
      { protocol: 'UDP', port: 2001, min: 2001, max: 65535 },
    ]);
    expect(probes.addresses).toEqual([
      { id: 'ip:10.0.0.0', description: '10.0.0.0/8' },
      { id: 'ip:203.0.113.10', description: 'any other IPv4 address' },
    ]);
  });

  test('the union of both sides, extra ports and addresses; Kubernetes NetworkPolicies too', () => {
    const k8s = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'k', namespace: 'ns' },
      spec: { podSelector: {}, ingress: [{ ports: [{ port: 5432 }], from: [{ ipBlock: { cidr: '2001:db8::/32' } }] }] },
    };
    const probes = probesOf([[NAMESPACE, k8s], [NAMESPACE]], { ports: [{ port: 8443 }, { protocol: 'sctp', port: 9 }], addresses: ['ip:198.51.100.7'] });
    expect(probes.ports.map((p) => `${p.protocol} ${p.port}`)).toEqual([
      'TCP 1', 'TCP 5432', 'TCP 5433', 'TCP 8443', 'TCP 8444', 'UDP 1', 'SCTP 1', 'SCTP 9', 'SCTP 10',
    ]);
    expect(probes.addresses).toEqual([
      { id: 'ip:198.51.100.7', description: '198.51.100.7' },
      { id: 'ip:203.0.113.10', description: 'any IPv4 address' },
      { id: 'ip:2001:db8::10', description: '2001:db8::/32' },
      { id: 'ip:3fff::10', description: 'any other IPv6 address' },
    ]);
  });

  test('bad extra ports and addresses name the option', () => {
    expect(() => probesOf([[]], { ports: [{ protocol: 'HTTP', port: 80 }] })).toThrow(/^ports\[0\]\.protocol: /);
    expect(() => probesOf([[]], { addresses: ['10.0.0.1'] })).toThrow('addresses: "10.0.0.1" is not an address outside the cluster; write ip:<address>, e.g. ip:203.0.113.7');
  });
});

describe('one probe decides for its class', () => {
  const rangeArb = fc.tuple(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 30 })).map(([min, width]) => (width === 0 ? min : `${min}:${min + width}`));
  const ruleArb = fc.record({
    action: fc.constantFrom('Allow', 'Deny', 'Pass'),
    ports: fc.array(rangeArb, { maxLength: 3 }),
    notPorts: fc.array(rangeArb, { maxLength: 2 }),
  }).map((r) => ({
    action: r.action,
    protocol: 'TCP',
    destination: {
      ...(r.ports.length > 0 ? { ports: r.ports } : {}),
      ...(r.notPorts.length > 0 ? { notPorts: r.notPorts } : {}),
    },
  }));

  test('the verdict on any port equals the verdict on the first port of its range', () => {
    const portsArb = fc.array(fc.integer({ min: 1, max: 260 }), { minLength: 1, maxLength: 8 });
    fc.assert(fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 4 }), portsArb, (rules, ports) => {
      const objects = [NAMESPACE, pod('a'), pod('b'), calicoPolicy('p', { selector: "app == 'b'", types: ['Ingress'], ingress: rules })];
      const model = NetworkModel.fromManifests(objects);
      const probes = probesOf([objects]).ports.filter((p) => p.protocol === 'TCP' && typeof p.port === 'number');
      for (const port of ports) {
        const probe = probes.find((p) => p.min! <= port && port <= p.max!)!;
        const verdict = (p: number) => model.check({ from: 'ns/a', to: 'ns/b', port: p }).allowed;
        expect({ port, probe: probe.port, allowed: verdict(port) }).toEqual({ port, probe: probe.port, allowed: verdict(probe.port as number) });
      }
    }), { numRuns: 60 });
  });

  test('the verdict on any address equals the verdict on the address of its class', () => {
    const byte = (max: number) => fc.integer({ min: 0, max });
    const netArb = fc.tuple(byte(3), byte(3), byte(63), fc.constantFrom(8, 16, 24, 30)).map(([b, c, d, prefix]) => {
      if (prefix === 8) return '10.0.0.0/8';
      if (prefix === 16) return `10.${b}.0.0/16`;
      return prefix === 24 ? `10.${b}.${c}.0/24` : `10.${b}.${c}.${d * 4}/30`;
    });
    const egressArb = fc.record({
      action: fc.constantFrom('Allow', 'Deny'),
      nets: fc.array(netArb, { maxLength: 2 }),
      notNets: fc.array(netArb, { maxLength: 2 }),
    }).map((r) => ({
      action: r.action,
      destination: { ...(r.nets.length > 0 ? { nets: r.nets } : {}), ...(r.notNets.length > 0 ? { notNets: r.notNets } : {}) },
    }));
    const addressArb = fc.tuple(fc.constantFrom(10, 203), byte(4), byte(3), byte(255)).map(([a, b, c, d]) => `${a}.${b}.${c}.${d}`);
    const addressesArb = fc.array(addressArb, { minLength: 1, maxLength: 6 });
    fc.assert(fc.property(fc.array(egressArb, { minLength: 1, maxLength: 3 }), addressesArb, (rules, addresses) => {
      const objects = [NAMESPACE, pod('a'), calicoPolicy('p', { selector: "app == 'a'", types: ['Egress'], egress: rules })];
      const model = NetworkModel.fromManifests(objects);
      const probes = probesOf([objects]).addresses;
      const named = rules.flatMap((r: any) => [...(r.destination.nets ?? []), ...(r.destination.notNets ?? [])]);
      const networks = [...new Set(named)].map((t) => parseCidr(t) as Cidr);
      const inside = (address: string, cidr: Cidr) => {
        const [x, y, z, w] = address.split('.').map(Number);
        const value = BigInt(((x * 256 + y) * 256 + z) * 256 + w);
        const size = 2n ** BigInt(32 - cidr.prefix);
        return value >= cidr.base && value < cidr.base + size;
      };
      const classOf = (address: string) => networks.filter((c) => inside(address, c)).map((c) => c.canonical).sort().join(',');
      for (const address of addresses) {
        const probe = probes.find((p) => classOf(p.id.slice(3)) === classOf(address));
        expect(probe).toBeDefined();
        const verdict = (ip: string) => model.check({ from: 'ns/a', to: ip, port: 80 }).allowed;
        expect({ address, probe: probe!.id, allowed: verdict(`ip:${address}`) })
          .toEqual({ address, probe: probe!.id, allowed: verdict(probe!.id) });
      }
    }), { numRuns: 60 });
  });
});
