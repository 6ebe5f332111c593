import { deployment, globalNetworkSet, namespace, networkSet, pod, service, serviceAccount } from './network-fixtures';
import { apiGroup, Inventory, InventoryBuilder } from '../../src/analysis/network-endpoints';

function build(...objects: any[]): Inventory {
  const b = new InventoryBuilder();
  for (const o of objects) {
    b.accept(o, o.kind, o.apiVersion);
  }
  return b.build();
}

function workload(kind: string, apiVersion: string, spec: any): any {
  return { apiVersion, kind, metadata: { name: kind.toLowerCase(), namespace: 'w' }, spec };
}

const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', ports: [{ name: 'p', containerPort: 81 }] }] } };

describe('apiGroup', () => {
  test('core and named groups', () => {
    expect(apiGroup('v1')).toBe('');
    expect(apiGroup('apps/v1')).toBe('apps');
    expect(apiGroup('projectcalico.org/v3')).toBe('projectcalico.org');
  });
});

describe('namespaces and service accounts', () => {
  test('declared namespaces get kubernetes.io/metadata.name; referenced ones exist implicitly', () => {
    const b = new InventoryBuilder();
    b.accept(namespace('prod', { env: 'prod' }), 'Namespace', 'v1');
    b.accept(pod('dev', 'x'), 'Pod', 'v1');
    b.referenceNamespace('policies-only');
    const inv = b.build();
    expect(inv.namespaces.get('prod')).toEqual({ name: 'prod', labels: { 'env': 'prod', 'kubernetes.io/metadata.name': 'prod' }, declared: true });
    expect(inv.namespaces.get('dev')).toEqual({ name: 'dev', labels: { 'kubernetes.io/metadata.name': 'dev' }, declared: false });
    expect(inv.namespaces.has('policies-only')).toBe(true);
    expect(inv.namespaceLabels('nowhere')).toEqual({ 'kubernetes.io/metadata.name': 'nowhere', 'projectcalico.org/name': 'nowhere' });
  });

  test('repeated declarations must agree', () => {
    expect(build(namespace('a', { x: '1' }), namespace('a', { x: '1' })).namespaces.get('a')!.declared).toBe(true);
    expect(() => build(namespace('a', { x: '1' }), namespace('a', { x: '2' }))).toThrow(
      'Namespace a (v1): metadata.labels: the namespace is declared twice with different labels ({"x":"1"} and {"x":"2"}); keep one declaration',
    );
    expect(() => build(serviceAccount('a', 's', { r: '1' }), serviceAccount('a', 's', {}))).toThrow(
      'ServiceAccount a/s (v1): metadata.labels: the service account is declared twice with different labels',
    );
  });

  test('service accounts used by pods exist implicitly without labels', () => {
    const inv = build(pod('a', 'p', {}, { sa: 'robot' }), serviceAccount('a', 'declared', { team: 'x' }));
    expect(inv.serviceAccounts.get('a/robot')).toEqual({ namespace: 'a', name: 'robot', labels: {}, declared: false });
    expect(inv.serviceAccounts.get('a/declared')).toEqual({ namespace: 'a', name: 'declared', labels: { team: 'x' }, declared: true });
  });

  test('names are required', () => {
    expect(() => build({ apiVersion: 'v1', kind: 'Namespace', metadata: {} })).toThrow('Namespace (unnamed) (v1): metadata.name: missing; every object needs a name');
    expect(() => build({ apiVersion: 'v1', kind: 'Pod', metadata: { name: '' } })).toThrow('Pod default/(unnamed) (v1): metadata.name: missing');
  });
});

describe('pods', () => {
  test('labels as Calico sees them', () => {
    const inv = build(namespace('prod', { env: 'prod' }), serviceAccount('prod', 'sa', { role: 'r' }), pod('prod', 'web', { app: 'web' }, { sa: 'sa', ip: '10.0.0.1' }));
    const e = inv.endpoints[0];
    expect(e).toMatchObject({ id: 'prod/web', aliases: ['prod/web', 'prod/pod/web'], kind: 'Pod', serviceAccount: 'sa', identity: 0, hostNetwork: false });
    expect(e.labels).toEqual({
      'app': 'web',
      'projectcalico.org/namespace': 'prod',
      'projectcalico.org/orchestrator': 'k8s',
      'projectcalico.org/serviceaccount': 'sa',
      'pcns.env': 'prod',
      'pcns.kubernetes.io/metadata.name': 'prod',
      'pcns.projectcalico.org/name': 'prod',
      'pcsa.role': 'r',
      'pcsa.projectcalico.org/name': 'sa',
    });
  });

  test('a service account name of 63 characters or more gets no serviceaccount label, but keeps its pcsa. labels', () => {
    // Calico: conversion/workload_endpoint_default.go adds the label only when len(ServiceAccountName) < 63.
    const name62 = 's'.repeat(62);
    const name63 = 's'.repeat(63);
    const inv = build(pod('prod', 'short', {}, { sa: name62 }), pod('prod', 'long', {}, { sa: name63 }));
    const [long, short] = inv.endpoints;
    expect(short.labels['projectcalico.org/serviceaccount']).toBe(name62);
    expect(long.labels['projectcalico.org/serviceaccount']).toBeUndefined();
    expect(long.labels['pcsa.projectcalico.org/name']).toBe(name63);
  });

  test('defaults: namespace default, service account default; legacy serviceAccount field', () => {
    const inv = build({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { serviceAccount: 'legacy' } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' } });
    expect(inv.endpoints.map((e) => [e.id, e.serviceAccount])).toEqual([['default/p', 'legacy'], ['default/q', 'default']]);
  });

  test('IPs: status.podIPs, then status.podIP, then the Calico annotations', () => {
    const withStatus = (status: any, annotations?: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations }, status });
    const ips = (o: any) => build(o).endpoints[0].ips.map((ip) => ip.text);
    expect(ips(withStatus({ podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] }))).toEqual(['10.0.0.1', 'fd00::1']);
    expect(ips(withStatus({ podIP: '10.0.0.2' }))).toEqual(['10.0.0.2']);
    expect(ips(withStatus(undefined, { 'cni.projectcalico.org/podIPs': '10.0.0.3/32,fd00::3/128', 'cni.projectcalico.org/podIP': '10.9.9.9/32' }))).toEqual(['10.0.0.3', 'fd00::3']);
    expect(ips(withStatus({ podIP: '' }, { 'cni.projectcalico.org/podIP': '10.0.0.4/32' }))).toEqual(['10.0.0.4']);
    // Calico: conversion.go getPodIPs falls back on the AWS VPC CNI annotation last.
    expect(ips(withStatus(undefined, { 'vpc.amazonaws.com/pod-ips': '10.0.0.5,fd00::5' }))).toEqual(['10.0.0.5', 'fd00::5']);
    expect(ips(withStatus(undefined, { 'vpc.amazonaws.com/pod-ips': '10.0.0.5', 'cni.projectcalico.org/podIP': '10.0.0.6/32' }))).toEqual(['10.0.0.6']);
    expect(ips(withStatus({}))).toEqual([]);
  });

  test('bad IPs name the field', () => {
    const bad = (status: any, annotations?: any) => () => build({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n', annotations }, status });
    expect(bad({ podIP: '10.0.0.300' })).toThrow('Pod n/p (v1): status.podIP: "10.0.0.300" is not an IP address');
    expect(bad({ podIPs: ['10.0.0.1'] })).toThrow('status.podIPs[0]: expected an object with an ip string, got "10.0.0.1"');
    expect(bad({ podIPs: [{ ip: 'x' }] })).toThrow('status.podIPs: "x" is not an IP address');
    expect(bad(undefined, { 'cni.projectcalico.org/podIP': 'nope' })).toThrow('metadata.annotations["cni.projectcalico.org/podIP"]: "nope" is not an IP address');
    // Calico: conversion.go getPodIPs splits the annotation on "," and parses each part as it is (Go's parser allows no spaces).
    expect(bad(undefined, { 'cni.projectcalico.org/podIPs': '10.0.0.3/32, fd00::3/128' })).toThrow(
      'metadata.annotations["cni.projectcalico.org/podIPs"]: " fd00::3/128" is not an IP address: " fd00::3" is not an IPv4 or IPv6 address',
    );
  });

  test('host-networked pods get no identity', () => {
    const inv = build(pod('a', 'h', {}, { hostNetwork: true }), pod('a', 'p'));
    expect(inv.endpoints.map((e) => [e.id, e.identity])).toEqual([['a/h', -1], ['a/p', 0]]);
    expect(inv.identities).toHaveLength(1);
  });

  test('duplicates are rejected', () => {
    expect(() => build(pod('a', 'p'), pod('a', 'p'))).toThrow('Pod a/p (v1): metadata.name: declared twice; every workload needs a unique kind, namespace and name');
  });
});

describe('workloads', () => {
  test('every kind with a pod template is one endpoint', () => {
    const legacy = { ...workload('Deployment', 'extensions/v1beta1', { template }), metadata: { name: 'legacy', namespace: 'w' } };
    const inv = build(
      workload('Deployment', 'apps/v1', { template }),
      workload('StatefulSet', 'apps/v1', { template }),
      workload('DaemonSet', 'apps/v1', { template }),
      workload('ReplicaSet', 'apps/v1', { template }),
      workload('Job', 'batch/v1', { template }),
      workload('CronJob', 'batch/v1', { jobTemplate: { spec: { template } } }),
      workload('ReplicationController', 'v1', { template }),
      legacy,
    );
    expect(inv.endpoints.map((e) => [e.id, e.kind])).toEqual([
      ['w/cronjob', 'CronJob'],
      ['w/daemonset', 'DaemonSet'],
      ['w/deployment', 'Deployment'],
      ['w/job', 'Job'],
      ['w/legacy', 'Deployment'],
      ['w/replicaset', 'ReplicaSet'],
      ['w/replicationcontroller', 'ReplicationController'],
      ['w/statefulset', 'StatefulSet'],
    ]);
    expect(inv.endpoints.every((e) => e.podLabels.app === 'x' && e.ports[0].name === 'p')).toBe(true);
  });

  test('template labels, ports and annotation IPs', () => {
    const d = deployment('shop', 'cart', { app: 'cart' }, { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] });
    d.spec.template.metadata.annotations = { 'cni.projectcalico.org/podIP': '10.1.1.1/32' };
    const e = build(d).endpoints[0];
    expect(e).toMatchObject({ kind: 'Deployment', podLabels: { app: 'cart' }, ports: [{ name: 'http', port: 8080, protocol: 6 }] });
    expect(e.ips.map((ip) => ip.text)).toEqual(['10.1.1.1']);
  });

  test('a workload without a template is rejected; wrong groups are not workloads', () => {
    expect(() => build(workload('Deployment', 'apps/v1', {}))).toThrow('Deployment w/deployment (apps/v1): spec.template: missing; a Deployment needs a pod template');
    expect(() => build(workload('CronJob', 'batch/v1', { jobTemplate: {} }))).toThrow('spec.jobTemplate.spec.template: missing; a CronJob needs a pod template');
    const b = new InventoryBuilder();
    expect(b.accept(workload('Deployment', 'example.com/v1', { template }), 'Deployment', 'example.com/v1')).toBe(false);
  });
});

describe('network sets', () => {
  test('labels and nets; namespaced sets carry the namespace labels', () => {
    const inv = build(
      namespace('prod', { env: 'prod' }),
      networkSet('prod', 'partners', { role: 'partner' }, ['203.0.113.0/24', '198.51.100.7']),
      globalNetworkSet('dns', { zone: 'dns' }, ['8.8.8.8/32']),
      pod('prod', 'p', {}, { ip: ['203.0.113.5', 'fd00::5'] }),
    );
    expect(inv.networkSets.map((s) => [s.kind, s.namespace, s.name, s.identity])).toEqual([
      ['GlobalNetworkSet', undefined, 'dns', 1],
      ['NetworkSet', 'prod', 'partners', 2],
    ]);
    expect(inv.networkSets[1].labels).toEqual({
      'role': 'partner',
      'projectcalico.org/namespace': 'prod',
      'pcns.env': 'prod',
      'pcns.kubernetes.io/metadata.name': 'prod',
      'pcns.projectcalico.org/name': 'prod',
    });
    expect(inv.networkSets[0].labels).toEqual({ zone: 'dns' });
    expect(inv.endpoints[0].networkSetIdentities).toEqual({ 4: [2], 6: [] });
    expect(inv.networkSetIdentitiesContaining({ version: 4, value: 0x08080808n, text: '8.8.8.8' })).toEqual([1]);
    expect(inv.identities.map((i) => [i.endpoint, i.networkSet])).toEqual([[0, -1], [-1, 0], [-1, 1]]);
  });

  test('errors', () => {
    expect(() => build(networkSet('a', 's', {}, ['10.0.0.0/40']))).toThrow(
      'NetworkSet a/s (projectcalico.org/v3): spec.nets[0]: "10.0.0.0/40" is not a valid CIDR: "/40" is not a valid prefix length for IPv4; use /0 to /32',
    );
    expect(() => build(networkSet('a', 's', { 'projectcalico.org/namespace': 'b' }, []))).toThrow(
      'metadata.labels["projectcalico.org/namespace"]: this label is reserved for Calico; remove it',
    );
    expect(() => build(globalNetworkSet('g', {}, []), globalNetworkSet('g', {}, []))).toThrow('GlobalNetworkSet g (projectcalico.org/v3): metadata.name: declared twice');
  });
});

describe('services', () => {
  test('selectors and ports', () => {
    const inv = build(
      service('a', 'web', { app: 'web' }, [{ port: 80, targetPort: 'http' }, { port: 443, targetPort: '8443', protocol: 'TCP' }, { port: 53, protocol: 'UDP' }]),
      service('a', 'headless', undefined, [{ port: 1 }]),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'a' }, spec: { type: 'ExternalName', selector: { app: 'web' } } },
    );
    expect(inv.services.get('a/web')).toEqual({
      namespace: 'a',
      name: 'web',
      selector: { app: 'web' },
      ports: [
        { port: 80, targetPort: 'http', protocol: 6 },
        { port: 443, targetPort: 8443, protocol: 6 },
        { port: 53, targetPort: 53, protocol: 17 },
      ],
    });
    expect(inv.services.get('a/headless')!.selector).toBeUndefined();
    expect(inv.services.get('a/ext')!.selector).toBeUndefined();
  });

  test('errors', () => {
    expect(() => build(service('a', 's', {}, ['80']))).toThrow('Service a/s (v1): spec.ports[0]: expected an object with port');
    expect(() => build(service('a', 's', {}, [{ port: 0 }]))).toThrow('spec.ports[0].port: expected a port number from 1 to 65535, got 0');
    expect(() => build(service('a', 's', {}, [{ port: 80, targetPort: true }]))).toThrow('spec.ports[0].targetPort: expected a port number or a container port name, got true');
  });
});
