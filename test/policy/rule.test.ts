import { Testing } from 'cdk8s';
import { synthValidated } from './crd-schema';
import { IpVersion, NetworkPolicy, PolicyType, Rule, RuleAction } from '../../src/policy';

describe('rule types', () => {
  test('enum values are the strings and numbers Calico expects', () => {
    expect(Object.values(RuleAction)).toEqual(['Allow', 'Deny', 'Log', 'Pass']);
    expect([PolicyType.INGRESS, PolicyType.EGRESS]).toEqual(['Ingress', 'Egress']);
    expect([IpVersion.V4, IpVersion.V6]).toEqual([4, 6]);
  });

  test('every action and IP version is accepted by the CRD schema', () => {
    const chart = Testing.chart();
    const rules: Rule[] = Object.values(RuleAction).flatMap((action) => [
      { action, ipVersion: IpVersion.V4 },
      { action, ipVersion: IpVersion.V6 },
    ]);
    new NetworkPolicy(chart, 'p', { metadata: { name: 'p', namespace: 'ns' }, ingress: rules, egress: rules });
    const spec = synthValidated(chart)[0].spec;
    expect(spec.ingress.map((r: any) => `${r.action}/${r.ipVersion}`)).toEqual([
      'Allow/4', 'Allow/6', 'Deny/4', 'Deny/6', 'Log/4', 'Log/6', 'Pass/4', 'Pass/6',
    ]);
    expect(spec.types).toEqual(['Ingress', 'Egress']);
  });
});
