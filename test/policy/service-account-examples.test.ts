/**
 * The three examples of Calico's "Use service accounts rules in policy" page
 * (shared/reference/calico-docs-service-account-rules.txt), written with the policy constructs.
 * Each produces exactly the documented object, plus `spec.types`, which these constructs always
 * write (Calico's defaulting of `types` differs between API paths).
 */
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { synthValidated } from './crd-schema';
import { NetworkPolicy, RuleAction } from '../../src/policy';
import { Selector } from '../../src/selector';

/** The documented manifest, with `spec.types` added. */
function documented(yaml: string, types: string[]): any {
  const manifest = parse(yaml);
  return { ...manifest, spec: { ...manifest.spec, types } };
}

function chart(): Chart {
  return new Chart(Testing.app(), 'docs', { namespace: 'prod-engineering' });
}

describe('service account examples from the Calico docs', () => {
  test('limit ingress traffic by service account name', () => {
    const c = chart();
    new NetworkPolicy(c, 'demo-calico', {
      metadata: { name: 'demo-calico' },
      selector: Selector.label('app').eq('db'),
      ingress: [{ action: RuleAction.ALLOW, source: { serviceAccounts: { names: ['api-service', 'user-auth-service'] } } }],
    });
    expect(synthValidated(c)).toEqual([
      documented(
        `
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
`,
        ['Ingress'],
      ),
    ]);
  });

  test('limit ingress traffic by service account label', () => {
    const c = chart();
    new NetworkPolicy(c, 'allow-web-frontend', {
      metadata: { name: 'allow-web-frontend' },
      selector: Selector.label('app').eq('db'),
      ingress: [{ action: RuleAction.ALLOW, source: { serviceAccounts: { selector: Selector.label('app').eq('web-frontend') } } }],
    });
    expect(synthValidated(c)).toEqual([
      documented(
        `
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
`,
        ['Ingress'],
      ),
    ]);
  });

  test('use Kubernetes RBAC to control service account label assignment', () => {
    const c = chart();
    const interns = Selector.label('role').eq('intern');
    const policy = new NetworkPolicy(c, 'restrict-intern-access', {
      metadata: { name: 'restrict-intern-access' },
      serviceAccountSelector: interns,
    });
    policy.addIngressRule({ action: RuleAction.ALLOW, source: { serviceAccounts: { selector: interns } } });
    policy.addEgressRule({ action: RuleAction.ALLOW, destination: { serviceAccounts: { selector: interns } } });
    expect(synthValidated(c)).toEqual([
      documented(
        `
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
`,
        ['Ingress', 'Egress'],
      ),
    ]);
  });
});
