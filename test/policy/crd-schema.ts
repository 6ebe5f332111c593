/**
 * Test support: validates synthesized objects against the pinned CRD schemas in `imports/`
 * (Calico's `projectcalico.org_*.yaml` and the network-policy-api's
 * `policy.networking.k8s.io_*.yaml`) with the validation plugin's own checker
 * (`src/plugin/crd-schema.ts`: ajv, object schemas closed as the API server prunes unknown
 * fields, `x-kubernetes-list-type: set` lists unique; CEL rules not evaluated).
 *
 * Other test folders may import this module.
 */
import { Chart, Testing } from 'cdk8s';
import { CrdSchemas, DEFAULT_CRD_DIR } from '../../src/plugin/crd-schema';

/** The directory of the pinned CRDs. */
export const CRD_DIR = DEFAULT_CRD_DIR;

/** The API version of the Calico objects the CRDs describe. */
export const CALICO_API_VERSION = 'projectcalico.org/v3';

/** The pinned CRDs, compiled once with the validation plugin's own schema checker. */
const SCHEMAS: CrdSchemas = CrdSchemas.load(CRD_DIR)!;

/** The kinds (e.g. `NetworkPolicy`) that have a pinned CRD. */
export function crdKinds(): string[] {
  return SCHEMAS.kinds();
}

/**
 * The reasons `manifest` is not a valid object of its CRD: schema errors, a missing name, or a
 * namespace on a cluster-scoped kind (or none on a namespaced kind). Empty if valid.
 */
export function crdSchemaErrors(manifest: any): string[] {
  const errors = SCHEMAS.errors(manifest);
  if (SCHEMAS.kinds().includes(manifest?.kind) && (typeof manifest.metadata?.name !== 'string' || manifest.metadata.name.length === 0)) {
    errors.push('/metadata/name is missing');
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
