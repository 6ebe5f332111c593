/**
 * Guardrails of the security team and of team members (issue "Secure by default", findings 3, 4,
 * 8 and 10), proven with the offline RBAC model on synthesized charts: the reference platform,
 * and a platform that a tenant tries to abuse (a CI deployer in the team namespace, pods that
 * mount whatever service account their namespace has).
 *
 * Each test names the previous default it guards; on that default it fails.
 */
import { App, Chart, Testing } from 'cdk8s';
import { buildReferencePlatform } from '../../examples/reference-platform/main';
import { AccessRequest, manifestsOfApp, RbacModel, Subject } from '../../src/analysis';
import { CALICO_CRD_GROUP, resourcesOfGroup } from '../../src/core/resource-catalogue';
import { CalicoApiGroups } from '../../src/rbac';
import { DevTeamNamespace, SecurityTeam, SecurityTeamProps } from '../../src/teams';
import '../../src/testing';

const CALICO = 'projectcalico.org';
const WRITE_VERBS = ['create', 'update', 'patch', 'delete'];
const MASTERS = 'Group:system:masters';
const SECURITY_MEMBER = 'system:serviceaccount:security:security-member';
const SECURITY_DEFAULT = 'system:serviceaccount:security:default';
const CI = 'system:serviceaccount:be-dev-team:ci';

/** Pods and the controllers that create pods: whoever may create one can run as any service account of the namespace. */
const POD_CREATORS: ReadonlyArray<[string, string]> = [
  ['', 'pods'], ['', 'replicationcontrollers'], ['apps', 'deployments'], ['apps', 'replicasets'],
  ['apps', 'statefulsets'], ['apps', 'daemonsets'], ['batch', 'jobs'], ['batch', 'cronjobs'],
];

/**
 * What the backend team's own repository adds: a CI service account that deploys workloads
 * (pods and pod controllers) in the team namespace — the usual right of a deployer.
 */
const CI_DEPLOYER: any[] = [
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci', namespace: 'be-dev-team' } },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'deployer', namespace: 'be-dev-team' },
    rules: [
      { apiGroups: [''], resources: ['pods', 'replicationcontrollers'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
      { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
      { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'deployer', namespace: 'be-dev-team' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' },
    subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'be-dev-team' }],
  },
];

interface Platform {
  readonly model: RbacModel;
  readonly manifests: any[];
}

/** A platform a tenant tries to abuse: the security team, the backend team, and the team's CI deployer. */
function tenantPlatform(security: SecurityTeamProps = {}): Platform {
  const app = Testing.app();
  const chart = new Chart(app, 'platform');
  const securityTeam = new SecurityTeam(chart, 'security-team', { members: ['security-member'], groups: ['oidc:security'], ...security });
  new DevTeamNamespace(chart, 'be-dev-team', {
    name: 'be-dev-team',
    labels: { team: 'be' },
    members: ['be-dev-member'],
    securityTeam,
    calicoPolicies: true,
  });
  const manifests = [...manifestsOfApp(app), ...CI_DEPLOYER];
  return { model: RbacModel.fromManifests(manifests), manifests };
}

function referencePlatform(): Platform {
  const app = new App({ outdir: Testing.app().outdir });
  buildReferencePlatform(app);
  const manifests = manifestsOfApp(app);
  return { model: RbacModel.fromManifests(manifests), manifests };
}

const PLATFORMS: ReadonlyArray<[string, () => Platform]> = [
  ['the tenant platform', () => tenantPlatform()],
  ['the reference platform', referencePlatform],
];

function names(subjects: Subject[]): string[] {
  return subjects.map((s) => `${s.kind}:${s.namespace === undefined ? '' : `${s.namespace}/`}${s.name}`);
}

function allowed(model: RbacModel, request: AccessRequest): boolean {
  return model.check(request).allowed;
}

/** The namespace of the (first) declared service account called `name`. */
function namespaceOf(model: RbacModel, name: string): string {
  const account = model.serviceAccounts.find((sa) => sa.name === name);
  if (account === undefined) {
    throw new Error(`no service account ${name}; declared: ${names(model.serviceAccounts).join(', ')}`);
  }
  return account.namespace!;
}

/**
 * The service accounts `user` can act as by creating a pod (or a pod controller) that runs as
 * them: every service account, declared or `default`, of each namespace where it may create one.
 */
function accountsReachableByPods(model: RbacModel, user: string): string[] {
  const reachable: string[] = [];
  for (const namespace of model.namespaces) {
    const canRunPods = POD_CREATORS.some(([apiGroup, resource]) => allowed(model, { user, verb: 'create', apiGroup, resource, namespace }));
    if (!canRunPods) continue;
    const accounts = new Set(['default', ...model.serviceAccounts.filter((sa) => sa.namespace === namespace).map((sa) => sa.name)]);
    reachable.push(...[...accounts].map((name) => `system:serviceaccount:${namespace}:${name}`));
  }
  return reachable;
}

/** Every write a policy administrator could do: Kubernetes and Calico policies, tiers, service-account labels. */
function policyWrites(namespace: string): AccessRequest[] {
  const user = '';
  return WRITE_VERBS.flatMap((verb) => [
    { user, verb, apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace },
    { user, verb, apiGroup: CALICO, resource: 'networkpolicies', namespace, tier: 'default' },
    { user, verb, apiGroup: CALICO, resource: 'globalnetworkpolicies', tier: 'security' },
    { user, verb, apiGroup: CALICO, resource: 'globalnetworkpolicies', tier: 'default' },
    { user, verb, apiGroup: CALICO, resource: 'tiers', name: verb === 'create' ? undefined : 'security' },
    { user, verb, apiGroup: CALICO_CRD_GROUP, resource: 'globalnetworkpolicies' },
    { user, verb, apiGroup: CALICO_CRD_GROUP, resource: 'tiers' },
  ]).concat([{ user, verb: 'patch', apiGroup: '', resource: 'serviceaccounts', namespace: 'kube-system', name: 'coredns' }]);
}

function permittedWrites(model: RbacModel, user: string, namespace: string): string[] {
  return policyWrites(namespace)
    .filter((request) => allowed(model, { ...request, user }))
    .map((r) => `${r.verb} ${r.apiGroup || 'core'}/${r.resource}${r.tier ? ` (tier ${r.tier})` : ''}`);
}

describe.each(PLATFORMS)('finding 3 — the security namespace is no group of administrators (%s)', (_, build) => {
  const { model, manifests } = build();

  // Guards memberBinding: MEMBER_SERVICE_ACCOUNTS (was NAMESPACE_GROUP, which made every
  // service account of `security`, `default` included, a cluster-wide policy admin).
  test('security:default, mounted into any pod there, can write no policy, tier or service-account label', () => {
    expect(permittedWrites(model, SECURITY_DEFAULT, 'be-dev-team')).toEqual([]);
    expect(permittedWrites(model, 'system:serviceaccount:security:some-new-account', 'be-dev-team')).toEqual([]);
    // …while the named member can.
    expect(permittedWrites(model, SECURITY_MEMBER, 'be-dev-team').length).toBeGreaterThan(0);
  });

  // Guards the same default: no namespace group among the security tier's writers.
  test('only named subjects may write the security tier', () => {
    for (const verb of WRITE_VERBS) {
      const writers = names(model.whoCan(verb, CALICO, 'globalnetworkpolicies', undefined, 'security'));
      expect(writers).toContain(MASTERS);
      expect(writers).toContain('ServiceAccount:security/security-member');
      expect(writers.filter((w) => w.startsWith('Group:system:serviceaccounts'))).toEqual([]);
      expect(writers).not.toContain('ServiceAccount:security/default');
    }
  });

  // Guards the hardened security namespace (it had no quota, no Pod Security level, and its
  // default service account automounted its token).
  test('the security namespace runs nothing', () => {
    const namespace = manifests.find((m) => m.kind === 'Namespace' && m.metadata.name === 'security');
    expect(namespace?.metadata?.labels ?? {}).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const quota = manifests.find((m) => m.kind === 'ResourceQuota' && m.metadata.namespace === 'security');
    expect(quota?.spec).toEqual({ hard: { pods: '0' } });
    const defaultAccount = manifests.find((m) => m.kind === 'ServiceAccount' && m.metadata.namespace === 'security' && m.metadata.name === 'default');
    expect(defaultAccount?.automountServiceAccountToken).toBe(false);
    for (const [apiGroup, resource] of POD_CREATORS) {
      expect(names(model.whoCan('create', apiGroup, resource, 'security'))).toEqual([MASTERS]);
    }
  });
});

describe.each(PLATFORMS)('finding 4 — crd.projectcalico.org is an opt-in (%s)', (_, build) => {
  const { model } = build();

  // Guards calicoApiGroups: PROJECTCALICO_ORG (was BOTH, which let the security team write
  // the CRD group, bypassing Calico's tier authorization and validation).
  test('with the defaults, nobody but system:masters can write any crd.projectcalico.org resource', () => {
    const resources = resourcesOfGroup(CALICO_CRD_GROUP).map((r) => r.resource);
    expect(resources).toEqual(expect.arrayContaining(['networkpolicies', 'globalnetworkpolicies', 'tiers']));
    for (const resource of resources) {
      for (const verb of WRITE_VERBS) {
        expect({ resource, verb, writers: names(model.whoCan(verb, CALICO_CRD_GROUP, resource)) }).toEqual({ resource, verb, writers: [MASTERS] });
      }
    }
  });
});

describe('finding 4 — what the crd.projectcalico.org opt-in gives away, and to whom', () => {
  const { model } = tenantPlatform({ calicoApiGroups: CalicoApiGroups.BOTH });

  test('only the security team can write crd.projectcalico.org', () => {
    for (const verb of WRITE_VERBS) {
      expect(names(model.whoCan(verb, CALICO_CRD_GROUP, 'globalnetworkpolicies'))).toEqual([
        'Group:oidc:security', MASTERS, 'ServiceAccount:security/security-member',
      ]);
    }
  });

  test('the CRD group has no tier authorization: a tier the team was never granted is writable there', () => {
    expect(model).toForbid({ user: SECURITY_MEMBER, verb: 'create', apiGroup: CALICO, resource: 'globalnetworkpolicies', tier: 'platform' });
    expect(model).toPermit({ user: SECURITY_MEMBER, verb: 'create', apiGroup: CALICO_CRD_GROUP, resource: 'globalnetworkpolicies' });
  });
});

describe('finding 8 — members live apart from workloads (the tenant platform)', () => {
  const { model, manifests } = tenantPlatform();

  // Guards the members' namespace (members were created in the team namespace, where the CI
  // deployer could start a pod as be-dev-member and rewrite the namespace's policy).
  test('a CI deployer of the team namespace cannot act as a member by running a pod', () => {
    const reachable = accountsReachableByPods(model, CI);
    expect(reachable).toContain(CI);
    expect(reachable.filter((account) => account.endsWith(':be-dev-member'))).toEqual([]);
    for (const account of reachable) {
      expect({ account, writes: permittedWrites(model, account, 'be-dev-team') }).toEqual({ account, writes: [] });
    }
  });

  // Same default: the members' namespace is one where no one can create pods.
  test('no one but system:masters can create pods or pod controllers where the members live', () => {
    const members = namespaceOf(model, 'be-dev-member');
    expect(members).not.toBe('be-dev-team');
    for (const [apiGroup, resource] of POD_CREATORS) {
      expect(names(model.whoCan('create', apiGroup, resource, members))).toEqual([MASTERS]);
    }
    // Even a cluster-wide deployer is stopped there by the quota, and by Pod Security restricted.
    expect(manifests.find((m) => m.kind === 'ResourceQuota' && m.metadata.namespace === members)?.spec).toEqual({ hard: { pods: '0' } });
    expect(manifests.find((m) => m.kind === 'Namespace' && m.metadata.name === members)?.metadata.labels)
      .toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
  });

  test('no tenant can mint a member\'s token or relabel a member', () => {
    const members = namespaceOf(model, 'be-dev-member');
    for (const user of [CI, `system:serviceaccount:${members}:be-dev-member`, 'system:serviceaccount:be-dev-team:default']) {
      expect(model).toForbid({ user, verb: 'create', apiGroup: '', resource: 'serviceaccounts', subresource: 'token', namespace: members, name: 'be-dev-member' });
      expect(model).toForbid({ user, verb: 'create', apiGroup: '', resource: 'serviceaccounts', namespace: members });
      expect(model).toForbid({ user, verb: 'patch', apiGroup: '', resource: 'serviceaccounts', namespace: members, name: 'be-dev-member' });
    }
  });

  test('the member still manages its team\'s policy from its own namespace', () => {
    const member = `system:serviceaccount:${namespaceOf(model, 'be-dev-member')}:be-dev-member`;
    expect(model).toPermit({ user: member, verb: 'create', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'be-dev-team' });
    expect(model).toPermit({ user: member, verb: 'create', apiGroup: CALICO, resource: 'networkpolicies', namespace: 'be-dev-team', tier: 'default' });
    expect(model).toForbid({ user: member, verb: 'create', apiGroup: CALICO, resource: 'networkpolicies', namespace: 'be-dev-team', tier: 'security' });
  });
});

describe('finding 8 — members live apart from workloads (the reference platform)', () => {
  const { model } = referencePlatform();

  // Guards the members' namespace default for every member the reference platform declares.
  // (The security team's members live in `security`, which finding 3's tests prove runs nothing.)
  test.each(['be-dev-member', 'prod-dev-member'])('%s lives where no one can create pods', (member) => {
    const namespace = namespaceOf(model, member);
    expect(['be-dev-team', 'prod-engineering']).not.toContain(namespace);
    for (const [apiGroup, resource] of POD_CREATORS) {
      expect(names(model.whoCan('create', apiGroup, resource, namespace))).toEqual([MASTERS]);
    }
  });
});

describe.each(PLATFORMS)('finding 10 — least privilege in the details (%s)', (_, build) => {
  const { model, manifests } = build();

  // Guards the labeler's verbs (it had `update`, which replaces a whole ServiceAccount).
  test('the service-account labeler may only patch', () => {
    expect(names(model.whoCan('update', '', 'serviceaccounts', 'prod-engineering'))).toEqual([MASTERS]);
    expect(names(model.whoCan('delete', '', 'serviceaccounts', 'prod-engineering'))).toEqual([MASTERS]);
    expect(names(model.whoCan('create', '', 'serviceaccounts', 'prod-engineering'))).toEqual([MASTERS]);
    expect(names(model.whoCan('patch', '', 'serviceaccounts', 'prod-engineering'))).toContain('ServiceAccount:security/security-member');
  });

  // Guards writableTiers: [own tier] and canCreateTiers: false (the admin role managed every tier).
  test('a security member may update, patch and delete only the security tier; nobody creates tiers', () => {
    for (const verb of ['update', 'patch', 'delete']) {
      expect(model).toPermit({ user: SECURITY_MEMBER, verb, apiGroup: CALICO, resource: 'tiers', name: 'security' });
      for (const tier of ['default', 'kube-admin', 'kube-baseline', 'platform']) {
        expect(model).toForbid({ user: SECURITY_MEMBER, verb, apiGroup: CALICO, resource: 'tiers', name: tier });
      }
    }
    expect(names(model.whoCan('create', CALICO, 'tiers'))).toEqual([MASTERS]);
    expect(model).toPermit({ user: SECURITY_MEMBER, verb: 'list', apiGroup: CALICO, resource: 'tiers' });
  });

  // Guards the refusal of memberTokenSecrets for the security team (it was accepted).
  test('no long-lived token Secret exists, and none can be asked for a security member', () => {
    expect(manifests.filter((m) => m.kind === 'Secret' && m.type === 'kubernetes.io/service-account-token')).toEqual([]);
    expect(() => new SecurityTeam(Testing.chart(), 'security', { members: ['security-member'], memberTokenSecrets: true })).toThrow(
      /memberTokenSecrets: a token Secret of a security member never expires/,
    );
  });
});
