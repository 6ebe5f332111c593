/**
 * What the Calico policy kinds (NetworkPolicy, GlobalNetworkPolicy and their staged kinds)
 * share: name, tier, order, rules, types and staged actions. What differs between namespaced and
 * global policies (which endpoints they apply to, host-only flags) is the kind's `CalicoPolicyShape`.
 *
 * Internal module of the network model.
 */
import { clusterRef, deletionRecord, namespacedRef, policyLabel, readOrder, readPolicyTypes, readStagedAction } from './common';
import { DEFAULT_TIER, fail, policySelectorProblem } from '../../../core';
import { allNode, nodeToString, SelectorNode } from '../../../selector/ast';
import { namespaceOf, requireName } from '../../network-endpoints';
import { parseSelectorField } from '../../network-labels';
import { ObjectRef, optArray, optObject, optString } from '../../network-objects';
import { compileCalicoRule } from '../../network-rules';
import { ObjectType, PolicySink } from '../kind';
import { policyKey, policySortKey } from '../records';

/** The endpoints a policy applies to, on Calico endpoint labels, and how to describe them. */
export interface AppliesTo {
  readonly selector: SelectorNode;
  readonly description: string;
}

/** What distinguishes a namespaced Calico policy kind from a global one. */
export interface CalicoPolicyShape {
  /** The enforced kind (also Felix's policy key kind). */
  readonly family: 'NetworkPolicy' | 'GlobalNetworkPolicy';
  readonly namespaced: boolean;
  /** The endpoints the policy applies to. */
  appliesTo(spec: any, ref: ObjectRef, namespace: string | undefined): AppliesTo;
  /** `doNotTrack` or `preDNAT` when the policy applies to host endpoints only. */
  hostOnly(spec: any, ref: ObjectRef): 'doNotTrack' | 'preDNAT' | undefined;
}

/**
 * The policy's own `spec.selector` (missing: `all()`). Blank and invalid selectors are told
 * apart by the selector parser, not here.
 */
export function ownSelector(spec: any, ref: ObjectRef): AppliesTo {
  const text = optString(spec, 'selector', ref, 'spec.selector');
  if (text === undefined) {
    return { selector: allNode(), description: 'all()' };
  }
  const problem = policySelectorProblem(text);
  if (problem !== undefined) {
    fail(ref, 'spec.selector', problem);
  }
  const selector = parseSelectorField(text, ref, 'spec.selector')._node;
  return { selector, description: nodeToString(selector) };
}

/**
 * An optional selector field that narrows the policy (`serviceAccountSelector`,
 * `namespaceSelector`): `undefined` when missing or the empty string, as Calico skips exactly
 * those (a blank but non-empty one is parsed, and means `all()`).
 */
// Calico: libcalico-go/lib/backend/syncersv1/updateprocessors/selectors.go prefixAndAppendSelector
export function narrowingSelector(spec: any, key: string, ref: ObjectRef): SelectorNode | undefined {
  const field = `spec.${key}`;
  const text = optString(spec, key, ref, field);
  if (text === undefined || text === '') {
    return undefined;
  }
  return parseSelectorField(text, ref, field)._node;
}

/** `spec.serviceAccountSelector` (see `narrowingSelector`); `global()` makes no sense in it. */
export function serviceAccountSelector(spec: any, ref: ObjectRef): SelectorNode | undefined {
  const problem = policySelectorProblem(optString(spec, 'serviceAccountSelector', ref, 'spec.serviceAccountSelector'));
  if (problem !== undefined) {
    fail(ref, 'spec.serviceAccountSelector', problem);
  }
  return narrowingSelector(spec, 'serviceAccountSelector', ref);
}

/** `spec.tier`, the default tier when missing or empty. */
// Calico: libcalico-go/lib/names/policy.go TierOrDefault
export function readPolicyTier(spec: any, ref: ObjectRef): string {
  return optString(spec, 'tier', ref, 'spec.tier') || DEFAULT_TIER;
}

/**
 * Reads a Calico policy of the given shape.
 *
 * @param staged true for the staged kinds: `spec.stagedAction` decides what the record does
 */
export function readCalicoPolicy(obj: any, type: ObjectType, sink: PolicySink, shape: CalicoPolicyShape, staged: boolean): void {
  const ref = shape.namespaced ? namespacedRef(obj, type) : clusterRef(obj, type);
  const name = requireName(obj, ref);
  const namespace = shape.namespaced ? namespaceOf(obj, ref) : undefined;
  const spec = optObject(obj, 'spec', ref, 'spec') ?? {};
  const stagedAction = staged ? readStagedAction(spec, ref) : undefined;
  if (staged && stagedAction === undefined) {
    // Learn and Ignore would not change enforcement.
    return;
  }
  const tier = readPolicyTier(spec, ref);
  const label = policyLabel(type.kind, namespace, name);
  if (stagedAction === 'Delete') {
    sink.addPolicy(deletionRecord(shape.family, ref, label, namespace, name, tier), true);
    return;
  }
  const order = readOrder(spec, ref, 'spec.order');
  const appliesTo = shape.appliesTo(spec, ref, namespace);

  const ingressRaw = optArray(spec, 'ingress', ref, 'spec.ingress') ?? [];
  const egressRaw = optArray(spec, 'egress', ref, 'spec.egress') ?? [];
  const ingress = ingressRaw.map((r, i) => compileCalicoRule(r, i, 'ingress', ref, `spec.ingress[${i}]`, namespace, sink.compiler));
  const egress = egressRaw.map((r, i) => compileCalicoRule(r, i, 'egress', ref, `spec.egress[${i}]`, namespace, sink.compiler));
  for (const rule of [...ingress, ...egress]) {
    for (const v of rule.variants) {
      for (const side of [v.source, v.destination]) {
        if (side.peer?.service !== undefined) {
          sink.referenceNamespace(side.peer.service.namespace);
        }
      }
    }
  }

  // Calico: api/pkg/defaults/networkpolicy.go defaultPolicyTypesField
  let types = readPolicyTypes(spec, ref, 'types');
  if (types === undefined) {
    if (egress.length === 0) {
      types = { ingress: true, egress: false };
    } else if (ingress.length === 0) {
      types = { ingress: false, egress: true };
    } else {
      types = { ingress: true, egress: true };
    }
  }

  sink.addPolicy(
    {
      family: shape.family,
      ref,
      label,
      namespace,
      name,
      sortKey: policySortKey(shape.family, namespace, name),
      tier,
      // Calico: felix/calc/policy_sorter.go ExtractPolicyMetadata (no order: +Inf)
      order: order ?? Infinity,
      selector: appliesTo.selector,
      selectorText: appliesTo.description,
      ingressApplies: types.ingress,
      egressApplies: types.egress,
      ingress,
      egress,
      hostOnly: shape.hostOnly(spec, ref),
      staged: stagedAction,
      key: policyKey(shape.family, namespace, name),
    },
    staged,
  );
}
