import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { checkMetadata, dropChartNamespace, generatedName, rejectNamespace, resolveNamespace } from '../../src/policy/metadata';

const OWNER = 'NetworkSet "test/s"';

describe('generatedName', () => {
  test('is the cdk8s name of the construct path, with a hash', () => {
    const chart = Testing.chart();
    const c = new Construct(chart, 'AllowWeb');
    expect(generatedName(c)).toMatch(/^test-allowweb-[0-9a-f]{8}$/);
    expect(generatedName(c)).toBe(generatedName(c));
    expect(generatedName(new Construct(chart, 'Other'))).not.toBe(generatedName(c));
  });

  test('honours disableResourceNameHashes', () => {
    const chart = new Chart(Testing.app(), 'chart', { disableResourceNameHashes: true });
    expect(generatedName(new Construct(chart, 'allow-web'))).toBe('chart-allow-web');
  });
});

describe('resolveNamespace', () => {
  test('metadata.namespace wins over the chart namespace', () => {
    const chart = new Chart(Testing.app(), 'chart', { namespace: 'chart-ns' });
    const c = new Construct(chart, 'c');
    expect(resolveNamespace(OWNER, c, { namespace: 'prod' })).toBe('prod');
    expect(resolveNamespace(OWNER, c, {})).toBe('chart-ns');
    expect(resolveNamespace(OWNER, c, undefined)).toBe('chart-ns');
  });

  test('fails without any namespace', () => {
    const c = new Construct(Testing.chart(), 'c');
    expect(() => resolveNamespace(OWNER, c, {})).toThrow(
      'NetworkSet "test/s": metadata.namespace: this object is namespaced: set metadata.namespace, or give the chart a namespace',
    );
  });

  test('namespaces are DNS labels', () => {
    const c = new Construct(Testing.chart(), 'c');
    expect(() => resolveNamespace(OWNER, c, { namespace: 'Prod' })).toThrow(/metadata.namespace: "Prod" is not a valid namespace/);
  });
});

describe('cluster-scoped objects', () => {
  test('rejectNamespace', () => {
    expect(() => rejectNamespace(OWNER, 'GlobalNetworkSet', { namespace: 'x' })).toThrow(
      'NetworkSet "test/s": metadata.namespace: a GlobalNetworkSet is cluster-scoped and has no namespace; remove metadata.namespace',
    );
    expect(() => rejectNamespace(OWNER, 'GlobalNetworkSet', { name: 'x' })).not.toThrow();
  });

  test('dropChartNamespace removes the chart namespace, and only when there is one', () => {
    const namespaced = new Chart(Testing.app(), 'chart', { namespace: 'prod' });
    const a = new ApiObject(namespaced, 'a', { apiVersion: 'v1', kind: 'X', metadata: { name: 'a' } });
    dropChartNamespace(a);
    expect(a.toJson().metadata).toEqual({ name: 'a' });

    const plain = Testing.chart();
    const b = new ApiObject(plain, 'b', { apiVersion: 'v1', kind: 'X', metadata: { name: 'b' } });
    dropChartNamespace(b);
    expect(b.toJson().metadata).toEqual({ name: 'b' });
  });
});

describe('checkMetadata', () => {
  test('checks labels and annotations', () => {
    expect(() => checkMetadata(OWNER, { labels: { app: 'web' }, annotations: { note: 'any text' } })).not.toThrow();
    expect(() => checkMetadata(OWNER, undefined)).not.toThrow();
    expect(() => checkMetadata(OWNER, { labels: { app: 'not valid' } })).toThrow(/metadata.labels\["app"\]: "not valid" is not a valid label value/);
    expect(() => checkMetadata(OWNER, { annotations: { '/x': 'y' } })).toThrow(/metadata.annotations: "\/x" is not a valid annotation key/);
  });
});
