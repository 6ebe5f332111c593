/**
 * The tiers policies are evaluated in: Calico's built-in tiers, the `Tier` objects of the
 * manifests and the tiers the caller declares as managed elsewhere, with Calico's defaults and
 * checks. A policy in any other tier is an error.
 *
 * Internal module of the network model.
 */
import { readOrder } from './kinds/common';
import { PolicyRecord, TierRecord, TierSource } from './records';
import { BUILT_IN_TIERS, builtInTier, DEFAULT_TIER_ORDER, describeValue, fail, isDns1123Label, tierNameProblem } from '../../core';
import { editDistance, isObject, ObjectRef } from '../network-objects';

/** Where errors in the caller's options are reported. */
export const OPTIONS_WHERE = 'NetworkModel options';

/** The field names a tier's order and default action were read from, for error messages. */
export interface TierFields {
  readonly order: string;
  readonly defaultAction: string;
}

/**
 * A tier with Calico's defaults applied (no order: 1,000,000; no default action: Deny) and
 * Calico's checks made (a default action is Deny or Pass; a built-in tier keeps its order and
 * default action).
 *
 * @param where the object or option the tier comes from
 * @param name the tier name (already checked)
 */
// Calico: libcalico-go/lib/resources/tier.go DefaultTierFields; libcalico-go/lib/validator/v3/validator.go validateTier
export function tierRecord(
  where: ObjectRef | string,
  name: string,
  raw: { readonly order?: any; readonly defaultAction?: any },
  fields: TierFields,
  source: TierSource,
): TierRecord {
  const given = readOrder(raw, where, fields.order);
  const action = raw.defaultAction ?? 'Deny';
  if (action !== 'Deny' && action !== 'Pass') {
    fail(where, fields.defaultAction, `${describeValue(action)} is not a tier default action; use Deny or Pass`);
  }
  const order = given ?? DEFAULT_TIER_ORDER;
  const builtIn = builtInTier(name);
  if (builtIn !== undefined) {
    if (order !== builtIn.order) {
      const got = given === undefined ? `no order, which Calico turns into ${DEFAULT_TIER_ORDER}` : describeValue(given);
      fail(where, fields.order, `the '${name}' tier must have order ${builtIn.order} (Calico refuses any other), got ${got}`);
    }
    // Calico: api/pkg/apis/projectcalico/v3/tier.go (the Tier's XValidation rules on defaultAction)
    if (action !== builtIn.defaultAction) {
      const got = raw.defaultAction === undefined || raw.defaultAction === null ? 'none, which means Deny' : describeValue(action);
      fail(where, fields.defaultAction, `the '${name}' tier must have default action ${builtIn.defaultAction}, got ${got}`);
    }
  }
  return { name, order, orderDefaulted: given === undefined, defaultAction: action, source };
}

/** The tiers Calico always creates, as records. */
// Calico: libcalico-go/lib/clientv3/client.go EnsureInitialized (default, kube-admin and kube-baseline tiers)
export function builtInTierRecords(): TierRecord[] {
  return BUILT_IN_TIERS.map((t) => ({ name: t.name, order: t.order, orderDefaulted: false, defaultAction: t.defaultAction, source: 'built-in' }));
}

const EXTERNAL_TIER_KEYS = ['name', 'order', 'defaultAction'];

/**
 * Reads the caller's `tiers` option: tiers that exist in the cluster but not in the manifests.
 *
 * @param options the options object given to `NetworkModel.fromManifests` (or `undefined`)
 */
export function readExternalTiers(options: any): TierRecord[] {
  if (options === undefined || options === null) {
    return [];
  }
  if (!isObject(options)) {
    fail(OPTIONS_WHERE, '', `expected an object { tiers? }, got ${describeValue(options)}`);
  }
  const list = options.tiers;
  if (list === undefined || list === null) {
    return [];
  }
  if (!Array.isArray(list)) {
    fail(OPTIONS_WHERE, 'tiers', `expected a list of tiers { name, order?, defaultAction? }, got ${describeValue(list)}`);
  }
  const out: TierRecord[] = [];
  list.forEach((raw: any, i: number) => {
    const field = `tiers[${i}]`;
    if (!isObject(raw)) {
      fail(OPTIONS_WHERE, field, `expected a tier { name, order?, defaultAction? }, got ${describeValue(raw)}`);
    }
    const unknown = Object.keys(raw).filter((k) => !EXTERNAL_TIER_KEYS.includes(k) && raw[k] !== undefined);
    if (unknown.length > 0) {
      fail(OPTIONS_WHERE, `${field}.${unknown[0]}`, `not a tier field; a tier has ${EXTERNAL_TIER_KEYS.join(', ')}`);
    }
    const problem = typeof raw.name === 'string' ? tierNameProblem(raw.name) : `expected the tier name as a string, got ${describeValue(raw.name)}`;
    if (problem !== undefined) {
      fail(OPTIONS_WHERE, `${field}.name`, problem);
    }
    if (out.some((t) => t.name === raw.name)) {
      fail(OPTIONS_WHERE, `${field}.name`, `the tier "${raw.name}" is listed twice; list each tier once`);
    }
    out.push(tierRecord(OPTIONS_WHERE, raw.name, raw, { order: `${field}.order`, defaultAction: `${field}.defaultAction` }, 'external'));
  });
  return out;
}

function describeTier(t: TierRecord): string {
  return `order ${t.order} and defaultAction ${t.defaultAction}`;
}

/**
 * Every tier by name (built-in, declared in the manifests, declared by the caller), after
 * checking that every policy's tier is one of them.
 *
 * @param declared the `Tier` objects of the manifests
 * @param external the caller's tiers (`readExternalTiers`)
 * @param policies every policy read
 * @throws Error naming the policy and its tier when the tier does not exist; naming the option
 *   when a caller's tier contradicts the manifests
 */
// Calico: libcalico-go/lib/clientv3/networkpolicy.go Create (a policy's tier must exist)
export function resolveTiers(
  declared: ReadonlyMap<string, TierRecord>,
  external: readonly TierRecord[],
  policies: readonly PolicyRecord[],
): Map<string, TierRecord> {
  const out = new Map<string, TierRecord>();
  for (const t of builtInTierRecords()) {
    out.set(t.name, t);
  }
  for (const t of declared.values()) {
    out.set(t.name, t);
  }
  external.forEach((t, i) => {
    const known = declared.get(t.name);
    if (known !== undefined && (known.order !== t.order || known.defaultAction !== t.defaultAction)) {
      fail(
        OPTIONS_WHERE,
        `tiers[${i}]`,
        `the tier "${t.name}" is declared in the manifests with ${describeTier(known)}, but here with ${describeTier(t)}; `
        + 'leave it out of tiers (the manifests declare it) or make both agree',
      );
    }
    if (!out.has(t.name)) {
      out.set(t.name, t);
    }
  });
  for (const p of policies) {
    if (!out.has(p.tier)) {
      fail(p.ref, 'spec.tier', unknownTierProblem(p.tier, [...out.keys()]));
    }
  }
  return out;
}

function unknownTierProblem(tier: string, known: readonly string[]): string {
  const close = known.filter((k) => editDistance(k, tier) <= Math.max(1, Math.floor(tier.length / 4)));
  const hint = close.length > 0 ? `did you mean ${close.map((c) => `"${c}"`).join(' or ')}? Otherwise ` : '';
  const example = isDns1123Label(tier) ? JSON.stringify(tier) : '"<tier>"';
  return `the tier ${describeValue(tier)} does not exist: the manifests declare no such Tier and Calico has no built-in tier of that name `
    + `(${BUILT_IN_TIERS.map((t) => t.name).join(', ')}); ${hint}declare the Tier in the manifests, or, if it is managed outside them, `
    + `pass it to the model: NetworkModel.fromManifests(objects, { tiers: [{ name: ${example}, order: <its order> }] })`;
}
