/**
 * Kubernetes Pod Security Admission facts: the namespace labels that set a level, and the
 * levels.
 *
 * Internal module: not part of the jsii API.
 */

/** The Pod Security Standards levels, least to most restrictive. */
// Kubernetes: staging/src/k8s.io/pod-security-admission/api/constants.go LevelPrivileged, LevelBaseline, LevelRestricted
export const POD_SECURITY_LEVELS: readonly string[] = ['privileged', 'baseline', 'restricted'];

/** The label prefix of Pod Security Admission (`<prefix>enforce`, `<prefix>audit`, `<prefix>warn`). */
// Kubernetes: staging/src/k8s.io/pod-security-admission/api/constants.go labelPrefix
export const POD_SECURITY_LABEL_PREFIX = 'pod-security.kubernetes.io/';

/** The modes of Pod Security Admission: refuse the pod, record it in the audit log, warn the client. */
export const POD_SECURITY_MODES: readonly string[] = ['enforce', 'audit', 'warn'];

/** Why `level` is not a Pod Security level, or undefined. */
export function podSecurityLevelProblem(level: any): string | undefined {
  return POD_SECURITY_LEVELS.includes(level)
    ? undefined
    : `${JSON.stringify(level)} is not a Pod Security level; use one of ${POD_SECURITY_LEVELS.join(', ')}`;
}

/**
 * The namespace labels that set `enforce`, `audit` and `warn` to the given levels (each
 * `pod-security.kubernetes.io/<mode>: <level>`). Throws for an unknown level.
 */
export function podSecurityLabels(enforce: string, audit: string = enforce, warn: string = audit): { [key: string]: string } {
  const levels: { [mode: string]: string } = { enforce, audit, warn };
  const labels: { [key: string]: string } = {};
  for (const mode of POD_SECURITY_MODES) {
    const problem = podSecurityLevelProblem(levels[mode]);
    if (problem !== undefined) {
      throw new Error(`Pod Security ${mode}: ${problem}`);
    }
    labels[`${POD_SECURITY_LABEL_PREFIX}${mode}`] = levels[mode];
  }
  return labels;
}
