/**
 * `cdk8s-calico check`: is one flow allowed by the network policies?
 */
import { ExternalTier, NetworkModel } from '../../analysis';
import { CliIo, Command, EXIT_DENIED, EXIT_OK, PROGRAM, withNewline } from '../command';
import { loadManifests } from '../load-manifests';
import {
  HELP_HELP, INCLUDE_STAGED_HELP, INCLUDE_STAGED_OPTION, TIER_HELP, TIER_OPTION, externalTiers, includeStaged,
  MANIFESTS_HELP, MANIFESTS_OPTION, optionalString,
  parseCommandLine, parsePort, rejectPositionals, requireManifests, requireString,
} from '../options';

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
}

const NAME = 'check';

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
${HELP_HELP}

Examples:
  ${PROGRAM} check --manifests dist/ --from fe/web --to be/api --port 443
  ${PROGRAM} check -f dist/ --from be/api --to ip:10.96.0.10 --protocol UDP --port 53
  cdk8s synth --stdout | ${PROGRAM} check -f - --from fe/web --to be/api --port http

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
    });
    const manifests = requireManifests(NAME, line);
    const { values, positionals } = line;
    rejectPositionals(NAME, positionals);
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
    };
  },

  run(args: CheckArgs, io: CliIo): number {
    const model = NetworkModel.fromManifests(loadManifests(args.manifests, io.stdin?.bind(io)), { tiers: args.tiers });
    const verdict = model.check(
      { from: args.from, to: args.to, protocol: args.protocol, port: args.port },
      { includeStaged: args.includeStaged },
    );
    io.stdout(withNewline(verdict.explanation));
    return verdict.allowed ? EXIT_OK : EXIT_DENIED;
  },
};
