/**
 * How bad a finding is, and the order of severities.
 */
/**
 * The severity of a finding, from `LOW` to `CRITICAL`. The values are the lower-case names
 * (`'low'`, `'medium'`, `'high'`, `'critical'`), as findings print them.
 */
export enum Severity {
  /** Hardening: worth fixing, no direct path to an attacker's goal. */
  LOW = 'low',
  /** A weakness an attacker needs something else to use. */
  MEDIUM = 'medium',
  /** A direct path to data, to other workloads or to policy changes. */
  HIGH = 'high',
  /** A direct path to cluster-wide control (every policy, every secret, any identity). */
  CRITICAL = 'critical',
}
