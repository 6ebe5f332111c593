/**
 * Lists of Calico resources, checked against the resource catalogue (the one home of which
 * Calico resources exist and which are tiered): the public enums are the vocabulary, the
 * catalogue the authority.
 *
 * This module is internal: it is not re-exported by the `rbac` barrel.
 */
import { CalicoResource, TieredPolicyResource } from './calico-resources';
import { CALICO_CRD_GROUP, CALICO_GROUP, findResource, tieredPolicyResources } from '../core/resource-catalogue';

/** Every `CalicoResource`, in declaration order; each is a resource of both Calico API groups. */
export const ALL_CALICO_RESOURCES: readonly CalicoResource[] = Object.values(CalicoResource).map((resource) => {
  const missing = [CALICO_GROUP, CALICO_CRD_GROUP].filter((group) => findResource(group, resource) === undefined);
  if (missing.length > 0) {
    throw new Error(`CalicoResource "${resource}" is not a ${missing.join(' or ')} resource in src/core/resource-catalogue.ts`);
  }
  return resource;
});

/** Every `TieredPolicyResource`, in declaration order: exactly the catalogue's tiered policy resources. */
export const ALL_TIERED_POLICY_RESOURCES: readonly TieredPolicyResource[] = (() => {
  const members: string[] = Object.values(TieredPolicyResource);
  const tiered = tieredPolicyResources().map((entry) => entry.resource);
  const disagreement = [
    ...tiered.filter((resource) => !members.includes(resource)).map((resource) => `${resource} is missing`),
    ...members.filter((resource) => !tiered.includes(resource)).map((resource) => `${resource} is not tiered`),
  ];
  if (disagreement.length > 0) {
    throw new Error(`TieredPolicyResource disagrees with src/core/resource-catalogue.ts: ${disagreement.join(', ')}`);
  }
  return Object.values(TieredPolicyResource);
})();
