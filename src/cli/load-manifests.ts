/**
 * Reads Kubernetes manifests from YAML/JSON files, directories and standard input.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The path that stands for standard input. */
export const STDIN_PATH = '-';

/** File name extensions read from directories. */
export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/**
 * Files cdk8s writes beside the manifests (`construct-metadata.json`, when validations are
 * declared in cdk8s.yaml): skipped when a directory is read, read when named explicitly.
 */
export const CDK8S_SIDE_FILES: readonly string[] = ['construct-metadata.json'];

/**
 * Malformed or unreadable manifests. The message names the file (and document or item) and
 * what was wrong.
 */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/**
 * Reads all Kubernetes objects from the given paths, in order: YAML files (multi-document,
 * `---` separated), `.json` files (one object or an array of objects), directories (every
 * `*.yaml`, `*.yml` and `*.json` file below them, recursively, in name order) and `-` for
 * standard input (YAML or JSON, read once even when given several times).
 *
 * Empty documents are skipped. Lists (`kind: List`, or a `<Kind>List` with `items`) and
 * top-level arrays are flattened; items of a typed list without `kind`/`apiVersion` get the
 * list's. Every object must be a mapping with string `apiVersion` and `kind`.
 *
 * @param paths files, directories or `-`
 * @param readStdin reads standard input; required when `-` is among the paths
 */
export function loadManifests(paths: string[], readStdin?: () => string): any[] {
  if (paths.length === 0) {
    throw new ManifestError('no manifest paths given; pass YAML/JSON files, directories, or - for standard input');
  }
  const objects: any[] = [];
  let stdinObjects: any[] | undefined;
  for (const p of paths) {
    if (p === STDIN_PATH) {
      if (stdinObjects === undefined) {
        if (!readStdin) throw new ManifestError('cannot read manifests from standard input (-): no standard input available');
        stdinObjects = parseManifests(readText('standard input', readStdin), 'standard input', 'yaml');
        objects.push(...stdinObjects);
      }
      continue;
    }
    for (const file of expandPath(p)) {
      const format = path.extname(file).toLowerCase() === '.json' ? 'json' : 'yaml';
      objects.push(...parseManifests(readText(file, () => fs.readFileSync(file, 'utf8')), file, format));
    }
  }
  return objects;
}

/**
 * Parses the text of one manifest source into Kubernetes objects (see `loadManifests`).
 *
 * @param text the YAML or JSON text
 * @param source how messages name the source, e.g. the file path
 * @param format `json` for strict JSON, `yaml` for YAML (which includes most JSON)
 */
export function parseManifests(text: string, source: string, format: 'yaml' | 'json'): any[] {
  const objects: any[] = [];
  if (format === 'json') {
    if (text.trim() === '') return objects;
    let value: any;
    try {
      value = JSON.parse(text);
    } catch (error: any) {
      throw new ManifestError(`${source}: invalid JSON: ${error.message}`);
    }
    collectObjects(value, source, objects);
    return objects;
  }

  const documents = parseAllDocuments(text, { merge: true });
  const list = Array.isArray(documents) ? documents : [];
  list.forEach((document, index) => {
    const where = list.length > 1
      ? `${source}, document ${index + 1} (line ${lineOf(text, document.range[0])})`
      : source;
    if (document.errors.length > 0) {
      throw new ManifestError(`${where}: invalid YAML: ${document.errors[0].message.split('\n')[0]}`);
    }
    let value: any;
    try {
      value = document.toJS();
    } catch (error: any) {
      throw new ManifestError(`${where}: invalid YAML: ${oneLine(String(error?.message ?? error))}`);
    }
    collectObjects(value, where, objects);
  });
  return objects;
}

/** The files a path stands for: the file itself, or the manifest files below a directory. */
function expandPath(p: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (error: any) {
    throw new ManifestError(`cannot read ${p}: ${error.code === 'ENOENT' ? 'no such file or directory' : error.message}`);
  }
  if (!stat.isDirectory()) return [p];
  const files: string[] = [];
  walkDirectory(p, files, new Set());
  if (files.length === 0) {
    throw new ManifestError(`directory ${p} contains no manifest files (${MANIFEST_EXTENSIONS.map((e) => `*${e}`).join(', ')})`);
  }
  return files;
}

function walkDirectory(dir: string, files: string[], visited: Set<string>): void {
  const real = fs.realpathSync(dir);
  if (visited.has(real)) return;
  visited.add(real);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir).sort();
  } catch (error: any) {
    throw new ManifestError(`cannot read directory ${dir}: ${error.message}`);
  }
  for (const entry of entries) {
    const full = path.join(dir, entry);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      // A dangling symbolic link is no manifest.
      continue;
    }
    if (stat.isDirectory()) {
      walkDirectory(full, files, visited);
    } else if (stat.isFile() && MANIFEST_EXTENSIONS.includes(path.extname(entry).toLowerCase()) && !CDK8S_SIDE_FILES.includes(entry)) {
      files.push(full);
    }
  }
}

function readText(source: string, read: () => string): string {
  try {
    return read();
  } catch (error: any) {
    throw new ManifestError(`cannot read ${source}: ${error.message}`);
  }
}

/** Adds the Kubernetes objects a parsed document holds, flattening lists and arrays. */
function collectObjects(value: any, where: string, out: any[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectObjects(item, `${where}, item ${index}`, out));
    return;
  }
  if (typeof value !== 'object') {
    throw new ManifestError(`${where}: expected a Kubernetes object (a mapping with apiVersion and kind), got ${describe(value)}`);
  }
  const kind = value.kind;
  if (typeof kind !== 'string' || kind === '') {
    throw new ManifestError(`${where}: the object has no kind; every manifest needs a string kind, e.g. kind: NetworkPolicy`);
  }
  if (isList(value)) {
    if (!Array.isArray(value.items)) {
      throw new ManifestError(`${where}: ${kind} must have an items array, got ${describe(value.items)}`);
    }
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    value.items.forEach((item: any, index: number) => {
      const itemWhere = `${where}, items[${index}]`;
      const filled = itemKind !== undefined && isPlainObject(item)
        ? { apiVersion: value.apiVersion, kind: itemKind, ...item }
        : item;
      if (filled === null || filled === undefined) {
        throw new ManifestError(`${itemWhere}: expected a Kubernetes object, got ${describe(filled)}`);
      }
      collectObjects(filled, itemWhere, out);
    });
    return;
  }
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') {
    throw new ManifestError(`${where}: ${kind} has no apiVersion; every manifest needs a string apiVersion, e.g. apiVersion: v1`);
  }
  out.push(value);
}

/** `kind: List`, or a typed list such as `NetworkPolicyList`, recognized by its `items`. */
function isList(value: any): boolean {
  if (value.kind === 'List') return true;
  return value.kind.length > 'List'.length && value.kind.endsWith('List') && 'items' in value;
}

function isPlainObject(value: any): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) line++;
  }
  return line;
}

function describe(value: any): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}

function oneLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '').join(' ');
}
