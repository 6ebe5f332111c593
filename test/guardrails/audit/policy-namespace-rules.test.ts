/**
 * The tier-placement rule (Deny controls that teams can override) and the Pod Security rule.
 */
import { calicoTierWriter, clusterGrant, globalNetworkPolicy, namespace, namespaceGrant, tier } from './fixtures';
import { audit, Finding, Severity } from '../../../src/guardrails';

function run(rule: string, objects: any[], options: any = {}): Finding[] {
  return audit(objects, { rules: [rule], probePods: false, ...options });
}

const DENY_METADATA = {
  selector: 'all()',
  types: ['Egress'],
  egress: [{ action: 'Deny', destination: { nets: ['169.254.0.0/16'] } }],
};

/** A team member who may write Kubernetes NetworkPolicies in namespace apps. */
const K8S_WRITER = [namespace('apps'), ...namespaceGrant('apps', 'np-editor', ['User:dev'], { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create'] })];

describe('CC-POL-001 Deny controls in a tier others can write', () => {
  test('a Deny in tier default that a team can override with a Kubernetes NetworkPolicy is high', () => {
    const findings = run('CC-POL-001', [...K8S_WRITER, globalNetworkPolicy('deny-metadata', DENY_METADATA)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'CC-POL-001', severity: Severity.HIGH });
    expect(findings[0].message).toContain('GlobalNetworkPolicy deny-metadata (tier default) has Deny rules, but others can write policies that Calico evaluates before it');
    expect(findings[0].message).toContain('User dev can create networking.k8s.io/networkpolicies in namespace apps (Role np-editor via RoleBinding apps/np-editor)');
    expect(findings[0].objects).toEqual(['GlobalNetworkPolicy deny-metadata', 'Role apps/np-editor', 'RoleBinding apps/np-editor']);
  });

  test('a default-tier Deny ordered before Kubernetes policies (order < 1000) is still open to Calico policy writers of the tier', () => {
    const early = globalNetworkPolicy('deny-metadata', { ...DENY_METADATA, order: 10 });
    expect(run('CC-POL-001', [...K8S_WRITER, early])).toEqual([]);
    const calicoWriter = calicoTierWriter('calico-default', 'default', ['User:dev2'], ['tier.networkpolicies']);
    const findings = run('CC-POL-001', [...K8S_WRITER, early, ...calicoWriter]);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('User dev2 can create projectcalico.org/networkpolicies (tier default) cluster-wide');
    expect(findings[0].message).not.toContain('User dev ');
    expect(findings[0].objects).toContain('ClusterRoleBinding calico-default');
  });

  test('no finding in the security tier that only its owners write', () => {
    const control = globalNetworkPolicy('security.deny-metadata', { ...DENY_METADATA, tier: 'security', order: 10 });
    const owners = calicoTierWriter('security-admin', 'security', ['Group:security-admins']);
    expect(run('CC-POL-001', [...K8S_WRITER, tier('security', 100), control, ...owners])).toEqual([]);
  });

  test('no finding for policies without Deny rules', () => {
    const allow = globalNetworkPolicy('allow-dns', { selector: 'all()', types: ['Egress'], egress: [{ action: 'Allow', protocol: 'UDP', destination: { ports: [53] } }] });
    expect(run('CC-POL-001', [...K8S_WRITER, allow])).toEqual([]);
  });

  test('writers who can also change the control itself are its owners, not a finding', () => {
    const admin = clusterGrant('np-admin', ['User:dev'], { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create'] });
    const owner = calicoTierWriter('calico-default', 'default', ['User:dev']);
    expect(run('CC-POL-001', [namespace('apps'), ...admin, ...owner, globalNetworkPolicy('deny-metadata', DENY_METADATA)])).toEqual([]);
  });
});

describe('CC-POL-001 controls named in the options', () => {
  const CLOSED = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'closed-namespace', namespace: 'apps' },
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
  };
  const SECURITY = [tier('security', 100), ...calicoTierWriter('security-admin', 'security', ['Group:security-admins'])];

  test('a Kubernetes NetworkPolicy the security team relies on, which the team can edit or outnumber with its own', () => {
    const findings = run('CC-POL-001', [...K8S_WRITER, ...SECURITY, CLOSED], { controls: ['NetworkPolicy apps/closed-namespace'] });
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('NetworkPolicy apps/closed-namespace (tier default, order 1000) is a control the security team relies on, but others can change or delete it');
    expect(findings[0].message).toContain('User dev can create networking.k8s.io/networkpolicies in namespace apps');
    // Without the option, an allow-only Kubernetes policy is not taken for a control.
    expect(run('CC-POL-001', [...K8S_WRITER, ...SECURITY, CLOSED])).toEqual([]);
  });

  test('the security team (writers of every security tier) may edit its controls', () => {
    const admins = clusterGrant('security-np', ['Group:security-admins'], { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create', 'update', 'patch', 'delete'] });
    expect(run('CC-POL-001', [namespace('apps'), ...SECURITY, ...admins, CLOSED], { controls: ['NetworkPolicy apps/closed-namespace'] })).toEqual([]);
  });

  test('a control moved to the security tier is out of the team\'s reach', () => {
    const moved = globalNetworkPolicy('security.closed-apps', {
      tier: 'security',
      order: 10,
      selector: 'all()',
      namespaceSelector: "projectcalico.org/name == 'apps'",
      types: ['Ingress'],
      ingress: [{ action: 'Deny', source: { namespaceSelector: "projectcalico.org/name != 'apps'" } }, { action: 'Pass' }],
    });
    expect(run('CC-POL-001', [...K8S_WRITER, ...SECURITY, moved], { controls: ['GlobalNetworkPolicy security.closed-apps'] })).toEqual([]);
  });

  test('controls must name policies of the manifests, as findings name objects', () => {
    expect(() => run('CC-POL-001', [...K8S_WRITER, CLOSED], { controls: ['closed-namespace'] }))
      .toThrow('audit(): controls[0]: "closed-namespace" is not a policy reference; write Kind name or Kind namespace/name');
    expect(() => run('CC-POL-001', [...K8S_WRITER, CLOSED], { controls: ['NetworkPolicy apps/closed'] }))
      .toThrow('audit options: controls: "NetworkPolicy apps/closed" is not a policy of the manifests; name policies as findings do, e.g. NetworkPolicy apps/closed-namespace');
  });
});

describe('CC-NS-001 namespaces without Pod Security enforcement', () => {
  test('a namespace without the enforce label, or with privileged, is medium', () => {
    const findings = run('CC-NS-001', [namespace('apps'), namespace('tools', { 'pod-security.kubernetes.io/enforce': 'privileged' })]);
    expect(findings.map((f) => [f.objects, f.severity])).toEqual([
      [['Namespace apps'], Severity.MEDIUM],
      [['Namespace tools'], Severity.MEDIUM],
    ]);
    expect(findings[0].message).toContain('pod-security.kubernetes.io/enforce is not set');
    expect(findings[1].message).toContain('pod-security.kubernetes.io/enforce is "privileged"');
  });

  test('no finding for baseline or restricted, nor for system namespaces', () => {
    expect(run('CC-NS-001', [
      namespace('apps', { 'pod-security.kubernetes.io/enforce': 'restricted' }),
      namespace('web', { 'pod-security.kubernetes.io/enforce': 'baseline' }),
      namespace('kube-system'),
    ])).toEqual([]);
  });
});
