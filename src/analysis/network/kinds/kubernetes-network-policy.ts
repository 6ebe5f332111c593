/**
 * Kubernetes `NetworkPolicy` (networking.k8s.io/v1), converted as Calico converts it: a policy
 * in the default tier at order 1000, keyed by its plain name.
 *
 * Internal module of the network model.
 */
import { deletionRecord, namespacedRef, policyLabel, readPolicyTypes, readStagedAction } from './common';
import { DEFAULT_TIER, K8S_NETWORK_POLICY_ORDER, LABEL_NAMESPACE } from '../../../core';
import { andNode, valueNode } from '../../../selector/ast';
import { namespaceOf, requireName } from '../../network-endpoints';
import { optArray, optObject } from '../../network-objects';
import { compileK8sRule, describeK8sSelector, k8sPodSelector } from '../../network-rules';
import { KindRead, ObjectType, PolicySink } from '../kind';
import { policyKey, policySortKey } from '../records';

const FAMILY = 'KubernetesNetworkPolicy';

/**
 * Reads a Kubernetes NetworkPolicy, or (staged) a StagedKubernetesNetworkPolicy, which has the
 * same spec plus `stagedAction`.
 */
// Calico: libcalico-go/lib/backend/k8s/conversion/conversion.go K8sNetworkPolicyToCalico
export function readKubernetesPolicy(obj: any, type: ObjectType, sink: PolicySink, staged: boolean): void {
  const ref = namespacedRef(obj, type);
  const name = requireName(obj, ref);
  const namespace = namespaceOf(obj, ref);
  const spec = optObject(obj, 'spec', ref, 'spec') ?? {};
  const stagedAction = staged ? readStagedAction(spec, ref) : undefined;
  if (staged && stagedAction === undefined) {
    return;
  }
  const label = policyLabel(staged ? type.kind : 'Kubernetes NetworkPolicy', namespace, name);
  if (stagedAction === 'Delete') {
    sink.addPolicy(deletionRecord(FAMILY, ref, label, namespace, name, DEFAULT_TIER), true);
    return;
  }
  const podSelector = k8sPodSelector(spec.podSelector, ref, 'spec.podSelector');
  const ingressRaw = optArray(spec, 'ingress', ref, 'spec.ingress') ?? [];
  const egressRaw = optArray(spec, 'egress', ref, 'spec.egress') ?? [];
  const ingress = ingressRaw.map((r, i) => compileK8sRule(r, i, 'ingress', ref, `spec.ingress[${i}]`, namespace, sink.compiler));
  const egress = egressRaw.map((r, i) => compileK8sRule(r, i, 'egress', ref, `spec.egress[${i}]`, namespace, sink.compiler));
  // Kubernetes' default for a missing policyTypes: Ingress, plus Egress when there are egress rules.
  const types = readPolicyTypes(spec, ref, 'policyTypes') ?? { ingress: true, egress: egress.length > 0 };
  sink.addPolicy(
    {
      family: FAMILY,
      ref,
      label,
      namespace,
      name,
      // The plain name: v3.32 keys Kubernetes policies by kind, not by a `knp.default.` name prefix.
      // Calico: libcalico-go/lib/backend/syncersv1/updateprocessors/networkpolicyprocessor.go npKeyConverter
      sortKey: policySortKey(FAMILY, namespace, name),
      tier: DEFAULT_TIER,
      order: K8S_NETWORK_POLICY_ORDER,
      // Calico: libcalico-go/lib/backend/syncersv1/updateprocessors/networkpolicyprocessor.go ConvertNetworkPolicyV3ToV1Value
      selector: andNode([valueNode('eq', LABEL_NAMESPACE, namespace), podSelector]),
      selectorText: `podSelector ${describeK8sSelector(spec.podSelector)}`,
      ingressApplies: types.ingress,
      egressApplies: types.egress,
      ingress,
      egress,
      staged: stagedAction,
      key: policyKey(FAMILY, namespace, name),
    },
    staged,
  );
}

/** Reads a Kubernetes `NetworkPolicy`. */
export const readKubernetesNetworkPolicy: KindRead = (obj, type, sink) => readKubernetesPolicy(obj, type, sink, false);
