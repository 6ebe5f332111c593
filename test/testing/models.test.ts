import { ApiObject, Chart, Testing } from 'cdk8s';
import { NetworkModel, RbacModel } from '../../src/analysis';
import { describeValue, networkModelOf, rbacModelOf } from '../../src/testing/models';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function addShop(chart: Chart, namespace: string): void {
  new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  for (const name of ['web', 'db']) {
    new ApiObject(chart, name, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, labels: { app: name } },
      spec: { containers: [{ name: 'main', image: 'busybox' }] },
    });
  }
  new ApiObject(chart, 'deny-db', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny-db', namespace },
    spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] },
  });
}

function addReader(chart: Chart, namespace: string): void {
  new ApiObject(chart, 'role', {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'Role',
    metadata: { name: 'reader', namespace },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
  });
  new ApiObject(chart, 'binding', {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'RoleBinding',
    metadata: { name: 'reader', namespace },
    subjects: [{ kind: 'User', name: 'alice', apiGroup: RBAC_GROUP }],
    roleRef: { kind: 'Role', name: 'reader', apiGroup: RBAC_GROUP },
  });
}

describe('networkModelOf', () => {
  test('a chart', () => {
    const chart = Testing.chart();
    addShop(chart, 'shop');
    const model = networkModelOf(chart);
    expect(model).toBeInstanceOf(NetworkModel);
    expect(model.endpoints()).toEqual(['shop/db', 'shop/web']);
    expect(model.check({ from: 'shop/web', to: 'shop/db' }).allowed).toBe(false);
    expect(model.check({ from: 'shop/db', to: 'shop/web' }).allowed).toBe(true);
  });

  test('an app: the objects of all its charts', () => {
    const app = Testing.app();
    addShop(new Chart(app, 'one'), 'one');
    addShop(new Chart(app, 'two'), 'two');
    expect(networkModelOf(app).endpoints()).toEqual(['one/db', 'one/web', 'two/db', 'two/web']);
  });

  test('options reach the model: tiers managed outside the manifests', () => {
    const chart = Testing.chart();
    addShop(chart, 'shop');
    new ApiObject(chart, 'platform-policy', {
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'platform.deny-web' },
      spec: { tier: 'platform', order: 1, selector: "app == 'db'", types: ['Ingress'], ingress: [{ action: 'Deny' }] },
    });
    expect(() => networkModelOf(chart)).toThrow(/platform/);
    const model = networkModelOf(chart, { tiers: [{ name: 'platform', order: 50 }] });
    expect(model.check({ from: 'shop/web', to: 'shop/db' }).explanation).toMatch(/platform\.deny-web/);
  });

  test.each([
    [undefined, 'undefined'],
    [[], 'an array (for plain manifests use NetworkModel.fromManifests / RbacModel.fromManifests)'],
    [{ charts: [] }, 'a plain object'],
  ])('rejects %j', (value, described) => {
    expect(() => networkModelOf(value as any)).toThrow(`networkModelOf expects a cdk8s Chart or App, got ${described}`);
  });
});

describe('rbacModelOf', () => {
  test('a chart', () => {
    const chart = Testing.chart();
    addReader(chart, 'be');
    const model = rbacModelOf(chart);
    expect(model).toBeInstanceOf(RbacModel);
    expect(model.check({ user: 'alice', verb: 'get', apiGroup: '', resource: 'pods', namespace: 'be' }).allowed).toBe(true);
    expect(model.check({ user: 'alice', verb: 'get', apiGroup: '', resource: 'pods', namespace: 'fe' }).allowed).toBe(false);
  });

  test('an app: the objects of all its charts', () => {
    const app = Testing.app();
    addReader(new Chart(app, 'be'), 'be');
    addReader(new Chart(app, 'fe'), 'fe');
    const model = rbacModelOf(app);
    for (const namespace of ['be', 'fe']) {
      expect(model.check({ user: 'alice', verb: 'get', apiGroup: '', resource: 'pods', namespace }).allowed).toBe(true);
    }
  });

  test('rejects what is not a chart or app', () => {
    expect(() => rbacModelOf(null as any)).toThrow('rbacModelOf expects a cdk8s Chart or App, got null');
    expect(() => rbacModelOf(RbacModel.fromManifests([]) as any)).toThrow('rbacModelOf expects a cdk8s Chart or App, got an instance of RbacModel');
  });
});

describe('describeValue', () => {
  test.each([
    [null, 'null'],
    [undefined, 'undefined'],
    [[1], 'an array'],
    ['x', 'the string "x"'],
    [{}, 'a plain object'],
    [Object.create(null), 'a plain object'],
    [new Map(), 'an instance of Map'],
    [() => 1, 'a function'],
    [7, 'number 7'],
    [true, 'boolean true'],
  ])('%p', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});
