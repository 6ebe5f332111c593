/**
 * The audit of the reference platform as it is built today, with a few team workloads added as
 * plain Pods (as they would come from the teams' repositories). These expectations record the
 * attacker review's findings that the rule pack proves; when the "secure by default" work fixes
 * one, its expectation here flips (see docs/threat-model.md).
 */
import { Testing } from 'cdk8s';
import { pod } from './fixtures';
import { buildReferencePlatform } from '../../../examples/reference-platform/main';
import { manifestsOfApp } from '../../../src/analysis';
import { audit, Finding, Severity } from '../../../src/guardrails';

const app = Testing.app();
buildReferencePlatform(app);
const manifests = [
  ...manifestsOfApp(app),
  pod('be-dev-team', 'api', { labels: { app: 'api' } }),
  pod('prod-engineering', 'intern-a', { serviceAccount: 'intern' }),
];
const findings = audit(manifests, { nodeCidrs: ['172.16.0.0/24'] });

function of(rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

describe('the reference platform, audited', () => {
  test('every service account of the security namespace is a cluster-wide policy admin (CC-RBAC-012)', () => {
    expect(of('CC-RBAC-012').map((f) => [f.subject, f.severity])).toEqual([['Group:system:serviceaccounts:security', Severity.HIGH]]);
    expect(of('CC-RBAC-012')[0].message).toContain('write Calico policies in tier security cluster-wide');
  });

  test('the security team may write crd.projectcalico.org, bypassing tier authorization (CC-RBAC-007)', () => {
    expect(of('CC-RBAC-007').map((f) => f.subject)).toEqual(['Group:system:serviceaccounts:security']);
    expect(of('CC-RBAC-007')[0].objects).toContain('ClusterRoleBinding security-network-policy-admin');
  });

  test('the labeler role may change the labels of every service account (CC-RBAC-009)', () => {
    expect(of('CC-RBAC-009').map((f) => [f.subject, f.objects])).toEqual([[
      'Group:system:serviceaccounts:security',
      ['ClusterRole security-serviceaccount-labeler', 'ClusterRoleBinding security-serviceaccount-labeler', 'ServiceAccount security/security-member'],
    ]]);
  });

  test('team members live beside their workloads (CC-RBAC-013)', () => {
    expect(of('CC-RBAC-013').map((f) => f.subject)).toEqual(['ServiceAccount:be-dev-team/be-dev-member', 'ServiceAccount:prod-engineering/prod-dev-member']);
  });

  test('pods reach the internet (v4 and v6), the metadata service and the kubelet, except where egress is restricted', () => {
    const namespaces = (rule: string): string[] => of(rule).map((f) => f.objects[0]);
    const open = ['Namespace client', 'Namespace database', 'Namespace fe', 'Namespace prod-engineering', 'Namespace security', 'Namespace webapp'];
    expect(namespaces('CC-NET-001')).toEqual(open);
    expect(namespaces('CC-NET-002')).toEqual(open);
    expect(namespaces('CC-NET-003')).toEqual(open);
    expect(of('CC-NET-001')[0].message).toContain('2606:2800:220:1::1');
  });

  test('no namespace enforces Pod Security (CC-NS-001)', () => {
    expect(of('CC-NS-001')).toHaveLength(7);
  });

  test('nobody in the manifests can escalate through tokens, secrets, bindings, impersonation or the kubelet', () => {
    for (const rule of ['CC-RBAC-001', 'CC-RBAC-002', 'CC-RBAC-003', 'CC-RBAC-004', 'CC-RBAC-005', 'CC-RBAC-006', 'CC-RBAC-008', 'CC-RBAC-010', 'CC-RBAC-011', 'CC-NET-004', 'CC-POL-001']) {
      expect([rule, of(rule)]).toEqual([rule, []]);
    }
  });

  test('every object a finding names is in the manifests', () => {
    const refs = new Set(manifests.map((o) => o.metadata.namespace ? `${o.kind} ${o.metadata.namespace}/${o.metadata.name}` : `${o.kind} ${o.metadata.name}`));
    const named = findings.flatMap((f) => f.objects);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((o) => !refs.has(o))).toEqual([]);
  });
});
