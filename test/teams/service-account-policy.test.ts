import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parse } from 'yaml';
import { NetworkPolicy, RuleAction, Tier } from '../../src/policy';
import { Selector } from '../../src/selector';
import { BaselineGlobalPolicies, SecurityTeam, ServiceAccountPolicy } from '../../src/teams';
import { networkModelOf, rbacModelOf } from '../../src/testing';
import { synthValidated } from '../policy/crd-schema';

const NETWORKS = { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'], nodeCidrs: ['172.16.0.0/24'] };

/** A manifest of the Calico guide, with the `spec.types` these constructs always write. */
function documented(yaml: string, types: string[]): any {
  const manifest = parse(yaml);
  return { ...manifest, spec: { ...manifest.spec, types } };
}

function chart(): Chart {
  return new Chart(Testing.app(), 'docs');
}

describe('ServiceAccountPolicy', () => {
  test('snapshot: the three factories', () => {
    const c = new Chart(Testing.app(), 'docs', { namespace: 'prod-engineering' });
    ServiceAccountPolicy.allowFromServiceAccounts(c, 'by-name', {
      name: 'demo-calico',
      selector: Selector.label('app').eq('db'),
      names: ['api-service', 'user-auth-service'],
    });
    ServiceAccountPolicy.allowFromServiceAccountSelector(c, 'by-label', {
      name: 'allow-web-frontend',
      selector: Selector.label('app').eq('db'),
      serviceAccountSelector: Selector.label('app').eq('web-frontend'),
    });
    ServiceAccountPolicy.restrictToServiceAccountGroup(c, 'interns', {
      name: 'restrict-intern-access',
      tier: Tier.DEFAULT,
      serviceAccountSelector: Selector.label('role').eq('intern'),
    });
    const security = new SecurityTeam(c, 'security');
    ServiceAccountPolicy.restrictToServiceAccountGroup(c, 'interns-control', {
      name: 'restrict-intern-access',
      securityTeam: security,
      serviceAccountSelector: Selector.label('role').eq('intern'),
    });
    expect(synthValidated(c).filter((m) => m.kind === 'NetworkPolicy')).toMatchSnapshot();
  });

  test('allowFromServiceAccounts(): the guide\'s demo-calico', () => {
    const c = chart();
    const policy = ServiceAccountPolicy.allowFromServiceAccounts(c, 'demo-calico', {
      namespace: 'prod-engineering',
      name: 'demo-calico',
      selector: Selector.label('app').eq('db'),
      names: ['api-service', 'user-auth-service'],
    });
    expect(policy.name).toBe('demo-calico');
    expect(synthValidated(c)).toEqual([documented(`
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: demo-calico
  namespace: prod-engineering
spec:
  ingress:
    - action: Allow
      source:
        serviceAccounts:
          names:
            - api-service
            - user-auth-service
  selector: 'app == "db"'
`, ['Ingress'])]);
  });

  test('allowFromServiceAccountSelector(): the guide\'s allow-web-frontend', () => {
    const c = chart();
    ServiceAccountPolicy.allowFromServiceAccountSelector(c, 'allow-web-frontend', {
      namespace: 'prod-engineering',
      name: 'allow-web-frontend',
      selector: Selector.label('app').eq('db'),
      serviceAccountSelector: Selector.label('app').eq('web-frontend'),
    });
    expect(synthValidated(c)).toEqual([documented(`
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: allow-web-frontend
  namespace: prod-engineering
spec:
  ingress:
    - action: Allow
      source:
        serviceAccounts:
          selector: 'app == "web-frontend"'
  selector: 'app == "db"'
`, ['Ingress'])]);
  });

  test('restrictToServiceAccountGroup(): the guide\'s restrict-intern-access', () => {
    const c = chart();
    ServiceAccountPolicy.restrictToServiceAccountGroup(c, 'restrict-intern-access', {
      namespace: 'prod-engineering',
      name: 'restrict-intern-access',
      tier: Tier.DEFAULT,
      serviceAccountSelector: Selector.label('role').eq('intern'),
    });
    expect(synthValidated(c)).toEqual([documented(`
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: restrict-intern-access
  namespace: prod-engineering
spec:
  serviceAccountSelector: 'role == "intern"'
  ingress:
    - action: Allow
      source:
        serviceAccounts:
          selector: 'role == "intern"'
  egress:
    - action: Allow
      destination:
        serviceAccounts:
          selector: 'role == "intern"'
`, ['Ingress', 'Egress'])]);
  });

  test('restrictToServiceAccountGroup() is a control: it asks where it goes', () => {
    expect(() => ServiceAccountPolicy.restrictToServiceAccountGroup(chart(), 'interns', {
      namespace: 'prod-engineering',
      serviceAccountSelector: Selector.label('role').eq('intern'),
    })).toThrow(
      'ServiceAccountPolicy.restrictToServiceAccountGroup() "interns": tier: this policy is a control: give securityTeam (or tier: securityTeam.tier) ' +
        'so that the development teams cannot delete or pre-empt it, or tier: Tier.DEFAULT for the guide\'s object in the default tier, which any team with Calico rights in the namespace can undo',
    );
  });

  test('securityTeam: a control in the security tier, Pass for the group and Deny for the rest, after the baseline\'s allowances', () => {
    const c = chart();
    const securityTeam = new SecurityTeam(c, 'security');
    const policy = ServiceAccountPolicy.restrictToServiceAccountGroup(c, 'interns', {
      namespace: 'prod-engineering',
      name: 'restrict-intern-access',
      securityTeam,
      serviceAccountSelector: Selector.label('role').eq('intern'),
    });
    expect(policy.tierName).toBe('security');
    const group = { serviceAccounts: { selector: 'role == "intern"' } };
    expect(synthValidated(c).find((m) => m.kind === 'NetworkPolicy').spec).toEqual({
      tier: 'security',
      order: 5000,
      serviceAccountSelector: 'role == "intern"',
      types: ['Ingress', 'Egress'],
      ingress: [{ action: 'Pass', source: group }, { action: 'Deny' }],
      egress: [{ action: 'Pass', destination: group }, { action: 'Deny' }],
    });
  });

  test('allowFrom…() in the security tier: the named accounts pass, everyone else is denied', () => {
    const c = chart();
    const securityTeam = new SecurityTeam(c, 'security');
    ServiceAccountPolicy.allowFromServiceAccounts(c, 'db', {
      namespace: 'prod-engineering', name: 'db', securityTeam, selector: Selector.label('app').eq('db'), names: ['api-service'],
    });
    ServiceAccountPolicy.allowFromServiceAccountSelector(c, 'cache', {
      namespace: 'prod-engineering', name: 'cache', tier: securityTeam.tier, order: 4000, selector: Selector.label('app').eq('cache'), serviceAccountSelector: Selector.label('app').eq('web'),
    });
    const policies = synthValidated(c).filter((m) => m.kind === 'NetworkPolicy');
    expect(policies.map((p) => [p.metadata.name, p.spec.order, p.spec.ingress])).toEqual([
      ['security.db', 5000, [{ action: 'Pass', source: { serviceAccounts: { names: ['api-service'] } } }, { action: 'Deny' }]],
      ['security.cache', 4000, [{ action: 'Pass', source: { serviceAccounts: { selector: 'app == "web"' } } }, { action: 'Deny' }]],
    ]);
  });

  test('Calico semantics: the control holds against the team\'s own policy at order 1, and against RBAC', () => {
    const app = new App();
    const c = new Chart(app, 'prod');
    const securityTeam = new SecurityTeam(c, 'security', { members: ['security-member'] });
    new BaselineGlobalPolicies(c, 'baseline', { securityTeam, clusterNetworks: NETWORKS });
    const intern = new kplus.ServiceAccount(c, 'intern', { metadata: { name: 'intern', namespace: 'prod-engineering', labels: { role: 'intern' } } });
    ServiceAccountPolicy.restrictToServiceAccountGroup(c, 'interns', {
      namespace: 'prod-engineering', name: 'restrict-intern-access', securityTeam, serviceAccountSelector: Selector.label('role').eq('intern'),
    });
    const pod = (name: string, serviceAccount: kplus.IServiceAccount | undefined, namespace = 'prod-engineering', labels: { [key: string]: string } = { app: name }) =>
      new kplus.Deployment(c, `${namespace}-${name}`, { metadata: { name, namespace }, podMetadata: { labels }, serviceAccount, containers: [{ image: 'x', portNumber: 8080 }] });
    pod('intern-a', intern);
    pod('intern-b', intern);
    pod('db', undefined);
    pod('coredns', undefined, 'kube-system', { 'k8s-app': 'kube-dns' });
    pod('collector', undefined, 'monitoring', { app: 'metrics-collector' });
    const check = () => {
      const model = networkModelOf(c);
      expect(model).toAllow({ from: 'prod-engineering/intern-a', to: 'prod-engineering/intern-b', port: 8080 });
      expect(model).toDeny({ from: 'prod-engineering/intern-a', to: 'prod-engineering/db', port: 8080 });
      expect(model).toDeny({ from: 'prod-engineering/db', to: 'prod-engineering/intern-a', port: 8080 });
      // The baseline's allowances come first: DNS and the metrics collector keep working.
      expect(model).toAllow({ from: 'prod-engineering/intern-a', to: 'kube-system/coredns', protocol: 'UDP', port: 53 });
      expect(model).toAllow({ from: 'monitoring/collector', to: 'prod-engineering/intern-a', port: 9898 });
    };
    check();
    // The team's own policy, first in the default tier, lets everything in and out: nothing changes.
    new NetworkPolicy(c, 'team-open', {
      metadata: { name: 'open', namespace: 'prod-engineering' },
      order: 1,
      ingress: [{ action: RuleAction.ALLOW }],
      egress: [{ action: RuleAction.ALLOW }],
    });
    check();
    // Only the security team may change policies of its tier.
    const rbac = rbacModelOf(c);
    expect(rbac).toPermit({ user: 'system:serviceaccount:security:security-member', verb: 'delete', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'prod-engineering', tier: 'security', name: 'security.restrict-intern-access' });
  });

  test('a control after the baseline\'s Pass, or before its allowances, is an error at synthesis', () => {
    const app = Testing.app();
    const c = new Chart(app, 'prod');
    const securityTeam = new SecurityTeam(c, 'security');
    new BaselineGlobalPolicies(c, 'baseline', { securityTeam, clusterNetworks: NETWORKS, endWithPass: true });
    const late = ServiceAccountPolicy.restrictToServiceAccountGroup(c, 'late', {
      namespace: 'p', name: 'late', securityTeam, order: 20000, serviceAccountSelector: Selector.label('role').eq('intern'),
    });
    const early = ServiceAccountPolicy.restrictToServiceAccountGroup(c, 'early', {
      namespace: 'p', name: 'early', securityTeam, order: 100, serviceAccountSelector: Selector.label('role').eq('intern'),
    });
    expect(late.node.validate()).toEqual([
      'ServiceAccountPolicy.restrictToServiceAccountGroup() "late" (security.late): order 20000 comes after global-pass-to-next-tier (order 10000) of prod/baseline in tier "security", ' +
        'so the control would never apply; give it an order between 2000 and 10000',
    ]);
    expect(early.node.validate()).toEqual([
      'ServiceAccountPolicy.restrictToServiceAccountGroup() "early" (security.early): order 100 comes before the allowances of prod/baseline (metrics collector 900, DNS 2000) ' +
        'in tier "security", so its Deny would cut off DNS and metrics; give it an order above 2000',
    ]);
    expect(() => app.synth()).toThrow(/comes after global-pass-to-next-tier/);
  });

  test('in the security tier, with an order: a policy the teams cannot override', () => {
    const c = chart();
    const security = new SecurityTeam(c, 'security');
    const policy = ServiceAccountPolicy.restrictToServiceAccountGroup(c, 'interns', {
      namespace: 'prod-engineering',
      name: 'restrict-intern-access',
      tier: security.tier,
      order: 50,
      serviceAccountSelector: Selector.label('role').eq('intern'),
    });
    expect(policy.name).toBe('security.restrict-intern-access');
    const obj = synthValidated(c).find((m) => m.kind === 'NetworkPolicy');
    expect(obj.spec.tier).toBe('security');
    expect(obj.spec.order).toBe(50);
  });

  test('namespace and name default to the chart namespace and a generated name', () => {
    const c = new Chart(Testing.app(), 'docs', { namespace: 'prod-engineering' });
    const policy = ServiceAccountPolicy.allowFromServiceAccounts(c, 'db', { selector: Selector.all(), names: ['api'] });
    expect(policy.namespace).toBe('prod-engineering');
    expect(policy.name).toMatch(/^docs-db-[0-9a-f]{8}$/);
  });

  test('refuses incomplete or bad input', () => {
    const c = chart();
    expect(() => ServiceAccountPolicy.allowFromServiceAccounts(c, 'a', { namespace: 'p', selector: Selector.all(), names: [] })).toThrow(
      'ServiceAccountPolicy.allowFromServiceAccounts() "a": names: give at least one service account name, e.g. ["api-service"]',
    );
    expect(() => ServiceAccountPolicy.allowFromServiceAccounts(c, 'b', { namespace: 'p', selector: Selector.all(), names: ['API'] })).toThrow(
      /^ServiceAccountPolicy.allowFromServiceAccounts\(\) "b": names\[0\]: "API" is not a valid service account name/,
    );
    expect(() => ServiceAccountPolicy.allowFromServiceAccounts(c, 'c', { namespace: 'p', names: ['x'] } as any)).toThrow(
      'ServiceAccountPolicy.allowFromServiceAccounts() "c": selector: is required; build one with Selector.label(\'app\').eq(\'db\')',
    );
    expect(() => ServiceAccountPolicy.allowFromServiceAccountSelector(c, 'd', { namespace: 'p', selector: Selector.all(), serviceAccountSelector: 'app == "x"' as any })).toThrow(
      /^ServiceAccountPolicy.allowFromServiceAccountSelector\(\) "d": serviceAccountSelector: "app == \\"x\\"" is not a Selector/,
    );
    expect(() => ServiceAccountPolicy.restrictToServiceAccountGroup(c, 'e', {} as any)).toThrow(
      /^ServiceAccountPolicy.restrictToServiceAccountGroup\(\) "e": serviceAccountSelector: is required/,
    );
    expect(() => ServiceAccountPolicy.allowFromServiceAccounts(c, 'g', { namespace: 'p', selector: Selector.all(), names: ['x'], securityTeam: {} as SecurityTeam })).toThrow(
      'ServiceAccountPolicy.allowFromServiceAccounts() "g": securityTeam: must be a SecurityTeam construct',
    );
    expect(() => ServiceAccountPolicy.allowFromServiceAccounts(c, 'f', { selector: Selector.all(), names: ['x'] })).toThrow(
      /metadata.namespace: this object is namespaced: set metadata.namespace, or give the chart a namespace/,
    );
  });
});
