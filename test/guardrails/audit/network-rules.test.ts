/**
 * The network rules: workloads reaching the internet, the cloud metadata service, the kubelet,
 * and host-networked workloads. Each with a manifest set that triggers it and one that does not.
 */
import { denyAllEgress, globalNetworkPolicy, namespace, noPodsQuota, pod } from './fixtures';
import { audit, Finding, Severity } from '../../../src/guardrails';

function run(rule: string, objects: any[], options: any = {}): Finding[] {
  return audit(objects, { rules: [rule], ...options });
}

/** Every pod may not reach these networks, then anything else is allowed (in the default tier). */
function denyEgressTo(name: string, nets: string[]): any {
  // Calico wants one IP version per rule.
  const families = [nets.filter((n) => !n.includes(':')), nets.filter((n) => n.includes(':'))].filter((f) => f.length > 0);
  return globalNetworkPolicy(name, {
    selector: 'all()',
    types: ['Egress'],
    egress: [...families.map((f) => ({ action: 'Deny', destination: { nets: f } })), { action: 'Allow' }],
  });
}

describe('CC-NET-001 workloads reach the internet', () => {
  test('one finding per namespace, naming the workloads, both address families and "any new pod"', () => {
    const findings = run('CC-NET-001', [namespace('apps'), pod('apps', 'web'), pod('apps', 'worker'), namespace('other')]);
    expect(findings.map((f) => f.objects[0])).toEqual(['Namespace apps', 'Namespace other']);
    const [apps] = findings;
    expect(apps).toMatchObject({ rule: 'CC-NET-001', severity: Severity.MEDIUM });
    expect(apps.subject).toBeUndefined();
    expect(apps.objects).toEqual(['Namespace apps', 'Pod apps/web', 'Pod apps/worker']);
    expect(apps.message).toContain('any new pod (no labels, service account default) in namespace apps');
    expect(apps.message).toContain('93.184.216.34 and 2606:2800:220:1::1 on TCP 443 and 80');
  });

  test('IPv6 left open by a policy that denies IPv4 only is reported, with the deciding policy', () => {
    const findings = run('CC-NET-001', [namespace('apps'), pod('apps', 'web'), denyEgressTo('deny-v4-internet', ['0.0.0.0/0'])], { probePods: false });
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('reaches 2606:2800:220:1::1 on TCP 443 and 80');
    expect(findings[0].message).not.toContain('93.184.216.34');
    expect(findings[0].objects).toEqual(['Namespace apps', 'Pod apps/web', 'GlobalNetworkPolicy deny-v4-internet']);
  });

  test('egress granted by pod labels only is called out as copyable', () => {
    const labelled = globalNetworkPolicy('cluster-egress', {
      order: 100,
      selector: 'cluster-egress == "allowed"',
      types: ['Egress'],
      egress: [{ action: 'Allow' }],
    });
    const findings = run('CC-NET-001', [namespace('apps'), denyAllEgress('apps'), labelled, pod('apps', 'web', { labels: { 'cluster-egress': 'allowed' } })]);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('Pod apps/web reaches');
    expect(findings[0].message).toContain('A new pod without labels does not get through');
  });

  test('no finding when egress is denied, for system namespaces, or for namespaces without pods when probePods is off', () => {
    expect(run('CC-NET-001', [namespace('apps'), pod('apps', 'web'), denyAllEgress('apps')])).toEqual([]);
    expect(run('CC-NET-001', [namespace('kube-system'), pod('kube-system', 'coredns')])).toEqual([]);
    expect(run('CC-NET-001', [namespace('apps')], { probePods: false })).toEqual([]);
    // No pod can run where a quota allows none: no "any new pod" there.
    expect(run('CC-NET-001', [namespace('members'), noPodsQuota('members')])).toEqual([]);
    expect(run('CC-NET-001', [namespace('members'), { ...noPodsQuota('members'), spec: { hard: { pods: '3' } } }])).toHaveLength(1);
    expect(run('CC-NET-001', [namespace('apps'), pod('apps', 'web'), denyEgressTo('deny-all', ['0.0.0.0/0', '::/0'])])).toEqual([]);
  });

  test('internetAddresses replaces the representative addresses', () => {
    const findings = run('CC-NET-001', [namespace('apps'), pod('apps', 'web'), denyEgressTo('deny-v4', ['0.0.0.0/0'])], { internetAddresses: ['203.0.113.7'] });
    expect(findings).toEqual([]);
  });
});

describe('CC-NET-002 workloads reach the cloud metadata service', () => {
  test('reaching 169.254.169.254 and fd00:ec2::254 is high', () => {
    const findings = run('CC-NET-002', [namespace('apps'), pod('apps', 'web')], { probePods: false });
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe(Severity.HIGH);
    expect(findings[0].message).toContain('169.254.169.254 and fd00:ec2::254 on TCP 80');
  });

  test('no finding when link-local and the IPv6 metadata address are denied before any allow', () => {
    const guard = denyEgressTo('deny-metadata', ['169.254.0.0/16', 'fd00:ec2::254/128']);
    expect(run('CC-NET-002', [namespace('apps'), pod('apps', 'web'), guard])).toEqual([]);
    // The internet stays open: only the metadata rule is satisfied.
    expect(run('CC-NET-001', [namespace('apps'), pod('apps', 'web'), guard])).toHaveLength(1);
  });
});

describe('CC-NET-003 workloads reach the kubelet', () => {
  test('with node CIDRs, reaching TCP 10250 on the first node address is high', () => {
    const findings = run('CC-NET-003', [namespace('apps'), pod('apps', 'web')], { nodeCidrs: ['10.0.0.0/24'] });
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe(Severity.HIGH);
    expect(findings[0].message).toContain('the kubelet port of the nodes (10.0.0.1 in 10.0.0.0/24)');
    expect(findings[0].message).toContain('10.0.0.1 on TCP 10250');
  });

  test('no finding without node CIDRs, or when the node CIDR is denied', () => {
    expect(run('CC-NET-003', [namespace('apps'), pod('apps', 'web')])).toEqual([]);
    expect(run('CC-NET-003', [namespace('apps'), pod('apps', 'web'), denyEgressTo('deny-nodes', ['10.0.0.0/24'])], { nodeCidrs: ['10.0.0.0/24'] })).toEqual([]);
  });
});

describe('CC-NET-004 host-network workloads', () => {
  test('host-networked pods outside the system namespaces are high, one finding per namespace', () => {
    const findings = run('CC-NET-004', [
      namespace('apps'),
      pod('apps', 'agent', { hostNetwork: true }),
      pod('apps', 'exporter', { hostNetwork: true }),
      pod('apps', 'web'),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: Severity.HIGH, objects: ['Pod apps/agent', 'Pod apps/exporter'] });
    expect(findings[0].message).toContain('no Calico network policy applies to them');
  });

  test('host-networked pods are not reported by the reachability rules', () => {
    expect(run('CC-NET-001', [namespace('apps'), pod('apps', 'agent', { hostNetwork: true })], { probePods: false })).toEqual([]);
  });

  test('no finding for ordinary pods or host-networked system pods', () => {
    expect(run('CC-NET-004', [namespace('apps'), pod('apps', 'web'), pod('kube-system', 'kube-proxy', { hostNetwork: true })])).toEqual([]);
  });
});
