/**
 * The kinds the RBAC model reads, with their API group, served versions and scope taken from
 * the resource catalogue.
 */
import { CatalogueResource, CORE_GROUP, findKind, RBAC_GROUP } from '../../core/resource-catalogue';

/** A kind the RBAC model reads. */
export interface RbacModelKind {
  readonly kind: string;
  readonly group: string;
  /** The served versions (`v1`), as `apiVersion` values (`rbac.authorization.k8s.io/v1`). */
  readonly apiVersions: readonly string[];
  readonly namespaced: boolean;
}

/** Role, ClusterRole, RoleBinding, ClusterRoleBinding, ServiceAccount and Namespace. */
export const RBAC_MODEL_KINDS: ReadonlyMap<string, RbacModelKind> = new Map([
  ...['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].map((kind) => modelKind(RBAC_GROUP, kind)),
  ...['ServiceAccount', 'Namespace'].map((kind) => modelKind(CORE_GROUP, kind)),
].map((entry) => [entry.kind, entry]));

function modelKind(group: string, kind: string): RbacModelKind {
  const entry = findKind(group, kind) as CatalogueResource;
  const apiVersions = entry.versions.map((version) => (group === CORE_GROUP ? version : `${group}/${version}`));
  return { kind, group, apiVersions, namespaced: entry.namespaced };
}
