/**
 * `cdk8s-calico audit`: the rule pack of `src/guardrails` over manifests; exit 1 when a finding
 * is at or above `--fail-on`.
 */
import { ExternalTier } from '../../analysis';
import { Audit, AuditOptions, Finding, Severity } from '../../guardrails';
import { CliIo, Command, EXIT_DENIED, EXIT_OK, PROGRAM, UsageError, withNewline } from '../command';
import { loadManifests } from '../load-manifests';
import {
  HELP_HELP, MANIFESTS_HELP, MANIFESTS_OPTION, TIER_HELP, TIER_OPTION, externalTiers, optionalString,
  parseCommandLine, rejectPositionals, requireManifests, stringList,
} from '../options';

/** The output formats of `audit`. */
const OUTPUTS = ['text', 'json'] as const;

/** The severities, lowest first, as `--fail-on` takes them. */
const SEVERITIES: readonly Severity[] = [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL];

/** The arguments of `cdk8s-calico audit`. */
export interface AuditArgs {
  /** Manifest files, directories, or `-` for standard input. */
  readonly manifests: string[];
  /** `text` (default) or `json`. */
  readonly output: 'text' | 'json';
  /** The lowest severity that makes the exit code 1. */
  readonly failOn: Severity;
  /** Run only these rules (`--rule`); empty means all. */
  readonly rules: string[];
  /** Tiers managed outside the manifests (`--tier`). */
  readonly tiers: ExternalTier[];
  /** The pod networks (`--pod-cidr`). */
  readonly podCidrs: string[];
  /** The service networks (`--service-cidr`). */
  readonly serviceCidrs: string[];
  /** The node networks (`--node-cidr`), for the kubelet rule. */
  readonly nodeCidrs: string[];
  /** The tiers the security team owns (`--security-tier`); empty means the default. */
  readonly securityTiers: string[];
}

const NAME = 'audit';

/** The rank of a severity, 0 for low. */
function rank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * The findings as JSON: `{"findings": [{"rule", "severity", "subject", "message", "objects", "fix"}]}`,
 * `subject` null when the finding names none.
 */
export function findingsJson(findings: readonly Finding[]): string {
  return `${JSON.stringify({
    findings: findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      subject: f.subject ?? null,
      message: f.message,
      objects: f.objects,
      fix: f.fix,
    })),
  }, null, 2)}\n`;
}

/** The findings as text: one block per finding, then a summary line. */
export function findingsText(findings: readonly Finding[], failOn: Severity): string {
  const blocks = findings.map((f) => [
    `${f.severity.toUpperCase()} ${f.rule}${f.subject === undefined ? '' : ` ${f.subject}`}`,
    `  ${f.message}`,
    `  objects: ${f.objects.length === 0 ? 'none' : f.objects.join(', ')}`,
    `  fix: ${f.fix}`,
  ].join('\n'));
  const counts = [...SEVERITIES].reverse()
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const failing = findings.filter((f) => rank(f.severity) >= rank(failOn)).length;
  const summary = findings.length === 0
    ? 'No findings.'
    : `${findings.length} finding${findings.length === 1 ? '' : 's'} (${counts.join(', ')}); ${failing} at or above ${failOn}.`;
  return [...blocks, summary].join('\n\n') + '\n';
}

/** `cdk8s-calico audit`: runs the audit rule pack; exit 0 clean, 1 findings at or above --fail-on. */
export const auditCommand: Command<AuditArgs> = {
  name: NAME,
  summary: 'Audit the manifests with the guardrails rule pack (RBAC escalation, egress, labels).',
  usage: `Usage: ${PROGRAM} audit --manifests <path>... [--output text|json] [--fail-on <severity>] [options]

Runs the audit rule pack over the manifests: RBAC escalation paths (pod creation, tokens,
secrets, bind/escalate, impersonation, bindings, crd.projectcalico.org, labels, nodes/proxy,
wildcards), workloads that reach the internet, the cloud metadata service or the kubelet,
host-network pods, namespaces without Pod Security, controls teams can undo, and labels the
security tiers trust that others can set. Every finding names the rule, its severity, the
subject (User:<name>, Group:<name> or ServiceAccount:<namespace>/<name>) when one is involved,
what it gains, the objects involved and a fix.

Options:
${MANIFESTS_HELP}
      --output text|json     text (default): one block per finding and a summary.
                             json: {"findings": [{"rule", "severity", "subject", "message",
                             "objects", "fix"}]}, every finding, highest severity first;
                             "subject" is null when the finding names none.
      --fail-on <severity>   The lowest severity that makes the exit code 1: low, medium
                             (default), high or critical.
      --rule <id>            Run only this rule, e.g. CC-RBAC-001; may be repeated.
      --security-tier <name> A tier the security team owns; may be repeated. Default: every
                             tier evaluated before default, except kube-admin.
      --node-cidr <cidr>     A node network: workloads reaching TCP 10250 there are reported;
                             may be repeated.
      --pod-cidr <cidr>      A pod network (where pods without a known address are); may be
                             repeated.
      --service-cidr <cidr>  A service network; may be repeated.
${TIER_HELP}
${HELP_HELP}

Examples:
  ${PROGRAM} audit --manifests dist/
  ${PROGRAM} audit -f dist/ --output json --fail-on high
  ${PROGRAM} audit -f dist/ --node-cidr 10.0.0.0/16 --pod-cidr 10.244.0.0/16 --pod-cidr fd00:10:244::/56
  cdk8s synth --stdout | ${PROGRAM} audit -f - --rule CC-RBAC-013 --security-tier security

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 error.
`,

  parse(argv) {
    const line = parseCommandLine(NAME, argv, {
      ...MANIFESTS_OPTION,
      'output': { type: 'string' },
      'fail-on': { type: 'string' },
      'rule': { type: 'string', multiple: true },
      'security-tier': { type: 'string', multiple: true },
      'node-cidr': { type: 'string', multiple: true },
      'pod-cidr': { type: 'string', multiple: true },
      'service-cidr': { type: 'string', multiple: true },
      ...TIER_OPTION,
    });
    const manifests = requireManifests(NAME, line);
    const { values, positionals } = line;
    rejectPositionals(NAME, positionals);
    const output = optionalString(values.output, '--output', NAME) ?? 'text';
    if (!(OUTPUTS as readonly string[]).includes(output)) {
      throw new UsageError(`--output must be text or json, got "${output}"`, NAME);
    }
    const failOn = optionalString(values['fail-on'], '--fail-on', NAME) ?? Severity.MEDIUM;
    if (!(SEVERITIES as readonly string[]).includes(failOn)) {
      throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, got "${failOn}"`, NAME);
    }
    const rules = stringList(values.rule, '--rule', NAME);
    const known = Audit.rules().map((r) => r.id);
    for (const id of rules) {
      if (!known.includes(id)) {
        throw new UsageError(`--rule "${id}" is not a rule; the rules are ${known.join(', ')}`, NAME);
      }
    }
    return {
      manifests,
      output: output as AuditArgs['output'],
      failOn: failOn as Severity,
      rules,
      tiers: externalTiers(values, NAME),
      podCidrs: stringList(values['pod-cidr'], '--pod-cidr', NAME),
      serviceCidrs: stringList(values['service-cidr'], '--service-cidr', NAME),
      nodeCidrs: stringList(values['node-cidr'], '--node-cidr', NAME),
      securityTiers: stringList(values['security-tier'], '--security-tier', NAME),
    };
  },

  run(args: AuditArgs, io: CliIo): number {
    const options: AuditOptions = {
      rules: args.rules.length === 0 ? undefined : args.rules,
      tiers: args.tiers,
      podCidrs: args.podCidrs,
      serviceCidrs: args.serviceCidrs,
      nodeCidrs: args.nodeCidrs,
      securityTiers: args.securityTiers.length === 0 ? undefined : args.securityTiers,
    };
    const findings = Audit.objects(loadManifests(args.manifests, io.stdin?.bind(io)), options);
    io.stdout(args.output === 'json' ? findingsJson(findings) : withNewline(findingsText(findings, args.failOn)));
    return findings.some((f) => rank(f.severity) >= rank(args.failOn)) ? EXIT_DENIED : EXIT_OK;
  },
};
