import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Peer, Port, Protocol } from '../../src/policy';
import { Selector } from '../../src/selector';
import { TeamPolicyKind } from '../../src/teams/team-options';
import { IngressDefault, kubernetesPort, TeamPolicy, withTcpDefault } from '../../src/teams/team-policy';
import { synthValidated } from '../policy/crd-schema';

function setup(kind: TeamPolicyKind, ingressDefault?: IngressDefault, pods?: Selector) {
  const chart = Testing.chart();
  const policy = new TeamPolicy(chart, 'policy', { owner: 'Team "t"', namespace: 'team', name: 'p', kind, ingressDefault, pods });
  const spec = () => synthValidated(chart).find((m) => m.metadata.name === 'p').spec;
  return { chart, policy, spec };
}

describe('TeamPolicy (Kubernetes)', () => {
  test('same-namespace isolation', () => {
    const { policy, spec } = setup(TeamPolicyKind.KUBERNETES, IngressDefault.SAME_NAMESPACE);
    expect(policy.kubernetesPolicy).toBeDefined();
    expect(policy.calicoPolicy).toBeUndefined();
    expect(spec()).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
  });

  test('open to anyone', () => {
    expect(setup(TeamPolicyKind.KUBERNETES, IngressDefault.ANYONE).spec()).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] });
  });

  test('rules with ports; egress keeps the own namespace reachable, once', () => {
    const { policy, spec } = setup(TeamPolicyKind.KUBERNETES, undefined, Selector.label('app').eq('api'));
    policy.allowIngress(Peer.namespaceLabels({ team: 'fe' }), [Port.tcp(443), Port.number(8443)], 'allowIngressFrom()');
    policy.allowEgress(Peer.namespaceLabels({ team: 'database' }), [Port.tcp(27017)], 'allowEgressTo()');
    policy.allowEgress(Peer.cidr('203.0.113.0/24'), [Port.udpRange(5000, 5010)], 'allowEgressTo()');
    expect(spec()).toEqual({
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { team: 'fe' } }, podSelector: {} }],
        ports: [{ port: 443, protocol: 'TCP' }, { port: 8443, protocol: 'TCP' }],
      }],
      egress: [
        { to: [{ podSelector: {} }] },
        { to: [{ namespaceSelector: { matchLabels: { team: 'database' } }, podSelector: {} }], ports: [{ port: 27017, protocol: 'TCP' }] },
        { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 5000, endPort: 5010, protocol: 'UDP' }] },
      ],
    });
  });

  test('refuses what the Kubernetes policies cannot express, before changing the policy', () => {
    const { policy, spec } = setup(TeamPolicyKind.KUBERNETES);
    expect(() => policy.allowEgress(Peer.serviceAccounts('api'), undefined, 'allowEgressTo()')).toThrow(
      /^Team "t": allowEgressTo\(\): service accounts api: Kubernetes NetworkPolicies cannot select pods by service account/,
    );
    expect(() => policy.allowEgress(Peer.anywhere(), [Port.namedTcp('http')], 'allowEgressTo()')).toThrow(
      'Team "t": allowEgressTo().ports[0]: named port "http" is not supported in the team\'s Kubernetes NetworkPolicies',
    );
    expect(spec().egress).toBeUndefined();
    expect(() => setup(TeamPolicyKind.KUBERNETES, undefined, Selector.parse('a == "1" || b == "1"'))).toThrow(
      /^Team "t": pods "\(a == "1" \|\| b == "1"\)": the selector .* cannot be written as a Kubernetes label selector/,
    );
  });
});

describe('TeamPolicy (Calico)', () => {
  test('same-namespace isolation and open ingress', () => {
    expect(setup(TeamPolicyKind.CALICO, IngressDefault.SAME_NAMESPACE).spec()).toEqual({
      types: ['Ingress'],
      ingress: [{ action: 'Allow', source: { selector: 'all()' } }],
    });
    expect(setup(TeamPolicyKind.CALICO, IngressDefault.ANYONE).spec()).toEqual({ types: ['Ingress'], ingress: [{ action: 'Allow' }] });
  });

  test('one rule per protocol and per IP family; egress keeps the own namespace reachable', () => {
    const { policy, spec } = setup(TeamPolicyKind.CALICO, undefined, Selector.label('app').eq('dns-proxy'));
    policy.allowIngress(Peer.serviceAccounts('client'), [Port.udp(53), Port.tcp(53), Port.number(853)], 'allowIngressFrom()');
    policy.allowEgress(Peer.cidr('192.0.2.0/24', '2001:db8::/32'), [Port.udp(53)], 'allowEgressTo()');
    policy.allowEgress(Peer.anywhere(), undefined, 'allowEgressTo()');
    expect(spec()).toEqual({
      selector: 'app == "dns-proxy"',
      types: ['Ingress', 'Egress'],
      ingress: [
        { action: 'Allow', protocol: 'UDP', source: { serviceAccounts: { names: ['client'] } }, destination: { ports: [53] } },
        { action: 'Allow', protocol: 'TCP', source: { serviceAccounts: { names: ['client'] } }, destination: { ports: [53, 853] } },
      ],
      egress: [
        { action: 'Allow', destination: { selector: 'all()' } },
        { action: 'Allow', protocol: 'UDP', destination: { nets: ['192.0.2.0/24'], ports: [53] } },
        { action: 'Allow', protocol: 'UDP', destination: { nets: ['2001:db8::/32'], ports: [53] } },
        { action: 'Allow' },
      ],
    });
  });

  test('named ports work in Calico policies', () => {
    const { policy, spec } = setup(TeamPolicyKind.CALICO);
    policy.allowIngress(Peer.anyNamespace(), [Port.namedTcp('http')], 'exposeService()');
    expect(spec().ingress).toEqual([{ action: 'Allow', protocol: 'TCP', source: { namespaceSelector: 'all()' }, destination: { ports: ['http'] } }]);
  });
});

describe('TeamPolicy input checks', () => {
  test.each([
    [undefined, 'not a peer' as any, /^Team "t": f: "not a peer" is not a Peer/],
    ['x' as any, Peer.anywhere(), 'Team "t": f.ports: must be a list of Port'],
    [[443 as any], Peer.anywhere(), /^Team "t": f.ports\[0\]: 443 is not a Port/],
  ])('refuses bad rules (%#)', (ports, peer, message) => {
    for (const kind of [TeamPolicyKind.KUBERNETES, TeamPolicyKind.CALICO]) {
      const { policy } = setup(kind);
      expect(() => policy.allowIngress(peer, ports as Port[] | undefined, 'f')).toThrow(message as any);
    }
  });
});

describe('port conversions', () => {
  test('withTcpDefault() gives TCP to ports without a protocol, as Kubernetes does', () => {
    const ports = withTcpDefault([Port.udp(53), Port.number(80), Port.range(1000, 2000), Port.named('http'), Port.sctp(9)]);
    expect(ports.map((p) => `${p.toString()}/${p.protocol?.name}`)).toEqual(['53/UDP', '80/TCP', '1000:2000/TCP', 'http/TCP', '9/SCTP']);
  });

  test('kubernetesPort() keeps protocol and ranges', () => {
    const chart = Testing.chart();
    const ports = [Port.sctp(9), Port.tcpRange(1, 2), Port.udp(53)].map((port) => kubernetesPort('o', 'f', port));
    new ApiObject(chart, 'p', { ...kplus.k8s.KubeNetworkPolicy.GVK, metadata: { name: 'p', namespace: 'team' }, spec: { podSelector: {}, ingress: [{ ports }] } });
    expect(Testing.synth(chart)[0].spec.ingress[0].ports).toEqual([
      { port: 9, protocol: 'SCTP' },
      { port: 1, endPort: 2, protocol: 'TCP' },
      { port: 53, protocol: Protocol.UDP.name },
    ]);
  });
});
