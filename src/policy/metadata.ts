/**
 * Object metadata of constructs: generated names, namespaces, and the checks Calico applies to
 * labels and annotations. A construct helper (it needs cdk8s charts and constructs, so it cannot
 * live in `src/core`), shared by the policy, rbac and teams constructs.
 *
 * This module is internal: it is not re-exported by the `policy` barrel.
 */
import { ApiObject, ApiObjectMetadata, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { checkAnnotations, checkDnsLabel, checkLabels } from './validation';
import { fail } from '../core/errors';

/**
 * The name cdk8s would generate for an object of `scope` (the construct path plus a hash, as a
 * DNS-1123 label), honouring the chart's `disableResourceNameHashes`.
 */
export function generatedName(scope: Construct): string {
  // Chart.generateObjectName() only reads the construct's node (and kind, for CronJobs).
  return Chart.of(scope).generateObjectName(scope as unknown as ApiObject);
}

/**
 * The name cdk8s will generate for an object created as `id` in `scope`, before the object
 * exists (a construct that is itself the object needs its name for its constructor): a
 * placeholder construct takes the path for as long as the chart names it.
 */
export function generatedChildName(scope: Construct, id: string): string {
  const placeholder = new Construct(scope, id);
  try {
    return generatedName(placeholder);
  } finally {
    // By the id as the tree keeps it (constructs writes a `/` in an id as `--`).
    scope.node.tryRemoveChild(placeholder.node.id);
  }
}

/** Checks the labels and annotations of user-given metadata. */
export function checkMetadata(owner: string, metadata: ApiObjectMetadata | undefined): void {
  checkLabels(owner, 'metadata.labels', metadata?.labels);
  checkAnnotations(owner, 'metadata.annotations', metadata?.annotations);
}

/**
 * The namespace of a namespaced object: `metadata.namespace`, else the chart's namespace.
 * Throws if there is neither.
 */
export function resolveNamespace(owner: string, scope: Construct, metadata: ApiObjectMetadata | undefined): string {
  const namespace = metadata?.namespace ?? Chart.of(scope).namespace;
  if (namespace === undefined) {
    fail(owner, 'metadata.namespace', 'this object is namespaced: set metadata.namespace, or give the chart a namespace');
  }
  checkDnsLabel(owner, 'metadata.namespace', namespace, 'namespace');
  return namespace;
}

/**
 * Checks that a cluster-scoped object was given no namespace.
 */
export function rejectNamespace(owner: string, kind: string, metadata: ApiObjectMetadata | undefined): void {
  if (metadata?.namespace !== undefined) {
    fail(owner, 'metadata.namespace', `a ${kind} is cluster-scoped and has no namespace; remove metadata.namespace`);
  }
}

/**
 * Keeps a cluster-scoped object free of the chart's namespace, which cdk8s would otherwise copy
 * into its metadata.
 */
export function dropChartNamespace(apiObject: ApiObject): void {
  if (Chart.of(apiObject).namespace !== undefined) {
    apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}
