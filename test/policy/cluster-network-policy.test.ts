import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { crdSchemaErrors, expectValidCrdObject } from './crd-schema';
import {
  ClusterNetworkPolicy,
  ClusterNetworkPolicyAction,
  ClusterNetworkPolicyEgressRule,
  ClusterNetworkPolicyIngressRule,
  ClusterNetworkPolicyPeer,
  ClusterNetworkPolicySubject,
  ClusterNetworkPolicyTier,
  Decision,
  NetworkModel,
  networkPolicyApi,
  Port,
  Selector,
  Tier,
} from '../../src';

/** Synthesizes the chart and checks every object against its pinned CRD. */
function synth(chart: Chart): any[] {
  const manifests = Testing.synth(chart);
  manifests.forEach(expectValidCrdObject);
  return manifests;
}

const pods = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments', labels: { tier: 'data' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fe' } },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'db', namespace: 'payments', labels: { app: 'db' } },
    spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'metrics', containerPort: 9090 }] }] },
  },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'prom', namespace: 'monitoring', labels: { app: 'prom' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'fe', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
];

describe('ClusterNetworkPolicy', () => {
  test('renders the CRD shape, valid against the pinned CRD', () => {
    const chart = Testing.chart();
    const cnp = new ClusterNetworkPolicy(chart, 'protect-payments', {
      metadata: { name: 'protect-payments', labels: { owner: 'security' } },
      tier: ClusterNetworkPolicyTier.ADMIN,
      priority: 10,
      subject: ClusterNetworkPolicySubject.namespaces('payments'),
      ingress: [
        {
          name: 'allow-monitoring',
          action: ClusterNetworkPolicyAction.ACCEPT,
          from: [ClusterNetworkPolicyPeer.namespaces('monitoring')],
          ports: [Port.named('metrics'), Port.tcp(9090), Port.udpRange(8000, 8080), Port.sctpRange(9, 9)],
        },
        { name: 'deny-rest', action: ClusterNetworkPolicyAction.DENY, from: [ClusterNetworkPolicyPeer.allNamespaces()] },
      ],
    });
    cnp.addEgressRule({
      action: ClusterNetworkPolicyAction.PASS,
      to: [ClusterNetworkPolicyPeer.networks('10.0.0.0/8', 'fd00::/8'), ClusterNetworkPolicyPeer.pods(Selector.label('app').eq('db'), Selector.label('tier').in(['data']))],
    });
    expect(synth(chart)).toEqual([
      {
        apiVersion: 'policy.networking.k8s.io/v1alpha2',
        kind: 'ClusterNetworkPolicy',
        metadata: { name: 'protect-payments', labels: { owner: 'security' } },
        spec: {
          tier: 'Admin',
          priority: 10,
          subject: { namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['payments'] }] } },
          ingress: [
            {
              name: 'allow-monitoring',
              action: 'Accept',
              from: [{ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['monitoring'] }] } }],
              protocols: [
                { destinationNamedPort: 'metrics' },
                { tcp: { destinationPort: { number: 9090 } } },
                { udp: { destinationPort: { range: { start: 8000, end: 8080 } } } },
                { sctp: { destinationPort: { number: 9 } } },
              ],
            },
            { name: 'deny-rest', action: 'Deny', from: [{ namespaces: {} }] },
          ],
          egress: [
            {
              action: 'Pass',
              to: [
                { networks: ['10.0.0.0/8', 'fd00::/8'] },
                { pods: { podSelector: { matchLabels: { app: 'db' } }, namespaceSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['data'] }] } } },
              ],
            },
          ],
        },
      },
    ]);
    expect(cnp.name).toBe('protect-payments');
    expect(cnp.tier).toBe(ClusterNetworkPolicyTier.ADMIN);
    expect(cnp.calicoTier).toBe(Tier.KUBE_ADMIN);
    expect(cnp.priority).toBe(10);
    expect(cnp.subject.description).toBe('pods in namespaces payments');
    // The construct is the object itself, of the generated type's group, version and kind.
    expect(cnp.apiObject).toBe(cnp);
    const gvk = networkPolicyApi.ClusterNetworkPolicy.GVK;
    expect([cnp.apiVersion, cnp.kind]).toEqual([gvk.apiVersion, gvk.kind]);
    expect(cnp instanceof ClusterNetworkPolicy && !(new ApiObject(chart, 'other', { apiVersion: 'v1', kind: 'ConfigMap' }) instanceof ClusterNetworkPolicy)).toBe(true);
  });

  test('is read by the network model as Calico enforces it', () => {
    const chart = Testing.chart();
    new ClusterNetworkPolicy(chart, 'protect-payments', {
      metadata: { name: 'protect-payments' },
      tier: ClusterNetworkPolicyTier.ADMIN,
      priority: 10,
      subject: ClusterNetworkPolicySubject.namespaces('payments'),
      ingress: [
        { name: 'allow-monitoring', action: ClusterNetworkPolicyAction.ACCEPT, from: [ClusterNetworkPolicyPeer.namespaces('monitoring')], ports: [Port.named('metrics')] },
        { name: 'deny-rest', action: ClusterNetworkPolicyAction.DENY, from: [ClusterNetworkPolicyPeer.allNamespaces()] },
      ],
    });
    const model = NetworkModel.fromManifests([...pods, ...synth(chart)]);
    expect(model.check({ from: 'monitoring/prom', to: 'payments/db', port: 9090 }).ingress.reason)
      .toBe('ingress rule 0 "allow-monitoring" (Allow) of ClusterNetworkPolicy protect-payments in tier kube-admin');
    expect(model.check({ from: 'monitoring/prom', to: 'payments/db', port: 80 }).ingress.reason)
      .toBe('ingress rule 1 "deny-rest" (Deny) of ClusterNetworkPolicy protect-payments in tier kube-admin');
    expect(model.check({ from: 'fe/web', to: 'payments/db', port: 9090 }).allowed).toBe(false);
    expect(model.check({ from: 'fe/web', to: 'monitoring/prom', port: 9090 }).ingress.decidedBy).toBe(Decision.NO_POLICY);
  });

  test('a Baseline policy is in kube-baseline', () => {
    const chart = Testing.chart();
    const cnp = new ClusterNetworkPolicy(chart, 'baseline', {
      tier: ClusterNetworkPolicyTier.BASELINE,
      priority: 0,
      subject: ClusterNetworkPolicySubject.allNamespaces(),
      egress: [{ action: ClusterNetworkPolicyAction.DENY, to: [ClusterNetworkPolicyPeer.networks('0.0.0.0/0')] }],
    });
    expect(cnp.calicoTier).toBe(Tier.KUBE_BASELINE);
    const model = NetworkModel.fromManifests([...pods, ...synth(chart)]);
    expect(model.check({ from: 'fe/web', to: 'ip:8.8.8.8', port: 443 }).egress).toMatchObject({ allowed: false, tier: 'kube-baseline' });
  });

  test('rules added later are rendered (lazily), after the ones of the props', () => {
    const chart = Testing.chart();
    const cnp = new ClusterNetworkPolicy(chart, 'p', {
      tier: ClusterNetworkPolicyTier.ADMIN,
      priority: 1,
      subject: ClusterNetworkPolicySubject.allNamespaces(),
      ingress: [{ action: ClusterNetworkPolicyAction.PASS, from: [ClusterNetworkPolicyPeer.namespaces('monitoring')] }],
    });
    cnp.addIngressRule({ action: ClusterNetworkPolicyAction.DENY, from: [ClusterNetworkPolicyPeer.allNamespaces()] });
    const spec = synth(chart)[0].spec;
    expect(spec.ingress.map((r: any) => r.action)).toEqual(['Pass', 'Deny']);
    expect(spec.egress).toBeUndefined();
  });

  test('is cluster-scoped: no namespace even in a namespaced chart; a generated name', () => {
    const chart = new Chart(Testing.app(), 'chart', { namespace: 'shop' });
    const cnp = new ClusterNetworkPolicy(chart, 'p', { tier: ClusterNetworkPolicyTier.ADMIN, priority: 1, subject: ClusterNetworkPolicySubject.allNamespaces() });
    const [object] = synth(chart);
    expect(object.metadata).toEqual({ name: cnp.name });
    expect(cnp.name).toMatch(/^chart-p-c8[0-9a-f]+$/);
    expect(() => new ClusterNetworkPolicy(chart, 'q', {
      metadata: { namespace: 'shop' },
      tier: ClusterNetworkPolicyTier.ADMIN,
      priority: 1,
      subject: ClusterNetworkPolicySubject.allNamespaces(),
    })).toThrow('ClusterNetworkPolicy "chart/q": metadata.namespace: a ClusterNetworkPolicy is cluster-scoped and has no namespace; remove metadata.namespace');
  });

  test('the apiObject escape hatch patches the rendered object', () => {
    const chart = Testing.chart();
    const cnp = new ClusterNetworkPolicy(chart, 'p', { metadata: { name: 'p' }, tier: ClusterNetworkPolicyTier.ADMIN, priority: 1, subject: ClusterNetworkPolicySubject.allNamespaces() });
    cnp.apiObject.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'example.com/ticket': 'SEC-1' }));
    expect(synth(chart)[0].metadata).toEqual({ name: 'p', annotations: { 'example.com/ticket': 'SEC-1' } });
  });
});

describe('subjects and peers', () => {
  test.each([
    ['Subject.allNamespaces()', ClusterNetworkPolicySubject.allNamespaces()._render(), { namespaces: {} }],
    [
      'Subject.namespaceSelector()',
      ClusterNetworkPolicySubject.namespaceSelector(Selector.parse('team == "a" && !has(legacy)'))._render(),
      { namespaces: { matchLabels: { team: 'a' }, matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }] } },
    ],
    ['Subject.pods()', ClusterNetworkPolicySubject.pods(Selector.label('app').eq('db'))._render(), { pods: { podSelector: { matchLabels: { app: 'db' } }, namespaceSelector: {} } }],
    [
      'Subject.podsInNamespaces()',
      ClusterNetworkPolicySubject.podsInNamespaces(Selector.all(), 'a', 'b')._render(),
      { pods: { podSelector: {}, namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['a', 'b'] }] } } },
    ],
    ['Peer.namespaceSelector()', ClusterNetworkPolicyPeer.namespaceSelector(Selector.has('team'))._render(), { namespaces: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }],
    [
      'Peer.podsInNamespaces()',
      ClusterNetworkPolicyPeer.podsInNamespaces(Selector.label('app').notIn(['x']), 'ops')._render(),
      { pods: { podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['x'] }] }, namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ops'] }] } } },
    ],
  ])('%s', (_name, rendered, expected) => {
    expect(JSON.parse(JSON.stringify(rendered))).toEqual(expected);
  });

  test('descriptions', () => {
    expect(ClusterNetworkPolicyPeer.pods(Selector.label('app').eq('db'), Selector.has('team')).toString()).toBe('pods app == "db" in namespaces has(team)');
    expect(ClusterNetworkPolicyPeer.networks('10.0.0.0/8').description).toBe('networks 10.0.0.0/8');
    expect(ClusterNetworkPolicySubject.pods(Selector.all()).description).toBe('pods all() in all namespaces');
  });

  test.each([
    [() => ClusterNetworkPolicyPeer.namespaces(), 'ClusterNetworkPolicyPeer.namespaces(): names: give at least one namespace name (or use allNamespaces())'],
    [() => ClusterNetworkPolicySubject.namespaces('Payments'), 'ClusterNetworkPolicySubject.namespaces(): names[0]: "Payments" is not a valid namespace name'],
    [() => ClusterNetworkPolicyPeer.networks(), 'ClusterNetworkPolicyPeer.networks(): cidrs: give at least one network, e.g. "203.0.113.0/24"'],
    [() => ClusterNetworkPolicyPeer.networks('10.0.0.1/8'), 'ClusterNetworkPolicyPeer.networks(): cidrs[0]: "10.0.0.1/8" is not correctly masked (host bits are set): use "10.0.0.0/8"'],
    [() => ClusterNetworkPolicyPeer.networks('10.0.0.300/32'), 'ClusterNetworkPolicyPeer.networks(): cidrs[0]: "10.0.0.300/32" is not a valid CIDR'],
    [() => ClusterNetworkPolicyPeer.pods(Selector.parse('a == "1" || b == "2"')), 'ClusterNetworkPolicyPeer.pods(): podSelector: the selector "(a == "1" || b == "2")" cannot be written as a Kubernetes label selector '
      + '(only && of ==, !=, in, not in, has() and !has() can); simplify it, or use a Calico GlobalNetworkPolicy'],
    [() => ClusterNetworkPolicySubject.namespaceSelector('team' as any), 'ClusterNetworkPolicySubject.namespaceSelector(): selector: "team" is not a Selector'],
  ])('bad input is refused at once: %#', (make, message) => {
    expect(make).toThrow(message);
  });
});

describe('validation, as the CRD and the API require', () => {
  const subject = ClusterNetworkPolicySubject.allNamespaces();
  const build = (props: any, rule?: { ingress?: any; egress?: any }): ClusterNetworkPolicy => {
    const chart = Testing.chart();
    const cnp = new ClusterNetworkPolicy(chart, 'p', { tier: ClusterNetworkPolicyTier.ADMIN, priority: 1, subject, ...props });
    if (rule?.ingress) {
      cnp.addIngressRule(rule.ingress);
    }
    if (rule?.egress) {
      cnp.addEgressRule(rule.egress);
    }
    return cnp;
  };
  const owner = 'ClusterNetworkPolicy "test/p"';
  const deny = ClusterNetworkPolicyAction.DENY;
  const anyNs = ClusterNetworkPolicyPeer.allNamespaces();

  test.each([
    ['priority below 0', { priority: -1 }, undefined, `${owner}: priority: -1 is not a valid priority; use a whole number from 0 to 1000 (lower priorities are evaluated first within the tier)`],
    ['priority above 1000', { priority: 1001 }, undefined, `${owner}: priority: 1001 is not a valid priority`],
    ['a fractional priority', { priority: 2.5 }, undefined, `${owner}: priority: 2.5 is not a valid priority`],
    ['a tier that is not one', { tier: 'admin' }, undefined, `${owner}: tier: "admin" is not a tier; use ClusterNetworkPolicyTier.ADMIN or ClusterNetworkPolicyTier.BASELINE`],
    ['a subject that is not one', { subject: { namespaces: {} } }, undefined, `${owner}: subject: {"namespaces":{}} is not a ClusterNetworkPolicySubject`],
    ['an invalid name', { metadata: { name: 'Bad_Name' } }, undefined, `${owner}: metadata.name: "Bad_Name" is not a valid object name`],
    ['an invalid label value in a selector (checked as the API server would)', { subject: ClusterNetworkPolicySubject.namespaceSelector(Selector.label('team').eq('a b')) }, undefined,
      `${owner}: spec.subject.namespaces.matchLabels["team"]: "a b" is not a valid label value`],
    ['an ingress rule without peers', {}, { ingress: { action: deny, from: [] } }, `${owner}: spec.ingress[0].from: list at least one peer`],
    ['a peer that is not one', {}, { egress: { action: deny, to: ['10.0.0.0/8'] } }, `${owner}: spec.egress[0].to[0]: "10.0.0.0/8" is not a ClusterNetworkPolicyPeer; use its static factories`],
    ['an action that is not one', {}, { ingress: { action: 'Allow', from: [anyNs] } }, `${owner}: spec.ingress[0].action: "Allow" is not an action; use Accept, Deny or Pass (case-sensitive)`],
    ['a networks peer in an ingress rule', {}, { ingress: { action: deny, from: [ClusterNetworkPolicyPeer.networks('10.0.0.0/8')] } },
      `${owner}: spec.ingress[0].from[0].networks: ingress peers have no networks in the API (only egress peers do); use namespaces or pods`],
    ['a named port towards networks', {}, { egress: { action: deny, to: [ClusterNetworkPolicyPeer.networks('10.0.0.0/8')], ports: [Port.named('http')] } },
      `${owner}: spec.egress[0].ports: a named port only matches pods, and a networks peer has no named ports`],
    ['a named port with a protocol', {}, { ingress: { action: deny, from: [anyNs], ports: [Port.namedUdp('dns')] } },
      `${owner}: spec.ingress[0].ports[0]: a ClusterNetworkPolicy named port has no protocol (it matches the container port of that name, whatever its protocol): use Port.named('dns')`],
    ['a port without protocol', {}, { ingress: { action: deny, from: [anyNs], ports: [Port.number(80)] } },
      `${owner}: spec.ingress[0].ports[0]: port 80 has no protocol; a ClusterNetworkPolicy port is TCP, UDP or SCTP`],
    ['a port that is not a Port', {}, { ingress: { action: deny, from: [anyNs], ports: [80] } }, `${owner}: spec.ingress[0].ports[0]: 80 is not a Port`],
    ['26 ports', {}, { ingress: { action: deny, from: [anyNs], ports: Array.from({ length: 26 }, (_, i) => Port.tcp(i + 1)) } },
      `${owner}: spec.ingress[0].ports: 26 protocol entries; the CRD allows at most 25`],
    ['a rule name of 101 characters', {}, { ingress: { name: 'x'.repeat(101), action: deny, from: [anyNs] } }, `${owner}: spec.ingress[0].name: the name is 101 characters long; use at most 100`],
    ['a network listed twice', {}, { egress: { action: deny, to: [ClusterNetworkPolicyPeer.networks('10.0.0.0/8', '10.0.0.0/8')] } },
      `${owner}: spec.egress[0].to[0].networks[1]: "10.0.0.0/8" is listed twice (also at [0]); networks is a set: list each CIDR once`],
    ['26 networks', {}, { egress: { action: deny, to: [ClusterNetworkPolicyPeer.networks(...Array.from({ length: 26 }, (_, i) => `10.0.${i}.0/24`))] } },
      `${owner}: spec.egress[0].to[0].networks: 26 CIDRs; the CRD allows at most 25`],
    ['a rule that is not an object', {}, { ingress: 'deny' }, `${owner}: spec.ingress[0]: expected a rule with action and from, got "deny"`],
  ])('%s', (_what, props, rule, message) => {
    expect(() => build(props, rule)).toThrow(message);
  });

  test('at most 25 rules per direction', () => {
    const cnp = build({});
    for (let i = 0; i < 25; i++) {
      cnp.addEgressRule({ action: deny, to: [anyNs] });
    }
    expect(() => cnp.addEgressRule({ action: deny, to: [anyNs] }))
      .toThrow(`${owner}: spec.egress[25]: a ClusterNetworkPolicy has at most 25 egress rules; split the rules over several policies`);
  });

  test('no props is an error naming the construct', () => {
    expect(() => new ClusterNetworkPolicy(Testing.chart(), 'p', undefined as any)).toThrow(`${owner}: props: give tier, priority and subject`);
  });
});

describe('every policy the construct accepts is valid for the CRD and read by the model (property)', () => {
  const names = fc.constantFrom('payments', 'monitoring', 'fe');
  const labelSelector = fc.oneof(
    fc.constant(Selector.all()),
    fc.constantFrom('app', 'team', 'tier').chain((k) => fc.constantFrom('db', 'web', 'data').map((v) => Selector.label(k).eq(v))),
    fc.constantFrom('app', 'team').map((k) => Selector.has(k)),
  );
  const commonPeer = fc.oneof(
    fc.constant(ClusterNetworkPolicyPeer.allNamespaces()),
    fc.array(names, { minLength: 1, maxLength: 3 }).map((n) => ClusterNetworkPolicyPeer.namespaces(...n)),
    labelSelector.map((s) => ClusterNetworkPolicyPeer.namespaceSelector(s)),
    fc.tuple(labelSelector, fc.option(labelSelector, { nil: undefined })).map(([p, n]) => ClusterNetworkPolicyPeer.pods(p, n)),
  );
  const networks = fc.array(fc.constantFrom('10.0.0.0/8', '192.168.0.0/16', '0.0.0.0/0', 'fd00::/8', '203.0.113.7/32'), { minLength: 1, maxLength: 3 })
    .map((n) => ClusterNetworkPolicyPeer.networks(...new Set(n)));
  const numericPort = fc.oneof(
    fc.integer({ min: 1, max: 65535 }).map((p) => Port.tcp(p)),
    fc.integer({ min: 1, max: 65535 }).map((p) => Port.udp(p)),
    fc.integer({ min: 1, max: 65534 }).chain((a) => fc.integer({ min: a, max: 65535 }).map((b) => Port.sctpRange(a, b))),
  );
  const action = fc.constantFrom(ClusterNetworkPolicyAction.ACCEPT, ClusterNetworkPolicyAction.DENY, ClusterNetworkPolicyAction.PASS);
  const ingressRule: fc.Arbitrary<ClusterNetworkPolicyIngressRule> = fc.record({
    action,
    from: fc.array(commonPeer, { minLength: 1, maxLength: 3 }),
    ports: fc.option(fc.array(fc.oneof(numericPort, fc.constantFrom(Port.named('metrics'), Port.named('http'))), { maxLength: 4 }), { nil: undefined }),
    name: fc.option(fc.string({ maxLength: 100 }), { nil: undefined }),
  });
  const numericPorts = fc.option(fc.array(numericPort, { maxLength: 4 }), { nil: undefined });
  const egressRule: fc.Arbitrary<ClusterNetworkPolicyEgressRule> = fc.oneof(
    fc.record({ action, to: fc.array(commonPeer, { minLength: 1, maxLength: 3 }), ports: numericPorts }),
    fc.record({ action, to: fc.array(networks, { minLength: 1, maxLength: 2 }), ports: numericPorts }),
  );
  const subject = fc.oneof(
    fc.constant(ClusterNetworkPolicySubject.allNamespaces()),
    fc.array(names, { minLength: 1, maxLength: 2 }).map((n) => ClusterNetworkPolicySubject.namespaces(...n)),
    fc.tuple(labelSelector, fc.option(labelSelector, { nil: undefined })).map(([p, n]) => ClusterNetworkPolicySubject.pods(p, n)),
  );

  test('synthesized objects pass the pinned CRD schema, and NetworkModel reads them', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(ClusterNetworkPolicyTier.ADMIN, ClusterNetworkPolicyTier.BASELINE),
        fc.integer({ min: 0, max: 1000 }),
        subject,
        fc.array(ingressRule, { maxLength: 3 }),
        fc.array(egressRule, { maxLength: 3 }),
        (tier, priority, subj, ingress, egress) => {
          const chart = Testing.chart();
          new ClusterNetworkPolicy(chart, 'p', { metadata: { name: 'p' }, tier, priority, subject: subj, ingress, egress });
          const manifests = Testing.synth(chart);
          expect(crdSchemaErrors(manifests[0])).toEqual([]);
          const model = NetworkModel.fromManifests([...pods, ...manifests]);
          // A verdict for a flow towards a subject candidate, so that every rule is compiled and evaluated.
          expect(typeof model.check({ from: 'fe/web', to: 'payments/db', port: 9090 }).allowed).toBe('boolean');
        },
      ),
      { numRuns: 60 },
    );
  });
});
