import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { PolicyType, RuleAction, Tier } from '../../src/policy';
import { PolicyRules, renderCommonSpec, resolvePolicyName, resolveTierName } from '../../src/policy/policy-common';
import { Selector } from '../../src/selector';

const OWNER = 'NetworkPolicy "chart/p"';

describe('resolveTierName', () => {
  test('default, names and Tier constructs', () => {
    expect(resolveTierName(OWNER, undefined)).toBe('default');
    expect(resolveTierName(OWNER, 'security')).toBe('security');
    expect(resolveTierName(OWNER, new Tier(Testing.chart(), 't', { name: 'platform' }))).toBe('platform');
  });

  test('invalid tiers', () => {
    expect(() => resolveTierName(OWNER, 'sec.ops')).toThrow(/NetworkPolicy "chart\/p": tier: "sec.ops" is not a valid tier name \(tier names cannot contain dots\)/);
    expect(() => resolveTierName(OWNER, {} as any)).toThrow('NetworkPolicy "chart/p": tier: {} is not a tier; pass a Tier construct or a tier name');
  });
});

describe('resolvePolicyName', () => {
  const scope = () => new Construct(new Chart(Testing.app(), 'chart'), 'p');

  test('prefixes outside the default tier, once', () => {
    expect(resolvePolicyName(OWNER, scope(), 'allow', 'default')).toBe('allow');
    expect(resolvePolicyName(OWNER, scope(), 'allow', 'security')).toBe('security.allow');
    expect(resolvePolicyName(OWNER, scope(), 'security.allow', 'security')).toBe('security.allow');
  });

  test('generates a name when none is given', () => {
    expect(resolvePolicyName(OWNER, scope(), undefined, 'default')).toMatch(/^chart-p-[0-9a-f]{8}$/);
    expect(resolvePolicyName(OWNER, scope(), undefined, 'ops')).toMatch(/^ops\.chart-p-[0-9a-f]{8}$/);
  });

  test('checks the result', () => {
    expect(() => resolvePolicyName(OWNER, scope(), 'Bad', 'default')).toThrow(/NetworkPolicy "chart\/p": metadata.name: "Bad" is not a valid policy name/);
  });
});

describe('PolicyRules', () => {
  test('types inferred from the rules so far', () => {
    const rules = new PolicyRules({ owner: OWNER, global: false });
    expect(rules.types).toEqual([PolicyType.INGRESS]);
    expect(rules.renderedIngress).toBeUndefined();
    expect(rules.renderedEgress).toBeUndefined();
    rules.addEgressRule({ action: RuleAction.ALLOW });
    expect(rules.types).toEqual([PolicyType.EGRESS]);
    rules.addIngressRule({ action: RuleAction.DENY });
    expect(rules.types).toEqual([PolicyType.INGRESS, PolicyType.EGRESS]);
    expect(rules.renderedIngress).toHaveLength(1);
    expect(rules.renderedEgress).toHaveLength(1);
  });

  test('explicit types win and are copied', () => {
    const types = [PolicyType.EGRESS];
    const rules = new PolicyRules({ owner: OWNER, global: false, types });
    types.push(PolicyType.INGRESS);
    expect(rules.types).toEqual([PolicyType.EGRESS]);
  });

  test('rule fields are numbered per direction', () => {
    const rules = new PolicyRules({ owner: OWNER, global: false });
    rules.addIngressRule({ action: RuleAction.ALLOW });
    rules.addEgressRule({ action: RuleAction.ALLOW });
    expect(() => rules.addEgressRule({ action: 'Nope' as any })).toThrow('NetworkPolicy "chart/p": egress[1].action: "Nope" is not a rule action; use RuleAction.ALLOW, DENY, LOG or PASS');
  });

  test('global policies check service namespaces', () => {
    const rules = new PolicyRules({ owner: OWNER, global: true });
    expect(() => rules.addIngressRule({ action: RuleAction.ALLOW, source: { services: { name: 'x' } } })).toThrow(/a global policy must name the namespace/);
  });

  test('preDNAT forbids egress', () => {
    expect(() => new PolicyRules({ owner: OWNER, global: true, preDnat: true }).addEgressRule({ action: RuleAction.ALLOW })).toThrow(
      /egress\[0\]: a preDNAT policy cannot have egress rules/,
    );
  });

  test('types must be an array', () => {
    expect(() => new PolicyRules({ owner: OWNER, global: false, types: 'Ingress' as any })).toThrow(/types: give at least one of PolicyType.INGRESS/);
  });
});

describe('renderCommonSpec', () => {
  test('omits the default tier and unset fields', () => {
    expect(renderCommonSpec(OWNER, {}, 'default')).toEqual({ tier: undefined, order: undefined, selector: undefined, serviceAccountSelector: undefined });
    expect(renderCommonSpec(OWNER, { order: 1, selector: Selector.all() }, 'ops')).toEqual({
      tier: 'ops',
      order: 1,
      selector: Selector.all().toString(),
      serviceAccountSelector: undefined,
    });
  });

  test('checks order', () => {
    expect(() => renderCommonSpec(OWNER, { order: -Infinity }, 'default')).toThrow(/order: -Infinity is not a usable order/);
  });
});
