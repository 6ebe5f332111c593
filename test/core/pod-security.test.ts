import { podSecurityLabels, podSecurityLevelProblem, POD_SECURITY_LEVELS } from '../../src/core/pod-security';

describe('Pod Security Admission facts', () => {
  test('labels for enforce, audit and warn; audit and warn follow enforce unless given', () => {
    expect(podSecurityLabels('restricted')).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(podSecurityLabels('baseline', 'restricted')).toEqual({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  test('levels, and a clear error for any other value', () => {
    expect(POD_SECURITY_LEVELS).toEqual(['privileged', 'baseline', 'restricted']);
    expect(podSecurityLevelProblem('baseline')).toBeUndefined();
    expect(podSecurityLevelProblem('strict')).toBe('"strict" is not a Pod Security level; use one of privileged, baseline, restricted');
    expect(() => podSecurityLabels('restricted', 'Restricted')).toThrow(
      'Pod Security audit: "Restricted" is not a Pod Security level; use one of privileged, baseline, restricted',
    );
  });
});
