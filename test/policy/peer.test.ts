import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { GlobalNetworkSet, IPeer, NetworkSet, Peer, PeerContext } from '../../src/policy';
import { Selector } from '../../src/selector';

const NAMESPACED: PeerContext = { policyNamespace: 'team' };
const GLOBAL: PeerContext = {};

/** The Kubernetes NetworkPolicy peers of `peer`, as a policy synthesizes them. */
function kubernetes(peer: IPeer): any[] {
  const chart = Testing.chart();
  new kplus.k8s.KubeNetworkPolicy(chart, 'p', { metadata: { name: 'p', namespace: 'team' }, spec: { podSelector: {}, ingress: [{ from: peer.toKubernetesPeers() }] } });
  return Testing.synth(chart)[0].spec.ingress.flatMap((rule: any) => rule.from);
}

/** The Calico rule sides of `peer`, with selectors as text. */
function calico(peer: IPeer, context: PeerContext = NAMESPACED): any[] {
  const plain = (entity: any) => JSON.parse(JSON.stringify(entity, (_k, v) => v instanceof Selector ? v.toString() : v));
  return peer.toCalicoEntityRules(context).map(plain);
}

describe('Peer', () => {
  test('namespaceLabels()', () => {
    const peer = Peer.namespaceLabels({ team: 'fe' });
    expect(peer.description).toBe('namespaces labelled {"team":"fe"}');
    expect(calico(peer)).toEqual([{ namespaceSelector: 'team == "fe"' }]);
    expect(calico(peer, GLOBAL)).toEqual([{ namespaceSelector: 'team == "fe"' }]);
    expect(kubernetes(peer)).toEqual([{ namespaceSelector: { matchLabels: { team: 'fe' } }, podSelector: {} }]);
  });

  test('namespaces() match the name labels that Calico and Kubernetes set, which a namespace cannot spoof', () => {
    const peer = Peer.namespaces('b', 'a', 'a');
    expect(peer.toString()).toBe('namespaces a, b');
    expect(calico(peer)).toEqual([{ namespaceSelector: 'projectcalico.org/name in {"a", "b"}' }]);
    expect(kubernetes(peer)).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } }, podSelector: {} },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } }, podSelector: {} },
    ]);
    expect(calico(Peer.namespaces('db'))).toEqual([{ namespaceSelector: 'projectcalico.org/name == "db"' }]);
  });

  test('namespaceSelector()', () => {
    const peer = Peer.namespaceSelector(Selector.label('team').in(['fe', 'be']));
    expect(peer.description).toBe('namespaces matching team in {"be", "fe"}');
    expect(calico(peer)).toEqual([{ namespaceSelector: 'team in {"be", "fe"}' }]);
    expect(kubernetes(peer)).toEqual([{
      namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['be', 'fe'] }] },
      podSelector: {},
    }]);
    expect(() => kubernetes(Peer.namespaceSelector(Selector.parse('a == "1" || b == "2"')))).toThrow(
      /^namespaces matching \(a == "1" \|\| b == "2"\): the selector .* cannot be written as a Kubernetes label selector/,
    );
  });

  test('pods() in the policy namespace or another one', () => {
    const own = Peer.pods(Selector.label('app').eq('web'));
    expect(own.description).toBe('pods matching app == "web" in the policy namespace');
    expect(calico(own)).toEqual([{ selector: 'app == "web"' }]);
    expect(kubernetes(own)).toEqual([{ podSelector: { matchLabels: { app: 'web' } } }]);
    const other = Peer.pods(Selector.has('tier'), 'fe');
    expect(calico(other)).toEqual([{ selector: 'has(tier)', namespaceSelector: 'projectcalico.org/name == "fe"' }]);
    expect(calico(other, GLOBAL)).toEqual(calico(other));
    expect(kubernetes(other)).toEqual([{
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'fe' } },
    }]);
  });

  test('pods() without a namespace mean nothing in a cluster-wide policy', () => {
    expect(() => calico(Peer.pods(Selector.label('app').eq('web')), GLOBAL)).toThrow(
      /^pods matching app == "web" in the policy namespace: a cluster-wide policy has no namespace of its own; name the pods' namespace/,
    );
  });

  test('service-account peers are Calico only', () => {
    expect(calico(Peer.serviceAccounts('api-service', 'user-auth-service'))).toEqual([{ serviceAccounts: { names: ['api-service', 'user-auth-service'] } }]);
    expect(calico(Peer.serviceAccountSelector(Selector.label('role').eq('intern')))).toEqual([{ serviceAccounts: { selector: 'role == "intern"' } }]);
    expect(calico(Peer.serviceAccountSelector(Selector.label('role').eq('intern')), GLOBAL)).toEqual([{ serviceAccounts: { selector: 'role == "intern"' } }]);
    expect(() => kubernetes(Peer.serviceAccounts('api'))).toThrow(
      'service accounts api: Kubernetes NetworkPolicies cannot select pods by service account; use Calico policies (policyKind: TeamPolicyKind.CALICO)',
    );
    expect(() => kubernetes(Peer.serviceAccountSelector(Selector.all()))).toThrow('service accounts matching all(): Kubernetes NetworkPolicies cannot select');
  });

  test('service account names are refused in a cluster-wide policy, where any namespace could have such accounts', () => {
    expect(() => calico(Peer.serviceAccounts('api'), GLOBAL)).toThrow(
      /^service accounts api: in a cluster-wide policy these names would match service accounts of every namespace/,
    );
  });

  test('cidr() splits IP families (one Calico rule cannot mix them)', () => {
    const peer = Peer.cidr('203.0.113.0/24', '2001:db8::/32', '198.51.100.0/24');
    expect(calico(peer)).toEqual([{ nets: ['203.0.113.0/24', '198.51.100.0/24'] }, { nets: ['2001:db8::/32'] }]);
    expect(calico(Peer.cidr('2001:db8::/32'))).toEqual([{ nets: ['2001:db8::/32'] }]);
    expect(kubernetes(peer)).toEqual([
      { ipBlock: { cidr: '203.0.113.0/24' } },
      { ipBlock: { cidr: '198.51.100.0/24' } },
      { ipBlock: { cidr: '2001:db8::/32' } },
    ]);
  });

  test('networkSet(): a namespaced set by its labels in its namespace, never pods with the same labels', () => {
    const chart = Testing.chart();
    const set = new NetworkSet(chart, 'partners', { metadata: { name: 'partners', namespace: 'shop', labels: { role: 'partners' } }, nets: ['192.0.2.0/24'] });
    const peer = Peer.networkSet(set);
    expect(peer.description).toBe('network set shop/partners');
    expect(calico(peer)).toEqual([{
      selector: '(role == "partners" && !has(projectcalico.org/orchestrator))',
      namespaceSelector: 'projectcalico.org/name == "shop"',
    }]);
    expect(() => kubernetes(peer)).toThrow('network set shop/partners: Kubernetes NetworkPolicies cannot select Calico network sets');
  });

  test('networkSet(): a global set with global()', () => {
    const chart = Testing.chart();
    const set = new GlobalNetworkSet(chart, 'blocked', { metadata: { name: 'blocked', labels: { list: 'blocked' } } });
    expect(Peer.networkSet(set).description).toBe('global network set blocked');
    expect(calico(Peer.networkSet(set), GLOBAL)).toEqual([{ selector: 'list == "blocked"', namespaceSelector: 'global()' }]);
  });

  test('service(): the endpoints of a Service, Calico only', () => {
    expect(calico(Peer.service('frontend'))).toEqual([{ services: { name: 'frontend' } }]);
    expect(calico(Peer.service('kube-dns', 'kube-system'))).toEqual([{ services: { name: 'kube-dns', namespace: 'kube-system' } }]);
    expect(Peer.service('kube-dns', 'kube-system').description).toBe('service kube-system/kube-dns');
    expect(() => kubernetes(Peer.service('frontend'))).toThrow('service frontend: Kubernetes NetworkPolicies cannot select a Service');
  });

  test('anyNamespace() is every pod, not outside addresses', () => {
    expect(calico(Peer.anyNamespace())).toEqual([{ namespaceSelector: 'all()' }]);
    expect(kubernetes(Peer.anyNamespace())).toEqual([{ namespaceSelector: {}, podSelector: {} }]);
  });

  test('anywhere() is no restriction in Calico, every pod and address in Kubernetes', () => {
    expect(calico(Peer.anywhere())).toEqual([{}]);
    expect(kubernetes(Peer.anywhere())).toEqual([
      { namespaceSelector: {}, podSelector: {} },
      { ipBlock: { cidr: '0.0.0.0/0' } },
      { ipBlock: { cidr: '::/0' } },
    ]);
  });

  test('selectors Kubernetes cannot express are refused for Kubernetes policies only', () => {
    const peer = Peer.pods(Selector.parse('a == "1" || b == "2"'));
    expect(calico(peer)).toEqual([{ selector: '(a == "1" || b == "2")' }]);
    expect(() => kubernetes(peer)).toThrow(/^pods matching \(a == "1" \|\| b == "2"\) in the policy namespace: the selector "\(a == "1" \|\| b == "2"\)" cannot be written as a Kubernetes label selector/);
  });

  test.each([
    [() => Peer.namespaceLabels({}), 'Peer.namespaceLabels(): labels: give at least one namespace label'],
    [() => Peer.namespaceLabels({ 'bad key!': 'x' }), /^Peer.namespaceLabels\(\): labels: /],
    [() => Peer.namespaces(), 'Peer.namespaces(): names: give at least one namespace name'],
    [() => Peer.namespaces('Kube_System'), /^Peer.namespaces\(\): names\[0\]: "Kube_System" is not a valid namespace/],
    [() => Peer.namespaceSelector('team == "fe"' as any), /^Peer.namespaceSelector\(\): selector: "team == \\"fe\\"" is not a Selector/],
    [() => Peer.pods('app == "web"' as any), /^Peer.pods\(\): selector: "app == \\"web\\"" is not a Selector/],
    [() => Peer.pods(Selector.all(), 'NS'), /^Peer.pods\(\): namespace: "NS" is not a valid namespace/],
    [() => Peer.serviceAccounts(), 'Peer.serviceAccounts(): names: give at least one service account name'],
    [() => Peer.serviceAccounts('API'), /^Peer.serviceAccounts\(\): names\[0\]: "API" is not a valid service account name/],
    [() => Peer.serviceAccountSelector(undefined as any), /^Peer.serviceAccountSelector\(\): selector: undefined is not a Selector/],
    [() => Peer.cidr(), 'Peer.cidr(): cidrs: give at least one network'],
    [() => Peer.cidr('10.0.0.1/8'), /^Peer.cidr\(\): cidrs\[0\]: "10.0.0.1\/8" is not correctly masked/],
    [() => Peer.cidr('example.com'), /^Peer.cidr\(\): cidrs\[0\]: "example.com" is not a valid CIDR/],
    [() => Peer.networkSet({} as any), /^Peer.networkSet\(\): set: \{\} is not a NetworkSet or GlobalNetworkSet construct/],
    [() => Peer.networkSet(new NetworkSet(Testing.chart(), 's', { metadata: { namespace: 'a' } })), /^Peer.networkSet\(\): set: test\/s has no labels/],
    [() => Peer.service('Web'), /^Peer.service\(\): name: "Web" is not a valid service name/],
    [() => Peer.service('web', 'a.b'), /^Peer.service\(\): namespace: "a.b" is not a valid namespace/],
  ])('refuses bad input (%#)', (make, message) => {
    expect(make).toThrow(message as any);
  });
});
