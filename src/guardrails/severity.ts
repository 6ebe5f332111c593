/**
 * How bad a finding is, and the order of severities.
 */
import { describeValue } from '../core';

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

const ORDER: readonly Severity[] = [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL];

/** The rank of a severity: 0 for LOW up to 3 for CRITICAL. */
export function severityRank(severity: Severity): number {
  return ORDER.indexOf(severity);
}

/**
 * Checks a severity given by a caller (a `Severity` member or its lower-case value).
 *
 * @param where what is being configured, e.g. `Guardrails.check()`
 * @param field the option, e.g. `failOn`
 * @throws Error naming the option and the accepted values
 */
export function checkSeverity(where: string, field: string, value: any): Severity {
  if (!ORDER.includes(value)) {
    throw new Error(`${where}: ${field}: ${describeValue(value)} is not a severity; use Severity.LOW, Severity.MEDIUM, Severity.HIGH or Severity.CRITICAL`);
  }
  return value;
}
