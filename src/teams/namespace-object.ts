/**
 * The one way the team constructs create a Namespace object.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { dropChartNamespace } from '../policy/metadata';
import { transformOnSynth } from '../policy/rendering';

/**
 * Creates a cdk8s-plus Namespace named `name` with `labels`, as a reviewer expects to read it:
 * no `metadata.namespace` (a Namespace is cluster-scoped, whatever the chart's namespace) and no
 * `spec: {}` (cdk8s-plus renders an empty spec; a Namespace's spec only holds `finalizers`,
 * which the API server fills in). Empty labels are left out (cdk8s drops empty metadata maps).
 *
 * @param scope the construct scope
 * @param id the construct id
 * @param name the namespace name (already checked by the caller)
 * @param labels the namespace labels, if any
 */
export function createNamespaceObject(scope: Construct, id: string, name: string, labels?: { [key: string]: string }): kplus.Namespace {
  const namespace = new kplus.Namespace(scope, id, { metadata: { name, labels } });
  const apiObject = ApiObject.of(namespace);
  dropChartNamespace(apiObject);
  transformOnSynth(apiObject, (manifest) => {
    if (manifest?.spec === null || typeof manifest?.spec !== 'object' || Array.isArray(manifest.spec) || Object.keys(manifest.spec).length > 0) {
      return manifest;
    }
    const { spec: _empty, ...rest } = manifest;
    return rest;
  });
  return namespace;
}
