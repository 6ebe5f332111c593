import { calicoPolicy, globalNetworkSet, globalPolicy, networkSet, pod, service, serviceAccount } from './network-fixtures';
import { backsService, ECHO_REQUEST } from '../../src/analysis/network-match';
import { NetworkModel } from '../../src/analysis/network-model';

const client = pod('app', 'client', { app: 'client' }, { ip: '10.0.0.1' });
const srv = pod('app', 'srv', { app: 'srv' }, { ip: '10.0.0.2', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] });
const noIp = pod('app', 'noip', { app: 'noip' });

function srvPolicy(ingress: any[]): any {
  return calicoPolicy('app', 'srv', { selector: 'app == "srv"', ingress });
}

describe('nets and notNets', () => {
  test('nets match pod addresses as well as external ones', () => {
    const m = NetworkModel.fromManifests([client, srv, noIp, srvPolicy([{ action: 'Allow', source: { nets: ['10.0.0.0/24'] } }])]);
    expect(m.check({ from: 'app/client', to: 'app/srv' }).allowed).toBe(true);
    expect(m.check({ from: 'ip:10.0.0.200', to: 'app/srv' }).allowed).toBe(true);
    expect(m.check({ from: 'ip:10.0.1.1', to: 'app/srv' }).ingress.trace.join('\n')).toContain('ip:10.0.1.1 (10.0.1.1) is outside nets [10.0.0.0/24]');
    expect(m.check({ from: 'app/noip', to: 'app/srv' }).allowed).toBe(false);
  });

  test('notNets excludes pods by address; a pod without an address is not excluded', () => {
    const m = NetworkModel.fromManifests([client, srv, noIp, srvPolicy([{ action: 'Allow', source: { notNets: ['10.0.0.1/32'] } }])]);
    expect(m.check({ from: 'app/client', to: 'app/srv' }).allowed).toBe(false);
    expect(m.check({ from: 'app/noip', to: 'app/srv' }).allowed).toBe(true);
    expect(m.check({ from: 'ip:192.0.2.1', to: 'app/srv' }).allowed).toBe(true);
  });

  test('a rule with IPv6 nets does not match IPv4 flows, even through notNets', () => {
    const m = NetworkModel.fromManifests([client, srv, srvPolicy([{ action: 'Allow', source: { notNets: ['fd00::/8'] } }])]);
    const v = m.check({ from: 'app/client', to: 'app/srv' });
    expect(v.allowed).toBe(false);
    expect(v.ingress.trace.join('\n')).toContain('the rule is for IPv6, the flow is IPv4');
    expect(m.check({ from: 'ip:2001:db8::1', to: 'app/srv' }).allowed).toBe(true);
  });

  test('ipVersion restricts a rule to one family', () => {
    const m = NetworkModel.fromManifests([client, srv, srvPolicy([{ action: 'Allow', ipVersion: 6 }])]);
    expect(m.check({ from: 'ip:2001:db8::1', to: 'app/srv' }).allowed).toBe(true);
    expect(m.check({ from: 'ip:192.0.2.1', to: 'app/srv' }).allowed).toBe(false);
  });
});

describe('network sets', () => {
  test('an address in a GlobalNetworkSet takes its labels', () => {
    const m = NetworkModel.fromManifests([
      client,
      globalNetworkSet('trusted', { role: 'trusted' }, ['198.51.100.0/24']),
      globalPolicy('egress-trusted', { selector: 'app == "client"', egress: [{ action: 'Allow', destination: { selector: 'role == "trusted"' } }] }),
    ]);
    expect(m.check({ from: 'app/client', to: 'ip:198.51.100.7' }).allowed).toBe(true);
    const v = m.check({ from: 'app/client', to: 'ip:203.0.113.7' });
    expect(v.allowed).toBe(false);
    expect(v.egress.trace.join('\n')).toContain('ip:203.0.113.7 does not match selector role == "trusted"');
  });

  test('a namespaced NetworkSet is matched by selectors of its namespace only', () => {
    const objects = [
      client,
      pod('other', 'c', { app: 'client' }, { ip: '10.1.0.1' }),
      networkSet('app', 'partners', { role: 'partner' }, ['203.0.113.0/24']),
      calicoPolicy('app', 'to-partners', { selector: 'app == "client"', egress: [{ action: 'Allow', destination: { selector: 'role == "partner"' } }] }),
      calicoPolicy('other', 'to-partners', { selector: 'app == "client"', egress: [{ action: 'Allow', destination: { selector: 'role == "partner"' } }] }),
    ];
    const m = NetworkModel.fromManifests(objects);
    expect(m.check({ from: 'app/client', to: 'ip:203.0.113.1' }).allowed).toBe(true);
    expect(m.check({ from: 'other/c', to: 'ip:203.0.113.1' }).allowed).toBe(false);
  });

  test('a namespaceSelector matches namespaced network sets through their namespace labels', () => {
    const objects = [
      client,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ext', labels: { kind: 'external' } } },
      networkSet('ext', 'partners', { role: 'partner' }, ['203.0.113.0/24']),
      calicoPolicy('app', 'to-ext', { selector: 'app == "client"', egress: [{ action: 'Allow', destination: { namespaceSelector: 'kind == "external"', selector: 'role == "partner"' } }] }),
    ];
    expect(NetworkModel.fromManifests(objects).check({ from: 'app/client', to: 'ip:203.0.113.1' }).allowed).toBe(true);
  });

  test('a pod whose address is inside a network set is matched by selectors of the set (Calico matches by IP)', () => {
    const objects = [
      client,
      srv,
      globalNetworkSet('internal', { zone: 'internal' }, ['10.0.0.0/24']),
      globalPolicy('zone', { selector: 'app == "srv"', ingress: [{ action: 'Allow', source: { selector: 'zone == "internal"' } }] }),
    ];
    expect(NetworkModel.fromManifests(objects).check({ from: 'app/client', to: 'app/srv' }).allowed).toBe(true);
  });
});

describe('service accounts', () => {
  const objects = [
    serviceAccount('prod-engineering', 'api-service'),
    serviceAccount('prod-engineering', 'web-frontend-sa', { app: 'web-frontend' }),
    pod('prod-engineering', 'db', { app: 'db' }, { ip: '10.0.0.10' }),
    pod('prod-engineering', 'api', {}, { sa: 'api-service', ip: '10.0.0.11' }),
    pod('prod-engineering', 'web', {}, { sa: 'web-frontend-sa', ip: '10.0.0.12' }),
    pod('prod-engineering', 'batch', {}, { ip: '10.0.0.13' }),
  ];

  test('by name (Calico docs: demo-calico)', () => {
    const m = NetworkModel.fromManifests([
      ...objects,
      calicoPolicy('prod-engineering', 'demo-calico', {
        selector: 'app == "db"',
        ingress: [{ action: 'Allow', source: { serviceAccounts: { names: ['api-service', 'user-auth-service'] } } }],
      }),
    ]);
    expect(m.check({ from: 'prod-engineering/api', to: 'prod-engineering/db' }).allowed).toBe(true);
    const v = m.check({ from: 'prod-engineering/batch', to: 'prod-engineering/db' });
    expect(v.allowed).toBe(false);
    expect(v.ingress.trace.join('\n')).toContain('does not match serviceAccounts names [api-service, user-auth-service], in namespace prod-engineering');
  });

  test('by selector on service account labels (Calico docs: allow-web-frontend)', () => {
    const m = NetworkModel.fromManifests([
      ...objects,
      calicoPolicy('prod-engineering', 'allow-web-frontend', {
        selector: 'app == "db"',
        ingress: [{ action: 'Allow', source: { serviceAccounts: { selector: 'app == "web-frontend"' } } }],
      }),
    ]);
    expect(m.check({ from: 'prod-engineering/web', to: 'prod-engineering/db' }).allowed).toBe(true);
    expect(m.check({ from: 'prod-engineering/api', to: 'prod-engineering/db' }).allowed).toBe(false);
  });

  test('names and selector must both match', () => {
    const m = NetworkModel.fromManifests([
      ...objects,
      calicoPolicy('prod-engineering', 'both', {
        selector: 'app == "db"',
        ingress: [{ action: 'Allow', source: { serviceAccounts: { names: ['api-service'], selector: 'app == "web-frontend"' } } }],
      }),
    ]);
    expect(m.check({ from: 'prod-engineering/api', to: 'prod-engineering/db' }).allowed).toBe(false);
    expect(m.check({ from: 'prod-engineering/web', to: 'prod-engineering/db' }).allowed).toBe(false);
  });

  test('the default service account is "default" and can be named', () => {
    const m = NetworkModel.fromManifests([
      ...objects,
      calicoPolicy('prod-engineering', 'default-sa', { selector: 'app == "db"', ingress: [{ action: 'Allow', source: { serviceAccounts: { names: ['default'] } } }] }),
    ]);
    expect(m.check({ from: 'prod-engineering/batch', to: 'prod-engineering/db' }).allowed).toBe(true);
    expect(m.check({ from: 'prod-engineering/api', to: 'prod-engineering/db' }).allowed).toBe(false);
  });
});

describe('services', () => {
  const objects = [
    client,
    srv,
    pod('app', 'srv-2', { app: 'srv' }, { ip: '10.0.0.3', ports: [{ name: 'http', containerPort: 8081 }] }),
    pod('app', 'stranger', { app: 'stranger' }, { ip: '10.0.0.9' }),
    service('app', 'web', { app: 'srv' }, [{ port: 80, targetPort: 'http' }, { port: 9090, protocol: 'TCP' }]),
    calicoPolicy('app', 'client-egress', { selector: 'app == "client"', egress: [{ action: 'Allow', destination: { services: { name: 'web' } } }] }),
  ];

  test('an egress destination service matches its pods on its target ports', () => {
    const m = NetworkModel.fromManifests(objects);
    expect(m.check({ from: 'app/client', to: 'app/srv', port: 8080 }).allowed).toBe(true);
    expect(m.check({ from: 'app/client', to: 'app/srv-2', port: 8081 }).allowed).toBe(true);
    expect(m.check({ from: 'app/client', to: 'app/srv', port: 9090 }).allowed).toBe(true);
    const wrongPort = m.check({ from: 'app/client', to: 'app/srv', port: 80 });
    expect(wrongPort.allowed).toBe(false);
    expect(wrongPort.egress.trace.join('\n')).toContain('destination port TCP 80 is not a target port of service app/web');
    expect(m.check({ from: 'app/client', to: 'app/srv', protocol: 'UDP', port: 8080 }).allowed).toBe(false);
    expect(m.check({ from: 'app/client', to: 'app/srv' }).egress.trace.join('\n')).toContain('destination service app/web: the query has no port');
    expect(m.check({ from: 'app/client', to: 'app/stranger', port: 8080 }).egress.trace.join('\n')).toContain('app/stranger is not a pod of service app/web');
  });

  test('an ingress source service matches traffic from its pods on any port', () => {
    const m = NetworkModel.fromManifests([
      ...objects,
      calicoPolicy('app', 'from-web', { selector: 'app == "client"', ingress: [{ action: 'Allow', source: { services: { name: 'web', namespace: 'app' } } }] }),
    ]);
    expect(m.check({ from: 'app/srv', to: 'app/client', port: 5 }).ingress.allowed).toBe(true);
    expect(m.check({ from: 'app/stranger', to: 'app/client', port: 5 }).ingress.allowed).toBe(false);
  });

  test('an unknown service matches nothing, and says so', () => {
    const m = NetworkModel.fromManifests([
      client,
      srv,
      calicoPolicy('app', 'client-egress', { selector: 'app == "client"', egress: [{ action: 'Allow', destination: { services: { name: 'nope' } } }] }),
    ]);
    const v = m.check({ from: 'app/client', to: 'app/srv', port: 8080 });
    expect(v.allowed).toBe(false);
    expect(v.egress.trace.join('\n')).toContain('service app/nope is not in the manifests, so it has no known pods');
  });

  test('backsService needs the namespace and every selector label', () => {
    const e: any = { namespace: 'a', podLabels: { app: 'x', tier: 'y' } };
    expect(backsService({ namespace: 'a', name: 's', selector: { app: 'x' }, ports: [] }, e)).toBe(true);
    expect(backsService({ namespace: 'b', name: 's', selector: { app: 'x' }, ports: [] }, e)).toBe(false);
    expect(backsService({ namespace: 'a', name: 's', selector: { app: 'x', tier: 'z' }, ports: [] }, e)).toBe(false);
    expect(backsService({ namespace: 'a', name: 's', ports: [] }, e)).toBe(false);
    expect(backsService(undefined, e)).toBe(false);
  });
});

describe('protocols, ports and ICMP', () => {
  test('protocol and notProtocol', () => {
    const m = NetworkModel.fromManifests([client, srv, srvPolicy([{ action: 'Deny', notProtocol: 'TCP' }, { action: 'Allow', protocol: 'TCP' }])]);
    expect(m.check({ from: 'app/client', to: 'app/srv', protocol: 'UDP', port: 53 }).ingress).toMatchObject({ action: 'Deny', ruleIndex: 0 });
    const tcp = m.check({ from: 'app/client', to: 'app/srv', port: 80 });
    expect(tcp.ingress).toMatchObject({ action: 'Allow', ruleIndex: 1 });
    expect(tcp.ingress.trace).toContain('    ingress rule 0 (Deny): no match: notProtocol TCP excludes the flow');
    expect(m.check({ from: 'app/client', to: 'app/srv', protocol: '6', port: 80 }).allowed).toBe(true);
  });

  test('port ranges, named ports and notPorts', () => {
    const m = NetworkModel.fromManifests([
      client,
      srv,
      srvPolicy([
        { action: 'Deny', protocol: 'TCP', destination: { ports: ['metrics'] } },
        { action: 'Allow', protocol: 'TCP', destination: { ports: ['8000:8100', 443] } },
        { action: 'Allow', protocol: 'UDP', destination: { notPorts: [53] } },
      ]),
    ]);
    const verdict = (protocol: string, port: number) => m.check({ from: 'app/client', to: 'app/srv', protocol, port }).ingress;
    expect(verdict('TCP', 9090)).toMatchObject({ action: 'Deny', ruleIndex: 0 });
    expect(verdict('TCP', 8080)).toMatchObject({ action: 'Allow', ruleIndex: 1 });
    expect(verdict('TCP', 443)).toMatchObject({ action: 'Allow', ruleIndex: 1 });
    expect(verdict('TCP', 7999).allowed).toBe(false);
    expect(verdict('UDP', 54)).toMatchObject({ action: 'Allow', ruleIndex: 2 });
    const dns = verdict('UDP', 53);
    expect(dns.allowed).toBe(false);
    expect(dns.trace).toContain('    ingress rule 2 (Allow): no match: destination port 53 is in notPorts [53]');
  });

  test('a query without a port matches no ports and every notPorts', () => {
    const m = NetworkModel.fromManifests([
      client,
      srv,
      srvPolicy([{ action: 'Allow', protocol: 'TCP', destination: { ports: [80] } }, { action: 'Deny', protocol: 'TCP', destination: { notPorts: [80] } }]),
    ]);
    const v = m.check({ from: 'app/client', to: 'app/srv' });
    expect(v.ingress).toMatchObject({ action: 'Deny', ruleIndex: 1 });
    expect(v.ingress.trace).toContain('    ingress rule 0 (Allow): no match: destination ports [80]: the query has no port');
  });

  test('a given source port is matched against source ports and notPorts', () => {
    const m = NetworkModel.fromManifests([
      client,
      srv,
      srvPolicy([{ action: 'Deny', protocol: 'TCP', source: { ports: ['1:1023'] } }, { action: 'Allow', protocol: 'TCP', source: { notPorts: [22] } }]),
    ]);
    const low = m.check({ from: 'app/client', to: 'app/srv', port: 80, sourcePort: 22 });
    expect(low.ingress).toMatchObject({ action: 'Deny', ruleIndex: 0 });
    expect(low.explanation.split('\n')[0]).toBe('app/client -> app/srv TCP port 80, source port 22 (IPv4): DENIED');
    const high = m.check({ from: 'app/client', to: 'app/srv', port: 80, sourcePort: 40000 });
    expect(high.ingress).toMatchObject({ action: 'Allow', ruleIndex: 1 });
    expect(high.ingress.trace).toContain('    ingress rule 0 (Deny): no match: source port 40000 is not in [1:1023]');
  });

  test('without a source port, every ephemeral port is evaluated and the flow is allowed only if all are', () => {
    const m = NetworkModel.fromManifests([client, srv, srvPolicy([{ action: 'Allow', protocol: 'TCP', source: { ports: ['32768:40000'] } }])]);
    const v = m.check({ from: 'app/client', to: 'app/srv', port: 80 });
    expect(v.allowed).toBe(false);
    expect(v.ingress.trace).toContain('    ingress rule 0 (Allow): no match: source port 40001 is not in [32768:40000]');
    expect(v.explanation).toContain(
      'note: no source port was given and the verdict depends on it (Linux\'s default ephemeral range 32768–60999): allowed from 32768–40000, '
      + 'denied from 40001–60999; reported as DENIED, shown for source port 40001 (give sourcePort to check one)',
    );
    expect(m.check({ from: 'app/client', to: 'app/srv', port: 80, sourcePort: 33000 }).allowed).toBe(true);
    expect(m.matrix({ endpoints: ['app/client', 'app/srv'], ports: [{ port: 80 }] }).isAllowed('app/client', 'app/srv')).toBe(false);

    const all = NetworkModel.fromManifests([client, srv, srvPolicy([{ action: 'Allow', protocol: 'TCP', source: { ports: ['1024:65535'] } }])]);
    const allowed = all.check({ from: 'app/client', to: 'app/srv', port: 80 });
    expect(allowed.allowed).toBe(true);
    expect(allowed.explanation).toContain('note: no source port was given and rules match on source ports: the verdict is the same for every port of '
      + 'Linux\'s default ephemeral range 32768–60999 (shown for 32768)');
  });

  test('named source ports resolve on the source pod, on any protocol when the rule has none', () => {
    const named = pod('app', 'named', { app: 'named' }, { ip: '10.0.0.5', ports: [{ name: 'client-port', containerPort: 45000 }] });
    const m = NetworkModel.fromManifests([named, srv, srvPolicy([{ action: 'Allow', source: { ports: ['client-port'] } }])]);
    expect(m.check({ from: 'app/named', to: 'app/srv', port: 80, sourcePort: 45000 }).allowed).toBe(true);
    expect(m.check({ from: 'app/named', to: 'app/srv', protocol: 'UDP', port: 80, sourcePort: 45000 }).allowed).toBe(false);
    const unknown = m.check({ from: 'app/named', to: 'app/srv', port: 80 });
    expect(unknown.allowed).toBe(false);
    expect(unknown.explanation).toContain('allowed from 45000, denied from 32768–44999, 45001–60999');
  });

  test('ICMP queries stand for an echo request', () => {
    expect(ECHO_REQUEST[4]).toEqual({ type: 8, code: 0 });
    expect(ECHO_REQUEST[6]).toEqual({ type: 128, code: 0 });
    const m = NetworkModel.fromManifests([
      client,
      srv,
      srvPolicy([
        { action: 'Deny', protocol: 'ICMP', icmp: { type: 0 } },
        { action: 'Deny', protocol: 'ICMP', notICMP: { type: 8, code: 0 } },
        { action: 'Allow', protocol: 'ICMP', icmp: { type: 8, code: 0 } },
        { action: 'Allow', protocol: 'ICMPv6', icmp: { type: 128 } },
      ]),
    ]);
    const ping = m.check({ from: 'app/client', to: 'app/srv', protocol: 'ICMP' });
    expect(ping.ingress).toMatchObject({ action: 'Allow', ruleIndex: 2 });
    expect(ping.ingress.trace).toContain('    ingress rule 0 (Deny): no match: icmp type 0 does not match an echo request (the ICMP message a query stands for)');
    expect(ping.ingress.trace).toContain('    ingress rule 1 (Deny): no match: notICMP type 8 code 0 excludes an echo request (the ICMP message a query stands for)');
    expect(m.check({ from: 'ip:2001:db8::1', to: 'app/srv', protocol: 'icmpv6' }).ingress).toMatchObject({ action: 'Allow', ruleIndex: 3 });
  });

  test('notICMP does not exclude non-ICMP traffic', () => {
    const m = NetworkModel.fromManifests([client, srv, srvPolicy([{ action: 'Allow', notICMP: { type: 8 } }])]);
    expect(m.check({ from: 'app/client', to: 'app/srv', port: 80 }).allowed).toBe(true);
  });
});
