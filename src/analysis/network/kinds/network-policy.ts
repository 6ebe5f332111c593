/**
 * Calico `NetworkPolicy` (projectcalico.org/v3, crd.projectcalico.org/v1): a namespaced policy.
 *
 * Internal module of the network model.
 */
import { CalicoPolicyShape, ownSelector, readCalicoPolicy, serviceAccountSelector } from './calico-policy';
import { fail, LABEL_NAMESPACE } from '../../../core';
import { andNode, nodeToString, SelectorNode, valueNode } from '../../../selector/ast';
import { serviceAccountSelectorOnEndpoints } from '../../network-labels';
import { KindRead } from '../kind';

/**
 * A NetworkPolicy applies to the endpoints of its namespace that its selector matches (and,
 * with a `serviceAccountSelector`, whose service account matches it; unlike for global policies,
 * Calico does not turn its `all()` into "has a service account").
 */
// Calico: libcalico-go/lib/backend/syncersv1/updateprocessors/networkpolicyprocessor.go ConvertNetworkPolicyV3ToV1Value
export const NETWORK_POLICY_SHAPE: CalicoPolicyShape = {
  family: 'NetworkPolicy',
  namespaced: true,
  appliesTo(spec, ref, namespace) {
    if (spec.namespaceSelector !== undefined && spec.namespaceSelector !== null) {
      fail(ref, 'spec.namespaceSelector', 'only GlobalNetworkPolicy has a namespaceSelector; a NetworkPolicy applies in its own namespace');
    }
    const own = ownSelector(spec, ref);
    const parts: SelectorNode[] = [own.selector, valueNode('eq', LABEL_NAMESPACE, namespace!)];
    let description = own.description;
    const sa = serviceAccountSelector(spec, ref);
    if (sa !== undefined) {
      if (sa.kind !== 'all') {
        parts.push(serviceAccountSelectorOnEndpoints(sa, undefined, false)!);
      }
      description += ` with service accounts ${nodeToString(sa)}`;
    }
    return { selector: andNode(parts.filter((p) => p.kind !== 'all')), description };
  },
  hostOnly() {
    return undefined;
  },
};

/** Reads a `NetworkPolicy`. */
export const readNetworkPolicy: KindRead = (obj, type, sink) => readCalicoPolicy(obj, type, sink, NETWORK_POLICY_SHAPE, false);
