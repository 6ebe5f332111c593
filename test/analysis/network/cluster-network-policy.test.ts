/**
 * Kubernetes ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) in the network model, with
 * Calico v3.32.1's conversion (libcalico-go/lib/backend/k8s/conversion/clusternetworkpolicy.go):
 * `Admin` -> tier kube-admin, `Baseline` -> kube-baseline, order = priority, Accept -> Allow,
 * one Calico rule per protocol and peer, fail-closed rules, and the policy key
 * `<name>//KubernetesClusterNetworkPolicy` among policies of equal order.
 *
 * The conversion examples follow Calico's own unit tests (clusternetworkpolicy_test.go) and FV
 * tests (felix/fv/cluster_network_policy_test.go); inputs those tests feed the converter but the
 * CRD refuses (a port range with start > end, a /66 CIDR, a peer with no or two fields) are
 * errors here, since the API server never stores them.
 */
import { Decision, NetworkModel } from '../../../src/analysis';
import { findKind, isClusterScopedKind, POLICY_NETWORKING_GROUP } from '../../../src/core';
import { denyAllIngress, globalNetworkSet, globalPolicy, k8sPolicy, namespace, networkSet, pod, tier } from '../network-fixtures';

const CNP_API_VERSION = 'policy.networking.k8s.io/v1alpha2';

function cnp(name: string, spec: any): any {
  return { apiVersion: CNP_API_VERSION, kind: 'ClusterNetworkPolicy', metadata: { name }, spec };
}

/** A CNP with the given tier, priority and rules, applying to the pods of namespace `subjectNs`. */
function cnpOn(name: string, tierName: string, priority: number, subjectNs: string, rules: { ingress?: any[]; egress?: any[] }): any {
  return cnp(name, {
    tier: tierName,
    priority,
    subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': subjectNs } } },
    ...rules,
  });
}

const fromNs = (ns: string) => ({ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': ns } } });
const tcp = (port: number) => ({ tcp: { destinationPort: { number: port } } });

const world = [
  namespace('shop', { label: 'value', label2: 'value2', team: 'shop' }),
  namespace('fe', { k: 'v', k2: 'v2', team: 'fe' }),
  namespace('ops', { team: 'ops' }),
  pod('shop', 'web', { app: 'web' }, { ip: '10.0.0.1', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }] }),
  pod('shop', 'db', { app: 'db' }, { ip: '10.0.0.2' }),
  pod('fe', 'client', { app: 'client' }, { ip: '10.0.1.1' }),
  pod('ops', 'probe', { app: 'probe' }, { ip: '10.0.2.1' }),
];

function model(...objects: any[]): NetworkModel {
  return NetworkModel.fromManifests([...world, ...objects]);
}

describe('conversion examples of Calico clusternetworkpolicy_test.go', () => {
  // "should parse a basic k8s ClusterNetworkPolicy to a GlobalNetworkPolicy": tier kube-admin, order 100,
  // NamespaceSelector "label == 'value' && label2 == 'value2'", one Allow TCP 80 rule from namespaces k=v,k2=v2.
  const basic = cnp('test.policy', {
    priority: 100,
    tier: 'Admin',
    subject: { namespaces: { matchLabels: { label: 'value', label2: 'value2' } } },
    ingress: [{
      name: 'The first ingress rule',
      action: 'Accept',
      protocols: [tcp(80)],
      from: [{ namespaces: { matchLabels: { k: 'v', k2: 'v2' } } }],
    }],
  });

  test('basic: Accept becomes Allow in tier kube-admin at order 100, named after the CNP and its rule', () => {
    const v = model(basic, denyAllIngress('shop')).check({ from: 'fe/client', to: 'shop/web', port: 80 });
    expect(v.allowed).toBe(true);
    expect(v.ingress).toMatchObject({ decidedBy: Decision.RULE, tier: 'kube-admin', policy: 'ClusterNetworkPolicy test.policy', ruleIndex: 0, action: 'Allow' });
    expect(v.ingress.reason).toBe('ingress rule 0 "The first ingress rule" (Allow) of ClusterNetworkPolicy test.policy in tier kube-admin');
    expect(v.ingress.trace).toEqual([
      'tier kube-admin (order 1000, defaultAction Pass): 1 policy selects shop/web for ingress',
      '  ClusterNetworkPolicy test.policy (order 100, selector pods in namespaces {label=value, label2=value2})',
      '    ingress rule 0 "The first ingress rule" (Allow): match via from[0] TCP: allow',
    ]);
  });

  test('basic: the rule matches TCP 80 from the selected namespaces only; everything else passes to the next tier', () => {
    const m = model(basic, denyAllIngress('shop'));
    // Another port, another protocol, another namespace: no match, end of kube-admin (Pass), then the default-deny.
    for (const flow of [
      { from: 'fe/client', to: 'shop/web', port: 81 },
      { from: 'fe/client', to: 'shop/web', protocol: 'UDP', port: 80 },
      { from: 'ops/probe', to: 'shop/web', port: 80 },
    ]) {
      const v = m.check(flow);
      expect(v.allowed).toBe(false);
      expect(v.ingress.trace).toContain('  end of tier kube-admin without a verdict: defaultAction Pass, go to the next tier');
      expect(v.ingress).toMatchObject({ decidedBy: Decision.END_OF_TIER, tier: 'default' });
    }
  });

  test('an empty rule name is no name (Calico adds no rule metadata)', () => {
    const p = cnpOn('unnamed', 'Admin', 1, 'shop', { ingress: [{ name: '', action: 'Deny', from: [fromNs('fe')] }] });
    expect(model(p).check({ from: 'fe/client', to: 'shop/web', port: 80 }).ingress.reason).toBe('ingress rule 0 (Deny) of ClusterNetworkPolicy unnamed in tier kube-admin');
  });

  test('basic: no egress rules, so no Egress type: the CNP does not select the pods for egress', () => {
    const v = model(basic).check({ from: 'shop/web', to: 'fe/client', port: 80 });
    expect(v.egress.decidedBy).toBe(Decision.NO_POLICY);
  });

  test('"with no ports": a rule without protocols matches every protocol and port', () => {
    const p = cnpOn('no-ports', 'Admin', 100, 'shop', { ingress: [{ action: 'Deny', from: [fromNs('fe')] }] });
    const m = model(p);
    for (const flow of [{ port: 1 }, { port: 65535 }, { protocol: 'UDP', port: 53 }, { protocol: 'ICMP' }, { protocol: 'SCTP', port: 9 }]) {
      expect(m.check({ from: 'fe/client', to: 'shop/web', ...flow }).allowed).toBe(false);
    }
    expect(m.check({ from: 'ops/probe', to: 'shop/web', port: 1 }).allowed).toBe(true);
  });

  test('"with no rules": a CNP without rules selects nothing for either direction', () => {
    const p = cnp('no-rules', { tier: 'Admin', priority: 100, subject: { namespaces: {} } });
    const v = model(p, denyAllIngress('shop')).check({ from: 'fe/client', to: 'shop/web', port: 80 });
    expect(v.ingress.trace[0]).toBe('tier default (order 1000000, defaultAction Deny): 1 policy selects shop/web for ingress');
  });

  test('"with Namespaces subject and multiple peers": any peer matches', () => {
    const p = cnpOn('peers', 'Admin', 100, 'shop', {
      ingress: [{ action: 'Deny', from: [fromNs('fe'), { namespaces: { matchLabels: { team: 'ops' } } }] }],
    });
    const m = model(p);
    expect(m.check({ from: 'fe/client', to: 'shop/web', port: 80 }).ingress.trace).toContain('    ingress rule 0 (Deny): match via from[0]: deny');
    expect(m.check({ from: 'ops/probe', to: 'shop/web', port: 80 }).ingress.trace).toContain('    ingress rule 0 (Deny): match via from[1]: deny');
    // Pods of the subject's own namespace are not in the peers.
    expect(m.check({ from: 'shop/db', to: 'shop/web', port: 80 }).allowed).toBe(true);
  });

  test('"with Pods subject and multiple peers": the subject is the pods of the pod selector in the selected namespaces', () => {
    const p = cnp('pods-subject', {
      tier: 'Admin',
      priority: 100,
      subject: { pods: { namespaceSelector: { matchLabels: { team: 'shop' } }, podSelector: { matchLabels: { app: 'web' } } } },
      ingress: [{ action: 'Deny', from: [{ pods: { namespaceSelector: { matchLabels: { team: 'fe' } }, podSelector: { matchLabels: { app: 'client' } } } }] }],
    });
    const m = model(p);
    const toWeb = m.check({ from: 'fe/client', to: 'shop/web', port: 80 });
    expect(toWeb.allowed).toBe(false);
    expect(toWeb.ingress.trace[1]).toBe('  ClusterNetworkPolicy pods-subject (order 100, selector pods {app=web} in namespaces {team=shop})');
    // shop/db is not in the subject; ops/probe is not a peer.
    expect(m.check({ from: 'fe/client', to: 'shop/db', port: 80 }).allowed).toBe(true);
    expect(m.check({ from: 'ops/probe', to: 'shop/web', port: 80 }).allowed).toBe(true);
  });

  test('"with a DoesNotExist expression" and the other operators', () => {
    const p = cnp('expressions', {
      tier: 'Admin',
      priority: 100,
      subject: { namespaces: { matchExpressions: [{ key: 'label', operator: 'DoesNotExist' }] } },
      ingress: [{
        action: 'Deny',
        from: [{ namespaces: { matchExpressions: [{ key: 'team', operator: 'In', values: ['shop', 'ops'] }, { key: 'k', operator: 'DoesNotExist' }] } }],
      }],
    });
    const m = model(p);
    // Subject: namespaces without the label "label": fe and ops, not shop.
    expect(m.check({ from: 'ops/probe', to: 'fe/client', port: 80 }).allowed).toBe(false);
    expect(m.check({ from: 'ops/probe', to: 'shop/web', port: 80 }).allowed).toBe(true);
    // Peer: team in (shop, ops) and no label k: ops and shop, not fe.
    expect(m.check({ from: 'shop/web', to: 'fe/client', port: 80 }).allowed).toBe(false);
    expect(m.check({ from: 'fe/client', to: 'ops/probe', port: 80 }).allowed).toBe(true);
  });

  test('"with multiple peers and ports": one Calico rule per protocol (sorted: named ports, SCTP, TCP, UDP) and peer', () => {
    const p = cnpOn('multi', 'Admin', 100, 'shop', {
      ingress: [{
        name: 'multi',
        action: 'Deny',
        from: [fromNs('fe'), fromNs('ops')],
        protocols: [
          tcp(80),
          { udp: { destinationPort: { number: 53 } } },
          { tcp: { destinationPort: { range: { start: 2000, end: 3000 } } } },
          { sctp: { destinationPort: { number: 9 } } },
          { destinationNamedPort: 'http' },
        ],
      }],
    });
    const m = model(p);
    const deniedVia = (flow: any): string | undefined => {
      const v = m.check({ to: 'shop/web', ...flow });
      return v.allowed ? undefined : v.ingress.trace.find((l) => l.includes('match via'));
    };
    expect(deniedVia({ from: 'ops/probe', port: 2500 })).toBe('    ingress rule 0 "multi" (Deny): match via from[1] TCP: deny');
    expect(deniedVia({ from: 'fe/client', protocol: 'UDP', port: 53 })).toBe('    ingress rule 0 "multi" (Deny): match via from[0] UDP: deny');
    expect(deniedVia({ from: 'fe/client', protocol: 'SCTP', port: 9 })).toBe('    ingress rule 0 "multi" (Deny): match via from[0] SCTP: deny');
    // The named port has no protocol: it matches the container port "http" (TCP 8080) of the destination.
    expect(deniedVia({ from: 'fe/client', port: 8080 })).toBe('    ingress rule 0 "multi" (Deny): match via from[0] named ports: deny');
    expect(deniedVia({ from: 'fe/client', port: 'http' })).toBe('    ingress rule 0 "multi" (Deny): match via from[0] named ports: deny');
    expect(deniedVia({ from: 'fe/client', protocol: 'UDP', port: 8080 })).toBeUndefined();
    expect(deniedVia({ from: 'fe/client', port: 53 })).toBeUndefined();
    expect(deniedVia({ from: 'fe/client', port: 3001 })).toBeUndefined();
    // The order of the alternatives is Calico's: the "" (named ports) group first, then SCTP, TCP, UDP; peers within each.
    const miss = m.check({ from: 'fe/client', to: 'shop/web', port: 4000 }).ingress.trace.find((l) => l.includes('no match'))!;
    expect(miss.split('; ').map((part) => part.replace(/^.*no match: /, '').split(':')[0])).toEqual([
      'from[0] named ports', 'from[1] named ports', 'from[0] SCTP', 'from[1] SCTP', 'from[0] TCP', 'from[1] TCP', 'from[0] UDP', 'from[1] UDP',
    ]);
  });

  test('a named port without protocol matches the container port of that name whatever its protocol (Felix ProtocolAny)', () => {
    const p = cnpOn('named', 'Admin', 100, 'shop', { ingress: [{ action: 'Deny', from: [fromNs('fe')], protocols: [{ destinationNamedPort: 'dns' }] }] });
    const m = model(p);
    expect(m.check({ from: 'fe/client', to: 'shop/web', protocol: 'UDP', port: 5353 }).allowed).toBe(false);
    expect(m.check({ from: 'fe/client', to: 'shop/web', protocol: 'TCP', port: 5353 }).allowed).toBe(true);
  });

  test('"with empty namespaces in Subject": every pod of every namespace', () => {
    const p = cnp('all', { tier: 'Admin', priority: 100, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] });
    const m = model(p);
    for (const to of ['shop/web', 'shop/db', 'ops/probe']) {
      expect(m.check({ from: 'fe/client', to, port: 80 }).allowed).toBe(false);
    }
    // An empty namespaces peer is every pod, not addresses outside the cluster.
    expect(m.check({ from: 'ip:203.0.113.9', to: 'shop/web', port: 80 }).allowed).toBe(true);
  });

  test('"with empty podSelector in Subject": every pod of the selected namespaces', () => {
    const p = cnp('empty-pods', {
      tier: 'Admin',
      priority: 100,
      subject: { pods: { namespaceSelector: { matchLabels: { team: 'shop' } }, podSelector: {} } },
      ingress: [{ action: 'Deny', from: [{ pods: { podSelector: {} } }] }],
    });
    const m = model(p);
    expect(m.check({ from: 'fe/client', to: 'shop/db', port: 80 }).allowed).toBe(false);
    expect(m.check({ from: 'fe/client', to: 'ops/probe', port: 80 }).allowed).toBe(true);
  });

  test('"with a Networks peer": egress to addresses in the networks, and to pods whose address is in them', () => {
    const p = cnpOn('nets', 'Admin', 100, 'shop', { egress: [{ action: 'Deny', to: [{ networks: ['10.10.10.0/24'] }] }] });
    const m = model(p);
    expect(m.check({ from: 'shop/web', to: 'ip:10.10.10.7', port: 443 }).egress).toMatchObject({ allowed: false, tier: 'kube-admin' });
    expect(m.check({ from: 'shop/web', to: 'ip:10.10.11.7', port: 443 }).allowed).toBe(true);
    // Rendered for IPv4 only (felix FilterRuleToIPVersion).
    expect(m.check({ from: 'shop/web', to: 'ip:fd00::1', port: 443 }).allowed).toBe(true);
  });

  test('"with an any address Network peer": 0.0.0.0/0 also matches pod-to-pod traffic (the API warns of it)', () => {
    const p = cnpOn('any', 'Admin', 100, 'shop', { egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] });
    const m = model(p);
    expect(m.check({ from: 'shop/web', to: 'fe/client', port: 80 }).allowed).toBe(false);
    expect(m.check({ from: 'shop/web', to: 'ip:8.8.8.8', protocol: 'UDP', port: 53 }).allowed).toBe(false);
  });

  test('"with a Networks peer and ports", and host bits set (Calico masks them: cnet.ParseCIDR)', () => {
    const p = cnpOn('nets-ports', 'Admin', 100, 'shop', {
      egress: [{ name: 'no smtp', action: 'Deny', to: [{ networks: ['203.0.113.77/24', 'fd00::/8'] }], protocols: [tcp(25)] }],
    });
    const m = model(p);
    expect(m.check({ from: 'shop/web', to: 'ip:203.0.113.1', port: 25 }).egress.reason)
      .toBe('egress rule 0 "no smtp" (Deny) of ClusterNetworkPolicy nets-ports in tier kube-admin');
    expect(m.check({ from: 'shop/web', to: 'ip:fd00::25', port: 25 }).allowed).toBe(false);
    expect(m.check({ from: 'shop/web', to: 'ip:203.0.113.1', port: 587 }).allowed).toBe(true);
  });

  test('the CRD refuses what Calico\'s tests feed its converter (never stored by the API server): errors name object and field', () => {
    const badRange = cnpOn('test.policy', 'Admin', 300, 'shop', {
      ingress: [{ action: 'Accept', from: [fromNs('fe')], protocols: [tcp(80), { tcp: { destinationPort: { range: { start: 1000, end: 10 } } } }] }],
    });
    expect(() => model(badRange)).toThrow(
      'ClusterNetworkPolicy test.policy (policy.networking.k8s.io/v1alpha2): spec.ingress[0].protocols[1].tcp.destinationPort.range: '
      + 'start (1000) is greater than end (10); the start port must be less than the end port',
    );
    const badCidr = cnpOn('test.policy', 'Admin', 200, 'shop', { egress: [{ action: 'Deny', to: [fromNs('fe'), { networks: ['10.10.10.0/24', '1.1.1.1/66'] }] }] });
    expect(() => model(badCidr)).toThrow(/spec\.egress\[0\]\.to\[1\]\.networks\[1\]: "1\.1\.1\.1\/66" is not a valid CIDR: "\/66" is not a valid prefix length for IPv4/);
    const noPeerField = cnpOn('test.policy', 'Admin', 100, 'shop', { ingress: [{ action: 'Deny', from: [{}] }] });
    expect(() => model(noPeerField)).toThrow(/spec\.ingress\[0\]\.from\[0\]: a peer needs exactly one of namespaces, pods; none is set/);
    const both = cnpOn('test.policy', 'Admin', 100, 'shop', { ingress: [{ action: 'Deny', from: [{ ...fromNs('fe'), pods: { podSelector: {} } }] }] });
    expect(() => model(both)).toThrow(/spec\.ingress\[0\]\.from\[0\]: a peer needs exactly one of namespaces, pods; namespaces and pods are set/);
    // "malformed policies" (Calico: a tombstone): an invalid tier, no subject.
    expect(() => model(cnp('t', { tier: 'Invalid', priority: 1, subject: { namespaces: {} } }))).toThrow(/spec\.tier: "Invalid" is not a tier; use Admin or Baseline/);
    expect(() => model(cnp('t', { tier: 'Admin', priority: 1 }))).toThrow(/spec\.subject: missing; select the pods the policy applies to with namespaces or pods/);
    expect(() => model(cnp('t', { tier: 'Admin', priority: 1, subject: {} }))).toThrow(/spec\.subject: a subject needs exactly one of namespaces, pods; none is set/);
  });
});

describe('rules Calico cannot convert fail closed (k8sClusterNetPolHandleFailedRules)', () => {
  // The CRD accepts any destinationNamedPort; Calico's numorstring.NamedPort refuses names outside [a-zA-Z0-9_.-]{1,128}.
  const bad = { destinationNamedPort: 'http port' };

  test('a Deny rule becomes "deny all": every peer, protocol and port', () => {
    const p = cnpOn('fc', 'Admin', 100, 'shop', { ingress: [{ name: 'bad', action: 'Deny', from: [fromNs('fe')], protocols: [bad] }] });
    const m = model(p);
    const v = m.check({ from: 'ops/probe', to: 'shop/web', protocol: 'UDP', port: 9 });
    expect(v.allowed).toBe(false);
    expect(v.ingress.trace).toContain(
      '    ingress rule 0 "bad" (Deny): match via fail-closed: Calico cannot convert this Deny rule (protocols[0].destinationNamedPort "http port" '
      + 'is not a port name Calico accepts (1-128 letters, digits, \'_\', \'.\' or \'-\')) and replaces it by "deny all": deny',
    );
    expect(m.check({ from: 'ip:203.0.113.1', to: 'shop/web', protocol: 'ICMP' }).allowed).toBe(false);
  });

  test('a Pass rule becomes "deny all" too (a Deny, not a Pass)', () => {
    const p = cnpOn('fc', 'Admin', 100, 'shop', { egress: [{ action: 'Pass', to: [fromNs('fe')], protocols: [bad] }] });
    const v = model(p).check({ from: 'shop/web', to: 'ops/probe', port: 80 });
    expect(v.egress).toMatchObject({ allowed: false, action: 'Deny', tier: 'kube-admin' });
  });

  test('an Accept rule is dropped: it matches nothing, and without other rules the policy has no such type', () => {
    const only = cnpOn('fc', 'Admin', 100, 'shop', { ingress: [{ action: 'Accept', from: [fromNs('fe')], protocols: [bad] }] });
    const v1 = model(only, denyAllIngress('shop')).check({ from: 'fe/client', to: 'shop/web', port: 80 });
    expect(v1.allowed).toBe(false);
    expect(v1.ingress.trace[0]).toBe('tier default (order 1000000, defaultAction Deny): 1 policy selects shop/web for ingress');

    const withDeny = cnpOn('fc', 'Admin', 100, 'shop', {
      ingress: [{ action: 'Accept', from: [fromNs('fe')], protocols: [bad] }, { action: 'Deny', from: [fromNs('fe')] }],
    });
    const v2 = model(withDeny).check({ from: 'fe/client', to: 'shop/web', port: 80 });
    expect(v2.ingress).toMatchObject({ allowed: false, ruleIndex: 1 });
    expect(v2.ingress.trace).toContain(
      '    ingress rule 0 (Allow): no match: dropped by Calico: source: fe/client does not match the rule, which Calico drops: it cannot convert '
      + 'this Accept rule (protocols[0].destinationNamedPort "http port" is not a port name Calico accepts (1-128 letters, digits, \'_\', \'.\' or \'-\'))',
    );
  });

  test('an empty destinationNamedPort (valid in the CRD) is "no port" to Calico: the rule matches every protocol and port', () => {
    const p = cnpOn('empty-name', 'Admin', 100, 'shop', { ingress: [{ action: 'Deny', from: [fromNs('fe')], protocols: [tcp(80), { destinationNamedPort: '' }] }] });
    const m = model(p);
    expect(m.check({ from: 'fe/client', to: 'shop/web', protocol: 'UDP', port: 9 }).allowed).toBe(false);
    expect(m.check({ from: 'ops/probe', to: 'shop/web', protocol: 'UDP', port: 9 }).allowed).toBe(true);
  });
});

describe('tiers: a user tier, kube-admin, default, kube-baseline', () => {
  const allowFe = (name: string, tierName: string, priority: number) => cnpOn(name, tierName, priority, 'shop', { ingress: [{ action: 'Accept', from: [fromNs('fe')] }] });
  const denyFe = (name: string, tierName: string, priority: number) => cnpOn(name, tierName, priority, 'shop', { ingress: [{ action: 'Deny', from: [fromNs('fe')] }] });
  const passFe = (name: string, tierName: string, priority: number) => cnpOn(name, tierName, priority, 'shop', { ingress: [{ action: 'Pass', from: [fromNs('fe')] }] });
  const flow = { from: 'fe/client', to: 'shop/web', port: 80 };
  const k8sAllowFe = k8sPolicy('shop', 'allow-fe', {
    podSelector: {},
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'fe' } } }] }],
  });

  test('a user tier at order 100 decides before kube-admin (order 1000)', () => {
    const security = tier('security', 100);
    const deny = globalPolicy('security.deny-fe', { tier: 'security', order: 1, selector: 'projectcalico.org/namespace == "shop"', ingress: [{ action: 'Deny', source: { namespaceSelector: 'team == "fe"' } }] });
    const v = model(security, deny, allowFe('allow-fe', 'Admin', 1)).check(flow);
    expect(v.ingress).toMatchObject({ allowed: false, tier: 'security', policy: 'GlobalNetworkPolicy security.deny-fe' });

    const pass = globalPolicy('security.pass', { tier: 'security', order: 1, selector: 'all()', ingress: [{ action: 'Pass' }] });
    const v2 = model(security, pass, denyFe('deny-fe', 'Admin', 1), k8sAllowFe).check(flow);
    expect(v2.ingress).toMatchObject({ allowed: false, tier: 'kube-admin', policy: 'ClusterNetworkPolicy deny-fe' });
    expect(v2.ingress.trace.filter((l) => l.startsWith('tier '))).toEqual([
      'tier security (order 100, defaultAction Deny): 1 policy selects shop/web for ingress',
      'tier kube-admin (order 1000, defaultAction Pass): 1 policy selects shop/web for ingress',
    ]);
  });

  test('Admin Accept is final: a Kubernetes default-deny in the default tier does not apply', () => {
    const v = model(allowFe('allow-fe', 'Admin', 1), denyAllIngress('shop')).check(flow);
    expect(v.ingress).toMatchObject({ allowed: true, tier: 'kube-admin', action: 'Allow' });
  });

  test('Admin Deny is final: a Kubernetes NetworkPolicy that allows does not apply', () => {
    expect(model(denyFe('deny-fe', 'Admin', 1), k8sAllowFe).check(flow).ingress).toMatchObject({ allowed: false, tier: 'kube-admin' });
  });

  test('Admin Pass goes on to the NetworkPolicies of the default tier, skipping the rest of kube-admin', () => {
    // pass (priority 1) before deny (priority 2): the deny is skipped, the default tier decides.
    const m = model(passFe('pass-fe', 'Admin', 1), denyFe('deny-fe', 'Admin', 2), k8sAllowFe);
    const v = m.check(flow);
    expect(v.ingress).toMatchObject({ allowed: true, tier: 'default', policy: 'Kubernetes NetworkPolicy shop/allow-fe' });
    expect(v.ingress.trace).toContain('    ingress rule 0 (Pass): match via from[0]: pass to the next tier');
    expect(v.ingress.trace.join('\n')).not.toContain('ClusterNetworkPolicy deny-fe');
    expect(model(passFe('pass-fe', 'Admin', 1), denyAllIngress('shop')).check(flow).allowed).toBe(false);
  });

  test('the end of kube-admin passes: a CNP whose rules do not match lets the next tiers decide', () => {
    const v = model(denyFe('deny-fe', 'Admin', 1)).check({ from: 'ops/probe', to: 'shop/web', port: 80 });
    expect(v.allowed).toBe(true);
    expect(v.ingress.decidedBy).toBe(Decision.PROFILE_ALLOW);
    expect(v.ingress.trace).toContain('  end of tier kube-admin without a verdict: defaultAction Pass, go to the next tier');
  });

  test('Baseline applies only where no NetworkPolicy selects the pod', () => {
    // No NetworkPolicy: the baseline deny decides.
    expect(model(denyFe('baseline-deny', 'Baseline', 1)).check(flow).ingress).toMatchObject({ allowed: false, tier: 'kube-baseline' });
    // A NetworkPolicy that allows: it decides first.
    expect(model(denyFe('baseline-deny', 'Baseline', 1), k8sAllowFe).check(flow).ingress).toMatchObject({ allowed: true, tier: 'default' });
    // A NetworkPolicy default-deny: the end of the default tier drops; the baseline Accept is never reached.
    const v = model(allowFe('baseline-allow', 'Baseline', 1), denyAllIngress('shop')).check(flow);
    expect(v.ingress).toMatchObject({ allowed: false, decidedBy: Decision.END_OF_TIER, tier: 'default' });
  });

  test('the end of kube-baseline passes: the namespace profile allows', () => {
    const v = model(denyFe('baseline-deny', 'Baseline', 1)).check({ from: 'ops/probe', to: 'shop/web', port: 80 });
    expect(v.ingress.trace.slice(-2)).toEqual([
      '  end of tier kube-baseline without a verdict: defaultAction Pass, go to the next tier',
      'all applicable tiers passed: the namespace profile allows',
    ]);
  });

  test('Admin Pass, then Baseline: the four tiers in order', () => {
    const security = tier('security', 100);
    const secPass = globalPolicy('security.pass', { tier: 'security', order: 1, selector: 'all()', ingress: [{ action: 'Pass' }] });
    const v = model(security, secPass, passFe('admin-pass', 'Admin', 5), denyFe('baseline-deny', 'Baseline', 5)).check(flow);
    expect(v.ingress).toMatchObject({ allowed: false, tier: 'kube-baseline', policy: 'ClusterNetworkPolicy baseline-deny' });
    expect(v.ingress.trace.filter((l) => l.startsWith('tier '))).toEqual([
      'tier security (order 100, defaultAction Deny): 1 policy selects shop/web for ingress',
      'tier kube-admin (order 1000, defaultAction Pass): 1 policy selects shop/web for ingress',
      'tier kube-baseline (order 10000000, defaultAction Pass): 1 policy selects shop/web for ingress',
    ]);
  });
});

describe('order within a tier', () => {
  const flow = { from: 'fe/client', to: 'shop/web', port: 80 };
  const rule = (action: string) => ({ ingress: [{ action, from: [fromNs('fe')] }] });

  test('lower priority first (Calico FV "priority ordering": allow at 100 before deny-all at 200)', () => {
    const denyAll = cnp('deny-all-ingress', { tier: 'Admin', priority: 200, subject: { namespaces: {} }, ingress: [{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }] }] });
    const allowTcp = cnp('allow-ingress-tcp', {
      tier: 'Admin',
      priority: 100,
      subject: { namespaces: {} },
      ingress: [{ name: 'allow-tcp', action: 'Accept', from: [{ namespaces: {} }], protocols: [tcp(80)] }],
    });
    expect(model(denyAll, allowTcp).check(flow).ingress).toMatchObject({ allowed: true, policy: 'ClusterNetworkPolicy allow-ingress-tcp' });
    expect(model(denyAll).check(flow).ingress).toMatchObject({ allowed: false, policy: 'ClusterNetworkPolicy deny-all-ingress' });
  });

  test('equal priority: by name ("a" before "b"), whatever the manifest order', () => {
    const a = cnpOn('a', 'Admin', 7, 'shop', rule('Deny'));
    const b = cnpOn('b', 'Admin', 7, 'shop', rule('Accept'));
    expect(model(b, a).check(flow).ingress.policy).toBe('ClusterNetworkPolicy a');
    expect(model(a, b).check(flow).ingress.policy).toBe('ClusterNetworkPolicy a');
  });

  test('a GlobalNetworkPolicy in kube-admin with the same name and order comes first ("a//GlobalNetworkPolicy" < "a//KubernetesClusterNetworkPolicy")', () => {
    const c = cnpOn('a', 'Admin', 7, 'shop', rule('Accept'));
    const g = globalPolicy('a', { tier: 'kube-admin', order: 7, selector: 'all()', ingress: [{ action: 'Deny' }] });
    expect(model(c, g).check(flow).ingress).toMatchObject({ allowed: false, policy: 'GlobalNetworkPolicy a' });
  });

  test('"a-b" sorts before "a" at equal order ("-" < "/"), across kinds', () => {
    const c = cnpOn('a-b', 'Admin', 7, 'shop', rule('Accept'));
    const g = globalPolicy('a', { tier: 'kube-admin', order: 7, selector: 'all()', ingress: [{ action: 'Deny' }] });
    expect(model(g, c).check(flow).ingress).toMatchObject({ allowed: true, policy: 'ClusterNetworkPolicy a-b' });
  });

  test('priority is the order: a kube-admin GlobalNetworkPolicy at order 50 comes before a CNP of priority 100', () => {
    const c = cnpOn('early', 'Admin', 100, 'shop', rule('Accept'));
    const g = globalPolicy('z', { tier: 'kube-admin', order: 50, selector: 'all()', ingress: [{ action: 'Deny' }] });
    expect(model(c, g).check(flow).ingress.policy).toBe('GlobalNetworkPolicy z');
  });

  test('two CNPs of the same name are refused', () => {
    expect(() => model(cnpOn('dup', 'Admin', 1, 'shop', rule('Deny')), cnpOn('dup', 'Baseline', 2, 'shop', rule('Deny'))))
      .toThrow(/ClusterNetworkPolicy dup \(policy\.networking\.k8s\.io\/v1alpha2\): metadata\.name: declared twice/);
  });
});

describe('selectors as Calico converts them', () => {
  test('a namespaces peer is not limited to pods: it also matches a namespaced NetworkSet of those namespaces; a pods peer does not', () => {
    const set = networkSet('fe', 'partners', { role: 'partner' }, ['198.51.100.0/24']);
    const byNs = cnpOn('ns', 'Admin', 1, 'shop', { egress: [{ action: 'Deny', to: [fromNs('fe')] }] });
    expect(model(set, byNs).check({ from: 'shop/web', to: 'ip:198.51.100.1', port: 443 }).allowed).toBe(false);
    const byPods = cnpOn('pods', 'Admin', 1, 'shop', { egress: [{ action: 'Deny', to: [{ pods: { namespaceSelector: fromNs('fe').namespaces, podSelector: {} } }] }] });
    const m = model(set, byPods);
    expect(m.check({ from: 'shop/web', to: 'ip:198.51.100.1', port: 443 }).allowed).toBe(true);
    expect(m.check({ from: 'shop/web', to: 'fe/client', port: 443 }).allowed).toBe(false);
  });

  test('a GlobalNetworkSet is in no namespace: an all-namespaces peer does not match it', () => {
    const set = globalNetworkSet('world', { role: 'world' }, ['192.0.2.0/24']);
    const p = cnpOn('ns', 'Admin', 1, 'shop', { egress: [{ action: 'Deny', to: [{ namespaces: {} }] }] });
    expect(model(set, p).check({ from: 'shop/web', to: 'ip:192.0.2.1', port: 443 }).allowed).toBe(true);
  });

  test('a namespace not declared in the manifests still has its kubernetes.io/metadata.name label', () => {
    const p = cnpOn('undeclared', 'Admin', 1, 'team-x', { ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] });
    const m = NetworkModel.fromManifests([pod('team-x', 'api', { app: 'api' }), pod('fe', 'client', { app: 'client' }), p]);
    expect(m.check({ from: 'fe/client', to: 'team-x/api', port: 80 }).allowed).toBe(false);
  });
});

describe('the model reads ClusterNetworkPolicies only as the API server would store them', () => {
  const valid = (): any => cnpOn('p', 'Admin', 1, 'shop', { ingress: [{ action: 'Deny', from: [fromNs('fe')] }] });
  const with_ = (change: (o: any) => void): any => {
    const o = valid();
    change(o);
    return o;
  };
  const where = 'ClusterNetworkPolicy p (policy.networking.k8s.io/v1alpha2)';

  test.each([
    ['another version', (o: any) => { o.apiVersion = 'policy.networking.k8s.io/v1alpha1'; }, 'ClusterNetworkPolicy p (policy.networking.k8s.io/v1alpha1): apiVersion: "policy.networking.k8s.io/v1alpha1" does not serve ClusterNetworkPolicy; use policy.networking.k8s.io/v1alpha2'],
    ['no name', (o: any) => { delete o.metadata.name; }, 'ClusterNetworkPolicy (unnamed) (policy.networking.k8s.io/v1alpha2): metadata.name: missing; every object needs a name'],
    ['an invalid name', (o: any) => { o.metadata.name = 'Deny_All'; }, 'metadata.name: "Deny_All" is not a valid object name'],
    ['no spec', (o: any) => { delete o.spec; }, `${where}: spec: missing; a ClusterNetworkPolicy needs tier, priority and subject`],
    ['a spec that is not an object', (o: any) => { o.spec = []; }, `${where}: spec: expected the spec object (tier, priority, subject, ingress, egress), got []`],
    ['no tier', (o: any) => { delete o.spec.tier; }, `${where}: spec.tier: missing; set Admin (evaluated before NetworkPolicies) or Baseline (after them)`],
    ['a lower-case tier', (o: any) => { o.spec.tier = 'admin'; }, `${where}: spec.tier: "admin" is not a tier; use Admin or Baseline (case-sensitive)`],
    ['no priority', (o: any) => { delete o.spec.priority; }, `${where}: spec.priority: missing; set a whole number from 0 to 1000`],
    ['priority 1001', (o: any) => { o.spec.priority = 1001; }, `${where}: spec.priority: 1001 is not a valid priority; use a whole number from 0 to 1000`],
    ['priority 1.5', (o: any) => { o.spec.priority = 1.5; }, 'spec.priority: 1.5 is not a valid priority'],
    ['priority as a string', (o: any) => { o.spec.priority = '10'; }, 'spec.priority: "10" is not a valid priority'],
    ['subject with both fields', (o: any) => { o.spec.subject.pods = { podSelector: {} }; }, 'spec.subject: a subject needs exactly one of namespaces, pods; namespaces and pods are set: split them into separate policies'],
    ['subject with networks', (o: any) => { o.spec.subject = { networks: ['10.0.0.0/8'] }; }, 'spec.subject: a subject needs exactly one of namespaces, pods; none is set'],
    ['pods without podSelector', (o: any) => { o.spec.subject = { pods: { namespaceSelector: {} } }; }, 'spec.subject.pods.podSelector: missing; give a label selector, {} for every pod'],
    ['ingress that is not a list', (o: any) => { o.spec.ingress = {}; }, 'spec.ingress: expected a list of rules, got {}'],
    ['26 rules', (o: any) => { o.spec.egress = Array.from({ length: 26 }, () => ({ action: 'Deny', to: [{ namespaces: {} }] })); }, 'spec.egress: 26 rules; the CRD allows at most 25'],
    ['no action', (o: any) => { delete o.spec.ingress[0].action; }, 'spec.ingress[0].action: missing; use Accept, Deny or Pass'],
    ['a Calico action', (o: any) => { o.spec.ingress[0].action = 'Allow'; }, 'spec.ingress[0].action: "Allow" is not an action; use Accept, Deny or Pass (case-sensitive)'],
    ['a rule name of 101 characters', (o: any) => { o.spec.ingress[0].name = 'n'.repeat(101); }, 'spec.ingress[0].name: the name is 101 characters long; use at most 100'],
    ['no from', (o: any) => { delete o.spec.ingress[0].from; }, 'spec.ingress[0].from: missing; list at least one peer (namespaces or pods)'],
    ['an empty from', (o: any) => { o.spec.ingress[0].from = []; }, 'spec.ingress[0].from: the list is empty; give at least 1 peer, or leave the field out'],
    ['networks in an ingress peer', (o: any) => { o.spec.ingress[0].from = [{ networks: ['10.0.0.0/8'] }]; }, 'spec.ingress[0].from[0].networks: ingress peers have no networks in the API (only egress peers do); use namespaces or pods'],
    ['an experimental nodes peer', (o: any) => { o.spec.egress = [{ action: 'Deny', to: [{ nodes: {} }] }]; }, 'spec.egress[0].to[0].nodes: nodes peers are in the experimental channel of network-policy-api only: the standard-channel CRD that Calico v3.32.1 ships does not have them, and Calico does not convert them; use namespaces, pods, networks'],
    ['an experimental domainNames peer', (o: any) => { o.spec.egress = [{ action: 'Deny', to: [{ domainNames: ['example.com'] }] }]; }, 'spec.egress[0].to[0].domainNames: domainNames peers are in the experimental channel'],
    ['a repeated network', (o: any) => { o.spec.egress = [{ action: 'Deny', to: [{ networks: ['10.0.0.0/8', '10.0.0.0/8'] }] }]; }, 'spec.egress[0].to[0].networks[1]: "10.0.0.0/8" is listed twice (also at [0]); networks is a set: list each CIDR once'],
    ['an empty networks list', (o: any) => { o.spec.egress = [{ action: 'Deny', to: [{ networks: [] }] }]; }, 'spec.egress[0].to[0].networks: the list is empty; give at least 1 CIDR, or leave the field out'],
    ['a network without prefix', (o: any) => { o.spec.egress = [{ action: 'Deny', to: [{ networks: ['10.0.0.1'] }] }]; }, 'spec.egress[0].to[0].networks[0]: "10.0.0.1" has no prefix length; write "10.0.0.1/32" for this single address'],
    ['an empty protocols list', (o: any) => { o.spec.ingress[0].protocols = []; }, 'spec.ingress[0].protocols: the list is empty; give at least 1 protocol entry, or leave the field out'],
    ['a protocol entry with two fields', (o: any) => { o.spec.ingress[0].protocols = [{ ...tcp(80), destinationNamedPort: 'http' }]; }, 'spec.ingress[0].protocols[0]: a protocol entry needs exactly one of tcp, udp, sctp or destinationNamedPort; tcp and destinationNamedPort are set: use one entry each'],
    ['tcp without destinationPort', (o: any) => { o.spec.ingress[0].protocols = [{ tcp: {} }]; }, 'spec.ingress[0].protocols[0].tcp.destinationPort: missing; give { number: 443 } or { range: { start: 8000, end: 8080 } } (for every TCP port: a range from 1 to 65535)'],
    ['port 0', (o: any) => { o.spec.ingress[0].protocols = [{ udp: { destinationPort: { number: 0 } } }]; }, 'spec.ingress[0].protocols[0].udp.destinationPort.number: 0 is not a port number; use a whole number from 1 to 65535'],
    ['number and range', (o: any) => { o.spec.ingress[0].protocols = [{ tcp: { destinationPort: { number: 1, range: { start: 1, end: 2 } } } }]; }, 'spec.ingress[0].protocols[0].tcp.destinationPort: needs number or range, not both'],
    ['a range of one port', (o: any) => { o.spec.ingress[0].protocols = [{ sctp: { destinationPort: { range: { start: 9, end: 9 } } } }]; }, 'spec.ingress[0].protocols[0].sctp.destinationPort.range: start and end are both 9; the start port must be less than the end port: use { number: 9 } for one port'],
    ['a named port that is not a string', (o: any) => { o.spec.ingress[0].protocols = [{ destinationNamedPort: 80 }]; }, 'spec.ingress[0].protocols[0].destinationNamedPort: expected a container port name, got 80'],
    ['In without values', (o: any) => { o.spec.ingress[0].from = [{ namespaces: { matchExpressions: [{ key: 'team', operator: 'In' }] } }]; }, 'spec.ingress[0].from[0].namespaces.matchExpressions[0].values: operator In needs at least one value'],
    ['Exists with values', (o: any) => { o.spec.subject = { namespaces: { matchExpressions: [{ key: 'team', operator: 'Exists', values: ['x'] }] } }; }, 'spec.subject.namespaces.matchExpressions[0].values: operator Exists takes no values; remove them'],
    ['an unknown operator', (o: any) => { o.spec.subject = { namespaces: { matchExpressions: [{ key: 'team', operator: 'Equals', values: ['x'] }] } }; }, 'spec.subject.namespaces.matchExpressions[0].operator: "Equals" is not a label selector operator; use In, NotIn, Exists or DoesNotExist'],
    ['an invalid label key', (o: any) => { o.spec.subject = { namespaces: { matchLabels: { 'my team': 'x' } } }; }, 'spec.subject.namespaces.matchLabels: "my team" is not a valid label key'],
    ['an invalid label value', (o: any) => { o.spec.subject = { namespaces: { matchLabels: { team: 'a b' } } }; }, 'spec.subject.namespaces.matchLabels["team"]: "a b" is not a valid label value'],
  ])('%s', (_what, change, message) => {
    expect(() => model(with_(change))).toThrow(message);
  });

  test('a valid object is read, and unknown fields are ignored (the API server prunes them)', () => {
    expect(() => model(valid())).not.toThrow();
    expect(() => model(with_((o) => { o.spec.ingress[0].comment = 'x'; }))).not.toThrow();
  });

  test('the RBAC catalogue has the kind: cluster-scoped, in the version the model reads', () => {
    expect(findKind(POLICY_NETWORKING_GROUP, 'ClusterNetworkPolicy')).toMatchObject({ resource: 'clusternetworkpolicies', namespaced: false, versions: ['v1alpha2'] });
    expect(isClusterScopedKind(CNP_API_VERSION, 'ClusterNetworkPolicy')).toBe(true);
  });
});

describe('matrix', () => {
  test('CNP verdicts are in the reachability matrix', () => {
    const p = cnpOn('deny-fe', 'Admin', 1, 'shop', { ingress: [{ action: 'Deny', from: [fromNs('fe')] }] });
    const matrix = model(p).matrix({ ports: [{ protocol: 'TCP', port: 80 }] });
    const cell = (from: string, to: string) => matrix.cells.find((c: any) => c.from === from && c.to === to);
    expect(cell('fe/client', 'shop/web')?.allowed).toBe(false);
    expect(cell('fe/client', 'shop/db')?.allowed).toBe(false);
    expect(cell('ops/probe', 'shop/web')?.allowed).toBe(true);
    expect(cell('shop/web', 'fe/client')?.allowed).toBe(true);
  });
});
