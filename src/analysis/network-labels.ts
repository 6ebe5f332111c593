/**
 * Labels as Calico sees them, and the selector rewrites Calico applies before matching.
 *
 * Calico matches every selector against one label map per endpoint: the pod's labels, the
 * `projectcalico.org/*` labels it adds, the namespace's labels prefixed `pcns.` and the service
 * account's labels prefixed `pcsa.`. Namespace and service-account selectors are rewritten onto
 * those prefixed keys (libcalico-go does the same when it hands policies to Felix). This module
 * builds those maps and rewrites.
 *
 * Internal module of the network model.
 */
import { fail, isObject, ObjectRef, optArray, optStringMap, show } from './network-objects';
import {
  LABEL_NAMESPACE,
  LABEL_ORCHESTRATOR,
  LABEL_SERVICE_ACCOUNT,
  NAMESPACE_LABEL_PREFIX,
  ORCHESTRATOR_K8S,
  SERVICE_ACCOUNT_LABEL_PREFIX,
  serviceAccountLabelValue,
} from '../core/calico';
import { Selector } from '../selector';
import { allNode, andNode, hasNode, Labels, mapLeaves, notNode, orNode, SelectorNode, setNode, valueNode } from '../selector/ast';

export { LABEL_K8S_NAMESPACE_NAME, LABEL_NAME, LABEL_NAMESPACE, LABEL_ORCHESTRATOR, LABEL_SERVICE_ACCOUNT } from '../core/calico';

/** Prefix of namespace labels in an endpoint's label map. */
export const NAMESPACE_PREFIX = NAMESPACE_LABEL_PREFIX;
/** Prefix of service-account labels in an endpoint's label map. */
export const SERVICE_ACCOUNT_PREFIX = SERVICE_ACCOUNT_LABEL_PREFIX;

/**
 * The `projectcalico.org/*` labels Calico puts on a pod's workload endpoint: its namespace, the
 * orchestrator and, when the name is short enough, its service account.
 */
// Calico: libcalico-go/lib/backend/k8s/conversion/workload_endpoint_default.go podToDefaultWorkloadEndpoint
export function workloadEndpointLabels(namespace: string, serviceAccount: string): Labels {
  const labels: { [key: string]: string } = { [LABEL_NAMESPACE]: namespace, [LABEL_ORCHESTRATOR]: ORCHESTRATOR_K8S };
  const sa = serviceAccountLabelValue(serviceAccount);
  if (sa !== undefined) {
    labels[LABEL_SERVICE_ACCOUNT] = sa;
  }
  return labels;
}

/**
 * A pod's own labels as Felix sees them on its workload endpoint: without keys prefixed `pcns.`
 * or `pcsa.`, which Calico drops so that a pod cannot pretend to be in another namespace or to
 * run as another service account (its own labels would otherwise win over the inherited ones).
 */
// Calico: libcalico-go/lib/backend/syncersv1/updateprocessors/workloadendpointprocessor.go convertWorkloadEndpointV2ToV1Value (label filter)
export function workloadEndpointOwnLabels(podLabels: Labels): Labels {
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(podLabels)) {
    if (!k.startsWith(NAMESPACE_PREFIX) && !k.startsWith(SERVICE_ACCOUNT_PREFIX)) {
      out[k] = v;
    }
  }
  return out;
}

/**
 * The label map Calico matches for a namespaced identity (pod or network set).
 *
 * @param own the object's own labels
 * @param calico the `projectcalico.org/*` labels Calico adds (they win over own labels)
 * @param namespaceLabels the namespace's labels, including `projectcalico.org/name`
 * @param serviceAccountLabels the service account's labels, including `projectcalico.org/name`
 */
export function calicoLabelMap(
  own: Labels,
  calico: Labels,
  namespaceLabels: Labels | undefined,
  serviceAccountLabels: Labels | undefined,
): Labels {
  const out: { [key: string]: string } = {};
  if (namespaceLabels) {
    for (const [k, v] of Object.entries(namespaceLabels)) {
      out[NAMESPACE_PREFIX + k] = v;
    }
  }
  if (serviceAccountLabels) {
    for (const [k, v] of Object.entries(serviceAccountLabels)) {
      out[SERVICE_ACCOUNT_PREFIX + k] = v;
    }
  }
  Object.assign(out, own, calico);
  return out;
}

/** Rewrites every label key of a selector with a prefix (Calico's PrefixVisitor). */
export function prefixKeys(node: SelectorNode, prefix: string): SelectorNode {
  return mapLeaves(node, (leaf) => {
    switch (leaf.kind) {
      case 'all':
      case 'global':
        return leaf;
      case 'has':
        return hasNode(prefix + leaf.key);
      case 'in':
      case 'notIn':
        return setNode(leaf.kind, prefix + leaf.key, leaf.values);
      default:
        return valueNode(leaf.kind, prefix + leaf.key, leaf.value);
    }
  });
}

/** Replaces `all()` by another node everywhere in a selector. */
export function replaceAll(node: SelectorNode, replacement: SelectorNode): SelectorNode {
  return mapLeaves(node, (leaf) => (leaf.kind === 'all' ? replacement : leaf));
}

/**
 * A selector as Felix evaluates it where Calico leaves `global()` in place (rule `selector`,
 * `notSelector`, `serviceAccounts.selector`): Felix's `global()` node matches every endpoint, so
 * it is replaced by `all()`. Only a rule's `namespaceSelector` gives `global()` its meaning
 * ("not namespaced"), by a rewrite before Felix sees it.
 */
// Calico: libcalico-go/lib/selector/parser/ast.go GlobalNode.Evaluate (returns true)
export function globalAsFelixEvaluates(node: SelectorNode): SelectorNode {
  switch (node.kind) {
    case 'global':
      return allNode();
    case 'not':
      return notNode(globalAsFelixEvaluates(node.operand));
    case 'and':
      return andNode(node.operands.map(globalAsFelixEvaluates));
    case 'or':
      return orNode(node.operands.map(globalAsFelixEvaluates));
    default:
      return node;
  }
}

/**
 * A namespace selector rewritten onto endpoint labels: keys prefixed `pcns.`, `all()` meaning
 * "any namespaced endpoint" and `global()` meaning "any non-namespaced endpoint".
 */
export function namespaceSelectorOnEndpoints(node: SelectorNode): SelectorNode {
  return replaceAll(prefixKeys(node, NAMESPACE_PREFIX), hasNode(LABEL_NAMESPACE));
}

/**
 * A service-account selector (and/or list of names) rewritten onto endpoint labels.
 *
 * @param selector the selector on service-account labels, if any
 * @param names service-account names, if any (ANDed with the selector)
 * @param allMeansHasAccount replace `all()` by `has(projectcalico.org/serviceaccount)` (what
 *   Calico does for a policy's own `serviceAccountSelector`)
 */
export function serviceAccountSelectorOnEndpoints(
  selector: SelectorNode | undefined,
  names: readonly string[] | undefined,
  allMeansHasAccount: boolean,
): SelectorNode | undefined {
  const parts: SelectorNode[] = [];
  if (selector !== undefined) {
    let prefixed = prefixKeys(selector, SERVICE_ACCOUNT_PREFIX);
    if (allMeansHasAccount) {
      prefixed = replaceAll(prefixed, hasNode(LABEL_SERVICE_ACCOUNT));
    }
    parts.push(prefixed);
  }
  if (names !== undefined && names.length > 0) {
    parts.push(setNode('in', LABEL_SERVICE_ACCOUNT, names));
  }
  return parts.length === 0 ? undefined : andNode(parts);
}


/** Parses a Calico selector field, naming the object and field when it is invalid. */
export function parseSelectorField(text: any, ref: ObjectRef, field: string): Selector {
  if (typeof text !== 'string') {
    fail(ref, field, `expected a Calico selector string such as 'app == "web"', got ${show(text)}`);
  }
  try {
    return Selector.parse(text);
  } catch (e: any) {
    fail(ref, field, `${e.message}`);
  }
}


const K8S_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * A Kubernetes `LabelSelector` (`matchLabels` + `matchExpressions`) as a Calico selector node.
 * An empty selector is `all()`.
 */
export function k8sLabelSelector(raw: any, ref: ObjectRef, field: string): SelectorNode {
  if (raw === undefined || raw === null) {
    return allNode();
  }
  if (!isObject(raw)) {
    fail(ref, field, `expected a label selector object with matchLabels and/or matchExpressions, got ${show(raw)}`);
  }
  const parts: SelectorNode[] = [];
  const matchLabels = optStringMap(raw, 'matchLabels', ref, `${field}.matchLabels`) ?? {};
  for (const key of Object.keys(matchLabels).sort()) {
    parts.push(valueNode('eq', key, matchLabels[key]));
  }
  const expressions = optArray(raw, 'matchExpressions', ref, `${field}.matchExpressions`) ?? [];
  expressions.forEach((expr, i) => {
    const f = `${field}.matchExpressions[${i}]`;
    if (!isObject(expr)) {
      fail(ref, f, `expected an object with key, operator and values, got ${show(expr)}`);
    }
    if (typeof expr.key !== 'string' || expr.key === '') {
      fail(ref, `${f}.key`, `expected a label key, got ${show(expr.key)}`);
    }
    const values = expr.values === undefined || expr.values === null ? [] : expr.values;
    if (!Array.isArray(values) || values.some((v: any) => typeof v !== 'string')) {
      fail(ref, `${f}.values`, `expected a list of strings, got ${show(expr.values)}`);
    }
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          fail(ref, `${f}.values`, `operator ${expr.operator} needs at least one value`);
        }
        parts.push(setNode(expr.operator === 'In' ? 'in' : 'notIn', expr.key, values));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          fail(ref, `${f}.values`, `operator ${expr.operator} takes no values, got ${show(values)}`);
        }
        parts.push(expr.operator === 'Exists' ? hasNode(expr.key) : notNode(hasNode(expr.key)));
        break;
      default:
        fail(ref, `${f}.operator`, `${show(expr.operator)} is not a label selector operator; use one of ${K8S_OPERATORS.join(', ')}`);
    }
  });
  return parts.length === 0 ? allNode() : andNode(parts);
}

/** True when a node is `all()`. */
export function isAll(node: SelectorNode): boolean {
  return node.kind === 'all';
}
