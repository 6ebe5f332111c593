/**
 * Reading steps shared by several policy kinds: object references, order, policy types,
 * staged actions, labels and the record of a staged deletion.
 *
 * Internal module of the network model.
 */
import { describeValue, fail } from '../../../core';
import { ObjectRef, optArray, optString } from '../../network-objects';
import { ObjectType } from '../kind';
import { PolicyFamily, policyKey, PolicyRecord, policySortKey } from '../records';

/** The reference of a cluster-scoped object (no namespace). */
export function clusterRef(obj: any, type: ObjectType): ObjectRef {
  return new ObjectRef(type.kind, type.apiVersion, obj?.metadata?.name, undefined);
}

/** The reference of a namespaced object (namespace `default` when none is given). */
export function namespacedRef(obj: any, type: ObjectType): ObjectRef {
  const ns = obj?.metadata?.namespace;
  return new ObjectRef(type.kind, type.apiVersion, obj?.metadata?.name, typeof ns === 'string' && ns !== '' ? ns : 'default');
}

/**
 * An optional `order` (of a policy or a tier): a finite number. Calico stores it as a float64,
 * so strings, NaN and infinities are refused rather than guessed at.
 */
// Calico: api/pkg/apis/projectcalico/v3/networkpolicy.go, tier.go (Order *float64)
export function readOrder(spec: any, where: ObjectRef | string, field: string): number | undefined {
  const value = spec === undefined || spec === null ? undefined : spec.order;
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    const hint = typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
      ? `; write it as a number without quotes: ${Number(value)}`
      : '; use a finite number such as 100 (lower orders are evaluated first)';
    fail(where, field, `expected a number, got ${describeValue(value)}${hint}`);
  }
  return value;
}

/**
 * An optional list of policy types (`spec.types` / `spec.policyTypes`): Ingress and/or Egress,
 * each at most once. `undefined` when missing or empty (both Calico and Kubernetes default an
 * empty list like a missing one).
 */
// Calico: libcalico-go/lib/validator/v3/validator.go validateNetworkPolicySpec (no repeats)
export function readPolicyTypes(spec: any, ref: ObjectRef, key: string): { ingress: boolean; egress: boolean } | undefined {
  const field = `spec.${key}`;
  const types = optArray(spec, key, ref, field);
  if (types === undefined || types.length === 0) {
    return undefined;
  }
  let ingress = false;
  let egress = false;
  types.forEach((t, i) => {
    if (t === 'Ingress' && !ingress) {
      ingress = true;
    } else if (t === 'Egress' && !egress) {
      egress = true;
    } else {
      fail(ref, `${field}[${i}]`, `${describeValue(t)} is not valid here; use Ingress and/or Egress, each at most once`);
    }
  });
  return { ingress, egress };
}

/**
 * What a staged policy does if staged policies were enforced: `Set` (the default) and `Delete`
 * change enforcement; `Learn` and `Ignore` do not (`undefined`).
 */
// Calico: api/pkg/apis/projectcalico/v3/policy_common.go StagedAction
export function readStagedAction(spec: any, ref: ObjectRef): 'Set' | 'Delete' | undefined {
  const action = optString(spec, 'stagedAction', ref, 'spec.stagedAction') ?? 'Set';
  if (action === 'Set' || action === 'Delete') {
    return action;
  }
  if (action === 'Learn' || action === 'Ignore') {
    return undefined;
  }
  fail(ref, 'spec.stagedAction', `${describeValue(action)} is not a staged action; use Set, Delete, Learn or Ignore`);
}

/** How a policy is named in explanations: `<kind> <namespace>/<name>` or `<kind> <name>`. */
export function policyLabel(displayKind: string, namespace: string | undefined, name: string): string {
  return `${displayKind} ${namespace === undefined ? name : `${namespace}/${name}`}`;
}

/** The record of a staged `Delete`: it only removes the enforced policy with the same key. */
export function deletionRecord(
  family: PolicyFamily,
  ref: ObjectRef,
  label: string,
  namespace: string | undefined,
  name: string,
  tier: string,
): PolicyRecord {
  return {
    family,
    ref,
    label,
    namespace,
    name,
    sortKey: policySortKey(family, namespace, name),
    tier,
    order: Infinity,
    selector: { kind: 'all' },
    selectorText: 'all()',
    ingressApplies: false,
    egressApplies: false,
    ingress: [],
    egress: [],
    staged: 'Delete',
    key: policyKey(family, namespace, name),
  };
}
