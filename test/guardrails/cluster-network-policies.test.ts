/**
 * The reference platform's variant with the baseline written as Kubernetes ClusterNetworkPolicies
 * (issue "Cluster scale, and ClusterNetworkPolicy end to end", B): the network model gives it the
 * same verdicts as the Calico variant on the flows that matter — the internet in IPv4 and IPv6,
 * cloud metadata, the kubelet, DNS, metrics and traffic between the teams — on the reference
 * platform and on the platform a tenant tries to abuse. The only differences are the two
 * identities the API cannot express, and they are listed here.
 */
import { memberUser, platform, PlatformUnderTest, TARGETS, TENANT_ABUSE, WORKLOADS } from './platforms';
import { PARTNER_NETWORKS } from '../../examples/reference-platform/main';
import { ClusterPolicyApi } from '../../src/teams';

const PARTNER = 'ip:203.0.113.10';
const PARTNER_V6 = 'ip:2001:db8:203::10';

/** Every pod of the platform (host-networked pods are no Calico endpoints). */
function pods(abused: boolean): string[] {
  return [...WORKLOADS, ...(abused ? TENANT_ABUSE : [])]
    .filter((m) => m.kind === 'Pod' && !m.spec.hostNetwork)
    .map((m) => `${m.metadata.namespace}/${m.metadata.name}`);
}

/** The flows that matter, each with its verdict on `p`. */
function verdicts(p: PlatformUnderTest, abused: boolean): Map<string, boolean> {
  const all = pods(abused);
  const flows: Array<{ from: string; to: string; port: number; protocol?: string }> = [];
  for (const from of all) {
    // Outside: the internet (v4 and v6), cloud metadata (v4 and v6), the kubelet and the API server, the partner.
    for (const to of [TARGETS.internet, TARGETS.internetV6, TARGETS.metadata, TARGETS.metadataV6, TARGETS.kubelet, PARTNER, PARTNER_V6]) {
      for (const port of [80, 443, 6443, 10250]) {
        flows.push({ from, to, port });
      }
    }
    // DNS, over UDP and TCP.
    flows.push({ from, to: 'kube-system/coredns', port: 53, protocol: 'UDP' }, { from, to: 'kube-system/coredns', port: 53, protocol: 'TCP' });
    // Metrics and traffic between the teams, on every port the platform's rules name.
    for (const to of all.filter((other) => other !== from)) {
      for (const port of [443, 5432, 8080, 9898, 27017]) {
        flows.push({ from, to, port });
      }
    }
  }
  // From the internet and from a node.
  for (const to of all) {
    for (const from of ['ip:198.51.100.7', 'ip:2001:db8::7', TARGETS.kubelet]) {
      flows.push({ from, to, port: 8080 }, { from, to, port: 9898 });
    }
  }
  return new Map(flows.map((flow) => [`${flow.from} -> ${flow.to} ${flow.protocol ?? 'TCP'}/${flow.port}`, p.network.check(flow).allowed]));
}

/** The flows whose verdicts differ, with the Calico variant's verdict first. */
function differences(abused: boolean): string[] {
  const calico = verdicts(platform(abused, ClusterPolicyApi.CALICO), abused);
  const kubernetes = verdicts(platform(abused, ClusterPolicyApi.KUBERNETES), abused);
  expect([...kubernetes.keys()]).toEqual([...calico.keys()]);
  return [...calico.entries()]
    .filter(([flow, allowed]) => kubernetes.get(flow) !== allowed)
    .map(([flow, allowed]) => `${flow}: ${allowed ? 'allowed' : 'denied'} -> ${kubernetes.get(flow) ? 'allowed' : 'denied'}`);
}

/**
 * What the API cannot express, and so differs: the partner approval is for the backend's
 * namespace, not its `partner-client` service account (the backend team's own policy, which
 * allows the partner's networks for the whole namespace, decides then).
 */
const PARTNER_APPROVAL_BY_NAMESPACE = ['be-dev-team/api', 'be-dev-team/worker'].flatMap((from) =>
  [PARTNER, PARTNER_V6].map((to) => `${from} -> ${to} TCP/443: denied -> allowed`));

describe('the reference platform with ClusterNetworkPolicies', () => {
  const variant = platform(false, ClusterPolicyApi.KUBERNETES);

  test('the baseline is ClusterNetworkPolicies of the Admin tier; the security tier comes after kube-admin', () => {
    expect(variant.manifests.filter((m) => m.kind === 'GlobalNetworkPolicy')).toEqual([]);
    expect(variant.manifests.filter((m) => m.kind === 'ClusterNetworkPolicy').map((m) => [m.metadata.name, m.spec.tier, m.spec.priority])).toEqual([
      ['global-deny-link-local-egress', 'Admin', 80],
      ['global-deny-node-ports', 'Admin', 81],
      ['global-allow-metric-collector', 'Admin', 90],
      ['global-allow-metric-collector-scraping', 'Admin', 90],
      ['global-allow-egress-dns-pods', 'Admin', 200],
      ['global-deny-external-egress', 'Admin', 210],
      ['approved-egress-be-partner-api', 'Admin', 205],
    ]);
    expect(variant.manifests.find((m) => m.kind === 'Tier').spec.order).toBe(1100);
    // Its controls are where they were: the teams' isolation and the intern restriction, in the security tier.
    expect(variant.manifests.filter((m) => m.kind === 'NetworkPolicy' && m.spec?.tier === 'security').map((m) => m.metadata.name).sort()).toEqual(
      ['security.closed-namespace', 'security.closed-namespace', 'security.closed-namespace', 'security.closed-namespace', 'security.restrict-intern-access'],
    );
    expect(variant.network.check({ from: 'webapp/backend', to: TARGETS.internet, port: 443 }).egress.reason)
      .toContain('ClusterNetworkPolicy global-deny-external-egress');
    expect(variant.network.check({ from: 'client/curl', to: TARGETS.metadata, port: 80 }).egress.reason)
      .toContain('ClusterNetworkPolicy global-deny-link-local-egress');
    expect(variant.network.check({ from: 'client/curl', to: TARGETS.kubelet, port: 10250 }).egress.reason)
      .toContain('ClusterNetworkPolicy global-deny-node-ports');
  });

  test('the same verdicts as the Calico variant on the reference platform, but for the partner approval by namespace', () => {
    expect(differences(false)).toEqual(PARTNER_APPROVAL_BY_NAMESPACE);
    // The comparison covers both verdicts on each kind of flow.
    const flows = verdicts(variant, false);
    expect(flows.get(`fe/web -> ${TARGETS.internetV6} TCP/443`)).toBe(false);
    expect(flows.get(`be-dev-team/partner-sync -> ${PARTNER} TCP/443`)).toBe(true);
    expect(flows.get('client/curl -> kube-system/coredns UDP/53')).toBe(true);
    expect(flows.get('monitoring/collector -> database/mongo TCP/9898')).toBe(true);
    expect(flows.get('fe/web -> database/mongo TCP/9898')).toBe(false);
    expect(flows.get('fe/web -> be-dev-team/api TCP/443')).toBe(true);
    expect(flows.get('client/curl -> be-dev-team/api TCP/443')).toBe(false);
    expect(flows.get('prod-engineering/intern-a -> prod-engineering/db TCP/5432')).toBe(false);
  });

  test('the same verdicts on the platform a tenant tries to abuse, but for the collector trusted by namespace', () => {
    // The collector's service account cannot be expressed either: every pod of `monitoring`, a
    // namespace no team may own, is trusted; the tenant's look-alike there may scrape every pod, and
    // the interns, whom the security tier keeps among themselves, may push metrics to it.
    // (The pods some policy protects: those of the closed namespaces and the interns; the others
    // accept port 9898 from anyone on both variants.)
    const protectedPods = [
      'be-dev-team/api', 'be-dev-team/worker', 'be-dev-team/partner-sync', 'database/mongo', 'client/curl', 'webapp/backend', 'webapp/labelled',
      'prod-engineering/intern-a', 'prod-engineering/intern-b',
    ];
    const lookalike = [
      ...protectedPods.map((to) => `monitoring/lookalike -> ${to} TCP/9898: denied -> allowed`),
      ...['intern-a', 'intern-b'].map((intern) => `prod-engineering/${intern} -> monitoring/lookalike TCP/9898: denied -> allowed`),
    ];
    const got = differences(true);
    expect(got.filter((d) => !d.includes('monitoring/lookalike'))).toEqual(PARTNER_APPROVAL_BY_NAMESPACE);
    expect(got.filter((d) => d.includes('monitoring/lookalike')).sort()).toEqual(lookalike.sort());
    // The impostors and the labelled pod gain nothing, as on the Calico variant.
    const abused = platform(true, ClusterPolicyApi.KUBERNETES);
    for (const to of [TARGETS.internet, TARGETS.internetV6, TARGETS.metadata]) {
      expect(abused.network).toDeny({ from: 'webapp/labelled', to, port: 443 });
    }
    expect(abused.network).toDeny({ from: 'impostor/attacker', to: 'database/mongo', port: 9898 });
    expect(abused.network).toDeny({ from: 'impostor-fe/attacker', to: 'be-dev-team/api', port: 443 });
  });

  test('no development team may write a ClusterNetworkPolicy; the security team may', () => {
    const dev = memberUser(variant.manifests, 'be-dev-member');
    const security = memberUser(variant.manifests, 'security-member');
    for (const verb of ['create', 'update', 'patch', 'delete']) {
      expect(variant.rbac).toForbid({ user: dev, verb, apiGroup: 'policy.networking.k8s.io', resource: 'clusternetworkpolicies', name: verb === 'create' ? undefined : 'global-deny-external-egress' });
      expect(variant.rbac).toPermit({ user: security, verb, apiGroup: 'policy.networking.k8s.io', resource: 'clusternetworkpolicies', name: verb === 'create' ? undefined : 'global-deny-external-egress' });
    }
    expect(PARTNER_NETWORKS).toEqual(['203.0.113.0/24', '2001:db8:203::/48']);
  });
});
