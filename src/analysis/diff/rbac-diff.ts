/**
 * Which permissions a change of manifests gives and takes, per subject (User, Group,
 * ServiceAccount), decided with the RBAC model's own semantics (Kubernetes RBAC and Calico tier
 * authorization).
 */
import { Permission, RbacModel, Subject } from '..';
import { broadestPermissions, permissionKey } from '../rbac/permissions';

/** A permission a subject gains or loses. */
export interface PermissionChange {
  /** `gained` (denied before, allowed after) or `lost`. */
  readonly change: 'gained' | 'lost';
  /** The subject. */
  readonly subject: Subject;
  /** The permission, with the grants of the side where it is allowed. */
  readonly permission: Permission;
}

/** Options of {@link diffPermissions}. */
export interface PermissionDiffOptions {
  /** Called with the number of subjects compared so far and the total, for progress displays. */
  readonly progress?: (done: number, total: number) => void;
}

/**
 * Compares the effective permissions of every subject of either model (see
 * `RbacModel.permissionsOf()`): each question either model's rules raise is decided on both
 * sides. Permissions implied by a broader one that changed the same way are left out (gaining
 * `*` on pods hides gaining `get` on pods). Sorted by subject, then gained before lost, then
 * permission.
 */
export function diffPermissions(before: RbacModel, after: RbacModel, options: PermissionDiffOptions = {}): PermissionChange[] {
  const subjects = new Map<string, Subject>();
  for (const s of [...before.subjects(), ...after.subjects()]) subjects.set(subjectId(s), s);
  const ordered = [...subjects.entries()].sort(([a], [b]) => a.localeCompare(b));
  const changes: PermissionChange[] = [];
  ordered.forEach(([, subject], i) => {
    const wasOwn = before.permissionsOf(subject);
    const is = after.permissionsOf(subject, wasOwn);
    const was = before.permissionsOf(subject, is);
    const isKeys = new Set(is.map(permissionKey));
    const wasKeys = new Set(was.map(permissionKey));
    const gained = broadestPermissions(is.filter((p) => !wasKeys.has(permissionKey(p))));
    const lost = broadestPermissions(was.filter((p) => !isKeys.has(permissionKey(p))));
    for (const permission of gained) changes.push({ change: 'gained', subject, permission });
    for (const permission of lost) changes.push({ change: 'lost', subject, permission });
    options.progress?.(i + 1, ordered.length);
  });
  return changes;
}

/** How reports name a subject: `User:<name>`, `Group:<name>`, `ServiceAccount:<namespace>/<name>`. */
export function subjectId(subject: Subject): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount:${subject.namespace}/${subject.name}` : `${subject.kind}:${subject.name}`;
}
