/**
 * Tiers and policies read from manifests: Calico NetworkPolicy and GlobalNetworkPolicy,
 * Kubernetes NetworkPolicy (converted as Calico converts it) and the staged kinds.
 *
 * Internal module of the network model.
 */
import { apiGroup, CALICO_GROUPS, namespaceOf, requireName } from './network-endpoints';
import {
  containsGlobal,
  LABEL_NAMESPACE,
  parseSelectorField,
  policySelectorOnEndpoints,
} from './network-labels';
import { fail, ObjectRef, optArray, optBoolean, optNumber, optObject, optString, show } from './network-objects';
import { CompiledRule, compileCalicoRule, compileK8sRule, describeK8sSelector, k8sPodSelector, RuleCompiler } from './network-rules';
import { andNode, nodeToString, SelectorNode, valueNode } from '../selector/ast';

/** The order of the built-in `default` tier. */
export const DEFAULT_TIER_ORDER = 1_000_000;
/** Kubernetes NetworkPolicies are placed at this order in the default tier. */
export const K8S_POLICY_ORDER = 1000;

/** A tier, declared or implied by a policy. */
export interface TierRecord {
  readonly name: string;
  /** `undefined`: sorts after every ordered tier. */
  readonly order?: number;
  readonly defaultAction: 'Deny' | 'Pass';
  readonly declared: boolean;
}

/** The policy families a staged policy can stand in for. */
export type PolicyFamily = 'NetworkPolicy' | 'GlobalNetworkPolicy' | 'KubernetesNetworkPolicy';

/** A policy, normalized to Calico's model. */
export interface PolicyRecord {
  /** The family (the enforced kind a staged policy stands in for). */
  readonly family: PolicyFamily;
  /** How the policy is named in explanations, e.g. `NetworkPolicy prod/allow-web`. */
  readonly label: string;
  readonly namespace?: string;
  readonly name: string;
  /** The name Calico sorts by (`knp.default.<name>` for Kubernetes policies). */
  readonly sortName: string;
  readonly tier: string;
  /** `Infinity` when the policy has no order. */
  readonly order: number;
  /** Which endpoints the policy applies to, on Calico endpoint labels. */
  readonly selector: SelectorNode;
  /** The policy's own selector text, for explanations. */
  readonly selectorText: string;
  readonly ingressApplies: boolean;
  readonly egressApplies: boolean;
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
  /** `doNotTrack` or `preDNAT` for host-endpoint-only global policies. */
  readonly hostOnly?: 'doNotTrack' | 'preDNAT';
  /** For staged kinds: what the staged policy does when staged policies are included. */
  readonly staged?: 'Set' | 'Delete';
  /** `family/namespace/name`: staged policies replace the enforced policy with the same key. */
  readonly key: string;
}

const STAGED_FAMILY: { readonly [kind: string]: PolicyFamily } = {
  StagedNetworkPolicy: 'NetworkPolicy',
  StagedGlobalNetworkPolicy: 'GlobalNetworkPolicy',
  StagedKubernetesNetworkPolicy: 'KubernetesNetworkPolicy',
};

function policyLabel(kind: string, namespace: string | undefined, name: string): string {
  const display = kind === 'KubernetesNetworkPolicy' ? 'Kubernetes NetworkPolicy' : kind;
  return `${display} ${namespace === undefined ? name : `${namespace}/${name}`}`;
}

function parseTypes(spec: any, ref: ObjectRef, field: string): { ingress: boolean; egress: boolean } | undefined {
  const types = optArray(spec, field.split('.').pop()!, ref, field);
  if (types === undefined || types.length === 0) {
    // An empty list is defaulted like a missing one (by Calico and by Kubernetes).
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
      fail(ref, `${field}[${i}]`, `${show(t)} is not valid here; use Ingress and/or Egress, each at most once`);
    }
  });
  return { ingress, egress };
}

/** Reads the policy-side kinds of a manifest stream. */
export class PolicyReader {
  /** Declared tiers by name. */
  public readonly tiers = new Map<string, TierRecord>();
  /** Policies in manifest order. */
  public readonly policies: PolicyRecord[] = [];
  /** Namespaces policies live in or refer to by name. */
  public readonly namespaces = new Set<string>();

  private readonly keys = new Set<string>();

  constructor(private readonly compiler: RuleCompiler) {}

  /**
   * Reads an object if it is one of the policy-side kinds.
   * @returns true when the object was consumed
   */
  public accept(obj: any, kind: string, apiVersion: string): boolean {
    const group = apiGroup(apiVersion);
    if (group === 'networking.k8s.io' && kind === 'NetworkPolicy') {
      this.addK8sPolicy(obj, kind, apiVersion, undefined);
      return true;
    }
    if (!CALICO_GROUPS.includes(group)) {
      return false;
    }
    switch (kind) {
      case 'Tier':
        this.addTier(obj, new ObjectRef(kind, apiVersion, obj?.metadata?.name, undefined));
        return true;
      case 'NetworkPolicy':
      case 'GlobalNetworkPolicy':
        this.addCalicoPolicy(obj, kind, apiVersion, kind, undefined);
        return true;
      case 'StagedNetworkPolicy':
      case 'StagedGlobalNetworkPolicy':
        this.addCalicoPolicy(obj, kind, apiVersion, STAGED_FAMILY[kind], this.stagedAction(obj, kind, apiVersion));
        return true;
      case 'StagedKubernetesNetworkPolicy':
        this.addK8sPolicy(obj, kind, apiVersion, this.stagedAction(obj, kind, apiVersion));
        return true;
      default:
        return false;
    }
  }

  /** Every tier used: declared ones and those named by policies, plus `default`. */
  public allTiers(): Map<string, TierRecord> {
    const out = new Map<string, TierRecord>(this.tiers);
    if (!out.has('default')) {
      out.set('default', { name: 'default', order: DEFAULT_TIER_ORDER, defaultAction: 'Deny', declared: false });
    }
    for (const p of this.policies) {
      if (!out.has(p.tier)) {
        out.set(p.tier, { name: p.tier, order: undefined, defaultAction: 'Deny', declared: false });
      }
    }
    return out;
  }

  private namespacedRef(obj: any, kind: string, apiVersion: string): ObjectRef {
    const ns = obj?.metadata?.namespace;
    return new ObjectRef(kind, apiVersion, obj?.metadata?.name, typeof ns === 'string' && ns !== '' ? ns : 'default');
  }

  private stagedAction(obj: any, kind: string, apiVersion: string): 'Set' | 'Delete' | undefined {
    const ref = kind === 'StagedGlobalNetworkPolicy'
      ? new ObjectRef(kind, apiVersion, obj?.metadata?.name, undefined)
      : this.namespacedRef(obj, kind, apiVersion);
    const spec = optObject(obj, 'spec', ref, 'spec');
    const action = optString(spec, 'stagedAction', ref, 'spec.stagedAction') ?? 'Set';
    if (action === 'Set' || action === 'Delete') {
      return action;
    }
    if (action === 'Learn' || action === 'Ignore') {
      // Neither would change enforcement if staged policies were enforced.
      return undefined;
    }
    fail(ref, 'spec.stagedAction', `${show(action)} is not a staged action; use Set, Delete, Learn or Ignore`);
  }

  private register(policy: PolicyRecord, ref: ObjectRef, isStaged: boolean): void {
    const key = `${isStaged ? 'staged:' : ''}${policy.key}`;
    if (this.keys.has(key)) {
      fail(ref, 'metadata.name', 'declared twice; policy names must be unique per kind and namespace');
    }
    this.keys.add(key);
    this.policies.push(policy);
    if (policy.namespace !== undefined) {
      this.namespaces.add(policy.namespace);
    }
  }

  private addTier(obj: any, ref: ObjectRef): void {
    const name = requireName(obj, ref);
    if (this.tiers.has(name)) {
      fail(ref, 'metadata.name', 'declared twice; tier names must be unique');
    }
    const spec = optObject(obj, 'spec', ref, 'spec');
    const order = optNumber(spec, 'order', ref, 'spec.order');
    const action = optString(spec, 'defaultAction', ref, 'spec.defaultAction') ?? 'Deny';
    if (action !== 'Deny' && action !== 'Pass') {
      fail(ref, 'spec.defaultAction', `${show(action)} is not a tier default action; use Deny or Pass`);
    }
    if (name === 'default' && action !== 'Deny') {
      fail(ref, 'spec.defaultAction', "the 'default' tier must have default action Deny");
    }
    this.tiers.set(name, {
      name,
      order: order ?? (name === 'default' ? DEFAULT_TIER_ORDER : undefined),
      defaultAction: action,
      declared: true,
    });
  }

  private addCalicoPolicy(obj: any, kind: string, apiVersion: string, family: PolicyFamily, staged: 'Set' | 'Delete' | undefined): void {
    const global = family === 'GlobalNetworkPolicy';
    const ref = global ? new ObjectRef(kind, apiVersion, obj?.metadata?.name, undefined) : this.namespacedRef(obj, kind, apiVersion);
    const name = requireName(obj, ref);
    const namespace = global ? undefined : namespaceOf(obj, ref);
    const isStaged = kind !== family;
    if (isStaged && staged === undefined) {
      return;
    }
    const spec = optObject(obj, 'spec', ref, 'spec') ?? {};
    const tier = optString(spec, 'tier', ref, 'spec.tier') || 'default';
    const order = optNumber(spec, 'order', ref, 'spec.order');
    const key = `${family}/${namespace ?? ''}/${name}`;
    if (staged === 'Delete') {
      this.register(this.deletion(family, kind, namespace, name, tier, key), ref, true);
      return;
    }

    const selectorText = optString(spec, 'selector', ref, 'spec.selector');
    const selector = selectorText === undefined || selectorText.trim() === '' ? undefined : parseSelectorField(selectorText, ref, 'spec.selector')._node;
    if (selector !== undefined && containsGlobal(selector)) {
      fail(ref, 'spec.selector', 'global() is only valid in a rule namespaceSelector');
    }
    let nsNode: SelectorNode | undefined;
    let saNode: SelectorNode | undefined;
    let selectorDescription = selector === undefined ? 'all()' : nodeToString(selector);
    if (global) {
      const nsText = optString(spec, 'namespaceSelector', ref, 'spec.namespaceSelector');
      if (nsText !== undefined && nsText.trim() !== '') {
        const ns = parseSelectorField(nsText, ref, 'spec.namespaceSelector')._node;
        nsNode = ns;
        selectorDescription += ` in namespaces ${nodeToString(ns)}`;
      }
    } else if (spec.namespaceSelector !== undefined && spec.namespaceSelector !== null) {
      fail(ref, 'spec.namespaceSelector', 'only GlobalNetworkPolicy has a namespaceSelector; a NetworkPolicy applies in its own namespace');
    }
    const saText = optString(spec, 'serviceAccountSelector', ref, 'spec.serviceAccountSelector');
    if (saText !== undefined && saText.trim() !== '') {
      const sa = parseSelectorField(saText, ref, 'spec.serviceAccountSelector')._node;
      if (containsGlobal(sa)) {
        fail(ref, 'spec.serviceAccountSelector', 'global() is only valid in a rule namespaceSelector');
      }
      saNode = sa;
      selectorDescription += ` with service accounts ${nodeToString(sa)}`;
    }
    const combined = policySelectorOnEndpoints(selector, namespace, nsNode, saNode);

    const ingressRaw = optArray(spec, 'ingress', ref, 'spec.ingress') ?? [];
    const egressRaw = optArray(spec, 'egress', ref, 'spec.egress') ?? [];
    const ingress = ingressRaw.map((r, i) => compileCalicoRule(r, i, 'ingress', ref, `spec.ingress[${i}]`, namespace, this.compiler));
    const egress = egressRaw.map((r, i) => compileCalicoRule(r, i, 'egress', ref, `spec.egress[${i}]`, namespace, this.compiler));
    for (const rule of [...ingress, ...egress]) {
      for (const v of rule.variants) {
        for (const side of [v.source, v.destination]) {
          if (side.peer?.service !== undefined) {
            this.namespaces.add(side.peer.service.namespace);
          }
        }
      }
    }

    // Calico's default for a missing `types`: Ingress, unless there are only egress rules.
    let types = parseTypes(spec, ref, 'spec.types');
    if (types === undefined) {
      if (egress.length === 0) {
        types = { ingress: true, egress: false };
      } else if (ingress.length === 0) {
        types = { ingress: false, egress: true };
      } else {
        types = { ingress: true, egress: true };
      }
    }

    let hostOnly: 'doNotTrack' | 'preDNAT' | undefined;
    if (global) {
      if (optBoolean(spec, 'doNotTrack', ref, 'spec.doNotTrack')) {
        hostOnly = 'doNotTrack';
      }
      if (optBoolean(spec, 'preDNAT', ref, 'spec.preDNAT')) {
        if (hostOnly !== undefined) {
          fail(ref, 'spec.preDNAT', 'preDNAT and doNotTrack cannot both be true');
        }
        hostOnly = 'preDNAT';
      }
    }

    this.register(
      {
        family,
        label: policyLabel(kind, namespace, name),
        namespace,
        name,
        sortName: name,
        tier,
        order: order ?? Infinity,
        selector: combined,
        selectorText: selectorDescription,
        ingressApplies: types.ingress,
        egressApplies: types.egress,
        ingress,
        egress,
        hostOnly,
        staged,
        key,
      },
      ref,
      isStaged,
    );
  }

  private deletion(family: PolicyFamily, kind: string, namespace: string | undefined, name: string, tier: string, key: string): PolicyRecord {
    return {
      family,
      label: policyLabel(kind, namespace, name),
      namespace,
      name,
      sortName: name,
      tier,
      order: Infinity,
      selector: { kind: 'all' },
      selectorText: 'all()',
      ingressApplies: false,
      egressApplies: false,
      ingress: [],
      egress: [],
      staged: 'Delete',
      key,
    };
  }

  private addK8sPolicy(obj: any, kind: string, apiVersion: string, staged: 'Set' | 'Delete' | undefined): void {
    const ref = this.namespacedRef(obj, kind, apiVersion);
    const name = requireName(obj, ref);
    const namespace = namespaceOf(obj, ref);
    const isStaged = kind !== 'NetworkPolicy';
    if (isStaged && staged === undefined) {
      return;
    }
    const key = `KubernetesNetworkPolicy/${namespace}/${name}`;
    if (staged === 'Delete') {
      this.register(this.deletion('KubernetesNetworkPolicy', kind, namespace, name, 'default', key), ref, true);
      return;
    }
    const spec = optObject(obj, 'spec', ref, 'spec') ?? {};
    const podSelector = k8sPodSelector(spec.podSelector, ref, 'spec.podSelector');
    const ingressRaw = optArray(spec, 'ingress', ref, 'spec.ingress') ?? [];
    const egressRaw = optArray(spec, 'egress', ref, 'spec.egress') ?? [];
    const ingress = ingressRaw.map((r, i) => compileK8sRule(r, i, 'ingress', ref, `spec.ingress[${i}]`, namespace, this.compiler));
    const egress = egressRaw.map((r, i) => compileK8sRule(r, i, 'egress', ref, `spec.egress[${i}]`, namespace, this.compiler));
    // Kubernetes' default for a missing policyTypes: Ingress, plus Egress when there are egress rules.
    const types = parseTypes(spec, ref, 'spec.policyTypes') ?? { ingress: true, egress: egress.length > 0 };
    const label = isStaged ? policyLabel(kind, namespace, name) : policyLabel('KubernetesNetworkPolicy', namespace, name);
    this.register(
      {
        family: 'KubernetesNetworkPolicy',
        label,
        namespace,
        name,
        sortName: `knp.default.${name}`,
        tier: 'default',
        order: K8S_POLICY_ORDER,
        selector: andNode([valueNode('eq', LABEL_NAMESPACE, namespace), podSelector]),
        selectorText: `podSelector ${describeK8sSelector(spec.podSelector)}`,
        ingressApplies: types.ingress,
        egressApplies: types.egress,
        ingress,
        egress,
        staged,
        key,
      },
      ref,
      isStaged,
    );
  }
}
