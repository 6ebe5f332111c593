import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Selector } from '../../src/selector';
import { Peer } from '../../src/teams/peer';

/** The Kubernetes NetworkPolicy peers of `peer`, as rendered by cdk8s-plus. */
function kubernetes(peer: Peer): any[] {
  const chart = Testing.chart();
  const policy = new kplus.NetworkPolicy(chart, 'p', { metadata: { name: 'p', namespace: 'team' } });
  for (const p of peer._toKubernetes(chart, 'Peer', 'o', 'f')) {
    policy.addIngressRule(p);
  }
  return Testing.synth(chart)[0].spec.ingress.flatMap((rule: any) => rule.from);
}

function calico(peer: Peer): any[] {
  const plain = (entity: any) => JSON.parse(JSON.stringify(entity, (_k, v) => v instanceof Selector ? v.toString() : v));
  return peer._toCalico().map((entity) => entity === undefined ? undefined : plain(entity));
}

describe('Peer', () => {
  test('namespaceLabels()', () => {
    const peer = Peer.namespaceLabels({ team: 'fe' });
    expect(peer.description).toBe('namespaces labelled {"team":"fe"}');
    expect(calico(peer)).toEqual([{ namespaceSelector: 'team == "fe"' }]);
    expect(kubernetes(peer)).toEqual([{ namespaceSelector: { matchLabels: { team: 'fe' } }, podSelector: {} }]);
  });

  test('namespaces()', () => {
    const peer = Peer.namespaces('b', 'a', 'a');
    expect(peer.toString()).toBe('namespaces a, b');
    expect(calico(peer)).toEqual([{ namespaceSelector: 'projectcalico.org/name in {"a", "b"}' }]);
    expect(kubernetes(peer)).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } }, podSelector: {} },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } }, podSelector: {} },
    ]);
    expect(calico(Peer.namespaces('db'))).toEqual([{ namespaceSelector: 'projectcalico.org/name == "db"' }]);
  });

  test('pods() in the team namespace or another one', () => {
    const own = Peer.pods(Selector.label('app').eq('web'));
    expect(own.description).toBe('pods matching app == "web" in the team namespace');
    expect(calico(own)).toEqual([{ selector: 'app == "web"' }]);
    expect(kubernetes(own)).toEqual([{ podSelector: { matchLabels: { app: 'web' } } }]);
    const other = Peer.pods(Selector.has('tier'), 'fe');
    expect(calico(other)).toEqual([{ selector: 'has(tier)', namespaceSelector: 'projectcalico.org/name == "fe"' }]);
    expect(kubernetes(other)).toEqual([{
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'fe' } },
    }]);
  });

  test('service-account peers are Calico only', () => {
    expect(calico(Peer.serviceAccounts('api-service', 'user-auth-service'))).toEqual([{ serviceAccounts: { names: ['api-service', 'user-auth-service'] } }]);
    expect(calico(Peer.serviceAccountSelector(Selector.label('role').eq('intern')))).toEqual([{ serviceAccounts: { selector: 'role == "intern"' } }]);
    expect(() => kubernetes(Peer.serviceAccounts('api'))).toThrow(
      'o: f: service accounts api: Kubernetes NetworkPolicies cannot select pods by service account; use Calico policies (policyKind: TeamPolicyKind.CALICO)',
    );
    expect(() => kubernetes(Peer.serviceAccountSelector(Selector.all()))).toThrow('o: f: service accounts matching all(): Kubernetes NetworkPolicies cannot select');
  });

  test('cidr() splits IP families (one Calico rule cannot mix them)', () => {
    const peer = Peer.cidr('203.0.113.0/24', '2001:db8::/32', '198.51.100.0/24');
    expect(calico(peer)).toEqual([{ nets: ['203.0.113.0/24', '198.51.100.0/24'] }, { nets: ['2001:db8::/32'] }]);
    expect(kubernetes(peer)).toEqual([
      { ipBlock: { cidr: '203.0.113.0/24' } },
      { ipBlock: { cidr: '198.51.100.0/24' } },
      { ipBlock: { cidr: '2001:db8::/32' } },
    ]);
  });

  test('anyNamespace() is every pod, not outside addresses', () => {
    expect(calico(Peer.anyNamespace())).toEqual([{ namespaceSelector: 'all()' }]);
    expect(kubernetes(Peer.anyNamespace())).toEqual([{ namespaceSelector: {}, podSelector: {} }]);
  });

  test('anywhere() is no restriction in Calico, every pod and address in Kubernetes', () => {
    expect(calico(Peer.anywhere())).toEqual([undefined]);
    expect(kubernetes(Peer.anywhere())).toEqual([
      { namespaceSelector: {}, podSelector: {} },
      { ipBlock: { cidr: '0.0.0.0/0' } },
      { ipBlock: { cidr: '::/0' } },
    ]);
  });

  test('selectors Kubernetes cannot express are refused for Kubernetes policies only', () => {
    const peer = Peer.pods(Selector.parse('a == "1" || b == "2"'));
    expect(calico(peer)).toEqual([{ selector: '(a == "1" || b == "2")' }]);
    expect(() => kubernetes(peer)).toThrow(/^o: f: the selector "\(a == "1" \|\| b == "2"\)" cannot be written as a Kubernetes label selector/);
  });

  test.each([
    [() => Peer.namespaceLabels({}), 'Peer.namespaceLabels(): labels: give at least one namespace label'],
    [() => Peer.namespaceLabels({ 'bad key!': 'x' }), /^Peer.namespaceLabels\(\): labels: /],
    [() => Peer.namespaces(), 'Peer.namespaces(): names: give at least one namespace name'],
    [() => Peer.namespaces('Kube_System'), /^Peer.namespaces\(\): names\[0\]: "Kube_System" is not a valid namespace/],
    [() => Peer.pods('app == "web"' as any), /^Peer.pods\(\): selector: "app == \\"web\\"" is not a Selector/],
    [() => Peer.pods(Selector.all(), 'NS'), /^Peer.pods\(\): namespace: "NS" is not a valid namespace/],
    [() => Peer.serviceAccounts(), 'Peer.serviceAccounts(): names: give at least one service account name'],
    [() => Peer.serviceAccounts('API'), /^Peer.serviceAccounts\(\): names\[0\]: "API" is not a valid service account name/],
    [() => Peer.serviceAccountSelector(undefined as any), /^Peer.serviceAccountSelector\(\): selector: .* is not a Selector/],
    [() => Peer.cidr(), 'Peer.cidr(): cidrs: give at least one network'],
    [() => Peer.cidr('10.0.0.1/8'), /^Peer.cidr\(\): cidrs\[0\]: "10.0.0.1\/8" is not correctly masked/],
    [() => Peer.cidr('example.com'), /^Peer.cidr\(\): cidrs\[0\]: "example.com" is not a valid CIDR/],
  ])('refuses bad input (%#)', (make, message) => {
    expect(make).toThrow(message as any);
  });
});
