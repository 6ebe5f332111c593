/**
 * The order of severities, and checking a severity given by a caller.
 *
 * Internal module.
 */
import { describeValue } from '../core';
import { Severity } from './severity';

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
