import { calicoPolicy, globalPolicy, k8sPolicy, pod, tier } from './network-fixtures';
import { Decision } from '../../src/analysis/network-evaluate';
import { NetworkModel } from '../../src/analysis/network-model';

const srv = pod('app', 'srv', { app: 'srv' }, { ip: '10.0.0.1' });
const good = pod('app', 'good', { app: 'good' }, { ip: '10.0.0.2' });
const bad = pod('app', 'bad', { app: 'bad' }, { ip: '10.0.0.3' });
const other = pod('app', 'other', { app: 'other' }, { ip: '10.0.0.4' });
const pods = [srv, good, bad, other];

describe('tiers', () => {
  const security = [
    tier('security', 100),
    globalPolicy('security.screen', {
      tier: 'security',
      order: 10,
      selector: 'app == "srv"',
      ingress: [
        { action: 'Deny', source: { selector: 'app == "bad"' } },
        { action: 'Pass' },
      ],
    }),
    k8sPolicy('app', 'allow-good', { podSelector: { matchLabels: { app: 'srv' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'good' } } }] }] }),
  ];

  test('a Deny in an earlier tier wins', () => {
    const v = NetworkModel.fromManifests([...pods, ...security]).check({ from: 'app/bad', to: 'app/srv' });
    expect(v.ingress).toMatchObject({
      allowed: false,
      decidedBy: Decision.RULE,
      tier: 'security',
      policy: 'GlobalNetworkPolicy security.screen',
      ruleIndex: 0,
      action: 'Deny',
      reason: 'ingress rule 0 (Deny) of GlobalNetworkPolicy security.screen in tier security',
    });
  });

  test('Pass leaves the tier for the next applicable one', () => {
    const v = NetworkModel.fromManifests([...pods, ...security]).check({ from: 'app/good', to: 'app/srv' });
    expect(v.ingress).toMatchObject({ allowed: true, decidedBy: Decision.RULE, tier: 'default', policy: 'Kubernetes NetworkPolicy app/allow-good' });
    expect(v.ingress.trace).toEqual([
      'tier security (order 100, defaultAction Deny): 1 policy selects app/srv for ingress',
      '  GlobalNetworkPolicy security.screen (order 10, selector app == "srv")',
      '    ingress rule 0 (Deny): no match: source: app/good does not match selector app == "bad"',
      '    ingress rule 1 (Pass): match: pass to the next tier',
      'tier default (order 1000000, defaultAction Deny): 1 policy selects app/srv for ingress',
      '  Kubernetes NetworkPolicy app/allow-good (order 1000, selector podSelector {app=srv})',
      '    ingress rule 0 (Allow): match via from[0]: allow',
    ]);
  });

  test('after a Pass, the next tier can still drop at its end', () => {
    const v = NetworkModel.fromManifests([...pods, ...security]).check({ from: 'app/other', to: 'app/srv' });
    expect(v.ingress).toMatchObject({ allowed: false, decidedBy: Decision.END_OF_TIER, tier: 'default' });
  });

  test('Pass out of the last applicable tier reaches the profile', () => {
    const objects = [...pods, tier('security', 100), globalPolicy('screen', { tier: 'security', selector: 'all()', ingress: [{ action: 'Pass' }] })];
    const v = NetworkModel.fromManifests(objects).check({ from: 'app/other', to: 'app/srv' });
    expect(v.ingress).toMatchObject({ allowed: true, decidedBy: Decision.PROFILE_ALLOW, reason: 'all applicable tiers passed: profile allow' });
    expect(v.ingress.tier).toBeUndefined();
  });

  test('an applicable tier without a verdict drops at its end', () => {
    const objects = [...pods, tier('security', 100), globalPolicy('block-bad', { tier: 'security', selector: 'app == "srv"', ingress: [{ action: 'Deny', source: { selector: 'app == "bad"' } }] })];
    const v = NetworkModel.fromManifests(objects).check({ from: 'app/good', to: 'app/srv' });
    expect(v.ingress).toMatchObject({ allowed: false, decidedBy: Decision.END_OF_TIER, tier: 'security', reason: 'end of tier security without a verdict: drop' });
  });

  test('a tier with defaultAction Pass passes at its end', () => {
    const objects = [...pods, tier('security', 100, 'Pass'), globalPolicy('block-bad', { tier: 'security', selector: 'app == "srv"', ingress: [{ action: 'Deny', source: { selector: 'app == "bad"' } }] })];
    const model = NetworkModel.fromManifests(objects);
    const v = model.check({ from: 'app/good', to: 'app/srv' });
    expect(v.ingress).toMatchObject({ allowed: true, decidedBy: Decision.PROFILE_ALLOW });
    expect(v.ingress.trace).toContain('  end of tier security without a verdict: defaultAction Pass, go to the next tier');
    expect(model.check({ from: 'app/bad', to: 'app/srv' }).allowed).toBe(false);
  });

  test('tiers that have no policy for the direction do not take part', () => {
    const objects = [...pods, tier('security', 100), globalPolicy('egress-only', { tier: 'security', selector: 'all()', types: ['Egress'], egress: [{ action: 'Allow' }] })];
    const v = NetworkModel.fromManifests(objects).check({ from: 'app/good', to: 'app/srv' });
    expect(v.ingress.decidedBy).toBe(Decision.NO_POLICY);
    expect(v.egress).toMatchObject({ decidedBy: Decision.RULE, tier: 'security' });
  });

  test('tiers go by order, then name; a tier without order is at 1,000,000, beside default', () => {
    const deny = (name: string, t: string) => globalPolicy(name, { tier: t, selector: 'app == "srv"', ingress: [{ action: 'Deny' }] });
    const allow = (name: string, t: string) => globalPolicy(name, { tier: t, selector: 'app == "srv"', ingress: [{ action: 'Allow' }] });
    const denyAll = k8sPolicy('app', 'deny', { podSelector: {}, policyTypes: ['Ingress'] });
    const first = (objects: any[]) => NetworkModel.fromManifests([...pods, ...objects]).check({ from: 'app/good', to: 'app/srv' }).ingress.tier;
    expect(first([tier('b', 10), tier('a', 20), allow('x', 'a'), deny('y', 'b')])).toBe('b');
    expect(first([tier('b', 10), tier('a', 10), allow('x', 'a'), deny('y', 'b')])).toBe('a');
    expect(first([tier('a'), tier('b', 5000000), allow('x', 'a'), deny('y', 'b')])).toBe('a');
    expect(first([tier('late', 2000000), allow('x', 'late'), denyAll])).toBe('default');
    // Without order: 1,000,000 like default, so the name decides ('alpha' < 'default' < 'zulu').
    expect(first([tier('alpha'), allow('x', 'alpha'), denyAll])).toBe('alpha');
    expect(first([tier('zulu'), allow('x', 'zulu'), denyAll])).toBe('default');
  });

  test('a tier without order says so in the trace', () => {
    const objects = [...pods, tier('alpha'), globalPolicy('x', { tier: 'alpha', selector: 'all()', ingress: [{ action: 'Pass' }] })];
    const v = NetworkModel.fromManifests(objects).check({ from: 'app/good', to: 'app/srv' });
    expect(v.ingress.trace[0]).toBe('tier alpha (order 1000000 (none given), defaultAction Deny): 1 policy selects app/srv for ingress');
  });

  test('a policy in a tier that does not exist is an error naming the policy and the tier', () => {
    expect(() => NetworkModel.fromManifests([...pods, globalPolicy('x', { tier: 'ghost', selector: 'all()', ingress: [{ action: 'Pass' }] })])).toThrow(
      'GlobalNetworkPolicy x (projectcalico.org/v3): spec.tier: the tier "ghost" does not exist',
    );
  });
});

describe('policies and rules within a tier', () => {
  test('policy order ties are broken by name', () => {
    const allowA = calicoPolicy('app', 'a-allow', { order: 10, selector: 'app == "srv"', ingress: [{ action: 'Allow' }] });
    const denyB = calicoPolicy('app', 'b-deny', { order: 10, selector: 'app == "srv"', ingress: [{ action: 'Deny' }] });
    expect(NetworkModel.fromManifests([...pods, allowA, denyB]).check({ from: 'app/good', to: 'app/srv' }).ingress.policy).toBe('NetworkPolicy app/a-allow');
    const denyA = calicoPolicy('app', 'a-deny', { order: 10, selector: 'app == "srv"', ingress: [{ action: 'Deny' }] });
    const allowB = calicoPolicy('app', 'b-allow', { order: 10, selector: 'app == "srv"', ingress: [{ action: 'Allow' }] });
    expect(NetworkModel.fromManifests([...pods, denyA, allowB]).check({ from: 'app/good', to: 'app/srv' }).ingress.policy).toBe('NetworkPolicy app/a-deny');
  });

  test('lower order first; no order last; Kubernetes policies sit at 1000 under their plain name', () => {
    const unordered = calicoPolicy('app', 'a', { selector: 'app == "srv"', ingress: [{ action: 'Deny' }] });
    const ordered = calicoPolicy('app', 'z', { order: 5000, selector: 'app == "srv"', ingress: [{ action: 'Allow' }] });
    expect(NetworkModel.fromManifests([...pods, unordered, ordered]).check({ from: 'app/good', to: 'app/srv' }).ingress.policy).toBe('NetworkPolicy app/z');
    const knp = k8sPolicy('app', 'allow', { podSelector: {}, ingress: [{}] });
    const before = calicoPolicy('app', 'deny-999', { order: 999, selector: 'all()', ingress: [{ action: 'Deny' }] });
    // At order 1000 'allow/app/…' sorts before 'knp.default.a/app/…': the Kubernetes policy's name is not prefixed.
    const sameOrder = calicoPolicy('app', 'knp.default.a', { order: 1000, selector: 'all()', ingress: [{ action: 'Deny' }] });
    expect(NetworkModel.fromManifests([...pods, knp, before]).check({ from: 'app/good', to: 'app/srv' }).ingress.action).toBe('Deny');
    expect(NetworkModel.fromManifests([...pods, knp, sameOrder]).check({ from: 'app/good', to: 'app/srv' }).ingress.policy).toBe('Kubernetes NetworkPolicy app/allow');
  });

  test('Log continues with the next rule', () => {
    const p = calicoPolicy('app', 'audit', { selector: 'app == "srv"', ingress: [{ action: 'Log' }, { action: 'Allow', source: { selector: 'app == "good"' } }] });
    const v = NetworkModel.fromManifests([...pods, p]).check({ from: 'app/good', to: 'app/srv' });
    expect(v.ingress).toMatchObject({ decidedBy: Decision.RULE, ruleIndex: 1, action: 'Allow' });
    expect(v.ingress.trace).toContain('    ingress rule 0 (Log): match: log, continue with the next rule');
  });

  test('when no rule of a policy matches, the next policy is evaluated', () => {
    const p1 = calicoPolicy('app', 'p1', { order: 1, selector: 'app == "srv"', ingress: [{ action: 'Deny', source: { selector: 'app == "bad"' } }] });
    const p2 = calicoPolicy('app', 'p2', { order: 2, selector: 'app == "srv"', ingress: [{ action: 'Allow' }] });
    const v = NetworkModel.fromManifests([...pods, p1, p2]).check({ from: 'app/good', to: 'app/srv' });
    expect(v.ingress).toMatchObject({ policy: 'NetworkPolicy app/p2', ruleIndex: 0 });
  });

  test('doNotTrack and preDNAT policies are skipped for pods, with a note', () => {
    const dnt = globalPolicy('raw-deny', { selector: 'all()', doNotTrack: true, applyOnForward: true, ingress: [{ action: 'Deny' }] });
    const v = NetworkModel.fromManifests([...pods, dnt]).check({ from: 'app/good', to: 'app/srv' });
    expect(v.allowed).toBe(true);
    expect(v.ingress.trace[0]).toBe('skipped GlobalNetworkPolicy raw-deny: doNotTrack policies apply to host endpoints, not to pod traffic');
  });

  test('HTTP criteria are not evaluated, and the trace says so', () => {
    const p = calicoPolicy('app', 'http', { selector: 'app == "srv"', ingress: [{ action: 'Allow', http: { methods: ['GET'] } }] });
    const v = NetworkModel.fromManifests([...pods, p]).check({ from: 'app/good', to: 'app/srv', port: 80 });
    expect(v.allowed).toBe(true);
    expect(v.ingress.trace.join('\n')).toContain('its HTTP criteria are layer 7 and not evaluated');
  });
});

describe('fast path', () => {
  test('matrix verdicts equal explained verdicts on a mixed setup', () => {
    const objects = [
      ...pods,
      pod('ops', 'tool', { app: 'tool' }, { ip: '10.1.0.1' }),
      tier('security', 100, 'Pass'),
      tier('platform', 200),
      globalPolicy('screen', { tier: 'security', selector: 'all()', ingress: [{ action: 'Deny', source: { selector: 'app == "bad"' } }, { action: 'Log' }] }),
      globalPolicy('platform', { tier: 'platform', selector: 'app == "tool"', egress: [{ action: 'Pass', destination: { selector: 'app == "srv"' } }, { action: 'Deny' }] }),
      calicoPolicy('app', 'srv', { selector: 'app == "srv"', ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [80] } }] }),
    ];
    const model = NetworkModel.fromManifests(objects);
    const m = model.matrix({ ports: [{ port: 80 }, { port: 81 }], includeExternal: ['ip:8.8.8.8'] });
    for (const cell of m.cells) {
      const checked = model.check({ from: cell.from, to: cell.to, port: cell.port }).allowed;
      expect([cell.from, cell.to, cell.port, cell.allowed]).toEqual([cell.from, cell.to, cell.port, checked]);
    }
    expect(m.cells.some((c) => c.allowed)).toBe(true);
    expect(m.cells.some((c) => !c.allowed)).toBe(true);
  });
});
