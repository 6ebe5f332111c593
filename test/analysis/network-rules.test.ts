import { calicoPolicy, denyAllIngress, globalPolicy, k8sPolicy, namespace, pod } from './network-fixtures';
import { Decision } from '../../src/analysis/network-evaluate';
import { NetworkModel } from '../../src/analysis/network-model';
import { ObjectRef } from '../../src/analysis/network-objects';
import { compileCalicoRule, compileK8sRule, describeK8sSelector, RuleCompiler } from '../../src/analysis/network-rules';

const ref = new ObjectRef('NetworkPolicy', 'projectcalico.org/v3', 'p', 'prod');
const knpRef = new ObjectRef('NetworkPolicy', 'networking.k8s.io/v1', 'p', 'prod');

function calicoRule(raw: any, direction: 'ingress' | 'egress' = 'ingress', ns: string | null = 'prod') {
  return compileCalicoRule(raw, 0, direction, ref, `spec.${direction}[0]`, ns ?? undefined, new RuleCompiler());
}

function k8sRule(raw: any, direction: 'ingress' | 'egress' = 'ingress') {
  return compileK8sRule(raw, 0, direction, knpRef, `spec.${direction}[0]`, 'prod', new RuleCompiler());
}

describe('Kubernetes NetworkPolicy rules (examples from the Kubernetes documentation)', () => {
  // The "test-network-policy" example: db pods accept from an ipBlock, a namespace and a pod selector.
  const objects = [
    namespace('default'),
    namespace('myproject', { project: 'myproject' }),
    pod('default', 'db', { role: 'db' }, { ip: '10.0.0.5' }),
    pod('default', 'frontend', { role: 'frontend' }, { ip: '10.0.0.6' }),
    pod('default', 'other', { role: 'other' }, { ip: '10.0.0.7' }),
    pod('myproject', 'anything', { role: 'whatever' }, { ip: '10.0.1.9' }),
    pod('default', 'monitor', { role: 'monitoring' }, { ip: '10.0.0.8' }),
    k8sPolicy('default', 'test-network-policy', {
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
    }),
  ];
  const model = NetworkModel.fromManifests(objects);

  test('OR across peers: ipBlock, namespace or pod', () => {
    expect(model.check({ from: 'ip:172.17.0.1', to: 'default/db', port: 6379 }).allowed).toBe(true);
    expect(model.check({ from: 'myproject/anything', to: 'default/db', port: 6379 }).allowed).toBe(true);
    const v = model.check({ from: 'default/frontend', to: 'default/db', port: 6379 });
    expect(v.ingress).toMatchObject({ decidedBy: Decision.RULE, ruleIndex: 0, policy: 'Kubernetes NetworkPolicy default/test-network-policy' });
    expect(v.ingress.trace.join('\n')).toContain('ingress rule 0 (Allow): match via from[2] ports[0]: allow');
    expect(model.check({ from: 'default/other', to: 'default/db', port: 6379 }).allowed).toBe(false);
  });

  test('ipBlock except excludes addresses', () => {
    const v = model.check({ from: 'ip:172.17.1.9', to: 'default/db', port: 6379 });
    expect(v.allowed).toBe(false);
    expect(v.ingress.trace.join('\n')).toContain('ip:172.17.1.9 (172.17.1.9) is excluded by ipBlock 172.17.0.0/16 except [172.17.1.0/24]');
  });

  test('ports restrict the rule', () => {
    expect(model.check({ from: 'default/frontend', to: 'default/db', port: 6380 }).allowed).toBe(false);
    expect(model.check({ from: 'default/frontend', to: 'default/db', protocol: 'UDP', port: 6379 }).allowed).toBe(false);
  });

  test('egress ipBlock matches pod addresses too', () => {
    expect(model.check({ from: 'default/db', to: 'default/monitor', port: 5978 }).allowed).toBe(true);
    expect(model.check({ from: 'default/db', to: 'myproject/anything', port: 5978 }).egress.decidedBy).toBe(Decision.END_OF_TIER);
  });

  test('AND within one peer, OR across peers', () => {
    const base = [
      namespace('a', { team: 'a' }),
      namespace('b', { team: 'b' }),
      pod('a', 'client', { app: 'client' }, { ip: '10.1.0.1' }),
      pod('a', 'other', { app: 'other' }, { ip: '10.1.0.2' }),
      pod('b', 'client', { app: 'client' }, { ip: '10.2.0.1' }),
      pod('srv', 'server', { app: 'server' }, { ip: '10.3.0.1' }),
    ];
    const and = NetworkModel.fromManifests([
      ...base,
      k8sPolicy('srv', 'and', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { app: 'client' } } }] }],
      }),
    ]);
    expect(and.check({ from: 'a/client', to: 'srv/server' }).allowed).toBe(true);
    expect(and.check({ from: 'a/other', to: 'srv/server' }).allowed).toBe(false);
    expect(and.check({ from: 'b/client', to: 'srv/server' }).allowed).toBe(false);

    const or = NetworkModel.fromManifests([
      ...base,
      k8sPolicy('srv', 'or', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }, { podSelector: { matchLabels: { app: 'client' } } }] }],
      }),
    ]);
    expect(or.check({ from: 'a/client', to: 'srv/server' }).allowed).toBe(true);
    expect(or.check({ from: 'a/other', to: 'srv/server' }).allowed).toBe(true);
    // podSelector alone stays in the policy's namespace: b/client is not in srv.
    expect(or.check({ from: 'b/client', to: 'srv/server' }).allowed).toBe(false);
  });

  test('namespaceSelector {} means every namespace but no external address', () => {
    const m = NetworkModel.fromManifests([
      pod('a', 'x', {}, { ip: '10.1.0.1' }),
      pod('b', 'y', {}, { ip: '10.2.0.1' }),
      k8sPolicy('b', 'all-namespaces', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] }),
    ]);
    expect(m.check({ from: 'a/x', to: 'b/y' }).allowed).toBe(true);
    expect(m.check({ from: 'ip:10.9.9.9', to: 'b/y' }).allowed).toBe(false);
  });

  test('namespaceSelector on kubernetes.io/metadata.name works for undeclared namespaces', () => {
    const m = NetworkModel.fromManifests([
      pod('monitoring', 'prom', {}, { ip: '10.1.0.1' }),
      pod('app', 'svc', {}, { ip: '10.2.0.1' }),
      k8sPolicy('app', 'from-monitoring', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }],
      }),
    ]);
    expect(m.check({ from: 'monitoring/prom', to: 'app/svc' }).allowed).toBe(true);
  });

  test('an empty rule or missing from allows every source, external included', () => {
    const m = NetworkModel.fromManifests([pod('a', 'x', {}, { ip: '10.1.0.1' }), k8sPolicy('a', 'allow-all', { podSelector: {}, ingress: [{}] })]);
    expect(m.check({ from: 'ip:198.51.100.4', to: 'a/x', protocol: 'UDP', port: 9 }).ingress).toMatchObject({ allowed: true, decidedBy: Decision.RULE });
  });

  test('a port entry without port allows every port of its protocol', () => {
    const m = NetworkModel.fromManifests([pod('a', 'x', {}, { ip: '10.1.0.1' }), k8sPolicy('a', 'udp', { podSelector: {}, ingress: [{ ports: [{ protocol: 'UDP' }] }] })]);
    expect(m.check({ from: 'ip:1.2.3.4', to: 'a/x', protocol: 'UDP', port: 53 }).allowed).toBe(true);
    expect(m.check({ from: 'ip:1.2.3.4', to: 'a/x', protocol: 'TCP', port: 53 }).allowed).toBe(false);
  });

  test('endPort is inclusive', () => {
    const m = NetworkModel.fromManifests([
      pod('a', 'x', {}, { ip: '10.1.0.1' }),
      k8sPolicy('a', 'range', { podSelector: {}, ingress: [{ ports: [{ protocol: 'TCP', port: 32000, endPort: 32768 }] }] }),
    ]);
    expect([31999, 32000, 32768, 32769].map((port) => m.check({ from: 'ip:1.2.3.4', to: 'a/x', port }).allowed)).toEqual([false, true, true, false]);
  });

  test('named ports match by name and protocol on the destination pod', () => {
    const dns = pod('kube-system', 'coredns', { k8s: 'dns' }, { ip: '10.0.0.53', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }] });
    const client = pod('app', 'client', {}, { ip: '10.1.0.1' });
    const tcpOnly = k8sPolicy('kube-system', 'dns', { podSelector: {}, ingress: [{ ports: [{ port: 'dns' }] }] });
    const m = NetworkModel.fromManifests([dns, client, tcpOnly]);
    // The port entry defaults to TCP; the container port "dns" is UDP: no match either way.
    expect(m.check({ from: 'app/client', to: 'kube-system/coredns', protocol: 'UDP', port: 53 }).allowed).toBe(false);
    const tcp = m.check({ from: 'app/client', to: 'kube-system/coredns', protocol: 'TCP', port: 53 });
    expect(tcp.allowed).toBe(false);
    expect(tcp.ingress.trace.join('\n')).toContain("destination port 53 is not in [dns] (named ports resolve on kube-system/coredns's TCP container ports)");
    const udp = NetworkModel.fromManifests([dns, client, k8sPolicy('kube-system', 'dns', { podSelector: {}, ingress: [{ ports: [{ protocol: 'UDP', port: 'dns' }] }] })]);
    expect(udp.check({ from: 'app/client', to: 'kube-system/coredns', protocol: 'UDP', port: 53 }).allowed).toBe(true);
    expect(udp.check({ from: 'app/client', to: 'kube-system/coredns', protocol: 'UDP', port: 'dns' }).allowed).toBe(true);
  });

  test('an egress named port resolves on the destination', () => {
    const web = pod('app', 'web', { app: 'web' }, { ip: '10.1.0.2', ports: [{ name: 'http', containerPort: 8080 }] });
    const client = pod('app', 'client', { app: 'client' }, { ip: '10.1.0.1', ports: [{ name: 'http', containerPort: 9999 }] });
    const m = NetworkModel.fromManifests([web, client, k8sPolicy('app', 'egress-http', { podSelector: { matchLabels: { app: 'client' } }, egress: [{ ports: [{ port: 'http' }] }] })]);
    expect(m.check({ from: 'app/client', to: 'app/web', port: 8080 }).allowed).toBe(true);
    expect(m.check({ from: 'app/client', to: 'app/web', port: 9999 }).allowed).toBe(false);
    expect(m.check({ from: 'app/client', to: 'ip:1.1.1.1', port: 8080 }).allowed).toBe(false);
  });

  test('default deny all egress blocks DNS unless allowed', () => {
    const m = NetworkModel.fromManifests([
      pod('a', 'x', {}, { ip: '10.1.0.1' }),
      k8sPolicy('a', 'default-deny-egress', { podSelector: {}, policyTypes: ['Egress'] }),
      k8sPolicy('a', 'allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }] }),
    ]);
    expect(m.check({ from: 'a/x', to: 'ip:10.96.0.10', protocol: 'UDP', port: 53 }).egress).toMatchObject({ allowed: true, policy: 'Kubernetes NetworkPolicy a/allow-dns' });
    expect(m.check({ from: 'a/x', to: 'ip:10.96.0.10', protocol: 'TCP', port: 443 }).egress.decidedBy).toBe(Decision.END_OF_TIER);
  });

  test('a pod without a known address matches no ipBlock narrower than the whole family', () => {
    const m = NetworkModel.fromManifests([
      pod('a', 'noip', {}),
      pod('a', 'srv', {}, { ip: '10.1.0.9' }),
      k8sPolicy('a', 'cidr', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }),
    ]);
    const v = m.check({ from: 'a/noip', to: 'a/srv' });
    expect(v.allowed).toBe(false);
    expect(v.ingress.trace.join('\n')).toContain('a/noip has no known IPv4 address, so ipBlock 10.0.0.0/8 cannot match it');
  });

  test('Kubernetes peers do not match network sets (they require a pod)', () => {
    const m = NetworkModel.fromManifests([
      pod('a', 'srv', {}, { ip: '10.1.0.9' }),
      { apiVersion: 'projectcalico.org/v3', kind: 'NetworkSet', metadata: { name: 'ext', namespace: 'a', labels: { app: 'ext' } }, spec: { nets: ['203.0.113.0/24'] } },
      k8sPolicy('a', 'from-ext', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'ext' } } }] }] }),
    ]);
    expect(m.check({ from: 'ip:203.0.113.1', to: 'a/srv' }).allowed).toBe(false);
  });
});

describe('compileK8sRule', () => {
  test('one variant per peer and port entry', () => {
    const rule = k8sRule({ from: [{ podSelector: {} }, { ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 80 }, { protocol: 'UDP', port: 53 }] });
    expect(rule.action).toBe('Allow');
    expect(rule.variants.map((v) => v.label)).toEqual(['from[0] ports[0]', 'from[0] ports[1]', 'from[1] ports[0]', 'from[1] ports[1]']);
    expect(rule.variants.map((v) => v.protocol)).toEqual([6, 17, 6, 17]);
    expect(rule.variants[2].ipVersion).toBe(4);
  });

  test('errors name the field', () => {
    expect(() => k8sRule({ from: [{}] })).toThrow('NetworkPolicy prod/p (networking.k8s.io/v1): spec.ingress[0].from[0]: a peer needs podSelector, namespaceSelector or ipBlock');
    expect(() => k8sRule({ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] })).toThrow('ipBlock cannot be combined with podSelector or namespaceSelector');
    expect(() => k8sRule({ from: [{ ipBlock: { cidr: '10.0.0.1' } }] })).toThrow(
      'spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.1" has no prefix length; write "10.0.0.1/32" for this single address',
    );
    expect(() => k8sRule({ from: [{ ipBlock: {} }] })).toThrow('spec.ingress[0].from[0].ipBlock.cidr: missing: an ipBlock needs a cidr');
    expect(() => k8sRule({ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] } }] })).toThrow(
      'spec.ingress[0].from[0].ipBlock.except[0]: "11.0.0.0/16" must be a strict subset of the ipBlock cidr "10.0.0.0/8"',
    );
    // Kubernetes ValidateIPBlock: an except equal to the cidr is not a strict subset.
    expect(() => k8sRule({ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }] })).toThrow('except[0]: "10.0.0.0/8" must be a strict subset');
    expect(() => k8sRule({ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['fd00::/16'] } }] })).toThrow('except[0]: "fd00::/16" must be a strict subset');
    expect(() => k8sRule({ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['bad'] } }] })).toThrow('except[0]: "bad" is not a valid CIDR');
    expect(() => k8sRule({ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: '10.1.0.0/16' } }] })).toThrow('ipBlock.except: expected a list of CIDRs');
    expect(() => k8sRule({ ports: [{ protocol: 'ICMP' }] })).toThrow('spec.ingress[0].ports[0].protocol: "ICMP" is not a Kubernetes protocol; use TCP, UDP or SCTP');
    expect(() => k8sRule({ ports: [{ protocol: 'tcp' }] })).toThrow('spec.ingress[0].ports[0].protocol: "tcp" is not a Kubernetes protocol');
    expect(() => k8sRule({ ports: [{ port: 80, endPort: 79 }] })).toThrow('spec.ingress[0].ports[0].endPort: endPort 79 is not valid; use an integer from port (80) to 65535');
    expect(() => k8sRule({ ports: [{ port: 80, endPort: 65536 }] })).toThrow('endPort 65536 is not valid');
    expect(() => k8sRule({ ports: [{ endPort: 90 }] })).toThrow('spec.ingress[0].ports[0].endPort: endPort may not be specified without a numeric port');
    expect(() => k8sRule({ ports: [{ port: 'http', endPort: 90 }] })).toThrow('endPort may not be specified with a named port');
    expect(() => k8sRule({ ports: [{ port: 0 }] })).toThrow('spec.ingress[0].ports[0].port: 0 is not a valid port number; use an integer from 1 to 65535');
    expect(() => k8sRule({ ports: [{ port: 65536 }] })).toThrow('65536 is not a valid port number');
    expect(() => k8sRule({ ports: [{ port: 80.5 }] })).toThrow('80.5 is not a valid port number');
    expect(() => k8sRule({ ports: [{ port: '80' }] })).toThrow('port name "80" must contain at least one letter');
    expect(() => k8sRule({ ports: [{ port: 'HTTP' }] })).toThrow('port name "HTTP" may only contain lower-case letters');
    expect(() => k8sRule({ ports: [{ port: true }] })).toThrow('spec.ingress[0].ports[0].port: expected a port number or a port name, got true');
    expect(() => k8sRule({ ports: ['80'] })).toThrow('spec.ingress[0].ports[0]: expected a port entry with protocol and/or port');
    expect(() => k8sRule('x')).toThrow('spec.ingress[0]: expected a rule object');
    expect(() => k8sRule({ from: ['x'] })).toThrow('spec.ingress[0].from[0]: expected a peer');
    expect(() => k8sRule({ from: [{ podSelector: { matchExpressions: [{ key: 'a', operator: 'Is' }] } }] })).toThrow(
      'spec.ingress[0].from[0].podSelector.matchExpressions[0].operator: "Is" is not a label selector operator; use one of In, NotIn, Exists, DoesNotExist',
    );
  });

  test('describeK8sSelector renders labels and expressions', () => {
    expect(describeK8sSelector(undefined)).toBe('{}');
    expect(describeK8sSelector({ matchLabels: { a: 'b' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['d', 'e'] }, { key: 'f', operator: 'Exists' }] })).toBe(
      '{a=b, c In (d, e), f Exists}',
    );
  });
});

describe('compileCalicoRule', () => {
  test('the rule protocol, icmp and nets family are kept on its single variant', () => {
    const rule = calicoRule({ action: 'Deny', protocol: 'ICMP', icmp: { type: 8 }, source: { nets: ['10.0.0.0/8'] } });
    expect(rule.variants).toHaveLength(1);
    expect(rule.variants[0]).toMatchObject({ protocol: 1, icmp: { type: 8 }, ipVersion: 4 });
    expect(calicoRule({ action: 'Allow', protocol: 58 }).variants[0].ipVersion).toBe(6);
  });

  test('identical rule sides share one matcher', () => {
    const compiler = new RuleCompiler();
    const one = compileCalicoRule({ action: 'Allow', source: { selector: 'a == "b"' } }, 0, 'ingress', ref, 'x', 'prod', compiler);
    const two = compileCalicoRule({ action: 'Deny', source: { selector: "a == 'b'" } }, 1, 'ingress', ref, 'y', 'prod', compiler);
    expect(one.variants[0].source.peer).toBe(two.variants[0].source.peer);
  });

  test('validation is core\'s readCalicoRule (the constructs refuse the same rules with the same reasons)', () => {
    const prefix = 'NetworkPolicy prod/p (projectcalico.org/v3): ';
    expect(() => calicoRule({ action: 'allow' })).toThrow(`${prefix}spec.ingress[0].action: "allow" is not a rule action; use one of Allow, Deny, Log, Pass (case-sensitive)`);
    expect(() => calicoRule('Allow')).toThrow(`${prefix}spec.ingress[0]: expected a rule object with an action, got "Allow"`);
    expect(() => calicoRule({ action: 'Allow', protocol: 'HTTP' })).toThrow('spec.ingress[0].protocol: "HTTP" is not a Calico protocol');
    expect(() => calicoRule({ action: 'Allow', protocol: 'tcp' })).toThrow('spec.ingress[0].protocol: "tcp" is not a Calico protocol name: names are case-sensitive; write "TCP"');
    expect(() => calicoRule({ action: 'Allow', notProtocol: 300 })).toThrow('spec.ingress[0].notProtocol: 300 is not a valid protocol number');
    expect(() => calicoRule({ action: 'Allow', destination: { ports: [80] } })).toThrow(
      'spec.ingress[0].destination.ports: rules with a numeric port or port range must set protocol to TCP, UDP or SCTP',
    );
    expect(() => calicoRule({ action: 'Allow', protocol: 'UDPLite', destination: { ports: [80] } })).toThrow('destination.ports: protocol UDPLite does not support ports');
    expect(() => calicoRule({ action: 'Allow', protocol: 'ICMP', source: { notPorts: [80] } })).toThrow('spec.ingress[0].source.notPorts: protocol ICMP does not support ports');
    expect(() => calicoRule({ action: 'Allow', protocol: 'TCP', destination: { ports: [0] } })).toThrow('destination.ports[0]: 0 is not a valid port number; use an integer from 1 to 65535');
    expect(() => calicoRule({ action: 'Allow', protocol: 'TCP', destination: { ports: ['90:80'] } })).toThrow('destination.ports[0]: port range 90:80 is not valid');
    expect(() => calicoRule({ action: 'Allow', icmp: { type: 8 } })).toThrow('spec.ingress[0].icmp: rules that specify ICMP fields must set protocol to ICMP or ICMPv6');
    expect(() => calicoRule({ action: 'Allow', protocol: 'ICMP', icmp: { code: 0 } })).toThrow('spec.ingress[0].icmp.code: ICMP code specified without an ICMP type; add type');
    expect(() => calicoRule({ action: 'Allow', protocol: 'ICMP', icmp: { type: 255 } })).toThrow('ICMP type 255 is out of range');
    expect(() => calicoRule({ action: 'Allow', protocol: 'ICMP', icmp: { type: 3, code: 256 } })).toThrow('ICMP code 256 is out of range');
    expect(() => calicoRule({ action: 'Allow', protocol: 'ICMP', ipVersion: 6 })).toThrow('spec.ingress[0].ipVersion: protocol ICMP needs ipVersion 4');
    expect(() => calicoRule({ action: 'Allow', protocol: 'ICMPv6', ipVersion: 4 })).toThrow('protocol ICMPv6 needs ipVersion 6');
    expect(() => calicoRule({ action: 'Allow', ipVersion: 5 })).toThrow('spec.ingress[0].ipVersion: 5 is not an IP version; use 4 or 6');
    expect(() => calicoRule({ action: 'Allow', ipVersion: 6, source: { nets: ['10.0.0.0/8'] } })).toThrow(
      'spec.ingress[0].source.nets: ipVersion 6 does not match the IPv4 CIDR "10.0.0.0/8"',
    );
    expect(() => calicoRule({ action: 'Allow', source: { nets: ['10.0.0.0/8'] }, destination: { notNets: ['fd00::/8'] } })).toThrow(
      'spec.ingress[0].destination.notNets: the rule mixes IPv4 and IPv6 CIDRs',
    );
    expect(() => calicoRule({ action: 'Allow', source: { nets: ['10.0.0.0/33'] } })).toThrow('spec.ingress[0].source.nets[0]: "10.0.0.0/33" is not a valid CIDR');
    expect(() => calicoRule({ action: 'Allow', source: { nets: ['10.0.0.1/8'] } })).toThrow('source.nets[0]: "10.0.0.1/8" is not correctly masked');
    expect(() => calicoRule({ action: 'Allow', source: { nets: ['10.0.0.1'] } })).toThrow('source.nets[0]: "10.0.0.1" has no prefix length; write "10.0.0.1/32"');
    expect(() => calicoRule({ action: 'Allow', destination: { notNets: ['0.0.0.0/0'] } })).toThrow('destination.notNets[0]: "0.0.0.0/0" in notNets excludes every address');
    expect(() => calicoRule({ action: 'Allow', source: { selector: 'global()' } })).toThrow(
      'spec.ingress[0].source.selector: global() can only be used in a rule namespaceSelector',
    );
    expect(() => calicoRule({ action: 'Allow', source: { namespaceSelector: 'global() || a == "b"' } })).toThrow(
      'combines global() with other terms; use namespaceSelector: global() alone',
    );
    expect(() => calicoRule({ action: 'Allow', source: { selector: 'a ==' } })).toThrow('spec.ingress[0].source.selector: Invalid Calico selector');
    expect(() => calicoRule({ action: 'Allow', source: { selector: 5 } })).toThrow('spec.ingress[0].source.selector: expected a string, got 5');
  });

  test('empty lists and empty selectors are no constraint; ports may be all named without a protocol', () => {
    // Calico: felix/rules/policy.go renders empty lists as no match criterion; validator.go validateRule accepts
    // named ports without a protocol (numorstring AllPortsAreNamed).
    const rule = calicoRule({ action: 'Deny', source: { nets: [], notNets: [], selector: '', notSelector: '' }, destination: { ports: [], notPorts: [] } });
    expect(rule.variants[0].source).toEqual({ peer: undefined, ports: undefined, notPorts: undefined, servicePorts: undefined });
    expect(rule.variants[0].destination.ports).toBeUndefined();
    expect(rule.variants[0].ipVersion).toBeUndefined();
    expect(calicoRule({ action: 'Allow', destination: { ports: ['http', 'metrics'] } }).variants[0].destination.ports).toEqual([
      { kind: 'name', name: 'http', text: 'http' },
      { kind: 'name', name: 'metrics', text: 'metrics' },
    ]);
  });

  test('global() in a selector Calico leaves in place matches every endpoint, as in Felix', () => {
    // Calico: validator.go checks only the text "global()" of selector; libcalico-go/lib/selector/parser/ast.go
    // GlobalNode.Evaluate returns true, so notSelector: global() excludes everything.
    const m = NetworkModel.fromManifests([
      pod('a', 'x', {}, { ip: '10.1.0.1' }),
      pod('a', 'y', {}, { ip: '10.1.0.2' }),
      calicoPolicy('a', 'not-global', { selector: 'all()', ingress: [{ action: 'Allow', source: { notSelector: 'global()' } }] }),
    ]);
    expect(m.check({ from: 'a/y', to: 'a/x' }).allowed).toBe(false);
    expect(m.check({ from: 'ip:1.2.3.4', to: 'a/x' }).allowed).toBe(false);
    const sa = NetworkModel.fromManifests([
      pod('a', 'x', {}, { ip: '10.1.0.1' }),
      pod('a', 'y', {}, { ip: '10.1.0.2' }),
      calicoPolicy('a', 'sa-global', { selector: 'all()', ingress: [{ action: 'Allow', source: { serviceAccounts: { selector: 'global()' } } }] }),
    ]);
    expect(sa.check({ from: 'a/y', to: 'a/x' }).allowed).toBe(true);
  });

  test('http criteria are only for ingress Allow rules over TCP', () => {
    expect(calicoRule({ action: 'Allow', http: { methods: ['GET'] } }).http).toBe(true);
    expect(() => calicoRule({ action: 'Allow', http: { methods: ['GET'] } }, 'egress')).toThrow('spec.egress[0].http: HTTP match is not allowed in egress rules');
    expect(() => calicoRule({ action: 'Deny', http: {} })).toThrow('HTTP match is only valid on Allow rules');
    expect(() => calicoRule({ action: 'Allow', protocol: 'UDP', http: {} })).toThrow('spec.ingress[0].protocol: rules that specify HTTP fields must set protocol to TCP or leave it out');
  });

  test('services rules follow Calico restrictions', () => {
    expect(() => calicoRule({ action: 'Allow', source: { services: { name: 'x' } } }, 'egress')).toThrow(
      'spec.egress[0].source.services: services are not allowed in the source of an egress rule',
    );
    expect(() => calicoRule({ action: 'Allow', destination: { services: { name: 'x' } } })).toThrow('services are not allowed in the destination of an ingress rule');
    expect(() => calicoRule({ action: 'Allow', destination: { services: {} } }, 'egress')).toThrow('spec.egress[0].destination.services.name: missing');
    expect(() => calicoRule({ action: 'Allow', destination: { services: { name: 'x' } } }, 'egress', null)).toThrow(
      'destination.services.namespace: a global policy must name the namespace of the Service; set services.namespace',
    );
    const bad = (extra: any, message: string) =>
      expect(() => calicoRule({ action: 'Allow', protocol: 'TCP', destination: { services: { name: 'x' }, ...extra } }, 'egress')).toThrow(message);
    bad({ namespaceSelector: 'all()' }, 'cannot specify namespaceSelector and services');
    bad({ selector: 'a == "b"' }, 'cannot specify selector/notSelector and services');
    bad({ serviceAccounts: { names: ['a'] } }, 'cannot specify serviceAccounts and services');
    bad({ nets: ['10.0.0.0/8'] }, 'cannot specify nets/notNets and services');
    bad({ ports: [80] }, 'ports and notPorts cannot be specified with services');
  });
});

describe('Calico rule sides through the model', () => {
  test('a namespaced rule with only notSelector is still limited to its namespace', () => {
    const m = NetworkModel.fromManifests([
      pod('a', 'x', { app: 'x' }, { ip: '10.1.0.1' }),
      pod('a', 'x2', { app: 'x' }, { ip: '10.1.0.3' }),
      pod('a', 'bad', { app: 'bad' }, { ip: '10.1.0.2' }),
      pod('b', 'y', { app: 'y' }, { ip: '10.2.0.1' }),
      calicoPolicy('a', 'not-bad', { ingress: [{ action: 'Allow', source: { notSelector: 'app == "bad"' } }] }),
    ]);
    expect(m.check({ from: 'a/x2', to: 'a/x' }).allowed).toBe(true);
    expect(m.check({ from: 'a/bad', to: 'a/x' }).ingress.trace.join('\n')).toContain('a/bad is excluded by notSelector app == "bad", in namespace a');
    expect(m.check({ from: 'b/y', to: 'a/x' }).allowed).toBe(false);
    expect(m.check({ from: 'ip:1.2.3.4', to: 'a/x' }).allowed).toBe(false);
  });

  test('a global rule with only notSelector matches external addresses', () => {
    const m = NetworkModel.fromManifests([
      pod('a', 'x', { app: 'x' }, { ip: '10.1.0.1' }),
      globalPolicy('not-bad', { ingress: [{ action: 'Allow', source: { notSelector: 'app == "bad"' } }] }),
    ]);
    expect(m.check({ from: 'ip:1.2.3.4', to: 'a/x' }).allowed).toBe(true);
  });

  test('a namespaceSelector alone selects every endpoint of the matching namespaces', () => {
    const m = NetworkModel.fromManifests([
      namespace('ops', { team: 'ops' }),
      pod('ops', 'tool', {}, { ip: '10.1.0.1' }),
      pod('dev', 'tool', {}, { ip: '10.2.0.1' }),
      pod('app', 'srv', {}, { ip: '10.3.0.1' }),
      calicoPolicy('app', 'from-ops', { ingress: [{ action: 'Allow', source: { namespaceSelector: 'team == "ops"' } }] }),
    ]);
    expect(m.check({ from: 'ops/tool', to: 'app/srv' }).allowed).toBe(true);
    expect(m.check({ from: 'dev/tool', to: 'app/srv' }).allowed).toBe(false);
  });

  test('a rule destination selector restricts the local endpoint of an ingress rule', () => {
    const m = NetworkModel.fromManifests([
      pod('a', 'web', { app: 'web' }, { ip: '10.1.0.1' }),
      pod('a', 'db', { app: 'db' }, { ip: '10.1.0.2' }),
      calicoPolicy('a', 'only-web', { ingress: [{ action: 'Allow', destination: { selector: 'app == "web"' } }] }),
    ]);
    expect(m.check({ from: 'ip:1.1.1.1', to: 'a/web' }).allowed).toBe(true);
    expect(m.check({ from: 'ip:1.1.1.1', to: 'a/db' }).allowed).toBe(false);
  });

  test('denyAllIngress fixture in another namespace does not interfere', () => {
    const m = NetworkModel.fromManifests([pod('a', 'x', {}, { ip: '10.1.0.1' }), pod('a', 'y', {}, { ip: '10.1.0.2' }), denyAllIngress('b')]);
    expect(m.check({ from: 'a/y', to: 'a/x' }).allowed).toBe(true);
    expect(NetworkModel.fromManifests([pod('a', 'x', {}, { ip: '10.1.0.1' }), pod('a', 'y', {}, { ip: '10.1.0.2' }), denyAllIngress('a')])
      .check({ from: 'a/y', to: 'a/x' }).allowed).toBe(false);
  });
});
