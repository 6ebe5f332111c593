/**
 * The RBAC escalation rules: for each, a minimal manifest set that triggers it and one that
 * does not.
 */
import {
  clusterGrant,
  clusterRoleBinding,
  clusterRole,
  labelSelectingPolicy,
  namespace,
  namespaceGrant,
  noPodsQuota,
  pod,
  roleBinding,
  serviceAccount,
} from './fixtures';
import { audit, Finding, Severity } from '../../../src/guardrails';

function run(rule: string, objects: any[], options: any = {}): Finding[] {
  return audit(objects, { rules: [rule], probePods: false, ...options });
}

/** A service account in `ci` that can read Secrets cluster-wide: something worth stealing. */
const POWERFUL_CI = [
  namespace('ci'),
  serviceAccount('ci', 'builder'),
  ...clusterGrant('secret-reader', ['ServiceAccount:ci/builder'], { resources: ['secrets'], verbs: ['get', 'list'] }),
];

describe('CC-RBAC-001 pod creators act as the service accounts of their namespace', () => {
  test('creating deployments where a more powerful service account lives is critical, naming the chain', () => {
    const findings = run('CC-RBAC-001', [
      ...POWERFUL_CI,
      ...namespaceGrant('ci', 'deployer', ['User:dana'], { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }),
    ]);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({ rule: 'CC-RBAC-001', severity: Severity.CRITICAL, subject: 'User:dana' });
    expect(f.message).toContain('User dana can create apps/deployments in namespace ci (Role deployer via RoleBinding ci/deployer)');
    expect(f.message).toContain('ServiceAccount ci/builder, which can read Secrets cluster-wide (ClusterRole secret-reader via ClusterRoleBinding secret-reader)');
    expect(f.objects).toEqual(expect.arrayContaining([
      'Role ci/deployer', 'RoleBinding ci/deployer', 'ServiceAccount ci/builder', 'ClusterRole secret-reader', 'ClusterRoleBinding secret-reader',
    ]));
  });

  test('exec into pods counts too, and the default service account gains through its namespace group', () => {
    const findings = run('CC-RBAC-001', [
      namespace('web'),
      ...namespaceGrant('web', 'np-admin', ['Group:system:serviceaccounts:web'], { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create'] }),
      ...namespaceGrant('web', 'exec', ['User:erin'], { resources: ['pods/exec'], verbs: ['create'] }),
    ]);
    expect(findings.map((f) => [f.subject, f.severity])).toEqual([['User:erin', Severity.HIGH]]);
    expect(findings[0].message).toContain('create pods/exec in namespace web');
    expect(findings[0].message).toContain('ServiceAccount web/default, which can write Kubernetes NetworkPolicies in namespace web');
  });

  test('no finding when the powerful service account is in another namespace, or the creator holds its powers already', () => {
    const elsewhere = [
      ...POWERFUL_CI,
      namespace('apps'),
      ...namespaceGrant('apps', 'deployer', ['User:dana'], { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }),
    ];
    expect(run('CC-RBAC-001', elsewhere)).toEqual([]);
    const alreadyPowerful = [
      ...POWERFUL_CI,
      ...namespaceGrant('ci', 'deployer', ['User:dana'], { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }),
      clusterRoleBinding('dana-secrets', 'secret-reader', 'User:dana'),
    ];
    expect(run('CC-RBAC-001', alreadyPowerful)).toEqual([]);
  });
});

describe('CC-RBAC-002 minting service-account tokens', () => {
  test('cluster-wide token creation is critical', () => {
    const findings = run('CC-RBAC-002', [...POWERFUL_CI, ...clusterGrant('tokens', ['User:tom'], { resources: ['serviceaccounts/token'], verbs: ['create'] })]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: Severity.CRITICAL, subject: 'User:tom' });
    expect(findings[0].message).toContain('create serviceaccounts/token cluster-wide (ClusterRole tokens via ClusterRoleBinding tokens)');
    expect(findings[0].message).toContain('ServiceAccount ci/builder');
  });

  test('in one namespace: critical when an account there gains cluster-wide, high when it gains there, medium otherwise', () => {
    const tokens = namespaceGrant('ci', 'tokens', ['User:tom'], { resources: ['serviceaccounts/token'], verbs: ['create'] });
    expect(run('CC-RBAC-002', [...POWERFUL_CI, ...tokens]).map((f) => f.severity)).toEqual([Severity.CRITICAL]);
    const locallyPowerful = [
      namespace('ci'),
      serviceAccount('ci', 'builder'),
      ...namespaceGrant('ci', 'ci-secrets', ['ServiceAccount:ci/builder'], { resources: ['secrets'], verbs: ['get'] }),
      ...tokens,
    ];
    const [high] = run('CC-RBAC-002', locallyPowerful);
    expect(high.severity).toBe(Severity.HIGH);
    expect(high.message).toContain('ServiceAccount ci/builder, which can read Secrets in namespace ci (Role ci-secrets via RoleBinding ci/ci-secrets)');
    const weakAccounts = [namespace('ci'), serviceAccount('ci', 'builder'), ...tokens];
    expect(run('CC-RBAC-002', weakAccounts).map((f) => f.severity)).toEqual([Severity.MEDIUM]);
  });

  test('no finding when token creation is limited to named service accounts', () => {
    const named = namespaceGrant('ci', 'tokens', ['User:tom'], { resources: ['serviceaccounts/token'], verbs: ['create'], resourceNames: ['builder'] });
    expect(run('CC-RBAC-002', [...POWERFUL_CI, ...named])).toEqual([]);
  });
});

describe('CC-RBAC-003 reading Secrets', () => {
  test('cluster-wide is high, one namespace is medium', () => {
    const findings = run('CC-RBAC-003', [
      namespace('apps'),
      ...clusterGrant('all-secrets', ['Group:auditors'], { resources: ['secrets'], verbs: ['list'] }),
      ...namespaceGrant('apps', 'app-secrets', ['User:ann'], { resources: ['secrets'], verbs: ['get'] }),
    ]);
    expect(findings.map((f) => [f.subject, f.severity])).toEqual([
      ['Group:auditors', Severity.HIGH],
      ['User:ann', Severity.MEDIUM],
    ]);
  });

  test('a readable token Secret of a more powerful service account is critical and named', () => {
    const token = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: { name: 'builder-token', namespace: 'ci', annotations: { 'kubernetes.io/service-account.name': 'builder' } },
    };
    const findings = run('CC-RBAC-003', [
      ...POWERFUL_CI.filter((o) => o.kind !== 'ClusterRoleBinding'),
      clusterRoleBinding('secret-reader', 'secret-reader', 'ServiceAccount:ci/builder'),
      ...clusterGrant('np-admin', ['ServiceAccount:ci/builder'], { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create'] }),
      token,
      ...namespaceGrant('ci', 'ci-secrets', ['User:ann'], { resources: ['secrets'], verbs: ['get'] }),
    ]);
    const ann = findings.find((f) => f.subject === 'User:ann')!;
    expect(ann.severity).toBe(Severity.CRITICAL);
    expect(ann.message).toContain('Secret ci/builder-token of ServiceAccount ci/builder');
    expect(ann.objects).toContain('Secret ci/builder-token');
  });

  test('no finding for get limited to named Secrets', () => {
    const named = namespaceGrant('apps', 'config', ['User:ann'], { resources: ['secrets'], verbs: ['get'], resourceNames: ['app-config'] });
    expect(run('CC-RBAC-003', [namespace('apps'), ...named])).toEqual([]);
  });
});

describe('CC-RBAC-004 bind or escalate', () => {
  test('bind on clusterroles is critical, escalate on roles of a namespace is high', () => {
    const findings = run('CC-RBAC-004', [
      namespace('apps'),
      ...clusterGrant('binder', ['User:bob'], { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] }),
      ...namespaceGrant('apps', 'escalator', ['User:eve'], { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }),
    ]);
    expect(findings.map((f) => [f.subject, f.severity])).toEqual([['User:bob', Severity.CRITICAL], ['User:eve', Severity.HIGH]]);
    expect(findings[0].message).toContain('bind rbac.authorization.k8s.io/clusterroles cluster-wide');
  });

  test('no finding for reading roles', () => {
    expect(run('CC-RBAC-004', clusterGrant('reader', ['User:bob'], { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles', 'roles'], verbs: ['get', 'list'] }))).toEqual([]);
  });
});

describe('CC-RBAC-005 impersonation', () => {
  test('impersonating users cluster-wide is critical; service accounts of a namespace is high', () => {
    const findings = run('CC-RBAC-005', [
      namespace('apps'),
      ...clusterGrant('sudo', ['User:root-ish'], { resources: ['users', 'groups'], verbs: ['impersonate'] }),
      ...namespaceGrant('apps', 'as-sa', ['User:ops'], { resources: ['serviceaccounts'], verbs: ['impersonate'] }),
    ]);
    expect(findings.map((f) => [f.subject, f.severity])).toEqual([['User:root-ish', Severity.CRITICAL], ['User:ops', Severity.HIGH]]);
  });

  test('no finding for reading service accounts', () => {
    expect(run('CC-RBAC-005', clusterGrant('sa-reader', ['User:ops'], { resources: ['serviceaccounts'], verbs: ['get'] }))).toEqual([]);
  });
});

describe('CC-RBAC-006 writing role bindings', () => {
  test('cluster role bindings are high, role bindings of a namespace medium', () => {
    const findings = run('CC-RBAC-006', [
      namespace('apps'),
      ...clusterGrant('crb-writer', ['User:carl'], { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings'], verbs: ['create'] }),
      ...namespaceGrant('apps', 'rb-writer', ['User:rita'], { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['patch'] }),
    ]);
    expect(findings.map((f) => [f.subject, f.severity])).toEqual([['User:carl', Severity.HIGH], ['User:rita', Severity.MEDIUM]]);
  });

  test('no finding for listing bindings', () => {
    expect(run('CC-RBAC-006', clusterGrant('rb-reader', ['User:rita'], { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['list'] }))).toEqual([]);
  });
});

describe('CC-RBAC-007 writing crd.projectcalico.org', () => {
  test('any write on the CRD group is high', () => {
    const findings = run('CC-RBAC-007', clusterGrant('calicoctl', ['User:net'], { apiGroups: ['crd.projectcalico.org'], resources: ['globalnetworkpolicies'], verbs: ['create'] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: Severity.HIGH, subject: 'User:net', objects: ['ClusterRole calicoctl', 'ClusterRoleBinding calicoctl'] });
    expect(findings[0].message).toContain('tier authorization');
  });

  test('no finding for projectcalico.org writes or CRD reads', () => {
    expect(run('CC-RBAC-007', [
      ...clusterGrant('v3', ['User:net'], { apiGroups: ['projectcalico.org'], resources: ['globalnetworkpolicies'], verbs: ['create'] }),
      ...clusterGrant('crd-read', ['User:net'], { apiGroups: ['crd.projectcalico.org'], resources: ['globalnetworkpolicies'], verbs: ['get', 'list'] }),
    ])).toEqual([]);
  });
});

describe('CC-RBAC-008 changing namespace labels that team policies select on', () => {
  test('patch on namespaces is high when a team policy selects on namespace labels, naming the policy and the keys', () => {
    const findings = run('CC-RBAC-008', [
      namespace('apps'),
      labelSelectingPolicy('apps'),
      ...clusterGrant('ns-editor', ['Group:platform'], { resources: ['namespaces'], verbs: ['patch'] }),
    ]);
    expect(findings.map((f) => [f.subject, f.severity])).toEqual([['Group:platform', Severity.HIGH]]);
    expect(findings[0].message).toContain('Group platform can patch namespaces cluster-wide (ClusterRole ns-editor via ClusterRoleBinding ns-editor)');
    expect(findings[0].message).toContain('it can set "team" on a namespace (or create one with them) and so move its pods into the peers of NetworkPolicy apps/from-frontends');
    expect(findings[0].objects).toEqual(['ClusterRole ns-editor', 'ClusterRoleBinding ns-editor', 'NetworkPolicy apps/from-frontends']);
  });

  test('creating namespaces, or patching one by name, sets namespace labels too', () => {
    const findings = run('CC-RBAC-008', [
      namespace('apps'),
      labelSelectingPolicy('apps'),
      ...clusterGrant('ns-creator', ['User:nina'], { resources: ['namespaces'], verbs: ['create'] }),
      ...clusterGrant('own-ns', ['User:otto'], { resources: ['namespaces'], verbs: ['patch'], resourceNames: ['apps'] }),
    ]);
    expect(findings.map((f) => f.subject)).toEqual(['User:nina', 'User:otto']);
    expect(findings[1].message).toContain('patch namespaces apps cluster-wide');
  });

  test('no finding without policies that select on namespace labels, for those who can rewrite them, or for name-based selectors', () => {
    const editor = clusterGrant('ns-editor', ['Group:platform'], { resources: ['namespaces'], verbs: ['patch'] });
    expect(run('CC-RBAC-008', [namespace('apps'), ...editor])).toEqual([]);
    const byName = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'by-name', namespace: 'apps' },
      spec: { ingress: [{ action: 'Allow', source: { namespaceSelector: "projectcalico.org/name == 'fe'" } }] },
    };
    expect(run('CC-RBAC-008', [namespace('apps'), byName, ...editor])).toEqual([]);
    expect(run('CC-RBAC-008', [
      namespace('apps'), labelSelectingPolicy('apps'), ...editor,
      ...clusterGrant('policy-owner', ['Group:platform'], { apiGroups: ['projectcalico.org'], resources: ['networkpolicies', 'tier.networkpolicies', 'tiers'], verbs: ['get', 'update', 'patch'] }),
    ])).toEqual([]);
  });

  test('a Role cannot grant cluster-scoped namespaces: no finding, nor for get', () => {
    expect(run('CC-RBAC-008', [
      namespace('apps'),
      labelSelectingPolicy('apps'),
      ...namespaceGrant('apps', 'ns-editor', ['User:x'], { resources: ['namespaces'], verbs: ['patch'] }),
      ...clusterGrant('ns-reader', ['User:y'], { resources: ['namespaces'], verbs: ['get'] }),
    ])).toEqual([]);
  });
});

describe('CC-RBAC-009 changing service-account labels that team policies select on', () => {
  test('cluster-wide is high, in the namespace of the selected accounts medium', () => {
    const findings = run('CC-RBAC-009', [
      namespace('apps'),
      labelSelectingPolicy('apps'),
      ...clusterGrant('labeler', ['User:lea'], { resources: ['serviceaccounts'], verbs: ['update'] }),
      ...namespaceGrant('apps', 'labeler', ['User:leo'], { resources: ['serviceaccounts'], verbs: ['patch'] }),
    ]);
    expect(findings.map((f) => [f.subject, f.severity])).toEqual([['User:lea', Severity.HIGH], ['User:leo', Severity.MEDIUM]]);
    expect(findings[1].message).toContain('it can set "role" on an account (or create one with them) and so let the pods that run as it pass NetworkPolicy apps/from-frontends');
  });

  test('no finding for reading service accounts, for labelling accounts the selectors cannot match, or without such selectors', () => {
    expect(run('CC-RBAC-009', [namespace('apps'), labelSelectingPolicy('apps'),
      ...clusterGrant('sa-reader', ['User:lea'], { resources: ['serviceaccounts'], verbs: ['get', 'list', 'watch'] })])).toEqual([]);
    // The policy's peers are accounts of apps (a namespaced policy without namespaceSelector): labels in other namespaces do not matter.
    expect(run('CC-RBAC-009', [namespace('apps'), namespace('other'), labelSelectingPolicy('apps'),
      ...namespaceGrant('other', 'labeler', ['User:leo'], { resources: ['serviceaccounts'], verbs: ['patch'] })])).toEqual([]);
    expect(run('CC-RBAC-009', [namespace('apps'),
      ...clusterGrant('labeler', ['User:lea'], { resources: ['serviceaccounts'], verbs: ['patch'] })])).toEqual([]);
  });
});

describe('CC-RBAC-010 nodes/proxy', () => {
  test('get on nodes/proxy is critical', () => {
    const findings = run('CC-RBAC-010', clusterGrant('kubelet-api', ['ServiceAccount:monitoring/agent'], { resources: ['nodes/proxy'], verbs: ['get'] }));
    expect(findings.map((f) => [f.subject, f.severity])).toEqual([['ServiceAccount:monitoring/agent', Severity.CRITICAL]]);
  });

  test('no finding for nodes/metrics', () => {
    expect(run('CC-RBAC-010', clusterGrant('metrics', ['ServiceAccount:monitoring/agent'], { resources: ['nodes/metrics', 'nodes'], verbs: ['get'] }))).toEqual([]);
  });
});

describe('CC-RBAC-011 wildcards', () => {
  test('* verbs cluster-wide are high, * resources in a namespace medium', () => {
    const findings = run('CC-RBAC-011', [
      namespace('apps'),
      ...clusterGrant('pods-all', ['User:wil'], { resources: ['pods'], verbs: ['*'] }),
      ...namespaceGrant('apps', 'everything', ['User:wanda'], { apiGroups: ['apps'], resources: ['*'], verbs: ['get'] }),
    ]);
    expect(findings.map((f) => [f.subject, f.severity])).toEqual([['User:wil', Severity.HIGH], ['User:wanda', Severity.MEDIUM]]);
    expect(findings[0].message).toContain('* pods cluster-wide');
  });

  test('no finding for explicit verbs and resources', () => {
    expect(run('CC-RBAC-011', clusterGrant('explicit', ['User:wil'], { resources: ['pods'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }))).toEqual([]);
  });
});

describe('CC-RBAC-012 policy write bound to a namespace\'s service accounts or to everyone', () => {
  const npWrite = { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create'] };

  test('system:serviceaccounts:<ns> is high, system:authenticated critical', () => {
    const findings = run('CC-RBAC-012', [
      namespace('security'),
      serviceAccount('security', 'member'),
      ...clusterGrant('sec-admin', ['Group:system:serviceaccounts:security'], npWrite),
      ...clusterGrant('everyone', ['Group:system:authenticated'], npWrite),
    ]);
    expect(findings.map((f) => [f.subject, f.severity])).toEqual([
      ['Group:system:authenticated', Severity.CRITICAL],
      ['Group:system:serviceaccounts:security', Severity.HIGH],
    ]);
    expect(findings[1].message).toContain('every service account of namespace security, present and future');
  });

  test('no finding when members are bound by name', () => {
    expect(run('CC-RBAC-012', [namespace('security'), serviceAccount('security', 'member'), ...clusterGrant('sec-admin', ['ServiceAccount:security/member'], npWrite)])).toEqual([]);
  });
});

describe('CC-RBAC-013 powerful service accounts beside workloads', () => {
  const npAdmin = { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create'] };

  test('a cluster-wide policy writer in a namespace with other workloads is critical', () => {
    const findings = run('CC-RBAC-013', [
      namespace('be'),
      serviceAccount('be', 'be-member'),
      ...clusterGrant('np-admin', ['ServiceAccount:be/be-member'], npAdmin),
      pod('be', 'api'),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: Severity.CRITICAL, subject: 'ServiceAccount:be/be-member' });
    expect(findings[0].objects).toEqual(expect.arrayContaining(['ServiceAccount be/be-member', 'Pod be/api', 'ClusterRoleBinding np-admin']));
  });

  test('a namespace without workloads in the manifests is no safer: whoever deploys there, and the pod creators of the manifests, are named', () => {
    const grant = clusterGrant('np-admin', ['ServiceAccount:be-members/be-member'], npAdmin);
    const findings = run('CC-RBAC-013', [
      namespace('be-members'), serviceAccount('be-members', 'be-member'), ...grant,
      ...namespaceGrant('be-members', 'ci', ['ServiceAccount:ci/runner'], { resources: ['pods'], verbs: ['create'] }),
    ]);
    expect(findings.map((f) => f.subject)).toEqual(['ServiceAccount:be-members/be-member']);
    expect(findings[0].message).toContain('where pods can run (no ResourceQuota with pods: 0): whoever creates pods there (ServiceAccount ci/runner, which can create pods in namespace be-members (Role ci via RoleBinding be-members/ci)) can run a pod as it');
    expect(findings[0].objects).toEqual(expect.arrayContaining(['Role be-members/ci', 'RoleBinding be-members/ci']));
  });

  test('no finding where a ResourceQuota keeps the namespace free of pods (unscoped, pods: 0)', () => {
    const grant = clusterGrant('np-admin', ['ServiceAccount:be-members/be-member'], npAdmin);
    const base = [namespace('be-members'), serviceAccount('be-members', 'be-member'), ...grant];
    expect(run('CC-RBAC-013', [...base, noPodsQuota('be-members')])).toEqual([]);
    const scoped = { ...noPodsQuota('be-members'), spec: { hard: { pods: '0' }, scopes: ['BestEffort'] } };
    expect(run('CC-RBAC-013', [...base, scoped])).toHaveLength(1);
    const some = { ...noPodsQuota('be-members'), spec: { hard: { pods: '10' } } };
    expect(run('CC-RBAC-013', [...base, some])).toHaveLength(1);
  });

  test('no finding for a service account without powerful permissions', () => {
    expect(run('CC-RBAC-013', [namespace('be'), serviceAccount('be', 'web'), pod('be', 'api')])).toEqual([]);
  });
});

describe('subjects', () => {
  const everything = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };

  test('system subjects are left alone unless includeSystemSubjects', () => {
    const objects = [
      ...clusterGrant('admin', ['Group:system:masters', 'User:system:kube-controller-manager', 'ServiceAccount:kube-system/namespace-controller'], everything),
    ];
    expect(run('CC-RBAC-011', objects)).toEqual([]);
    expect(run('CC-RBAC-011', objects, { includeSystemSubjects: true }).map((f) => f.subject)).toEqual([
      'Group:system:masters', 'ServiceAccount:kube-system/namespace-controller', 'User:system:kube-controller-manager',
    ]);
  });

  test('excludedSubjects leaves named subjects and whole namespaces of service accounts alone', () => {
    const objects = clusterGrant('admin', ['User:breakglass', 'ServiceAccount:argocd/controller', 'User:alice'], everything);
    expect(run('CC-RBAC-011', objects, { excludedSubjects: ['User:breakglass', 'ServiceAccount:argocd/*'] }).map((f) => f.subject)).toEqual(['User:alice']);
  });

  test('a service account that holds a permission only through its namespace group is named in the group\'s finding', () => {
    const findings = run('CC-RBAC-007', [
      namespace('security'),
      serviceAccount('security', 'member'),
      ...clusterGrant('calicoctl', ['Group:system:serviceaccounts:security'], { apiGroups: ['crd.projectcalico.org'], resources: ['tiers'], verbs: ['create'] }),
    ]);
    expect(findings.map((f) => f.subject)).toEqual(['Group:system:serviceaccounts:security']);
    expect(findings[0].message).toContain('members named in the manifests: ServiceAccount security/member');
    expect(findings[0].objects).toContain('ServiceAccount security/member');
  });

  test('a namespace-less ServiceAccount subject of a RoleBinding is of the binding\'s namespace', () => {
    const binding = roleBinding('apps', 'tokens', { kind: 'ClusterRole', name: 'tokens' }, 'ServiceAccount:apps/x');
    delete binding.subjects[0].namespace;
    const findings = run('CC-RBAC-002', [namespace('apps'), clusterRole('tokens', { resources: ['serviceaccounts/token'], verbs: ['create'] }), binding]);
    expect(findings.map((f) => f.subject)).toEqual(['ServiceAccount:apps/x']);
  });
});
