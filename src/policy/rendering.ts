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

/**
 * Leaves `ports` out of the rules of a Kubernetes NetworkPolicy where it is an empty list, as
 * cdk8s-plus renders a rule for every port: an empty or missing `ports` means every port
 * (Kubernetes: networking/v1 NetworkPolicyIngressRule.ports, NetworkPolicyEgressRule.ports).
 *
 * @param apiObject the NetworkPolicy (`ApiObject.of(kplusNetworkPolicy)`)
 */
export function dropEmptyRulePorts(apiObject: ApiObject): void {
  transformOnSynth(apiObject, (manifest) => {
    const spec = manifest?.spec;
    if (spec === null || typeof spec !== 'object') {
      return manifest;
    }
    const clean = (rules: unknown) => Array.isArray(rules)
      ? rules.map((rule) => isPlainObject(rule) && Array.isArray(rule.ports) && rule.ports.length === 0 ? withoutKey(rule, 'ports') : rule)
      : rules;
    return { ...manifest, spec: { ...spec, ...('ingress' in spec ? { ingress: clean(spec.ingress) } : {}), ...('egress' in spec ? { egress: clean(spec.egress) } : {}) } };
  });
}

function isPlainObject(value: unknown): value is { [key: string]: any } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function withoutKey(object: { [key: string]: any }, key: string): { [key: string]: any } {
  const { [key]: _dropped, ...rest } = object;
  return rest;
}
