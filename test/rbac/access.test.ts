import { AccessLevel } from '../../src/rbac/access';

describe('AccessLevel', () => {
  test('members', () => {
    expect(Object.values(AccessLevel)).toEqual(['read', 'manage']);
  });
});
