/**
 * `cdk8s-calico can-i`: may a user do a verb on a resource (Kubernetes RBAC and Calico tiers)?
 */
import { AccessVerdict, RbacModel } from '../../analysis';
import { CliIo, Command, EXIT_DENIED, EXIT_OK, PROGRAM, UsageError } from '../command';
import { loadManifests } from '../load-manifests';
import {
  HELP_HELP, MANIFESTS_HELP, MANIFESTS_OPTION, optionalString, parseCommandLine, requireManifests, requireString,
} from '../options';
import { markdownCode, OUTPUT_OPTION, OutputFormat, outputFormat, outputHelp, toJson } from '../output';
import { groupOfBareResource } from '../resources';

/** The arguments of `cdk8s-calico can-i`. */
export interface CanIArgs {
  /** Manifest files, directories, or `-` for standard input. */
  readonly manifests: string[];
  /** The user (`--as`), e.g. `alice` or `system:serviceaccount:<ns>:<name>`. */
  readonly user: string;
  /** Extra groups of the user (`--as-group`, repeatable). */
  readonly groups: string[];
  /** The verb, e.g. `create`. */
  readonly verb: string;
  /** The API group, `''` for the core group. */
  readonly apiGroup: string;
  /** The resource (plural), e.g. `networkpolicies`. */
  readonly resource: string;
  /** The subresource, e.g. `log` for `pods/log`. */
  readonly subresource?: string;
  /** The object name. */
  readonly name?: string;
  /** The namespace (`-n`). */
  readonly namespace?: string;
  /** The Calico tier of a tiered policy resource. */
  readonly tier?: string;
  /** The output format (`--output`): `text` (default), `json` or `md`. */
  readonly output: OutputFormat;
}

/** The API group, resource and subresource named by a kubectl-style resource argument. */
export interface ResourceRef {
  /** The API group, `''` for the core group. */
  readonly apiGroup: string;
  /** The resource (plural), e.g. `pods`. */
  readonly resource: string;
  /** The subresource, e.g. `log` for `pods/log`. */
  readonly subresource?: string;
}

const NAME = 'can-i';
const FORMATS: readonly OutputFormat[] = ['text', 'json', 'md'];

/** `cdk8s-calico can-i`: evaluates RBAC and Calico tier authorization; exit 0 yes, 1 no. */
export const canICommand: Command<CanIArgs> = {
  name: NAME,
  summary: 'May a user do a verb on a resource (Kubernetes RBAC and Calico tiers)?',
  usage: `Usage: ${PROGRAM} can-i --manifests <path>... --as <user> <verb> <resource>[.<group>][/<subresource>] [name] [options]

Evaluates the RBAC objects in the manifests (Roles, ClusterRoles, bindings) together with
Calico tier authorization, and prints yes or no with the reason.

Resources are named like kubectl does: pods, pods/log, deployments.apps,
networkpolicies.networking.k8s.io, networkpolicies.projectcalico.org,
globalnetworkpolicies.crd.projectcalico.org.

Options:
${MANIFESTS_HELP}
      --as <user>            The user, e.g. alice or system:serviceaccount:<namespace>:<name>. Required.
      --as-group <group>     A group of the user; may be repeated.
  -n, --namespace <ns>       Namespace of the request (omit for cluster-scoped resources).
      --tier <tier>          Calico tier of a tiered policy resource: its spec.tier (default
                             "default"); for list/watch the tier selector (default: every tier).
${outputHelp(FORMATS)}
${HELP_HELP}

JSON fields (--output json; absent values are null):
  allowed                    true or false
  reason                     the sentence printed under yes/no
  grants                     the role/binding pairs that grant it (list of strings)
  request                    the question: user, groups, verb, apiGroup, resource,
                             subresource, namespace, name, tier

Examples:
  ${PROGRAM} can-i create networkpolicies.projectcalico.org --manifests dist/ \\
      --as system:serviceaccount:be:deployer -n be
  ${PROGRAM} can-i delete globalnetworkpolicies.projectcalico.org security.allow-dns \\
      --as alice --as-group security-team -f dist/
  ${PROGRAM} can-i get pods/log -n be --as system:serviceaccount:be:ci -f dist/
  ${PROGRAM} can-i create networkpolicies -n be --as alice -f dist/ --output json

Exit codes: 0 yes, 1 no, 2 error.
`,

  parse(argv) {
    const line = parseCommandLine(NAME, argv, {
      ...MANIFESTS_OPTION,
      'as': { type: 'string' },
      'as-group': { type: 'string', multiple: true },
      'namespace': { type: 'string', short: 'n' },
      'tier': { type: 'string' },
      ...OUTPUT_OPTION,
    });
    const manifests = requireManifests(NAME, line);
    const { values, positionals } = line;
    const output = outputFormat(values, NAME, FORMATS);
    if (positionals.length < 2) {
      const got = positionals.length === 0 ? 'none' : `only "${positionals[0]}"`;
      throw new UsageError(
        `can-i needs <verb> <resource> [name], got ${got}; note that --manifests takes every following argument up to the next option, `
        + 'so put <verb> <resource> before --manifests or after another option', NAME);
    }
    if (positionals.length > 3) {
      throw new UsageError(
        `can-i takes <verb> <resource> [name], got ${positionals.length} arguments: ${positionals.map((p) => `"${p}"`).join(' ')}`, NAME);
    }
    const [verb, resourceText, name] = positionals;
    if (verb === '') throw new UsageError('can-i: the verb must not be empty, e.g. create', NAME);
    if (name === '') throw new UsageError('can-i: the object name must not be empty; omit it to ask about the whole collection', NAME);
    const user = requireString(values.as, '--as', NAME, 'the user, e.g. alice or system:serviceaccount:<namespace>:<name>');
    const groups = (values['as-group'] as string[] | undefined) ?? [];
    groups.forEach((group) => {
      if (group === '') throw new UsageError('--as-group must not be empty', NAME);
    });
    const ref = parseResource(resourceText);
    return {
      manifests,
      user,
      groups,
      verb,
      apiGroup: ref.apiGroup,
      resource: ref.resource,
      subresource: ref.subresource,
      name,
      namespace: optionalString(values.namespace, '--namespace', NAME),
      tier: optionalString(values.tier, '--tier', NAME),
      output,
    };
  },

  run(args: CanIArgs, io: CliIo): number {
    const model = RbacModel.fromManifests(loadManifests(args.manifests, io.stdin?.bind(io)));
    const verdict = model.check({
      user: args.user,
      groups: args.groups,
      verb: args.verb,
      apiGroup: args.apiGroup,
      resource: args.resource,
      subresource: args.subresource,
      namespace: args.namespace,
      name: args.name,
      tier: args.tier,
    });
    if (args.output === 'json') {
      io.stdout(toJson(canIJson(args, verdict)));
    } else if (args.output === 'md') {
      io.stdout(canIMarkdown(args, verdict));
    } else {
      const lines = [verdict.allowed ? 'yes' : 'no', verdict.reason];
      if (verdict.grants.length > 0) {
        lines.push('granted by:', ...verdict.grants.map((grant) => `  - ${grant}`));
      }
      io.stdout(`${lines.join('\n')}\n`);
    }
    return verdict.allowed ? EXIT_OK : EXIT_DENIED;
  },
};

/** The verdict with the stable field names of `--output json`. */
function canIJson(args: CanIArgs, verdict: AccessVerdict) {
  return {
    allowed: verdict.allowed,
    reason: verdict.reason,
    grants: verdict.grants,
    request: {
      user: args.user,
      groups: args.groups,
      verb: args.verb,
      apiGroup: args.apiGroup,
      resource: args.resource,
      subresource: args.subresource ?? null,
      namespace: args.namespace ?? null,
      name: args.name ?? null,
      tier: args.tier ?? null,
    },
  };
}

/** The verdict as Markdown: the question, the answer with its reason, the grants. */
function canIMarkdown(args: CanIArgs, verdict: AccessVerdict): string {
  const resource = `${args.resource}${args.subresource ? `/${args.subresource}` : ''}${args.apiGroup ? `.${args.apiGroup}` : ''}`;
  const where = [
    args.name === undefined ? '' : ` ${markdownCode(args.name)}`,
    args.namespace === undefined ? '' : ` in namespace ${markdownCode(args.namespace)}`,
    args.tier === undefined ? '' : ` in tier ${markdownCode(args.tier)}`,
  ].join('');
  const lines = [
    `**${verdict.allowed ? 'yes' : 'no'}**: may ${markdownCode(args.user)} ${args.verb} ${markdownCode(resource)}${where}?`,
    '',
    verdict.reason,
  ];
  if (verdict.grants.length > 0) {
    lines.push('', 'Granted by:', '', ...verdict.grants.map((grant) => `- ${grant}`));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Parses a kubectl-style resource argument: `<resource>[.<group>][/<subresource>]`,
 * e.g. `pods`, `pods/log`, `deployments.apps`, `networkpolicies.projectcalico.org`.
 * A well-known resource without a group gets the group kubectl would resolve it to
 * (`networkpolicies` → `networking.k8s.io`); any other resource must name its group.
 */
export function parseResource(text: string): ResourceRef {
  const slash = text.indexOf('/');
  const typePart = slash < 0 ? text : text.slice(0, slash);
  const subresource = slash < 0 ? undefined : text.slice(slash + 1);
  if (subresource !== undefined && (subresource === '' || subresource.includes('/'))) {
    throw new UsageError(
      `resource "${text}" has a malformed subresource; expected <resource>[.<group>][/<subresource>], e.g. pods/log`, NAME);
  }
  const dot = typePart.indexOf('.');
  const resource = dot < 0 ? typePart : typePart.slice(0, dot);
  const apiGroup = dot < 0 ? '' : typePart.slice(dot + 1);
  if (resource === '' || (dot >= 0 && (apiGroup === '' || apiGroup.startsWith('.') || apiGroup.endsWith('.')))) {
    throw new UsageError(
      `resource "${text}" is malformed; expected <resource>[.<group>][/<subresource>], e.g. pods, deployments.apps or networkpolicies.projectcalico.org`,
      NAME);
  }
  let group = apiGroup;
  if (dot < 0) {
    const known = groupOfBareResource(resource);
    if (known === undefined) {
      throw new UsageError(
        `resource "${text}" is not a well-known resource and has no API group; name its group as kubectl does, e.g. ${resource}.example.com`,
        NAME);
    }
    group = known;
  }
  return subresource === undefined ? { apiGroup: group, resource } : { apiGroup: group, resource, subresource };
}
