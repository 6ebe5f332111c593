/**
 * CRD schema checks of Calico (`projectcalico.org`) and network-policy-api
 * (`policy.networking.k8s.io`) objects against the pinned CRDs in the package's `imports/`.
 *
 * The schemas are compiled with ajv (`strict: false`: the `x-kubernetes-*` keywords are ignored;
 * formats are not checked). Like the API server, which prunes fields its schema does not know,
 * every object schema with `properties` is closed unless it says
 * `x-kubernetes-preserve-unknown-fields`, so a field the server would silently drop is reported.
 * Lists of `x-kubernetes-list-type: set` must not repeat items. CEL rules are not evaluated.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import { parse } from 'yaml';

/** The directory of the pinned CRDs: `imports/` at the package root (from `src/plugin` or `lib/plugin`). */
export const DEFAULT_CRD_DIR = path.join(__dirname, '..', '..', 'imports');

interface CrdEntry {
  readonly kind: string;
  readonly namespaced: boolean;
  readonly validate: ValidateFunction;
}

/** Compiled CRD schemas by `apiVersion/kind`. */
export class CrdSchemas {
  /**
   * Loads every `projectcalico.org_*.yaml` and `policy.networking.k8s.io_*.yaml` CRD of `dir`.
   *
   * @returns undefined when the directory does not exist
   */
  public static load(dir: string = DEFAULT_CRD_DIR): CrdSchemas | undefined {
    if (!fs.existsSync(dir)) return undefined;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const entries = new Map<string, CrdEntry>();
    const files = fs.readdirSync(dir).filter((f) => /^(projectcalico\.org|policy\.networking\.k8s\.io)_.*\.yaml$/.test(f)).sort();
    for (const file of files) {
      const crd = parse(fs.readFileSync(path.join(dir, file), 'utf8'));
      for (const version of crd.spec.versions) {
        entries.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, {
          kind: crd.spec.names.kind,
          namespaced: crd.spec.scope === 'Namespaced',
          validate: ajv.compile(closeObjectSchemas(version.schema.openAPIV3Schema)),
        });
      }
    }
    return new CrdSchemas(entries);
  }

  private constructor(private readonly entries: Map<string, CrdEntry>) {}

  /** The kinds (e.g. `NetworkPolicy`) that have a pinned CRD, sorted. */
  public kinds(): string[] {
    return [...new Set([...this.entries.values()].map((e) => e.kind))].sort();
  }

  /** Whether the object's API group is one whose CRDs are pinned here. */
  public covers(manifest: any): boolean {
    const apiVersion = String(manifest?.apiVersion ?? '');
    return apiVersion.startsWith('projectcalico.org/') || apiVersion.startsWith('policy.networking.k8s.io/');
  }

  /**
   * The reasons `manifest` is not a valid object of its CRD, each as `<JSON pointer> <message>`;
   * empty if valid.
   */
  public errors(manifest: any): string[] {
    const entry = this.entries.get(`${manifest?.apiVersion}/${manifest?.kind}`);
    if (!entry) {
      const kinds = [...new Set([...this.entries.keys()])].sort().join(', ');
      return [`/ apiVersion ${JSON.stringify(manifest?.apiVersion)} kind ${JSON.stringify(manifest?.kind)} has no CRD in Calico v3.32.1; known: ${kinds}`];
    }
    const errors: string[] = [];
    if (!entry.validate(manifest)) {
      for (const e of entry.validate.errors ?? []) {
        const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as any).additionalProperty}: the API server would drop it)` : '';
        errors.push(`${e.instancePath || '/'} ${e.message}${extra}`);
      }
    }
    if (entry.namespaced && typeof manifest.metadata?.namespace !== 'string') {
      errors.push(`/metadata/namespace is missing on namespaced kind ${entry.kind} (it would land in whatever namespace kubectl uses)`);
    }
    if (!entry.namespaced && manifest.metadata?.namespace !== undefined) {
      errors.push(`/metadata/namespace is set on cluster-scoped kind ${entry.kind}; remove it`);
    }
    return errors;
  }
}

function closeObjectSchemas(schema: any): any {
  if (Array.isArray(schema)) return schema.map(closeObjectSchemas);
  if (schema === null || typeof schema !== 'object') return schema;
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
