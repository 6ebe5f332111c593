import { Chart, Testing } from 'cdk8s';
import { synthValidated } from './crd-schema';
import { Tier, TierDefaultAction } from '../../src/policy/tier';

describe('Tier', () => {
  test('snapshot', () => {
    const chart = Testing.chart();
    new Tier(chart, 'security', { name: 'security', order: 100, defaultAction: TierDefaultAction.PASS, metadata: { labels: { team: 'sec' } } });
    expect(synthValidated(chart)).toMatchSnapshot();
  });

  test('renders name, order and default action', () => {
    const chart = Testing.chart();
    const tier = new Tier(chart, 'security', { name: 'security', order: 100, defaultAction: TierDefaultAction.DENY });
    const [obj] = synthValidated(chart);
    expect(obj).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'Tier',
      metadata: { name: 'security' },
      spec: { order: 100, defaultAction: 'Deny' },
    });
    expect(tier.name).toBe('security');
    expect(tier.order).toBe(100);
    expect(tier.defaultAction).toBe(TierDefaultAction.DENY);
    expect(tier.apiObject.kind).toBe('Tier');
  });

  test('leaves out unset order and default action (older Calico versions lack defaultAction)', () => {
    const chart = Testing.chart();
    new Tier(chart, 'platform', { name: 'platform' });
    expect(synthValidated(chart)[0].spec).toEqual({});
  });

  test('name from metadata.name, else generated from the construct path', () => {
    const chart = Testing.chart();
    expect(new Tier(chart, 'a', { metadata: { name: 'from-meta' } }).name).toBe('from-meta');
    const generated = new Tier(chart, 'Platform', {});
    expect(generated.name).toMatch(/^test-platform-[0-9a-f]{8}$/);
    expect(synthValidated(chart)[1].metadata.name).toBe(generated.name);
  });

  test('is cluster-scoped: no namespace even in a namespaced chart', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'chart', { namespace: 'prod' });
    new Tier(chart, 'security', { name: 'security' });
    expect(synthValidated(chart)[0].metadata).toEqual({ name: 'security' });
  });

  test('rejects a namespace', () => {
    const chart = Testing.chart();
    expect(() => new Tier(chart, 't', { name: 'security', metadata: { namespace: 'prod' } })).toThrow(
      'Tier "test/t": metadata.namespace: a Tier is cluster-scoped and has no namespace; remove metadata.namespace',
    );
  });

  test('tier names are DNS labels (no dots)', () => {
    const chart = Testing.chart();
    expect(() => new Tier(chart, 't', { name: 'sec.team' })).toThrow(
      /Tier "test\/t": name: "sec.team" is not a valid tier name \(tier names cannot contain dots\): .*for example "sec-team"/,
    );
    expect(() => new Tier(chart, 'u', { name: 'x'.repeat(64) })).toThrow(/is not a valid tier name/);
  });

  test('name and metadata.name must agree', () => {
    const chart = Testing.chart();
    expect(() => new Tier(chart, 't', { name: 'a', metadata: { name: 'b' } })).toThrow(
      'Tier "test/t": name: name "a" and metadata.name "b" disagree; give the tier name once',
    );
  });

  test.each(['default', 'kube-admin', 'kube-baseline', 'adminnetworkpolicy', 'baselineadminnetworkpolicy'])(
    'the Calico-managed tier %s cannot be declared',
    (name) => {
      const chart = Testing.chart();
      expect(() => new Tier(chart, 't', { name })).toThrow(
        `Tier "test/t": name: the "${name}" tier is created and managed by Calico; do not declare it, refer to it by name in policies (tier: '${name}')`,
      );
    },
  );

  test('order must be finite', () => {
    const chart = Testing.chart();
    expect(() => new Tier(chart, 't', { name: 'x', order: Infinity })).toThrow('Tier "test/t": order: Infinity is not a usable order; use a finite number (lower orders apply first)');
  });

  test('default action must be Deny or Pass', () => {
    const chart = Testing.chart();
    expect(() => new Tier(chart, 't', { name: 'x', defaultAction: 'Allow' as any })).toThrow(
      'Tier "test/t": defaultAction: "Allow" is not a tier default action; use TierDefaultAction.DENY or TierDefaultAction.PASS',
    );
  });

  test('labels are checked', () => {
    const chart = Testing.chart();
    expect(() => new Tier(chart, 't', { name: 'x', metadata: { labels: { 'bad key!': 'v' } } })).toThrow(/Tier "test\/t": metadata.labels: "bad key!" is not a valid label key/);
  });
});
