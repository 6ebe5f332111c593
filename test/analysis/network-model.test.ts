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
import { Decision } from '../../src/analysis/network-evaluate';
import { NetworkModel } from '../../src/analysis/network-model';

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

  test('flows from a pod to itself are evaluated normally', () => {
    const model = NetworkModel.fromManifests([api, denyAllIngress('prod')]);
    expect(model.check({ from: 'prod/api', to: 'prod/api', port: 80 }).allowed).toBe(false);
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
    expect(() => model.check({ from: 'prod/web', to: 'prod/api', port: 70000 })).toThrow('70000 is not a port');
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
      'NetworkModel.check(): protocol: "HTTP" is not a protocol; use TCP, UDP, SCTP, UDPLite, ICMP, ICMPv6 or a number from 1 to 255',
    );
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
      ['prod/db', 'prod/db', false],
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
    expect(() => model.matrix({ ports: [{ protocol: 'TCP', port: 99999 }] })).toThrow('NetworkModel.matrix(): ports[0].port: 99999 is not a port');
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
