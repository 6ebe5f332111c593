import { Testing } from 'cdk8s';
import { RbacModel } from '../../src/analysis';
import { NetworkModel } from '../../src/analysis/network-model';
import { calicoMatchers, describeAccessRequest, describeFlow, registerCalicoMatchers } from '../../src/testing/matchers';

expect.extend(calicoMatchers);

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function pod(name: string, labels: { [key: string]: string }): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels },
    spec: { containers: [{ name: 'main', image: 'busybox', ports: [{ name: 'pg', containerPort: 5432 }] }] },
  };
}

const NETWORK = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  pod('web', { app: 'web' }),
  pod('api', { app: 'api' }),
  pod('db', { app: 'db' }),
  {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: { name: 'db-from-api', namespace: 'shop' },
    spec: {
      selector: "app == 'db'",
      types: ['Ingress'],
      ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: "app == 'api'" }, destination: { ports: [5432] } }],
    },
  },
  {
    apiVersion: 'projectcalico.org/v3',
    kind: 'StagedNetworkPolicy',
    metadata: { name: 'api-lockdown', namespace: 'shop' },
    spec: { stagedAction: 'Set', selector: "app == 'api'", types: ['Ingress'] },
  },
];

const RBAC = [
  {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: { name: 'security-calico' },
    rules: [
      { apiGroups: ['projectcalico.org'], resources: ['tiers'], resourceNames: ['security'], verbs: ['get'] },
      { apiGroups: ['projectcalico.org'], resources: ['tier.globalnetworkpolicies'], resourceNames: ['security.*'], verbs: ['*'] },
    ],
  },
  {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'security-team' },
    subjects: [{ kind: 'Group', name: 'security-team', apiGroup: RBAC_GROUP }],
    roleRef: { kind: 'ClusterRole', name: 'security-calico', apiGroup: RBAC_GROUP },
  },
];

const network = NetworkModel.fromManifests(NETWORK);
const rbac = RbacModel.fromManifests(RBAC);

const ALLOWED = { from: 'shop/api', to: 'shop/db', protocol: 'TCP', port: 5432 };
const DENIED = { from: 'shop/web', to: 'shop/db', protocol: 'TCP', port: 5432 };
const PERMITTED = {
  user: 'alice', groups: ['security-team'], verb: 'create', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier: 'security',
};
const FORBIDDEN = { ...PERMITTED, tier: 'platform' };

/** The message of the assertion error `fn` throws, without terminal colours. */
function failure(fn: () => void): string {
  try {
    fn();
  } catch (error: any) {
    return String(error.message).replace(/\u001b\[[0-9;]*m/g, '');
  }
  throw new Error('expected the assertion to fail');
}

describe('toAllow / toDeny', () => {
  test('pass', () => {
    expect(network).toAllow(ALLOWED);
    expect(network).toDeny(DENIED);
    expect(network).not.toAllow(DENIED);
    expect(network).not.toDeny(ALLOWED);
  });

  test('toAllow failure prints the flow and the full explanation', () => {
    const message = failure(() => expect(network).toAllow(DENIED));
    expect(message).toContain('expect(model).toAllow(flow)');
    expect(message).toContain('Expected traffic from shop/web to shop/db over TCP port 5432 to be allowed, but it is denied.');
    expect(message).toContain(network.check(DENIED).explanation);
  });

  test('toDeny failure', () => {
    const message = failure(() => expect(network).toDeny(ALLOWED));
    expect(message).toContain('expect(model).toDeny(flow)');
    expect(message).toContain('Expected traffic from shop/api to shop/db over TCP port 5432 to be denied, but it is allowed.');
    expect(message).toContain(network.check(ALLOWED).explanation);
  });

  test('negated failures say what was expected', () => {
    const notAllow = failure(() => expect(network).not.toAllow(ALLOWED));
    expect(notAllow).toContain('expect(model).not.toAllow(flow)');
    expect(notAllow).toContain('to be denied, but it is allowed.');
    expect(notAllow).toContain(network.check(ALLOWED).explanation);
    const notDeny = failure(() => expect(network).not.toDeny(DENIED));
    expect(notDeny).toContain('expect(model).not.toDeny(flow)');
    expect(notDeny).toContain('to be allowed, but it is denied.');
  });

  test('options are passed to the model: staged policies', () => {
    const flow = { from: 'shop/web', to: 'shop/api', port: 8080 };
    expect(network).toAllow(flow);
    expect(network).toDeny(flow, { includeStaged: true });
    expect(failure(() => expect(network).toAllow(flow, { includeStaged: true }))).toContain(network.check(flow, { includeStaged: true }).explanation);
  });

  test('wrong receiver', () => {
    expect(() => expect(rbac).toAllow(ALLOWED))
      .toThrow('toAllow expects a NetworkModel, got an instance of RbacModel; use toPermit/toForbid for an RbacModel');
    expect(() => expect(Testing.chart()).toDeny(ALLOWED))
      .toThrow('toDeny expects a NetworkModel, got an instance of Chart; build the model with networkModelOf(chartOrApp)');
    expect(() => expect(Testing.app()).toAllow(ALLOWED)).toThrow('got an instance of App; build the model with networkModelOf(chartOrApp)');
    expect(() => expect(null).toAllow(ALLOWED)).toThrow('toAllow expects a NetworkModel, got null');
    expect(() => expect(NETWORK).toAllow(ALLOWED)).toThrow('toAllow expects a NetworkModel, got an array');
  });

  test('wrong receiver fails negated matchers too', () => {
    expect(() => expect('shop/web').not.toAllow(ALLOWED)).toThrow('toAllow expects a NetworkModel, got the string "shop/web"');
  });

  test('missing flow', () => {
    expect(() => expect(network).toAllow(undefined as any)).toThrow('toAllow expects a flow { from, to, protocol?, port? }, got undefined');
  });

  test('model errors propagate (unknown endpoint)', () => {
    expect(() => expect(network).toAllow({ from: 'shop/nope', to: 'shop/db' })).toThrow('unknown endpoint "shop/nope"');
  });
});

describe('toPermit / toForbid', () => {
  test('pass', () => {
    expect(rbac).toPermit(PERMITTED);
    expect(rbac).toForbid(FORBIDDEN);
    expect(rbac).not.toPermit(FORBIDDEN);
    expect(rbac).not.toForbid(PERMITTED);
  });

  test('toPermit failure prints the request, the reason and that there are no grants', () => {
    const message = failure(() => expect(rbac).toPermit(FORBIDDEN));
    expect(message).toContain('expect(model).toPermit(request)');
    expect(message).toContain(
      'Expected user alice (groups: security-team) to create globalnetworkpolicies.projectcalico.org cluster-wide (tier platform) to be permitted, but it is forbidden.');
    expect(message).toContain(`Reason: ${rbac.check(FORBIDDEN).reason}`);
    expect(message).toMatch(/Grants: none$/);
  });

  test('toForbid failure lists the grants', () => {
    const message = failure(() => expect(rbac).toForbid(PERMITTED));
    expect(message).toContain('expect(model).toForbid(request)');
    expect(message).toContain('to be forbidden, but it is permitted.');
    expect(message).toContain(`Reason: ${rbac.check(PERMITTED).reason}`);
    expect(message).toMatch(/Grants:\n {2}- ClusterRole security-calico via ClusterRoleBinding security-team$/);
  });

  test('negated failures', () => {
    expect(failure(() => expect(rbac).not.toPermit(PERMITTED))).toContain('to be forbidden, but it is permitted.');
    expect(failure(() => expect(rbac).not.toForbid(FORBIDDEN))).toContain('to be permitted, but it is forbidden.');
  });

  test('wrong receiver', () => {
    expect(() => expect(network).toPermit(PERMITTED))
      .toThrow('toPermit expects an RbacModel, got an instance of NetworkModel; use toAllow/toDeny for a NetworkModel');
    expect(() => expect(Testing.chart()).toForbid(PERMITTED)).toThrow('build the model with rbacModelOf(chartOrApp)');
    expect(() => expect(undefined).not.toForbid(PERMITTED)).toThrow('toForbid expects an RbacModel, got undefined');
    expect(() => expect({ check: () => ({ allowed: true }) }).toPermit(PERMITTED)).toThrow('toPermit expects an RbacModel, got a plain object');
    expect(() => expect(42).toPermit(PERMITTED)).toThrow('toPermit expects an RbacModel, got number 42');
  });

  test('missing request', () => {
    expect(() => expect(rbac).toPermit(null as any)).toThrow('toPermit expects an access request { user, verb, apiGroup, resource, … }, got null');
  });

  test('model errors propagate', () => {
    expect(() => expect(rbac).toPermit({ ...PERMITTED, verb: '' })).toThrow('RbacModel.check: verb must be a non-empty string');
  });
});

describe('describeFlow', () => {
  test.each([
    [{ from: 'a/b', to: 'c/d' }, 'from a/b to c/d'],
    [{ from: 'a/b', to: 'c/d', protocol: 'UDP' }, 'from a/b to c/d over UDP'],
    [{ from: 'a/b', to: 'c/d', port: 'http' }, 'from a/b to c/d on port http'],
    [{ from: 'a/b', to: 'ip:10.0.0.1', protocol: 'TCP', port: 443 }, 'from a/b to ip:10.0.0.1 over TCP port 443'],
  ])('%j', (flow, text) => {
    expect(describeFlow(flow)).toBe(text);
  });
});

describe('describeAccessRequest', () => {
  test.each([
    [{ user: 'bob', verb: 'get', apiGroup: '', resource: 'pods' }, 'user bob to get pods cluster-wide'],
    [{ user: 'bob', groups: [], verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log', name: 'web-0', namespace: 'be' },
      'user bob to get pods/log "web-0" in namespace be'],
    [{ user: 'system:serviceaccount:be:ci', groups: ['a', 'b'], verb: 'patch', apiGroup: 'apps', resource: 'deployments', namespace: 'be' },
      'user system:serviceaccount:be:ci (groups: a, b) to patch deployments.apps in namespace be'],
  ])('%j', (request, text) => {
    expect(describeAccessRequest(request)).toBe(text);
  });
});

describe('registerCalicoMatchers', () => {
  const realExpect = expect;

  afterEach(() => {
    (globalThis as any).expect = realExpect;
  });

  test('extends the global expect with all four matchers', () => {
    const extend = jest.fn();
    (globalThis as any).expect = { extend };
    registerCalicoMatchers();
    (globalThis as any).expect = realExpect;
    expect(extend).toHaveBeenCalledTimes(1);
    expect(Object.keys(extend.mock.calls[0][0]).sort()).toEqual(['toAllow', 'toDeny', 'toForbid', 'toPermit']);
    expect(extend.mock.calls[0][0]).toBe(calicoMatchers);
  });

  test.each([[undefined], [{}], [null]])('without a global expect with extend (%j) it says how to register', (fake) => {
    (globalThis as any).expect = fake;
    let error: any;
    try {
      registerCalicoMatchers();
    } catch (e) {
      error = e;
    }
    (globalThis as any).expect = realExpect;
    expect(error?.message).toBe(
      'registerCalicoMatchers: no global jest `expect` with `extend` found; call it from a test file or a jest '
      + 'setupFilesAfterEnv module, or pass calicoMatchers to expect.extend yourself');
  });
});
