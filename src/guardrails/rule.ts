/**
 * The shape of a rule: its description and one pure function from the audit context to
 * findings.
 *
 * Internal module.
 */
import { AuditContext } from './context';
import { RuleInfo } from './finding';
import { Severity } from './severity';

/** A finding before the registry stamps the rule id on it. */
export interface RuleFinding {
  readonly severity: Severity;
  readonly subject?: string;
  readonly message: string;
  readonly objects: string[];
  readonly fix: string;
}

/** A rule: what it checks, and the check. */
export interface AuditRule extends RuleInfo {
  /** The check: pure, deterministic, reading only the context. */
  readonly check: (ctx: AuditContext) => RuleFinding[];
}
