/**
 * What the audit reports: findings, suppressions and the description of a rule.
 */
import { Severity } from './severity';

/**
 * One problem found in a set of manifests.
 */
export interface Finding {
  /** The rule that found it, e.g. `CC-RBAC-005`. */
  readonly rule: string;

  /** How bad it is. */
  readonly severity: Severity;

  /**
   * Who holds the dangerous permission: `User:<name>`, `Group:<name>` or
   * `ServiceAccount:<namespace>/<name>`.
   *
   * @default - none: the finding is about workloads or objects, not an RBAC subject
   */
  readonly subject?: string;

  /** What is wrong and what an attacker gains, with the permission chain or the deciding policy. */
  readonly message: string;

  /**
   * The manifest objects involved, as `Kind namespace/name` (namespaced) or `Kind name`
   * (cluster-scoped), e.g. `ClusterRoleBinding security-network-policy-admin`.
   */
  readonly objects: string[];

  /** A suggested fix. */
  readonly fix: string;

  /**
   * The reason of the suppression that matched the finding. A suppressed finding is still
   * reported, but never fails `Guardrails.check()`.
   *
   * @default - not suppressed
   */
  readonly suppressedReason?: string;
}

/**
 * Accepts a rule's findings about named objects or subjects, with a reason (like cdk-nag's
 * `NagSuppressions`). A finding is suppressed when its rule matches and its subject is one of
 * `subjects` or one of its objects is one of `objects`. Suppressed findings stay in the
 * report, marked with the reason.
 */
export interface Suppression {
  /** The rule id, e.g. `CC-RBAC-009`. */
  readonly rule: string;

  /**
   * Objects whose findings are accepted, as findings name them: `Kind namespace/name` or
   * `Kind name`, e.g. `ClusterRoleBinding security-serviceaccount-labeler`.
   *
   * @default - none
   */
  readonly objects?: string[];

  /**
   * Subjects whose findings are accepted: `User:<name>`, `Group:<name>` or
   * `ServiceAccount:<namespace>/<name>`.
   *
   * @default - none
   */
  readonly subjects?: string[];

  /** Why the finding is accepted (at least 10 characters; it is printed with the finding). */
  readonly reason: string;
}

/**
 * What a rule checks.
 */
export interface RuleInfo {
  /** The rule id, e.g. `CC-NET-002`. */
  readonly id: string;

  /** The highest severity of its findings. */
  readonly severity: Severity;

  /** A short title. */
  readonly title: string;

  /** What the rule checks and why it matters. */
  readonly description: string;
}
