/**
 * `cdk8s-calico who-can`: which subjects may do a verb on a resource (Kubernetes RBAC and Calico
 * tiers)?
 */
import { RbacModel, Subject } from '../../analysis';
import { subjectId } from '../../analysis/diff';
import { CliIo, Command, EXIT_OK, PROGRAM, UsageError } from '../command';
import { loadManifests } from '../load-manifests';
import {
  HELP_HELP, MANIFESTS_HELP, MANIFESTS_OPTION, optionalString, parseCommandLine, requireManifests,
} from '../options';
import { markdownCode, markdownTable, OUTPUT_OPTION, OutputFormat, outputFormat, outputHelp, toCsv, toJson } from '../output';
import { parseResource } from './can-i';

/** The arguments of `cdk8s-calico who-can`. */
export interface WhoCanArgs {
  /** Manifest files, directories, or `-` for standard input. */
  readonly manifests: string[];
  /** The verb, e.g. `create`. */
  readonly verb: string;
  /** The API group, `''` for the core group. */
  readonly apiGroup: string;
  /** The resource (plural), e.g. `networkpolicies`. */
  readonly resource: string;
  /** The namespace (`-n`); absent for cluster-scoped resources or every namespace. */
  readonly namespace?: string;
  /** The Calico tier of a tiered policy resource. */
  readonly tier?: string;
  /** The output format (`--output`): `text` (default), `json`, `md` or `csv`. */
  readonly output: OutputFormat;
}

const NAME = 'who-can';
const FORMATS: readonly OutputFormat[] = ['text', 'json', 'md', 'csv'];

/** `cdk8s-calico who-can`: lists the subjects allowed; exit 0. */
export const whoCanCommand: Command<WhoCanArgs> = {
  name: NAME,
  summary: 'Which users, groups and service accounts may do a verb on a resource?',
  usage: `Usage: ${PROGRAM} who-can <verb> <resource>[.<group>] --manifests <path>... [options]

Lists the subjects that may do the verb on the whole collection of the resource (RBAC
objects in the manifests, with Calico tier authorization for tiered policies): the group
system:masters (always), every User, Group and ServiceAccount named by a binding, and every
ServiceAccount declared in the manifests. A Group is listed when membership alone is enough.
Subjects are written User:<name>, Group:<name>, ServiceAccount:<namespace>/<name>.

Options:
${MANIFESTS_HELP}
  -n, --namespace <ns>       Namespace of the request (omit for cluster-scoped resources or
                             every namespace).
      --tier <tier>          Calico tier of a tiered policy resource (default "default"; for
                             list/watch: any tier).
${outputHelp(FORMATS)}
${HELP_HELP}

JSON fields (--output json; absent values are null):
  verb, apiGroup, resource, namespace, tier   the question
  subjects[]                 kind (User, Group, ServiceAccount), name, namespace
csv prints kind,namespace,name.

Examples:
  ${PROGRAM} who-can create networkpolicies.projectcalico.org -n be --tier security -f dist/
  ${PROGRAM} who-can patch serviceaccounts -n prod-engineering -f dist/ --output json
  ${PROGRAM} who-can delete globalnetworkpolicies.projectcalico.org --tier default -f dist/

Exit code: 0 on success, 2 on error.
`,

  parse(argv) {
    const line = parseCommandLine(NAME, argv, {
      ...MANIFESTS_OPTION,
      namespace: { type: 'string', short: 'n' },
      tier: { type: 'string' },
      ...OUTPUT_OPTION,
    });
    const manifests = requireManifests(NAME, line);
    const { values, positionals } = line;
    if (positionals.length !== 2) {
      const got = positionals.length === 0 ? 'none' : positionals.map((p) => `"${p}"`).join(' ');
      throw new UsageError(
        `who-can needs <verb> <resource>, got ${got}; note that --manifests takes every following argument up to the next option, `
        + 'so put <verb> <resource> before --manifests or after another option', NAME);
    }
    const [verb, resourceText] = positionals;
    if (verb === '') throw new UsageError('who-can: the verb must not be empty, e.g. create', NAME);
    let ref;
    try {
      ref = parseResource(resourceText);
    } catch (error) {
      throw error instanceof UsageError ? new UsageError(error.message, NAME) : error;
    }
    if (ref.subresource !== undefined) {
      throw new UsageError(`who-can asks about a whole resource, not a subresource; got "${resourceText}", ask about ${ref.resource} or use can-i for ${resourceText}`, NAME);
    }
    return {
      manifests,
      verb,
      apiGroup: ref.apiGroup,
      resource: ref.resource,
      namespace: optionalString(values.namespace, '--namespace', NAME),
      tier: optionalString(values.tier, '--tier', NAME),
      output: outputFormat(values, NAME, FORMATS),
    };
  },

  run(args: WhoCanArgs, io: CliIo): number {
    const model = RbacModel.fromManifests(loadManifests(args.manifests, io.stdin?.bind(io)));
    const subjects = model.whoCan(args.verb, args.apiGroup, args.resource, args.namespace, args.tier);
    io.stdout(render(args, subjects));
    return EXIT_OK;
  },
};

/** The subjects in an output format. */
function render(args: WhoCanArgs, subjects: Subject[]): string {
  switch (args.output) {
    case 'json':
      return toJson({
        verb: args.verb,
        apiGroup: args.apiGroup,
        resource: args.resource,
        namespace: args.namespace ?? null,
        tier: args.tier ?? null,
        subjects: subjects.map((s) => ({ kind: s.kind, name: s.name, namespace: s.namespace ?? null })),
      });
    case 'csv':
      return toCsv(['kind', 'namespace', 'name'], subjects.map((s) => [s.kind, s.namespace, s.name]));
    case 'md':
      return `**Who can ${args.verb} ${markdownCode(describeResource(args))}${describeScope(args)}?**\n\n`
        + markdownTable(['subject'], subjects.map((s) => [markdownCode(subjectId(s))]));
    default:
      return subjects.map((s) => `${subjectId(s)}\n`).join('');
  }
}

function describeResource(args: WhoCanArgs): string {
  return args.apiGroup === '' ? args.resource : `${args.resource}.${args.apiGroup}`;
}

function describeScope(args: WhoCanArgs): string {
  return `${args.namespace === undefined ? '' : ` in namespace ${markdownCode(args.namespace)}`}${args.tier === undefined ? '' : ` in tier ${markdownCode(args.tier)}`}`;
}
