/**
 * The API group of a resource named without one (`networkpolicies`, `pods`), as kubectl resolves
 * it against a cluster's discovery: built-in groups first, so `networkpolicies` is
 * `networking.k8s.io`, not Calico's `projectcalico.org`. Offline there is no discovery, so the
 * resource catalogue stands in for it; any other name must carry its group.
 */
import { CORE_GROUP, resolveBareResource } from '../core/resource-catalogue';

/** The API group kubectl would pick for a resource named without a group, or undefined if unknown. */
export function groupOfBareResource(resource: string): string | undefined {
  // `*` (every resource) is asked of the core group, as `kubectl auth can-i <verb> '*'` does.
  if (resource === '*') return CORE_GROUP;
  return resolveBareResource(resource)?.group;
}
