/**
 * The manifests of the RBAC objects the role constructs create, as a reviewer reads them:
 * compact rules (see `compactPolicyRules`) and subjects without the empty `apiGroup` that
 * cdk8s-plus writes for service accounts.
 *
 * This module is internal: it is not re-exported by the `rbac` barrel.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { compactPolicyRules } from './rule-compaction';
import { transformOnSynth } from '../policy/rendering';

/**
 * Makes a Role or ClusterRole synthesize its rules in compact form: the same grants, grouped by
 * API group, verb set and resource names, sorted. Rules added later (through `allow()` on the
 * cdk8s-plus role) are included.
 *
 * @param role the cdk8s-plus Role or ClusterRole
 */
export function compactRulesOnSynth(role: kplus.Role | kplus.ClusterRole): void {
  transformOnSynth(ApiObject.of(role), (manifest) =>
    Array.isArray(manifest?.rules) ? { ...manifest, rules: compactPolicyRules(manifest.rules) } : manifest);
}

/**
 * Makes a RoleBinding or ClusterRoleBinding leave out `apiGroup: ""` of its ServiceAccount
 * subjects, which is the default (Kubernetes: rbac/v1 Subject.apiGroup, "" for ServiceAccount
 * subjects). User and Group subjects keep `apiGroup: rbac.authorization.k8s.io`.
 *
 * @param binding the cdk8s-plus RoleBinding or ClusterRoleBinding
 */
export function compactSubjectsOnSynth(binding: kplus.RoleBinding | kplus.ClusterRoleBinding): void {
  transformOnSynth(ApiObject.of(binding), (manifest) =>
    Array.isArray(manifest?.subjects) ? { ...manifest, subjects: manifest.subjects.map(withoutEmptyServiceAccountGroup) } : manifest);
}

/**
 * The `subjects` entries of a binding for cdk8s-plus subjects, as `compactSubjectsOnSynth`
 * leaves them: `apiGroup` for users and groups, none for service accounts (its default, "").
 *
 * @param subjects the subjects, in order
 */
export function renderSubjects(subjects: readonly kplus.ISubject[]): kplus.k8s.Subject[] {
  return subjects.map((subject) => {
    const config = subject.toSubjectConfiguration();
    const apiGroup = config.apiGroup === 'core' ? '' : config.apiGroup;
    return withoutEmptyServiceAccountGroup({
      ...(apiGroup === undefined ? {} : { apiGroup }),
      kind: config.kind,
      name: config.name,
      ...(config.namespace === undefined ? {} : { namespace: config.namespace }),
    });
  });
}

function withoutEmptyServiceAccountGroup(subject: any): any {
  if (subject === null || typeof subject !== 'object' || subject.kind !== 'ServiceAccount' || subject.apiGroup !== '') {
    return subject;
  }
  const { apiGroup: _empty, ...rest } = subject;
  return rest;
}
