/**
 * The one way the team constructs create a Namespace object.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { dropChartNamespace } from '../policy/metadata';

/**
 * Creates a Namespace named `name` with `labels`, as a reviewer expects to read it: no
 * `metadata.namespace` (a Namespace is cluster-scoped, whatever the chart's namespace) and no
 * `spec` (a Namespace's spec only holds `finalizers`, which the API server fills in). Empty
 * labels are left out (cdk8s drops empty metadata maps). One construct: the object itself.
 *
 * @param scope the construct scope
 * @param id the construct id
 * @param name the namespace name (already checked by the caller)
 * @param labels the namespace labels, if any
 */
export function createNamespaceObject(scope: Construct, id: string, name: string, labels?: { [key: string]: string }): ApiObject {
  // A plain ApiObject: the typed KubeNamespace would convert its props once more at every synthesis.
  const metadata = { name, labels: labels === undefined ? undefined : { ...labels } };
  const namespace = new ApiObject(scope, id, { ...kplus.k8s.KubeNamespace.GVK, metadata });
  dropChartNamespace(namespace);
  return namespace;
}
