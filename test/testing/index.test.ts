import { ApiObject, Chart, Testing } from 'cdk8s';
import { RbacModel } from '../../src/analysis';
import { NetworkModel } from '../../src/analysis/network-model';
import * as testing from '../../src/testing';
import { calicoMatchers } from '../../src/testing/matchers';

function shop(chart: Chart): Chart {
  new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  new ApiObject(chart, 'web', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [{ name: 'main', image: 'nginx' }] },
  });
  new ApiObject(chart, 'isolate', {
    apiVersion: 'projectcalico.org/v3',
    kind: 'GlobalNetworkPolicy',
    metadata: { name: 'isolate-shop' },
    spec: { namespaceSelector: "projectcalico.org/name == 'shop'", types: ['Ingress', 'Egress'] },
  });
  return chart;
}

test('importing the module registers the matchers with the global expect', () => {
  const model = testing.networkModelOf(shop(Testing.chart()));
  expect(model).toDeny({ from: 'shop/web', to: 'ip:203.0.113.7', protocol: 'TCP', port: 443 });
  expect(model).not.toAllow({ from: 'ip:203.0.113.7', to: 'shop/web' });
  expect(testing.rbacModelOf(Testing.chart())).toForbid({ user: 'alice', verb: 'get', apiGroup: '', resource: 'pods' });
});

test('the public surface', () => {
  expect(testing.calicoMatchers).toBe(calicoMatchers);
  expect(testing.NetworkModel).toBe(NetworkModel);
  expect(testing.RbacModel).toBe(RbacModel);
  expect(Object.keys(testing).sort()).toEqual([
    'NetworkModel', 'RbacModel', 'calicoMatchers', 'describeAccessRequest', 'describeFlow', 'networkModelOf', 'rbacModelOf', 'registerCalicoMatchers',
  ]);
});

describe('automatic registration', () => {
  const realExpect = expect;

  afterEach(() => {
    (globalThis as any).expect = realExpect;
  });

  test('extends a global expect present at import time', () => {
    const extend = jest.fn();
    (globalThis as any).expect = { extend };
    jest.isolateModules(() => {
      jest.requireActual('../../src/testing');
    });
    (globalThis as any).expect = realExpect;
    expect(extend).toHaveBeenCalledTimes(1);
    expect(Object.keys(extend.mock.calls[0][0]).sort()).toEqual(['toAllow', 'toDeny', 'toForbid', 'toPermit']);
  });

  test('does nothing (and does not throw) without a global expect', () => {
    (globalThis as any).expect = undefined;
    let loaded: any;
    let error: any;
    try {
      jest.isolateModules(() => {
        loaded = jest.requireActual('../../src/testing');
      });
    } catch (e) {
      error = e;
    }
    (globalThis as any).expect = realExpect;
    expect(error).toBeUndefined();
    expect(typeof loaded.registerCalicoMatchers).toBe('function');
  });
});
