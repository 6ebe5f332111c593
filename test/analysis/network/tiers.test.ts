/**
 * Which tiers exist: Calico's built-in tiers (always), the manifests' Tier objects, and tiers the
 * caller declares as managed elsewhere; a policy in any other tier is an error.
 */
import { ApiObject, Chart, Testing } from 'cdk8s';
import { Decision, NetworkModel, NetworkModelOptions } from '../../../src/analysis';
import { globalPolicy, k8sPolicy, pod, tier } from '../network-fixtures';

const srv = pod('app', 'srv', { app: 'srv' }, { ip: '10.0.0.1' });
const good = pod('app', 'good', { app: 'good' }, { ip: '10.0.0.2' });
const bad = pod('app', 'bad', { app: 'bad' }, { ip: '10.0.0.3' });
const pods = [srv, good, bad];
const denyBadIn = (t: string, name = 'deny-bad') => globalPolicy(name, { tier: t, selector: 'app == "srv"', ingress: [{ action: 'Deny', source: { selector: 'app == "bad"' } }] });
const allowGood = k8sPolicy('app', 'allow-good', { podSelector: { matchLabels: { app: 'srv' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'good' } } }] }] });

describe('built-in tiers exist without a Tier object', () => {
  test('kube-admin: evaluated before default, and its end passes', () => {
    const model = NetworkModel.fromManifests([...pods, denyBadIn('kube-admin'), allowGood]);
    expect(model.check({ from: 'app/bad', to: 'app/srv' }).ingress).toMatchObject({ allowed: false, tier: 'kube-admin', policy: 'GlobalNetworkPolicy deny-bad' });
    const v = model.check({ from: 'app/good', to: 'app/srv' });
    expect(v.ingress).toMatchObject({ allowed: true, tier: 'default', policy: 'Kubernetes NetworkPolicy app/allow-good' });
    expect(v.ingress.trace.slice(0, 4)).toEqual([
      'tier kube-admin (order 1000, defaultAction Pass): 1 policy selects app/srv for ingress',
      '  GlobalNetworkPolicy deny-bad (no order, selector app == "srv")',
      '    ingress rule 0 (Deny): no match: source: app/good does not match selector app == "bad"',
      '  end of tier kube-admin without a verdict: defaultAction Pass, go to the next tier',
    ]);
  });

  test('kube-baseline: evaluated after default, and its end passes to the profile', () => {
    const model = NetworkModel.fromManifests([...pods, denyBadIn('kube-baseline')]);
    expect(model.check({ from: 'app/bad', to: 'app/srv' }).ingress).toMatchObject({ allowed: false, tier: 'kube-baseline' });
    expect(model.check({ from: 'app/good', to: 'app/srv' }).ingress).toMatchObject({ allowed: true, decidedBy: Decision.PROFILE_ALLOW });
    // A default-tier policy that selects the pod decides first: its end drops before kube-baseline.
    const withDefault = NetworkModel.fromManifests([...pods, denyBadIn('kube-baseline'), allowGood]);
    expect(withDefault.check({ from: 'app/bad', to: 'app/srv' }).ingress).toMatchObject({ decidedBy: Decision.END_OF_TIER, tier: 'default' });
  });

  test('a manifest Tier with a built-in name must keep its order and default action', () => {
    const builtIns = [tier('kube-admin', 1000, 'Pass'), tier('default', 1000000, 'Deny'), tier('kube-baseline', 10000000, 'Pass'), tier('default')];
    for (const t of builtIns) {
      expect(() => NetworkModel.fromManifests([...pods, t])).not.toThrow();
    }
    expect(() => NetworkModel.fromManifests([tier('kube-admin', 5, 'Pass')])).toThrow(
      "Tier kube-admin (projectcalico.org/v3): spec.order: the 'kube-admin' tier must have order 1000 (Calico refuses any other), got 5",
    );
    expect(() => NetworkModel.fromManifests([tier('kube-baseline', undefined, 'Pass')])).toThrow(
      "Tier kube-baseline (projectcalico.org/v3): spec.order: the 'kube-baseline' tier must have order 10000000 (Calico refuses any other), got no order, which Calico turns into 1000000",
    );
    expect(() => NetworkModel.fromManifests([tier('default', 100)])).toThrow("Tier default (projectcalico.org/v3): spec.order: the 'default' tier must have order 1000000");
    expect(() => NetworkModel.fromManifests([tier('kube-admin', 1000)])).toThrow(
      "Tier kube-admin (projectcalico.org/v3): spec.defaultAction: the 'kube-admin' tier must have default action Pass, got none, which means Deny",
    );
    expect(() => NetworkModel.fromManifests([tier('kube-baseline', 10000000, 'Deny')])).toThrow("spec.defaultAction: the 'kube-baseline' tier must have default action Pass, got \"Deny\"");
  });
});

describe('a policy in a tier that does not exist', () => {
  test('is an error naming the policy, the tier and the way out', () => {
    let message = '';
    try {
      NetworkModel.fromManifests([...pods, denyBadIn('platform')]);
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toBe(
      'GlobalNetworkPolicy deny-bad (projectcalico.org/v3): spec.tier: the tier "platform" does not exist: the manifests declare no such Tier '
      + 'and Calico has no built-in tier of that name (kube-admin, default, kube-baseline); declare the Tier in the manifests, or, if it is '
      + 'managed outside them, pass it to the model: NetworkModel.fromManifests(objects, { tiers: [{ name: "platform", order: <its order> }] })',
    );
  });

  test('suggests a close tier name', () => {
    expect(() => NetworkModel.fromManifests([tier('security', 100), denyBadIn('securty')])).toThrow('the tier "securty" does not exist: '
      + 'the manifests declare no such Tier and Calico has no built-in tier of that name (kube-admin, default, kube-baseline); did you mean "security"? Otherwise declare');
  });

  test('is found wherever the Tier object is in the stream, for namespaced and staged policies too', () => {
    expect(() => NetworkModel.fromManifests([denyBadIn('late'), tier('late', 5)])).not.toThrow();
    const np = { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'x', namespace: 'app' }, spec: { tier: 'nope' } };
    expect(() => NetworkModel.fromManifests([np])).toThrow('NetworkPolicy app/x (projectcalico.org/v3): spec.tier: the tier "nope" does not exist');
    const staged = { apiVersion: 'projectcalico.org/v3', kind: 'StagedGlobalNetworkPolicy', metadata: { name: 's' }, spec: { tier: 'nope', stagedAction: 'Delete' } };
    expect(() => NetworkModel.fromManifests([staged])).toThrow('StagedGlobalNetworkPolicy s (projectcalico.org/v3): spec.tier: the tier "nope" does not exist');
  });
});

describe('tiers managed outside the manifests (options.tiers)', () => {
  test('are evaluated with the given order and default action', () => {
    const options: NetworkModelOptions = { tiers: [{ name: 'platform', order: 50, defaultAction: 'Pass' }] };
    const model = NetworkModel.fromManifests([...pods, denyBadIn('platform'), allowGood], options);
    expect(model.check({ from: 'app/bad', to: 'app/srv' }).ingress).toMatchObject({ allowed: false, tier: 'platform' });
    const v = model.check({ from: 'app/good', to: 'app/srv' });
    expect(v.ingress).toMatchObject({ allowed: true, tier: 'default' });
    expect(v.ingress.trace[0]).toBe('tier platform (order 50, defaultAction Pass, managed outside the manifests): 1 policy selects app/srv for ingress');
  });

  test('default to order 1,000,000 and default action Deny, as Calico does', () => {
    const model = NetworkModel.fromManifests([...pods, denyBadIn('platform')], { tiers: [{ name: 'platform' }] });
    const v = model.check({ from: 'app/good', to: 'app/srv' });
    expect(v.ingress).toMatchObject({ allowed: false, decidedBy: Decision.END_OF_TIER, tier: 'platform' });
    expect(v.ingress.trace[0]).toBe('tier platform (order 1000000 (none given), defaultAction Deny, managed outside the manifests): 1 policy selects app/srv for ingress');
  });

  test('may repeat a manifest tier or a built-in one when they agree', () => {
    const tiers = [{ name: 'platform', order: 50 }, { name: 'kube-admin', order: 1000, defaultAction: 'Pass' }];
    expect(() => NetworkModel.fromManifests([tier('platform', 50), denyBadIn('platform')], { tiers })).not.toThrow();
    expect(() => NetworkModel.fromManifests([tier('platform', 60), denyBadIn('platform')], { tiers })).toThrow(
      'NetworkModel options: tiers[0]: the tier "platform" is declared in the manifests with order 60 and defaultAction Deny, but here with order 50 and defaultAction Deny; '
      + 'leave it out of tiers (the manifests declare it) or make both agree',
    );
    expect(() => NetworkModel.fromManifests([], { tiers: [{ name: 'kube-admin', order: 7, defaultAction: 'Pass' }] })).toThrow(
      "NetworkModel options: tiers[0].order: the 'kube-admin' tier must have order 1000 (Calico refuses any other), got 7",
    );
  });

  test('are checked like Tier objects, naming the option', () => {
    const withTiers = (tiers: any) => () => NetworkModel.fromManifests([], { tiers });
    expect(withTiers('platform')).toThrow('NetworkModel options: tiers: expected a list of tiers { name, order?, defaultAction? }, got "platform"');
    expect(withTiers(['platform'])).toThrow('NetworkModel options: tiers[0]: expected a tier { name, order?, defaultAction? }, got "platform"');
    expect(withTiers([{ order: 5 }])).toThrow('NetworkModel options: tiers[0].name: expected the tier name as a string, got undefined');
    expect(withTiers([{ name: 'Platform' }])).toThrow('NetworkModel options: tiers[0].name: "Platform" is not a valid tier name');
    expect(withTiers([{ name: 'p' }, { name: 'p' }])).toThrow('NetworkModel options: tiers[1].name: the tier "p" is listed twice; list each tier once');
    expect(withTiers([{ name: 'p', order: Infinity }])).toThrow('NetworkModel options: tiers[0].order: expected a number, got Infinity; use a finite number');
    expect(withTiers([{ name: 'p', order: '50' }])).toThrow('NetworkModel options: tiers[0].order: expected a number, got "50"; write it as a number without quotes: 50');
    expect(withTiers([{ name: 'p', defaultAction: 'Allow' }])).toThrow('NetworkModel options: tiers[0].defaultAction: "Allow" is not a tier default action; use Deny or Pass');
    expect(withTiers([{ name: 'p', defaultaction: 'Pass' }])).toThrow('NetworkModel options: tiers[0].defaultaction: not a tier field; a tier has name, order, defaultAction');
    expect(() => NetworkModel.fromManifests([], 'x' as any)).toThrow('NetworkModel options: expected an object { tiers?, podCidrs?, serviceCidrs? }, got "x"');
  });

  test('are accepted by fromChart and fromApp', () => {
    const chart = Testing.chart();
    for (const [i, o] of [...pods, denyBadIn('platform')].entries()) {
      new ApiObject(chart, `o${i}`, o);
    }
    expect(() => NetworkModel.fromChart(chart)).toThrow('spec.tier: the tier "platform" does not exist');
    expect(NetworkModel.fromChart(chart, { tiers: [{ name: 'platform', order: 10 }] }).check({ from: 'app/bad', to: 'app/srv' }).ingress.tier).toBe('platform');
    const app = Testing.app();
    const c = new Chart(app, 'c');
    for (const [i, o] of [...pods, denyBadIn('platform')].entries()) {
      new ApiObject(c, `o${i}`, o);
    }
    expect(() => NetworkModel.fromApp(app)).toThrow('spec.tier: the tier "platform" does not exist');
    expect(NetworkModel.fromApp(app, { tiers: [{ name: 'platform', order: 10 }] }).check({ from: 'app/bad', to: 'app/srv' }).allowed).toBe(false);
  });
});
