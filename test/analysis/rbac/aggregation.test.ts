import { ClusterRoleAggregation, effectiveClusterRoleRules, labelSelectorMatches, LabelSelectorSpec, parseRbacObjects, RoleObject } from '../../../src/analysis/rbac';

function selector(matchLabels: { [key: string]: string }, matchExpressions: any[] = []): LabelSelectorSpec {
  return { matchLabels, matchExpressions };
}

function clusterRole(name: string, labels: { [key: string]: string }, resources: string[], aggregationRule?: any): any {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels },
    rules: resources.length ? [{ apiGroups: [''], resources, verbs: ['get'] }] : undefined,
    aggregationRule,
  };
}

function roles(...objects: any[]): RoleObject[] {
  return parseRbacObjects(objects).clusterRoles;
}

function resourcesOf(rules: Map<string, any[]>, name: string): string[] {
  return rules.get(name)!.flatMap((sourced) => sourced.rule.resources).sort();
}

describe('labelSelectorMatches', () => {
  const labels = { team: 'sec', tier: 'a' };
  test.each([
    ['empty selector', selector({}), true],
    ['matching matchLabels', selector({ team: 'sec' }), true],
    ['mismatching matchLabels value', selector({ team: 'dev' }), false],
    ['matchLabels on a missing key', selector({ other: 'x' }), false],
    ['In with the value', selector({}, [{ key: 'tier', operator: 'In', values: ['a', 'b'] }]), true],
    ['In without the value', selector({}, [{ key: 'tier', operator: 'In', values: ['b'] }]), false],
    ['In on a missing key', selector({}, [{ key: 'x', operator: 'In', values: ['a'] }]), false],
    ['NotIn with the value', selector({}, [{ key: 'tier', operator: 'NotIn', values: ['a'] }]), false],
    ['NotIn without the value', selector({}, [{ key: 'tier', operator: 'NotIn', values: ['b'] }]), true],
    ['NotIn on a missing key', selector({}, [{ key: 'x', operator: 'NotIn', values: ['a'] }]), true],
    ['Exists on a present key', selector({}, [{ key: 'team', operator: 'Exists', values: [] }]), true],
    ['Exists on a missing key', selector({}, [{ key: 'x', operator: 'Exists', values: [] }]), false],
    ['DoesNotExist on a missing key', selector({}, [{ key: 'x', operator: 'DoesNotExist', values: [] }]), true],
    ['DoesNotExist on a present key', selector({}, [{ key: 'team', operator: 'DoesNotExist', values: [] }]), false],
    ['labels and expressions must all hold', selector({ team: 'sec' }, [{ key: 'tier', operator: 'In', values: ['z'] }]), false],
  ])('%s', (_title, sel, expected) => {
    expect(labelSelectorMatches(sel, labels)).toBe(expected);
  });
});

describe('effectiveClusterRoleRules', () => {
  test('a plain ClusterRole keeps its own rules, tagged with itself as origin', () => {
    const rules = effectiveClusterRoleRules(roles(clusterRole('plain', {}, ['pods'])));
    expect(rules.get('plain')).toEqual([{ rule: expect.objectContaining({ resources: ['pods'] }), origin: 'plain' }]);
  });

  test('an aggregated ClusterRole gets the union of the rules of every role matching any selector, and loses its own', () => {
    const rules = effectiveClusterRoleRules(roles(
      clusterRole('agg', {}, ['secrets'], {
        clusterRoleSelectors: [
          { matchLabels: { 'rbac.example.com/aggregate-to-agg': 'true' } },
          { matchExpressions: [{ key: 'extra', operator: 'Exists' }] },
        ],
      }),
      clusterRole('one', { 'rbac.example.com/aggregate-to-agg': 'true' }, ['pods']),
      clusterRole('two', { extra: '' }, ['services']),
      clusterRole('other', { 'rbac.example.com/aggregate-to-agg': 'false' }, ['nodes']),
    ));
    expect(resourcesOf(rules, 'agg')).toEqual(['pods', 'services']);
    expect(rules.get('agg')!.map((s) => s.origin).sort()).toEqual(['one', 'two']);
  });

  test('aggregation is transitive, whatever the manifest order', () => {
    const rules = effectiveClusterRoleRules(roles(
      clusterRole('top', {}, [], { clusterRoleSelectors: [{ matchLabels: { to: 'top' } }] }),
      clusterRole('middle', { to: 'top' }, [], { clusterRoleSelectors: [{ matchLabels: { to: 'middle' } }] }),
      clusterRole('leaf', { to: 'middle' }, ['pods']),
    ));
    expect(resourcesOf(rules, 'top')).toEqual(['pods']);
    expect(rules.get('top')![0].origin).toBe('leaf');
  });

  test('an aggregated role never aggregates itself and cycles terminate', () => {
    const rules = effectiveClusterRoleRules(roles(
      clusterRole('a', { ring: 'yes' }, [], { clusterRoleSelectors: [{ matchLabels: { ring: 'yes' } }] }),
      clusterRole('b', { ring: 'yes' }, [], { clusterRoleSelectors: [{ matchLabels: { ring: 'yes' } }] }),
      clusterRole('leaf', { ring: 'yes' }, ['pods']),
    ));
    expect(resourcesOf(rules, 'a')).toEqual(['pods']);
    expect(resourcesOf(rules, 'b')).toEqual(['pods']);
  });

  test('an aggregated role with no match has no rules', () => {
    const rules = effectiveClusterRoleRules(roles(
      clusterRole('lonely', {}, ['pods'], { clusterRoleSelectors: [{ matchLabels: { nobody: 'here' } }] }),
    ));
    expect(rules.get('lonely')).toEqual([]);
  });
});

describe('ClusterRoleAggregation', () => {
  test('an aggregated role reached through another contributes the roles it reaches, not its own manifest rules', () => {
    const aggregation = new ClusterRoleAggregation(roles(
      clusterRole('top', {}, [], { clusterRoleSelectors: [{ matchLabels: { to: 'top' } }] }),
      clusterRole('middle', { to: 'top' }, ['secrets'], { clusterRoleSelectors: [{ matchLabels: { to: 'middle' } }] }),
      clusterRole('leaf-b', { to: 'middle' }, ['services']),
      clusterRole('leaf-a', { to: 'top' }, ['pods']),
    ));
    expect(aggregation.rulesOf('top')!.map((s) => [s.origin, s.rule.resources[0]])).toEqual([['leaf-a', 'pods'], ['leaf-b', 'services']]);
    expect(aggregation.rulesOf('middle')!.map((s) => s.origin)).toEqual(['leaf-b']);
    expect(aggregation.rulesOf('leaf-a')!.map((s) => s.origin)).toEqual(['leaf-a']);
  });

  test('a role matched by several selectors, or reached along several paths, contributes once', () => {
    const aggregation = new ClusterRoleAggregation(roles(
      clusterRole('top', {}, [], {
        clusterRoleSelectors: [
          { matchLabels: { a: 'x' } },
          { matchExpressions: [{ key: 'b', operator: 'Exists' }] },
          { matchExpressions: [{ key: 'a', operator: 'In', values: ['x', 'y'] }] },
        ],
      }),
      clusterRole('middle', { a: 'y' }, [], { clusterRoleSelectors: [{ matchLabels: { a: 'x' } }] }),
      clusterRole('leaf', { a: 'x', b: '' }, ['pods']),
    ));
    expect(aggregation.rulesOf('top')).toHaveLength(1);
  });

  test('identical rules of one role count once; identical rules of two roles keep both origins', () => {
    const duplicate = { apiGroups: [''], resources: ['pods'], verbs: ['get'] };
    const aggregation = new ClusterRoleAggregation(parseRbacObjects([
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'y' } }] } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'one', labels: { x: 'y' } }, rules: [duplicate, duplicate] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'two', labels: { x: 'y' } }, rules: [duplicate] },
    ]).clusterRoles);
    expect(aggregation.rulesOf('agg')!.map((s) => s.origin)).toEqual(['one', 'two']);
  });

  test('NotIn and DoesNotExist selectors consider every role', () => {
    const aggregation = new ClusterRoleAggregation(roles(
      clusterRole('agg', {}, [], { clusterRoleSelectors: [{ matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['x'] }, { key: 'skip', operator: 'DoesNotExist' }] }] }),
      clusterRole('kept', { team: 'y' }, ['pods']),
      clusterRole('unlabelled', {}, ['services']),
      clusterRole('excluded', { team: 'x' }, ['nodes']),
      clusterRole('skipped', { skip: 'yes' }, ['secrets']),
    ));
    expect(aggregation.rulesOf('agg')!.map((s) => s.origin)).toEqual(['kept', 'unlabelled']);
  });

  test('a role missing from the manifests has no rules', () => {
    const aggregation = new ClusterRoleAggregation([]);
    expect(aggregation.has('cluster-admin')).toBe(false);
    expect(aggregation.rulesOf('cluster-admin')).toBeUndefined();
  });

  test('thousands of roles feeding a chain of aggregated roles: every rule reaches the top once', () => {
    const objects: any[] = [];
    for (let i = 0; i < 20; i++) {
      objects.push(clusterRole(`agg-${i}`, i > 0 ? { [`to-${i - 1}`]: 'true' } : {}, [], { clusterRoleSelectors: [{ matchLabels: { [`to-${i}`]: 'true' } }] }));
    }
    for (let i = 0; i < 2000; i++) objects.push(clusterRole(`role-${i}`, { [`to-${i % 20}`]: 'true' }, [`things-${i}`]));
    const rules = effectiveClusterRoleRules(roles(...objects));
    expect(rules.get('agg-0')).toHaveLength(2000);
    expect(rules.get('agg-19')).toHaveLength(100);
    expect(new Set(rules.get('agg-0')!.map((s) => s.origin)).size).toBe(2000);
  });
});
