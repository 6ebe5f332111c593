/**
 * API group names and the groups of a `CalicoApiGroups` choice.
 *
 * This module is internal: it is not re-exported by the `rbac` barrel.
 */
import { CalicoApiGroups } from './api-groups';
import { CALICO_CRD_GROUP, CALICO_GROUP, NETWORKING_GROUP } from '../core/resource-catalogue';
import { fail } from '../policy/validation';

/** The API group of the Calico v3 API (the Calico API server, or Calico's native v3 CRDs). Used by `kubectl`. */
export const PROJECTCALICO_ORG = CALICO_GROUP;

/** The API group of Calico's v1 CRDs, which `calicoctl` reads and writes in Kubernetes-datastore mode. */
export const CRD_PROJECTCALICO_ORG = CALICO_CRD_GROUP;

/** The API group of Kubernetes NetworkPolicies. */
export const NETWORKING_K8S_IO = NETWORKING_GROUP;

/**
 * The API group names of `groups`, `projectcalico.org` first. Throws for a value that is not a
 * `CalicoApiGroups` member.
 */
export function apiGroupNames(owner: string, field: string, groups: CalicoApiGroups): string[] {
  switch (groups) {
    case CalicoApiGroups.BOTH:
      return [PROJECTCALICO_ORG, CRD_PROJECTCALICO_ORG];
    case CalicoApiGroups.PROJECTCALICO_ORG:
      return [PROJECTCALICO_ORG];
    case CalicoApiGroups.CRD_PROJECTCALICO_ORG:
      return [CRD_PROJECTCALICO_ORG];
    default:
      return fail(
        owner,
        field,
        `${JSON.stringify(groups)} is not a Calico API group choice; use CalicoApiGroups.BOTH, CalicoApiGroups.PROJECTCALICO_ORG or CalicoApiGroups.CRD_PROJECTCALICO_ORG`,
      );
  }
}
