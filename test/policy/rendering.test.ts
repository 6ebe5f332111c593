import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { transformOnSynth } from '../../src/policy/rendering';

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
