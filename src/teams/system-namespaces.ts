/**
 * Namespaces that Kubernetes and Calico run their own components in.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */

/** The system namespaces the baseline policies leave alone by default. */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'calico-system', 'calico-apiserver', 'tigera-operator'];

/** Namespaces a development team may never own: the system namespaces and Kubernetes' own. */
export const PROTECTED_NAMESPACES: readonly string[] = [...SYSTEM_NAMESPACES, 'kube-public', 'kube-node-lease'];
