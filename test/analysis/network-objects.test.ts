import {
  closestNames,
  editDistance,
  fail,
  isObject,
  ObjectRef,
  optArray,
  optBoolean,
  optNumber,
  optObject,
  optString,
  optStringArray,
  optStringMap,
  show,
} from '../../src/analysis/network-objects';

const ref = new ObjectRef('Pod', 'v1', 'web', 'prod');

describe('ObjectRef and fail', () => {
  test('names kind, namespace/name and apiVersion', () => {
    expect(ref.toString()).toBe('Pod prod/web (v1)');
    expect(new ObjectRef('Tier', 'projectcalico.org/v3', 'security', undefined).toString()).toBe('Tier security (projectcalico.org/v3)');
    expect(new ObjectRef('Tier', 'projectcalico.org/v3', undefined, undefined).toString()).toBe('Tier (unnamed) (projectcalico.org/v3)');
    expect(() => fail(ref, 'spec.x', 'is wrong')).toThrow('Pod prod/web (v1): spec.x: is wrong');
  });
});

describe('show', () => {
  test('renders values briefly', () => {
    expect(show(undefined)).toBe('undefined');
    expect(show('a')).toBe('"a"');
    expect(show({ a: 1 })).toBe('{"a":1}');
    expect(show('x'.repeat(100))).toHaveLength(80);
    const circular: any = {};
    circular.self = circular;
    expect(show(circular)).toBe('[object Object]');
    expect(show(() => 1)).toBe('() => 1');
  });
});

describe('field readers', () => {
  test('absent and null read as undefined', () => {
    for (const read of [optObject, optArray, optString, optNumber, optBoolean, optStringArray, optStringMap]) {
      expect(read({ a: null }, 'a', ref, 'a')).toBeUndefined();
      expect(read(undefined, 'a', ref, 'a')).toBeUndefined();
      expect(read(null, 'a', ref, 'a')).toBeUndefined();
    }
  });

  test('values of the right type are returned', () => {
    expect(optObject({ a: { b: 1 } }, 'a', ref, 'a')).toEqual({ b: 1 });
    expect(optArray({ a: [1] }, 'a', ref, 'a')).toEqual([1]);
    expect(optString({ a: 'x' }, 'a', ref, 'a')).toBe('x');
    expect(optNumber({ a: 1.5 }, 'a', ref, 'a')).toBe(1.5);
    expect(optBoolean({ a: false }, 'a', ref, 'a')).toBe(false);
    expect(optStringArray({ a: ['x'] }, 'a', ref, 'a')).toEqual(['x']);
    expect(optStringMap({ a: { k: 'v' } }, 'a', ref, 'a')).toEqual({ k: 'v' });
  });

  test('wrong types name the field', () => {
    expect(() => optObject({ a: [] }, 'a', ref, 'spec.a')).toThrow('Pod prod/web (v1): spec.a: expected an object, got []');
    expect(() => optArray({ a: 'x' }, 'a', ref, 'spec.a')).toThrow('spec.a: expected a list, got "x"');
    expect(() => optString({ a: 1 }, 'a', ref, 'spec.a')).toThrow('spec.a: expected a string, got 1');
    expect(() => optNumber({ a: 'x' }, 'a', ref, 'spec.a')).toThrow('spec.a: expected a number, got "x"');
    expect(() => optNumber({ a: Infinity }, 'a', ref, 'spec.a')).toThrow('spec.a: expected a number');
    expect(() => optBoolean({ a: 'yes' }, 'a', ref, 'spec.a')).toThrow('spec.a: expected true or false, got "yes"');
    expect(() => optStringArray({ a: ['x', 2] }, 'a', ref, 'spec.a')).toThrow('spec.a[1]: expected a string, got 2');
    expect(() => optStringMap({ a: { k: true } }, 'a', ref, 'metadata.labels')).toThrow(
      'metadata.labels.k: expected a string value, got true (quote numbers and booleans in label values)',
    );
  });

  test('isObject', () => {
    expect(isObject({})).toBe(true);
    expect(isObject([])).toBe(false);
    expect(isObject(null)).toBe(false);
    expect(isObject('x')).toBe(false);
  });
});

describe('suggestions', () => {
  test('editDistance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  test('closestNames prefers related names, then the nearest', () => {
    const ids = ['prod/web', 'prod/api', 'staging/web', 'prod/database'];
    expect(closestNames('web', ids, 2)).toEqual(['prod/web', 'staging/web']);
    expect(closestNames('prod/ap', ids, 1)).toEqual(['prod/api']);
    expect(closestNames('x', [], 3)).toEqual([]);
  });
});
