/**
 * The per-kind readers behind the registry: which kinds are read, what each makes of its
 * object, and how bad input is reported.
 */
import { Decision, NetworkModel } from '../../../src/analysis';
import { KIND_ROWS, kindReader } from '../../../src/analysis/network/registry';
import { PolicyReader } from '../../../src/analysis/network-policies';
import { RuleCompiler } from '../../../src/analysis/network-rules';
import { nodeToString } from '../../../src/selector/ast';
import { calicoPolicy, globalPolicy, k8sPolicy, pod, tier } from '../network-fixtures';

function read(...objects: any[]): PolicyReader {
  const reader = new PolicyReader(new RuleCompiler());
  for (const o of objects) {
    reader.accept(o, o.kind, o.apiVersion);
  }
  return reader;
}

const a = pod('prod', 'a', { app: 'a' }, { ip: '10.0.0.1' });
const b = pod('prod', 'b', { app: 'b' }, { ip: '10.0.0.2' });

describe('registry', () => {
  test('reads each kind in its API groups only', () => {
    expect(kindReader('projectcalico.org/v3', 'NetworkPolicy')).toBeDefined();
    expect(kindReader('crd.projectcalico.org/v1', 'NetworkPolicy')).toBeDefined();
    expect(kindReader('networking.k8s.io/v1', 'NetworkPolicy')).toBeDefined();
    expect(kindReader('projectcalico.org/v3', 'NetworkPolicy')).not.toBe(kindReader('networking.k8s.io/v1', 'NetworkPolicy'));
    expect(kindReader('example.com/v1', 'NetworkPolicy')).toBeUndefined();
    expect(kindReader('networking.k8s.io/v1', 'GlobalNetworkPolicy')).toBeUndefined();
    expect(kindReader('v1', 'Tier')).toBeUndefined();
    expect(kindReader('policy.networking.k8s.io/v1alpha2', 'ClusterNetworkPolicy')).toBeDefined();
    expect(kindReader('projectcalico.org/v3', 'ClusterNetworkPolicy')).toBeUndefined();
  });

  test('has one row per group and kind', () => {
    const keys = KIND_ROWS.flatMap((r) => r.groups.map((g) => `${g}/${r.kind}`));
    expect(new Set(keys).size).toBe(keys.length);
    expect(KIND_ROWS.map((r) => r.kind).sort()).toEqual([
      'ClusterNetworkPolicy', 'GlobalNetworkPolicy', 'NetworkPolicy', 'NetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedKubernetesNetworkPolicy', 'StagedNetworkPolicy', 'Tier',
    ]);
  });

  test('objects of other groups are not read as policies', () => {
    const lookalike = { ...calicoPolicy('prod', 'deny', { selector: 'all()', ingress: [{ action: 'Deny' }] }), apiVersion: 'example.com/v1' };
    expect(read(lookalike).policies).toHaveLength(0);
    expect(NetworkModel.fromManifests([a, b, lookalike]).check({ from: 'prod/a', to: 'prod/b' }).ingress.decidedBy).toBe(Decision.NO_POLICY);
  });

  test('every kind is read through the model', () => {
    const staged = (kind: string, spec: any, ns?: string) => ({ apiVersion: 'projectcalico.org/v3', kind, metadata: { name: `s-${kind.toLowerCase()}`, namespace: ns }, spec });
    const r = read(
      tier('t', 5),
      calicoPolicy('prod', 'np', { tier: 't' }),
      globalPolicy('gnp', {}),
      k8sPolicy('prod', 'knp', { podSelector: {} }),
      staged('StagedNetworkPolicy', {}, 'prod'),
      staged('StagedGlobalNetworkPolicy', {}),
      staged('StagedKubernetesNetworkPolicy', { podSelector: {} }, 'prod'),
    );
    expect([...r.tiers.keys()]).toEqual(['t']);
    expect(r.policies.map((p) => [p.label, p.family, p.tier, p.staged])).toEqual([
      ['NetworkPolicy prod/np', 'NetworkPolicy', 't', undefined],
      ['GlobalNetworkPolicy gnp', 'GlobalNetworkPolicy', 'default', undefined],
      ['Kubernetes NetworkPolicy prod/knp', 'KubernetesNetworkPolicy', 'default', undefined],
      ['StagedNetworkPolicy prod/s-stagednetworkpolicy', 'NetworkPolicy', 'default', 'Set'],
      ['StagedGlobalNetworkPolicy s-stagedglobalnetworkpolicy', 'GlobalNetworkPolicy', 'default', 'Set'],
      ['StagedKubernetesNetworkPolicy prod/s-stagedkubernetesnetworkpolicy', 'KubernetesNetworkPolicy', 'default', 'Set'],
    ]);
  });
});

describe('what a Calico policy applies to (as libcalico-go hands it to Felix)', () => {
  const selectorOf = (o: any) => nodeToString(read(o).policies[0].selector);

  test('NetworkPolicy: selector and namespace; a serviceAccountSelector is prefixed pcsa. and all() stays all()', () => {
    expect(selectorOf(calicoPolicy('prod', 'p', { selector: 'app == "a"' }))).toBe('(app == "a" && projectcalico.org/namespace == "prod")');
    expect(selectorOf(calicoPolicy('prod', 'p', { serviceAccountSelector: 'role == "x"' }))).toBe('(projectcalico.org/namespace == "prod" && pcsa.role == "x")');
    expect(selectorOf(calicoPolicy('prod', 'p', { serviceAccountSelector: 'all()' }))).toBe('projectcalico.org/namespace == "prod"');
    expect(selectorOf(calicoPolicy('prod', 'p', { serviceAccountSelector: '' }))).toBe('projectcalico.org/namespace == "prod"');
  });

  test('GlobalNetworkPolicy: after appending namespace or service-account selectors, all() means "has a namespace / service account"', () => {
    expect(selectorOf(globalPolicy('g', {}))).toBe('all()');
    expect(selectorOf(globalPolicy('g', { namespaceSelector: 'env == "prod"' }))).toBe('pcns.env == "prod"');
    expect(selectorOf(globalPolicy('g', { selector: 'all()', namespaceSelector: 'env == "prod"' }))).toBe('(has(projectcalico.org/namespace) && pcns.env == "prod")');
    expect(selectorOf(globalPolicy('g', { selector: 'app == "a"', namespaceSelector: 'all()' }))).toBe('(app == "a" && has(projectcalico.org/namespace))');
    expect(selectorOf(globalPolicy('g', { serviceAccountSelector: 'all()' }))).toBe('has(projectcalico.org/serviceaccount)');
    expect(selectorOf(globalPolicy('g', { selector: 'all()', namespaceSelector: 'env == "prod"', serviceAccountSelector: 'role == "x"' }))).toBe(
      '((has(projectcalico.org/namespace) && pcns.env == "prod") && pcsa.role == "x")',
    );
  });

  test('an empty narrowing selector is skipped; a blank one is parsed (and means all())', () => {
    expect(selectorOf(globalPolicy('g', { namespaceSelector: '' }))).toBe('all()');
    expect(selectorOf(globalPolicy('g', { namespaceSelector: ' ' }))).toBe('has(projectcalico.org/namespace)');
  });
});

describe('bad input names the object and the field', () => {
  test('policy order: strings, NaN and infinities are refused', () => {
    const np = (order: any) => () => NetworkModel.fromManifests([calicoPolicy('prod', 'x', { order })]);
    expect(np(Infinity)).toThrow('NetworkPolicy prod/x (projectcalico.org/v3): spec.order: expected a number, got Infinity; use a finite number such as 100 (lower orders are evaluated first)');
    expect(np(-Infinity)).toThrow('NetworkPolicy prod/x (projectcalico.org/v3): spec.order: expected a number, got -Infinity');
    expect(np(NaN)).toThrow('NetworkPolicy prod/x (projectcalico.org/v3): spec.order: expected a number, got NaN');
    expect(np('100')).toThrow('NetworkPolicy prod/x (projectcalico.org/v3): spec.order: expected a number, got "100"; write it as a number without quotes: 100');
    expect(np('high')).toThrow('spec.order: expected a number, got "high"; use a finite number');
    expect(np(true)).toThrow('spec.order: expected a number, got true');
    expect(() => NetworkModel.fromManifests([globalPolicy('g', { order: Infinity })])).toThrow('GlobalNetworkPolicy g (projectcalico.org/v3): spec.order: expected a number, got Infinity');
    const staged = { apiVersion: 'projectcalico.org/v3', kind: 'StagedNetworkPolicy', metadata: { name: 's', namespace: 'prod' }, spec: { order: NaN } };
    expect(() => NetworkModel.fromManifests([staged])).toThrow('StagedNetworkPolicy prod/s (projectcalico.org/v3): spec.order: expected a number, got NaN');
  });

  test('tier order: the same', () => {
    expect(() => NetworkModel.fromManifests([tier('t', Infinity)])).toThrow('Tier t (projectcalico.org/v3): spec.order: expected a number, got Infinity');
    expect(() => NetworkModel.fromManifests([tier('t', NaN)])).toThrow('Tier t (projectcalico.org/v3): spec.order: expected a number, got NaN');
  });

  test('other policy fields', () => {
    expect(() => read(calicoPolicy('prod', 'x', { tier: 5 }))).toThrow('NetworkPolicy prod/x (projectcalico.org/v3): spec.tier: expected a string, got 5');
    expect(() => read(calicoPolicy('prod', 'x', { types: 'Ingress' }))).toThrow('NetworkPolicy prod/x (projectcalico.org/v3): spec.types: expected a list, got "Ingress"');
    expect(() => read({ ...calicoPolicy('prod', 'x', {}), spec: [] })).toThrow('NetworkPolicy prod/x (projectcalico.org/v3): spec: expected an object, got []');
    expect(() => read(globalPolicy('g', { doNotTrack: 'yes' }))).toThrow('GlobalNetworkPolicy g (projectcalico.org/v3): spec.doNotTrack: expected true or false, got "yes"');
    expect(() => read(globalPolicy('g', { namespaceSelector: 'env = "x"' }))).toThrow('GlobalNetworkPolicy g (projectcalico.org/v3): spec.namespaceSelector: Invalid Calico selector');
    expect(() => read(k8sPolicy('prod', 'k', { podSelector: {}, policyTypes: ['Ingress', 'Ingress'] }))).toThrow(
      'NetworkPolicy prod/k (networking.k8s.io/v1): spec.policyTypes[1]: "Ingress" is not valid here; use Ingress and/or Egress, each at most once',
    );
  });
});
