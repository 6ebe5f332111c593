import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { Selector } from '../../src/selector';
import { SecurityTeam } from '../../src/teams/security-team';
import { ServiceAccountPolicy } from '../../src/teams/service-account-policy';
import { synthValidated } from '../policy/crd-schema';

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
      serviceAccountSelector: Selector.label('role').eq('intern'),
    });
    expect(synthValidated(c)).toMatchSnapshot();
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
    expect(() => ServiceAccountPolicy.allowFromServiceAccounts(c, 'f', { selector: Selector.all(), names: ['x'] })).toThrow(
      /metadata.namespace: this object is namespaced: set metadata.namespace, or give the chart a namespace/,
    );
  });
});
