import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { SubjectSet, subjectKey } from '../../src/rbac/subject-set';

describe('SubjectSet', () => {
  test('returns only subjects not seen before', () => {
    const chart = Testing.chart();
    const set = new SubjectSet('owner');
    const alice = kplus.User.fromName(chart, 'a', 'alice');
    expect(set.addAll('bind()', [alice, kplus.User.fromName(chart, 'a2', 'alice')])).toEqual([alice]);
    expect(set.addAll('bind()', [kplus.User.fromName(chart, 'a3', 'alice')])).toEqual([]);
    expect(set.size).toBe(1);
  });

  test('keys by kind, namespace and name', () => {
    const chart = Testing.chart();
    const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'm', namespace: 'team' } });
    expect(subjectKey(sa)).toBe('ServiceAccount/team/m');
    expect(subjectKey(kplus.Group.fromName(chart, 'g', 'm'))).toBe('Group//m');
  });

  test('refuses empty lists and non-subjects', () => {
    const set = new SubjectSet('Role "r"');
    expect(() => set.addAll('bind()', [])).toThrow('Role "r": bind(): give at least one subject');
    expect(() => set.addAll('bind()', [{ name: 'alice' } as any])).toThrow('Role "r": bind()[0]: is not a subject; use kplus.User.fromName()');
  });
});
