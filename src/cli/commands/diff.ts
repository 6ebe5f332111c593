/**
 * `cdk8s-calico diff`: what a change of manifests opens and closes — flows between workloads and
 * RBAC permissions of each subject — for a pull-request gate.
 */
import { ExternalTier } from '../../analysis';
import { diffManifests } from '../../analysis/diff';
import { diffJson, diffMarkdown, diffText } from '../../report/diff';
import { CliIo, Command, EXIT_DENIED, EXIT_OK, PROGRAM, UsageError } from '../command';
import { loadManifests, STDIN_PATH } from '../load-manifests';
import {
  CLUSTER_NETWORK_HELP, CLUSTER_NETWORK_OPTIONS, clusterNetworks, externalTiers, HELP_HELP, INCLUDE_STAGED_HELP, INCLUDE_STAGED_OPTION,
  includeStaged, parseCommandLine, parseProtocolPort, ProtocolPort, rejectPositionals, stringList, TIER_HELP, TIER_OPTION,
} from '../options';
import { OUTPUT_OPTION, OutputFormat, outputFormat, outputHelp, progressOn } from '../output';

/** The arguments of `cdk8s-calico diff`. */
export interface DiffArgs {
  /** The manifests before the change: files, directories, or `-` for standard input. */
  readonly before: string[];
  /** The manifests after the change. */
  readonly after: string[];
  /** Extra ports to ask (`--port`, `[<protocol>/]<port>`). */
  readonly ports: ProtocolPort[];
  /** Extra addresses outside the cluster to ask (`--external ip:<address>`). */
  readonly external: string[];
  /** Whether staged policies are evaluated as if they were enforced. */
  readonly includeStaged: boolean;
  /** Tiers managed outside the manifests (`--tier`). */
  readonly tiers: ExternalTier[];
  /** The cluster's pod networks (`--pod-cidr`). */
  readonly podCidrs: string[];
  /** The cluster's service networks (`--service-cidr`). */
  readonly serviceCidrs: string[];
  /** The output format: `text` (default), `md` or `json`. */
  readonly output: OutputFormat;
}

const NAME = 'diff';
const FORMATS: readonly OutputFormat[] = ['text', 'md', 'json'];

/** `cdk8s-calico diff`: exit 1 when the change opens a flow or gives a permission, 0 otherwise. */
export const diffCommand: Command<DiffArgs> = {
  name: NAME,
  summary: 'What a change opens and closes: flows between workloads, RBAC permissions.',
  usage: `Usage: ${PROGRAM} diff --before <path>... --after <path>... [options]

Compares two sets of manifests (e.g. the synth of main and of a pull request) and lists
  - the flows that become allowed (opened) or denied (closed), between every pair of
    endpoints (workloads, pods) and classes of addresses outside the cluster, each with the
    policy and rule that decides it before and after (Calico tiers, Calico and Kubernetes
    policies, staged policies with --include-staged);
  - the RBAC permissions each subject (User, Group, ServiceAccount) gains or loses: verbs on
    resources, cluster-wide or per namespace, per Calico tier for tiered policies.

Ports: for each protocol (TCP and UDP always, and every protocol a rule names), the numbers
and ranges the rules name cut 1-65535 into ranges that every rule treats alike; one port of
each range is asked and stands for the range (e.g. "TCP 444-8079"). Ports the rules name by
container-port name (http) are asked by name, on every destination that has it. --port adds
ports, e.g. the target ports of Services that only Calico "services" matches name.
Addresses: the networks the rules name cut the address space into classes, e.g.
"0.0.0.0/0 except 10.0.0.0/8"; one address of each class is asked. --external adds more.

Options:
      --before <path>...     Manifests before the change: YAML/JSON files, directories
                             (recursively), or - for standard input. Required.
      --after <path>...      Manifests after the change, as --before. Required.
      --port [<protocol>/]<port>
                             Also ask this destination port (number or container port name,
                             protocol TCP by default); may be repeated.
      --external <ip:addr>   Also ask this address outside the cluster; may be repeated.
${INCLUDE_STAGED_HELP}
${TIER_HELP}
${CLUSTER_NETWORK_HELP}
${outputHelp(FORMATS)}
${HELP_HELP}

JSON fields (--output json; absent values are null):
  opensAnything              true when a flow is opened or a permission gained
  summary                    flowsOpened, flowsClosed, permissionsGained, permissionsLost
  flows[]                    change (opened|closed), from, fromDescription, to,
                             toDescription (the address class of an ip: end), protocol, ports
                             ("443", "1-442", a port name, or null), before, after (null when
                             an end does not exist on that side): allowed, egress, ingress, each
                             side with allowed, decidedBy, tier, policy, ruleIndex, action, reason
  permissions[]              change (gained|lost), subject (kind, name, namespace), verb,
                             apiGroup, resource, subresource, namespace (null: cluster-wide),
                             name (null: any), tier (null: not tiered, "*": every tier), grants
  endpoints                  added, removed
  probes                     ports, addresses (id, description): what was asked

Examples:
  ${PROGRAM} diff --before main/dist/ --after dist/
  ${PROGRAM} diff --before main/dist/ --after dist/ --output md
  cdk8s synth --stdout | ${PROGRAM} diff --before main/dist/ --after - --port 8443

Exit codes: 0 nothing opened, 1 a flow opened or a permission gained, 2 error.
`,

  parse(argv) {
    const line = parseCommandLine(NAME, argv, {
      before: { type: 'string', multiple: true },
      after: { type: 'string', multiple: true },
      port: { type: 'string', multiple: true },
      external: { type: 'string', multiple: true },
      ...INCLUDE_STAGED_OPTION,
      ...TIER_OPTION,
      ...CLUSTER_NETWORK_OPTIONS,
      ...OUTPUT_OPTION,
    }, ['before', 'after']);
    const { values, positionals } = line;
    rejectPositionals(NAME, positionals);
    const before = line.paths.before;
    const after = line.paths.after;
    if (before.length === 0) throw new UsageError('diff needs --before <path>...: the manifests before the change (files, directories, or -)', NAME);
    if (after.length === 0) throw new UsageError('diff needs --after <path>...: the manifests after the change (files, directories, or -)', NAME);
    if (before.includes(STDIN_PATH) && after.includes(STDIN_PATH)) {
      throw new UsageError('diff can read standard input (-) for --before or --after, not both', NAME);
    }
    stringList(before, '--before', NAME);
    stringList(after, '--after', NAME);
    return {
      before,
      after,
      ports: stringList(values.port, '--port', NAME).map((text) => parseProtocolPort(text, NAME)),
      external: stringList(values.external, '--external', NAME),
      includeStaged: includeStaged(values),
      tiers: externalTiers(values, NAME),
      ...clusterNetworks(values, NAME),
      output: outputFormat(values, NAME, FORMATS),
    };
  },

  run(args: DiffArgs, io: CliIo): number {
    const stdin = io.stdin?.bind(io);
    const before = loadManifests(args.before, stdin);
    const after = loadManifests(args.after, stdin);
    const progress = progressOn(io, NAME);
    let diff;
    try {
      diff = diffManifests(before, after, {
        tiers: args.tiers,
        podCidrs: args.podCidrs,
        serviceCidrs: args.serviceCidrs,
        includeStaged: args.includeStaged,
        ports: args.ports,
        addresses: args.external,
        progress: progress && ((what, done, total) => progress.update(what, done, total)),
      });
    } finally {
      progress?.done();
    }
    if (args.output === 'json') io.stdout(diffJson(diff));
    else if (args.output === 'md') io.stdout(diffMarkdown(diff));
    else io.stdout(diffText(diff));
    return diff.opensAnything ? EXIT_DENIED : EXIT_OK;
  },
};
