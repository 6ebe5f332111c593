import { kubernetesLabelSelectorOf, namespaceNameSelector, toKubernetesLabelSelector } from '../../src/policy/peer-selectors';
import { Selector } from '../../src/selector';

function render(selector: Selector): any {
  const result = toKubernetesLabelSelector('o', 'f', selector);
  return { labels: result.labels, expressions: result.expressions.map((e: any) => ({ key: e.key, operator: e.operator, values: e.values })) };
}

describe('toKubernetesLabelSelector', () => {
  test('all() is the empty selector', () => {
    expect(render(Selector.all())).toEqual({ labels: {}, expressions: [] });
  });

  test('equalities become match labels', () => {
    expect(render(Selector.fromLabels({ app: 'web', tier: 'fe' }))).toEqual({ labels: { app: 'web', tier: 'fe' }, expressions: [] });
  });

  test('!=, in, not in, has and !has become expressions', () => {
    const selector = Selector.label('a').ne('x')
      .and(Selector.label('b').in(['2', '1']), Selector.label('c').notIn(['z']), Selector.has('d'), Selector.has('e').not());
    expect(render(selector)).toEqual({
      labels: {},
      expressions: [
        { key: 'a', operator: 'NotIn', values: ['x'] },
        { key: 'b', operator: 'In', values: ['1', '2'] },
        { key: 'c', operator: 'NotIn', values: ['z'] },
        { key: 'd', operator: 'Exists', values: undefined },
        { key: 'e', operator: 'DoesNotExist', values: undefined },
      ],
    });
  });

  test('two different values for one key keep their meaning (nothing matches)', () => {
    expect(render(Selector.parse('a == "1" && a == "2"'))).toEqual({
      labels: { a: '1' },
      expressions: [{ key: 'a', operator: 'In', values: ['2'] }],
    });
  });

  test.each(['a == "1" || b == "2"', '!(a == "1")', 'a contains "x"', 'a starts with "x"', 'a ends with "x"', 'global()'])(
    '%s has no Kubernetes form',
    (text) => {
      expect(() => toKubernetesLabelSelector('DevTeamNamespace "c/be"', 'allowIngressFrom()', Selector.parse(text))).toThrow(
        /^DevTeamNamespace "c\/be": allowIngressFrom\(\): the selector ".*" cannot be written as a Kubernetes label selector .*use Calico policies \(policyKind: TeamPolicyKind.CALICO\)$/,
      );
    },
  );
});

describe('kubernetesLabelSelectorOf', () => {
  test('says why Kubernetes cannot express a selector, without throwing', () => {
    expect(kubernetesLabelSelectorOf(Selector.parse('a == "1" || b == "2"'))).toMatch(/^the selector "\(a == "1" \|\| b == "2"\)" cannot be written as a Kubernetes label selector/);
    expect(kubernetesLabelSelectorOf(Selector.has('a'))).toMatchObject({ labels: {} });
  });
});

describe('namespaceNameSelector', () => {
  test('uses the label Calico sets from the namespace name', () => {
    expect(namespaceNameSelector(['kube-system']).toString()).toBe('projectcalico.org/name == "kube-system"');
    expect(namespaceNameSelector(['b', 'a']).toString()).toBe('projectcalico.org/name in {"a", "b"}');
  });
});
