/**
 * Calico `GlobalNetworkPolicy` (projectcalico.org/v3, crd.projectcalico.org/v1): a
 * cluster-wide policy.
 *
 * Internal module of the network model.
 */
import { CalicoPolicyShape, narrowingSelector, ownSelector, readCalicoPolicy, serviceAccountSelector } from './calico-policy';
import { fail, policySelectorProblem, LABEL_NAMESPACE, LABEL_SERVICE_ACCOUNT, NAMESPACE_LABEL_PREFIX, SERVICE_ACCOUNT_LABEL_PREFIX } from '../../../core';
import { andNode, hasNode, nodeToString, SelectorNode } from '../../../selector/ast';
import { prefixKeys, replaceAll } from '../../network-labels';
import { optBoolean } from '../../network-objects';
import { KindRead } from '../kind';

/**
 * A GlobalNetworkPolicy applies to the endpoints its selector matches, narrowed by the labels of
 * their namespace (`namespaceSelector`, keys prefixed `pcns.`) and service account
 * (`serviceAccountSelector`, keys prefixed `pcsa.`). After appending each, Calico replaces every
 * `all()` of the whole selector by `has(projectcalico.org/namespace)` (resp.
 * `has(projectcalico.org/serviceaccount)`).
 */
// Calico: libcalico-go/lib/backend/syncersv1/updateprocessors/globalnetworkpolicyprocessor.go ConvertGlobalNetworkPolicyV3ToV1Value
export const GLOBAL_NETWORK_POLICY_SHAPE: CalicoPolicyShape = {
  family: 'GlobalNetworkPolicy',
  namespaced: false,
  appliesTo(spec, ref) {
    const own = ownSelector(spec, ref);
    // An empty selector is left out when Calico appends to it (it is not `all()` text).
    let selector: SelectorNode | undefined = spec.selector === undefined || spec.selector === null || spec.selector === '' ? undefined : own.selector;
    let description = own.description;
    const append = (node: SelectorNode, prefix: string, replacement: string): void => {
      const prefixed = prefixKeys(node, prefix);
      selector = replaceAll(selector === undefined ? prefixed : andNode([selector, prefixed]), hasNode(replacement));
    };
    const nsProblem = policySelectorProblem(typeof spec.namespaceSelector === 'string' ? spec.namespaceSelector : undefined);
    if (nsProblem !== undefined) {
      fail(ref, 'spec.namespaceSelector', nsProblem);
    }
    const ns = narrowingSelector(spec, 'namespaceSelector', ref);
    if (ns !== undefined) {
      append(ns, NAMESPACE_LABEL_PREFIX, LABEL_NAMESPACE);
      description += ` in namespaces ${nodeToString(ns)}`;
    }
    const sa = serviceAccountSelector(spec, ref);
    if (sa !== undefined) {
      append(sa, SERVICE_ACCOUNT_LABEL_PREFIX, LABEL_SERVICE_ACCOUNT);
      description += ` with service accounts ${nodeToString(sa)}`;
    }
    return { selector: selector ?? own.selector, description };
  },
  hostOnly(spec, ref) {
    const doNotTrack = optBoolean(spec, 'doNotTrack', ref, 'spec.doNotTrack') === true;
    const preDNAT = optBoolean(spec, 'preDNAT', ref, 'spec.preDNAT') === true;
    if (doNotTrack && preDNAT) {
      fail(ref, 'spec.preDNAT', 'preDNAT and doNotTrack cannot both be true');
    }
    return doNotTrack ? 'doNotTrack' : preDNAT ? 'preDNAT' : undefined;
  },
};

/** Reads a `GlobalNetworkPolicy`. */
export const readGlobalNetworkPolicy: KindRead = (obj, type, sink) => readCalicoPolicy(obj, type, sink, GLOBAL_NETWORK_POLICY_SHAPE, false);
