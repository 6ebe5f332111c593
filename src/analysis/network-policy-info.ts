/**
 * A read-only view of the tiers and policies the network model evaluates: for each policy its
 * tier, order and rule actions, and for each selector the label keys it reads (pod, namespace,
 * service-account or Calico-derived labels) and the namespaces whose endpoints it can match.
 * Audits use it to ask who can set the labels a policy trusts.
 *
 * Internal module of the network model (the interfaces are public through `NetworkModel`).
 */
import { Inventory } from './network-endpoints';
import { PolicyRecord, TierRecord } from './network-policies';
import { PeerMatcher, RuleVariant } from './network-rules';
import {
  LABEL_K8S_NAMESPACE_NAME,
  LABEL_NAME,
  LABEL_NAMESPACE,
  LABEL_ORCHESTRATOR,
  LABEL_SERVICE_ACCOUNT,
  NAMESPACE_LABEL_PREFIX,
  SERVICE_ACCOUNT_LABEL_PREFIX,
} from '../core/calico';
import { AndNode, andNode, evaluate, LeafNode, nodeToString, NotNode, notNode, OrNode, SelectorNode, someNode } from '../selector/ast';

/** A tier the model evaluates policies in. */
export interface TierInfo {
  /** The tier name. */
  readonly name: string;
  /** Its order (lower first); Calico's 1,000,000 when the tier gives none. */
  readonly order: number;
  /** `Deny` or `Pass`: what happens at its end to traffic no policy of it decided. */
  readonly defaultAction: string;
  /** `built-in` (Calico's default, kube-admin, kube-baseline), `manifest` or `external` (declared in the options). */
  readonly source: string;
}

/**
 * The label keys a selector reads, by where Calico takes each label from. Keys are listed once,
 * sorted; prefixes Calico adds (`pcns.`, `pcsa.`) are removed.
 */
export interface SelectorLabelKeys {
  /**
   * The endpoint's own labels: a pod's labels (set by whoever creates the pod or its
   * controller) or, for rule peers, a network set's labels.
   */
  readonly pod: string[];
  /** Labels of the endpoint's namespace (`namespaceSelector`, keys Calico prefixes `pcns.`). */
  readonly namespace: string[];
  /** Labels of the endpoint's service account (`serviceAccountSelector`, `serviceAccounts`, prefixed `pcsa.`). */
  readonly serviceAccount: string[];
  /**
   * Labels Calico derives from names: `projectcalico.org/namespace`,
   * `projectcalico.org/orchestrator` and `projectcalico.org/serviceaccount`.
   */
  readonly calico: string[];
}

/** A selector as the model evaluates it, with what it reads and where it can match. */
export interface SelectorInfo {
  /** The selector on Calico endpoint labels (namespace and service-account parts included), printed. */
  readonly selector: string;
  /** The label keys it reads. */
  readonly labelKeys: SelectorLabelKeys;
  /**
   * The namespaces whose endpoints it can match, sorted: those of the model, and those it names
   * (`projectcalico.org/name == 'x'`), kept when their labels do not rule them out. Labels of
   * pods and service accounts are taken as unknown, so this is an over-approximation.
   */
  readonly namespaces: string[];
  /** Whether it can also match endpoints of a namespace that is neither in the model nor named by it. */
  readonly otherNamespaces: boolean;
}

/** One rule of a policy. */
export interface PolicyRuleInfo {
  /** Its index in the policy's `ingress` or `egress` list. */
  readonly index: number;
  /** `Allow`, `Deny`, `Pass` or `Log`. */
  readonly action: string;
  /**
   * The selectors of its source side, one per alternative that selects by label (a Kubernetes
   * rule has one alternative per peer); empty when the source is not chosen by labels.
   */
  readonly source: SelectorInfo[];
  /** The selectors of its destination side, as `source`. */
  readonly destination: SelectorInfo[];
}

/** A policy the model read. */
export interface PolicyInfo {
  /** The kind of the object, e.g. `GlobalNetworkPolicy`, `NetworkPolicy`, `StagedNetworkPolicy`. */
  readonly kind: string;
  /** The apiVersion of the object (tells Calico and Kubernetes NetworkPolicies apart). */
  readonly apiVersion: string;
  /** Its namespace (not set for global policies). */
  readonly namespace?: string;
  /** Its name. */
  readonly name: string;
  /** How explanations name it, e.g. `GlobalNetworkPolicy security.allow-dns`. */
  readonly label: string;
  /** Its tier (Kubernetes NetworkPolicies: `default`). */
  readonly tier: string;
  /**
   * Its order within the tier.
   *
   * @default - none: evaluated after every policy of the tier that has one
   */
  readonly order?: number;
  /**
   * For a staged policy, what it does when staged policies are included: `Set` or `Delete`.
   *
   * @default - an enforced policy
   */
  readonly staged?: string;
  /**
   * `doNotTrack` or `preDNAT` for a global policy that applies to host endpoints only.
   *
   * @default - applies to workload endpoints
   */
  readonly hostOnly?: string;
  /** Whether it applies to ingress traffic. */
  readonly ingressApplies: boolean;
  /** Whether it applies to egress traffic. */
  readonly egressApplies: boolean;
  /** The endpoints it applies to. */
  readonly selector: SelectorInfo;
  /** Its ingress rules, in order. */
  readonly ingress: PolicyRuleInfo[];
  /** Its egress rules, in order. */
  readonly egress: PolicyRuleInfo[];
}

/** The tiers as records expose them, in evaluation order. */
export function tierInfos(tiers: ReadonlyMap<string, TierRecord>): TierInfo[] {
  // Calico: felix/calc/policy_sorter.go TierLess (order, then name)
  return [...tiers.values()]
    .sort((a, b) => a.order - b.order || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((t) => ({ name: t.name, order: t.order, defaultAction: t.defaultAction, source: t.source }));
}

/** Builds the policy views of a model, reusing one description per selector. */
export class PolicyInfoBuilder {
  private readonly cache = new Map<string, SelectorInfo>();

  constructor(private readonly inventory: Inventory) {}

  /** The view of one policy. */
  public policy(p: PolicyRecord): PolicyInfo {
    const rules = (list: PolicyRecord['ingress']): PolicyRuleInfo[] => list.map((rule) => ({
      index: rule.index,
      action: rule.action,
      source: this.sides(rule.variants, (v) => v.source.peer),
      destination: this.sides(rule.variants, (v) => v.destination.peer),
    }));
    return deepFreeze({
      kind: p.ref.kind,
      apiVersion: p.ref.apiVersion,
      ...(p.namespace === undefined ? {} : { namespace: p.namespace }),
      name: p.name,
      label: p.label,
      tier: p.tier,
      ...(Number.isFinite(p.order) ? { order: p.order } : {}),
      ...(p.staged === undefined ? {} : { staged: p.staged }),
      ...(p.hostOnly === undefined ? {} : { hostOnly: p.hostOnly }),
      ingressApplies: p.ingressApplies,
      egressApplies: p.egressApplies,
      selector: this.selector(p.selector),
      ingress: rules(p.ingress),
      egress: rules(p.egress),
    });
  }

  private sides(variants: readonly RuleVariant[], peerOf: (v: RuleVariant) => PeerMatcher | undefined): SelectorInfo[] {
    const result: SelectorInfo[] = [];
    for (const v of variants) {
      const peer = peerOf(v);
      const node = peer === undefined ? undefined : peerSelector(peer);
      if (node !== undefined) {
        const info = this.selector(node);
        if (!result.includes(info)) {
          result.push(info);
        }
      }
    }
    return result;
  }

  private selector(node: SelectorNode): SelectorInfo {
    const text = nodeToString(node);
    let info = this.cache.get(text);
    if (info === undefined) {
      const { namespaces, otherNamespaces } = matchableNamespaces(node, this.inventory);
      info = deepFreeze({ selector: text, labelKeys: labelKeysOf(node), namespaces, otherNamespaces });
      this.cache.set(text, info);
    }
    return info;
  }
}

/** Freezes an object and everything it holds, so that callers cannot change the model's views. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) {
      deepFreeze(v);
    }
  }
  return value;
}

/** A peer's label selection: its selector and not its notSelector; none when it selects by address only. */
function peerSelector(peer: PeerMatcher): SelectorNode | undefined {
  if (peer.notSelector === undefined) {
    return peer.selector;
  }
  const not = notNode(peer.notSelector);
  return peer.selector === undefined ? not : andNode([peer.selector, not]);
}

const CALICO_KEYS: readonly string[] = [LABEL_NAMESPACE, LABEL_ORCHESTRATOR, LABEL_SERVICE_ACCOUNT];

function keyOf(leaf: SelectorNode): string | undefined {
  return 'key' in leaf ? leaf.key : undefined;
}

/** The label keys of a selector, by source. */
export function labelKeysOf(node: SelectorNode): SelectorLabelKeys {
  const pod = new Set<string>();
  const namespace = new Set<string>();
  const serviceAccount = new Set<string>();
  const calico = new Set<string>();
  someNode(node, (n) => {
    const key = keyOf(n);
    if (key === undefined) {
      return false;
    }
    if (key.startsWith(NAMESPACE_LABEL_PREFIX)) {
      namespace.add(key.slice(NAMESPACE_LABEL_PREFIX.length));
    } else if (key.startsWith(SERVICE_ACCOUNT_LABEL_PREFIX)) {
      serviceAccount.add(key.slice(SERVICE_ACCOUNT_LABEL_PREFIX.length));
    } else if (CALICO_KEYS.includes(key)) {
      calico.add(key);
    } else {
      pod.add(key);
    }
    return false;
  });
  const sorted = (s: Set<string>): string[] => [...s].sort();
  return { pod: sorted(pod), namespace: sorted(namespace), serviceAccount: sorted(serviceAccount), calico: sorted(calico) };
}

/** The keys through which a selector reads a namespace's name. */
const NAME_KEYS: readonly string[] = [
  LABEL_NAMESPACE,
  `${NAMESPACE_LABEL_PREFIX}${LABEL_NAME}`,
  `${NAMESPACE_LABEL_PREFIX}${LABEL_K8S_NAMESPACE_NAME}`,
];

/** Kleene's three truth values. */
const FALSE = 0;
const UNKNOWN = 1;
const TRUE = 2;
type Truth = typeof FALSE | typeof UNKNOWN | typeof TRUE;

/**
 * A selector's value in three-valued logic, leaves given by `leaf`: `&&` is false when an
 * operand is, `||` true when an operand is, otherwise unknown unless all operands agree.
 * Evaluates trees of any depth without recursion.
 */
function evaluate3(root: SelectorNode, leaf: (node: LeafNode) => Truth): Truth {
  interface Frame { readonly node: NotNode | AndNode | OrNode; readonly values: Truth[] }
  const frames: Frame[] = [];
  let node = root;
  for (;;) {
    while (node.kind === 'not' || node.kind === 'and' || node.kind === 'or') {
      frames.push({ node, values: [] });
      node = node.kind === 'not' ? node.operand : node.operands[0];
    }
    let value = leaf(node);
    for (;;) {
      const frame = frames[frames.length - 1];
      if (frame === undefined) {
        return value;
      }
      const parent = frame.node;
      frame.values.push(value);
      if (parent.kind !== 'not' && frame.values.length < parent.operands.length) {
        node = parent.operands[frame.values.length];
        break;
      }
      frames.pop();
      if (parent.kind === 'not') {
        value = (TRUE - frame.values[0]) as Truth;
      } else {
        const and = parent.kind === 'and';
        value = frame.values.reduce((acc: Truth, v) => (and ? (v < acc ? v : acc) : (v > acc ? v : acc)), and ? TRUE : FALSE);
      }
    }
  }
}

/** The namespace names a selector compares a name key with (`==`, `in`). */
function namedNamespaces(node: SelectorNode): Set<string> {
  const names = new Set<string>();
  someNode(node, (n) => {
    if (n.kind === 'eq' && NAME_KEYS.includes(n.key)) {
      names.add(n.value);
    } else if (n.kind === 'in' && NAME_KEYS.includes(n.key)) {
      n.values.forEach((v) => names.add(v));
    }
    return false;
  });
  return names;
}

/**
 * The namespaces whose endpoints a selector can match: leaves on the namespace's name and labels
 * are decided (labels of namespaces not in the model, and of a namespace named nowhere, are
 * unknown), every other leaf is unknown; a namespace is kept unless the selector is then false.
 */
function matchableNamespaces(node: SelectorNode, inventory: Inventory): { namespaces: string[]; otherNamespaces: boolean } {
  const candidates = new Set<string>([...inventory.namespaces.keys(), ...namedNamespaces(node)]);
  const namespaces = [...candidates].sort().filter((name) => {
    const known = inventory.namespaces.has(name);
    const labels: { [key: string]: string } = { [LABEL_NAMESPACE]: name };
    for (const [k, v] of Object.entries(inventory.namespaceLabels(name))) {
      labels[`${NAMESPACE_LABEL_PREFIX}${k}`] = v;
    }
    return evaluate3(node, (leaf) => {
      const key = keyOf(leaf);
      if (leaf.kind === 'all') {
        return TRUE;
      }
      if (leaf.kind === 'global') {
        // A namespace's endpoints carry projectcalico.org/namespace: global() never matches them.
        return FALSE;
      }
      if (key === undefined || !(NAME_KEYS.includes(key) || (known && key.startsWith(NAMESPACE_LABEL_PREFIX)))) {
        return UNKNOWN;
      }
      return evaluate(leaf, labels) ? TRUE : FALSE;
    }) !== FALSE;
  });
  // A namespace named nowhere: its name equals none of the selector's names; its labels are unknown.
  const otherNamespaces = evaluate3(node, (leaf) => {
    const key = keyOf(leaf);
    switch (leaf.kind) {
      case 'all':
        return TRUE;
      case 'global':
        return FALSE;
      case 'has':
      case 'ne':
      case 'notIn':
        return key !== undefined && NAME_KEYS.includes(key) ? TRUE : UNKNOWN;
      case 'eq':
      case 'in':
        return key !== undefined && NAME_KEYS.includes(key) ? FALSE : UNKNOWN;
      default:
        return UNKNOWN;
    }
  }) !== FALSE;
  return { namespaces, otherNamespaces };
}
