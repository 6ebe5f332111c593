import { serviceAccountLabelValue } from '../../src/core/calico';

describe('serviceAccountLabelValue', () => {
  test('only a non-empty name shorter than 63 characters is a label value (Calico workload_endpoint_default.go)', () => {
    expect(serviceAccountLabelValue('default')).toBe('default');
    expect(serviceAccountLabelValue('a'.repeat(62))).toBe('a'.repeat(62));
    expect(serviceAccountLabelValue('a'.repeat(63))).toBeUndefined();
    expect(serviceAccountLabelValue('')).toBeUndefined();
  });
});
