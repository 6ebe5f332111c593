/**
 * The read-only view of tiers and policies (NetworkModel.tiers(), NetworkModel.policies()) and
 * the pod-label filter Calico applies to workload endpoints.
 */
import { calicoPolicy, globalPolicy, k8sPolicy, namespace, networkSet, pod, tier } from './network-fixtures';
import { NetworkModel, PolicyInfo } from '../../src/analysis';

function policy(model: NetworkModel, name: string): PolicyInfo {
  const found = model.policies().find((p) => p.name === name);
  if (found === undefined) throw new Error(`no policy ${name}`);
  return found;
}

describe('NetworkModel.tiers()', () => {
  test('built-in, manifest and external tiers in evaluation order (order, then name)', () => {
    const model = NetworkModel.fromManifests([tier('security', 100), tier('zeta', 100, 'Pass'), tier('no-order')], { tiers: [{ name: 'platform', order: 50 }] });
    expect(model.tiers().map((t) => [t.name, t.order, t.defaultAction, t.source])).toEqual([
      ['platform', 50, 'Deny', 'external'],
      ['security', 100, 'Deny', 'manifest'],
      ['zeta', 100, 'Pass', 'manifest'],
      ['kube-admin', 1000, 'Pass', 'built-in'],
      ['default', 1000000, 'Deny', 'built-in'],
      ['no-order', 1000000, 'Deny', 'manifest'],
      ['kube-baseline', 10000000, 'Pass', 'built-in'],
    ]);
  });
});

describe('NetworkModel.policies()', () => {
  const manifests = [
    namespace('be', { team: 'be' }),
    namespace('fe', { team: 'fe' }),
    tier('security', 100),
    globalPolicy('security.egress', {
      tier: 'security',
      order: 10,
      selector: "cluster-egress == 'allowed'",
      namespaceSelector: "projectcalico.org/name not in {'kube-system'}",
      egress: [
        { action: 'Allow', destination: { nets: ['0.0.0.0/0'] } },
        { action: 'Deny', destination: { serviceAccounts: { selector: "approved == 'yes'" }, namespaceSelector: "team == 'be'" } },
        { action: 'Pass' },
      ],
    }),
    globalPolicy('security.metrics', {
      tier: 'security',
      ingress: [{ action: 'Allow', source: { namespaceSelector: "projectcalico.org/name == 'monitoring'", selector: "app == 'collector'" } }],
    }),
    calicoPolicy('be', 'allow-fe', { ingress: [{ action: 'Allow', source: { selector: 'role == "web"', notSelector: 'debug == "true"' } }] }),
    k8sPolicy('fe', 'k8s', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'be' } } }, { ipBlock: { cidr: '10.0.0.0/8' } }] }],
    }),
    { apiVersion: 'projectcalico.org/v3', kind: 'StagedNetworkPolicy', metadata: { name: 'staged', namespace: 'be' }, spec: { stagedAction: 'Set', order: 5, ingress: [{ action: 'Deny' }] } },
  ];
  const model = NetworkModel.fromManifests(manifests);

  test('one entry per policy in manifest order, with kind, apiVersion, tier, order and staged action', () => {
    expect(model.policies().map((p) => [p.kind, p.apiVersion, p.namespace, p.name, p.tier, p.order, p.staged])).toEqual([
      ['GlobalNetworkPolicy', 'projectcalico.org/v3', undefined, 'security.egress', 'security', 10, undefined],
      ['GlobalNetworkPolicy', 'projectcalico.org/v3', undefined, 'security.metrics', 'security', undefined, undefined],
      ['NetworkPolicy', 'projectcalico.org/v3', 'be', 'allow-fe', 'default', undefined, undefined],
      ['NetworkPolicy', 'networking.k8s.io/v1', 'fe', 'k8s', 'default', 1000, undefined],
      ['StagedNetworkPolicy', 'projectcalico.org/v3', 'be', 'staged', 'default', 5, 'Set'],
    ]);
  });

  test('the policy selector: pod and namespace label keys, the namespaces it can match, and new namespaces', () => {
    const p = policy(model, 'security.egress');
    expect(p.egressApplies).toBe(true);
    expect(p.ingressApplies).toBe(false);
    expect(p.selector.labelKeys).toEqual({ pod: ['cluster-egress'], namespace: ['projectcalico.org/name'], serviceAccount: [], calico: [] });
    expect(p.selector.namespaces).toEqual(['be', 'fe']);
    expect(p.selector.otherNamespaces).toBe(true);
  });

  test('rule actions and peer selectors with service-account and namespace labels', () => {
    const p = policy(model, 'security.egress');
    expect(p.egress.map((r) => [r.index, r.action, r.source.length, r.destination.length])).toEqual([
      [0, 'Allow', 0, 0],
      [1, 'Deny', 0, 1],
      [2, 'Pass', 0, 0],
    ]);
    const deny = p.egress[1].destination[0];
    expect(deny.labelKeys).toEqual({ pod: [], namespace: ['team'], serviceAccount: ['approved'], calico: [] });
    // be is labelled team=be; fe is not; a namespace named nowhere may carry any labels.
    expect(deny.namespaces).toEqual(['be']);
    expect(deny.otherNamespaces).toBe(true);
  });

  test('a peer pinned to a namespace by name matches that namespace only, even when the model does not declare it', () => {
    const source = policy(model, 'security.metrics').ingress[0].source[0];
    expect(source.labelKeys.pod).toEqual(['app']);
    expect(source.labelKeys.namespace).toEqual(['projectcalico.org/name']);
    expect(source.namespaces).toEqual(['monitoring']);
    expect(source.otherNamespaces).toBe(false);
  });

  test('a namespaced policy: its own namespace; notSelector keys are read too', () => {
    const p = policy(model, 'allow-fe');
    expect(p.selector.namespaces).toEqual(['be']);
    expect(p.selector.otherNamespaces).toBe(false);
    expect(p.selector.labelKeys.calico).toEqual(['projectcalico.org/namespace']);
    const source = p.ingress[0].source[0];
    expect(source.labelKeys.pod).toEqual(['debug', 'role']);
    expect(source.namespaces).toEqual(['be']);
  });

  test('a Kubernetes NetworkPolicy: one peer selector per peer chosen by labels (ipBlock peers have none)', () => {
    const p = policy(model, 'k8s');
    expect(p.ingress).toHaveLength(1);
    expect(p.ingress[0].action).toBe('Allow');
    expect(p.ingress[0].source).toHaveLength(1);
    expect(p.ingress[0].source[0].labelKeys).toEqual({ pod: [], namespace: ['team'], serviceAccount: [], calico: ['projectcalico.org/orchestrator'] });
    expect(p.ingress[0].source[0].namespaces).toEqual(['be']);
    expect(p.selector.labelKeys.pod).toEqual(['app']);
    expect(p.selector.namespaces).toEqual(['fe']);
  });

  test('the views are read-only', () => {
    const p = model.policies()[0];
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.selector.namespaces)).toBe(true);
    expect(() => (p.egress as any[]).push({})).toThrow(TypeError);
  });

  test('selectors of any depth are analysed', () => {
    const deep = `${'!('.repeat(5000)}team == 'be'${')'.repeat(5000)}`;
    const m = NetworkModel.fromManifests([namespace('be', { team: 'be' }), globalPolicy('deep', { namespaceSelector: deep, ingress: [{ action: 'Deny' }] })]);
    // 5000 negations: an even number, so the selector means team == 'be'.
    expect(m.policies()[0].selector.namespaces).toEqual(['be']);
  });
});

describe('pod labels that look like namespace or service-account labels', () => {
  // Calico drops pod labels prefixed pcns. and pcsa. before Felix sees them (a pod's own labels
  // would otherwise win over the labels it inherits from its namespace and service account).
  const manifests = [
    namespace('be', { team: 'be' }),
    namespace('fe', { team: 'fe' }),
    pod('be', 'api', {}, { ip: '10.0.0.1' }),
    pod('fe', 'impostor', { 'pcns.projectcalico.org/name': 'be', 'pcns.team': 'be', 'pcsa.approved': 'yes' }, { ip: '10.0.0.2' }),
    calicoPolicy('be', 'from-be', {
      ingress: [
        { action: 'Allow', source: { namespaceSelector: "projectcalico.org/name == 'be'" } },
        { action: 'Allow', source: { namespaceSelector: "team == 'be'" } },
        { action: 'Allow', source: { namespaceSelector: 'all()', serviceAccounts: { selector: "approved == 'yes'" } } },
      ],
    }),
  ];

  test('give a pod neither another namespace nor another service account', () => {
    const model = NetworkModel.fromManifests(manifests);
    expect(model.check({ from: 'fe/impostor', to: 'be/api', port: 80 }).allowed).toBe(false);
    expect(model.endpoint('fe/impostor').labels).toEqual({
      'projectcalico.org/namespace': 'fe',
      'projectcalico.org/orchestrator': 'k8s',
      'projectcalico.org/serviceaccount': 'default',
    });
  });

  test('a network set keeps them (Calico does not filter network-set labels)', () => {
    // Calico: networksetprocessor.go copies the labels as they are.
    const model = NetworkModel.fromManifests([...manifests, networkSet('fe', 'spoof', { 'pcns.projectcalico.org/name': 'be' }, ['203.0.113.0/24'])]);
    expect(model.check({ from: 'ip:203.0.113.7', to: 'be/api', port: 80 }).allowed).toBe(true);
  });
});
