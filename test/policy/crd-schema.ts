/**
 * Test support: validates synthesized objects against the pinned CRD schemas in `imports/`
 * (`spec.versions[].schema.openAPIV3Schema`): Calico's `projectcalico.org_*.yaml` and the
 * Kubernetes network-policy-api's `policy.networking.k8s.io_*.yaml`.
 *
 * The schemas are compiled with ajv (`strict: false`, so the `x-kubernetes-*` keywords are
 * ignored; formats are not checked). To mirror the API server, which prunes fields its schema
 * does not know, every object schema with `properties` is closed (`additionalProperties: false`)
 * unless it says `x-kubernetes-preserve-unknown-fields`: a field the server would silently drop
 * is reported as an error. Lists of `x-kubernetes-list-type: set` must not repeat items. CEL rules
 * (`x-kubernetes-validations`) are not evaluated.
 *
 * Other test folders may import this module.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';

/** The directory of the pinned CRDs. */
export const CRD_DIR = path.join(__dirname, '..', '..', 'imports');

/** The API version of the Calico objects the CRDs describe. */
export const CALICO_API_VERSION = 'projectcalico.org/v3';

interface CrdEntry {
  readonly kind: string;
  readonly apiVersion: string;
  readonly namespaced: boolean;
  readonly validate: ValidateFunction;
}

let registry: Map<string, CrdEntry> | undefined;

function closeObjectSchemas(schema: any): any {
  if (Array.isArray(schema)) {
    return schema.map(closeObjectSchemas);
  }
  if (schema === null || typeof schema !== 'object') {
    return schema;
  }
  const result: any = {};
  for (const [key, value] of Object.entries(schema)) {
    result[key] = key === 'properties'
      ? Object.fromEntries(Object.entries(value as object).map(([name, sub]) => [name, closeObjectSchemas(sub)]))
      : closeObjectSchemas(value);
  }
  if (result.properties && result.additionalProperties === undefined && !result['x-kubernetes-preserve-unknown-fields']) {
    result.additionalProperties = false;
  }
  if (result['x-kubernetes-list-type'] === 'set') {
    result.uniqueItems = true;
  }
  return result;
}

function loadRegistry(): Map<string, CrdEntry> {
  if (registry) {
    return registry;
  }
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const entries = new Map<string, CrdEntry>();
  const files = fs.readdirSync(CRD_DIR).filter((f) => /^(projectcalico\.org|policy\.networking\.k8s\.io)_.*\.yaml$/.test(f)).sort();
  for (const file of files) {
    const crd = parse(fs.readFileSync(path.join(CRD_DIR, file), 'utf8'));
    const group: string = crd.spec.group;
    for (const version of crd.spec.versions) {
      const apiVersion = `${group}/${version.name}`;
      const kind: string = crd.spec.names.kind;
      entries.set(`${apiVersion}/${kind}`, {
        kind,
        apiVersion,
        namespaced: crd.spec.scope === 'Namespaced',
        validate: ajv.compile(closeObjectSchemas(version.schema.openAPIV3Schema)),
      });
    }
  }
  registry = entries;
  return entries;
}

/** The kinds (e.g. `NetworkPolicy`) that have a pinned CRD. */
export function crdKinds(): string[] {
  return [...new Set([...loadRegistry().values()].map((e) => e.kind))].sort();
}

/**
 * The reasons `manifest` is not a valid object of its CRD: schema errors, a missing name, or a
 * namespace on a cluster-scoped kind (or none on a namespaced kind). Empty if valid.
 */
export function crdSchemaErrors(manifest: any): string[] {
  const entry = loadRegistry().get(`${manifest?.apiVersion}/${manifest?.kind}`);
  if (!entry) {
    return [`no pinned CRD for apiVersion ${JSON.stringify(manifest?.apiVersion)} kind ${JSON.stringify(manifest?.kind)}`];
  }
  const errors: string[] = [];
  if (!entry.validate(manifest)) {
    for (const e of entry.validate.errors ?? []) {
      const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as any).additionalProperty})` : '';
      errors.push(`${e.instancePath || '/'} ${e.message}${extra}`);
    }
  }
  if (typeof manifest.metadata?.name !== 'string' || manifest.metadata.name.length === 0) {
    errors.push('/metadata/name is missing');
  }
  if (entry.namespaced && typeof manifest.metadata?.namespace !== 'string') {
    errors.push(`/metadata/namespace is missing on namespaced kind ${entry.kind}`);
  }
  if (!entry.namespaced && manifest.metadata?.namespace !== undefined) {
    errors.push(`/metadata/namespace is set on cluster-scoped kind ${entry.kind}`);
  }
  return errors;
}

/** Throws if `manifest` is not a valid object of its pinned CRD. */
export function expectValidCrdObject(manifest: any): void {
  const errors = crdSchemaErrors(manifest);
  if (errors.length > 0) {
    throw new Error(`${manifest?.kind} "${manifest?.metadata?.name}" does not match its CRD schema:\n  ${errors.join('\n  ')}`);
  }
}

/**
 * Validates every Calico (`projectcalico.org/*`) object among `manifests` against its CRD and
 * returns the manifests.
 */
export function validateCalicoManifests(manifests: any[]): any[] {
  for (const manifest of manifests) {
    if (typeof manifest?.apiVersion === 'string' && manifest.apiVersion.startsWith('projectcalico.org/')) {
      expectValidCrdObject(manifest);
    }
  }
  return manifests;
}

/** `Testing.synth(chart)`, with every Calico object validated against its CRD. */
export function synthValidated(chart: Chart): any[] {
  return validateCalicoManifests(Testing.synth(chart));
}
