import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { dropEmptyRulePorts, transformOnSynth } from '../../src/policy/rendering';
import { networkModelOf } from '../../src/testing';

describe('transformOnSynth', () => {
  test('sees the finished manifest (JSON patches included) and stacks with later transforms', () => {
    const chart = Testing.chart();
    const obj = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } });
    obj.addJsonPatch(JsonPatch.add('/data/b', '2'));
    transformOnSynth(obj, (m) => ({ ...m, data: { ...m.data, seen: Object.keys(m.data).join(',') } }));
    transformOnSynth(obj, (m) => ({ ...m, data: { ...m.data, second: m.data.seen } }));
    expect(Testing.synth(chart)).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1', b: '2', seen: 'a,b', second: 'a,b' } },
    ]);
  });
});

describe('dropEmptyRulePorts', () => {
  function policy(chart: Chart) {
    const web = kplus.Pods.select(chart, 'web', { labels: { app: 'web' } });
    const np = new kplus.NetworkPolicy(chart, 'np', { metadata: { name: 'np', namespace: 'fe' }, selector: web });
    dropEmptyRulePorts(ApiObject.of(np));
    return np;
  }

  test('an empty ports list (every port) is left out; listed ports stay; rules added later too', () => {
    const chart = Testing.chart();
    const np = policy(chart);
    np.addIngressRule(kplus.Pods.all(chart, 'all'));
    np.addEgressRule(kplus.Pods.all(chart, 'all2'), [kplus.NetworkPolicyPort.tcp(443)]);
    np.addEgressRule(kplus.Pods.all(chart, 'all3'));
    const spec = Testing.synth(chart)[0].spec;
    expect(spec.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
    expect(spec.egress).toEqual([
      { to: [{ podSelector: {} }], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [{ podSelector: {} }] },
    ]);
    expect(spec.egress[1]).not.toHaveProperty('ports');
  });

  test('the same flows as with ports: [] (Kubernetes: empty or missing ports match every port)', () => {
    const chart = Testing.chart();
    const np = policy(chart);
    np.addIngressRule(kplus.Pods.select(chart, 'api', { labels: { app: 'api' } }));
    new kplus.Deployment(chart, 'w', { metadata: { name: 'web', namespace: 'fe' }, podMetadata: { labels: { app: 'web' } }, containers: [{ image: 'x', portNumber: 8080 }] });
    new kplus.Deployment(chart, 'a', { metadata: { name: 'api', namespace: 'fe' }, podMetadata: { labels: { app: 'api' } }, containers: [{ image: 'x', portNumber: 8080 }] });
    const model = networkModelOf(chart);
    expect(model).toAllow({ from: 'fe/api', to: 'fe/web', port: 12345 });
    expect(model).toDeny({ from: 'fe/web', to: 'fe/web', port: 12345 });
  });

  test('a manifest without spec or rules is returned as it is', () => {
    const chart = Testing.chart();
    const obj = new ApiObject(chart, 'x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    dropEmptyRulePorts(obj);
    expect(Testing.synth(chart)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }]);
    const other = new ApiObject(chart, 'y', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'y' }, spec: { ingress: 'odd' } });
    dropEmptyRulePorts(other);
    expect(Testing.synth(chart)[1].spec).toEqual({ ingress: 'odd' });
  });
});
