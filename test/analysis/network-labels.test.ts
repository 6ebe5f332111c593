import {
  calicoLabelMap,
  globalAsFelixEvaluates,
  isAll,
  k8sLabelSelector,
  namespaceSelectorOnEndpoints,
  parseSelectorField,
  prefixKeys,
  replaceAll,
  serviceAccountSelectorOnEndpoints,
  workloadEndpointLabels,
} from '../../src/analysis/network-labels';
import { ObjectRef } from '../../src/analysis/network-objects';
import { Selector } from '../../src/selector';
import { evaluate, hasNode, nodeToString } from '../../src/selector/ast';

const ref = new ObjectRef('NetworkPolicy', 'networking.k8s.io/v1', 'p', 'prod');
const parse = (text: string) => Selector.parse(text)._node;

const podLabels = calicoLabelMap(
  { 'app': 'web', 'projectcalico.org/namespace': 'spoofed' },
  { 'projectcalico.org/namespace': 'prod', 'projectcalico.org/serviceaccount': 'sa' },
  { 'env': 'prod', 'projectcalico.org/name': 'prod' },
  { 'role': 'intern', 'projectcalico.org/name': 'sa' },
);
const globalSetLabels = { zone: 'dns' };

describe('calicoLabelMap', () => {
  test('own labels, Calico labels (winning), pcns. and pcsa. prefixed labels', () => {
    expect(podLabels).toEqual({
      'app': 'web',
      'projectcalico.org/namespace': 'prod',
      'projectcalico.org/serviceaccount': 'sa',
      'pcns.env': 'prod',
      'pcns.projectcalico.org/name': 'prod',
      'pcsa.role': 'intern',
      'pcsa.projectcalico.org/name': 'sa',
    });
  });
});

describe('selector rewrites', () => {
  test('prefixKeys rewrites every label key', () => {
    const node = parse('a == "1" && b != "2" && has(c) && d in {"x"} && e not in {"y"} && f contains "z" && g starts with "p" && h ends with "s" && !(i == "j" || all())');
    expect(nodeToString(prefixKeys(node, 'pcns.'))).toBe(
      '(pcns.a == "1" && pcns.b != "2" && has(pcns.c) && pcns.d in {"x"} && pcns.e not in {"y"} && pcns.f contains "z" '
      + '&& pcns.g starts with "p" && pcns.h ends with "s" && !(pcns.i == "j" || all()))',
    );
    expect(prefixKeys(parse('global()'), 'x.')).toEqual(parse('global()'));
  });

  test('replaceAll replaces all() anywhere', () => {
    expect(nodeToString(replaceAll(parse('!all() || (all() && a == "b")'), hasNode('k')))).toBe('(!has(k) || (has(k) && a == "b"))');
    expect(replaceAll(parse('has(a)'), hasNode('k'))).toEqual(parse('has(a)'));
  });

  test('namespace selectors: all() is any namespaced endpoint, global() any non-namespaced one', () => {
    const all = namespaceSelectorOnEndpoints(parse('all()'));
    expect(evaluate(all, podLabels)).toBe(true);
    expect(evaluate(all, globalSetLabels)).toBe(false);
    const global = namespaceSelectorOnEndpoints(parse('global()'));
    expect(evaluate(global, podLabels)).toBe(false);
    expect(evaluate(global, globalSetLabels)).toBe(true);
    expect(evaluate(namespaceSelectorOnEndpoints(parse('env == "prod"')), podLabels)).toBe(true);
    expect(evaluate(namespaceSelectorOnEndpoints(parse('projectcalico.org/name == "prod"')), podLabels)).toBe(true);
    expect(evaluate(namespaceSelectorOnEndpoints(parse('app == "web"')), podLabels)).toBe(false);
  });

  test('service account selectors and names', () => {
    expect(serviceAccountSelectorOnEndpoints(undefined, undefined, false)).toBeUndefined();
    expect(serviceAccountSelectorOnEndpoints(undefined, [], false)).toBeUndefined();
    const both = serviceAccountSelectorOnEndpoints(parse('role == "intern"'), ['sa', 'other'], false)!;
    expect(nodeToString(both)).toBe('(pcsa.role == "intern" && projectcalico.org/serviceaccount in {"other", "sa"})');
    expect(evaluate(both, podLabels)).toBe(true);
    const all = serviceAccountSelectorOnEndpoints(parse('all()'), undefined, true)!;
    expect(evaluate(all, podLabels)).toBe(true);
    expect(evaluate(all, globalSetLabels)).toBe(false);
    expect(evaluate(serviceAccountSelectorOnEndpoints(parse('all()'), undefined, false)!, globalSetLabels)).toBe(true);
  });

  test('global() left in place by Calico matches everything in Felix', () => {
    // Calico: libcalico-go/lib/selector/parser/ast.go GlobalNode.Evaluate returns true
    const node = globalAsFelixEvaluates(parse('!global() || (a == "b" && global())'));
    expect(nodeToString(node)).toBe('(!all() || (a == "b" && all()))');
    expect(evaluate(globalAsFelixEvaluates(parse('global()')), podLabels)).toBe(true);
  });

  test('workload endpoint labels: namespace, orchestrator, and the service account when shorter than 63 characters', () => {
    expect(workloadEndpointLabels('prod', 'sa')).toEqual({
      'projectcalico.org/namespace': 'prod',
      'projectcalico.org/orchestrator': 'k8s',
      'projectcalico.org/serviceaccount': 'sa',
    });
    expect(workloadEndpointLabels('prod', 'x'.repeat(62))['projectcalico.org/serviceaccount']).toHaveLength(62);
    expect(workloadEndpointLabels('prod', 'x'.repeat(63))).toEqual({ 'projectcalico.org/namespace': 'prod', 'projectcalico.org/orchestrator': 'k8s' });
  });

  test('isAll', () => {
    expect(isAll(parse(''))).toBe(true);
    expect(isAll(parse('has(a)'))).toBe(false);
  });
});

describe('parseSelectorField', () => {
  test('returns the selector or names the field', () => {
    expect(parseSelectorField('a == "b"', ref, 'spec.selector').toString()).toBe('a == "b"');
    expect(() => parseSelectorField('a = "b"', ref, 'spec.selector')).toThrow('NetworkPolicy prod/p (networking.k8s.io/v1): spec.selector: Invalid Calico selector "a = \\"b\\""');
    expect(() => parseSelectorField(3, ref, 'spec.selector')).toThrow('spec.selector: expected a Calico selector string such as \'app == "web"\', got 3');
  });
});

describe('k8sLabelSelector', () => {
  test('matchLabels and matchExpressions become one conjunction', () => {
    const node = k8sLabelSelector(
      {
        matchLabels: { b: '2', a: '1' },
        matchExpressions: [
          { key: 'c', operator: 'In', values: ['x', 'y'] },
          { key: 'd', operator: 'NotIn', values: ['z'] },
          { key: 'e', operator: 'Exists' },
          { key: 'f', operator: 'DoesNotExist', values: [] },
        ],
      },
      ref,
      'spec.podSelector',
    );
    expect(nodeToString(node)).toBe('(a == "1" && b == "2" && c in {"x", "y"} && d not in {"z"} && has(e) && !has(f))');
    expect(evaluate(node, { a: '1', b: '2', c: 'x', e: '' })).toBe(true);
    expect(evaluate(node, { a: '1', b: '2', c: 'x', d: 'z', e: '' })).toBe(false);
  });

  test('empty or missing selects everything', () => {
    expect(isAll(k8sLabelSelector({}, ref, 'x'))).toBe(true);
    expect(isAll(k8sLabelSelector(undefined, ref, 'x'))).toBe(true);
  });

  test('errors name the field', () => {
    expect(() => k8sLabelSelector('app=web', ref, 'spec.podSelector')).toThrow('spec.podSelector: expected a label selector object with matchLabels and/or matchExpressions');
    expect(() => k8sLabelSelector({ matchLabels: { a: 1 } }, ref, 'spec.podSelector')).toThrow('spec.podSelector.matchLabels.a: expected a string value, got 1');
    expect(() => k8sLabelSelector({ matchExpressions: ['x'] }, ref, 's')).toThrow('s.matchExpressions[0]: expected an object with key, operator and values');
    expect(() => k8sLabelSelector({ matchExpressions: [{ operator: 'Exists' }] }, ref, 's')).toThrow('s.matchExpressions[0].key: expected a label key, got undefined');
    expect(() => k8sLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In' }] }, ref, 's')).toThrow('s.matchExpressions[0].values: operator In needs at least one value');
    expect(() => k8sLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, ref, 's')).toThrow(
      's.matchExpressions[0].values: operator Exists takes no values, got ["x"]',
    );
    expect(() => k8sLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: 'x' }] }, ref, 's')).toThrow('s.matchExpressions[0].values: expected a list of strings');
  });
});
