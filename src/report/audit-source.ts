/**
 * The report's view of the audit rule pack: a finding as the report prints it, and the audit as
 * a function of the manifests. The report depends on this small interface only, so that it
 * builds with or without the rule pack; the `report` command passes the package's audit.
 */

/** One audit finding as the report prints it. */
export interface ReportFinding {
  /** The rule id, e.g. `CC-RBAC-005`. */
  readonly rule: string;
  /** `critical`, `high`, `medium`, `low` or `info`. */
  readonly severity: string;
  /** The subject holding a dangerous permission, e.g. `ServiceAccount:be/ci`; absent for findings about objects. */
  readonly subject?: string;
  /** What is wrong and what an attacker gains. */
  readonly message: string;
  /** The objects involved, e.g. `ClusterRoleBinding x`. */
  readonly objects: string[];
  /** How to fix it. */
  readonly fix: string;
}

/** Audits a set of manifests: the findings, most severe first. */
export type AuditSource = (objects: any[]) => ReportFinding[];
