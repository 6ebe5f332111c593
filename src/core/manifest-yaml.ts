/**
 * Kubernetes manifests as YAML a reviewer can read: the same documents cdk8s writes, with short
 * lists and maps of plain values on one line, as careful hand-written YAML has them
 * (`verbs: [get, list, watch]`, `metadata: {name: web, namespace: fe}`).
 *
 * Pure: depends on the `yaml` package only.
 */
import { Document, isMap, isScalar, isSeq, parseAllDocuments, Scalar, YAMLMap, YAMLSeq } from 'yaml';

/** The widest line a list or map is put on (a side-by-side diff of a pull request shows about this much). */
export const REVIEW_LINE_WIDTH = 100;

/**
 * The YAML version cdk8s writes and reads with (`cdk8s.Yaml`): 1.1, so that the scalars mean the
 * same to YAML 1.1 readers such as kubectl's.
 */
const YAML_VERSION = '1.1';

/** The indentation of nested block collections (as cdk8s writes). */
const INDENT = 2;

/**
 * Renders manifests as a YAML stream, documents separated by `---` as cdk8s separates them.
 *
 * The layout is cdk8s's (block style, keys in the order given, YAML 1.1 scalars, no folded
 * lines), except that a non-empty list or map whose items are all one-line scalars is written in
 * flow style (`[a, b]`, `{k: v}`) when its line, indentation and key included, is at most
 * `REVIEW_LINE_WIDTH` characters long. Collections of collections stay in block style, so the
 * structure reads as before.
 *
 * Every document is read back (as YAML 1.1 and as YAML 1.2) and compared with the manifest; a
 * document that would not read back the same is written exactly as cdk8s writes it.
 *
 * @param manifests the documents (plain JSON values, e.g. `chart.toJson()`)
 */
export function formatManifestYaml(manifests: readonly unknown[]): string {
  return manifests.map((manifest) => (manifest === undefined ? '\n' : formatDocument(manifest))).join('---\n');
}

/**
 * Reads a YAML stream as cdk8s writes it (YAML 1.1) into plain values, one per document. Throws
 * for invalid YAML, naming the document.
 *
 * @param text the YAML text
 * @param source how errors name the text, e.g. a file path
 */
export function parseManifestYaml(text: string, source: string): unknown[] {
  return parseAllDocuments(text, { version: YAML_VERSION }).map((document, index) => {
    if (document.errors.length > 0) {
      throw new Error(`${source}: document ${index + 1}: invalid YAML: ${document.errors[0].message.split('\n')[0]}`);
    }
    return document.toJS();
  });
}

/** cdk8s's rendering of one document (`cdk8s.Yaml.stringify`). */
function cdk8sDocument(manifest: unknown): string {
  return new Document(manifest, { keepUndefined: true, version: YAML_VERSION }).toString({ lineWidth: 0 });
}

function formatDocument(manifest: unknown): string {
  const document = new Document(manifest, { keepUndefined: true, version: YAML_VERSION });
  const contents = document.contents;
  if (isMap(contents)) {
    layoutMap(contents, 0);
  } else if (isSeq(contents)) {
    layoutSeq(contents, 0);
  }
  const text = document.toString({ lineWidth: 0, flowCollectionPadding: false });
  return readsBackAs(text, manifest) ? text : cdk8sDocument(manifest);
}

/** Whether `text` reads back as `manifest` under YAML 1.1 and 1.2. */
function readsBackAs(text: string, manifest: unknown): boolean {
  const expected = JSON.stringify(manifest);
  return ['1.1', '1.2'].every((version) => {
    const documents = parseAllDocuments(text, { version: version as '1.1' | '1.2' });
    return documents.length === 1 && documents[0].errors.length === 0 && JSON.stringify(documents[0].toJS()) === expected;
  });
}

/** Lays out the pairs of a block map whose keys start at `column`. */
function layoutMap(map: YAMLMap, column: number): void {
  for (const pair of map.items) {
    const value = pair.value;
    if (!isMap(value) && !isSeq(value)) {
      continue;
    }
    const key = flowText(pair.key);
    if (isFlowLeaf(value) && column + key.length + 2 + flowText(value).length <= REVIEW_LINE_WIDTH) {
      value.flow = true;
    } else if (isMap(value)) {
      layoutMap(value, column + INDENT);
    } else {
      // `key:` then `- item` lines indented under it; an item's content starts after `- `.
      layoutSeq(value, column + INDENT);
    }
  }
}

/** Lays out the items of a block sequence whose dashes are at `column`. */
function layoutSeq(seq: YAMLSeq, column: number): void {
  for (const item of seq.items) {
    if (!isMap(item) && !isSeq(item)) {
      continue;
    }
    if (isFlowLeaf(item) && column + 2 + flowText(item).length <= REVIEW_LINE_WIDTH) {
      item.flow = true;
    } else if (isMap(item)) {
      layoutMap(item, column + 2);
    } else {
      layoutSeq(item, column + 2);
    }
  }
}

/** A non-empty collection of one-line scalars (a map also with scalar keys). */
function isFlowLeaf(node: YAMLMap | YAMLSeq): boolean {
  if (node.items.length === 0) {
    return false;
  }
  if (isSeq(node)) {
    return node.items.every(isOneLineScalar);
  }
  return (node as YAMLMap).items.every((pair) => isOneLineScalar(pair.key) && isOneLineScalar(pair.value));
}

function isOneLineScalar(node: unknown): boolean {
  return isScalar(node) && !(typeof (node as Scalar).value === 'string' && /[\n\r]/.test((node as Scalar).value as string));
}

/** How a node reads in flow style, on one line. */
function flowText(node: unknown): string {
  const copy = new Document(isScalar(node) || isMap(node) || isSeq(node) ? node.toJSON() : node, { version: YAML_VERSION });
  if (isMap(copy.contents) || isSeq(copy.contents)) {
    copy.contents.flow = true;
  }
  return copy.toString({ lineWidth: 0, flowCollectionPadding: false }).trimEnd();
}
