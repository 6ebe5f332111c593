/**
 * `cdk8s-calico check`: is one flow allowed by the network policies?
 */
import { DirectionVerdict, ExternalTier, FlowVerdict, NetworkModel } from '../../analysis';
import { CliIo, Command, EXIT_DENIED, EXIT_OK, PROGRAM, withNewline } from '../command';
import { loadManifests } from '../load-manifests';
import {
  HELP_HELP, INCLUDE_STAGED_HELP, INCLUDE_STAGED_OPTION, TIER_HELP, TIER_OPTION, externalTiers, includeStaged,
  MANIFESTS_HELP, MANIFESTS_OPTION, optionalString,
  parseCommandLine, parsePort, rejectPositionals, requireManifests, requireString,
} from '../options';
import { markdownCode, markdownTable, OUTPUT_OPTION, OutputFormat, outputFormat, outputHelp, toJson } from '../output';

/** The arguments of `cdk8s-calico check`. */
export interface CheckArgs {
  /** Manifest files, directories, or `-` for standard input. */
  readonly manifests: string[];
  /** Source endpoint: `<namespace>/<name>` or `ip:<address>`. */
  readonly from: string;
  /** Destination endpoint: `<namespace>/<name>` or `ip:<address>`. */
  readonly to: string;
  /** Protocol: a name in any case (`TCP`, `udp`, `ICMPv6`, …) or a number 1-255. */
  readonly protocol?: string;
  /** Destination port: a number, or the name of a container port of the destination. */
  readonly port?: number | string;
  /** Whether staged policies are evaluated as if they were enforced. */
  readonly includeStaged: boolean;
  /** Tiers managed outside the manifests (`--tier`). */
  readonly tiers: ExternalTier[];
  /** The output format (`--output`): `text` (default), `json` or `md`. */
  readonly output: OutputFormat;
}

const NAME = 'check';
const FORMATS: readonly OutputFormat[] = ['text', 'json', 'md'];

/** `cdk8s-calico check`: evaluates the network policies for one flow; exit 0 allowed, 1 denied. */
export const checkCommand: Command<CheckArgs> = {
  name: NAME,
  summary: 'Is traffic from one endpoint to another allowed by the network policies?',
  usage: `Usage: ${PROGRAM} check --manifests <path>... --from <endpoint> --to <endpoint> [options]

Evaluates the Calico and Kubernetes network policies in the manifests for one flow and
prints the verdict with its explanation.

Endpoints: <namespace>/<name> (a workload in the manifests) or ip:<address>.

Options:
${MANIFESTS_HELP}
      --from <endpoint>      Source endpoint. Required.
      --to <endpoint>        Destination endpoint. Required.
      --protocol <protocol>  Protocol: TCP (default), UDP, SCTP, UDPLite, ICMP, ICMPv6 (any
                             case) or a number 1-255. ICMP stands for an echo request.
      --port <port>          Destination port: a number 1-65535, or the name of a container
                             port of the destination (e.g. http).
${INCLUDE_STAGED_HELP}
${TIER_HELP}
${outputHelp(FORMATS)}
${HELP_HELP}

JSON fields (--output json; absent values are null):
  from, to, protocol, port   the flow as asked (protocol defaults to TCP)
  includeStaged              whether staged policies were evaluated as enforced
  allowed                    true when egress and ingress both allow
  egress, ingress            each side: allowed, decidedBy (RULE, END_OF_TIER, NO_POLICY,
                             PROFILE_ALLOW, NOT_APPLICABLE), tier, policy, ruleIndex, action,
                             reason, trace (list of lines)
  explanation                the text output

Examples:
  ${PROGRAM} check --manifests dist/ --from fe/web --to be/api --port 443
  ${PROGRAM} check -f dist/ --from be/api --to ip:10.96.0.10 --protocol UDP --port 53
  cdk8s synth --stdout | ${PROGRAM} check -f - --from fe/web --to be/api --port http
  ${PROGRAM} check -f dist/ --from fe/web --to be/api --port 443 --output json

Exit codes: 0 allowed, 1 denied, 2 error.
`,

  parse(argv) {
    const line = parseCommandLine(NAME, argv, {
      ...MANIFESTS_OPTION,
      from: { type: 'string' },
      to: { type: 'string' },
      protocol: { type: 'string' },
      port: { type: 'string' },
      ...INCLUDE_STAGED_OPTION,
      ...TIER_OPTION,
      ...OUTPUT_OPTION,
    });
    const manifests = requireManifests(NAME, line);
    const { values, positionals } = line;
    rejectPositionals(NAME, positionals);
    const output = outputFormat(values, NAME, FORMATS);
    const from = requireString(values.from, '--from', NAME, 'the source endpoint, <namespace>/<name> or ip:<address>');
    const to = requireString(values.to, '--to', NAME, 'the destination endpoint, <namespace>/<name> or ip:<address>');
    const protocol = optionalString(values.protocol, '--protocol', NAME);
    const port = optionalString(values.port, '--port', NAME);
    return {
      manifests,
      from,
      to,
      protocol,
      port: port === undefined ? undefined : parsePort(port, NAME),
      includeStaged: includeStaged(values),
      tiers: externalTiers(values, NAME),
      output,
    };
  },

  run(args: CheckArgs, io: CliIo): number {
    const model = NetworkModel.fromManifests(loadManifests(args.manifests, io.stdin?.bind(io)), { tiers: args.tiers });
    const verdict = model.check(
      { from: args.from, to: args.to, protocol: args.protocol, port: args.port },
      { includeStaged: args.includeStaged },
    );
    if (args.output === 'json') {
      io.stdout(toJson(checkJson(args, verdict)));
    } else if (args.output === 'md') {
      io.stdout(checkMarkdown(args, verdict));
    } else {
      io.stdout(withNewline(verdict.explanation));
    }
    return verdict.allowed ? EXIT_OK : EXIT_DENIED;
  },
};

/** One side of a verdict with the stable field names of `--output json`. */
function sideJson(side: DirectionVerdict) {
  return {
    allowed: side.allowed,
    decidedBy: side.decidedBy,
    tier: side.tier ?? null,
    policy: side.policy ?? null,
    ruleIndex: side.ruleIndex ?? null,
    action: side.action ?? null,
    reason: side.reason,
    trace: side.trace,
  };
}

/** The verdict with the stable field names of `--output json`. */
function checkJson(args: CheckArgs, verdict: FlowVerdict) {
  return {
    from: args.from,
    to: args.to,
    protocol: args.protocol ?? 'TCP',
    port: args.port ?? null,
    includeStaged: args.includeStaged,
    allowed: verdict.allowed,
    egress: sideJson(verdict.egress),
    ingress: sideJson(verdict.ingress),
    explanation: verdict.explanation,
  };
}

/** The verdict as Markdown: the headline, a table of both sides and the full explanation folded. */
function checkMarkdown(args: CheckArgs, verdict: FlowVerdict): string {
  const port = args.port === undefined ? '' : ` port ${args.port}`;
  const rows = ([['egress', args.from, verdict.egress], ['ingress', args.to, verdict.ingress]] as const)
    .map(([side, end, v]) => [`${side} of ${markdownCode(end)}`, v.allowed ? 'allowed' : 'denied', v.reason]);
  return `**${verdict.allowed ? 'ALLOWED' : 'DENIED'}**: ${markdownCode(args.from)} → ${markdownCode(args.to)} ${args.protocol ?? 'TCP'}${port}`
    + `${args.includeStaged ? ' (staged policies included)' : ''}\n\n`
    + markdownTable(['side', 'verdict', 'decided by'], rows)
    + `\n<details><summary>Explanation</summary>\n\n\`\`\`text\n${withNewline(verdict.explanation)}\`\`\`\n\n</details>\n`;
}
