/**
 * Running the audit: check the options, run the rules over the manifests, apply suppressions,
 * order the findings.
 *
 * Internal module.
 */
import { describeValue } from '../core';
import { AuditContext, ResolvedOptions, resolveOptions, stringList } from './context';
import { Finding, Suppression } from './finding';
import { LabelAuthority } from './label-authority';
import { labelAuthorityOf } from './label-trust';
import { flattenObjects, OBJECT_REF } from './manifests';
import { AuditOptions } from './options';
import { RULES, ruleById } from './registry';
import { AuditRule } from './rule';
import { severityRank } from './severity-rank';
import { checkSubjectPattern } from './subjects';

/** The shortest reason a suppression may give. */
const MIN_REASON_LENGTH = 10;


function knownRules(): string {
  return RULES.map((r) => r.id).join(', ');
}

function checkRuleId(where: string, field: string, value: any): AuditRule {
  const rule = typeof value === 'string' ? ruleById(value) : undefined;
  if (rule === undefined) {
    throw new Error(`${where}: ${field}: ${describeValue(value)} is not a rule id; the rules are ${knownRules()}`);
  }
  return rule;
}

/** Checks the suppressions of the options. */
function checkSuppressions(where: string, value: any): Suppression[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new Error(`${where}: suppressions: expected a list of { rule, objects?, subjects?, reason }, got ${describeValue(value)}`);
  }
  return value.map((s: any, i: number) => {
    const field = `suppressions[${i}]`;
    if (s === null || typeof s !== 'object' || Array.isArray(s)) {
      throw new Error(`${where}: ${field}: expected { rule, objects?, subjects?, reason }, got ${describeValue(s)}`);
    }
    checkRuleId(where, `${field}.rule`, s.rule);
    if (typeof s.reason !== 'string' || s.reason.trim().length < MIN_REASON_LENGTH) {
      throw new Error(`${where}: ${field}.reason: ${describeValue(s.reason)} does not say why ${s.rule} is accepted; `
        + `give a reason of at least ${MIN_REASON_LENGTH} characters`);
    }
    const objects = stringList(where, `${field}.objects`, s.objects, []);
    objects.forEach((o, j) => {
      if (!OBJECT_REF.test(o)) {
        throw new Error(`${where}: ${field}.objects[${j}]: "${o}" is not an object reference; write Kind namespace/name or `
          + 'Kind name, as findings list them, e.g. ClusterRoleBinding security-serviceaccount-labeler');
      }
    });
    const subjects = stringList(where, `${field}.subjects`, s.subjects, [])
      .map((v, j) => checkSubjectPattern(where, `${field}.subjects[${j}]`, v, false));
    if (objects.length === 0 && subjects.length === 0) {
      throw new Error(`${where}: ${field}: names no objects and no subjects; list the objects or subjects whose ${s.rule} `
        + 'findings are accepted (a rule is switched off for all with the rules option)');
    }
    return { rule: s.rule, objects, subjects, reason: s.reason };
  });
}

/** Checks the rule selection of the options. */
function selectRules(where: string, value: any): readonly AuditRule[] {
  if (value === undefined) {
    return RULES;
  }
  const ids = stringList(where, 'rules', value, []);
  const selected = ids.map((id, i) => checkRuleId(where, `rules[${i}]`, id));
  return RULES.filter((r) => selected.includes(r));
}

function suppressionOf(finding: Finding, suppressions: readonly Suppression[]): Suppression | undefined {
  return suppressions.find((s) => s.rule === finding.rule
    && ((finding.subject !== undefined && (s.subjects ?? []).includes(finding.subject))
      || finding.objects.some((o) => (s.objects ?? []).includes(o))));
}

/** Severity (highest first), then rule, subject, first object and message. */
function compareFindings(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity)
    || a.rule.localeCompare(b.rule)
    || (a.subject ?? '').localeCompare(b.subject ?? '')
    || (a.objects[0] ?? '').localeCompare(b.objects[0] ?? '')
    || a.message.localeCompare(b.message);
}

/** Audit options, checked. */
export interface CheckedOptions {
  readonly rules: readonly AuditRule[];
  readonly suppressions: Suppression[];
  readonly resolved: ResolvedOptions;
}

/**
 * Checks every audit option.
 *
 * @param where names the entry point in errors
 * @throws Error naming the option, what was wrong and what would be right
 */
export function checkAuditOptions(where: string, options: AuditOptions | undefined): CheckedOptions {
  const opts: AuditOptions = options ?? {};
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new Error(`${where}: options: expected an object of audit options, got ${describeValue(opts)}`);
  }
  return {
    rules: selectRules(where, opts.rules),
    suppressions: checkSuppressions(where, opts.suppressions),
    resolved: resolveOptions(where, opts),
  };
}

/** The audit behind every entry point; `where` names the entry point in errors. */
export function runAudit(where: string, objects: any, options: AuditOptions | undefined): Finding[] {
  const { rules, suppressions, resolved } = checkAuditOptions(where, options);
  const ctx = new AuditContext(flattenObjects(where, objects), resolved);
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const raw of rule.check(ctx)) {
      const finding: Finding = { rule: rule.id, ...raw };
      const suppression = suppressionOf(finding, suppressions);
      findings.push(suppression === undefined ? finding : { ...finding, suppressedReason: suppression.reason });
    }
  }
  return findings.sort(compareFindings);
}

/** The label-authority report behind every entry point; `where` names the entry point in errors. */
export function runLabelAuthority(where: string, objects: any, options: AuditOptions | undefined): LabelAuthority[] {
  const { resolved } = checkAuditOptions(where, options);
  return labelAuthorityOf(new AuditContext(flattenObjects(where, objects), resolved));
}
