import { NetworkModel, RbacModel } from '../../src/analysis';
import { forEachManifest, MAX_LIST_DEPTH } from '../../src/analysis/manifest-list';

function visited(objects: any[]): Array<[string, any]> {
  const result: Array<[string, any]> = [];
  forEachManifest(objects, 'objects', (object, position) => result.push([position, object]));
  return result;
}

function nested(depth: number, innermost: any): any {
  let object = innermost;
  for (let i = 0; i < depth; i++) object = { apiVersion: 'v1', kind: 'List', items: [object] };
  return object;
}

const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } };

describe('forEachManifest', () => {
  test('visits objects in order, lists unpacked depth-first, with their positions', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' } };
    expect(visited([ns, { apiVersion: 'v1', kind: 'List', items: [pod, { apiVersion: 'v1', kind: 'PodList', items: [pod] }] }, ns])).toEqual([
      ['objects[0]', ns],
      ['objects[1].items[0]', pod],
      ['objects[1].items[1].items[0]', pod],
      ['objects[2]', ns],
    ]);
  });

  test('skips null and absent entries, at the top and in items', () => {
    expect(visited([null, undefined, { apiVersion: 'v1', kind: 'List', items: [null, ns] }]).map(([position]) => position)).toEqual(['objects[2].items[1]']);
  });

  test('a list with null or absent items is empty', () => {
    expect(visited([{ apiVersion: 'v1', kind: 'List', items: null }, { apiVersion: 'v1', kind: 'PodList' }])).toEqual([]);
  });

  test('items of a typed list get the list\'s apiVersion and item kind when they omit them', () => {
    const [[, item]] = visited([{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleList', items: [{ metadata: { name: 'r' } }] }]);
    expect(item).toEqual({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' } });
    const [[, kept]] = visited([{ apiVersion: 'v1', kind: 'List', items: [{ metadata: { name: 'r' } }] }]);
    expect(kept).toEqual({ metadata: { name: 'r' } });
  });

  test.each([
    [[42], 'objects[0]: expected a Kubernetes object, got 42'],
    [['kind: Pod'], 'objects[0]: expected a Kubernetes object, got "kind: Pod"'],
    [[[ns]], 'objects[0]: expected a Kubernetes object, got an array'],
    [[{ apiVersion: 'v1', kind: 'List', items: [true] }], 'objects[0].items[0]: expected a Kubernetes object, got true'],
    [[{ apiVersion: 'v1', kind: 'List', items: {} }], 'objects[0] (List): items must be an array of Kubernetes objects, got an object'],
    [[{ apiVersion: 'v1', kind: 'PodList', items: 'none' }], 'objects[0] (PodList): items must be an array of Kubernetes objects, got "none"'],
  ])('rejects %j', (objects, message) => {
    expect(() => visited(objects)).toThrow(message);
  });

  test(`reads lists nested ${MAX_LIST_DEPTH} deep`, () => {
    expect(visited([nested(MAX_LIST_DEPTH, ns)])).toHaveLength(1);
  });

  test('a list nested 5,000 deep is a clear error naming the position and the limit', () => {
    const position = `objects[0]${'.items[0]'.repeat(MAX_LIST_DEPTH)}`;
    expect(() => visited([nested(5000, ns)])).toThrow(
      `${position} (List): lists are nested more than ${MAX_LIST_DEPTH} deep; at most ${MAX_LIST_DEPTH} levels of List in List are read, flatten the manifests`,
    );
  });
});

describe('both models read lists alike', () => {
  const models: Array<[string, (objects: any[]) => unknown]> = [
    ['NetworkModel', (objects) => NetworkModel.fromManifests(objects)],
    ['RbacModel', (objects) => RbacModel.fromManifests(objects)],
  ];

  test.each(models)('%s skips null entries and unpacks typed lists', (_name, build) => {
    expect(() => build([null, { apiVersion: 'v1', kind: 'List', items: [null, ns, { apiVersion: 'v1', kind: 'NamespaceList', items: [] }] }])).not.toThrow();
  });

  test.each(models)('%s rejects malformed items with the same message', (_name, build) => {
    expect(() => build([{ apiVersion: 'v1', kind: 'List', items: 7 }])).toThrow('objects[0] (List): items must be an array of Kubernetes objects, got 7');
  });

  test.each(models)('%s rejects a 5,000-deep List with the depth error, not a RangeError', (_name, build) => {
    let error: any;
    try {
      build([nested(5000, ns)]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RangeError);
    expect(error.message).toMatch(new RegExp(`^objects\\[0\\](\\.items\\[0\\]){${MAX_LIST_DEPTH}} \\(List\\): lists are nested more than ${MAX_LIST_DEPTH} deep`));
  });

  test('RbacModel reads namespaces from a NamespaceList, NetworkModel pods from a PodList, items without kind', () => {
    expect(RbacModel.fromManifests([{ apiVersion: 'v1', kind: 'NamespaceList', items: [{ metadata: { name: 'a' } }] }]).namespaces).toEqual(['a']);
    const pod = { metadata: { name: 'web', namespace: 'prod' }, spec: { containers: [{ name: 'main', image: 'nginx' }] } };
    expect(NetworkModel.fromManifests([{ apiVersion: 'v1', kind: 'PodList', items: [pod] }]).endpoints()).toEqual(['prod/web']);
  });
});
