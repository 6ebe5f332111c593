import { calicoPolicy, globalPolicy, k8sPolicy, namespace, pod, serviceAccount, tier } from './network-fixtures';
import { Decision } from '../../src/analysis/network-evaluate';
import { NetworkModel } from '../../src/analysis/network-model';
import { PolicyReader } from '../../src/analysis/network-policies';
import { RuleCompiler } from '../../src/analysis/network-rules';
import { DEFAULT_TIER_ORDER } from '../../src/core';

function read(...objects: any[]): PolicyReader {
  const reader = new PolicyReader(new RuleCompiler());
  for (const o of objects) {
    reader.accept(o, o.kind, o.apiVersion);
  }
  return reader;
}

const a = pod('prod', 'a', { app: 'a' }, { ip: '10.0.0.1' });
const b = pod('prod', 'b', { app: 'b' }, { ip: '10.0.0.2' });

describe('policy types', () => {
  test('Calico: no types and only ingress rules (or none) means Ingress', () => {
    const [p, q] = read(calicoPolicy('prod', 'p', { ingress: [{ action: 'Allow' }] }), calicoPolicy('prod', 'q', {})).policies;
    expect([p.ingressApplies, p.egressApplies]).toEqual([true, false]);
    expect([q.ingressApplies, q.egressApplies]).toEqual([true, false]);
  });

  test('Calico: no types and only egress rules means Egress only', () => {
    const [p] = read(calicoPolicy('prod', 'p', { egress: [{ action: 'Deny' }] })).policies;
    expect([p.ingressApplies, p.egressApplies]).toEqual([false, true]);
    const model = NetworkModel.fromManifests([a, b, calicoPolicy('prod', 'p', { egress: [{ action: 'Deny' }] })]);
    const v = model.check({ from: 'prod/a', to: 'prod/b' });
    expect(v.egress).toMatchObject({ decidedBy: Decision.RULE, action: 'Deny', policy: 'NetworkPolicy prod/p' });
    expect(v.ingress.decidedBy).toBe(Decision.NO_POLICY);
  });

  test('Calico: no types and both kinds of rules means both', () => {
    const [p] = read(calicoPolicy('prod', 'p', { ingress: [{ action: 'Allow' }], egress: [{ action: 'Allow' }] })).policies;
    expect([p.ingressApplies, p.egressApplies]).toEqual([true, true]);
  });

  test('Kubernetes: no policyTypes means Ingress, plus Egress when there are egress rules', () => {
    const [p, q] = read(
      k8sPolicy('prod', 'p', { podSelector: {}, egress: [{}] }),
      k8sPolicy('prod', 'q', { podSelector: {} }),
    ).policies;
    expect([p.ingressApplies, p.egressApplies]).toEqual([true, true]);
    expect([q.ingressApplies, q.egressApplies]).toEqual([true, false]);
  });

  test('an empty types list is defaulted like a missing one', () => {
    const [p, q] = read(calicoPolicy('prod', 'p', { types: [], egress: [{ action: 'Allow' }] }), k8sPolicy('prod', 'q', { podSelector: {}, policyTypes: [] })).policies;
    expect([p.ingressApplies, p.egressApplies]).toEqual([false, true]);
    expect([q.ingressApplies, q.egressApplies]).toEqual([true, false]);
  });

  test('explicit types win', () => {
    const [p] = read(k8sPolicy('prod', 'p', { podSelector: {}, policyTypes: ['Egress'] })).policies;
    expect([p.ingressApplies, p.egressApplies]).toEqual([false, true]);
    const model = NetworkModel.fromManifests([a, b, k8sPolicy('prod', 'p', { podSelector: {}, policyTypes: ['Egress'] })]);
    const v = model.check({ from: 'prod/a', to: 'prod/b' });
    expect(v.egress.decidedBy).toBe(Decision.END_OF_TIER);
    expect(v.ingress.decidedBy).toBe(Decision.NO_POLICY);
  });

  test('bad types are rejected', () => {
    expect(() => read(calicoPolicy('prod', 'p', { types: ['Ingress', 'Ingress'] }))).toThrow(
      'NetworkPolicy prod/p (projectcalico.org/v3): spec.types[1]: "Ingress" is not valid here; use Ingress and/or Egress, each at most once',
    );
    expect(() => read(k8sPolicy('prod', 'p', { podSelector: {}, policyTypes: ['ingress'] }))).toThrow(
      'NetworkPolicy prod/p (networking.k8s.io/v1): spec.policyTypes[0]: "ingress" is not valid here',
    );
  });
});

describe('policy records', () => {
  test('Kubernetes policies are in the default tier at order 1000 and sort by their plain name', () => {
    const [p] = read(k8sPolicy('prod', 'web', { podSelector: {} })).policies;
    expect(p).toMatchObject({
      tier: 'default',
      order: 1000,
      sortKey: 'web/prod/KubernetesNetworkPolicy',
      label: 'Kubernetes NetworkPolicy prod/web',
      key: 'KubernetesNetworkPolicy/prod/web',
    });
  });

  test('the sort key is <name>/<namespace>/<kind>, with an empty namespace for global policies', () => {
    const [p, g] = read(calicoPolicy('prod', 'x', {}), globalPolicy('y', {})).policies;
    expect(p.sortKey).toBe('x/prod/NetworkPolicy');
    expect(g.sortKey).toBe('y//GlobalNetworkPolicy');
  });

  test('a staged policy sorts as the enforced policy it stands in for', () => {
    const staged = { apiVersion: 'projectcalico.org/v3', kind: 'StagedNetworkPolicy', metadata: { name: 'x', namespace: 'prod' }, spec: {} };
    expect(read(staged).policies[0].sortKey).toBe('x/prod/NetworkPolicy');
  });

  test('Calico policies default to tier default with no order', () => {
    const [p, g] = read(calicoPolicy('prod', 'x', {}), globalPolicy('y', { tier: 'security', order: 5 })).policies;
    expect(p).toMatchObject({ tier: 'default', order: Infinity, label: 'NetworkPolicy prod/x' });
    expect(g).toMatchObject({ tier: 'security', order: 5, label: 'GlobalNetworkPolicy y', namespace: undefined });
  });

  test('namespace defaults to default', () => {
    const p = { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: {} };
    expect(read(p).policies[0].namespace).toBe('default');
  });

  test('the crd.projectcalico.org group is read too', () => {
    const p = { apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy', metadata: { name: 'x' }, spec: {} };
    expect(read(p).policies).toHaveLength(1);
  });

  test('doNotTrack and preDNAT global policies are marked host-only', () => {
    const r = read(
      globalPolicy('dnt', { doNotTrack: true, applyOnForward: true }),
      globalPolicy('pre', { preDNAT: true, applyOnForward: true }),
    );
    expect(r.policies.map((p) => p.hostOnly)).toEqual(['doNotTrack', 'preDNAT']);
    expect(() => read(globalPolicy('both', { doNotTrack: true, preDNAT: true }))).toThrow('spec.preDNAT: preDNAT and doNotTrack cannot both be true');
  });

  test('duplicates and missing names are rejected', () => {
    expect(() => read(calicoPolicy('prod', 'x', {}), calicoPolicy('prod', 'x', {}))).toThrow(
      'NetworkPolicy prod/x (projectcalico.org/v3): metadata.name: declared twice; policy names must be unique per kind and namespace',
    );
    expect(() => read({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: {}, spec: {} })).toThrow(
      'GlobalNetworkPolicy (unnamed) (projectcalico.org/v3): metadata.name: missing; every object needs a name',
    );
    // A Calico and a Kubernetes policy of the same name are different policies.
    expect(read(calicoPolicy('prod', 'x', {}), k8sPolicy('prod', 'x', { podSelector: {} })).policies).toHaveLength(2);
  });

  test('policy-level field errors name the field', () => {
    expect(() => read(calicoPolicy('prod', 'x', { selector: 'app = "a"' }))).toThrow('NetworkPolicy prod/x (projectcalico.org/v3): spec.selector: Invalid Calico selector');
    expect(() => read(calicoPolicy('prod', 'x', { selector: 'global()' }))).toThrow('spec.selector: global() can only be used in a rule namespaceSelector, not in a policy selector');
    expect(() => read(calicoPolicy('prod', 'x', { serviceAccountSelector: 'global()' }))).toThrow('spec.serviceAccountSelector: global() can only be used in a rule namespaceSelector');
    expect(() => read(calicoPolicy('prod', 'x', { namespaceSelector: 'all()' }))).toThrow(
      'spec.namespaceSelector: only GlobalNetworkPolicy has a namespaceSelector; a NetworkPolicy applies in its own namespace',
    );
    expect(() => read(calicoPolicy('prod', 'x', { order: 'high' }))).toThrow('spec.order: expected a number, got "high"');
    expect(() => read(calicoPolicy('prod', 'x', { ingress: {} }))).toThrow('spec.ingress: expected a list, got {}');
    expect(() => read(calicoPolicy('prod', 'x', { selector: 5 }))).toThrow('spec.selector: expected a string, got 5');
  });
});

describe('tiers', () => {
  test("declared tiers keep order and default action; Calico's built-in tiers always exist", () => {
    const tiers = read(tier('security', 100, 'Pass')).allTiers();
    expect(tiers.get('security')).toEqual({ name: 'security', order: 100, orderDefaulted: false, defaultAction: 'Pass', source: 'manifest' });
    expect(tiers.get('default')).toEqual({ name: 'default', order: DEFAULT_TIER_ORDER, orderDefaulted: false, defaultAction: 'Deny', source: 'built-in' });
    expect(tiers.get('kube-admin')).toEqual({ name: 'kube-admin', order: 1000, orderDefaulted: false, defaultAction: 'Pass', source: 'built-in' });
    expect(tiers.get('kube-baseline')).toEqual({ name: 'kube-baseline', order: 10_000_000, orderDefaulted: false, defaultAction: 'Pass', source: 'built-in' });
  });

  test('a tier without order gets 1,000,000 and without default action Deny (Calico DefaultTierFields)', () => {
    expect(read(tier('default')).allTiers().get('default')).toMatchObject({ order: DEFAULT_TIER_ORDER, defaultAction: 'Deny', source: 'manifest' });
    expect(read(tier('platform')).allTiers().get('platform')).toEqual({
      name: 'platform',
      order: DEFAULT_TIER_ORDER,
      orderDefaulted: true,
      defaultAction: 'Deny',
      source: 'manifest',
    });
  });

  test('bad tiers are rejected', () => {
    expect(() => read(tier('t', 1, 'Allow'))).toThrow('Tier t (projectcalico.org/v3): spec.defaultAction: "Allow" is not a tier default action; use Deny or Pass');
    expect(() => read(tier('default', undefined, 'Pass'))).toThrow('Tier default (projectcalico.org/v3): spec.defaultAction: the \'default\' tier must have default action Deny, got "Pass"');
    expect(() => read(tier('t'), tier('t'))).toThrow('Tier t (projectcalico.org/v3): metadata.name: declared twice; tier names must be unique');
    expect(() => read(tier('Security'))).toThrow('Tier Security (projectcalico.org/v3): metadata.name: "Security" is not a valid tier name');
    expect(() => read(tier('t', 'high' as any))).toThrow('Tier t (projectcalico.org/v3): spec.order: expected a number, got "high"');
  });
});

describe('staged policies', () => {
  const stagedNp = (name: string, spec: any) => ({ apiVersion: 'projectcalico.org/v3', kind: 'StagedNetworkPolicy', metadata: { name, namespace: 'prod' }, spec });

  test('a staged Set replaces the enforced policy of the same name only with includeStaged', () => {
    const enforced = calicoPolicy('prod', 'gate', { selector: 'app == "b"', ingress: [{ action: 'Allow' }] });
    const staged = stagedNp('gate', { selector: 'app == "b"', ingress: [{ action: 'Deny' }] });
    const model = NetworkModel.fromManifests([a, b, enforced, staged]);
    expect(model.check({ from: 'prod/a', to: 'prod/b' }).ingress).toMatchObject({ action: 'Allow', policy: 'NetworkPolicy prod/gate' });
    expect(model.check({ from: 'prod/a', to: 'prod/b' }, { includeStaged: true }).ingress).toMatchObject({
      action: 'Deny',
      policy: 'StagedNetworkPolicy prod/gate',
    });
  });

  test('stagedAction defaults to Set; Learn and Ignore change nothing', () => {
    const r = read(
      stagedNp('one', {}),
      stagedNp('two', { stagedAction: 'Learn' }),
      stagedNp('three', { stagedAction: 'Ignore' }),
    );
    expect(r.policies.map((p) => [p.name, p.staged])).toEqual([['one', 'Set']]);
    expect(() => read(stagedNp('x', { stagedAction: 'Apply' }))).toThrow(
      'StagedNetworkPolicy prod/x (projectcalico.org/v3): spec.stagedAction: "Apply" is not a staged action; use Set, Delete, Learn or Ignore',
    );
  });

  test('a staged Delete removes the enforced policy with includeStaged', () => {
    const deny = globalPolicy('lockdown', { selector: 'all()', types: ['Ingress'] });
    const del = { apiVersion: 'projectcalico.org/v3', kind: 'StagedGlobalNetworkPolicy', metadata: { name: 'lockdown' }, spec: { stagedAction: 'Delete' } };
    const model = NetworkModel.fromManifests([a, b, deny, del]);
    expect(model.check({ from: 'prod/a', to: 'prod/b' }).allowed).toBe(false);
    expect(model.check({ from: 'prod/a', to: 'prod/b' }, { includeStaged: true }).ingress.decidedBy).toBe(Decision.NO_POLICY);
  });

  test('a StagedKubernetesNetworkPolicy stands in for the Kubernetes policy of the same name', () => {
    const staged = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'StagedKubernetesNetworkPolicy',
      metadata: { name: 'deny', namespace: 'prod' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    };
    const r = read(staged);
    expect(r.policies[0]).toMatchObject({ label: 'StagedKubernetesNetworkPolicy prod/deny', key: 'KubernetesNetworkPolicy/prod/deny', staged: 'Set', order: 1000 });
    const model = NetworkModel.fromManifests([a, b, staged]);
    expect(model.check({ from: 'prod/a', to: 'prod/b' }).allowed).toBe(true);
    expect(model.check({ from: 'prod/a', to: 'prod/b' }, { includeStaged: true }).ingress).toMatchObject({
      decidedBy: Decision.END_OF_TIER,
      tier: 'default',
    });
  });
});

describe('what a policy selects', () => {
  test('GlobalNetworkPolicy namespaceSelector picks namespaces by label', () => {
    const objects = [
      namespace('prod', { env: 'prod' }),
      namespace('dev', { env: 'dev' }),
      pod('prod', 'x', {}, { ip: '10.0.0.1' }),
      pod('dev', 'x', {}, { ip: '10.0.1.1' }),
      globalPolicy('prod-lockdown', { namespaceSelector: 'env == "prod"', types: ['Ingress'] }),
    ];
    const model = NetworkModel.fromManifests(objects);
    expect(model.check({ from: 'dev/x', to: 'prod/x' }).ingress.decidedBy).toBe(Decision.END_OF_TIER);
    expect(model.check({ from: 'prod/x', to: 'dev/x' }).ingress.decidedBy).toBe(Decision.NO_POLICY);
  });

  test('serviceAccountSelector picks pods by their service account labels (Calico docs: restrict-intern-access)', () => {
    const objects = [
      serviceAccount('prod-engineering', 'intern', { role: 'intern' }),
      serviceAccount('prod-engineering', 'staff', { role: 'staff' }),
      pod('prod-engineering', 'intern-pod', {}, { sa: 'intern', ip: '10.0.0.1' }),
      pod('prod-engineering', 'intern-pod-2', {}, { sa: 'intern', ip: '10.0.0.3' }),
      pod('prod-engineering', 'staff-pod', {}, { sa: 'staff', ip: '10.0.0.2' }),
      calicoPolicy('prod-engineering', 'restrict-intern-access', {
        serviceAccountSelector: 'role == "intern"',
        ingress: [{ action: 'Allow', source: { serviceAccounts: { selector: 'role == "intern"' } } }],
        egress: [{ action: 'Allow', destination: { serviceAccounts: { selector: 'role == "intern"' } } }],
      }),
    ];
    const model = NetworkModel.fromManifests(objects);
    expect(model.check({ from: 'prod-engineering/intern-pod', to: 'prod-engineering/intern-pod-2' }).allowed).toBe(true);
    const out = model.check({ from: 'prod-engineering/intern-pod', to: 'prod-engineering/staff-pod' });
    expect(out.egress).toMatchObject({ allowed: false, decidedBy: Decision.END_OF_TIER });
    const inbound = model.check({ from: 'prod-engineering/staff-pod', to: 'prod-engineering/intern-pod' });
    expect(inbound.egress.decidedBy).toBe(Decision.NO_POLICY);
    expect(inbound.ingress).toMatchObject({ allowed: false, decidedBy: Decision.END_OF_TIER });
  });

  test('a Kubernetes podSelector with matchExpressions selects as Kubernetes does', () => {
    const objects = [
      pod('prod', 'web', { tier: 'frontend', env: 'prod' }, { ip: '10.0.0.1' }),
      pod('prod', 'job', { tier: 'batch' }, { ip: '10.0.0.2' }),
      k8sPolicy('prod', 'isolate', {
        podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'backend'] }, { key: 'env', operator: 'Exists' }] },
        policyTypes: ['Ingress'],
      }),
    ];
    const model = NetworkModel.fromManifests(objects);
    expect(model.check({ from: 'prod/job', to: 'prod/web' }).ingress.decidedBy).toBe(Decision.END_OF_TIER);
    expect(model.check({ from: 'prod/web', to: 'prod/job' }).ingress.decidedBy).toBe(Decision.NO_POLICY);
  });
});
