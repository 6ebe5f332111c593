/**
 * `cdk8s-calico/plugin`: the cdk8s validation plugin (not part of the jsii API). Declare it in
 * the app's `cdk8s.yaml` under `validations` with `class: CalicoValidation`; see docs/plugin.md.
 */
export { CalicoValidation, RULE_PREFIX } from './plugin';
export { parseProperties } from './properties';
export type { AccessAssertion, FlowAssertion, PluginSettings } from './properties';
export type { ValidationContext, ValidationReport, ValidationViolation, ValidationViolatingResource } from './types';
