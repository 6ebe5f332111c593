import { ApiObject, Testing } from 'cdk8s';
import { TypedApiObject } from '../../src/policy';

class Widget extends TypedApiObject {}
class Gadget extends Widget {}

describe('TypedApiObject', () => {
  test('instanceof follows the classes, and every one is still an ApiObject', () => {
    const chart = Testing.chart();
    const plain = new ApiObject(chart, 'plain', { apiVersion: 'v1', kind: 'ConfigMap' });
    const widget = new Widget(chart, 'widget', { apiVersion: 'v1', kind: 'ConfigMap' });
    const gadget = new Gadget(chart, 'gadget', { apiVersion: 'v1', kind: 'ConfigMap' });
    expect([plain instanceof Widget, plain instanceof TypedApiObject, widget instanceof Gadget]).toEqual([false, false, false]);
    expect([widget instanceof Widget, gadget instanceof Widget, gadget instanceof Gadget, gadget instanceof TypedApiObject])
      .toEqual([true, true, true, true]);
    expect([plain, widget, gadget].every((o) => o instanceof ApiObject && ApiObject.isApiObject(o))).toBe(true);
    expect(Testing.synth(chart)).toHaveLength(3);
  });
});
