/**
 * Selectors that peers and team policies are written with: the Calico namespace selector of
 * namespaces named in a policy, and the Kubernetes form (match labels and expressions, for
 * cdk8s-plus) of a Calico `Selector`, when Kubernetes can express it.
 *
 * A construct helper, shared with the team constructs (which write Kubernetes NetworkPolicies
 * with cdk8s-plus). This module is internal: it is not re-exported by the `policy` barrel.
 */
import * as kplus from 'cdk8s-plus-27';
import { LABEL_NAME } from '../core/calico';
import { fail } from '../core/errors';
import { Selector } from '../selector';
import { SelectorNode } from '../selector/ast';

/**
 * `projectcalico.org/name == "a"`, or `projectcalico.org/name in {"a", "b"}`: the namespaces of
 * these names. A namespace cannot spoof the label: Calico sets it from the namespace's name, after
 * the namespace's own labels.
 */
// Calico: libcalico-go/lib/backend/k8s/conversion/conversion.go NamespaceToProfile (NameLabel set last)
export function namespaceNameSelector(names: readonly string[]): Selector {
  return names.length === 1
    ? Selector.label(LABEL_NAME).eq(names[0])
    : Selector.label(LABEL_NAME).in([...names]);
}

/** A Kubernetes label selector in cdk8s-plus terms. */
export interface KubernetesLabelSelector {
  /** Exact label matches. */
  readonly labels: { [key: string]: string };
  /** Further expressions. */
  readonly expressions: kplus.LabelExpression[];
}

/**
 * The Kubernetes form of `selector`: a conjunction of `==`, `!=`, `in`, `not in`, `has()` and
 * `!has()` terms (or `all()`). Anything else (`||`, other negations, `contains`, `starts with`,
 * `ends with`, `global()`) throws, naming `owner` and `field` and pointing to Calico policies.
 */
export function toKubernetesLabelSelector(owner: string, field: string, selector: Selector): KubernetesLabelSelector {
  const result = kubernetesLabelSelectorOf(selector);
  if (typeof result === 'string') {
    fail(owner, field, result);
  }
  return result;
}

/** The Kubernetes form of `selector`, or why Kubernetes cannot express it. */
export function kubernetesLabelSelectorOf(selector: Selector): KubernetesLabelSelector | string {
  const labels: { [key: string]: string } = {};
  const expressions: kplus.LabelExpression[] = [];
  const terms: SelectorNode[] = selector._node.kind === 'and' ? [...selector._node.operands] : [selector._node];
  for (const term of terms) {
    switch (term.kind) {
      case 'all':
        break;
      case 'eq':
        if (labels[term.key] !== undefined && labels[term.key] !== term.value) {
          expressions.push(kplus.LabelExpression.in(term.key, [term.value]));
        } else {
          labels[term.key] = term.value;
        }
        break;
      case 'ne':
        expressions.push(kplus.LabelExpression.notIn(term.key, [term.value]));
        break;
      case 'in':
        expressions.push(kplus.LabelExpression.in(term.key, [...term.values]));
        break;
      case 'notIn':
        expressions.push(kplus.LabelExpression.notIn(term.key, [...term.values]));
        break;
      case 'has':
        expressions.push(kplus.LabelExpression.exists(term.key));
        break;
      case 'not':
        if (term.operand.kind === 'has') {
          expressions.push(kplus.LabelExpression.doesNotExist(term.operand.key));
          break;
        }
        return unsupported(selector);
      default:
        return unsupported(selector);
    }
  }
  return { labels, expressions };
}

/**
 * The Kubernetes `LabelSelector` object of `selector`: `{}` (everything) when it has no terms,
 * else `matchLabels` and `matchExpressions`, each left out when empty.
 */
export function kubernetesLabelSelectorJson(selector: KubernetesLabelSelector): kplus.k8s.LabelSelector {
  const matchLabels = Object.keys(selector.labels).length > 0 ? { ...selector.labels } : undefined;
  const matchExpressions = selector.expressions.length > 0
    ? selector.expressions.map((e) => ({ key: e.key, operator: e.operator, ...(e.values === undefined ? {} : { values: [...e.values] }) }))
    : undefined;
  return {
    ...(matchExpressions === undefined ? {} : { matchExpressions }),
    ...(matchLabels === undefined ? {} : { matchLabels }),
  };
}

function unsupported(selector: Selector): string {
  return (
    `the selector "${selector.toString()}" cannot be written as a Kubernetes label selector (only && of ==, !=, in, not in, has() and !has() can); ` +
      'simplify it, or use Calico policies (policyKind: TeamPolicyKind.CALICO)'
  );
}
