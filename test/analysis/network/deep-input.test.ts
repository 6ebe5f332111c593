import { NetworkModel } from '../../../src/analysis';

// Selectors 20,000 levels deep and chains of 20,000 `!` once overflowed the stack (RangeError) in the
// model's selector rewrites; every walk over a selector is iterative now.
describe('very deep selectors in policies', () => {
  const deep = `${'('.repeat(20000)}app == "a"${')'.repeat(20000)}`;
  const negations = `${'!'.repeat(20000)}has(x)`;
  const objects: any[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a', labels: { app: 'a' } }, spec: { containers: [] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q', namespace: 'a', labels: { app: 'b' } }, spec: { containers: [] } },
    {
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'g' },
      spec: {
        selector: deep,
        namespaceSelector: negations,
        serviceAccountSelector: deep,
        types: ['Ingress'],
        ingress: [{ action: 'Deny', source: { selector: deep, notSelector: negations, namespaceSelector: deep, serviceAccounts: { selector: deep } } }],
      },
    },
    {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'n', namespace: 'a' },
      spec: { selector: deep, types: ['Ingress'], ingress: [{ action: 'Deny', source: { selector: `!${deep}` } }] },
    },
  ];

  test('are read, checked and tabulated without a stack overflow, with Calico verdicts', () => {
    const model = NetworkModel.fromManifests(objects);
    // q (app b) → p (app a): the namespaced policy selects p and denies sources that are not app a.
    const verdict = model.check({ from: 'a/q', to: 'a/p', port: 80 });
    expect(verdict.allowed).toBe(false);
    expect(verdict.explanation).toMatch(/NetworkPolicy a\/n/);
    expect(model.matrix({ ports: [{ protocol: 'TCP', port: 80 }] }).cells.length).toBe(4);
  });
});
