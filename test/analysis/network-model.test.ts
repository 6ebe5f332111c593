import { ApiObject, Chart, Testing } from 'cdk8s';
import {
  calicoPolicy,
  denyAllIngress,
  deployment,
  globalNetworkSet,
  globalPolicy,
  k8sPolicy,
  networkSet,
  pod,
  serviceAccount,
} from './network-fixtures';
import { Decision, NetworkModel } from '../../src/analysis';

const web = pod('prod', 'web', { app: 'web' }, { ip: '10.0.0.10', ports: [{ name: 'http', containerPort: 8080 }] });
const api = pod('prod', 'api', { app: 'api' }, { ip: '10.0.0.11' });

describe('NetworkModel.check', () => {
  test('no policy: both sides allowed by the namespace profile', () => {
    const model = NetworkModel.fromManifests([web, api]);
    const v = model.check({ from: 'prod/web', to: 'prod/api', port: 80 });
    expect(v.allowed).toBe(true);
    expect(v.egress.decidedBy).toBe(Decision.NO_POLICY);
    expect(v.ingress.decidedBy).toBe(Decision.NO_POLICY);
    expect(v.ingress.reason).toBe('no policy selects this endpoint for ingress; the namespace profile allows');
    expect(v.explanation.split('\n')[0]).toBe('prod/web -> prod/api TCP port 80 (IPv4): ALLOWED');
  });

  test('a default-deny ingress policy drops at the end of the default tier', () => {
    const model = NetworkModel.fromManifests([web, api, denyAllIngress('prod')]);
    const v = model.check({ from: 'prod/web', to: 'prod/api', port: 80 });
    expect(v.allowed).toBe(false);
    expect(v.egress.decidedBy).toBe(Decision.NO_POLICY);
    expect(v.ingress).toMatchObject({ allowed: false, decidedBy: Decision.END_OF_TIER, tier: 'default' });
    expect(v.ingress.reason).toBe('end of tier default without a verdict: drop');
    expect(v.ingress.trace).toContain('  Kubernetes NetworkPolicy prod/default-deny-ingress (order 1000, selector podSelector {}): no ingress rules');
    expect(v.explanation).toContain('ingress of prod/api: denied: end of tier default without a verdict: drop');
  });

  test('an allowing rule names the policy, tier and rule index', () => {
    const model = NetworkModel.fromManifests([
      web,
      api,
      denyAllIngress('prod'),
      k8sPolicy('prod', 'allow-web', {
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'other' } } }] }, { from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
      }),
    ]);
    const v = model.check({ from: 'prod/web', to: 'prod/api' });
    expect(v.allowed).toBe(true);
    expect(v.ingress).toMatchObject({
      decidedBy: Decision.RULE,
      tier: 'default',
      policy: 'Kubernetes NetworkPolicy prod/allow-web',
      ruleIndex: 1,
      action: 'Allow',
      reason: 'ingress rule 1 (Allow) of Kubernetes NetworkPolicy prod/allow-web in tier default',
    });
    expect(v.ingress.trace.some((t) => t.includes('ingress rule 0 (Allow): no match: from[0]: source: prod/web does not match podSelector {app=other} in namespace prod'))).toBe(true);
  });

  test('a pod\'s traffic to itself is never policed; a workload\'s is traffic between its pods', () => {
    // Calico: felix/rules/static.go filterForwardChain enforces workload policy on the pod's host-side interface
    // (cali*); a pod's packets to its own address stay on the loopback of its network namespace.
    const model = NetworkModel.fromManifests([api, web, denyAllIngress('prod'), deployment('prod', 'workers', { app: 'workers' })]);
    const self = model.check({ from: 'prod/api', to: 'prod/api', port: 80 });
    expect(self.allowed).toBe(true);
    expect(self.ingress).toMatchObject({ allowed: true, decidedBy: Decision.NOT_APPLICABLE });
    expect(self.ingress.reason).toContain('stays inside the pod\'s network namespace (loopback)');
    expect(model.check({ from: 'ip:10.0.0.11', to: 'prod/api', port: 80 }).allowed).toBe(true);
    expect(model.check({ from: 'prod/web', to: 'prod/api', port: 80 }).allowed).toBe(false);
    const replicas = model.check({ from: 'prod/workers', to: 'prod/workers', port: 80 });
    expect(replicas.allowed).toBe(false);
    expect(replicas.explanation).toContain('note: prod/workers stands for every pod of its Deployment: this is traffic between two of them');
    const m = model.matrix({ endpoints: ['prod/api', 'prod/workers'], ports: [{ port: 80 }] });
    expect(m.isAllowed('prod/api', 'prod/api')).toBe(true);
    expect(m.isAllowed('prod/workers', 'prod/workers')).toBe(false);
  });

  test('policies of another namespace do not select', () => {
    const model = NetworkModel.fromManifests([web, api, denyAllIngress('staging')]);
    expect(model.check({ from: 'prod/web', to: 'prod/api' }).ingress.decidedBy).toBe(Decision.NO_POLICY);
  });

  test('an external source has no policy of its own', () => {
    const model = NetworkModel.fromManifests([api]);
    const v = model.check({ from: 'ip:203.0.113.9', to: 'prod/api', port: 443 });
    expect(v.allowed).toBe(true);
    expect(v.egress).toMatchObject({ allowed: true, decidedBy: Decision.NOT_APPLICABLE });
    expect(v.egress.reason).toBe('ip:203.0.113.9 is outside the cluster and has no policy of its own');
  });

  test('a host-networked pod has no workload policy', () => {
    const node = pod('kube-system', 'agent', { app: 'agent' }, { hostNetwork: true, ip: '192.168.1.10' });
    const model = NetworkModel.fromManifests([node, api, denyAllIngress('kube-system')]);
    const v = model.check({ from: 'prod/api', to: 'kube-system/agent' });
    expect(v.ingress.decidedBy).toBe(Decision.NOT_APPLICABLE);
    expect(v.ingress.reason).toContain('host-networked');
    expect(v.allowed).toBe(true);
    expect(model.matrix({ ports: [{ port: 80 }] }).isAllowed('prod/api', 'kube-system/agent')).toBe(true);
  });

  test('port names resolve on the destination container ports with the flow protocol', () => {
    const model = NetworkModel.fromManifests([
      web,
      api,
      k8sPolicy('prod', 'web-http', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 8080 }] }] }),
    ]);
    const v = model.check({ from: 'prod/api', to: 'prod/web', port: 'http' });
    expect(v.allowed).toBe(true);
    expect(v.explanation.split('\n')[0]).toBe('prod/api -> prod/web TCP port 8080 (http) (IPv4): ALLOWED');
    expect(() => model.check({ from: 'prod/api', to: 'prod/web', protocol: 'UDP', port: 'http' })).toThrow(
      'NetworkModel.check(): port: prod/web has no UDP container port named "http"; its named ports are http (TCP 8080)',
    );
    expect(() => model.check({ from: 'prod/web', to: 'prod/api', port: 'http' })).toThrow('prod/api has no TCP container port named "http"; it has no named ports');
    expect(() => model.check({ from: 'prod/web', to: 'ip:1.2.3.4', port: 'http' })).toThrow('addresses outside the cluster have no named ports');
    expect(() => model.check({ from: 'prod/web', to: 'prod/api', port: 70000 })).toThrow(
      'NetworkModel.check(): port: 70000 is not a valid port number; use an integer from 1 to 65535, or the name of a container port of the destination',
    );
  });

  test('ports are ignored for protocols without ports', () => {
    const model = NetworkModel.fromManifests([web, api]);
    const v = model.check({ from: 'prod/web', to: 'prod/api', protocol: 'icmp', port: 80 });
    expect(v.explanation.split('\n')[0]).toBe('prod/web -> prod/api ICMP (IPv4): ALLOWED');
  });

  test('unknown endpoints list close names', () => {
    const model = NetworkModel.fromManifests([web, api]);
    expect(() => model.check({ from: 'prod/wbe', to: 'prod/api' })).toThrow('NetworkModel: from: unknown endpoint "prod/wbe"; did you mean prod/web, prod/api?');
    expect(() => model.check({ from: 'web', to: 'prod/api' })).toThrow('(endpoints are namespace/name; addresses outside the cluster are ip:<address>)');
    expect(() => NetworkModel.fromManifests([]).check({ from: 'a/b', to: 'c/d' })).toThrow('the model has no endpoints');
    expect(() => model.check({ from: 'ip:300.1.1.1', to: 'prod/api' })).toThrow('"ip:300.1.1.1" is not a valid address');
    expect(() => model.check({ from: '', to: 'prod/api' })).toThrow('expected an endpoint id');
    expect(() => model.check(undefined as any)).toThrow('NetworkModel.check(): expected a flow');
  });

  test('unknown protocols are rejected', () => {
    const model = NetworkModel.fromManifests([web, api]);
    expect(() => model.check({ from: 'prod/web', to: 'prod/api', protocol: 'HTTP' })).toThrow(
      'NetworkModel.check(): protocol: "HTTP" is not a protocol; use TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite (any case), or a number from 1 to 255',
    );
    expect(() => model.check({ from: 'prod/web', to: 'prod/api', protocol: '0' })).toThrow('NetworkModel.check(): protocol: "0" is not a valid protocol number');
    expect(model.check({ from: 'prod/web', to: 'prod/api', protocol: 'udplite' }).explanation.split('\n')[0]).toBe('prod/web -> prod/api UDPLite (IPv4): ALLOWED');
  });

  test('a flow stays within one IP family', () => {
    const model = NetworkModel.fromManifests([web]);
    expect(() => model.check({ from: 'ip:10.0.0.1', to: 'ip:2001:db8::1' })).toThrow('are of different IP families');
    expect(() => model.check({ from: 'ip:2001:db8::1', to: 'prod/web', protocol: 'ICMP' })).toThrow('ICMP needs IPv4 addresses, but the flow uses IPv6');
    expect(model.check({ from: 'prod/web', to: 'prod/web', protocol: 'ICMPv6' }).explanation).toContain('(IPv6)');
  });

  test('pods with only IPv6 addresses make IPv6 flows', () => {
    const a = pod('v6', 'a', {}, { ip: 'fd00::1' });
    const b = pod('v6', 'b', {}, { ip: 'fd00::2' });
    const model = NetworkModel.fromManifests([a, b]);
    expect(model.check({ from: 'v6/a', to: 'v6/b' }).explanation).toContain('(IPv6)');
  });

  test('staged policies do not enforce, but the explanation says what they would change', () => {
    const staged = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'StagedNetworkPolicy',
      metadata: { name: 'deny-all', namespace: 'prod' },
      spec: { stagedAction: 'Set', selector: 'all()', types: ['Ingress'] },
    };
    const model = NetworkModel.fromManifests([web, api, staged]);
    const v = model.check({ from: 'prod/web', to: 'prod/api' });
    expect(v.allowed).toBe(true);
    expect(v.explanation).toContain('staged policies would change this verdict to DENIED (check with includeStaged: true)');
    const s = model.check({ from: 'prod/web', to: 'prod/api' }, { includeStaged: true });
    expect(s.allowed).toBe(false);
    expect(s.ingress).toMatchObject({ decidedBy: Decision.END_OF_TIER, tier: 'default' });
    expect(s.explanation.split('\n')[0]).toContain('(staged policies included)');
  });
});

describe('workloads', () => {
  test('a Deployment is one endpoint with its template labels and service account', () => {
    const d = deployment('shop', 'cart', { app: 'cart' }, { serviceAccountName: 'cart-sa' });
    const model = NetworkModel.fromManifests([d, serviceAccount('shop', 'cart-sa', { tier: 'backend' })]);
    expect(model.endpoints()).toEqual(['shop/cart']);
    const info = model.endpoint('shop/cart');
    expect(info).toMatchObject({
      id: 'shop/cart',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'cart',
      serviceAccount: 'cart-sa',
      labels: {
        'app': 'cart',
        'projectcalico.org/namespace': 'shop',
        'projectcalico.org/orchestrator': 'k8s',
        'projectcalico.org/serviceaccount': 'cart-sa',
      },
      namespaceLabels: { 'kubernetes.io/metadata.name': 'shop', 'projectcalico.org/name': 'shop' },
      serviceAccountLabels: { 'tier': 'backend', 'projectcalico.org/name': 'cart-sa' },
      ips: [],
      networkSets: [],
      hostNetwork: false,
    });
    expect(model.endpoint('shop/deployment/cart').id).toBe('shop/cart');
  });

  test('workloads sharing a name are told apart by kind', () => {
    const model = NetworkModel.fromManifests([deployment('a', 'x', { app: 'x' }), pod('a', 'x', { app: 'x' })]);
    expect(model.endpoints()).toEqual(['a/deployment/x', 'a/pod/x']);
    expect(() => model.check({ from: 'a/x', to: 'a/pod/x' })).toThrow('NetworkModel: from: a/x names several workloads; use one of a/deployment/x, a/pod/x');
  });

  test('endpoint() of an address lists the network sets containing it', () => {
    const model = NetworkModel.fromManifests([
      globalNetworkSet('internet', { zone: 'public' }, ['0.0.0.0/0']),
      networkSet('prod', 'partners', { role: 'partner' }, ['203.0.113.0/24']),
    ]);
    expect(model.endpoint('ip:203.0.113.7')).toEqual({
      id: 'ip:203.0.113.7',
      kind: 'External',
      name: '203.0.113.7',
      labels: {},
      ips: ['203.0.113.7'],
      networkSets: ['GlobalNetworkSet internet', 'NetworkSet prod/partners'],
      hostNetwork: false,
    });
    const p = NetworkModel.fromManifests([pod('prod', 'p', {}, { ip: '203.0.113.9' }), networkSet('prod', 'partners', {}, ['203.0.113.0/24'])]);
    expect(p.endpoint('prod/p').networkSets).toEqual(['NetworkSet prod/partners']);
  });
});

describe('fromManifests input handling', () => {
  test('List objects are unpacked and null documents skipped', () => {
    const model = NetworkModel.fromManifests([null, { apiVersion: 'v1', kind: 'List', items: [web, { apiVersion: 'v1', kind: 'PodList', items: [api] }] }]);
    expect(model.endpoints()).toEqual(['prod/api', 'prod/web']);
  });

  test('unknown kinds are ignored', () => {
    const model = NetworkModel.fromManifests([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, web]);
    expect(model.endpoints()).toEqual(['prod/web']);
  });

  test('non-objects and objects without kind are rejected', () => {
    expect(() => NetworkModel.fromManifests('x' as any)).toThrow('NetworkModel.fromManifests(): expected a list of Kubernetes objects');
    expect(() => NetworkModel.fromManifests([42])).toThrow('objects[0]: expected a Kubernetes object, got 42');
    expect(() => NetworkModel.fromManifests([{ metadata: {} }])).toThrow('objects[0]: a Kubernetes object needs string apiVersion and kind');
  });

  test('fromChart and fromApp read synthesized charts', () => {
    const chart = Testing.chart();
    new ApiObject(chart, 'web', web);
    new ApiObject(chart, 'deny', denyAllIngress('prod'));
    expect(NetworkModel.fromChart(chart).check({ from: 'ip:1.1.1.1', to: 'prod/web' }).allowed).toBe(false);
    const app = Testing.app();
    new ApiObject(new Chart(app, 'one'), 'api', api);
    new ApiObject(new Chart(app, 'two'), 'web', web);
    expect(NetworkModel.fromApp(app).endpoints()).toEqual(['prod/api', 'prod/web']);
  });
});

describe('NetworkModel.matrix', () => {
  const objects = [
    web,
    api,
    pod('prod', 'db', { app: 'db' }, { ip: '10.0.0.12', ports: [{ name: 'pg', containerPort: 5432 }] }),
    denyAllIngress('prod'),
    k8sPolicy('prod', 'db-from-api', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 'pg' }] }],
    }),
    k8sPolicy('prod', 'api-from-web', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
    }),
  ];

  test('cells follow the evaluation of check()', () => {
    const model = NetworkModel.fromManifests(objects);
    const m = model.matrix({ ports: [{ port: 5432 }, { protocol: 'udp', port: 53 }] });
    expect(m.endpoints).toEqual(['prod/api', 'prod/db', 'prod/web']);
    expect(m.ports).toEqual([{ protocol: 'TCP', port: 5432 }, { protocol: 'UDP', port: 53 }]);
    expect(m.cells).toHaveLength(18);
    for (const cell of m.cells) {
      expect(cell.allowed).toBe(model.check({ from: cell.from, to: cell.to, protocol: cell.protocol, port: cell.port }).allowed);
    }
    expect(m.isAllowed('prod/api', 'prod/db', 5432)).toBe(true);
    expect(m.isAllowed('prod/web', 'prod/db', 5432)).toBe(false);
  });

  test('named ports resolve per destination; destinations without the name are unreachable on it', () => {
    const model = NetworkModel.fromManifests(objects);
    const m = model.matrix({ ports: [{ port: 'pg' }], endpoints: ['prod/api', 'prod/db'] });
    expect(m.cells.map((c) => [c.from, c.to, c.allowed])).toEqual([
      ['prod/api', 'prod/api', false],
      ['prod/api', 'prod/db', true],
      ['prod/db', 'prod/api', false],
      ['prod/db', 'prod/db', true],
    ]);
  });

  test('external addresses can be included', () => {
    const model = NetworkModel.fromManifests(objects);
    const m = model.matrix({ endpoints: ['prod/web'], includeExternal: ['ip:198.51.100.1'], ports: [{ port: 80 }] });
    expect(m.endpoints).toEqual(['prod/web', 'ip:198.51.100.1']);
    expect(m.isAllowed('ip:198.51.100.1', 'prod/web')).toBe(false);
    expect(m.isAllowed('prod/web', 'ip:198.51.100.1')).toBe(true);
    expect(() => model.matrix({ includeExternal: ['10.0.0.1'] })).toThrow('includeExternal: "10.0.0.1" is not an external address; write it as ip:<address>');
  });

  test('defaults to every endpoint on TCP without a port', () => {
    const model = NetworkModel.fromManifests(objects);
    const m = model.matrix();
    expect(m.ports).toEqual([{ protocol: 'TCP' }]);
    expect(m.isAllowed('prod/web', 'prod/api')).toBe(true);
    expect(m.isAllowed('prod/api', 'prod/db')).toBe(false);
  });

  test('includeStaged applies staged policies', () => {
    const staged = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'StagedKubernetesNetworkPolicy',
      metadata: { name: 'default-deny-ingress', namespace: 'prod' },
      spec: { stagedAction: 'Delete' },
    };
    const model = NetworkModel.fromManifests([...objects, staged]);
    expect(model.matrix({ ports: [{ port: 1 }] }).isAllowed('prod/db', 'prod/web')).toBe(false);
    expect(model.matrix({ ports: [{ port: 1 }], includeStaged: true }).isAllowed('prod/db', 'prod/web')).toBe(true);
  });

  test('bad port specs and endpoints are rejected', () => {
    const model = NetworkModel.fromManifests(objects);
    expect(() => model.matrix({ ports: [{ protocol: 'TCP', port: 99999 }] })).toThrow('NetworkModel.matrix(): ports[0].port: 99999 is not a valid port number');
    expect(() => model.matrix({ ports: [{ protocol: 'TCP', port: 0 }] })).toThrow('NetworkModel.matrix(): ports[0].port: 0 is not a valid port number');
    expect(() => model.matrix({ ports: [{ protocol: 'bogus' }] })).toThrow('NetworkModel.matrix(): ports[0].protocol: "bogus" is not a protocol');
    expect(() => model.matrix({ ports: [{ port: true as any }] })).toThrow('ports[0].port: expected a number or a port name, got true');
    expect(() => model.matrix({ endpoints: ['prod/nope'] })).toThrow('NetworkModel: matrix(): endpoints: unknown endpoint "prod/nope"');
  });
});

describe('Calico semantics through the model', () => {
  test('GNP rule without namespaceSelector spans all namespaces; a namespaced rule stays in its namespace', () => {
    const a = pod('team-a', 'client', { role: 'client' }, { ip: '10.1.0.1' });
    const b = pod('team-b', 'client', { role: 'client' }, { ip: '10.2.0.1' });
    const srv = pod('team-a', 'server', { role: 'server' }, { ip: '10.1.0.2' });
    const namespaced = calicoPolicy('team-a', 'allow-clients', {
      selector: 'role == "server"',
      ingress: [{ action: 'Allow', source: { selector: 'role == "client"' } }],
    });
    const m1 = NetworkModel.fromManifests([a, b, srv, namespaced]);
    expect(m1.check({ from: 'team-a/client', to: 'team-a/server' }).allowed).toBe(true);
    const denied = m1.check({ from: 'team-b/client', to: 'team-a/server' });
    expect(denied.allowed).toBe(false);
    expect(denied.ingress.trace.join('\n')).toContain('team-b/client does not match selector role == "client", in namespace team-a');

    const global = globalPolicy('allow-clients', {
      selector: 'role == "server"',
      ingress: [{ action: 'Allow', source: { selector: 'role == "client"' } }],
    });
    const m2 = NetworkModel.fromManifests([a, b, srv, global]);
    expect(m2.check({ from: 'team-b/client', to: 'team-a/server' }).allowed).toBe(true);
    expect(m2.check({ from: 'ip:8.8.8.8', to: 'team-a/server' }).allowed).toBe(false);
  });

  test('namespaceSelector global() matches global network sets, not pods', () => {
    const p = pod('prod', 'p', { app: 'p' }, { ip: '10.0.0.1' });
    const q = pod('prod', 'q', { app: 'q' }, { ip: '10.0.0.2' });
    const policy = calicoPolicy('prod', 'egress-to-global-sets', {
      selector: 'app == "p"',
      types: ['Egress'],
      egress: [{ action: 'Allow', destination: { namespaceSelector: 'global()', selector: 'zone == "dns"' } }],
    });
    const model = NetworkModel.fromManifests([p, q, policy, globalNetworkSet('dns', { zone: 'dns' }, ['8.8.8.8/32']), networkSet('prod', 'local-dns', { zone: 'dns' }, ['1.1.1.1/32'])]);
    expect(model.check({ from: 'prod/p', to: 'ip:8.8.8.8', protocol: 'UDP', port: 53 }).allowed).toBe(true);
    expect(model.check({ from: 'prod/p', to: 'ip:1.1.1.1', protocol: 'UDP', port: 53 }).allowed).toBe(false);
    expect(model.check({ from: 'prod/p', to: 'prod/q' }).allowed).toBe(false);
  });
});

describe('NetworkModel: whole-family blocks decide for pods without known IPs', () => {
  const objects = [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'a', labels: { app: 'web' } }, spec: { containers: [{ name: 'c' }] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'noip', namespace: 'b', labels: { app: 'x' } }, spec: { containers: [{ name: 'c' }] } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'from-anywhere-v4', namespace: 'a' },
      spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] },
    },
  ];

  test('ipBlock 0.0.0.0/0 matches a pod whose IP is unknown', () => {
    const verdict = NetworkModel.fromManifests(objects).check({ from: 'b/noip', to: 'a/web', port: 80 });
    expect(verdict.allowed).toBe(true);
    expect(verdict.ingress.policy).toContain('from-anywhere-v4');
  });

  test('a narrower block still does not match a pod whose IP is unknown', () => {
    const narrower = objects.map((o) => o.kind === 'NetworkPolicy'
      ? { ...o, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] } }
      : o);
    const verdict = NetworkModel.fromManifests(narrower).check({ from: 'b/noip', to: 'a/web', port: 80 });
    expect(verdict.allowed).toBe(false);
    expect(verdict.explanation).toContain('has no known IPv4 address');
  });

  test('an IPv6-only whole-family block does not match an IPv4 flow', () => {
    const v6 = objects.map((o) => o.kind === 'NetworkPolicy'
      ? { ...o, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '::/0' } }] }] } }
      : o);
    expect(NetworkModel.fromManifests(v6).check({ from: 'b/noip', to: 'a/web', port: 80 }).allowed).toBe(false);
  });
});

describe('Calico v3.32.1 verdicts (regressions)', () => {
  const a = pod('prod', 'a', { app: 'a' }, { ip: '10.9.0.10', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] });
  const b = pod('prod', 'b', { app: 'b' }, { ip: '10.9.0.20' });
  const other = pod('dev', 'c', { app: 'c' }, { ip: '10.8.0.30' });
  const toA = (ingress: any[]): any => calicoPolicy('prod', 'to-a', { selector: 'app == "a"', ingress });

  test('1. every Calico rule is read by core: refused with the object, the field and the reason', () => {
    expect(() => NetworkModel.fromManifests([a, toA([{ action: 'Allow', protocol: 'TCP', destination: { ports: [0] } }])])).toThrow(
      'NetworkPolicy prod/to-a (projectcalico.org/v3): spec.ingress[0].destination.ports[0]: 0 is not a valid port number; use an integer from 1 to 65535',
    );
    expect(() => NetworkModel.fromManifests([a, toA([{ action: 'Allow', protocol: 'UDPLite', destination: { ports: [80] } }])])).toThrow(
      'spec.ingress[0].destination.ports: protocol UDPLite does not support ports; set protocol to TCP, UDP or SCTP',
    );
    expect(() => NetworkModel.fromManifests([a, toA([{ action: 'Allow', protocol: 'tcp' }])])).toThrow('spec.ingress[0].protocol: "tcp" is not a Calico protocol name');
    expect(() => NetworkModel.fromManifests([a, toA([{ action: 'Allow', source: { nets: ['10.9.0.1/16'] } }])])).toThrow(
      'spec.ingress[0].source.nets[0]: "10.9.0.1/16" is not correctly masked (host bits are set)',
    );
    expect(() => NetworkModel.fromManifests([a, k8sPolicy('prod', 'kp', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }] }] })])).toThrow(
      'NetworkPolicy prod/kp (networking.k8s.io/v1): spec.ingress[0].from[0].ipBlock.except[0]: "10.0.0.0/8" must be a strict subset of the ipBlock cidr "10.0.0.0/8"',
    );
    expect(() => NetworkModel.fromManifests([a, k8sPolicy('prod', 'kp', { podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 70000 }] }] })])).toThrow(
      'spec.ingress[0].ports[0].endPort: endPort 70000 is not valid; use an integer from port (80) to 65535',
    );
  });

  test('2. a named port without a protocol matches the named port on whichever protocol the pod declares it', () => {
    // Calico: felix/calc/rule_scanner.go (no rule protocol: named-port IP sets of protocol "any");
    // felix/labelindex/ipsetmember MatchesModelProtocol (ProtocolAny matches every endpoint port protocol).
    const model = NetworkModel.fromManifests([a, b, toA([{ action: 'Allow', destination: { ports: ['http', 'dns'] } }])]);
    expect(model.check({ from: 'prod/b', to: 'prod/a', port: 8080 }).allowed).toBe(true);
    expect(model.check({ from: 'prod/b', to: 'prod/a', protocol: 'UDP', port: 53 }).allowed).toBe(true);
    expect(model.check({ from: 'prod/b', to: 'prod/a', protocol: 'TCP', port: 53 }).allowed).toBe(false);
    expect(model.check({ from: 'prod/b', to: 'prod/a', protocol: 'UDP', port: 8080 }).allowed).toBe(false);
    expect(model.check({ from: 'prod/b', to: 'prod/a', protocol: 'ICMP' }).allowed).toBe(false);
  });

  test('3. empty lists and empty selectors are no constraint', () => {
    // Calico: felix/rules/policy.go (an empty nets/ports list renders no match criterion)
    const withEmpty = NetworkModel.fromManifests([a, b, other, toA([{ action: 'Deny', destination: { nets: [] } }, { action: 'Allow' }])]);
    const without = NetworkModel.fromManifests([a, b, other, toA([{ action: 'Deny' }, { action: 'Allow' }])]);
    for (const from of ['prod/b', 'dev/c', 'ip:203.0.113.9']) {
      expect(withEmpty.check({ from, to: 'prod/a', port: 80 }).ingress).toMatchObject({ allowed: false, action: 'Deny', ruleIndex: 0 });
      expect(without.check({ from, to: 'prod/a', port: 80 }).ingress).toMatchObject({ allowed: false, action: 'Deny', ruleIndex: 0 });
    }
    const emptyPorts = NetworkModel.fromManifests([a, b, other, toA([{ action: 'Allow', source: { selector: '', notNets: [] }, destination: { ports: [], notPorts: [] } }])]);
    expect(emptyPorts.check({ from: 'prod/b', to: 'prod/a', protocol: 'UDP', port: 9 }).allowed).toBe(true);
    expect(emptyPorts.check({ from: 'dev/c', to: 'prod/a', protocol: 'SCTP', port: 9 }).allowed).toBe(true);
  });

  test('4. a rule whose nets or notNets hold no CIDR of the flow\'s family does not match it', () => {
    // Calico: felix/rules/policy.go FilterRuleToIPVersion / filterNets (a list left empty by the family filter drops the rule);
    // libcalico-go/lib/backend/k8s/conversion/conversion.go k8sPeerToCalicoFields (ipBlock cidr -> nets, except -> notNets).
    const calico = NetworkModel.fromManifests([a, toA([{ action: 'Allow', source: { notNets: ['10.0.0.0/8'] } }])]);
    expect(calico.check({ from: 'ip:203.0.113.9', to: 'prod/a' }).allowed).toBe(true);
    const v6 = calico.check({ from: 'ip:2001:db8::9', to: 'prod/a' });
    expect(v6.allowed).toBe(false);
    expect(v6.ingress.trace.join('\n')).toContain('the rule is for IPv4, the flow is IPv6');
    const k8s = NetworkModel.fromManifests([a, k8sPolicy('prod', 'internet', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }] })]);
    expect(k8s.check({ from: 'ip:203.0.113.9', to: 'prod/a' }).allowed).toBe(true);
    expect(k8s.check({ from: 'ip:10.1.2.3', to: 'prod/a' }).allowed).toBe(false);
    expect(k8s.check({ from: 'ip:2001:db8::9', to: 'prod/a' }).allowed).toBe(false);
  });

  test('5. a service account name of 63 characters or more gets no serviceaccount label', () => {
    // Calico: conversion/workload_endpoint_default.go (label only when len < 63); the all() rewrite of a policy's
    // serviceAccountSelector is in updateprocessors/globalnetworkpolicyprocessor.go only (not networkpolicyprocessor.go).
    const longName = `svc-${'x'.repeat(59)}`;
    expect(longName).toHaveLength(63);
    const long = pod('prod', 'long', { app: 'long' }, { ip: '10.9.0.30', sa: longName });
    const short = pod('prod', 'short', { app: 'short' }, { ip: '10.9.0.31', sa: 'svc-short' });
    const objects = [a, long, short, serviceAccount('prod', longName), serviceAccount('prod', 'svc-short')];
    expect(NetworkModel.fromManifests(objects).endpoint('prod/long').labels['projectcalico.org/serviceaccount']).toBeUndefined();

    const byNames = NetworkModel.fromManifests([...objects, toA([{ action: 'Allow', source: { serviceAccounts: { names: [longName, 'svc-short'] } } }])]);
    expect(byNames.check({ from: 'prod/short', to: 'prod/a' }).allowed).toBe(true);
    expect(byNames.check({ from: 'prod/long', to: 'prod/a' }).allowed).toBe(false);

    const denyAll = (kind: 'global' | 'namespaced'): any => {
      const spec = { serviceAccountSelector: 'all()', types: ['Egress'], egress: [{ action: 'Deny' }] };
      return kind === 'global' ? globalPolicy('sa-all', spec) : calicoPolicy('prod', 'sa-all', spec);
    };
    const global = NetworkModel.fromManifests([...objects, denyAll('global')]);
    expect(global.check({ from: 'prod/short', to: 'prod/a' }).allowed).toBe(false);
    expect(global.check({ from: 'prod/long', to: 'prod/a' }).egress.decidedBy).toBe(Decision.NO_POLICY);
    const namespaced = NetworkModel.fromManifests([...objects, denyAll('namespaced')]);
    expect(namespaced.check({ from: 'prod/short', to: 'prod/a' }).allowed).toBe(false);
    expect(namespaced.check({ from: 'prod/long', to: 'prod/a' }).allowed).toBe(false);

    // The GlobalNetworkPolicy rewrite covers its whole selector: selector all() with a serviceAccountSelector is
    // has(projectcalico.org/serviceaccount) as well.
    const labelled = [a, long, serviceAccount('prod', longName, { team: 'x' })];
    const gnp = NetworkModel.fromManifests([...labelled, globalPolicy('team-x', { selector: 'all()', serviceAccountSelector: 'team == "x"', types: ['Egress'], egress: [{ action: 'Deny' }] })]);
    expect(gnp.check({ from: 'prod/long', to: 'prod/a' }).egress.decidedBy).toBe(Decision.NO_POLICY);
    const np = NetworkModel.fromManifests([...labelled, calicoPolicy('prod', 'team-x', { selector: 'all()', serviceAccountSelector: 'team == "x"', types: ['Egress'], egress: [{ action: 'Deny' }] })]);
    expect(np.check({ from: 'prod/long', to: 'prod/a' }).allowed).toBe(false);
  });

  test('6. ip:<address> of a known pod is that pod; an address of no known endpoint stays external', () => {
    // Calico: felix/calc/rule_scanner.go (selectors are matched as IP sets of the selected endpoints' addresses)
    const model = NetworkModel.fromManifests([a, b, other, toA([{ action: 'Allow', source: { selector: 'app == "b"' } }]), denyAllIngress('dev')]);
    const v = model.check({ from: 'ip:10.9.0.20', to: 'prod/a' });
    expect(v.allowed).toBe(true);
    expect(v.explanation).toContain('note: ip:10.9.0.20 is the address of prod/b: its labels, namespace, service account and policies apply');
    expect(model.check({ from: 'ip:10.9.0.99', to: 'prod/a' }).allowed).toBe(false);
    // As a destination, the pod's own ingress policies apply.
    expect(model.check({ from: 'prod/a', to: 'ip:10.8.0.30' }).ingress).toMatchObject({ allowed: false, decidedBy: Decision.END_OF_TIER });
    expect(model.endpoint('ip:10.9.0.20')).toMatchObject({ id: 'prod/b', kind: 'Pod', labels: { app: 'b' } });
    // A host-networked pod is no workload endpoint (Calico: conversion.go IsValidCalicoWorkloadEndpoint): its address
    // (the node's) stays external.
    const host = NetworkModel.fromManifests([a, pod('kube-system', 'agent', { app: 'agent' }, { ip: '192.0.2.5', hostNetwork: true })]);
    expect(host.endpoint('ip:192.0.2.5')).toMatchObject({ kind: 'External' });
    const twice = NetworkModel.fromManifests([a, pod('prod', 'b2', {}, { ip: '10.9.0.10' })]);
    expect(() => twice.check({ from: 'ip:10.9.0.10', to: 'prod/a' })).toThrow(
      'NetworkModel: from: ip:10.9.0.10 is the address of several endpoints (prod/a, prod/b2); name one of them instead',
    );
  });

  test('7. pods without a known address are inside every except/notNets that covers a declared pod CIDR', () => {
    const noIp = pod('dev', 'noip', { app: 'noip' });
    const internet = k8sPolicy('prod', 'internet', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }] });
    const told = NetworkModel.fromManifests([a, noIp, internet], { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'] });
    const v = told.check({ from: 'dev/noip', to: 'prod/a' });
    expect(v.allowed).toBe(false);
    expect(v.explanation).toContain('note: dev/noip has no known IPv4 address: assumed inside notNets [10.0.0.0/8], which covers the pod CIDR 10.244.0.0/16');
    const untold = NetworkModel.fromManifests([a, noIp, internet]);
    const w = untold.check({ from: 'dev/noip', to: 'prod/a' });
    expect(w.allowed).toBe(true);
    expect(w.explanation).toContain('assumed outside notNets [10.0.0.0/8], as no IPv4 pod CIDR was declared (fromManifests option podCidrs)');
    // A nets list covering the pod CIDR contains such a pod too (same assumption); a narrower one does not.
    const cluster = k8sPolicy('prod', 'cluster', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] });
    expect(NetworkModel.fromManifests([a, noIp, cluster], { podCidrs: ['10.244.0.0/16'] }).check({ from: 'dev/noip', to: 'prod/a' }).allowed).toBe(true);
    expect(NetworkModel.fromManifests([a, noIp, cluster], { podCidrs: ['192.168.0.0/16'] }).check({ from: 'dev/noip', to: 'prod/a' }).allowed).toBe(false);
    // Known addresses decide as they are; an unknown address inside the pod CIDR stays external, and says so.
    expect(told.check({ from: 'ip:10.244.7.7', to: 'prod/a' }).explanation).toContain(
      'note: ip:10.244.7.7 is inside the pod CIDR 10.244.0.0/16 but is the address of no pod in the manifests: it is treated as an address outside the cluster',
    );
    expect(() => told.check({ from: 'prod/a', to: 'ip:10.96.0.10' })).toThrow(
      'NetworkModel: to: ip:10.96.0.10 is inside the service CIDR 10.96.0.0/12: Calico evaluates policy after kube-proxy translated a ClusterIP',
    );
    expect(() => NetworkModel.fromManifests([], { podCidrs: ['10.244.0.1/16'] })).toThrow('NetworkModel options: podCidrs[0]: "10.244.0.1/16" is not correctly masked');
    expect(() => NetworkModel.fromManifests([], { serviceCidrs: '10.96.0.0/12' as any })).toThrow('NetworkModel options: serviceCidrs: expected a list of networks');
    expect(() => NetworkModel.fromManifests([], 'x' as any)).toThrow('NetworkModel options: expected an object { tiers?, podCidrs?, serviceCidrs? }, got "x"');
  });

  test('8. a rule on source ports is decided over every ephemeral port when the source port is unknown', () => {
    const model = NetworkModel.fromManifests([a, b, toA([{ action: 'Deny', protocol: 'TCP', source: { ports: ['50000:60999'] } }, { action: 'Allow' }])]);
    const v = model.check({ from: 'prod/b', to: 'prod/a', port: 443 });
    expect(v.allowed).toBe(false);
    expect(v.explanation).toContain('the verdict depends on it (Linux\'s default ephemeral range 32768–60999): allowed from 32768–49999, denied from 50000–60999');
    expect(model.check({ from: 'prod/b', to: 'prod/a', port: 443, sourcePort: 40000 }).allowed).toBe(true);
    expect(model.check({ from: 'prod/b', to: 'prod/a', port: 443, sourcePort: 55000 }).allowed).toBe(false);
  });

  test('9. bad ports are refused naming the field; selectors are parsed by the selector layer only', () => {
    const model = NetworkModel.fromManifests([a, b]);
    for (const port of [0, 65536, 80.5]) {
      expect(() => model.check({ from: 'prod/b', to: 'prod/a', port })).toThrow(`NetworkModel.check(): port: ${port} is not a valid port number; use an integer from 1 to 65535`);
    }
    expect(() => model.check({ from: 'prod/b', to: 'prod/a', port: '0' })).toThrow('NetworkModel.check(): port: "0" is not a valid port number');
    expect(() => model.check({ from: 'prod/b', to: 'prod/a', port: true as any })).toThrow('NetworkModel.check(): port: expected a port number or a container port name, got true');
    expect(() => model.check({ from: 'prod/b', to: 'prod/a', protocol: 'ICMP', port: 0 })).toThrow('NetworkModel.check(): port: 0 is not a valid port number');
    for (const sourcePort of [0, 65536, 1.5, '80' as any]) {
      expect(() => model.check({ from: 'prod/b', to: 'prod/a', port: 80, sourcePort })).toThrow('NetworkModel.check(): sourcePort: ');
    }
    // '' is an absent selector (any source); a blank selector is whatever Selector.parse makes of it (here all(),
    // which a namespaced policy then limits to its namespace).
    const empty = NetworkModel.fromManifests([a, b, other, toA([{ action: 'Allow', source: { selector: '' } }])]);
    expect(empty.check({ from: 'dev/c', to: 'prod/a' }).allowed).toBe(true);
    const blank = NetworkModel.fromManifests([a, b, other, toA([{ action: 'Allow', source: { selector: ' ' } }])]);
    expect(blank.check({ from: 'prod/b', to: 'prod/a' }).allowed).toBe(true);
    expect(blank.check({ from: 'dev/c', to: 'prod/a' }).allowed).toBe(false);
  });
});
