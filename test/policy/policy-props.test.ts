import { Testing } from 'cdk8s';
import { synthValidated } from './crd-schema';
import { GlobalNetworkPolicy, NetworkPolicy, PolicyProps, PolicyType, Port, RuleAction, Tier } from '../../src/policy';
import { Selector } from '../../src/selector';

describe('PolicyProps', () => {
  test('the shared props render the same spec in both policy kinds', () => {
    const props: PolicyProps = {
      metadata: { name: 'shared', labels: { owner: 'platform' }, annotations: { note: 'one set of props' } },
      tier: Tier.fromName('platform'),
      order: 42,
      selector: Selector.has('app'),
      serviceAccountSelector: Selector.label('trusted').eq('true'),
      types: [PolicyType.INGRESS, PolicyType.EGRESS],
      ingress: [{ action: RuleAction.ALLOW, destination: { ports: [Port.tcp(443)] } }],
      egress: [{ action: RuleAction.DENY }],
    };
    const chart = Testing.chart();
    new NetworkPolicy(chart, 'np', { ...props, metadata: { ...props.metadata, namespace: 'ns' } });
    new GlobalNetworkPolicy(chart, 'gnp', props);
    const [np, gnp] = synthValidated(chart);
    expect(np.kind).toBe('NetworkPolicy');
    expect(gnp.kind).toBe('GlobalNetworkPolicy');
    expect(np.spec).toEqual(gnp.spec);
    expect(np.spec).toEqual({
      tier: 'platform',
      order: 42,
      selector: Selector.has('app').toString(),
      serviceAccountSelector: Selector.label('trusted').eq('true').toString(),
      types: ['Ingress', 'Egress'],
      ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [443] } }],
      egress: [{ action: 'Deny' }],
    });
    expect(np.metadata).toEqual({ ...gnp.metadata, namespace: 'ns' });
    expect(gnp.metadata).toEqual({ name: 'platform.shared', labels: { owner: 'platform' }, annotations: { note: 'one set of props' } });
  });

  test('staged applies to both kinds', () => {
    const chart = Testing.chart();
    new NetworkPolicy(chart, 'np', { staged: true, metadata: { name: 'a', namespace: 'ns' } });
    new GlobalNetworkPolicy(chart, 'gnp', { staged: true, metadata: { name: 'b' } });
    expect(synthValidated(chart).map((o) => [o.kind, o.spec.stagedAction])).toEqual([
      ['StagedNetworkPolicy', 'Set'],
      ['StagedGlobalNetworkPolicy', 'Set'],
    ]);
  });
});
