import * as fc from 'fast-check';
import { calicoPolicy, globalPolicy, k8sPolicy, pod, tier } from './network-fixtures';
import { Identity, InventoryBuilder } from '../../src/analysis/network-endpoints';
import { comparePolicies, compareTiers, IdentityIndex, PolicySet, TierGroup } from '../../src/analysis/network-index';
import { PolicyReader, TierRecord } from '../../src/analysis/network-policies';
import { RuleCompiler } from '../../src/analysis/network-rules';
import { Selector } from '../../src/selector';
import { evaluate } from '../../src/selector/ast';

const identity = (labels: { [k: string]: string }): Identity => ({ labels, endpoint: -1, networkSet: -1 });

describe('IdentityIndex', () => {
  const identities = [identity({ app: 'a', env: 'prod' }), identity({ app: 'b', env: 'prod' }), identity({ app: 'a' }), identity({})];
  const index = new IdentityIndex(identities);
  const sel = (text: string) => Selector.parse(text)._node;

  test('candidates narrow by required equalities and keys', () => {
    expect(index.candidates(sel('app == "a"'))).toEqual([0, 2]);
    expect(index.candidates(sel('app in {"a", "b"} && env == "prod"'))).toEqual([0, 1]);
    expect(index.candidates(sel('has(env)'))).toEqual([0, 1]);
    expect(index.candidates(sel('app == "zzz"'))).toEqual([]);
    expect(index.candidates(sel('!has(app)'))).toEqual([0, 1, 2, 3]);
  });

  test('select and selectList return the matches', () => {
    expect([...index.select(sel('app == "a" && !has(env)'))]).toEqual([0, 0, 1, 0]);
    expect(index.selectList(sel('app != "a"'))).toEqual([1, 3]);
  });

  test('agrees with evaluating every identity (random labels and selectors)', () => {
    const keys = ['a', 'b', 'c'];
    const values = ['x', 'y', 'z'];
    const labels = fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: 3 });
    const atom = fc.oneof(
      fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...values)).map(([k, v]) => `${k} == "${v}"`),
      fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...values)).map(([k, v]) => `${k} != "${v}"`),
      fc.constantFrom(...keys).map((k) => `has(${k})`),
      fc.tuple(fc.constantFrom(...keys), fc.subarray(values, { minLength: 1 })).map(([k, vs]) => `${k} in {${vs.map((v) => `"${v}"`).join(', ')}}`),
    );
    const selector = fc.array(atom, { minLength: 1, maxLength: 3 }).chain((atoms) =>
      fc.constantFrom(' && ', ' || ').map((op) => atoms.join(op)),
    ).chain((s) => fc.boolean().map((neg) => (neg ? `!(${s})` : s)));
    fc.assert(
      fc.property(fc.array(labels, { maxLength: 12 }), selector, (maps, text) => {
        const node = Selector.parse(text)._node;
        const idx = new IdentityIndex(maps.map(identity));
        const expected = maps.map((m, i) => (evaluate(node, m) ? i : -1)).filter((i) => i >= 0);
        expect(idx.selectList(node)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ordering', () => {
  const t = (name: string, order: number): TierRecord => ({ name, order, orderDefaulted: false, defaultAction: 'Deny', source: 'manifest' });

  test('tiers: by order, then by name', () => {
    const tiers = [t('z', 1000000), t('b', 10), t('a', 10), t('default', 1000000), t('first', 1), t('last', 5e6)];
    expect(tiers.sort(compareTiers).map((x) => x.name)).toEqual(['first', 'a', 'b', 'default', 'z', 'last']);
  });

  const policies = (...objects: any[]) => {
    const reader = new PolicyReader(new RuleCompiler());
    for (const o of objects) {
      reader.accept(o, o.kind, o.apiVersion);
    }
    return [...reader.policies].sort(comparePolicies).map((p) => p.sortKey);
  };

  test('policies: order (none last), then <name>/<namespace>/<kind>', () => {
    expect(policies(
      calicoPolicy('n', 'b', { order: 5 }),
      calicoPolicy('n', 'a', { order: 5 }),
      calicoPolicy('n', 'c', {}),
      calicoPolicy('n', 'a-c', {}),
      k8sPolicy('n', 'k', { podSelector: {} }),
      calicoPolicy('n', 'first', { order: 1 }),
    )).toEqual(['first/n/NetworkPolicy', 'a/n/NetworkPolicy', 'b/n/NetworkPolicy', 'k/n/KubernetesNetworkPolicy', 'a-c/n/NetworkPolicy', 'c/n/NetworkPolicy']);
  });

  test('policies of equal order and name: namespace, then kind (global policies have an empty namespace)', () => {
    expect(policies(
      calicoPolicy('b', 'x', { order: 1 }),
      k8sPolicy('a', 'x', { podSelector: {} }),
      calicoPolicy('a', 'x', { order: 1000 }),
      globalPolicy('x', { order: 1000 }),
      globalPolicy('x.y', { order: 1000 }),
    )).toEqual(['x/b/NetworkPolicy', 'x.y//GlobalNetworkPolicy', 'x//GlobalNetworkPolicy', 'x/a/KubernetesNetworkPolicy', 'x/a/NetworkPolicy']);
  });

  test('the tie-break compares whole keys as Go compares strings (every prefix character counts)', () => {
    // '-' (0x2d) and '.' (0x2e) sort before '/' (0x2f); digits and letters after it.
    expect(policies(
      calicoPolicy('n', 'a', { order: 1 }),
      calicoPolicy('n', 'a-b', { order: 1 }),
      calicoPolicy('n', 'a.b', { order: 1 }),
      calicoPolicy('n', 'a0', { order: 1 }),
    )).toEqual(['a-b/n/NetworkPolicy', 'a.b/n/NetworkPolicy', 'a/n/NetworkPolicy', 'a0/n/NetworkPolicy']);
  });
});

describe('PolicySet', () => {
  test('per endpoint and direction: the applicable tiers and policies, in order', () => {
    const builder = new InventoryBuilder();
    const reader = new PolicyReader(new RuleCompiler());
    const objects = [
      pod('n', 'web', { app: 'web' }),
      pod('n', 'db', { app: 'db' }),
      pod('n', 'host', { app: 'web' }, { hostNetwork: true }),
      tier('security', 10),
      globalPolicy('sec', { tier: 'security', selector: 'app == "web"', types: ['Ingress', 'Egress'] }),
      calicoPolicy('n', 'late', { order: 50, selector: 'all()', types: ['Ingress'] }),
      calicoPolicy('n', 'early', { order: 5, selector: 'app == "web"', types: ['Egress'] }),
      globalPolicy('dnt', { doNotTrack: true, applyOnForward: true, selector: 'all()' }),
      calicoPolicy('other', 'elsewhere', { selector: 'all()' }),
    ];
    for (const o of objects) {
      if (!builder.accept(o, o.kind, o.apiVersion)) {
        reader.accept(o, o.kind, o.apiVersion);
      }
    }
    const inv = builder.build();
    const set = new PolicySet(reader.policies, reader.allTiers(), inv, new IdentityIndex(inv.identities));
    const web = inv.endpoints.find((e) => e.id === 'n/web')!;
    const db = inv.endpoints.find((e) => e.id === 'n/db')!;
    const host = inv.endpoints.find((e) => e.id === 'n/host')!;
    const names = (groups: readonly TierGroup[]) => groups.map((g) => `${g.tier.name}: ${g.policies.map((p) => p.name).join(', ')}`);
    expect(names(set.groups(web, 'ingress'))).toEqual(['security: sec', 'default: late']);
    expect(names(set.groups(web, 'egress'))).toEqual(['security: sec', 'default: early']);
    expect(names(set.groups(db, 'ingress'))).toEqual(['default: late']);
    expect(names(set.groups(db, 'egress'))).toEqual([]);
    expect(names(set.groups(host, 'ingress'))).toEqual([]);
    expect(set.hostOnly.map((p) => p.name)).toEqual(['dnt']);
    expect(set.tiers.map((x) => x.name)).toEqual(['security', 'kube-admin', 'default', 'kube-baseline']);
  });
});
