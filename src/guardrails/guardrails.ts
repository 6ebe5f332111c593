/**
 * The cdk8s integration: `Guardrails.of(app).check({ failOn: Severity.MEDIUM })` makes
 * `app.synth()` fail with the findings at or above the threshold.
 */
import { App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { manifestsOfApp, manifestsOfChart } from '../analysis';
import { describeValue } from '../core';
import { Finding } from './finding';
import { AuditOptions } from './options';
import { checkAuditOptions, runAudit } from './run-audit';
import { Severity } from './severity';
import { checkSeverity, severityRank } from './severity-rank';

/** Options of `Guardrails.check()`. */
export interface GuardrailsCheckOptions extends AuditOptions {
  /**
   * The lowest severity that fails synthesis. Suppressed findings never fail it.
   *
   * @default Severity.MEDIUM
   */
  readonly failOn?: Severity;
}

const ID = 'cdk8s-calico-guardrails';

/** `HIGH CC-RBAC-005 User:alice: … Objects: … Fix: …`. */
function formatFinding(f: Finding): string {
  const subject = f.subject === undefined ? '' : ` ${f.subject}`;
  const suppressed = f.suppressedReason === undefined ? '' : ` [suppressed: ${f.suppressedReason}]`;
  return `${f.severity.toUpperCase()} ${f.rule}${subject}: ${f.message} Objects: ${f.objects.join(', ') || 'none'}. Fix: ${f.fix}${suppressed}`;
}

/**
 * The audit rule pack of an app or chart, run when it is synthesized (like cdk-nag's checks):
 * `Guardrails.of(app).check({ failOn: Severity.MEDIUM })` registers a construct validation, so
 * `app.synth()` fails listing every unsuppressed finding at or above `failOn`.
 *
 * @example
 * const app = new App();
 * // … charts …
 * Guardrails.of(app).check({
 *   failOn: Severity.MEDIUM,
 *   nodeCidrs: ['10.0.0.0/16'],
 *   suppressions: [{ rule: 'CC-RBAC-009', subjects: ['ServiceAccount:security/security-member'], reason: 'the security team labels service accounts by design' }],
 * });
 * app.synth();
 */
export class Guardrails extends Construct {
  /**
   * The guardrails of an app (every chart) or of a chart (its objects only), created on first use.
   *
   * @param scope a cdk8s `App` or `Chart`
   */
  public static of(scope: IConstruct): Guardrails {
    if (!(scope instanceof App) && !Chart.isChart(scope)) {
      const path = (scope as any)?.node?.path;
      throw new Error(`Guardrails.of(): expected a cdk8s App or Chart, got ${typeof path === 'string' ? `the construct "${path}"` : String(scope)}; `
        + 'pass the app (all charts) or the chart to audit');
    }
    const existing = scope.node.tryFindChild(ID);
    return existing instanceof Guardrails ? existing : new Guardrails(scope, ID);
  }

  private options?: GuardrailsCheckOptions;
  private failOn: Severity = Severity.MEDIUM;
  private auditing = false;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.node.addValidation({ validate: () => this.errors() });
  }

  /**
   * Fails synthesis on the findings at or above `options.failOn`. Calling it again replaces the
   * options. Options are checked at once.
   *
   * @param options threshold, rules, suppressions and network probes
   * @throws Error naming a bad option
   */
  public check(options: GuardrailsCheckOptions = {}): void {
    const where = 'Guardrails.check()';
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new Error(`${where}: expected options { failOn?, rules?, suppressions?, … }, got ${describeValue(options)}`);
    }
    this.failOn = options.failOn === undefined ? Severity.MEDIUM : checkSeverity(where, 'failOn', options.failOn);
    checkAuditOptions(where, options);
    this.options = options;
  }

  /**
   * Runs the audit now, with the options of `check()` (or none), over the objects of the app or
   * chart.
   *
   * @returns every finding, suppressed ones included
   */
  public findings(): Finding[] {
    return runAudit(`Guardrails "${this.scopePath()}"`, this.manifests(), this.options);
  }

  private manifests(): any[] {
    const scope = this.node.scope!;
    return scope instanceof App ? manifestsOfApp(scope) : manifestsOfChart(scope as Chart);
  }

  private scopePath(): string {
    return this.node.scope!.node.path || '(app)';
  }

  private errors(): string[] {
    // Chart.toJson() validates the whole app again: the nested validation of this construct has nothing to add.
    if (this.options === undefined || this.auditing) {
      return [];
    }
    let findings: Finding[];
    this.auditing = true;
    try {
      findings = this.findings();
    } finally {
      this.auditing = false;
    }
    const failing = findings.filter((f) => f.suppressedReason === undefined && severityRank(f.severity) >= severityRank(this.failOn));
    if (failing.length === 0) {
      return [];
    }
    const suppressed = findings.filter((f) => f.suppressedReason !== undefined).length;
    const below = findings.length - failing.length - suppressed;
    return [
      `cdk8s-calico guardrails: ${failing.length} finding${failing.length === 1 ? '' : 's'} at or above ${this.failOn} `
        + `(${suppressed} suppressed, ${below} below the threshold); fix them, or accept one with a reason in `
        + 'check({ suppressions: [{ rule, objects or subjects, reason }] })',
      ...failing.map(formatFinding),
    ];
  }
}
