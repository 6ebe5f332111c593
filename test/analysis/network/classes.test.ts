import * as fc from 'fast-check';
import { MatrixGranularity, NetworkModel } from '../../../src/analysis';
import { calicoPolicy, deployment, globalNetworkSet, globalPolicy, k8sPolicy, namespace, pod, service, tier } from '../network-fixtures';

const NAMESPACES = ['a', 'b'];
const APPS = ['web', 'db'];
const IPS = ['10.0.0.1', '10.0.0.2', '10.1.0.1', '10.1.0.2', '192.0.2.10', 'fd00::1'];
const NETS = ['10.0.0.0/16', '10.1.0.0/24', '0.0.0.0/0', '192.0.2.0/24', 'fd00::/64', '10.0.0.2/32'];

const app = fc.constantFrom(...APPS);
const ns = fc.constantFrom(...NAMESPACES);
const nets = fc.subarray(NETS, { minLength: 1, maxLength: 2 });
const portEntry = fc.oneof(fc.constantFrom(80, 443, 8080), fc.constant('http'), fc.constant('1000:40000'));
const ports = fc.option(fc.array(portEntry, { minLength: 1, maxLength: 2 }), { nil: undefined });
const sourcePorts = fc.option(fc.constantFrom([40000], ['33000:45000'], ['http'], [32768]), { nil: undefined });
const action = fc.constantFrom('Allow', 'Deny', 'Pass', 'Log');

/** A Calico entity rule side (the peer and ports of a rule). */
const side = fc.record({
  selector: fc.option(app.map((a) => `app == "${a}"`), { nil: undefined }),
  namespaceSelector: fc.option(fc.constantFrom('global()', 'team == "x"', 'all()'), { nil: undefined }),
  nets: fc.option(nets, { nil: undefined }),
  notNets: fc.option(nets, { nil: undefined }),
  ports,
}, { requiredKeys: [] }).map((s) => {
  // Calico refuses ports without a protocol; the rules below set TCP whenever ports are present.
  const out: any = {};
  for (const [k, v] of Object.entries(s)) {
    if (v !== undefined) {
      out[k] = v;
    }
  }
  if (out.nets !== undefined && out.notNets !== undefined) {
    delete out.notNets;
  }
  return out;
});

const calicoRule = fc.record({ action, source: side, destination: side, sourcePorts, protocol: fc.constantFrom('TCP', undefined) }).map((r) => {
  const source = { ...r.source };
  delete source.ports;
  if (r.sourcePorts !== undefined) {
    source.ports = r.sourcePorts;
  }
  const rule: any = { action: r.action, source, destination: r.destination };
  const needsProtocol = source.ports !== undefined || r.destination.ports !== undefined;
  if (needsProtocol || r.protocol !== undefined) {
    rule.protocol = 'TCP';
  }
  // IPv4 and IPv6 networks in one rule are refused; keep one family.
  const all = [...(source.nets ?? []), ...(source.notNets ?? []), ...(r.destination.nets ?? []), ...(r.destination.notNets ?? [])];
  if (all.some((n: string) => n.includes(':')) && all.some((n: string) => !n.includes(':'))) {
    for (const s of [source, rule.destination]) {
      for (const k of ['nets', 'notNets']) {
        if (s[k] !== undefined) {
          s[k] = s[k].filter((n: string) => !n.includes(':'));
          if (s[k].length === 0) {
            delete s[k];
          }
        }
      }
    }
  }
  return rule;
});

const types = fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress']);

const policy = fc.oneof(
  fc.record({ ns, name: fc.constantFrom('p1', 'p2', 'p3'), order: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), selector: fc.constantFrom('all()', 'app == "web"', 'app == "db"'), types, ingress: fc.array(calicoRule, { maxLength: 2 }), egress: fc.array(calicoRule, { maxLength: 2 }), staged: fc.boolean(), tier: fc.constantFrom('default', 'security') })
    .map((p) => {
      const obj = calicoPolicy(p.ns, p.tier === 'default' ? p.name : `security.${p.name}`, { tier: p.tier, order: p.order, selector: p.selector, types: p.types, ingress: p.ingress, egress: p.egress });
      return p.staged ? { ...obj, kind: 'StagedNetworkPolicy' } : obj;
    }),
  fc.record({ name: fc.constantFrom('g1', 'g2'), order: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), selector: fc.constantFrom('all()', 'app == "web"'), types, ingress: fc.array(calicoRule, { maxLength: 2 }), egress: fc.array(calicoRule, { maxLength: 2 }), tier: fc.constantFrom('default', 'security') })
    .map((p) => globalPolicy(p.tier === 'default' ? p.name : `security.${p.name}`, { tier: p.tier, order: p.order, selector: p.selector, types: p.types, ingress: p.ingress, egress: p.egress })),
  fc.record({ ns, name: fc.constantFrom('k1', 'k2'), app, from: fc.option(app, { nil: undefined }), cidr: fc.option(fc.constantFrom('10.0.0.0/16', '0.0.0.0/0'), { nil: undefined }), port: fc.option(fc.constantFrom(80, 'http'), { nil: undefined }) })
    .map((p) => k8sPolicy(p.ns, p.name, {
      podSelector: { matchLabels: { app: p.app } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{
        from: [
          ...(p.from === undefined ? [] : [{ podSelector: { matchLabels: { app: p.from } } }]),
          ...(p.cidr === undefined ? [] : [{ ipBlock: { cidr: p.cidr, except: p.cidr === '0.0.0.0/0' ? ['10.1.0.0/24'] : undefined } }]),
        ],
        ports: p.port === undefined ? undefined : [{ port: p.port }],
      }],
      egress: [{ to: p.from === undefined ? undefined : [{ podSelector: {}, namespaceSelector: {} }] }],
    })),
);

const endpoint = fc.record({
  ns,
  app,
  kind: fc.constantFrom('pod', 'pod', 'pod', 'deployment', 'host'),
  ip: fc.option(fc.constantFrom(...IPS), { nil: undefined }),
  http: fc.constantFrom(undefined, 8080, 40000),
  sa: fc.constantFrom(undefined, 'robot'),
  owner: fc.constantFrom(undefined, 'w1', 'w2'),
});

const world = fc.record({
  endpoints: fc.array(endpoint, { minLength: 1, maxLength: 7 }),
  policies: fc.array(policy, { maxLength: 5 }),
  securityDefault: fc.constantFrom('Deny', 'Pass'),
  gns: fc.boolean(),
  svc: fc.boolean(),
});

function manifests(w: any): any[] {
  const objects: any[] = [namespace('a', { team: 'x' }), namespace('b'), tier('security', 10, w.securityDefault)];
  w.endpoints.forEach((e: any, i: number) => {
    const containerPorts = e.http === undefined ? undefined : [{ name: 'http', containerPort: e.http }];
    if (e.kind === 'deployment') {
      objects.push(deployment(e.ns, `d${i}`, { app: e.app }, { serviceAccountName: e.sa, containers: [{ name: 'main', image: 'x', ports: containerPorts }] }));
    } else {
      const p = pod(e.ns, `p${i}`, e.owner === undefined ? { app: e.app } : { 'app': e.app, 'pod-template-hash': 'h1' }, { ip: e.ip, sa: e.sa, ports: containerPorts, hostNetwork: e.kind === 'host' });
      if (e.owner !== undefined) {
        p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${e.owner}-h1`, uid: 'u', controller: true }];
      }
      objects.push(p);
    }
  });
  if (w.gns) {
    objects.push(globalNetworkSet('ext', { role: 'ext' }, ['192.0.2.0/24', '10.0.0.2/32']));
  }
  if (w.svc) {
    objects.push(service('a', 'web', { app: 'web' }, [{ port: 80, targetPort: 'http' }]));
  }
  objects.push(...w.policies);
  return objects;
}

function tryModel(objects: any[]): NetworkModel | undefined {
  try {
    return NetworkModel.fromManifests(objects, { podCidrs: ['10.0.0.0/16'] });
  } catch (e) {
    // Random policies may be refused (e.g. a Pass rule in a Kubernetes-only position); those worlds say nothing.
    return undefined;
  }
}

function verdicts(m: { cells: Array<{ from: string; to: string; port?: number | string; allowed: boolean }> }): string[] {
  return m.cells.map((c) => `${c.from} -> ${c.to} ${c.port ?? ''}: ${c.allowed}`);
}

describe('equivalence classes', () => {
  test('replicas with the same labels and ports share a class; a rule network that splits their addresses splits it', () => {
    const model = NetworkModel.fromManifests([
      pod('a', 'web-1', { app: 'web' }, { ip: '10.0.0.1' }),
      pod('a', 'web-2', { app: 'web' }, { ip: '10.0.0.2' }),
      pod('a', 'web-3', { app: 'web' }, { ip: '10.1.0.3' }),
      pod('a', 'db', { app: 'db' }, { ip: '10.0.0.9' }),
      calicoPolicy('a', 'p', { selector: 'app == "db"', types: ['Ingress'], ingress: [{ action: 'Allow', source: { nets: ['10.0.0.0/16'] } }] }),
    ]);
    const m = model.matrix({ granularity: MatrixGranularity.CLASS });
    expect(m.endpoints.map((c) => m.membersOf(c))).toEqual([['a/db'], ['a/web-1', 'a/web-2'], ['a/web-3']]);
    expect(m.isAllowed('class:1', 'class:0')).toBe(true);
    expect(m.isAllowed('class:2', 'class:0')).toBe(false);
    expect(model.matrix().isAllowed('a/web-2', 'a/db')).toBe(true);
    expect(model.matrix().isAllowed('a/web-3', 'a/db')).toBe(false);
  });

  test('rule networks split classes exactly at their edges, per IP family', () => {
    const ips = ['10.0.255.255', '10.1.0.0', '10.1.0.255', '10.1.1.0', 'fd00::1', '10.1.0.9'];
    const model = NetworkModel.fromManifests([
      ...ips.map((ip, i) => pod('a', `p${i}`, { app: 'web' }, { ip: i === 5 ? [ip, 'fd00:1::1'] : ip })),
      pod('a', 'db', { app: 'db' }, { ip: '10.9.9.9' }),
      calicoPolicy('a', 'p', { selector: 'app == "db"', types: ['Ingress'], ingress: [{ action: 'Allow', source: { nets: ['10.1.0.0/24'] } }, { action: 'Allow', source: { nets: ['fd00::/64'] } }] }),
    ]);
    const m = model.matrix({ granularity: MatrixGranularity.CLASS });
    const classOf = (id: string) => m.endpoints.find((c) => m.membersOf(c).includes(id))!;
    expect(m.membersOf(classOf('a/p1'))).toEqual(['a/p1', 'a/p2']);
    expect(m.membersOf(classOf('a/p0'))).toEqual(['a/p0', 'a/p3']);
    expect(m.membersOf(classOf('a/p4'))).toEqual(['a/p4']);
    expect(m.membersOf(classOf('a/p5'))).toEqual(['a/p5']);
    const pods = model.matrix();
    expect(['a/p0', 'a/p1', 'a/p2', 'a/p3', 'a/p4', 'a/p5'].map((p) => pods.isAllowed(p, 'a/db'))).toEqual([false, true, true, false, false, true]);
  });

  test('named ports split classes; a class row to itself is traffic between two of its members', () => {
    const model = NetworkModel.fromManifests([
      pod('a', 'x-1', { app: 'x' }, { ports: [{ name: 'http', containerPort: 80 }] }),
      pod('a', 'x-2', { app: 'x' }, { ports: [{ name: 'http', containerPort: 8080 }] }),
      k8sPolicy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }),
    ]);
    const m = model.matrix({ granularity: MatrixGranularity.CLASS, ports: [{ port: 80 }] });
    expect(m.endpoints).toEqual(['class:0', 'class:1']);
    expect(m.isAllowed('class:0', 'class:0')).toBe(false);
    // At pod granularity, a pod's traffic to itself is not policed.
    expect(model.matrix({ ports: [{ port: 80 }] }).isAllowed('a/x-1', 'a/x-1')).toBe(true);
  });

  test('class verdicts equal the naive per-pod evaluation (random small worlds)', () => {
    let evaluated = 0;
    fc.assert(
      fc.property(world, fc.constantFrom(undefined, 80, 'http', 8080), fc.constantFrom('TCP', 'UDP', 'ICMP'), fc.boolean(), (w, port, protocol, staged) => {
        const model = tryModel(manifests(w));
        if (model === undefined) {
          return;
        }
        evaluated++;
        const externals = ['ip:192.0.2.10', 'ip:10.0.0.1', 'ip:203.0.113.5'];
        for (const granularity of [MatrixGranularity.POD, MatrixGranularity.CLASS, MatrixGranularity.WORKLOAD]) {
          const options = { ports: [{ protocol, port }, { protocol: 'TCP', port: 443 }], includeStaged: staged, granularity, includeExternal: externals };
          let naive: string[];
          try {
            naive = verdicts(model._matrixNaive(options));
          } catch (e) {
            // Mixed IP families between an address and an endpoint are refused by both paths alike.
            expect(() => model.matrix(options)).toThrow((e as Error).message);
            continue;
          }
          expect(verdicts(model.matrix(options))).toEqual(naive);
        }
      }),
      { numRuns: 300 },
    );
    // Most random worlds are valid: the property is exercised.
    expect(evaluated).toBeGreaterThan(100);
  });

  test('a named source port splits the ephemeral range on the class\'s own port (egress) and on every source (ingress)', () => {
    const model = NetworkModel.fromManifests([
      pod('a', 'x', { app: 'web' }, { ip: '10.0.0.1', ports: [{ name: 'http', containerPort: 40000 }] }),
      pod('a', 'y', { app: 'db' }, { ip: '10.0.0.2' }),
      calicoPolicy('a', 'out', { selector: 'app == "web"', types: ['Egress'], egress: [{ action: 'Deny', protocol: 'TCP', source: { ports: ['http'] } }, { action: 'Allow' }] }),
      calicoPolicy('a', 'in', { selector: 'app == "web"', types: ['Ingress'], ingress: [{ action: 'Deny', protocol: 'TCP', source: { ports: ['http'] } }, { action: 'Allow' }] }),
    ]);
    // Source port 40000 is x's "http": denied from x (egress) and to x from x's class (ingress); y has no such port.
    const m = model.matrix({ ports: [{ port: 80 }], granularity: MatrixGranularity.CLASS });
    expect(m.toMarkdown()).toBe(model._matrixNaive({ ports: [{ port: 80 }], granularity: MatrixGranularity.CLASS }).toMarkdown());
    expect([m.isAllowed('class:0', 'class:1'), m.isAllowed('class:1', 'class:0'), m.isAllowed('class:0', 'class:0')]).toEqual([false, true, false]);
    expect(model.check({ from: 'a/x', to: 'a/y', port: 80 }).allowed).toBe(false);
  });

  test('granularity is checked', () => {
    const model = NetworkModel.fromManifests([pod('a', 'x')]);
    expect(() => model.matrix({ granularity: 'pods' as any })).toThrow(
      "NetworkModel.matrix(): granularity: \"pods\" is not one of 'pod', 'workload', 'class' (MatrixGranularity)",
    );
    expect(() => model.matrix({ granularity: MatrixGranularity.CLASS, endpoints: ['ip:203.0.113.1'] })).toThrow(
      'NetworkModel.matrix(): endpoints: ip:203.0.113.1 is outside the cluster; list addresses in includeExternal',
    );
  });
});

describe('workloads', () => {
  const owned = (namespaceName: string, name: string, labels: { [k: string]: string }, owner: { kind: string; name: string }, ip?: string) => {
    const p = pod(namespaceName, name, labels, { ip });
    p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: `uid-${owner.name}`, controller: true }];
    return p;
  };

  test('pods belong to their controller, followed through ReplicaSets (declared or named after the pod-template-hash) and Jobs', () => {
    const model = NetworkModel.fromManifests([
      owned('shop', 'web-7d9f-a', { 'app': 'web', 'pod-template-hash': '7d9f' }, { kind: 'ReplicaSet', name: 'web-7d9f' }, '10.0.0.1'),
      owned('shop', 'web-7d9f-b', { 'app': 'web', 'pod-template-hash': '7d9f' }, { kind: 'ReplicaSet', name: 'web-7d9f' }, '10.0.0.2'),
      owned('shop', 'db-0', { app: 'db' }, { kind: 'StatefulSet', name: 'db' }, '10.0.0.3'),
      owned('shop', 'report-1-x', { app: 'report' }, { kind: 'Job', name: 'report-1' }),
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'report-1', namespace: 'shop', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: 'c', controller: true }] }, spec: { template: { metadata: { labels: { app: 'report' } }, spec: {} } } },
      pod('shop', 'debug', { app: 'debug' }),
      deployment('shop', 'idle', { app: 'idle' }),
      k8sPolicy('shop', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] }),
    ]);
    expect(model.workloads()).toEqual(['shop/cronjob/report', 'shop/deployment/idle', 'shop/deployment/web', 'shop/pod/debug', 'shop/statefulset/db']);
    const m = model.matrix({ granularity: MatrixGranularity.WORKLOAD });
    expect(m.membersOf('shop/deployment/web')).toEqual(['shop/web-7d9f-a', 'shop/web-7d9f-b']);
    // The CronJob stands for its Job's pods (the Job's own template is not a pod).
    expect(m.membersOf('shop/cronjob/report')).toEqual(['shop/report-1-x']);
    expect(m.membersOf('shop/deployment/idle')).toEqual(['shop/idle']);
    expect(m.isAllowed('shop/deployment/web', 'shop/statefulset/db')).toBe(true);
    expect(m.isAllowed('shop/pod/debug', 'shop/statefulset/db')).toBe(false);
    // A workload to itself is traffic between two of its pods (here: no policy on web).
    expect(m.isAllowed('shop/deployment/web', 'shop/deployment/web')).toBe(true);
    expect(m.isAllowed('shop/statefulset/db', 'shop/statefulset/db')).toBe(false);
  });

  test('a workload is allowed to reach another only when every pod pair is', () => {
    const model = NetworkModel.fromManifests([
      owned('a', 'c-1', { app: 'c' }, { kind: 'DaemonSet', name: 'c' }, '10.0.0.1'),
      owned('a', 'c-2', { app: 'c' }, { kind: 'DaemonSet', name: 'c' }, '10.9.0.1'),
      pod('a', 'db', { app: 'db' }, { ip: '10.0.0.9' }),
      calicoPolicy('a', 'db', { selector: 'app == "db"', types: ['Ingress'], ingress: [{ action: 'Allow', source: { nets: ['10.0.0.0/16'] } }] }),
    ]);
    const m = model.matrix({ granularity: MatrixGranularity.WORKLOAD, endpoints: ['a/c', 'a/db'] });
    expect(m.endpoints).toEqual(['a/daemonset/c', 'a/pod/db']);
    expect(m.isAllowed('a/daemonset/c', 'a/pod/db')).toBe(false);
    expect(model.matrix().isAllowed('a/c-1', 'a/db')).toBe(true);
  });

  test('workload ids: namespace/kind/name, or namespace/name when unambiguous; otherwise the candidates are listed', () => {
    const model = NetworkModel.fromManifests([
      owned('a', 'x-0', { app: 'x' }, { kind: 'StatefulSet', name: 'x' }),
      deployment('a', 'x', { app: 'x' }),
      pod('a', 'solo'),
    ]);
    const rows = (ids: string[]) => model.matrix({ granularity: MatrixGranularity.WORKLOAD, endpoints: ids }).endpoints;
    expect(rows(['a/solo', 'a/pod/solo', 'a/statefulset/x'])).toEqual(['a/pod/solo', 'a/statefulset/x']);
    expect(() => rows(['a/x'])).toThrow('NetworkModel.matrix(): endpoints: a/x names several workloads; use one of a/deployment/x, a/statefulset/x');
    expect(() => rows(['a/deployment/y'])).toThrow('NetworkModel.matrix(): endpoints: unknown workload "a/deployment/y" (workloads are namespace/kind/name, e.g. prod/deployment/web); did you mean');
    expect(() => rows([7 as any])).toThrow('NetworkModel.matrix(): endpoints: expected a workload id (namespace/kind/name or namespace/name), got 7');
  });

  test('check() on a workload known only through its pods asks for one of its pods', () => {
    const model = NetworkModel.fromManifests([
      owned('a', 'x-0', { app: 'x' }, { kind: 'StatefulSet', name: 'x' }),
      owned('a', 'x-1', { app: 'x' }, { kind: 'StatefulSet', name: 'x' }),
      deployment('a', 'd', { app: 'd' }),
    ]);
    expect(() => model.check({ from: 'a/statefulset/x', to: 'a/d' })).toThrow(
      'NetworkModel: from: a/statefulset/x is a workload of 2 pods (a/x-0, a/x-1); name one of its pods, or use matrix({ granularity: MatrixGranularity.WORKLOAD })',
    );
    // A workload declared in the manifests is an endpoint (its pod template), under both ids.
    expect(model.check({ from: 'a/x-0', to: 'a/deployment/d' }).allowed).toBe(true);
    expect(model.check({ from: 'a/x-0', to: 'a/d' }).allowed).toBe(true);
  });

  test('malformed owner references are refused naming the field', () => {
    const bad = pod('a', 'p');
    bad.metadata.ownerReferences = [{ kind: 'ReplicaSet' }];
    expect(() => NetworkModel.fromManifests([bad])).toThrow('metadata.ownerReferences[0]: an owner reference needs a kind and a name');
    const two = pod('a', 'q');
    two.metadata.ownerReferences = [{ kind: 'ReplicaSet', name: 'r', controller: true }, { kind: 'Job', name: 'j', controller: true }];
    expect(() => NetworkModel.fromManifests([two])).toThrow('metadata.ownerReferences[1].controller: a second controller (Job j after ReplicaSet r); an object has at most one');
    const notList = pod('a', 'r');
    notList.metadata.ownerReferences = 'rs';
    expect(() => NetworkModel.fromManifests([notList])).toThrow('metadata.ownerReferences');
  });
});
