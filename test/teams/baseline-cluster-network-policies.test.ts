import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NetworkModel } from '../../src/analysis';
import { GlobalNetworkSet, Peer, Port, Tier } from '../../src/policy';
import { Selector } from '../../src/selector';
import {
  BaselineGlobalPolicies,
  BaselineGlobalPoliciesProps,
  ClusterNetworks,
  ClusterPolicyApi,
  DevTeamNamespace,
  EgressApproval,
  EgressSource,
  SecurityTeam,
} from '../../src/teams';
import { networkModelOf, rbacModelOf } from '../../src/testing';
import { validateCalicoManifests } from '../policy/crd-schema';

const NETWORKS: ClusterNetworks = {
  podCidrs: ['10.244.0.0/16', 'fd00:10:244::/56'],
  serviceCidrs: ['10.96.0.0/12', 'fd00:10:96::/112'],
  nodeCidrs: ['172.16.0.0/24'],
};
const MODEL_OPTIONS = { podCidrs: NETWORKS.podCidrs, serviceCidrs: NETWORKS.serviceCidrs };
const COVERED = {
  namespaces: {
    matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['calico-apiserver', 'calico-system', 'kube-system', 'tigera-operator'] }],
  },
};
const COLLECTOR = { namespace: 'monitoring', selector: Selector.label('app').eq('metrics-collector') };
/** Approvals the API can express: namespaces and every workload, broad and sensitive networks. */
const APPROVALS: EgressApproval[] = [
  { name: 'be-partner', from: EgressSource.namespace('be'), to: ['203.0.113.0/24', '2001:db8:203::/48'], ports: [Port.tcp(443)] },
  { name: 'node-local-dns', from: EgressSource.allWorkloads(), to: ['169.254.20.10/32'], ports: [Port.udp(53), Port.tcp(53)] },
  { name: 'kubelet-scrape', from: EgressSource.namespace('monitoring'), to: ['172.16.0.0/24'], ports: [Port.tcp(10250)] },
  { name: 'ops-anywhere', from: EgressSource.namespace('ops'), to: ['0.0.0.0/0', '169.254.169.254/32'], ports: [Port.tcp(22), Port.tcp(80)] },
];

function platform(policyApi: ClusterPolicyApi, props: Partial<BaselineGlobalPoliciesProps> = {}) {
  const app = Testing.app();
  const chart = new Chart(app, 'platform');
  const securityTeam = new SecurityTeam(chart, 'security', { members: ['security-member'], policyApi });
  const baseline = new BaselineGlobalPolicies(chart, 'baseline', { securityTeam, clusterNetworks: NETWORKS, metricsCollector: COLLECTOR, ...props });
  return { app, chart, securityTeam, baseline };
}

function deployment(chart: Chart, namespace: string, name: string, labels: { [key: string]: string }, port = 8080): void {
  new kplus.Deployment(chart, `${namespace}-${name}`, {
    metadata: { name, namespace },
    podMetadata: { labels },
    containers: [{ image: 'registry.example/app:1', portNumber: port }],
  });
}

/** Teams (one closed, with its isolation in the security tier), workloads and approvals. */
function withTeamsAndWorkloads(chart: Chart, securityTeam: SecurityTeam, baseline: BaselineGlobalPolicies): void {
  const excluded = baseline.excludedNamespaces;
  const fe = new DevTeamNamespace(chart, 'fe', { name: 'fe', labels: { team: 'fe' }, securityTeam });
  fe.allowIngressFrom(Peer.namespaces('be'), [Port.tcp(8080)]);
  const be = new DevTeamNamespace(chart, 'be', { name: 'be', labels: { team: 'be' }, securityTeam, restrictEgress: true });
  be.allowEgressTo(Peer.namespaces('fe'), [Port.tcp(8080)]);
  be.allowEgressTo(Peer.cidr('203.0.113.0/24', '2001:db8:203::/48'), [Port.tcp(443)]);
  APPROVALS.filter((a) => !excluded.includes(a.from.namespaceName!)).forEach((approval) => baseline.allowEgress(approval));
  deployment(chart, 'be', 'api', { app: 'api' });
  deployment(chart, 'be', 'crawler', { 'app': 'crawler', 'cluster-egress': 'allowed' });
  deployment(chart, 'fe', 'web', { app: 'web' });
  deployment(chart, 'ops', 'tool', { app: 'tool' });
  deployment(chart, 'kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, 53);
  deployment(chart, 'kube-system', 'agent', { app: 'agent' });
  deployment(chart, 'monitoring', 'collector', { app: 'metrics-collector' }, 9898);
  deployment(chart, 'monitoring', 'other', { app: 'other' });
}

const PODS = ['be/api', 'be/crawler', 'fe/web', 'ops/tool', 'kube-system/agent', 'monitoring/collector', 'monitoring/other'];
const ADDRESSES = [
  'ip:93.184.216.34', 'ip:2606:2800:220:1::1', 'ip:169.254.169.254', 'ip:fd00:ec2::254', 'ip:169.254.20.10',
  'ip:172.16.0.10', 'ip:203.0.113.10', 'ip:2001:db8:203::10', 'ip:198.51.100.7',
];

/** Every flow that matters, with its verdict: pods to pods, pods to addresses, addresses to pods. */
function verdicts(model: NetworkModel): string[] {
  const flows: Array<{ from: string; to: string; port: number; protocol?: string }> = [];
  for (const from of PODS) {
    for (const to of [...PODS, 'kube-system/coredns']) {
      if (from !== to) {
        for (const port of [8080, 9898]) {
          flows.push({ from, to, port });
        }
      }
    }
    flows.push({ from, to: 'kube-system/coredns', port: 53, protocol: 'UDP' }, { from, to: 'kube-system/coredns', port: 53, protocol: 'TCP' });
    for (const to of ADDRESSES) {
      for (const port of [22, 80, 443, 6443, 10250]) {
        flows.push({ from, to, port });
      }
      flows.push({ from, to, port: 53, protocol: 'UDP' });
    }
  }
  for (const to of PODS) {
    flows.push({ from: 'ip:198.51.100.7', to, port: 8080 }, { from: 'ip:172.16.0.10', to, port: 9898 });
  }
  return flows.map((flow) => `${flow.from} -> ${flow.to} ${flow.protocol ?? 'TCP'}/${flow.port}: ${model.check(flow).allowed ? 'allowed' : 'denied'}`);
}

function modelOf(policyApi: ClusterPolicyApi, props: Partial<BaselineGlobalPoliciesProps> = {}): NetworkModel {
  const { chart, securityTeam, baseline } = platform(policyApi, props);
  withTeamsAndWorkloads(chart, securityTeam, baseline);
  return networkModelOf(chart, MODEL_OPTIONS);
}

describe('BaselineGlobalPolicies with ClusterPolicyApi.KUBERNETES', () => {
  test('the controls as ClusterNetworkPolicies of the Admin tier, valid for the pinned CRD; no Calico policy', () => {
    const { chart, baseline, securityTeam } = platform(ClusterPolicyApi.KUBERNETES);
    expect(baseline.policyApi).toBe(ClusterPolicyApi.KUBERNETES);
    expect(baseline.tierName).toBe('kube-admin');
    const { linkLocalPolicy, dnsPolicy, metricsCollectorPolicy, externalEgressPolicy, passPolicy } = baseline;
    expect([linkLocalPolicy, dnsPolicy, metricsCollectorPolicy, externalEgressPolicy, passPolicy].filter((p) => p !== undefined)).toEqual([]);
    const manifests = validateCalicoManifests(Testing.synth(chart));
    expect(manifests.filter((m) => m.kind === 'GlobalNetworkPolicy')).toEqual([]);
    const cnps = manifests.filter((m) => m.kind === 'ClusterNetworkPolicy');
    expect(cnps.map((m) => [m.metadata.name, m.spec.tier, m.spec.priority])).toEqual([
      ['global-deny-link-local-egress', 'Admin', 80],
      ['global-deny-node-ports', 'Admin', 81],
      ['global-allow-metric-collector', 'Admin', 90],
      ['global-allow-metric-collector-scraping', 'Admin', 90],
      ['global-allow-egress-dns-pods', 'Admin', 200],
      ['global-deny-external-egress', 'Admin', 210],
    ]);
    expect(baseline.clusterNetworkPolicies.map((p) => p.name)).toEqual(cnps.map((m) => m.metadata.name));
    const byName = (name: string) => cnps.find((m) => m.metadata.name === name).spec;
    expect(byName('global-deny-external-egress')).toEqual({
      tier: 'Admin',
      priority: 210,
      subject: COVERED,
      egress: [
        { name: 'inside-the-cluster', action: 'Pass', to: [{ namespaces: {} }, { networks: ['10.244.0.0/16', 'fd00:10:244::/56', '10.96.0.0/12', 'fd00:10:96::/112', '172.16.0.0/24'] }] },
        { name: 'outside-the-cluster', action: 'Deny', to: [{ networks: ['0.0.0.0/0', '::/0'] }] },
      ],
    });
    expect(byName('global-allow-egress-dns-pods').egress).toEqual([{
      name: 'cluster-dns',
      action: 'Accept',
      to: [{ pods: { podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['kube-system'] }] } } }],
      protocols: [{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }],
    }]);
    expect(byName('global-allow-metric-collector-scraping').subject).toEqual({
      pods: { podSelector: { matchLabels: { app: 'metrics-collector' } }, namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['monitoring'] }] } },
    });
    // The security tier comes after kube-admin, and the team may write ClusterNetworkPolicies.
    expect(manifests.find((m) => m.kind === 'Tier').spec).toEqual({ order: 1100, defaultAction: 'Pass' });
    const rbac = rbacModelOf(chart);
    const member = 'system:serviceaccount:security:security-member';
    for (const verb of ['create', 'update', 'delete']) {
      expect(rbac).toPermit({ user: member, verb, apiGroup: 'policy.networking.k8s.io', resource: 'clusternetworkpolicies' });
    }
    expect(securityTeam.policyApi).toBe(ClusterPolicyApi.KUBERNETES);
  });

  test('a Calico security team writes no ClusterNetworkPolicy and gets no right on them', () => {
    const { chart } = platform(ClusterPolicyApi.CALICO);
    expect(rbacModelOf(chart)).toForbid({
      user: 'system:serviceaccount:security:security-member', verb: 'create', apiGroup: 'policy.networking.k8s.io', resource: 'clusternetworkpolicies',
    });
  });

  test('Calico semantics: the same verdicts as the Calico baseline on every flow (teams, approvals, DNS, metrics, inside and outside)', () => {
    const calico = verdicts(modelOf(ClusterPolicyApi.CALICO));
    const kubernetes = verdicts(modelOf(ClusterPolicyApi.KUBERNETES));
    expect(kubernetes).toEqual(calico);
    // The comparison is not vacuous: both kinds of verdict, where they matter.
    expect(calico).toContain('be/api -> ip:93.184.216.34 TCP/443: denied');
    expect(calico).toContain('be/api -> ip:203.0.113.10 TCP/443: allowed');
    expect(calico).toContain('be/api -> ip:2001:db8:203::10 TCP/443: allowed');
    expect(calico).toContain('ops/tool -> ip:93.184.216.34 TCP/22: allowed');
    expect(calico).toContain('ops/tool -> ip:169.254.169.254 TCP/80: allowed');
    expect(calico).toContain('ops/tool -> ip:172.16.0.10 TCP/22: allowed');
    expect(calico).toContain('ops/tool -> ip:172.16.0.10 TCP/10250: denied');
    expect(calico).toContain('ops/tool -> ip:2606:2800:220:1::1 TCP/22: denied');
    expect(calico).toContain('fe/web -> ip:169.254.169.254 TCP/80: denied');
    expect(calico).toContain('fe/web -> ip:169.254.20.10 UDP/53: allowed');
    expect(calico).toContain('monitoring/collector -> ip:172.16.0.10 TCP/10250: allowed');
    expect(calico).toContain('monitoring/collector -> fe/web TCP/9898: allowed');
    expect(calico).toContain('monitoring/other -> fe/web TCP/9898: denied');
    expect(calico).toContain('be/api -> fe/web TCP/8080: allowed');
    expect(calico).toContain('ops/tool -> fe/web TCP/8080: denied');
    expect(calico).toContain('kube-system/agent -> ip:93.184.216.34 TCP/443: allowed');
  });

  test.each([
    ['the blog\'s pod-label opt-in', { clusterEgressSelector: Selector.label('cluster-egress').eq('allowed') }],
    ['external egress left to the teams', { denyExternalEgress: false }],
    ['every namespace, system ones included', { includeSystemNamespaces: true }],
    ['custom exclusions and protected ports', { excludedNamespaces: ['kube-system', 'monitoring'], protectedNodePorts: [Port.tcp(10250), Port.udpRange(8000, 8100)] }],
  ])('Calico semantics, %s: the same verdicts', (_, props) => {
    expect(verdicts(modelOf(ClusterPolicyApi.KUBERNETES, props))).toEqual(verdicts(modelOf(ClusterPolicyApi.CALICO, props)));
  });

  test('approvals: sensitive networks before their denies, the others after the allowances; a Pass the teams\' tier still decides', () => {
    const { chart, baseline } = platform(ClusterPolicyApi.KUBERNETES);
    expect(baseline.allowEgress(APPROVALS[3])).toBeUndefined();
    expect(baseline.approvalPolicies).toEqual([]);
    const cnps = validateCalicoManifests(Testing.synth(chart)).filter((m) => m.metadata.name.startsWith('approved-egress-'));
    expect(cnps.map((m) => m.spec)).toEqual([
      {
        tier: 'Admin',
        priority: 70,
        subject: { namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ops'] }] } },
        egress: [{
          name: 'approved',
          action: 'Pass',
          to: [{ networks: ['169.254.169.254/32'] }],
          protocols: [{ tcp: { destinationPort: { number: 22 } } }, { tcp: { destinationPort: { number: 80 } } }],
        }],
      },
      {
        tier: 'Admin',
        priority: 205,
        subject: { namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ops'] }] } },
        egress: [{
          name: 'approved',
          action: 'Pass',
          to: [{ networks: ['0.0.0.0/0'] }],
          protocols: [{ tcp: { destinationPort: { number: 22 } } }, { tcp: { destinationPort: { number: 80 } } }],
        }],
      },
    ]);
    expect(cnps.map((m) => m.metadata.name)).toEqual(['approved-egress-ops-anywhere-sensitive', 'approved-egress-ops-anywhere']);
    baseline.allowEgress({ name: 'all', from: EgressSource.allWorkloads(), to: ['192.0.2.0/24'], ports: [Port.tcp(443)] });
    expect(baseline.clusterNetworkPolicies.at(-1)!.subject._render()).toEqual(COVERED);
    // The explanation names the policy and rule that decided.
    deployment(chart, 'ops', 'tool', { app: 'tool' });
    const model = networkModelOf(chart, MODEL_OPTIONS);
    expect(model.check({ from: 'ops/tool', to: 'ip:93.184.216.34', port: 443 }).egress.reason).toContain('global-deny-external-egress');
    expect(model.check({ from: 'ops/tool', to: 'ip:93.184.216.34', port: 22 }).egress.trace.join('\n')).toContain('approved-egress-ops-anywhere');
  });

  test('more than 25 networks or ports: split into peers and rules the API accepts', () => {
    const { chart, baseline } = platform(ClusterPolicyApi.KUBERNETES, {
      protectedNodePorts: Array.from({ length: 30 }, (_, i) => Port.tcp(20000 + i)),
    });
    const to = Array.from({ length: 30 }, (_, i) => `198.18.${i}.0/24`);
    baseline.allowEgress({ name: 'many', from: EgressSource.namespace('be'), to, ports: [Port.tcp(443)] });
    const manifests = validateCalicoManifests(Testing.synth(chart));
    const nodePorts = manifests.find((m) => m.metadata.name === 'global-deny-node-ports').spec.egress;
    expect(nodePorts.map((r: any) => [r.name, r.protocols.length])).toEqual([['protected-node-ports-1', 25], ['protected-node-ports-2', 5]]);
    const approval = manifests.find((m) => m.metadata.name === 'approved-egress-many').spec.egress;
    expect(approval.map((r: any) => r.to.map((p: any) => p.networks.length))).toEqual([[25, 5]]);
  });

  describe('what the API cannot express is refused, naming the field', () => {
    const owner = 'BaselineGlobalPolicies "platform/baseline"';
    const why = 'with policyApi ClusterPolicyApi.KUBERNETES';
    test.each([
      [{ tier: Tier.fromName('platform') }, `tier: ${why} the policies are ClusterNetworkPolicies of the Admin tier, which Calico evaluates in its kube-admin tier; leave tier out`],
      [{ orders: { dns: 1 } }, `orders: ${why} the policies have fixed priorities in the Admin tier (70 to 210, see policyApi), not Calico orders; leave orders out`],
      [{ endWithPass: true }, `endWithPass: ${why} the policies are in Calico's kube-admin tier, which already ends with Pass; leave endWithPass out`],
      [{ defaultDeny: true }, `defaultDeny: ${why} a default deny cannot be written: ClusterNetworkPolicy ingress peers are namespaces and pods only`],
      [
        { metricsCollector: { namespace: 'monitoring', serviceAccount: 'collector' } },
        `metricsCollector.serviceAccount: ${why} "collector" cannot be trusted by service account: ClusterNetworkPolicy selects pods by namespace and labels only ` +
          "(network-policy-api v1alpha2); trust the namespace (and pod labels) instead, e.g. { namespace: 'monitoring' }, or use ClusterPolicyApi.CALICO",
      ],
      [{ dns: { namespace: 'kube-system', serviceAccount: 'coredns' } }, `dns.serviceAccount: ${why} "coredns" cannot be trusted by service account`],
      [
        { metricsCollector: { namespace: 'monitoring', selector: Selector.label('app').eq('a').or(Selector.label('app').eq('b')) } },
        'metricsCollector.selector: ClusterNetworkPolicyPeer.podsInNamespaces(): podSelector: ',
      ],
      [{ policyApi: 'gateway' as ClusterPolicyApi }, 'policyApi: "gateway" is not a policy API; use ClusterPolicyApi.CALICO or ClusterPolicyApi.KUBERNETES'],
    ])('%j', (props, message) => {
      expect(() => platform(ClusterPolicyApi.KUBERNETES, props as Partial<BaselineGlobalPoliciesProps>)).toThrow(`${owner}: ${message}`);
    });

    test('approvals of a service account or of network sets', () => {
      const { chart, baseline } = platform(ClusterPolicyApi.KUBERNETES);
      expect(() => baseline.allowEgress({ name: 'sa', from: EgressSource.serviceAccount('be', 'client'), to: ['203.0.113.0/24'], ports: [Port.tcp(443)] })).toThrow(
        `${owner}: allowEgress().from: ${why} service account be/client cannot be approved: ClusterNetworkPolicy selects pods by namespace and labels only ` +
          "(network-policy-api v1alpha2), and pod labels are the deployer's choice; approve the namespace (EgressSource.namespace('be')), or use ClusterPolicyApi.CALICO",
      );
      const partners = new GlobalNetworkSet(chart, 'partners', { metadata: { name: 'partners', labels: { role: 'partner' } }, nets: ['203.0.113.0/24'] });
      expect(() => baseline.allowEgress({ name: 'sets', from: EgressSource.namespace('be'), toNetworkSets: [partners], ports: [Port.tcp(443)] })).toThrow(
        `${owner}: allowEgress().toNetworkSets: ${why} network sets cannot be approved: they are Calico objects, for which ClusterNetworkPolicy has no peer; ` +
          'list the networks in to, or use ClusterPolicyApi.CALICO',
      );
      expect(() => baseline.allowEgress({ name: 'none', from: EgressSource.namespace('be'), ports: [Port.tcp(443)] })).toThrow(
        `${owner}: allowEgress(): give the destinations: to (networks such as "203.0.113.0/24")`,
      );
      // The checks the Calico variant makes still hold.
      expect(() => baseline.allowEgress({ name: 'in', from: EgressSource.namespace('be'), to: ['10.244.1.0/24'], ports: [Port.tcp(443)] })).toThrow(
        /allowEgress\(\).to\[0\]: "10.244.1.0\/24" is inside the cluster network 10.244.0.0\/16/,
      );
      expect(() => platform(ClusterPolicyApi.KUBERNETES, {
        egressApprovals: [{ name: 'sa', from: EgressSource.serviceAccount('be', 'client'), to: ['203.0.113.0/24'], ports: [Port.tcp(443)] }],
      })).toThrow(`${owner}: egressApprovals[0].from: ${why} service account be/client cannot be approved`);
    });
  });

  describe('the security tier comes after kube-admin', () => {
    test('a Calico SecurityTeam (tier order 100) with a ClusterNetworkPolicy baseline is an error at synthesis, naming both', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'platform');
      const securityTeam = new SecurityTeam(chart, 'security');
      new BaselineGlobalPolicies(chart, 'baseline', { securityTeam, clusterNetworks: NETWORKS, policyApi: ClusterPolicyApi.KUBERNETES });
      expect(() => app.synth()).toThrow(
        'BaselineGlobalPolicies "platform/baseline": policyApi: the ClusterNetworkPolicies are in Calico\'s kube-admin tier (order 1000), after the tier "security" (order 100) ' +
          'of SecurityTeam "platform/security", whose controls would decide before the DNS and metrics allowances; ' +
          'create the SecurityTeam with policyApi: ClusterPolicyApi.KUBERNETES (tier order 1100), or use ClusterPolicyApi.CALICO here',
      );
    });

    test('SecurityTeam: the tier order defaults to 1100 and must stay after kube-admin; a Calico baseline may follow it there', () => {
      const chart = Testing.chart();
      expect(new SecurityTeam(chart, 'a', { policyApi: ClusterPolicyApi.KUBERNETES }).tier.order).toBe(1100);
      expect(new SecurityTeam(Testing.chart(), 'b', { policyApi: ClusterPolicyApi.KUBERNETES, tier: { order: 5000 } }).tier.order).toBe(5000);
      expect(() => new SecurityTeam(Testing.chart(), 'c', { policyApi: ClusterPolicyApi.KUBERNETES, tier: { order: 1000 } })).toThrow(
        'SecurityTeam "test/c": tier.order: 1000 puts the tier before Calico\'s kube-admin tier (order 1000), where the baseline\'s ClusterNetworkPolicies are (policyApi KUBERNETES): ' +
          "the team's controls would then decide before the baseline's allowances (DNS, metrics collector); use an order between 1000 and 1000000, e.g. 1100",
      );
      expect(() => new SecurityTeam(Testing.chart(), 'd', { policyApi: 'cnp' as ClusterPolicyApi })).toThrow(
        'SecurityTeam "test/d": policyApi: "cnp" is not a policy API; use ClusterPolicyApi.CALICO or ClusterPolicyApi.KUBERNETES',
      );
      const { baseline } = platform(ClusterPolicyApi.KUBERNETES, { policyApi: ClusterPolicyApi.CALICO });
      expect(baseline.tierName).toBe('security');
      expect(baseline.clusterNetworkPolicies).toEqual([]);
    });
  });
});
