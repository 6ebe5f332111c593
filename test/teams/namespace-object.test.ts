import { Chart, Testing } from 'cdk8s';
import { createNamespaceObject } from '../../src/teams/namespace-object';

describe('createNamespaceObject', () => {
  test('a Namespace without spec: {} and without the chart namespace; labels when given', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'team' });
    createNamespaceObject(chart, 'a', 'apps', { team: 'apps' });
    createNamespaceObject(chart, 'b', 'bare');
    createNamespaceObject(chart, 'c', 'empty-labels', {});
    expect(Testing.synth(chart)).toEqual([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels: { team: 'apps' } } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bare' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'empty-labels' } },
    ]);
  });
});
