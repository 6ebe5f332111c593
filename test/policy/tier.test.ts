import { Chart, Testing } from 'cdk8s';
import { synthValidated } from './crd-schema';
import { NetworkPolicy, Tier, TierDefaultAction } from '../../src/policy';

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
      /Tier "test\/t": name: "sec.team" is not a valid tier name: .*\(no dots\); for example "sec-team"/,
    );
    expect(() => new Tier(chart, 'u', { name: 'x'.repeat(64) })).toThrow(/is not a valid tier name/);
  });

  test('name and metadata.name must agree', () => {
    const chart = Testing.chart();
    expect(() => new Tier(chart, 't', { name: 'a', metadata: { name: 'b' } })).toThrow(
      'Tier "test/t": name: name "a" and metadata.name "b" disagree; give the tier name once',
    );
  });

  test.each([
    ['default', 1_000_000],
    ['kube-admin', 1_000],
    ['kube-baseline', 10_000_000],
  ])('the built-in tier %s can be declared with its fixed order %d only', (name, order) => {
    const chart = Testing.chart();
    expect(new Tier(chart, 'implied', { name, defaultAction: TierDefaultAction.PASS }).order).toBe(order);
    expect(new Tier(chart, 'given', { metadata: { name }, order }).order).toBe(order);
    expect(synthValidated(chart).map((o) => o.spec)).toEqual([{ order, defaultAction: 'Pass' }, { order }]);
    expect(() => new Tier(chart, 'other', { name, order: 100 })).toThrow(
      `Tier "test/other": order: the built-in "${name}" tier can only have order ${order}, not 100; leave order out or set it to ${order}`,
    );
  });

  test('names that older Calico versions reserved are ordinary tiers now', () => {
    const chart = Testing.chart();
    expect(new Tier(chart, 't', { name: 'adminnetworkpolicy', order: 5 }).order).toBe(5);
  });

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

describe('ITier', () => {
  test('the built-in tiers, with their orders and default actions', () => {
    expect([Tier.DEFAULT, Tier.KUBE_ADMIN, Tier.KUBE_BASELINE].map((t) => [t.tierName, t.order, t.defaultAction])).toEqual([
      ['default', 1_000_000, TierDefaultAction.DENY],
      ['kube-admin', 1_000, TierDefaultAction.PASS],
      ['kube-baseline', 10_000_000, TierDefaultAction.PASS],
    ]);
  });

  test('fromName() checks the name at once and knows the built-in tiers', () => {
    expect(Tier.fromName('security')).toEqual({ tierName: 'security', order: undefined, defaultAction: undefined });
    expect(Tier.fromName('default')).toBe(Tier.DEFAULT);
    expect(Tier.fromName('kube-baseline')).toBe(Tier.KUBE_BASELINE);
    expect(() => Tier.fromName('sec.ops')).toThrow(/^Tier.fromName\(\): name: "sec.ops" is not a valid tier name: .*\(no dots\); for example "sec-ops"$/);
    expect(() => Tier.fromName('')).toThrow(/^Tier.fromName\(\): name: "" is not a valid tier name/);
    expect(() => Tier.fromName(undefined as any)).toThrow(/^Tier.fromName\(\): name: undefined is not a valid tier name/);
  });

  test('a Tier construct is an ITier', () => {
    const chart = Testing.chart();
    const tier = new Tier(chart, 't', { name: 'platform', order: 10, defaultAction: TierDefaultAction.PASS });
    expect([tier.tierName, tier.order, tier.defaultAction]).toEqual(['platform', 10, TierDefaultAction.PASS]);
  });

  test('policies in a referenced tier carry its name and no dependency', () => {
    const chart = Testing.chart();
    const policy = new NetworkPolicy(chart, 'p', { metadata: { name: 'p', namespace: 'ns' }, tier: Tier.KUBE_ADMIN });
    expect(policy.tier).toBe(Tier.KUBE_ADMIN);
    expect(synthValidated(chart)[0]).toMatchObject({ metadata: { name: 'kube-admin.p' }, spec: { tier: 'kube-admin' } });
  });
});
