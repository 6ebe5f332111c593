import * as fc from 'fast-check';
import { PolicyRuleSpec, ResourceAttributes, ruleAllows } from '../../src/analysis/rbac';
import { compactPolicyRules } from '../../src/rbac/rule-compaction';

const MANAGE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** A rule as the RBAC model reads it (the model's own rule matching is the reference). */
function spec(rule: any): PolicyRuleSpec {
  return {
    verbs: rule.verbs ?? [],
    apiGroups: rule.apiGroups ?? [],
    resources: rule.resources ?? [],
    resourceNames: rule.resourceNames ?? [],
    nonResourceURLs: rule.nonResourceURLs ?? [],
  };
}

function allows(rules: any[], request: ResourceAttributes): boolean {
  return rules.some((rule) => ruleAllows(spec(rule), request));
}

/** cdk8s-plus's rendering: one rule per resource, `resourceNames: []` when unnamed. */
function perResource(verbs: string[], apiGroup: string, resources: string[], name?: string): any[] {
  return resources.map((resource) => ({ apiGroups: [apiGroup], resources: [resource], resourceNames: name === undefined ? [] : [name], verbs }));
}

describe('compactPolicyRules', () => {
  test('groups resources by API group, verb set and names; sorts everything; drops empty resourceNames', () => {
    const rules = [
      ...perResource(MANAGE, 'networking.k8s.io', ['networkpolicies']),
      ...perResource(MANAGE, 'projectcalico.org', ['networkpolicies', 'globalnetworkpolicies', 'networksets']),
      ...perResource(['get', 'list', 'watch'], 'projectcalico.org', ['tiers']),
      ...perResource(['update', 'patch', 'delete'], 'projectcalico.org', ['tiers'], 'security'),
    ];
    expect(compactPolicyRules(rules)).toEqual([
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: MANAGE },
      { apiGroups: ['projectcalico.org'], resources: ['globalnetworkpolicies', 'networkpolicies', 'networksets'], verbs: MANAGE },
      { apiGroups: ['projectcalico.org'], resources: ['tiers'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['projectcalico.org'], resources: ['tiers'], resourceNames: ['security'], verbs: ['update', 'patch', 'delete'] },
    ]);
  });

  test('merges names, and API groups whose resources, names and verbs agree; never a product that grants more', () => {
    const rules = [
      ...perResource(['get'], 'projectcalico.org', ['tiers'], 'default'),
      ...perResource(['get'], 'projectcalico.org', ['tiers'], 'platform'),
      ...perResource(MANAGE, 'projectcalico.org', ['networkpolicies']),
      ...perResource(MANAGE, 'crd.projectcalico.org', ['networkpolicies']),
      ...perResource(MANAGE, 'crd.projectcalico.org', ['networksets']),
    ];
    expect(compactPolicyRules(rules)).toEqual([
      // crd.projectcalico.org has networksets as well: its rule cannot take projectcalico.org along.
      { apiGroups: ['crd.projectcalico.org'], resources: ['networkpolicies', 'networksets'], verbs: MANAGE },
      { apiGroups: ['projectcalico.org'], resources: ['networkpolicies'], verbs: MANAGE },
      { apiGroups: ['projectcalico.org'], resources: ['tiers'], resourceNames: ['default', 'platform'], verbs: ['get'] },
    ]);
    expect(compactPolicyRules([
      ...perResource(MANAGE, 'networking.k8s.io', ['networkpolicies']),
      ...perResource(MANAGE, 'projectcalico.org', ['networkpolicies']),
    ])).toEqual([{ apiGroups: ['networking.k8s.io', 'projectcalico.org'], resources: ['networkpolicies'], verbs: MANAGE }]);
  });

  test('merges the verbs of one resource; a named grant that an unnamed one covers is left out', () => {
    expect(compactPolicyRules([
      ...perResource(['get', 'list', 'watch'], 'projectcalico.org', ['tiers']),
      ...perResource(['create'], 'projectcalico.org', ['tiers']),
      ...perResource(['get', 'update'], 'projectcalico.org', ['tiers'], 'security'),
    ])).toEqual([
      { apiGroups: ['projectcalico.org'], resources: ['tiers'], verbs: ['get', 'list', 'watch', 'create'] },
      { apiGroups: ['projectcalico.org'], resources: ['tiers'], resourceNames: ['security'], verbs: ['update'] },
    ]);
  });

  test('verbs in the usual order, unknown verbs after them, sorted; duplicates once', () => {
    expect(compactPolicyRules([{ apiGroups: [''], resources: ['pods'], verbs: ['use', 'delete', 'get', 'bind', 'get'] }])).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'delete', 'bind', 'use'] },
    ]);
  });

  test('non-resource URLs are merged by verb set, after the resource rules', () => {
    expect(compactPolicyRules([
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { nonResourceURLs: ['/healthz'], verbs: ['get'] },
    ])).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { nonResourceURLs: ['/healthz', '/metrics'], verbs: ['get'] },
    ]);
  });

  test('a rule of any other shape is kept as it is, at the end', () => {
    const odd = [
      { apiGroups: [''], resources: ['pods'], nonResourceURLs: ['/x'], verbs: ['get'] },
      { apiGroups: [''], resources: [], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: [] },
      { apiGroups: [''], resources: ['pods'], resourceNames: [''], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get'], extra: true },
      'not a rule',
    ];
    expect(compactPolicyRules([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }, ...odd])).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
      ...odd,
    ]);
  });

  test('wildcards are matched literally: `*` rules are merged like any other value, never widened', () => {
    expect(compactPolicyRules([
      { apiGroups: ['*'], resources: ['*'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
    ])).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: ['*'], resources: ['*'], verbs: ['get'] },
    ]);
  });

  test('does not change its input', () => {
    const rules = perResource(['get'], '', ['pods', 'services']);
    const copy = JSON.parse(JSON.stringify(rules));
    compactPolicyRules(rules);
    expect(rules).toEqual(copy);
  });

  describe('properties', () => {
    const groups = ['', 'projectcalico.org', 'crd.projectcalico.org', '*'];
    const resources = ['pods', 'tiers', 'tier.networkpolicies', 'pods/log', '*'];
    const names = ['a', 'b', 'default.*'];
    const verbs = ['get', 'list', 'create', 'delete', 'deletecollection', 'escalate', '*'];
    const subset = (values: string[]) => fc.subarray(values, { minLength: 1 });
    const resourceRule = fc.record({
      apiGroups: subset(groups),
      resources: subset(resources),
      resourceNames: fc.option(fc.subarray(names), { nil: undefined }),
      verbs: subset(verbs),
    }).map((rule) => (rule.resourceNames === undefined ? { apiGroups: rule.apiGroups, resources: rule.resources, verbs: rule.verbs } : rule));
    const urlRule = fc.record({ nonResourceURLs: subset(['/healthz', '/metrics', '/api/*']), verbs: subset(['get', 'post']) });
    const rulesArb = fc.array(fc.oneof({ arbitrary: resourceRule, weight: 4 }, { arbitrary: urlRule, weight: 1 }), { maxLength: 8 });

    test('the compact rules allow exactly the requests the rules allowed', () => {
      const requests = groups.filter((g) => g !== '*').flatMap((apiGroup) => ['pods', 'tiers', 'tier.networkpolicies', 'secrets'].flatMap((resource) =>
        [...verbs.filter((v) => v !== '*'), 'watch'].flatMap((verb) => [undefined, ...names, 'c'].map((name) => ({ verb, apiGroup, resource, name })))));
      const verdicts = (rules: any[]) => requests.flatMap((request) =>
        [allows(rules, request), allows(rules, { ...request, resource: 'pods', subresource: 'log' })]);
      fc.assert(fc.property(rulesArb, (rules) => {
        expect(verdicts(compactPolicyRules(rules))).toEqual(verdicts(rules));
      }), { numRuns: 300 });
    });

    test('non-resource grants are kept exactly: the same (URL, verb) pairs', () => {
      const pairs = (rules: any[]) => rules.filter((r) => r.nonResourceURLs).flatMap((r) => r.nonResourceURLs.flatMap((u: string) => r.verbs.map((v: string) => `${u} ${v}`)));
      fc.assert(fc.property(rulesArb, (rules) => {
        expect(new Set(pairs(compactPolicyRules(rules)))).toEqual(new Set(pairs(rules)));
      }), { numRuns: 200 });
    });

    test('deterministic (the order of the rules does not matter) and stable (compacting twice changes nothing)', () => {
      fc.assert(fc.property(rulesArb, (rules) => {
        const compact = compactPolicyRules(rules);
        expect(compactPolicyRules([...rules].reverse())).toEqual(compact);
        expect(compactPolicyRules(compact)).toEqual(compact);
      }), { numRuns: 200 });
    });

    test('no empty list; for rules of one group and one resource each (as cdk8s-plus renders them), never more rules', () => {
      fc.assert(fc.property(rulesArb, (rules) => {
        const compact = compactPolicyRules(rules);
        const single = rules.flatMap((rule: any) => (rule.nonResourceURLs ? [rule] : rule.apiGroups.flatMap((apiGroup: string) =>
          rule.resources.map((resource: string) => ({ ...rule, apiGroups: [apiGroup], resources: [resource] })))));
        expect(compactPolicyRules(single).length).toBeLessThanOrEqual(single.length);
        for (const rule of compact) {
          for (const value of Object.values(rule)) {
            expect(value).not.toEqual([]);
          }
        }
      }), { numRuns: 200 });
    });
  });
});
