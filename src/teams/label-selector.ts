/**
 * Turns a Calico `Selector` into a Kubernetes label selector (match labels and expressions) for
 * cdk8s-plus, when Kubernetes can express it.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */
import * as kplus from 'cdk8s-plus-27';
import { fail } from '../policy/validation';
import { Selector } from '../selector';
import { SelectorNode } from '../selector/ast';

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
        return unsupported(owner, field, selector);
      default:
        return unsupported(owner, field, selector);
    }
  }
  return { labels, expressions };
}

function unsupported(owner: string, field: string, selector: Selector): never {
  return fail(
    owner,
    field,
    `the selector "${selector.toString()}" cannot be written as a Kubernetes label selector (only && of ==, !=, in, not in, has() and !has() can); ` +
      'simplify it, or use Calico policies (policyKind: TeamPolicyKind.CALICO)',
  );
}
