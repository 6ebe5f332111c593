import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { synthValidated } from './crd-schema';
import { StagedKubernetesNetworkPolicy } from '../../src/policy/staged-kubernetes-network-policy';

/** The example of Calico's StagedKubernetesNetworkPolicy reference page, as a k8s spec. */
const docsSpec = (): k8s.NetworkPolicySpec => ({
  podSelector: { matchLabels: { role: 'db' } },
  policyTypes: ['Ingress', 'Egress'],
  ingress: [
    {
      from: [
        { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } },
        { namespaceSelector: { matchLabels: { project: 'myproject' } } },
        { podSelector: { matchLabels: { role: 'frontend' } } },
      ],
      ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(6379) }],
    },
  ],
  egress: [
    {
      to: [{ ipBlock: { cidr: '10.0.0.0/24' } }],
      ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(5978) }],
    },
  ],
});

function stage(spec: k8s.NetworkPolicySpec, namespace = 'default'): any {
  const chart = Testing.chart();
  new StagedKubernetesNetworkPolicy(chart, 'p', { metadata: { name: 'test-network-policy', namespace }, spec });
  return synthValidated(chart)[0];
}

describe('StagedKubernetesNetworkPolicy', () => {
  test('snapshot', () => {
    expect(stage(docsSpec())).toMatchSnapshot();
  });

  test('renders the Kubernetes spec unchanged, with stagedAction Set', () => {
    expect(stage(docsSpec())).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'StagedKubernetesNetworkPolicy',
      metadata: { name: 'test-network-policy', namespace: 'default' },
      spec: {
        stagedAction: 'Set',
        podSelector: { matchLabels: { role: 'db' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [
              { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } },
              { namespaceSelector: { matchLabels: { project: 'myproject' } } },
              { podSelector: { matchLabels: { role: 'frontend' } } },
            ],
            ports: [{ protocol: 'TCP', port: 6379 }],
          },
        ],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5978 }] }],
      },
    });
  });

  test('policyTypes default as in Kubernetes and are always written', () => {
    expect(stage({ podSelector: {} }).spec.policyTypes).toEqual(['Ingress']);
    expect(stage({ podSelector: {}, egress: [{}] }).spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(stage({ podSelector: {}, ingress: [{}] }).spec.policyTypes).toEqual(['Ingress']);
  });

  test('an empty pod selector selects all pods and is kept', () => {
    expect(stage({ podSelector: {} }).spec.podSelector).toEqual({});
  });

  test('named ports, port ranges and match expressions', () => {
    const spec = stage({
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'web'] }, { key: 'legacy', operator: 'DoesNotExist' }] },
      ingress: [{ ports: [{ port: k8s.IntOrString.fromString('http') }, { protocol: 'UDP', port: k8s.IntOrString.fromNumber(30000), endPort: 32767 }] }],
    }).spec;
    expect(spec.podSelector.matchExpressions).toEqual([
      { key: 'tier', operator: 'In', values: ['api', 'web'] },
      { key: 'legacy', operator: 'DoesNotExist' },
    ]);
    expect(spec.ingress[0].ports).toEqual([{ port: 'http' }, { protocol: 'UDP', port: 30000, endPort: 32767 }]);
  });

  test('namespace from the chart; generated name', () => {
    const chart = new Chart(Testing.app(), 'chart', { namespace: 'shop' });
    const policy = new StagedKubernetesNetworkPolicy(chart, 'DenyAll', { spec: { podSelector: {} } });
    expect(policy.namespace).toBe('shop');
    expect(policy.name).toMatch(/^chart-denyall-[0-9a-f]{8}$/);
    expect(synthValidated(chart)[0].metadata).toEqual({ name: policy.name, namespace: 'shop' });
    expect(policy.apiObject.kind).toBe('StagedKubernetesNetworkPolicy');
    // The construct is the object itself.
    expect(policy.apiObject).toBe(policy);
    expect(policy.node.children).toEqual([]);
  });

  describe('validation', () => {
    const make = (spec: any, metadata: any = { namespace: 'default' }) => () =>
      new StagedKubernetesNetworkPolicy(Testing.chart(), 'p', { metadata, spec });

    test('needs a spec and a namespace', () => {
      expect(make(undefined)).toThrow(/StagedKubernetesNetworkPolicy "test\/p": spec: give the Kubernetes NetworkPolicy spec/);
      expect(make({ podSelector: {} }, {})).toThrow(/metadata.namespace: this object is namespaced/);
      expect(make({ podSelector: {} }, { namespace: 'default', name: 'Bad' })).toThrow(/metadata.name: "Bad" is not a valid object name/);
    });

    test('policy types', () => {
      expect(make({ podSelector: {}, policyTypes: ['ingress'] })).toThrow(
        'StagedKubernetesNetworkPolicy "test/p": spec.policyTypes[0]: "ingress" is not a policy type; use \'Ingress\' or \'Egress\' (case-sensitive)',
      );
      expect(make({ podSelector: {}, policyTypes: ['Ingress', 'Ingress'] })).toThrow(/spec.policyTypes\[1\]: 'Ingress' is listed twice/);
      expect(make({ podSelector: {}, policyTypes: [] })).toThrow(/spec.policyTypes: list 'Ingress' and\/or 'Egress'/);
      expect(make({ podSelector: {}, policyTypes: ['Ingress'], egress: [{}] })).toThrow(
        /spec.egress: policyTypes does not include 'Egress', so these egress rules would be ignored/,
      );
      expect(make({ podSelector: {}, policyTypes: ['Egress'], ingress: [{}] })).toThrow(
        /spec.ingress: policyTypes does not include 'Ingress', so these ingress rules would be ignored/,
      );
    });

    test('ports', () => {
      const port = (p: any) => ({ podSelector: {}, ingress: [{ ports: [p] }] });
      expect(make(port({ protocol: 'tcp', port: k8s.IntOrString.fromNumber(80) }))).toThrow(
        'StagedKubernetesNetworkPolicy "test/p": spec.ingress[0].ports[0].protocol: "tcp" is not a Kubernetes protocol; use TCP, UDP or SCTP',
      );
      expect(make(port({ port: k8s.IntOrString.fromNumber(0) }))).toThrow(/spec.ingress\[0\].ports\[0\].port: 0 is not a valid port number; use an integer from 1 to 65535/);
      expect(make(port({ port: k8s.IntOrString.fromString('HTTP') }))).toThrow(/ports\[0\].port: port name "HTTP" may only contain/);
      expect(make(port({ port: k8s.IntOrString.fromString('http'), endPort: 90 }))).toThrow(/endPort: endPort needs a numeric port/);
      expect(make(port({ port: k8s.IntOrString.fromNumber(100), endPort: 90 }))).toThrow(/endPort: endPort 90 must be a whole number from port \(100\) to 65535/);
    });

    test('peers', () => {
      const peer = (p: any) => ({ podSelector: {}, egress: [{ to: [p] }] });
      expect(make(peer({}))).toThrow('StagedKubernetesNetworkPolicy "test/p": spec.egress[0].to[0]: a peer needs podSelector, namespaceSelector or ipBlock');
      expect(make(peer({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }))).toThrow(/to\[0\]: ipBlock cannot be combined with podSelector or namespaceSelector/);
      expect(make(peer({ ipBlock: { cidr: '10.0.0.0/33' } }))).toThrow(/to\[0\].ipBlock.cidr: "10.0.0.0\/33" is not a valid CIDR/);
      expect(make(peer({ ipBlock: { cidr: '10.0.0.1' } }))).toThrow(/ipBlock.cidr: "10.0.0.1" has no prefix length; write "10.0.0.1\/32"/);
      expect(make(peer({ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] } }))).toThrow(
        /ipBlock.except\[0\]: "11.0.0.0\/16" must be a strict subset of the ipBlock cidr "10.0.0.0\/8"/,
      );
      expect(make(peer({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }))).toThrow(/must be a strict subset/);
      expect(make(peer({ ipBlock: { cidr: '10.0.0.0/8', except: ['fd00::/16'] } }))).toThrow(/except\[0\]: "fd00::\/16" must be a strict subset/);
    });

    test('label selectors', () => {
      const sel = (s: any) => ({ podSelector: s });
      expect(make(sel({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] }))).toThrow(
        /spec.podSelector.matchExpressions\[0\].operator: "Equals" is not a selector operator; use In, NotIn, Exists or DoesNotExist/,
      );
      expect(make(sel({ matchExpressions: [{ key: 'a', operator: 'In' }] }))).toThrow(/matchExpressions\[0\].values: operator In needs at least one value/);
      expect(make(sel({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }))).toThrow(/operator Exists takes no values/);
      expect(make(sel({ matchExpressions: [{ key: 'bad key', operator: 'Exists' }] }))).toThrow(/matchExpressions\[0\].key: "bad key" is not a valid label key/);
      expect(make(sel({ matchExpressions: [{ key: 'a', operator: 'In', values: ['not ok'] }] }))).toThrow(/matchExpressions\[0\].values\[0\]: "not ok" is not a valid label value/);
      expect(make(sel({ matchLabels: { app: 'a b' } }))).toThrow(/spec.podSelector.matchLabels\["app"\]: "a b" is not a valid label value/);
    });
  });
});
