import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Tier, TierDefaultAction } from '../../src/policy/tier';
import { Selector } from '../../src/selector';
import { BaselineGlobalPolicies, BaselineGlobalPoliciesProps } from '../../src/teams/baseline-global-policies';
import { SecurityTeam } from '../../src/teams/security-team';
import { networkModelOf } from '../../src/testing';
import { validateCalicoManifests } from '../policy/crd-schema';
import { findObject } from '../rbac/rbac-manifests';

const PODS = 'projectcalico.org/orchestrator == "k8s"';
const SCOPE = '(has(projectcalico.org/name) && projectcalico.org/name not in {"calico-apiserver", "calico-system", "kube-system", "tigera-operator"})';

function baseline(props: BaselineGlobalPoliciesProps = {}, withSecurity = true) {
  const chart = Testing.chart();
  const securityTeam = withSecurity ? new SecurityTeam(chart, 'security', { members: ['security-member'] }) : undefined;
  const policies = new BaselineGlobalPolicies(chart, 'baseline', { securityTeam, ...props });
  const gnps = () => validateCalicoManifests(Testing.synth(chart)).filter((m) => m.kind === 'GlobalNetworkPolicy');
  return { chart, policies, gnps };
}

function deployment(chart: Chart, namespace: string, name: string, labels: { [key: string]: string }): void {
  new kplus.Deployment(chart, `${namespace}-${name}`, {
    metadata: { name, namespace },
    podMetadata: { labels },
    containers: [{ image: 'registry.example/app:1', portNumber: 8080 }],
  });
}

describe('BaselineGlobalPolicies', () => {
  test('snapshot', () => {
    expect(baseline().gnps()).toMatchSnapshot();
  });

  test('the blog\'s policies, corrected, in the security team\'s tier', () => {
    const { policies, gnps } = baseline();
    expect(policies.tierName).toBe('security');
    expect(policies.namespaceSelector?.toString()).toBe(SCOPE);
    const all = gnps();
    expect(all.map((p) => p.metadata.name)).toEqual([
      'security.global-allow-metric-collector',
      'security.global-limit-cluster-egress',
      'security.global-allow-egress-dns-pods',
    ]);
    const collector = { selector: 'app == "metrics-collector"', namespaceSelector: 'projectcalico.org/name == "monitoring"' };
    expect(all[0].spec).toEqual({
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
    expect(all[1].spec).toEqual({
      tier: 'security',
      order: 901,
      namespaceSelector: SCOPE,
      selector: 'cluster-egress == "allowed"',
      types: ['Egress'],
      egress: [{ action: 'Allow', destination: { notNets: ['192.168.0.0/16', '172.16.0.0/24'], notSelector: PODS } }],
    });
    const dns = { selector: 'k8s-app == "kube-dns"', namespaceSelector: 'projectcalico.org/name == "kube-system"' };
    expect(all[2].spec).toEqual({
      tier: 'security',
      order: 2000,
      namespaceSelector: SCOPE,
      types: ['Egress'],
      egress: [
        { action: 'Allow', protocol: 'UDP', destination: { ...dns, ports: [53] } },
        { action: 'Allow', protocol: 'TCP', destination: { ...dns, ports: [53] } },
      ],
    });
    expect(policies.passPolicy).toBeUndefined();
    expect(policies.defaultDenyPolicy).toBeUndefined();
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
    expect(new BaselineGlobalPolicies(chart, 'a', { tier: deny }).passPolicy).toBeDefined();
    expect(new BaselineGlobalPolicies(chart, 'b', { tier: pass }).passPolicy).toBeUndefined();
    expect(new BaselineGlobalPolicies(chart, 'c', { tier: pass, endWithPass: true }).passPolicy).toBeDefined();
    expect(new BaselineGlobalPolicies(chart, 'd', { tier: Tier.fromName('x'), endWithPass: false }).passPolicy).toBeUndefined();
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
      'global-allow-metric-collector', 'global-limit-cluster-egress', 'global-allow-egress-dns-pods', 'global-default-deny',
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
    const custom = baseline({ excludedNamespaces: ['kube-system', 'monitoring'] });
    expect(custom.policies.namespaceSelector?.toString()).toBe('(has(projectcalico.org/name) && projectcalico.org/name not in {"kube-system", "monitoring"})');
    const everything = baseline({ includeSystemNamespaces: true, tier: Tier.fromName('platform') });
    expect(everything.policies.namespaceSelector).toBeUndefined();
    for (const gnp of everything.gnps()) {
      expect(gnp.spec.namespaceSelector).toBeUndefined();
    }
    expect(findObject(everything.gnps(), 'GlobalNetworkPolicy', 'platform.global-allow-metric-collector').spec.egress[0].destination.namespaceSelector).toBe('all()');
  });

  test('custom CIDRs (one rule per IP family), collector anywhere, DNS, port, selector and orders', () => {
    const { gnps } = baseline({
      podCidrs: ['10.244.0.0/16', 'fd00:10:244::/56'],
      nodeCidrs: ['10.0.0.0/24'],
      metricsPort: 9100,
      metricsCollector: { selector: Selector.label('app').eq('prometheus') },
      dns: { selector: Selector.label('k8s-app').eq('node-local-dns'), namespace: 'kube-system' },
      clusterEgressSelector: Selector.label('egress').eq('internet'),
      orders: { metricsCollector: 100, clusterEgress: 101, dns: 102 },
    });
    const all = gnps();
    const metrics = findObject(all, 'GlobalNetworkPolicy', 'security.global-allow-metric-collector').spec;
    expect(metrics.order).toBe(100);
    expect(metrics.ingress[0]).toEqual({
      action: 'Allow', protocol: 'TCP', source: { selector: 'app == "prometheus"', namespaceSelector: 'all()' }, destination: { ports: [9100] },
    });
    const egress = findObject(all, 'GlobalNetworkPolicy', 'security.global-limit-cluster-egress').spec;
    expect(egress.selector).toBe('egress == "internet"');
    expect(egress.egress).toEqual([
      { action: 'Allow', destination: { notNets: ['10.244.0.0/16', '10.0.0.0/24'], notSelector: PODS } },
      { action: 'Allow', destination: { notNets: ['fd00:10:244::/56'], notSelector: PODS } },
    ]);
    expect(findObject(all, 'GlobalNetworkPolicy', 'security.global-allow-egress-dns-pods').spec.egress[0].destination.selector).toBe('k8s-app == "node-local-dns"');
  });

  test('denyUnlabelledClusterEgress: other pods may not leave the cluster, in the security tier', () => {
    const { policies, gnps } = baseline({ denyUnlabelledClusterEgress: true });
    expect(policies.denyClusterEgressPolicy).toBeDefined();
    expect(findObject(gnps(), 'GlobalNetworkPolicy', 'security.global-deny-unlabelled-cluster-egress').spec).toEqual({
      tier: 'security',
      order: 2100,
      namespaceSelector: SCOPE,
      selector: '!cluster-egress == "allowed"',
      types: ['Egress'],
      egress: [{ action: 'Deny', destination: { notNets: ['192.168.0.0/16', '172.16.0.0/24'], notSelector: PODS } }],
    });
  });

  test('Calico semantics: the tier allows DNS, metrics and labelled cluster egress, and passes everything else on', () => {
    const { chart } = baseline({ denyUnlabelledClusterEgress: true });
    deployment(chart, 'be', 'api', { app: 'api' });
    deployment(chart, 'be', 'crawler', { 'app': 'crawler', 'cluster-egress': 'allowed' });
    deployment(chart, 'fe', 'web', { app: 'web' });
    deployment(chart, 'kube-system', 'coredns', { 'k8s-app': 'kube-dns' });
    deployment(chart, 'monitoring', 'collector', { app: 'metrics-collector' });
    deployment(chart, 'monitoring', 'other', { app: 'other' });
    const model = networkModelOf(chart);
    expect(model).toAllow({ from: 'be/api', to: 'kube-system/coredns', protocol: 'UDP', port: 53 });
    expect(model).toAllow({ from: 'be/api', to: 'kube-system/coredns', protocol: 'TCP', port: 53 });
    expect(model).toAllow({ from: 'monitoring/collector', to: 'be/api', port: 9898 });
    expect(model).toAllow({ from: 'be/crawler', to: 'ip:203.0.113.9', port: 443 });
    expect(model).toDeny({ from: 'be/api', to: 'ip:203.0.113.9', port: 443 });
    // Passed on to the default tier, where no policy selects these pods: the profile allows.
    expect(model).toAllow({ from: 'fe/web', to: 'be/api', port: 8080 });
    expect(model).toAllow({ from: 'monitoring/other', to: 'be/api', port: 9898 });
  });

  test('Calico semantics with defaultDeny: only what the baseline (or a team) allows', () => {
    const { chart } = baseline({ defaultDeny: true });
    deployment(chart, 'be', 'api', { app: 'api' });
    deployment(chart, 'fe', 'web', { app: 'web' });
    deployment(chart, 'kube-system', 'coredns', { 'k8s-app': 'kube-dns' });
    deployment(chart, 'monitoring', 'collector', { app: 'metrics-collector' });
    const model = networkModelOf(chart);
    expect(model).toDeny({ from: 'fe/web', to: 'be/api', port: 8080 });
    expect(model).toAllow({ from: 'be/api', to: 'kube-system/coredns', protocol: 'UDP', port: 53 });
    expect(model).toAllow({ from: 'monitoring/collector', to: 'be/api', port: 9898 });
    expect(model).toDeny({ from: 'monitoring/collector', to: 'be/api', port: 9899 });
    // Egress on the metrics port only towards the collector, not to any destination.
    expect(model).toAllow({ from: 'be/api', to: 'monitoring/collector', port: 9898 });
    expect(model).toDeny({ from: 'be/api', to: 'fe/web', port: 9898 });
    expect(model).toDeny({ from: 'be/api', to: 'ip:203.0.113.9', port: 9898 });
  });

  test.each([
    [{ podCidrs: [] }, 'BaselineGlobalPolicies "test/baseline": podCidrs: list at least one CIDR, e.g. ["10.0.0.0/16"]'],
    [{ nodeCidrs: ['172.16.0.1/24'] }, /^BaselineGlobalPolicies "test\/baseline": nodeCidrs\[0\]: "172.16.0.1\/24" is not correctly masked/],
    [{ metricsPort: 0 }, 'BaselineGlobalPolicies "test/baseline": metricsPort: 0 is not a valid port number; use an integer from 1 to 65535'],
    [{ metricsCollector: { selector: 'app == "x"' as any } }, 'BaselineGlobalPolicies "test/baseline": metricsCollector: expects { selector: Selector, namespace?: string }'],
    [{ dns: { selector: Selector.all(), namespace: 'Kube' } }, /^BaselineGlobalPolicies "test\/baseline": dns.namespace: "Kube" is not a valid namespace/],
    [{ clusterEgressSelector: 'x' as any }, /clusterEgressSelector: must be a Selector/],
    [{ excludedNamespaces: [] }, /excludedNamespaces: list at least one namespace, or set includeSystemNamespaces/],
    [{ excludedNamespaces: ['Kube'] }, /excludedNamespaces\[0\]: "Kube" is not a valid namespace/],
    [{ includeSystemNamespaces: true, excludedNamespaces: ['a'] }, /excludedNamespaces: includeSystemNamespaces covers every namespace; give one of the two/],
    [{ orders: { dns: 20000 } }, 'BaselineGlobalPolicies "test/baseline": orders.passToNextTier: 10000 does not come after the other baseline policies (900, 901, 2100, 20000); the Pass policy must be last in the tier'],
    [{ orders: { clusterEgress: Number.NaN } }, /orders.clusterEgress: null is not an order; use a finite number/],
    [{ tier: 'Security' as any }, /^BaselineGlobalPolicies "test\/baseline": tier: "Security" is not a valid tier name/],
    [{ securityTeam: {} as SecurityTeam }, 'BaselineGlobalPolicies "test/baseline": securityTeam: must be a SecurityTeam construct'],
  ])('refuses %j', (props, message) => {
    expect(() => baseline(props as BaselineGlobalPoliciesProps)).toThrow(message as any);
  });
});
