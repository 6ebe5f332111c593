import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { synthValidated } from './crd-schema';
import {
  GlobalNetworkPolicy,
  GlobalNetworkSet,
  NetworkPolicy,
  NetworkSet,
  NetworkSetBase,
  Peer,
  PolicyBase,
  PolicyType,
  Port,
  RuleAction,
  Tier,
} from '../../src/policy';
import { Selector } from '../../src/selector';
import { networkModelOf } from '../../src/testing';

function chartIn(namespace?: string): Chart {
  return new Chart(Testing.app(), 'chart', { namespace });
}

type Labels = { [key: string]: string };

function deployment(chart: Chart, namespace: string, name: string, labels: Labels = { app: name }, namespaceLabels?: Labels): void {
  if (namespaceLabels !== undefined) {
    new kplus.Namespace(chart, `ns-${namespace}`, { metadata: { name: namespace, labels: namespaceLabels } });
  }
  new kplus.Deployment(chart, `${namespace}-${name}`, {
    metadata: { name, namespace },
    podMetadata: { labels },
    select: false,
    containers: [{ image: 'registry.example/app:1', portNumber: 8080 }],
  }).select(kplus.LabelSelector.of({ labels }));
}

describe('PolicyBase', () => {
  test('both policy kinds share one base: name, tier, staged, rules, apiObject', () => {
    const chart = chartIn('shop');
    const tier = new Tier(chart, 'tier', { name: 'platform', order: 10 });
    const np = new NetworkPolicy(chart, 'np', { metadata: { name: 'a' }, tier, staged: true });
    const gnp = new GlobalNetworkPolicy(chart, 'gnp', { metadata: { name: 'b' }, tier: Tier.fromName('ops') });
    for (const policy of [np, gnp]) {
      expect(policy).toBeInstanceOf(PolicyBase);
    }
    expect([np.name, np.tierName, np.tier, np.staged, np.apiObject.kind]).toEqual(['platform.a', 'platform', tier, true, 'StagedNetworkPolicy']);
    expect([gnp.name, gnp.tierName, gnp.staged, gnp.apiObject.kind]).toEqual(['ops.b', 'ops', false, 'GlobalNetworkPolicy']);
    expect(np.namespace).toBe('shop');
  });

  test('a policy is the Calico object itself; instanceof follows the classes, not cdk8s\'s "any ApiObject"', () => {
    const chart = chartIn('shop');
    const np = new NetworkPolicy(chart, 'np', { metadata: { name: 'a' } });
    const tier = new Tier(chart, 'tier', { name: 'platform' });
    const other = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap' });
    expect([np.apiObject, tier.apiObject, ApiObject.of(np), ApiObject.of(tier)]).toEqual([np, tier, np, tier]);
    expect(np.node.children).toEqual([]);
    expect([np instanceof ApiObject, np instanceof PolicyBase, np instanceof NetworkPolicy, np instanceof GlobalNetworkPolicy])
      .toEqual([true, true, true, false]);
    expect([other instanceof PolicyBase, other instanceof NetworkPolicy, other instanceof Tier, tier instanceof Tier, tier instanceof PolicyBase])
      .toEqual([false, false, false, true, false]);
  });

  test('props that fail their checks leave nothing in the tree; the id stays free', () => {
    const chart = chartIn('shop');
    expect(() => new NetworkPolicy(chart, 'p', { types: [] })).toThrow(/NetworkPolicy "chart\/p": types:/);
    expect(() => new GlobalNetworkPolicy(chart, 'g', { doNotTrack: true })).toThrow(/GlobalNetworkPolicy "chart\/g": applyOnForward:/);
    expect(() => new Tier(chart, 't', { name: 'a.b' })).toThrow(/Tier "chart\/t": name:/);
    expect(chart.node.children).toEqual([]);
    expect(new NetworkPolicy(chart, 'p').node.path).toBe('chart/p');
  });

  test('an id with a slash: the name cdk8s generates for it, errors naming the path as the tree keeps it', () => {
    const chart = chartIn('shop');
    const policy = new NetworkPolicy(chart, 'allow/web');
    const tier = new Tier(chart, 'tier/x');
    const set = new NetworkSet(chart, 'set/x');
    expect([policy.node.path, tier.node.path, set.node.path]).toEqual(['chart/allow--web', 'chart/tier--x', 'chart/set--x']);
    const same = (id: string) => new ApiObject(new Chart(Testing.app(), 'chart'), id, { apiVersion: 'v1', kind: 'ConfigMap' }).name;
    expect([policy.name, tier.name, set.name]).toEqual([same('allow/web'), same('tier/x'), same('set/x')]);
    expect(() => new NetworkPolicy(chart, 'bad/id', { types: [] })).toThrow(/NetworkPolicy "chart\/bad--id": types:/);
    expect(chart.node.tryFindChild('bad--id')).toBeUndefined();
  });

  test('rules added after construction are rendered (lazily)', () => {
    const chart = chartIn('shop');
    const policy = new NetworkPolicy(chart, 'p', { metadata: { name: 'p' } });
    policy.addEgressRule({ action: RuleAction.DENY });
    policy.allowFrom(Peer.anyNamespace());
    expect(synthValidated(chart)[0].spec).toEqual({
      types: ['Ingress', 'Egress'],
      ingress: [{ action: 'Allow', source: { namespaceSelector: 'all()' } }],
      egress: [{ action: 'Deny' }],
    });
  });
});

describe('allowFrom() and allowTo()', () => {
  test('allowFrom(): ingress Allow rules from the peer to the ports, one per protocol', () => {
    const chart = chartIn('be');
    const policy = new NetworkPolicy(chart, 'api', { metadata: { name: 'api' }, selector: Selector.label('app').eq('api') });
    policy.allowFrom(Peer.namespaces('fe'), Port.tcp(443), Port.udp(443));
    policy.allowFrom(Peer.pods(Selector.label('app').eq('worker')), Port.named('metrics'));
    expect(synthValidated(chart)[0].spec).toEqual({
      selector: 'app == "api"',
      types: ['Ingress'],
      ingress: [
        { action: 'Allow', protocol: 'TCP', source: { namespaceSelector: 'projectcalico.org/name == "fe"' }, destination: { ports: [443] } },
        { action: 'Allow', protocol: 'UDP', source: { namespaceSelector: 'projectcalico.org/name == "fe"' }, destination: { ports: [443] } },
        // Named ports need no protocol: Calico resolves them on the endpoint.
        { action: 'Allow', source: { selector: 'app == "worker"' }, destination: { ports: ['metrics'] } },
      ],
    });
  });

  test('allowTo(): egress Allow rules towards the peer, one per IP version', () => {
    const chart = chartIn('be');
    const policy = new NetworkPolicy(chart, 'api', { metadata: { name: 'api' } });
    policy.allowTo(Peer.cidr('203.0.113.0/24', '2001:db8::/32'), Port.tcp(443));
    policy.allowTo(Peer.service('kube-dns', 'kube-system'));
    policy.allowTo(Peer.anywhere(), Port.udp(123));
    expect(synthValidated(chart)[0].spec).toEqual({
      types: ['Egress'],
      egress: [
        { action: 'Allow', protocol: 'TCP', destination: { nets: ['203.0.113.0/24'], ports: [443] } },
        { action: 'Allow', protocol: 'TCP', destination: { nets: ['2001:db8::/32'], ports: [443] } },
        { action: 'Allow', destination: { services: { name: 'kube-dns', namespace: 'kube-system' } } },
        { action: 'Allow', protocol: 'UDP', destination: { ports: [123] } },
      ],
    });
  });

  test('GlobalNetworkPolicy: peers that need a namespace are refused, naming the policy and the call', () => {
    const chart = chartIn();
    const policy = new GlobalNetworkPolicy(chart, 'g', { metadata: { name: 'g' } });
    expect(() => policy.allowFrom(Peer.pods(Selector.label('app').eq('web')))).toThrow(
      /^GlobalNetworkPolicy "chart\/g": allowFrom\(\): pods matching app == "web" in the policy namespace: a cluster-wide policy has no namespace of its own/,
    );
    expect(() => policy.allowTo(Peer.serviceAccounts('api'))).toThrow(/^GlobalNetworkPolicy "chart\/g": allowTo\(\): service accounts api: in a cluster-wide policy/);
    expect(() => policy.allowTo(Peer.service('web'))).toThrow(
      'GlobalNetworkPolicy "chart/g": egress[0].destination.services.namespace: a global policy must name the namespace of the Service; set services.namespace',
    );
    policy.allowFrom(Peer.pods(Selector.label('app').eq('web'), 'fe'), Port.tcp(80));
    expect(synthValidated(chart)[0].spec.ingress).toEqual([
      { action: 'Allow', protocol: 'TCP', source: { selector: 'app == "web"', namespaceSelector: 'projectcalico.org/name == "fe"' }, destination: { ports: [80] } },
    ]);
  });

  test('Calico\'s rule checks apply to the rules a peer makes', () => {
    const chart = chartIn('be');
    const policy = new NetworkPolicy(chart, 'p', { metadata: { name: 'p' } });
    expect(() => policy.allowTo(Peer.service('db'), Port.tcp(5432))).toThrow(
      'NetworkPolicy "chart/p": egress[0].destination.ports: ports and notPorts cannot be specified with services: the service defines the ports',
    );
    expect(() => policy.allowFrom(Peer.service('db'), Port.number(5432))).toThrow(
      'NetworkPolicy "chart/p": ingress[0].destination.ports: rules with a numeric port or port range must set protocol to TCP, UDP or SCTP',
    );
    expect(() => policy.allowFrom('fe' as any)).toThrow(/^NetworkPolicy "chart\/p": allowFrom\(\): "fe" is not a Peer/);
    expect(() => policy.allowFrom(Peer.anywhere(), 443 as any)).toThrow(/^NetworkPolicy "chart\/p": allowFrom\(\).ports\[0\]: 443 is not a Port/);
    expect(synthValidated(chart)[0].spec).toEqual({ types: ['Ingress'] });
  });

  test('explicit types still guard allowFrom()/allowTo()', () => {
    const policy = new NetworkPolicy(chartIn('be'), 'p', { types: [PolicyType.INGRESS] });
    expect(() => policy.allowTo(Peer.anywhere())).toThrow(/^NetworkPolicy "chart\/p": egress\[0\]: the policy's types are \[Ingress\]/);
  });

  test('the network model proves who gets in, and that a namespace cannot spoof the name label', () => {
    const chart = chartIn();
    deployment(chart, 'be', 'api');
    deployment(chart, 'fe', 'web');
    // A namespace that labels itself as "fe" to slip through.
    deployment(chart, 'evil', 'web', { app: 'web' }, { 'projectcalico.org/name': 'fe', 'kubernetes.io/metadata.name': 'fe' });
    const policy = new NetworkPolicy(chart, 'api-policy', { metadata: { name: 'api', namespace: 'be' }, selector: Selector.label('app').eq('api') });
    policy.allowFrom(Peer.namespaces('fe'), Port.tcp(8080));
    const model = networkModelOf(chart);
    expect(model).toAllow({ from: 'fe/web', to: 'be/api', port: 8080 });
    expect(model).toDeny({ from: 'fe/web', to: 'be/api', port: 8081 });
    expect(model).toDeny({ from: 'evil/web', to: 'be/api', port: 8080 });
  });

  test('the network model proves that a network set peer matches its addresses and not pods with its labels', () => {
    const chart = chartIn();
    deployment(chart, 'be', 'api');
    deployment(chart, 'be', 'lookalike', { role: 'partners' });
    new NetworkSet(chart, 'partners', { metadata: { name: 'partners', namespace: 'be', labels: { role: 'partners' } }, nets: ['198.51.100.0/24'] });
    const policy = new NetworkPolicy(chart, 'api-policy', { metadata: { name: 'api', namespace: 'be' }, selector: Selector.label('app').eq('api') });
    const set = chart.node.findChild('partners') as NetworkSet;
    policy.allowTo(Peer.networkSet(set), Port.tcp(443));
    const model = networkModelOf(chart);
    expect(model).toAllow({ from: 'be/api', to: 'ip:198.51.100.7', port: 443 });
    expect(model).toDeny({ from: 'be/api', to: 'ip:203.0.113.7', port: 443 });
    expect(model).toDeny({ from: 'be/api', to: 'be/lookalike', port: 443 });
  });
});

describe('NetworkSetBase', () => {
  test('both set kinds share one base', () => {
    const chart = chartIn('shop');
    const set = new NetworkSet(chart, 'a', { metadata: { name: 'a' }, nets: ['192.0.2.0/24'] });
    const global = new GlobalNetworkSet(chart, 'b', { metadata: { name: 'b' } });
    global.addNets('2001:db8::/32');
    expect(set).toBeInstanceOf(NetworkSetBase);
    expect(global).toBeInstanceOf(NetworkSetBase);
    expect([set.namespace, set.nets, global.nets]).toEqual(['shop', ['192.0.2.0/24'], ['2001:db8::/32']]);
  });
});
