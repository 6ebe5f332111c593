/**
 * Findings 1, 2 and 7 of "Secure by default": egress to the outside is the security team's
 * decision, granted to identities tenants cannot set, in IPv4 and IPv6 alike.
 */
import { Testing } from 'cdk8s';
import { memberUser, MODEL_OPTIONS, platform, TARGETS, WORKLOADS } from './platforms';
import { buildReferencePlatformCharts, PARTNER_NETWORKS, REFERENCE_CLUSTER_NETWORKS } from '../../examples/reference-platform/main';
import { manifestsOfApp, NetworkModel } from '../../src/analysis';
import { Port } from '../../src/policy';
import { BaselineGlobalPolicies, EgressSource } from '../../src/teams';

const reference = platform();
const abused = platform(true);
const DEV = memberUser(reference.manifests, 'be-dev-member');
const TEAM_PODS = ['be-dev-team/api', 'be-dev-team/worker', 'fe/web', 'database/mongo', 'client/curl', 'webapp/backend', 'prod-engineering/intern-a', 'monitoring/collector'];

describe('finding 1: egress to the outside is controlled by default', () => {
  test('no team pod reaches the internet, cloud metadata or the kubelet, on the reference platform', () => {
    for (const from of TEAM_PODS) {
      expect(reference.network).toDeny({ from, to: TARGETS.internet, port: 443 });
      expect(reference.network).toDeny({ from, to: TARGETS.metadata, port: 80 });
      expect(reference.network).toDeny({ from, to: TARGETS.kubelet, port: 10250 });
    }
    expect(reference.network.check({ from: 'webapp/backend', to: TARGETS.internet, port: 443 }).egress.reason)
      .toContain('GlobalNetworkPolicy security.global-deny-external-egress in tier security');
    expect(reference.network.check({ from: 'client/curl', to: TARGETS.metadata, port: 80 }).egress.reason)
      .toContain('GlobalNetworkPolicy security.global-deny-link-local-egress in tier security');
    expect(reference.network.check({ from: 'client/curl', to: TARGETS.kubelet, port: 10250 }).egress.reason)
      .toContain('GlobalNetworkPolicy security.global-deny-node-ports in tier security');
    // What pods need inside the cluster still works.
    expect(reference.network).toAllow({ from: 'client/curl', to: 'kube-system/coredns', protocol: 'UDP', port: 53 });
    expect(reference.network).toAllow({ from: 'client/curl', to: TARGETS.kubelet, port: 6443 });
  });

  test('a dev member who opens 0.0.0.0/0 and ::/0 in its own policy opens nothing', () => {
    // The member may write that policy…
    expect(abused.rbac).toPermit({ user: DEV, verb: 'create', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'be-dev-team' });
    // …but cannot touch the security tier that decides first.
    expect(abused.rbac).toForbid({ user: DEV, verb: 'create', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier: 'security' });
    expect(abused.rbac).toForbid({ user: DEV, verb: 'delete', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier: 'security', name: 'security.global-deny-external-egress' });
    for (const from of ['be-dev-team/api', 'be-dev-team/worker']) {
      expect(abused.network).toDeny({ from, to: TARGETS.internet, port: 443 });
      expect(abused.network).toDeny({ from, to: TARGETS.internetV6, port: 443 });
      expect(abused.network).toDeny({ from, to: TARGETS.metadata, port: 80 });
      expect(abused.network).toDeny({ from, to: TARGETS.kubelet, port: 10250 });
    }
  });
});

describe('finding 2: egress is granted to identities tenants cannot set', () => {
  test('the blog\'s cluster-egress pod label gains nothing', () => {
    for (const to of [TARGETS.internet, TARGETS.internetV6, TARGETS.metadata]) {
      expect(abused.network).toDeny({ from: 'webapp/labelled', to, port: 443 });
    }
    for (const gnp of reference.manifests.filter((m) => m.kind === 'GlobalNetworkPolicy')) {
      expect(JSON.stringify(gnp)).not.toContain('cluster-egress');
    }
  });

  test('the approval names a service account (and its namespace) by the label Calico derives from the name', () => {
    const approvals = reference.manifests.filter((m) => m.kind === 'GlobalNetworkPolicy' && m.metadata.name.startsWith('security.approved-egress-'));
    expect(approvals.map((m) => [m.metadata.name, m.spec.namespaceSelector, m.spec.serviceAccountSelector, m.spec.selector])).toEqual([
      ['security.approved-egress-be-partner-api', 'projectcalico.org/name == "be-dev-team"', 'projectcalico.org/name == "partner-client"', undefined],
    ]);
    // Approved: one account, the partner's networks, one port; and its own team must agree (it does).
    expect(reference.network).toAllow({ from: 'be-dev-team/partner-sync', to: 'ip:203.0.113.10', port: 443 });
    expect(reference.network).toDeny({ from: 'be-dev-team/partner-sync', to: 'ip:203.0.113.10', port: 22 });
    expect(reference.network).toDeny({ from: 'be-dev-team/partner-sync', to: TARGETS.internet, port: 443 });
    expect(reference.network).toDeny({ from: 'be-dev-team/partner-sync', to: TARGETS.metadata, port: 443 });
    expect(reference.network).toDeny({ from: 'be-dev-team/api', to: 'ip:203.0.113.10', port: 443 });
    // The backend team cannot create or relabel service accounts, nor create pods, to borrow the identity.
    for (const verb of ['create', 'update', 'patch']) {
      expect(reference.rbac).toForbid({ user: DEV, verb, apiGroup: '', resource: 'serviceaccounts', namespace: 'be-dev-team', name: verb === 'create' ? undefined : 'partner-client' });
    }
    expect(reference.rbac).toForbid({ user: DEV, verb: 'create', apiGroup: '', resource: 'pods', namespace: 'be-dev-team' });
  });

  test('the cluster networks are the operator\'s, never the blog\'s placeholders', () => {
    expect(() => new BaselineGlobalPolicies(Testing.chart(), 'baseline', {} as any)).toThrow(/clusterNetworks: is required/);
    const deny = reference.manifests.find((m) => m.metadata.name === 'security.global-deny-external-egress');
    const notNets = deny.spec.egress.flatMap((rule: any) => rule.destination.notNets ?? []);
    expect(notNets.sort()).toEqual([
      ...REFERENCE_CLUSTER_NETWORKS.podCidrs, ...REFERENCE_CLUSTER_NETWORKS.serviceCidrs, ...REFERENCE_CLUSTER_NETWORKS.nodeCidrs,
    ].sort());
    expect(JSON.stringify(reference.manifests)).not.toContain('192.168.0.0/16');
    // Link-local stays outside whatever the networks: the metadata service over IPv6 too.
    expect(reference.network).toDeny({ from: 'client/curl', to: TARGETS.metadataV6, port: 80 });
  });
});

describe('finding 7: IPv6 is never silently dropped', () => {
  test('IPv6 destinations are denied like IPv4 ones, unless approved in IPv6', () => {
    for (const from of TEAM_PODS) {
      expect(reference.network).toDeny({ from, to: TARGETS.internetV6, port: 443 });
    }
    // The partner approval lists both families explicitly.
    expect(PARTNER_NETWORKS.some((cidr) => cidr.includes(':'))).toBe(true);
    expect(reference.network).toAllow({ from: 'be-dev-team/partner-sync', to: 'ip:2001:db8:203::10', port: 443 });
    expect(reference.network).toDeny({ from: 'be-dev-team/partner-sync', to: TARGETS.internetV6, port: 443 });
  });

  test('an approval of IPv4 networks opens no IPv6 address', () => {
    const app = Testing.app();
    const charts = buildReferencePlatformCharts(app);
    charts.baseline.allowEgress({ name: 'webapp-v4', from: EgressSource.namespace('webapp'), to: ['0.0.0.0/0'], ports: [Port.tcp(443)] });
    const network = NetworkModel.fromManifests([...manifestsOfApp(app), ...WORKLOADS], MODEL_OPTIONS);
    expect(network).toAllow({ from: 'webapp/backend', to: TARGETS.internet, port: 443 });
    expect(network).toDeny({ from: 'webapp/backend', to: TARGETS.internetV6, port: 443 });
    expect(network).toDeny({ from: 'webapp/backend', to: TARGETS.metadata, port: 443 });
    expect(network).toDeny({ from: 'webapp/backend', to: TARGETS.kubelet, port: 10250 });
  });
});
