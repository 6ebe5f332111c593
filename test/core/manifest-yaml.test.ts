import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { formatManifestYaml, parseManifestYaml, REVIEW_LINE_WIDTH } from '../../src/core/manifest-yaml';

/** What cdk8s writes for the same documents. */
const cdk8s = (docs: unknown[]) => Yaml.stringify(...docs);

describe('formatManifestYaml', () => {
  test('lists and maps of plain values on one line; structure in block style', () => {
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'reader' },
      rules: [
        { apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['projectcalico.org'], resources: ['tiers'], resourceNames: ['security'], verbs: ['get'] },
      ],
    };
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'member', namespace: 'team' }],
    };
    expect(formatManifestYaml([role, binding])).toBe([
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: ClusterRole',
      'metadata: {name: reader}',
      'rules:',
      '  - apiGroups: [""]',
      '    resources: [pods, services]',
      '    verbs: [get, list, watch]',
      '  - apiGroups: [projectcalico.org]',
      '    resources: [tiers]',
      '    resourceNames: [security]',
      '    verbs: [get]',
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: ClusterRoleBinding',
      'metadata: {name: reader}',
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}',
      'subjects:',
      '  - {kind: ServiceAccount, name: member, namespace: team}',
      '',
    ].join('\n'));
  });

  test(`a list goes on one line only when the line stays within ${REVIEW_LINE_WIDTH} characters`, () => {
    // `  items: [` + the item + `]`: 11 characters besides the item.
    const fits = 'x'.repeat(REVIEW_LINE_WIDTH - 11);
    expect(formatManifestYaml([{ spec: { items: [fits] } }])).toBe(`spec:\n  items: [${fits}]\n`);
    expect(`  items: [${fits}]`).toHaveLength(REVIEW_LINE_WIDTH);
    const tooLong = `${fits}y`;
    expect(formatManifestYaml([{ spec: { items: [tooLong] } }])).toBe(`spec:\n  items:\n    - ${tooLong}\n`);
    // In a sequence: `  - ` then the flow map.
    const value = 'v'.repeat(REVIEW_LINE_WIDTH - 4 - '{k: }'.length);
    expect(formatManifestYaml([{ list: [{ k: value }] }])).toBe(`list:\n  - {k: ${value}}\n`);
    expect(formatManifestYaml([{ list: [{ k: `${value}v` }] }])).toBe(`list:\n  - k: ${value}v\n`);
  });

  test('empty collections, nested collections and multi-line strings are written as cdk8s writes them', () => {
    const doc = { spec: { podSelector: {}, ingress: [{}], policyTypes: [], nested: [[1, 2], { a: [1] }], script: 'line 1\nline 2\n' } };
    const text = formatManifestYaml([doc]);
    expect(text).toContain('  podSelector: {}\n');
    expect(text).toContain('  ingress:\n    - {}\n');
    expect(text).toContain('  policyTypes: []\n');
    expect(text).toContain('  nested:\n    - [1, 2]\n    - a: [1]\n');
    expect(text).toContain('  script: |\n    line 1\n    line 2\n');
    expect(parseManifestYaml(text, 'test')).toEqual([doc]);
  });

  test('values that need quotes on one line read back as the same strings, numbers and booleans', () => {
    const doc = {
      strings: ['a, b', '{x}', '[y]', 'k: v', '#c', 'yes', 'on', 'no', '0123', '1e3', 'null', '', ' pad', '*', '2379:2380'],
      mixed: [1, 2.5, true, false, null, '1', 'true'],
      selectors: { namespaceSelector: 'projectcalico.org/name == "fe"', selector: 'app in {"a", "b"}' },
    };
    const text = formatManifestYaml([doc]);
    expect(parseManifestYaml(text, 'test')).toEqual([doc]);
    expect(parseAllDocuments(text, { version: '1.2' })[0].toJS()).toEqual(doc);
    expect(text).toContain('selectors: {namespaceSelector: projectcalico.org/name == "fe", selector: \'app in {"a", "b"}\'}');
  });

  test('a document that would not read back the same (as YAML 1.1 and 1.2) is written exactly as cdk8s writes it', () => {
    // `0o17` is a string to a YAML 1.1 reader and the number 15 to a YAML 1.2 reader.
    const doc = { data: { mode: ['0o17'] } };
    expect(formatManifestYaml([doc])).toBe(cdk8s([doc]));
    const docs = [{ data: { mode: ['0o17'] } }, { metadata: { name: 'ok' } }];
    expect(formatManifestYaml(docs)).toBe(`${cdk8s([docs[0]])}---\nmetadata: {name: ok}\n`);
  });

  test('documents are separated as cdk8s separates them; no documents is no text', () => {
    expect(formatManifestYaml([])).toBe('');
    expect(formatManifestYaml([{ a: 1 }, undefined, { b: 2 }])).toBe(cdk8s([{ a: 1 }, undefined, { b: 2 }]));
  });

  describe('properties', () => {
    const manifest = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 });

    test('reads back as the documents, with no more lines than cdk8s writes', () => {
      fc.assert(fc.property(fc.array(manifest, { maxLength: 3 }), (docs) => {
        const text = formatManifestYaml(docs);
        expect(JSON.stringify(parseManifestYaml(text, 'test'))).toBe(JSON.stringify(docs));
        expect(text.split('\n').length).toBeLessThanOrEqual(cdk8s(docs).split('\n').length);
      }), { numRuns: 300 });
    });

    test(`puts nothing on a line longer than ${REVIEW_LINE_WIDTH} characters that cdk8s did not write on one`, () => {
      fc.assert(fc.property(manifest, (doc) => {
        const theirs = new Set(cdk8s([doc]).split('\n'));
        for (const line of formatManifestYaml([doc]).split('\n')) {
          if (line.length > REVIEW_LINE_WIDTH) {
            expect(theirs).toContain(line);
          }
        }
      }), { numRuns: 300 });
    });
  });
});

describe('parseManifestYaml', () => {
  test('reads YAML 1.1 as cdk8s writes it', () => {
    expect(parseManifestYaml('a: yes\nb: "0"\n---\nc: [1, 2]\n', 'file.yaml')).toEqual([{ a: true, b: '0' }, { c: [1, 2] }]);
  });

  test('names the source and the document of invalid YAML', () => {
    expect(() => parseManifestYaml('a: 1\n---\nb: [1, 2\n', 'dist/x.k8s.yaml')).toThrow(/^dist\/x\.k8s\.yaml: document 2: invalid YAML: /);
  });
});
