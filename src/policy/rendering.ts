/**
 * How constructs shape the manifests of the cdk8s objects they create, after cdk8s (and
 * cdk8s-plus) rendered them: for fields that cdk8s-plus renders empty where leaving them out
 * means the same, and for lists that read better merged.
 *
 * This module is internal: it is not re-exported by the `policy` barrel.
 */
import { ApiObject } from 'cdk8s';

/**
 * Makes `apiObject.toJson()` return `transform(<what it returned before>)`, whenever the object
 * is synthesized (`Testing.synth()`, `App.synth()`, the models). The transform sees the finished
 * manifest, including JSON patches and whatever was added through escape hatches, and must
 * return a manifest that means the same to the API server. Transforms stack: a later one sees
 * the output of an earlier one.
 *
 * @param apiObject the object (e.g. `ApiObject.of(kplusRole)`)
 * @param transform takes the rendered manifest and returns the manifest to write
 */
export function transformOnSynth(apiObject: ApiObject, transform: (manifest: any) => any): void {
  const render = apiObject.toJson.bind(apiObject);
  Object.defineProperty(apiObject, 'toJson', {
    value: () => transform(render()),
    configurable: true,
    writable: true,
    enumerable: false,
  });
}
