import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NetworkModel } from '../../src/analysis';
import { GlobalNetworkSet, NetworkSet, Peer, Port, Protocol, Tier, TierDefaultAction } from '../../src/policy';
import { Selector } from '../../src/selector';
import { BaselineGlobalPolicies, BaselineGlobalPoliciesProps, ClusterNetworks, DevTeamNamespace, EgressSource, SecurityTeam } from '../../src/teams';
import { networkModelOf } from '../../src/testing';
import { validateCalicoManifests } from '../policy/crd-schema';
import { findObject } from '../rbac/rbac-manifests';

const PODS = 'projectcalico.org/orchestrator == "k8s"';
const SCOPE = '(has(projectcalico.org/name) && projectcalico.org/name not in {"calico-apiserver", "calico-system", "kube-system", "tigera-operator"})';
const NETWORKS: ClusterNetworks = {
  podCidrs: ['10.244.0.0/16', 'fd00:10:244::/56'],
  serviceCidrs: ['10.96.0.0/12', 'fd00:10:96::/112'],
  nodeCidrs: ['172.16.0.0/24'],
};
const MODEL_OPTIONS = { podCidrs: NETWORKS.podCidrs, serviceCidrs: NETWORKS.serviceCidrs };
const INTERNET = 'ip:93.184.216.34';
const INTERNET_V6 = 'ip:2606:2800:220:1::1';
const METADATA = 'ip:169.254.169.254';
const KUBELET = 'ip:172.16.0.10';

function baseline(props: Partial<BaselineGlobalPoliciesProps> = {}, withSecurity = true) {
  const chart = Testing.chart();
  const securityTeam = withSecurity ? new SecurityTeam(chart, 'security', { members: ['security-member'] }) : undefined;
  const policies = new BaselineGlobalPolicies(chart, 'baseline', { securityTeam, clusterNetworks: NETWORKS, ...props });
  const gnps = () => validateCalicoManifests(Testing.synth(chart)).filter((m) => m.kind === 'GlobalNetworkPolicy');
  const model = () => networkModelOf(chart, MODEL_OPTIONS);
  return { chart, securityTeam, policies, gnps, model };
}

function deployment(chart: Chart, namespace: string, name: string, labels: { [key: string]: string }, serviceAccount?: string): void {
  new kplus.Deployment(chart, `${namespace}-${name}`, {
    metadata: { name, namespace },
    podMetadata: { labels },
    serviceAccount: serviceAccount === undefined ? undefined
      : kplus.ServiceAccount.fromServiceAccountName(chart, `${namespace}-${name}-sa`, serviceAccount, { namespaceName: namespace }),
    containers: [{ image: 'registry.example/app:1', portNumber: 8080 }],
  });
}

/** The usual workloads: two apps, the DNS and the metrics collector. */
function workloads(chart: Chart): void {
  deployment(chart, 'be', 'api', { app: 'api' });
  deployment(chart, 'be', 'crawler', { 'app': 'crawler', 'cluster-egress': 'allowed' }, 'crawler');
  deployment(chart, 'fe', 'web', { app: 'web' });
  deployment(chart, 'kube-system', 'coredns', { 'k8s-app': 'kube-dns' });
  deployment(chart, 'monitoring', 'collector', { app: 'metrics-collector' });
  deployment(chart, 'monitoring', 'other', { app: 'other' });
}

describe('BaselineGlobalPolicies', () => {
  test('snapshot', () => {
    expect(baseline().gnps()).toMatchSnapshot();
  });

  test('the blog\'s policies, made to hold, in the security team\'s tier', () => {
    const { policies, gnps } = baseline();
    expect(policies.tierName).toBe('security');
    expect(policies.namespaceSelector?.toString()).toBe(SCOPE);
    expect(policies.trustedNamespaces).toEqual(['monitoring', 'kube-system']);
    expect(policies.excludedNamespaces).toEqual(['kube-system', 'calico-system', 'calico-apiserver', 'tigera-operator']);
    expect(policies.clusterEgressPolicy).toBeUndefined();
    const all = gnps();
    expect(all.map((p) => [p.metadata.name, p.spec.order])).toEqual([
      ['security.global-deny-link-local-egress', 800],
      ['security.global-deny-node-ports', 810],
      ['security.global-allow-metric-collector', 900],
      ['security.global-allow-egress-dns-pods', 2000],
      ['security.global-deny-external-egress', 2100],
    ]);
    expect(findObject(all, 'GlobalNetworkPolicy', 'security.global-deny-link-local-egress').spec).toEqual({
      tier: 'security',
      order: 800,
      namespaceSelector: SCOPE,
      types: ['Egress'],
      egress: [
        { action: 'Deny', destination: { nets: ['169.254.0.0/16'] } },
        { action: 'Deny', destination: { nets: ['fe80::/10', 'fd00:ec2::254/128'] } },
      ],
    });
    expect(findObject(all, 'GlobalNetworkPolicy', 'security.global-deny-node-ports').spec.egress).toEqual([{
      action: 'Deny',
      protocol: 'TCP',
      destination: { nets: ['172.16.0.0/24'], ports: [10250, 10255, '2379:2380', 10257, 10259, 10249, 10256] },
    }]);
    const collector = { selector: 'app == "metrics-collector"', namespaceSelector: 'projectcalico.org/name == "monitoring"' };
    expect(findObject(all, 'GlobalNetworkPolicy', 'security.global-allow-metric-collector').spec).toEqual({
      tier: 'security',
      order: 900,
      namespaceSelector: SCOPE,
      types: ['Ingress', 'Egress'],
      ingress: [
        { action: 'Allow', protocol: 'TCP', source: collector, destination: { ports: [9898] } },
        { action: 'Allow', protocol: 'TCP', source: { namespaceSelector: SCOPE }, destination: { ...collector, ports: [9898] } },
      ],
      // The collector's own connections to port 9898 of pods, and pods' connections towards the
      // collector's port 9898 — never "any destination on 9898".
      egress: [
        { action: 'Allow', protocol: 'TCP', source: collector, destination: { namespaceSelector: SCOPE, ports: [9898] } },
        { action: 'Allow', protocol: 'TCP', destination: { ...collector, ports: [9898] } },
      ],
    });
    const dns = { selector: 'k8s-app == "kube-dns"', namespaceSelector: 'projectcalico.org/name == "kube-system"' };
    expect(findObject(all, 'GlobalNetworkPolicy', 'security.global-allow-egress-dns-pods').spec.egress).toEqual([
      { action: 'Allow', protocol: 'UDP', destination: { ...dns, ports: [53] } },
      { action: 'Allow', protocol: 'TCP', destination: { ...dns, ports: [53] } },
    ]);
    // One rule per IP family: a rule whose notNets are all IPv4 does not apply to IPv6 at all.
    expect(findObject(all, 'GlobalNetworkPolicy', 'security.global-deny-external-egress').spec.egress).toEqual([
      { action: 'Deny', destination: { notNets: ['10.244.0.0/16', '10.96.0.0/12', '172.16.0.0/24'], notSelector: PODS } },
      { action: 'Deny', destination: { notNets: ['fd00:10:244::/56', 'fd00:10:96::/112'], notSelector: PODS } },
    ]);
    expect(policies.passPolicy).toBeUndefined();
    expect(policies.defaultDenyPolicy).toBeUndefined();
  });

  test('Calico semantics: no workload leaves the cluster, in IPv4 or IPv6; DNS, metrics and the cluster keep working', () => {
    const { chart, model } = baseline();
    workloads(chart);
    const m = model();
    for (const from of ['be/api', 'be/crawler', 'fe/web', 'monitoring/collector']) {
      expect(m).toDeny({ from, to: INTERNET, port: 443 });
      expect(m).toDeny({ from, to: INTERNET_V6, port: 443 });
      expect(m).toDeny({ from, to: METADATA, port: 80 });
      expect(m).toDeny({ from, to: 'ip:fe80::1', port: 80 });
      expect(m).toDeny({ from, to: 'ip:fd00:ec2::254', port: 80 });
      expect(m).toDeny({ from, to: KUBELET, port: 10250 });
      expect(m).toDeny({ from, to: KUBELET, port: 2379 });
    }
    // The API server on a node is inside the cluster: passed on to the teams.
    expect(m).toAllow({ from: 'be/api', to: KUBELET, port: 6443 });
    expect(m).toAllow({ from: 'be/api', to: 'kube-system/coredns', protocol: 'UDP', port: 53 });
    expect(m).toAllow({ from: 'be/api', to: 'kube-system/coredns', protocol: 'TCP', port: 53 });
    expect(m).toAllow({ from: 'monitoring/collector', to: 'be/api', port: 9898 });
    // Passed on to the default tier, where no policy selects these pods: the profile allows.
    expect(m).toAllow({ from: 'fe/web', to: 'be/api', port: 8080 });
    expect(m).toAllow({ from: 'monitoring/other', to: 'be/api', port: 9898 });
    // The system namespaces are left alone.
    expect(m).toAllow({ from: 'kube-system/coredns', to: INTERNET, protocol: 'UDP', port: 53 });
  });

  test('a single-stack cluster: every IPv6 address is outside', () => {
    const { chart, gnps, model } = baseline({ clusterNetworks: { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'], nodeCidrs: ['172.16.0.0/24'] } });
    expect(findObject(gnps(), 'GlobalNetworkPolicy', 'security.global-deny-external-egress').spec.egress).toEqual([
      { action: 'Deny', destination: { notNets: ['10.244.0.0/16', '10.96.0.0/12', '172.16.0.0/24'], notSelector: PODS } },
      // Calico ignores a rule whose notNets hold a whole family, so the family is written as nets.
      { action: 'Deny', destination: { nets: ['::/0'], notSelector: PODS } },
    ]);
    workloads(chart);
    expect(model()).toDeny({ from: 'be/api', to: INTERNET_V6, port: 443 });
    expect(model()).toDeny({ from: 'be/api', to: 'ip:fd00:10:244::5', port: 443 });
  });

  test('denyExternalEgress: false hands the outside to the teams; link-local and node ports stay denied', () => {
    const { chart, policies, model } = baseline({ denyExternalEgress: false });
    expect(policies.externalEgressPolicy).toBeUndefined();
    workloads(chart);
    expect(model()).toAllow({ from: 'be/api', to: INTERNET, port: 443 });
    expect(model()).toDeny({ from: 'be/api', to: METADATA, port: 80 });
    expect(model()).toDeny({ from: 'be/api', to: KUBELET, port: 10250 });
  });

  test('protectedNodePorts: custom ports (TCP when none is given), or none', () => {
    const custom = baseline({ protectedNodePorts: [Port.number(4194), Port.udp(8472)] });
    expect(findObject(custom.gnps(), 'GlobalNetworkPolicy', 'security.global-deny-node-ports').spec.egress).toEqual([
      { action: 'Deny', protocol: 'TCP', destination: { nets: ['172.16.0.0/24'], ports: [4194] } },
      { action: 'Deny', protocol: 'UDP', destination: { nets: ['172.16.0.0/24'], ports: [8472] } },
    ]);
    const none = baseline({ protectedNodePorts: [] });
    expect(none.policies.nodePortsPolicy).toBeUndefined();
    workloads(none.chart);
    expect(none.model()).toAllow({ from: 'be/api', to: KUBELET, port: 10250 });
  });

  describe('egress approvals', () => {
    test('a service account by name: the approved ports and networks only, passed on to the teams', () => {
      const { chart, policies, gnps, model } = baseline();
      const policy = policies.allowEgress({
        name: 'crawler',
        from: EgressSource.serviceAccount('be', 'crawler'),
        to: ['0.0.0.0/0', '2001:db8::/32'],
        ports: [Port.tcp(443)],
      });
      expect(policy.name).toBe('security.approved-egress-crawler');
      expect(policies.approvalPolicies).toEqual([policy]);
      expect(findObject(gnps(), 'GlobalNetworkPolicy', 'security.approved-egress-crawler').spec).toEqual({
        tier: 'security',
        order: 700,
        namespaceSelector: 'projectcalico.org/name == "be"',
        serviceAccountSelector: 'projectcalico.org/name == "crawler"',
        types: ['Egress'],
        egress: [
          // Broad destinations leave out the cluster's own networks, link-local and the nodes.
          {
            action: 'Pass',
            protocol: 'TCP',
            destination: { nets: ['0.0.0.0/0'], notNets: ['10.244.0.0/16', '10.96.0.0/12', '169.254.0.0/16', '172.16.0.0/24'], ports: [443] },
          },
          { action: 'Pass', protocol: 'TCP', destination: { nets: ['2001:db8::/32'], ports: [443] } },
        ],
      });
      workloads(chart);
      const m = model();
      expect(m).toAllow({ from: 'be/crawler', to: INTERNET, port: 443 });
      expect(m).toDeny({ from: 'be/crawler', to: INTERNET, port: 80 });
      expect(m).toAllow({ from: 'be/crawler', to: 'ip:2001:db8::1', port: 443 });
      expect(m).toDeny({ from: 'be/crawler', to: INTERNET_V6, port: 443 });
      expect(m).toDeny({ from: 'be/crawler', to: METADATA, port: 443 });
      expect(m).toDeny({ from: 'be/crawler', to: KUBELET, port: 10250 });
      // Another service account of the same namespace gains nothing.
      expect(m).toDeny({ from: 'be/api', to: INTERNET, port: 443 });
      // The crawler's DNS is still the baseline's.
      expect(m).toAllow({ from: 'be/crawler', to: 'kube-system/coredns', protocol: 'UDP', port: 53 });
    });

    test('IPv4 destinations approve no IPv6 address, and the other way round', () => {
      const { chart, policies, model } = baseline();
      policies.allowEgress({ name: 'v4', from: EgressSource.namespace('be'), to: ['0.0.0.0/0'], ports: [Port.tcp(443)] });
      policies.allowEgress({ name: 'v6', from: EgressSource.namespace('fe'), to: ['::/0'], ports: [Port.tcp(443)] });
      workloads(chart);
      expect(model()).toAllow({ from: 'be/api', to: INTERNET, port: 443 });
      expect(model()).toDeny({ from: 'be/api', to: INTERNET_V6, port: 443 });
      expect(model()).toAllow({ from: 'fe/web', to: INTERNET_V6, port: 443 });
      expect(model()).toDeny({ from: 'fe/web', to: INTERNET, port: 443 });
      expect(model()).toDeny({ from: 'fe/web', to: 'ip:fe80::1', port: 443 });
    });

    test('link-local and node addresses only when named', () => {
      const { chart, policies, gnps, model } = baseline();
      policies.allowEgress({
        name: 'node-local-dns',
        from: EgressSource.allWorkloads(),
        to: ['169.254.20.10/32'],
        ports: [Port.udp(53), Port.tcp(53)],
      });
      policies.allowEgress({ name: 'kubelet-scrape', from: EgressSource.serviceAccount('monitoring', 'collector'), to: ['172.16.0.0/24'], ports: [Port.tcp(10250)] });
      const dns = findObject(gnps(), 'GlobalNetworkPolicy', 'security.approved-egress-node-local-dns').spec;
      expect(dns.namespaceSelector).toBe(SCOPE);
      expect(dns.serviceAccountSelector).toBeUndefined();
      expect(dns.egress).toEqual([
        { action: 'Pass', protocol: 'UDP', destination: { nets: ['169.254.20.10/32'], ports: [53] } },
        { action: 'Pass', protocol: 'TCP', destination: { nets: ['169.254.20.10/32'], ports: [53] } },
      ]);
      workloads(chart);
      deployment(chart, 'monitoring', 'scraper', { app: 'scraper' }, 'collector');
      const m = model();
      expect(m).toAllow({ from: 'fe/web', to: 'ip:169.254.20.10', protocol: 'UDP', port: 53 });
      expect(m).toDeny({ from: 'fe/web', to: METADATA, port: 80 });
      expect(m).toAllow({ from: 'monitoring/scraper', to: KUBELET, port: 10250 });
      expect(m).toDeny({ from: 'monitoring/other', to: KUBELET, port: 10250 });
    });

    test('global network sets: one rule per IP family, without the sensitive networks', () => {
      const { chart, policies, gnps, model } = baseline();
      const partners = new GlobalNetworkSet(chart, 'partners', { metadata: { name: 'partners', labels: { partner: 'psp' } }, nets: ['203.0.113.0/24', '169.254.169.254/32'] });
      policies.allowEgress({ name: 'psp', from: EgressSource.namespace('be'), toNetworkSets: [partners], ports: [Port.tcp(443)] });
      const entity = { selector: 'partner == "psp"', namespaceSelector: 'global()' };
      expect(findObject(gnps(), 'GlobalNetworkPolicy', 'security.approved-egress-psp').spec.egress).toEqual([
        { action: 'Pass', protocol: 'TCP', destination: { ...entity, notNets: ['10.244.0.0/16', '10.96.0.0/12', '169.254.0.0/16', '172.16.0.0/24'], ports: [443] } },
        { action: 'Pass', protocol: 'TCP', destination: { ...entity, notNets: ['fd00:10:244::/56', 'fd00:10:96::/112', 'fe80::/10', 'fd00:ec2::254/128'], ports: [443] } },
      ]);
      workloads(chart);
      expect(model()).toAllow({ from: 'be/api', to: 'ip:203.0.113.9', port: 443 });
      expect(model()).toDeny({ from: 'be/api', to: METADATA, port: 443 });
      expect(model()).toDeny({ from: 'fe/web', to: 'ip:203.0.113.9', port: 443 });
    });

    test('the team\'s own egress policy still decides: an approval makes a destination possible, not open', () => {
      const { chart, securityTeam, policies, model } = baseline();
      policies.allowEgress({ name: 'be', from: EgressSource.namespace('be'), to: ['203.0.113.0/24'], ports: [Port.tcp(443)] });
      const team = new DevTeamNamespace(chart, 'be-team', { name: 'be', securityTeam, restrictEgress: true });
      workloads(chart);
      expect(model()).toDeny({ from: 'be/api', to: 'ip:203.0.113.9', port: 443 });
      team.allowEgressTo(Peer.cidr('203.0.113.0/24'), [Port.tcp(443)]);
      expect(model()).toAllow({ from: 'be/api', to: 'ip:203.0.113.9', port: 443 });
      // The team alone cannot open what the security team did not approve.
      team.allowEgressTo(Peer.anywhere(), [Port.tcp(443)]);
      expect(model()).toDeny({ from: 'be/api', to: INTERNET, port: 443 });
    });

    test('in the default tier an approval allows (a Pass would skip the teams\' policies of the same tier)', () => {
      const { policies, gnps } = baseline({
        egressApprovals: [{ name: 'x', from: EgressSource.namespace('be'), to: ['203.0.113.0/24'], ports: [Port.number(443)] }],
      }, false);
      expect(policies.approvalPolicies.map((p) => p.name)).toEqual(['approved-egress-x']);
      expect(findObject(gnps(), 'GlobalNetworkPolicy', 'approved-egress-x').spec.egress).toEqual([
        { action: 'Allow', protocol: 'TCP', destination: { nets: ['203.0.113.0/24'], ports: [443] } },
      ]);
    });

    test('refusals', () => {
      const { chart, policies } = baseline();
      const owner = 'BaselineGlobalPolicies "test/baseline"';
      const from = EgressSource.namespace('be');
      const ok = { name: 'x', from, to: ['203.0.113.0/24'], ports: [Port.tcp(443)] };
      expect(() => policies.allowEgress({ ...ok, to: ['10.244.3.0/24'] })).toThrow(
        `${owner}: allowEgress().to[0]: "10.244.3.0/24" is inside the cluster network 10.244.0.0/16; traffic inside the cluster is the teams' decision, approvals are for destinations outside it`,
      );
      expect(() => policies.allowEgress({ ...ok, to: ['203.0.113.1/24'] })).toThrow(/allowEgress\(\).to\[0\]: "203.0.113.1\/24" is not correctly masked/);
      expect(() => policies.allowEgress({ ...ok, to: undefined })).toThrow(
        `${owner}: allowEgress(): give the destinations: to (networks such as "203.0.113.0/24") and/or toNetworkSets (GlobalNetworkSets)`,
      );
      expect(() => policies.allowEgress({ ...ok, ports: [] })).toThrow(
        `${owner}: allowEgress().ports: list the approved ports, e.g. [Port.tcp(443)]; an approval covers the ports it names only`,
      );
      expect(() => policies.allowEgress({ ...ok, ports: [Port.named('https')] })).toThrow(/allowEgress\(\).ports\[0\]: named port "https" names a port of a pod/);
      expect(() => policies.allowEgress({ ...ok, from: 'be' as any })).toThrow(`${owner}: allowEgress().from: "be" is not an EgressSource; use EgressSource.serviceAccount('ns', 'sa'), EgressSource.namespace('ns') or EgressSource.allWorkloads()`);
      expect(() => policies.allowEgress({ ...ok, from: EgressSource.namespace('kube-system') })).toThrow(
        `${owner}: allowEgress().from: namespace kube-system is excluded from the baseline (excludedNamespaces), so its egress is not restricted and there is nothing to approve`,
      );
      expect(() => policies.allowEgress({ ...ok, name: 'X' })).toThrow(/allowEgress\(\).name: "X" is not a valid approval name/);
      const namespaced = new NetworkSet(chart, 'ns-set', { metadata: { name: 'partners', namespace: 'be', labels: { p: 'x' } }, nets: ['203.0.113.0/24'] });
      expect(() => policies.allowEgress({ ...ok, toNetworkSets: [namespaced] })).toThrow(
        `${owner}: allowEgress().toNetworkSets[0]: test/ns-set is not a GlobalNetworkSet; a namespaced NetworkSet can be changed by whoever may write network sets in its namespace`,
      );
      expect(() => policies.allowEgress(null as any)).toThrow(`${owner}: allowEgress(): expects { name, from, to?, toNetworkSets?, ports }`);
      policies.allowEgress(ok);
      expect(() => policies.allowEgress(ok)).toThrow(`${owner}: allowEgress().name: the approval "x" exists already; give each approval its own name`);
      expect(() => baseline({ egressApprovals: {} as any })).toThrow(/egressApprovals: must be a list of approvals/);
      expect(() => baseline({ egressApprovals: [{ ...ok, ports: [] }] })).toThrow(/egressApprovals\[0\].ports: list the approved ports/);
    });

    test('EgressSource factories check their input', () => {
      expect(EgressSource.serviceAccount('be', 'crawler').description).toBe('service account be/crawler');
      expect(String(EgressSource.namespace('be'))).toBe('namespace be');
      expect(EgressSource.allWorkloads().namespaceSelector).toBeUndefined();
      expect(() => EgressSource.namespace('Be')).toThrow(/^EgressSource.namespace\(\): name: "Be" is not a valid namespace/);
      expect(() => EgressSource.serviceAccount('be', 'Crawler')).toThrow(/^EgressSource.serviceAccount\(\): name: "Crawler" is not a valid service account name/);
    });
  });

  describe('the blog\'s pod-label egress: an explicit, unsafe opt-in', () => {
    test('labelled pods pass on to the teams for the outside; link-local and node ports stay denied', () => {
      const { chart, policies, gnps, model } = baseline({ clusterEgressSelector: Selector.label('cluster-egress').eq('allowed') });
      expect(policies.clusterEgressPolicy?.name).toBe('security.global-limit-cluster-egress');
      expect(findObject(gnps(), 'GlobalNetworkPolicy', 'security.global-limit-cluster-egress').spec).toEqual({
        tier: 'security',
        order: 901,
        namespaceSelector: SCOPE,
        selector: 'cluster-egress == "allowed"',
        types: ['Egress'],
        egress: [
          { action: 'Pass', destination: { notNets: ['10.244.0.0/16', '10.96.0.0/12', '172.16.0.0/24'], notSelector: PODS } },
          { action: 'Pass', destination: { notNets: ['fd00:10:244::/56', 'fd00:10:96::/112'], notSelector: PODS } },
        ],
      });
      workloads(chart);
      expect(model()).toAllow({ from: 'be/crawler', to: INTERNET, port: 443 });
      expect(model()).toDeny({ from: 'be/crawler', to: METADATA, port: 80 });
      expect(model()).toDeny({ from: 'be/crawler', to: KUBELET, port: 10250 });
      expect(model()).toDeny({ from: 'be/api', to: INTERNET, port: 443 });
    });
  });

  test('a tier given by name ends with a Pass policy, after all others', () => {
    const { policies, gnps } = baseline({ tier: Tier.fromName('platform') }, false);
    expect(policies.passPolicy?.name).toBe('platform.global-pass-to-next-tier');
    expect(findObject(gnps(), 'GlobalNetworkPolicy', 'platform.global-pass-to-next-tier').spec).toEqual({
      tier: 'platform',
      order: 10000,
      namespaceSelector: SCOPE,
      types: ['Ingress', 'Egress'],
      ingress: [{ action: 'Pass' }],
      egress: [{ action: 'Pass' }],
    });
  });

  test('a Tier whose default action is Deny gets the Pass policy too; endWithPass can force or skip it', () => {
    const chart = Testing.chart();
    const deny = new Tier(chart, 'deny', { name: 'strict', order: 10 });
    const pass = new Tier(chart, 'pass', { name: 'lenient', order: 20, defaultAction: TierDefaultAction.PASS });
    const clusterNetworks = NETWORKS;
    expect(new BaselineGlobalPolicies(chart, 'a', { clusterNetworks, tier: deny }).passPolicy).toBeDefined();
    expect(new BaselineGlobalPolicies(chart, 'b', { clusterNetworks, tier: pass }).passPolicy).toBeUndefined();
    expect(new BaselineGlobalPolicies(chart, 'c', { clusterNetworks, tier: pass, endWithPass: true }).passPolicy).toBeDefined();
    expect(new BaselineGlobalPolicies(chart, 'd', { clusterNetworks, tier: Tier.fromName('x'), endWithPass: false }).passPolicy).toBeUndefined();
  });

  test('defaultDeny in a tier of its own: a rule-less policy in the default tier', () => {
    const { policies, gnps } = baseline({ defaultDeny: true });
    expect(policies.defaultDenyPolicy?.tierName).toBe('default');
    expect(findObject(gnps(), 'GlobalNetworkPolicy', 'global-default-deny').spec).toEqual({
      namespaceSelector: SCOPE,
      types: ['Ingress', 'Egress'],
    });
  });

  test('in the default tier the default deny is implied, and cannot be switched off', () => {
    const { policies, gnps } = baseline({}, false);
    expect(policies.tierName).toBe('default');
    expect(gnps().map((p) => p.metadata.name)).toEqual([
      'global-deny-link-local-egress', 'global-deny-node-ports', 'global-allow-metric-collector',
      'global-allow-egress-dns-pods', 'global-deny-external-egress', 'global-default-deny',
    ]);
    expect(policies.passPolicy).toBeUndefined();
    expect(() => baseline({ defaultDeny: false }, false)).toThrow(
      /^BaselineGlobalPolicies "test\/baseline": defaultDeny: in the default tier the baseline policies select every pod/,
    );
    expect(() => baseline({ endWithPass: true }, false)).toThrow(
      /^BaselineGlobalPolicies "test\/baseline": endWithPass: a Pass at the end of the default tier would let through everything/,
    );
  });

  test('system namespaces: custom exclusions, or every namespace', () => {
    const custom = baseline({ excludedNamespaces: ['kube-system', 'ingress'] });
    expect(custom.policies.namespaceSelector?.toString()).toBe('(has(projectcalico.org/name) && projectcalico.org/name not in {"ingress", "kube-system"})');
    expect(custom.policies.excludedNamespaces).toEqual(['kube-system', 'ingress']);
    const everything = baseline({ includeSystemNamespaces: true, tier: Tier.fromName('platform') });
    expect(everything.policies.namespaceSelector).toBeUndefined();
    expect(everything.policies.excludedNamespaces).toEqual([]);
    for (const gnp of everything.gnps()) {
      expect(gnp.spec.namespaceSelector).toBeUndefined();
    }
    expect(findObject(everything.gnps(), 'GlobalNetworkPolicy', 'platform.global-allow-metric-collector').spec.egress[0].destination.namespaceSelector).toBe('all()');
  });

  test('the collector by service account, DNS, port and orders', () => {
    const { chart, gnps, model } = baseline({
      defaultDeny: true,
      metricsPort: 9100,
      metricsCollector: { namespace: 'monitoring', serviceAccount: 'prometheus' },
      dns: { selector: Selector.label('k8s-app').eq('node-local-dns'), namespace: 'kube-system' },
      orders: { metricsCollector: 2050, dns: 2001 },
    });
    const all = gnps();
    const metrics = findObject(all, 'GlobalNetworkPolicy', 'security.global-allow-metric-collector').spec;
    expect(metrics.order).toBe(2050);
    expect(metrics.ingress[0]).toEqual({
      action: 'Allow',
      protocol: 'TCP',
      source: { namespaceSelector: 'projectcalico.org/name == "monitoring"', serviceAccounts: { names: ['prometheus'] } },
      destination: { ports: [9100] },
    });
    expect(findObject(all, 'GlobalNetworkPolicy', 'security.global-allow-egress-dns-pods').spec.egress[0].destination.selector).toBe('k8s-app == "node-local-dns"');
    workloads(chart);
    deployment(chart, 'monitoring', 'prometheus', { app: 'prometheus' }, 'prometheus');
    // The collector's service account gets in; a pod of the namespace with another account does not.
    expect(model()).toAllow({ from: 'monitoring/prometheus', to: 'be/api', port: 9100 });
    expect(model()).toDeny({ from: 'monitoring/collector', to: 'be/api', port: 9100 });
  });

  test('Calico semantics with defaultDeny: only what the baseline (or a team) allows', () => {
    const { chart, model } = baseline({ defaultDeny: true });
    workloads(chart);
    const m = model();
    expect(m).toDeny({ from: 'fe/web', to: 'be/api', port: 8080 });
    expect(m).toAllow({ from: 'be/api', to: 'kube-system/coredns', protocol: 'UDP', port: 53 });
    expect(m).toAllow({ from: 'monitoring/collector', to: 'be/api', port: 9898 });
    expect(m).toDeny({ from: 'monitoring/collector', to: 'be/api', port: 9899 });
    // Egress on the metrics port only towards the collector, not to any destination.
    expect(m).toAllow({ from: 'be/api', to: 'monitoring/collector', port: 9898 });
    expect(m).toDeny({ from: 'be/api', to: 'fe/web', port: 9898 });
    expect(m).toDeny({ from: 'be/api', to: 'ip:203.0.113.9', port: 9898 });
  });

  test('the model sees the baseline\'s networks as the operator gave them', () => {
    const { chart, policies } = baseline();
    workloads(chart);
    const m = networkModelOf(chart, { podCidrs: policies.clusterNetworks.podCidrs, serviceCidrs: policies.clusterNetworks.serviceCidrs });
    expect(m).toBeInstanceOf(NetworkModel);
    expect(() => m.check({ from: 'be/api', to: 'ip:10.96.0.10', port: 53 })).toThrow(/service/);
  });

  describe('cluster networks are required', () => {
    const owner = 'BaselineGlobalPolicies "test/baseline"';
    test.each([
      [undefined, `${owner}: clusterNetworks: is required: the cluster's pod, service and node networks`],
      [{ podCidrs: ['10.244.0.0/16'], nodeCidrs: ['172.16.0.0/24'] }, `${owner}: clusterNetworks.serviceCidrs: is required: list the cluster's networks of this kind, e.g. ["10.96.0.0/12"]`],
      [{ ...NETWORKS, podCidrs: [] }, `${owner}: clusterNetworks.podCidrs: is required: list the cluster's networks of this kind, e.g. ["10.244.0.0/16"]`],
      [{ ...NETWORKS, nodeCidrs: undefined }, `${owner}: clusterNetworks.nodeCidrs: is required`],
      [{ ...NETWORKS, nodeCidrs: ['172.16.0.1/24'] }, `${owner}: clusterNetworks.nodeCidrs[0]: "172.16.0.1/24" is not correctly masked`],
      [{ ...NETWORKS, podCidrs: ['0.0.0.0/0'] }, `${owner}: clusterNetworks.podCidrs[0]: "0.0.0.0/0" is every address of its family, so nothing would be outside the cluster`],
    ])('refuses clusterNetworks %j', (clusterNetworks, message) => {
      expect(() => baseline({ clusterNetworks: clusterNetworks as any })).toThrow(message);
    });

    test('props are required, and the retired props say what replaced them', () => {
      expect(() => new BaselineGlobalPolicies(Testing.chart(), 'baseline', undefined as any)).toThrow(
        `${owner}: props are required: at least { clusterNetworks: { podCidrs, serviceCidrs, nodeCidrs } }`,
      );
      expect(() => baseline({ podCidrs: ['192.168.0.0/16'] } as any)).toThrow(`${owner}: podCidrs: the pod networks moved to clusterNetworks.podCidrs`);
      expect(() => baseline({ nodeCidrs: ['172.16.0.0/24'] } as any)).toThrow(`${owner}: nodeCidrs: the node networks moved to clusterNetworks.nodeCidrs`);
      expect(() => baseline({ denyUnlabelledClusterEgress: true } as any)).toThrow(`${owner}: denyUnlabelledClusterEgress: external egress is denied by default now`);
      expect(() => baseline({ orders: { denyUnlabelledClusterEgress: 2100 } as any })).toThrow(`${owner}: orders.denyUnlabelledClusterEgress: the policy is global-deny-external-egress now`);
    });
  });

  test.each([
    [{ metricsPort: 0 }, 'BaselineGlobalPolicies "test/baseline": metricsPort: 0 is not a valid port number; use an integer from 1 to 65535'],
    [{ metricsCollector: { selector: 'app == "x"' as any, namespace: 'monitoring' } }, /^BaselineGlobalPolicies "test\/baseline": metricsCollector.selector: "app == \\"x\\"" is not a Selector/],
    [{ metricsCollector: { selector: Selector.label('app').eq('x') } as any }, 'BaselineGlobalPolicies "test/baseline": metricsCollector.namespace: is required: without it any pod of any namespace carrying the labels would be trusted'],
    [{ metricsCollector: 'x' as any }, 'BaselineGlobalPolicies "test/baseline": metricsCollector: expects { namespace: string, selector?: Selector, serviceAccount?: string }'],
    [{ metricsCollector: { namespace: 'monitoring', serviceAccount: 'Prom' } }, /metricsCollector.serviceAccount: "Prom" is not a valid service account name/],
    [{ dns: { selector: Selector.all(), namespace: 'Kube' } }, /^BaselineGlobalPolicies "test\/baseline": dns.namespace: "Kube" is not a valid namespace/],
    [{ clusterEgressSelector: 'x' as any }, /clusterEgressSelector: "x" is not a Selector/],
    [{ protectedNodePorts: [Port.named('kubelet')] }, /protectedNodePorts\[0\]: named port "kubelet" names a port of a pod/],
    [{ protectedNodePorts: [10250 as any] }, /protectedNodePorts.ports\[0\]: 10250 is not a Port/],
    [{ excludedNamespaces: [] }, /excludedNamespaces: list at least one namespace, or set includeSystemNamespaces/],
    [{ excludedNamespaces: ['Kube'] }, /excludedNamespaces\[0\]: "Kube" is not a valid namespace/],
    [{ includeSystemNamespaces: true, excludedNamespaces: ['a'] }, /excludedNamespaces: includeSystemNamespaces covers every namespace; give one of the two/],
    [{ orders: { dns: 20000 } }, 'BaselineGlobalPolicies "test/baseline": orders.passToNextTier: 10000 does not come after the other baseline policies (700, 800, 810, 900, 901, 20000, 2100); the Pass policy must be last in the tier'],
    [{ orders: { clusterEgress: Number.NaN } }, /orders.clusterEgress: NaN is not an order; use a finite number/],
    [{ orders: { egressApprovals: 805 } }, 'BaselineGlobalPolicies "test/baseline": orders.egressApprovals: 805 does not come before orders.denyLinkLocal (800): approvals must be decided before the denies'],
    [{ orders: { clusterEgress: 805 } }, 'BaselineGlobalPolicies "test/baseline": orders.denyNodePorts: 810 does not come before orders.clusterEgress (805): labelled pods must not reach protected node ports'],
    [{ orders: { denyExternalEgress: 850 } }, /orders.clusterEgress: 901 does not come before orders.denyExternalEgress \(850\)/],
    [{ orders: 5 as any }, /orders: must be an object such as \{ dns: 2000 \}/],
    [{ tier: 'Security' as any }, /^BaselineGlobalPolicies "test\/baseline": tier: "Security" is not a valid tier name/],
    [{ securityTeam: {} as SecurityTeam }, 'BaselineGlobalPolicies "test/baseline": securityTeam: must be a SecurityTeam construct'],
  ])('refuses %j', (props, message) => {
    expect(() => baseline(props as BaselineGlobalPoliciesProps)).toThrow(message as any);
  });

  test('ports without a protocol are TCP', () => {
    const { gnps } = baseline({ protectedNodePorts: [Port.of(Protocol.TCP, 10250), Port.range(30000, 30010)] });
    expect(findObject(gnps(), 'GlobalNetworkPolicy', 'security.global-deny-node-ports').spec.egress).toEqual([
      { action: 'Deny', protocol: 'TCP', destination: { nets: ['172.16.0.0/24'], ports: [10250, '30000:30010'] } },
    ]);
  });
});
