/**
 * Namespaces that Kubernetes and Calico run their own components in.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */
import { Selector } from '../selector';

/** The system namespaces the baseline policies leave alone by default. */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'calico-system', 'calico-apiserver', 'tigera-operator'];

/** Namespaces a development team may never own: the system namespaces and Kubernetes' own. */
export const PROTECTED_NAMESPACES: readonly string[] = [...SYSTEM_NAMESPACES, 'kube-public', 'kube-node-lease'];

/** The label Calico gives every namespace: its name. */
export const CALICO_NAMESPACE_NAME_LABEL = 'projectcalico.org/name';

/** `projectcalico.org/name == "a"`, or `projectcalico.org/name in {"a", "b"}`. */
export function namespaceNameSelector(names: string[]): Selector {
  return names.length === 1
    ? Selector.label(CALICO_NAMESPACE_NAME_LABEL).eq(names[0])
    : Selector.label(CALICO_NAMESPACE_NAME_LABEL).in(names);
}
