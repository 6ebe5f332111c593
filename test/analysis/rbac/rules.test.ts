import {
  authorizedName,
  describeRequest,
  describeResource,
  PolicyRuleSpec,
  ResourceAttributes,
  ruleAllows,
} from '../../../src/analysis/rbac';

function rule(partial: Partial<PolicyRuleSpec>): PolicyRuleSpec {
  return { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: [], nonResourceURLs: [], ...partial };
}

function attrs(partial: Partial<ResourceAttributes>): ResourceAttributes {
  return { verb: 'get', apiGroup: '', resource: 'pods', ...partial };
}

describe('ruleAllows', () => {
  test.each([
    ['exact verb, group and resource', rule({}), attrs({}), true],
    ['another verb', rule({}), attrs({ verb: 'delete' }), false],
    ['verb wildcard', rule({ verbs: ['*'] }), attrs({ verb: 'delete' }), true],
    ['another API group', rule({}), attrs({ apiGroup: 'apps' }), false],
    ['API group wildcard', rule({ apiGroups: ['*'] }), attrs({ apiGroup: 'apps' }), true],
    ['core group is the empty string', rule({ apiGroups: ['apps'] }), attrs({}), false],
    ['another resource', rule({}), attrs({ resource: 'services' }), false],
    ['resource wildcard', rule({ resources: ['*'] }), attrs({ resource: 'services' }), true],
    ['resource wildcard covers subresources', rule({ resources: ['*'] }), attrs({ subresource: 'log' }), true],
    ['a resource rule does not cover its subresources', rule({}), attrs({ subresource: 'log' }), false],
    ['resource/subresource exact', rule({ resources: ['pods/log'] }), attrs({ subresource: 'log' }), true],
    ['resource/subresource does not cover the resource', rule({ resources: ['pods/log'] }), attrs({}), false],
    ['resource/subresource of another subresource', rule({ resources: ['pods/log'] }), attrs({ subresource: 'exec' }), false],
    ['*/subresource for any resource', rule({ resources: ['*/scale'] }), attrs({ resource: 'deployments', subresource: 'scale' }), true],
    ['*/subresource for another subresource', rule({ resources: ['*/scale'] }), attrs({ resource: 'deployments', subresource: 'status' }), false],
    ['*/subresource does not cover the resource', rule({ resources: ['*/scale'] }), attrs({ resource: 'deployments' }), false],
    ['pods/* is not a subresource wildcard', rule({ resources: ['pods/*'] }), attrs({ subresource: 'log' }), false],
    ['resourceNames admit the named object', rule({ resourceNames: ['web'] }), attrs({ name: 'web' }), true],
    ['resourceNames reject other names', rule({ resourceNames: ['web'] }), attrs({ name: 'db' }), false],
    ['resourceNames reject nameless requests', rule({ resourceNames: ['web'] }), attrs({ verb: 'list' }), false],
    ['no resourceNames admit any name', rule({}), attrs({ name: 'db' }), true],
    ['non-resource URL rules never grant resource requests', rule({ apiGroups: [], resources: [], nonResourceURLs: ['*'], verbs: ['*'] }), attrs({}), false],
  ])('%s', (_title, r, a, expected) => {
    expect(ruleAllows(r, a)).toBe(expected);
  });
});

describe('authorizedName', () => {
  test.each([
    ['get keeps the name', attrs({ name: 'web' }), 'web'],
    ['list/watch by field selector keep the name', attrs({ verb: 'list', name: 'web' }), 'web'],
    ['create of the resource has no name', attrs({ verb: 'create', name: 'web' }), undefined],
    ['create of a subresource keeps the parent name', attrs({ verb: 'create', subresource: 'exec', name: 'web' }), 'web'],
    ['deletecollection has no name', attrs({ verb: 'deletecollection', name: 'web' }), undefined],
    ['no name stays no name', attrs({}), undefined],
  ])('%s', (_title, a, expected) => {
    expect(authorizedName(a)).toBe(expected);
  });
});

describe('descriptions', () => {
  test('describeResource names group, resource, subresource and object', () => {
    expect(describeResource(attrs({ apiGroup: 'networking.k8s.io', resource: 'networkpolicies' }))).toBe('networking.k8s.io/networkpolicies');
    expect(describeResource(attrs({ subresource: 'log', name: 'web' }))).toBe("pods/log 'web'");
  });

  test('describeRequest adds the verb and the namespace', () => {
    expect(describeRequest(attrs({ verb: 'create', namespace: 'be' }))).toBe('create on pods in namespace be');
    expect(describeRequest(attrs({ verb: 'list' }))).toBe('list on pods');
  });
});
