/**
 * The audit's entry points: plain manifests, a chart or an app.
 */
import { App, Chart } from 'cdk8s';
import { manifestsOfApp, manifestsOfChart } from '../analysis';
import { describeValue } from '../core';
import { Finding, RuleInfo } from './finding';
import { LabelAuthority } from './label-authority';
import { AuditOptions } from './options';
import { ruleInfos } from './registry';
import { runAudit, runLabelAuthority } from './run-audit';

/**
 * Audits plain Kubernetes manifests (as in YAML; `kind: List` is unpacked) with every rule of
 * the pack, or those of `options.rules`.
 *
 * @param objects the manifests
 * @param options rules, suppressions and network probes
 * @returns the findings, highest severity first, then by rule and subject; suppressed findings
 *   included, marked with `suppressedReason`
 * @throws Error for bad options (naming the option) or malformed manifests (naming the object and field)
 */
export function audit(objects: any[], options?: AuditOptions): Finding[] {
  return runAudit('audit()', objects, options);
}

/**
 * Audits the objects every chart of an app synthesizes.
 *
 * @param app the cdk8s app
 * @param options rules, suppressions and network probes
 */
export function auditApp(app: App, options?: AuditOptions): Finding[] {
  if (!(app instanceof App)) {
    throw new Error(`auditApp(): expected a cdk8s App, got ${describeValue(app)}${Chart.isChart(app) ? ' (a Chart: use auditChart())' : ''}`);
  }
  return runAudit('auditApp()', manifestsOfApp(app), options);
}

/**
 * Audits the objects a chart synthesizes.
 *
 * @param chart the cdk8s chart
 * @param options rules, suppressions and network probes
 */
export function auditChart(chart: Chart, options?: AuditOptions): Finding[] {
  if (!Chart.isChart(chart)) {
    throw new Error(`auditChart(): expected a cdk8s Chart, got ${describeValue(chart)}${(chart as any) instanceof App ? ' (an App: use auditApp())' : ''}`);
  }
  return runAudit('auditChart()', manifestsOfChart(chart), options);
}

/**
 * For every label key that a selector of a security-tier policy reads (pod, namespace or
 * service-account labels, and the labels Calico derives from names), who can set it, from the
 * RBAC model: pod labels whoever creates pods or pod controllers where the selector can match;
 * namespace labels whoever creates or changes namespaces (except `projectcalico.org/name` and
 * `kubernetes.io/metadata.name`, which come from the name); service-account labels whoever
 * creates or changes service accounts there; and, for rule peers, whoever writes network sets.
 *
 * @param objects the manifests
 * @param options `securityTiers`, network and subject options (rules and suppressions do not apply)
 * @returns one entry per source and key, sorted
 */
export function labelAuthority(objects: any[], options?: AuditOptions): LabelAuthority[] {
  return runLabelAuthority('labelAuthority()', objects, options);
}

/**
 * The audit rule pack, for every jsii language: audit manifests, a chart or an app, and list
 * the rules.
 *
 * @example
 * const findings = Audit.app(app, { nodeCidrs: ['10.0.0.0/16'] });
 * for (const f of findings) console.log(`${f.severity} ${f.rule} ${f.subject ?? ''}: ${f.message}`);
 */
export class Audit {
  /**
   * Audits plain Kubernetes manifests.
   *
   * @param objects the manifests (as in YAML)
   * @param options rules, suppressions and network probes
   * @returns the findings, highest severity first
   */
  public static objects(objects: any[], options?: AuditOptions): Finding[] {
    return runAudit('Audit.objects()', objects, options);
  }

  /**
   * Audits the objects every chart of an app synthesizes.
   *
   * @param app the cdk8s app
   * @param options rules, suppressions and network probes
   */
  public static app(app: App, options?: AuditOptions): Finding[] {
    return auditApp(app, options);
  }

  /**
   * Audits the objects a chart synthesizes.
   *
   * @param chart the cdk8s chart
   * @param options rules, suppressions and network probes
   */
  public static chart(chart: Chart, options?: AuditOptions): Finding[] {
    return auditChart(chart, options);
  }

  /**
   * For every label key a security-tier selector reads, who can set it (see `labelAuthority()`).
   *
   * @param objects the manifests
   * @param options `securityTiers`, network and subject options
   */
  public static labelAuthority(objects: any[], options?: AuditOptions): LabelAuthority[] {
    return runLabelAuthority('Audit.labelAuthority()', objects, options);
  }

  /** What every rule checks, in id order. */
  public static rules(): RuleInfo[] {
    return ruleInfos();
  }

  private constructor() {}
}
