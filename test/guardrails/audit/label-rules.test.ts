/**
 * Label authority: who can set the labels that security-tier selectors trust (labelAuthority()),
 * the pod-label rule (CC-LBL-001) and the label-setter rule (CC-LBL-002).
 */
import {
  calicoTierWriter, clusterGrant, globalNetworkPolicy, namespace, namespaceGrant, serviceAccount, tier,
} from './fixtures';
import { Audit, audit, Finding, labelAuthority, Severity } from '../../../src/guardrails';

function run(rule: string, objects: any[], options: any = {}): Finding[] {
  return audit(objects, { rules: [rule], probePods: false, ...options });
}

const SECURITY = [tier('security', 100), ...calicoTierWriter('security-admin', 'security', ['Group:security-admins'])];

/** The blog's cluster egress: a security-tier Allow for pods labelled cluster-egress == 'allowed'. */
const POD_LABEL_EGRESS = globalNetworkPolicy('security.cluster-egress', {
  tier: 'security',
  order: 900,
  selector: "cluster-egress == 'allowed'",
  types: ['Egress'],
  egress: [{ action: 'Allow', destination: { nets: ['0.0.0.0/0'] } }],
});

/** Egress approved for service accounts the security team labels, and for one namespace by name. */
const IDENTITY_EGRESS = globalNetworkPolicy('security.approved-egress', {
  tier: 'security',
  order: 900,
  types: ['Egress'],
  egress: [
    { action: 'Allow', source: { serviceAccounts: { selector: "egress.security.example.com/internet == 'true'" } }, destination: { nets: ['0.0.0.0/0'] } },
    { action: 'Allow', source: { namespaceSelector: "projectcalico.org/name == 'payments'" }, destination: { nets: ['203.0.113.0/24'] } },
    { action: 'Deny', destination: { notNets: ['10.0.0.0/8'] } },
    { action: 'Pass' },
  ],
});

/** The metrics collector of the platform, pinned by name to a namespace the manifests do not declare. */
const METRICS = globalNetworkPolicy('security.allow-metrics', {
  tier: 'security',
  order: 100,
  types: ['Ingress'],
  ingress: [{ action: 'Allow', source: { namespaceSelector: "projectcalico.org/name == 'monitoring'", selector: "app == 'collector'" } }],
});

const TEAM = [
  namespace('be'),
  serviceAccount('be', 'api'),
  ...namespaceGrant('be', 'deployer', ['ServiceAccount:ci/deployer'], { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'patch'] }),
];

describe('labelAuthority()', () => {
  test('every key a security-tier selector reads, with how its value comes about and who can set it', () => {
    const report = labelAuthority([...SECURITY, ...TEAM, POD_LABEL_EGRESS, IDENTITY_EGRESS, METRICS,
      ...clusterGrant('labeler', ['Group:security-admins'], { resources: ['serviceaccounts'], verbs: ['patch'] })]);
    expect(report.map((r) => [r.source, r.key, r.setters])).toEqual([
      ['pod', 'app', []],
      ['pod', 'cluster-egress', ['ServiceAccount:ci/deployer']],
      ['namespace', 'projectcalico.org/name', []],
      ['serviceAccount', 'egress.security.example.com/internet', ['Group:security-admins']],
    ]);
    const byKey = new Map(report.map((r) => [r.key, r]));
    expect(byKey.get('cluster-egress')).toMatchObject({
      policies: ['GlobalNetworkPolicy security.cluster-egress'],
      actions: ['Allow'],
      setBy: 'whoever creates or changes pods or pod controllers where the selector can match',
    });
    expect(byKey.get('projectcalico.org/name')!.setBy).toBe('derived from the namespace name: no one can set it on a namespace (but a network set may carry it as its own label)');
    expect(byKey.get('projectcalico.org/name')!.actions).toEqual(['Allow']);
    expect(byKey.get('egress.security.example.com/internet')!.setBy).toContain('whoever creates or changes service accounts');
  });

  test('network-set writers can set every label a rule peer reads', () => {
    const sets = clusterGrant('netsets', ['User:nate'], { apiGroups: ['projectcalico.org'], resources: ['globalnetworksets'], verbs: ['create'] });
    const report = labelAuthority([...SECURITY, IDENTITY_EGRESS, ...sets]);
    expect(report.find((r) => r.key === 'projectcalico.org/name')!.setters).toEqual(['User:nate']);
    expect(Audit.labelAuthority([...SECURITY, IDENTITY_EGRESS, ...sets])).toEqual(report);
  });

  test('securityTiers chooses the tiers; by default every tier before default except kube-admin', () => {
    const platform = globalNetworkPolicy('platform.allow', { tier: 'platform', selector: "egress == 'yes'", types: ['Egress'], egress: [{ action: 'Allow' }] });
    const objects = [tier('platform', 2000000), platform];
    expect(labelAuthority(objects)).toEqual([]);
    expect(labelAuthority(objects, { securityTiers: ['platform'] }).map((r) => r.key)).toEqual(['egress']);
  });
});

describe('CC-LBL-001 a security-tier Allow trusts a pod label', () => {
  test('the blog\'s cluster-egress label: high, naming the policy and who can set the label', () => {
    const findings = run('CC-LBL-001', [...SECURITY, ...TEAM, POD_LABEL_EGRESS]);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({ rule: 'CC-LBL-001', severity: Severity.HIGH });
    expect(f.subject).toBeUndefined();
    expect(f.message).toContain('the security tier allows on pod label "cluster-egress", which whoever creates a pod in namespaces be and any namespace created later sets');
    expect(f.message).toContain('Who can set it: ServiceAccount ci/deployer (create/patch apps/deployments in namespace be (Role deployer via RoleBinding be/deployer))');
    expect(f.objects).toEqual(['GlobalNetworkPolicy security.cluster-egress', 'Role be/deployer', 'RoleBinding be/deployer']);
  });

  test('still a finding when no subject of the manifests deploys: teams deploy from elsewhere', () => {
    const findings = run('CC-LBL-001', [...SECURITY, namespace('be'), POD_LABEL_EGRESS]);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('No subject of the manifests can create pods there today');
  });

  test('no finding for identities tenants cannot set (labelled service accounts, namespace names), or outside the security tiers', () => {
    expect(run('CC-LBL-001', [...SECURITY, ...TEAM, IDENTITY_EGRESS])).toEqual([]);
    const teamPolicy = globalNetworkPolicy('team-egress', { selector: "cluster-egress == 'allowed'", types: ['Egress'], egress: [{ action: 'Allow' }] });
    expect(run('CC-LBL-001', [...SECURITY, ...TEAM, teamPolicy])).toEqual([]);
  });

  test('a pod label pinned to a platform namespace no one in the manifests deploys to is the platform\'s; a deployer there makes it a finding', () => {
    expect(run('CC-LBL-001', [...SECURITY, ...TEAM, METRICS])).toEqual([]);
    const intruder = namespaceGrant('monitoring', 'deploy', ['User:eve'], { resources: ['pods'], verbs: ['create'] });
    const findings = run('CC-LBL-001', [...SECURITY, ...TEAM, METRICS, ...intruder]);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('User eve (create pods in namespace monitoring');
  });

  test('a Deny on a pod label is not this rule\'s', () => {
    const deny = globalNetworkPolicy('security.deny-labelled', { tier: 'security', selector: "risky == 'yes'", types: ['Egress'], egress: [{ action: 'Deny' }] });
    expect(run('CC-LBL-001', [...SECURITY, ...TEAM, deny])).toEqual([]);
  });
});

describe('CC-LBL-002 others can set labels the security tier trusts', () => {
  test('a team that labels its own service accounts approves its own egress: high, per subject', () => {
    const selfLabel = namespaceGrant('be', 'sa-editor', ['User:bob'], { resources: ['serviceaccounts'], verbs: ['patch'] });
    const findings = run('CC-LBL-002', [...SECURITY, ...TEAM, IDENTITY_EGRESS, ...selfLabel]);
    expect(findings.map((f) => [f.subject, f.severity])).toEqual([['User:bob', Severity.HIGH]]);
    expect(findings[0].message).toContain('User bob can patch serviceaccounts in namespace be (Role sa-editor via RoleBinding be/sa-editor), and so set the service-account label "egress.security.example.com/internet"');
    expect(findings[0].message).toContain('GlobalNetworkPolicy security.approved-egress (tier security) egress rule 0 (Allow) source');
    expect(findings[0].objects).toEqual(['GlobalNetworkPolicy security.approved-egress', 'Role be/sa-editor', 'RoleBinding be/sa-editor']);
  });

  test('a network-set writer poses as a namespace approved by name', () => {
    const sets = namespaceGrant('be', 'netsets', ['User:nate'], { apiGroups: ['projectcalico.org'], resources: ['networksets'], verbs: ['create'] });
    const findings = run('CC-LBL-002', [...SECURITY, ...TEAM, IDENTITY_EGRESS, ...sets]);
    expect(findings.map((f) => f.subject)).toEqual(['User:nate']);
    expect(findings[0].message).toContain('namespace label "projectcalico.org/name"');
  });

  test('a Deny or Pass trusting a label is medium', () => {
    const deny = globalNetworkPolicy('security.quarantine', { tier: 'security', namespaceSelector: "quarantine == 'true'", types: ['Egress'], egress: [{ action: 'Deny' }] });
    const nsEditor = clusterGrant('ns-editor', ['User:olga'], { resources: ['namespaces'], verbs: ['patch'] });
    expect(run('CC-LBL-002', [...SECURITY, ...TEAM, deny, ...nsEditor]).map((f) => [f.subject, f.severity])).toEqual([['User:olga', Severity.MEDIUM]]);
  });

  test('no finding for the security team, which can rewrite the policy anyway, nor for pod creators choosing a service account by name', () => {
    const labeler = clusterGrant('labeler', ['Group:security-admins'], { resources: ['serviceaccounts'], verbs: ['patch'] });
    expect(run('CC-LBL-002', [...SECURITY, ...TEAM, IDENTITY_EGRESS, ...labeler])).toEqual([]);
    const byName = globalNetworkPolicy('security.by-name', {
      tier: 'security',
      types: ['Egress'],
      egress: [{ action: 'Allow', source: { serviceAccounts: { selector: "projectcalico.org/name == 'api'" } } }],
    });
    expect(run('CC-LBL-002', [...SECURITY, ...TEAM, byName])).toEqual([]);
  });
});
