import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadManifests, ManifestError, parseManifests } from '../../src/cli';

/** The fs module object itself (the namespace import above is a read-only view of it). */
const realFs = jest.requireActual<typeof fs>('node:fs');

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-calico-load-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(relative: string, text: string): string {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function names(objects: any[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata?.name}`);
}

function cm(name: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
}

describe('YAML', () => {
  test('multi-document file; empty and comment-only documents are skipped', () => {
    const file = write('a.yaml', `---\n${cm('one')}---\n---\n# nothing here\n---\n${cm('two')}...\n`);
    expect(names(loadManifests([file]))).toEqual(['ConfigMap/one', 'ConfigMap/two']);
  });

  test('an empty file has no objects', () => {
    expect(loadManifests([write('empty.yaml', '')])).toEqual([]);
  });

  test('kind: List is flattened, nested lists too', () => {
    const file = write('list.yml', [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata: { name: a }',
      '- apiVersion: v1',
      '  kind: List',
      '  items:',
      '  - { apiVersion: v1, kind: Secret, metadata: { name: b } }',
    ].join('\n'));
    expect(names(loadManifests([file]))).toEqual(['ConfigMap/a', 'Secret/b']);
  });

  test('a typed list fills in kind and apiVersion of its items', () => {
    const file = write('typed.yaml', [
      'apiVersion: projectcalico.org/v3',
      'kind: NetworkPolicyList',
      'items:',
      '- metadata: { name: p1, namespace: be }',
      '- apiVersion: projectcalico.org/v3',
      '  kind: NetworkPolicy',
      '  metadata: { name: p2, namespace: be }',
    ].join('\n'));
    expect(loadManifests([file])).toEqual([
      { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'p1', namespace: 'be' } },
      { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'p2', namespace: 'be' } },
    ]);
  });

  test('a kind ending in List without items is an ordinary object', () => {
    const file = write('x.yaml', 'apiVersion: example.com/v1\nkind: AllowList\nspec: {}\n');
    expect(loadManifests([file])).toEqual([{ apiVersion: 'example.com/v1', kind: 'AllowList', spec: {} }]);
  });

  test('merge keys are resolved', () => {
    const file = write('merge.yaml', [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: m',
      '  labels: &labels { app: web }',
      '  annotations:',
      '    <<: *labels',
      '    extra: "yes"',
    ].join('\n'));
    expect(loadManifests([file])[0].metadata.annotations).toEqual({ app: 'web', extra: 'yes' });
  });

  test('a top-level sequence is flattened', () => {
    const file = write('seq.yaml', `- ${cm('a').trimEnd().split('\n').join('\n  ')}\n`);
    expect(names(loadManifests([file]))).toEqual(['ConfigMap/a']);
  });
});

describe('JSON', () => {
  test('one object, an array, and a List', () => {
    const one = write('one.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }));
    const many = write('many.json', JSON.stringify([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } },
      { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }] },
    ]));
    expect(names(loadManifests([one, many]))).toEqual(['ConfigMap/a', 'ConfigMap/b', 'ConfigMap/c']);
  });

  test('an empty JSON file has no objects', () => {
    expect(loadManifests([write('e.json', '  \n')])).toEqual([]);
  });

  test('invalid JSON names the file', () => {
    const file = write('bad.json', '{ "kind": ');
    expect(() => loadManifests([file])).toThrow(ManifestError);
    expect(() => loadManifests([file])).toThrow(`${file}: invalid JSON: `);
  });

  test('JSON files are strict JSON (no YAML)', () => {
    const file = write('yaml-in.json', cm('x'));
    expect(() => loadManifests([file])).toThrow(`${file}: invalid JSON`);
  });
});

describe('directories', () => {
  test('recursively, in name order, only manifest extensions', () => {
    write('b.yaml', cm('b'));
    write('a.yml', cm('a'));
    write('sub/c.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }));
    write('sub/deeper/d.YAML', cm('d'));
    write('notes.txt', 'not yaml: [');
    write('sub/README.md', '# nope');
    expect(names(loadManifests([dir]))).toEqual(['ConfigMap/a', 'ConfigMap/b', 'ConfigMap/c', 'ConfigMap/d']);
  });

  test('cdk8s\'s construct-metadata.json beside the manifests is skipped (read only when named)', () => {
    write('0000-app.k8s.yaml', cm('a'));
    const metadata = write('construct-metadata.json', JSON.stringify({ version: '1.0.0', resources: { a: { path: 'app/a' } } }));
    expect(names(loadManifests([dir]))).toEqual(['ConfigMap/a']);
    expect(() => loadManifests([metadata])).toThrow(/no kind/);
  });

  test('symbolic link cycles and dangling links are harmless', () => {
    write('a.yaml', cm('a'));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.symlinkSync(dir, path.join(dir, 'sub', 'loop'));
    fs.symlinkSync(path.join(dir, 'missing.yaml'), path.join(dir, 'dangling.yaml'));
    expect(names(loadManifests([dir]))).toEqual(['ConfigMap/a']);
  });

  test('a directory without manifests is an error', () => {
    write('notes.txt', 'hello');
    expect(() => loadManifests([dir])).toThrow(`directory ${dir} contains no manifest files (*.yaml, *.yml, *.json)`);
  });

  test('an explicit file is read whatever its extension', () => {
    expect(names(loadManifests([write('policy.txt', cm('t'))]))).toEqual(['ConfigMap/t']);
  });

  test('paths are read in the order given', () => {
    const b = write('b.yaml', cm('b'));
    const a = write('a.yaml', cm('a'));
    expect(names(loadManifests([b, a]))).toEqual(['ConfigMap/b', 'ConfigMap/a']);
  });
});

describe('standard input', () => {
  test('- reads standard input once', () => {
    const readStdin = jest.fn(() => `${cm('in')}---\n${cm('put')}`);
    const file = write('f.yaml', cm('file'));
    expect(names(loadManifests(['-', file, '-'], readStdin))).toEqual(['ConfigMap/in', 'ConfigMap/put', 'ConfigMap/file']);
    expect(readStdin).toHaveBeenCalledTimes(1);
  });

  test('JSON on standard input', () => {
    expect(names(loadManifests(['-'], () => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j' } }))))
      .toEqual(['ConfigMap/j']);
  });

  test('- without standard input is an error', () => {
    expect(() => loadManifests(['-'])).toThrow('cannot read manifests from standard input (-): no standard input available');
  });

  test('a failing standard input is an error', () => {
    expect(() => loadManifests(['-'], () => {
      throw new Error('EAGAIN');
    })).toThrow('cannot read standard input: EAGAIN');
  });
});

describe('errors', () => {
  test('no paths', () => {
    expect(() => loadManifests([])).toThrow('no manifest paths given');
  });

  test('missing file', () => {
    const missing = path.join(dir, 'nope.yaml');
    expect(() => loadManifests([missing])).toThrow(`cannot read ${missing}: no such file or directory`);
  });

  test('a path through a file', () => {
    const file = write('a.yaml', cm('a'));
    expect(() => loadManifests([path.join(file, 'b.yaml')])).toThrow(`cannot read ${path.join(file, 'b.yaml')}: ENOTDIR`);
  });

  test('unreadable file', () => {
    const file = write('secret.yaml', cm('s'));
    jest.spyOn(realFs, 'readFileSync').mockImplementationOnce(() => {
      throw new Error(`EACCES: permission denied, open '${file}'`);
    });
    try {
      expect(() => loadManifests([file])).toThrow(`cannot read ${file}: EACCES: permission denied`);
    } finally {
      jest.restoreAllMocks();
    }
  });

  test('unreadable directory', () => {
    write('sub/a.yaml', cm('a'));
    jest.spyOn(realFs, 'readdirSync').mockImplementationOnce(() => {
      throw new Error('EACCES: permission denied');
    });
    try {
      expect(() => loadManifests([dir])).toThrow(`cannot read directory ${dir}: EACCES: permission denied`);
    } finally {
      jest.restoreAllMocks();
    }
  });

  test('invalid YAML names the file, the document and the line', () => {
    const file = write('bad.yaml', `${cm('ok')}---\nkind: x\nkey: a: b\n`);
    expect(() => loadManifests([file])).toThrow(
      `${file}, document 2 (line 5): invalid YAML: Nested mappings are not allowed in compact mappings at line 7, column 6:`);
  });

  test('invalid YAML in a single-document file names the file only', () => {
    const file = write('bad.yaml', 'a: [1, 2\n');
    expect(() => loadManifests([file])).toThrow(new RegExp(`^${escape(file)}: invalid YAML: `));
  });

  test('too many aliases', () => {
    const text = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    expect(() => parseManifests(text, 'bomb.yaml', 'yaml')).toThrow(/^bomb.yaml: invalid YAML: .*alias/i);
  });

  test('a scalar document', () => {
    expect(() => parseManifests('just text\n', 'in.yaml', 'yaml'))
      .toThrow('in.yaml: expected a Kubernetes object (a mapping with apiVersion and kind), got the string "just text"');
    expect(() => parseManifests('42', 'in.json', 'json')).toThrow('in.json: expected a Kubernetes object (a mapping with apiVersion and kind), got number 42');
  });

  test('missing kind', () => {
    expect(() => parseManifests('apiVersion: v1\nmetadata: { name: a }\n', 'x.yaml', 'yaml'))
      .toThrow('x.yaml: the object has no kind; every manifest needs a string kind, e.g. kind: NetworkPolicy');
  });

  test('missing apiVersion', () => {
    expect(() => parseManifests(`${cm('a')}---\nkind: ConfigMap\n`, 'x.yaml', 'yaml'))
      .toThrow('x.yaml, document 2 (line 5): ConfigMap has no apiVersion; every manifest needs a string apiVersion, e.g. apiVersion: v1');
  });

  test('a List without an items array', () => {
    expect(() => parseManifests('apiVersion: v1\nkind: List\nitems: {}\n', 'l.yaml', 'yaml'))
      .toThrow('l.yaml: List must have an items array, got a mapping');
  });

  test('a bad list item names its index', () => {
    expect(() => parseManifests('apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n- null\n', 'l.yaml', 'yaml'))
      .toThrow('l.yaml, items[1]: expected a Kubernetes object, got null');
    expect(() => parseManifests('apiVersion: v1\nkind: ConfigMapList\nitems:\n- 7\n', 'l.yaml', 'yaml'))
      .toThrow('l.yaml, items[0]: expected a Kubernetes object (a mapping with apiVersion and kind), got number 7');
  });

  test('a bad array element names its index', () => {
    expect(() => parseManifests('[{"kind": "ConfigMap", "apiVersion": "v1"}, "x"]', 'a.json', 'json'))
      .toThrow('a.json, item 1: expected a Kubernetes object (a mapping with apiVersion and kind), got the string "x"');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
