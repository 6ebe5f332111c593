import { Testing } from 'cdk8s';
import { findObject, simpleRules } from './rbac-manifests';
import { PolicyTroubleshootingRole } from '../../src/rbac/policy-troubleshooting-role';

describe('PolicyTroubleshootingRole', () => {
  test('snapshot', () => {
    const chart = Testing.chart();
    new PolicyTroubleshootingRole(chart, 'reader', { name: 'security-policy-troubleshooting' });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('read-only on what selectors and rules refer to; no secrets', () => {
    const chart = Testing.chart();
    new PolicyTroubleshootingRole(chart, 'reader', { name: 'reader' });
    const rules = simpleRules(findObject(Testing.synth(chart), 'ClusterRole', 'reader'));
    expect(rules.map((r) => `${r.apiGroup}/${r.resource}`)).toEqual([
      '/endpoints', '/namespaces', '/pods', '/serviceaccounts', '/services', 'discovery.k8s.io/endpointslices',
    ]);
    for (const rule of rules) {
      expect(rule.verbs).toEqual(['get', 'list', 'watch']);
    }
  });

  test('generates a name when none is given', () => {
    expect(new PolicyTroubleshootingRole(Testing.chart(), 'reader').name).toMatch(/^test-reader-[0-9a-f]{8}$/);
  });
});
