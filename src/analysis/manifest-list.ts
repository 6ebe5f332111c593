/**
 * Walking a set of manifests the way both offline models read them: `null`/absent entries are
 * skipped, lists (`kind: List`, `ClusterRoleList`, `PodList`, … — any kind ending in `List`)
 * are unpacked item by item, in order, and everything else is handed to the model.
 */

/** How deeply lists may be nested in lists; deeper nesting is rejected with a clear error. */
export const MAX_LIST_DEPTH = 32;

/**
 * Calls `visit` with every object of `objects`, lists unpacked depth-first in order, and the
 * object's position (`objects[3]`, `objects[3].items[0]`, with `root` as the first part).
 *
 * - a `null` or absent entry (top level or in `items`) is skipped;
 * - any other entry that is not an object is an error naming its position;
 * - a list's `items` must be an array (`null` or absent: an empty list);
 * - the items of a typed list (`RoleBindingList` of `rbac.authorization.k8s.io/v1`), as the
 *   API server returns them, may omit `apiVersion` and `kind`: they get the list's
 *   `apiVersion` and the kind without `List`;
 * - lists nested more than `MAX_LIST_DEPTH` deep are an error naming the position and the limit.
 */
export function forEachManifest(objects: readonly any[], root: string, visit: (object: any, position: string) => void): void {
  objects.forEach((object, index) => walk(object, `${root}[${index}]`, 0, visit));
}

function walk(object: any, position: string, depth: number, visit: (object: any, position: string) => void): void {
  if (object === null || object === undefined) return;
  if (typeof object !== 'object' || Array.isArray(object)) {
    throw new Error(`${position}: expected a Kubernetes object, got ${describe(object)}`);
  }
  if (!isList(object)) {
    visit(object, position);
    return;
  }
  if (depth >= MAX_LIST_DEPTH) {
    throw new Error(`${position} (${object.kind}): lists are nested more than ${MAX_LIST_DEPTH} deep; `
      + `at most ${MAX_LIST_DEPTH} levels of List in List are read, flatten the manifests`);
  }
  const items = object.items ?? [];
  if (!Array.isArray(items)) {
    throw new Error(`${position} (${object.kind}): items must be an array of Kubernetes objects, got ${describe(items)}`);
  }
  const itemKind = object.kind === 'List' ? undefined : object.kind.slice(0, -'List'.length);
  items.forEach((item: any, index: number) => {
    const itemPosition = `${position}.items[${index}]`;
    walk(itemKind === undefined ? item : typedItem(item, object.apiVersion, itemKind), itemPosition, depth + 1, visit);
  });
}

function isList(object: any): boolean {
  return typeof object.kind === 'string' && object.kind.endsWith('List');
}

/** The item of a typed list with the list's apiVersion and item kind filled in where absent. */
function typedItem(item: any, apiVersion: any, kind: string): any {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  if (item.kind !== undefined && item.apiVersion !== undefined) return item;
  return { ...item, apiVersion: item.apiVersion ?? apiVersion, kind: item.kind ?? kind };
}

function describe(value: any): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value}"`;
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}
