import { AccessLevel } from '../../src/rbac/access';
import { KNOWN_VERBS, MANAGE_VERBS, READ_VERBS, verbsOf } from '../../src/rbac/verbs';

describe('verbsOf', () => {
  test('READ is get, list, watch', () => {
    expect(verbsOf('o', 'access', AccessLevel.READ)).toEqual(['get', 'list', 'watch']);
    expect(READ_VERBS).toEqual(['get', 'list', 'watch']);
  });

  test('MANAGE spells out every single-object verb and never uses *', () => {
    expect(verbsOf('o', 'access', AccessLevel.MANAGE)).toEqual(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']);
    expect(MANAGE_VERBS).not.toContain('*');
    expect(KNOWN_VERBS).toEqual([...MANAGE_VERBS, 'deletecollection']);
  });

  test('returns a fresh copy each time', () => {
    const verbs = verbsOf('o', 'access', AccessLevel.READ);
    verbs.push('delete');
    expect(verbsOf('o', 'access', AccessLevel.READ)).toEqual(['get', 'list', 'watch']);
  });

  test('rejects a value that is not an access level', () => {
    expect(() => verbsOf('Role "x"', 'access', 'admin' as AccessLevel)).toThrow(
      'Role "x": access: "admin" is not an access level; use AccessLevel.READ or AccessLevel.MANAGE',
    );
  });
});
