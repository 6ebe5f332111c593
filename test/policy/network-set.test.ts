import { Chart, Testing } from 'cdk8s';
import { synthValidated } from './crd-schema';
import { GlobalNetworkSet, NetworkSet, NetworkSetBase } from '../../src/policy/network-set';

describe('NetworkSet', () => {
  test('snapshot', () => {
    const chart = Testing.chart();
    const set = new NetworkSet(chart, 'partners', {
      metadata: { name: 'partners', namespace: 'prod', labels: { role: 'partner-apis' } },
      nets: ['192.0.2.0/24', '2001:db8::/32'],
    });
    set.addNets('198.51.100.7');
    expect(synthValidated(chart)).toMatchSnapshot();
  });

  test('renders nets in order, including those added later', () => {
    const chart = new Chart(Testing.app(), 'chart', { namespace: 'prod' });
    const set = new NetworkSet(chart, 'partners', { metadata: { name: 'partners' }, nets: ['192.0.2.0/24'] });
    set.addNets('198.51.100.0/24', '203.0.113.9');
    const [obj] = synthValidated(chart);
    expect(obj).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkSet',
      metadata: { name: 'partners', namespace: 'prod' },
      spec: { nets: ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.9'] },
    });
    expect(set.nets).toEqual(['192.0.2.0/24', '198.51.100.0/24', '203.0.113.9']);
    expect(set.name).toBe('partners');
    expect(set.namespace).toBe('prod');
  });

  test('the construct is the Calico object itself; instanceof follows the classes', () => {
    const chart = Testing.chart();
    const set = new NetworkSet(chart, 'partners', { metadata: { name: 'partners', namespace: 'prod' } });
    const global = new GlobalNetworkSet(chart, 'all', { metadata: { name: 'all' } });
    expect([set.apiObject, global.apiObject, set.kind, global.kind]).toEqual([set, global, 'NetworkSet', 'GlobalNetworkSet']);
    expect([set instanceof NetworkSet, set instanceof GlobalNetworkSet, global instanceof NetworkSetBase, global instanceof NetworkSet])
      .toEqual([true, false, true, false]);
  });

  test('an empty set renders an empty spec', () => {
    const chart = Testing.chart();
    new NetworkSet(chart, 'empty', { metadata: { name: 'empty', namespace: 'prod' } });
    expect(synthValidated(chart)[0].spec).toEqual({});
  });

  test('exposes labels and a generated name', () => {
    const chart = new Chart(Testing.app(), 'chart', { namespace: 'prod' });
    const set = new NetworkSet(chart, 'Partners', { metadata: { labels: { role: 'partner' } } });
    expect(set.labels).toEqual({ role: 'partner' });
    expect(set.name).toMatch(/^chart-partners-[0-9a-f]{8}$/);
  });

  test('needs a namespace', () => {
    const chart = Testing.chart();
    expect(() => new NetworkSet(chart, 's', {})).toThrow(
      'NetworkSet "test/s": metadata.namespace: this object is namespaced: set metadata.namespace, or give the chart a namespace',
    );
  });

  test('rejects invalid CIDRs, naming the index', () => {
    const chart = new Chart(Testing.app(), 'chart', { namespace: 'prod' });
    expect(() => new NetworkSet(chart, 's', { nets: ['192.0.2.0/24', '192.0.2.0/33'] })).toThrow(
      /NetworkSet "chart\/s": nets\[1\]: "192.0.2.0\/33" is not a valid CIDR: "\/33" is not a valid prefix length/,
    );
    const set = new NetworkSet(chart, 't', { nets: ['192.0.2.0/24'] });
    expect(() => set.addNets('10.0.0.0/8', 'nope')).toThrow(/NetworkSet "chart\/t": nets\[2\]: "nope" is not a valid CIDR/);
  });

  test('rejects duplicates (nets is a set)', () => {
    const chart = new Chart(Testing.app(), 'chart', { namespace: 'prod' });
    const set = new NetworkSet(chart, 's', { nets: ['192.0.2.0/24'] });
    expect(() => set.addNets('192.0.2.0/24')).toThrow(
      'NetworkSet "chart/s": nets[1]: "192.0.2.0/24" is already in the set; Calico treats nets as a set, remove the duplicate',
    );
    expect(() => set.addNets('2001:DB8::/32', '2001:db8::/32')).toThrow(/nets\[2\]: "2001:db8::\/32" is already in the set/);
  });

  test('rejects the reserved namespace label', () => {
    const chart = new Chart(Testing.app(), 'chart', { namespace: 'prod' });
    expect(() => new NetworkSet(chart, 's', { metadata: { labels: { 'projectcalico.org/namespace': 'x' } } })).toThrow(
      'NetworkSet "chart/s": metadata.labels: "projectcalico.org/namespace" is reserved by Calico for namespaces; use another label key',
    );
  });

  test('rejects allowedEgressDomains, which Calico v3.32 does not have', () => {
    const chart = new Chart(Testing.app(), 'chart', { namespace: 'prod' });
    expect(() => new NetworkSet(chart, 's', { allowedEgressDomains: ['api.example.com'] })).toThrow(
      'NetworkSet "chart/s": allowedEgressDomains: Calico v3.32 network sets have no allowedEgressDomains field (it is a Calico Enterprise feature) ' +
        'and the API server would drop it; list the destination addresses in nets instead',
    );
    expect(() => new NetworkSet(chart, 't', { allowedEgressDomains: [] })).not.toThrow();
  });

  test('rejects an invalid name', () => {
    const chart = new Chart(Testing.app(), 'chart', { namespace: 'prod' });
    expect(() => new NetworkSet(chart, 's', { metadata: { name: 'Partners' } })).toThrow(/NetworkSet "chart\/s": metadata.name: "Partners" is not a valid object name/);
  });
});

describe('GlobalNetworkSet', () => {
  test('snapshot', () => {
    const chart = Testing.chart();
    new GlobalNetworkSet(chart, 'blocklist', {
      metadata: { name: 'blocklist', labels: { 'threat-feed': 'true' } },
      nets: ['203.0.113.0/24', '2001:db8:bad::/48'],
    });
    expect(synthValidated(chart)).toMatchSnapshot();
  });

  test('is cluster-scoped', () => {
    const chart = new Chart(Testing.app(), 'chart', { namespace: 'prod' });
    const set = new GlobalNetworkSet(chart, 'egress-ips', { metadata: { name: 'egress-ips' } });
    set.addNets('198.51.100.0/24');
    const [obj] = synthValidated(chart);
    expect(obj).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkSet',
      metadata: { name: 'egress-ips' },
      spec: { nets: ['198.51.100.0/24'] },
    });
    expect(set.nets).toEqual(['198.51.100.0/24']);
    expect(set.name).toBe('egress-ips');
    expect(set.labels).toEqual({});
  });

  test('rejects a namespace', () => {
    const chart = Testing.chart();
    expect(() => new GlobalNetworkSet(chart, 's', { metadata: { namespace: 'prod' } })).toThrow(
      'GlobalNetworkSet "test/s": metadata.namespace: a GlobalNetworkSet is cluster-scoped and has no namespace; remove metadata.namespace',
    );
  });

  test('checks nets like NetworkSet', () => {
    const chart = Testing.chart();
    const set = new GlobalNetworkSet(chart, 's', { nets: ['10.0.0.1'] });
    expect(() => set.addNets('10.0.0.1/32')).toThrow(/GlobalNetworkSet "test\/s": nets\[1\]: "10.0.0.1\/32" is already in the set/);
    expect(() => new GlobalNetworkSet(chart, 't', { nets: 'x' as any })).toThrow(/GlobalNetworkSet "test\/t": nets: must be an array of CIDR strings/);
    expect(() => new GlobalNetworkSet(chart, 'u', { allowedEgressDomains: ['a.example'] })).toThrow(/GlobalNetworkSet "test\/u": allowedEgressDomains/);
  });
});
