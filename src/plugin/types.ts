/**
 * The parts of cdk8s-cli's validation plugin interface (`cdk8s-cli/lib/plugins/validation`)
 * this plugin uses, declared structurally so that the package needs no runtime dependency on
 * cdk8s-cli.
 */

/** A resource that violates a rule. */
export interface ValidationViolatingResource {
  /** The resource name; cdk8s looks up its construct path by it. */
  readonly resourceName: string;
  /** Where in the resource the problems are. */
  readonly locations: readonly string[];
  /** The manifest the resource is defined in. */
  readonly manifestPath: string;
}

/** A violation of a rule. */
export interface ValidationViolation {
  /** The rule. */
  readonly ruleName: string;
  /** What is wrong and what to do. */
  readonly recommendation: string;
  /** How to fix it. */
  readonly fix: string;
  /** The resources violating the rule. */
  readonly violatingResources: readonly ValidationViolatingResource[];
}

/** The report a validation builds. */
export interface ValidationReport {
  /** Adds a violation. */
  addViolation(violation: ValidationViolation): void;
  /** Submits the report. */
  submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
}

/** What `cdk8s synth` gives a validation plugin. */
export interface ValidationContext {
  /** The synthesized manifest files. */
  readonly manifests: readonly string[];
  /** The report to fill and submit. */
  readonly report: ValidationReport;
  /** The logger to use instead of console.log. */
  readonly logger: { log(message: string): void };
}
