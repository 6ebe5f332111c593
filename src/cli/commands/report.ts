/**
 * `cdk8s-calico report`: a security report of a set of manifests — report.md, a self-contained
 * report.html with the connectivity graph, and report.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExternalTier } from '../../analysis';
import { Audit } from '../../guardrails';
import { AuditSource, buildSecurityReport, reportFiles } from '../../report';
import { CliIo, Command, EXIT_OK, PROGRAM } from '../command';
import { loadManifests } from '../load-manifests';
import {
  CLUSTER_NETWORK_HELP, CLUSTER_NETWORK_OPTIONS, clusterNetworks, externalTiers, HELP_HELP, INCLUDE_STAGED_HELP, INCLUDE_STAGED_OPTION,
  includeStaged, MANIFESTS_HELP, MANIFESTS_OPTION, parseCommandLine, parseProtocolPort, ProtocolPort, rejectPositionals, requireManifests,
  requireString, stringList, TIER_HELP, TIER_OPTION,
} from '../options';
import { progressOn } from '../output';

/** The arguments of `cdk8s-calico report`. */
export interface ReportArgs {
  /** Manifest files, directories, or `-` for standard input. */
  readonly manifests: string[];
  /** The directory to write the report to (created when missing). */
  readonly out: string;
  /** Extra ports to ask (`--port`). */
  readonly ports: ProtocolPort[];
  /** Extra addresses outside the cluster to ask (`--external`). */
  readonly external: string[];
  /** Whether staged policies are evaluated as if they were enforced. */
  readonly includeStaged: boolean;
  /** Tiers managed outside the manifests (`--tier`). */
  readonly tiers: ExternalTier[];
  /** The cluster's pod networks (`--pod-cidr`). */
  readonly podCidrs: string[];
  /** The cluster's service networks (`--service-cidr`). */
  readonly serviceCidrs: string[];
}

const NAME = 'report';

/** The audit the report runs: the rule pack of `cdk8s-calico audit`, with the cluster facts given to the report. */
export function reportAudit(args: ReportArgs): AuditSource {
  return (objects) => Audit.objects(objects, { tiers: args.tiers, podCidrs: args.podCidrs, serviceCidrs: args.serviceCidrs });
}

/** `cdk8s-calico report`: writes report.md, report.html and report.json; exit 0. */
export const reportCommand: Command<ReportArgs> = {
  name: NAME,
  summary: 'Write a security report: connectivity graph and matrices, who can change policies.',
  runsAsynchronously: true,
  usage: `Usage: ${PROGRAM} report --manifests <path>... --out <dir> [options]

Writes a security report of the manifests into <dir>:
  report.md    connectivity between namespaces and between workloads (matrices), who can
               change which policy, tier and network set (per namespace and Calico tier),
               and the findings of the audit rule pack ("${PROGRAM} audit");
  report.html  the same as one self-contained page (no scripts, fonts or styles from
               elsewhere), with the connectivity graph drawn as SVG by Graphviz;
  report.json  the report's data.
Ports and addresses outside the cluster are asked as by "${PROGRAM} diff": one per range of
ports (or class of addresses) that the rules treat alike. Progress is shown on standard
error when it is a terminal.

Options:
${MANIFESTS_HELP}
      --out <dir>            The directory to write to (created when missing). Required.
      --port [<protocol>/]<port>
                             Also ask this destination port; may be repeated.
      --external <ip:addr>   Also ask this address outside the cluster; may be repeated.
${INCLUDE_STAGED_HELP}
${TIER_HELP}
${CLUSTER_NETWORK_HELP}
${HELP_HELP}

report.json fields:
  endpoints[]                id, kind (Deployment, Pod, ..., External), namespace (null
                             outside the cluster), name (for External: the address class)
  ports                      the ports asked, e.g. "TCP 443", "TCP 444-8079", "UDP 53"
  flows[]                    from, to, allowed (the ports allowed), all (every port allowed)
  namespaces[]               from, to ("outside" for addresses outside the cluster), pairs,
                             reachablePairs, openPairs, ports
  tiers                      the tiers in evaluation order
  changers[]                 resource, namespace, tier (null when not applicable),
                             subjects[] (subject, verbs of create/update/patch/delete)
  findings                   the audit's findings: rule, severity, subject (null when none),
                             message, objects, fix (null when no audit ran)

Examples:
  ${PROGRAM} report --manifests dist/ --out report/
  ${PROGRAM} report -f dist/ --out report/ --port 8443 --external ip:198.51.100.7

Exit code: 0 on success, 2 on error.
`,

  parse(argv) {
    const line = parseCommandLine(NAME, argv, {
      ...MANIFESTS_OPTION,
      out: { type: 'string' },
      port: { type: 'string', multiple: true },
      external: { type: 'string', multiple: true },
      ...INCLUDE_STAGED_OPTION,
      ...TIER_OPTION,
      ...CLUSTER_NETWORK_OPTIONS,
    });
    const manifests = requireManifests(NAME, line);
    const { values, positionals } = line;
    rejectPositionals(NAME, positionals);
    return {
      manifests,
      out: requireString(values.out, '--out', NAME, 'the directory to write report.md, report.html and report.json to'),
      ports: stringList(values.port, '--port', NAME).map((text) => parseProtocolPort(text, NAME)),
      external: stringList(values.external, '--external', NAME),
      includeStaged: includeStaged(values),
      tiers: externalTiers(values, NAME),
      ...clusterNetworks(values, NAME),
    };
  },

  async run(args: ReportArgs, io: CliIo): Promise<number> {
    const objects = loadManifests(args.manifests, io.stdin?.bind(io));
    const progress = progressOn(io, NAME);
    let files;
    try {
      const report = buildSecurityReport(objects, {
        tiers: args.tiers,
        podCidrs: args.podCidrs,
        serviceCidrs: args.serviceCidrs,
        includeStaged: args.includeStaged,
        ports: args.ports,
        addresses: args.external,
        audit: reportAudit(args),
        progress: progress && ((what, done, total) => progress.update(what, done, total)),
      });
      progress?.update('graph', 0, 1);
      files = await reportFiles(report);
    } finally {
      progress?.done();
    }
    try {
      fs.mkdirSync(args.out, { recursive: true });
    } catch (error: any) {
      throw new Error(`cannot create the report directory ${args.out}: ${error.message}`);
    }
    const written: string[] = [];
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(args.out, name);
      try {
        fs.writeFileSync(file, text);
      } catch (error: any) {
        throw new Error(`cannot write ${file}: ${error.message}`);
      }
      written.push(file);
    }
    io.stdout(`${written.map((file) => `wrote ${file}`).join('\n')}\n`);
    return EXIT_OK;
  },
};
