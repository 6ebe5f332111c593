/**
 * Command-line argument parsing for `cdk8s-calico` (Node's `util.parseArgs`, no other library).
 *
 * `--manifests` (alias `-f`) takes one or more paths: the path right after it and every
 * following argument up to the next option (or `--`). It may also be repeated.
 */
import { parseArgs } from 'node:util';
import { groupOfBareResource } from './resources';

/** The program name used in messages and usage texts. */
export const PROGRAM = 'cdk8s-calico';

/** The sub-commands of the tool. */
export type CommandName = 'check' | 'can-i' | 'matrix';

/** The names of all sub-commands, in the order the general usage lists them. */
export const COMMANDS: readonly CommandName[] = ['check', 'can-i', 'matrix'];

/**
 * Wrong command-line usage (unknown command or option, missing or malformed argument).
 * The tool prints the message with a pointer to `--help` and exits with code 2.
 */
export class UsageError extends Error {
  /** The command whose usage was wrong, when known. */
  public readonly command?: CommandName;

  constructor(message: string, command?: CommandName) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/** `cdk8s-calico check`: is one flow allowed by the network policies? */
export interface CheckArgs {
  readonly command: 'check';
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
}

/** `cdk8s-calico can-i`: may a user do a verb on a resource? */
export interface CanIArgs {
  readonly command: 'can-i';
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
}

/** `cdk8s-calico matrix`: a Markdown reachability matrix of all workloads. */
export interface MatrixArgs {
  readonly command: 'matrix';
  /** Manifest files, directories, or `-` for standard input. */
  readonly manifests: string[];
  /** The protocols and ports to evaluate, one table each (`--port`, `[<protocol>/]<port>`). */
  readonly ports: MatrixPort[];
  /** The protocol of ports given without one, and of the single table when no port is given. */
  readonly protocol?: string;
  /** The endpoints (`<namespace>/<name>`) to include; empty means all. */
  readonly endpoints: string[];
  /** Addresses outside the cluster (`ip:<address>`) to include as sources and destinations. */
  readonly external: string[];
  /** Whether staged policies are evaluated as if they were enforced. */
  readonly includeStaged: boolean;
}

/** A protocol and port of a matrix table. */
export interface MatrixPort {
  /** The protocol, when given with the port (`UDP/53`). */
  readonly protocol?: string;
  /** A port number, or a container port name resolved on each destination. */
  readonly port: number | string;
}

/** A request for usage text: `--help`, `help [command]`, or `<command> --help`. */
export interface HelpArgs {
  readonly command: 'help';
  /** The command whose usage is wanted; absent for the general usage. */
  readonly topic?: CommandName;
}

/** The result of parsing a command line. */
export type CliArgs = CheckArgs | CanIArgs | MatrixArgs | HelpArgs;

/** The API group, resource and subresource named by a kubectl-style resource argument. */
export interface ResourceRef {
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource?: string;
}

const GENERAL_USAGE = `Usage: ${PROGRAM} <command> [options]

Offline answers from Kubernetes/Calico manifests (YAML or JSON):

Commands:
  check    Is traffic from one endpoint to another allowed by the network policies?
  can-i    May a user do a verb on a resource (Kubernetes RBAC and Calico tiers)?
  matrix   Print a Markdown reachability matrix of the workloads.

Run "${PROGRAM} <command> --help" for the options of a command.

Exit codes: 0 allowed/yes, 1 denied/no, 2 error.
`;

const MANIFESTS_HELP = `  -f, --manifests <path>...  Manifests to read: YAML files (multi-document), .json files,
                             directories (recursively, *.yaml|*.yml|*.json), or - for
                             standard input. Takes every following argument up to the next
                             option; may be repeated. Required.`;

/** Usage texts of the commands. */
export const USAGE: { readonly [command in CommandName | 'general']: string } = {
  'general': GENERAL_USAGE,
  'check': `Usage: ${PROGRAM} check --manifests <path>... --from <endpoint> --to <endpoint> [options]

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
      --include-staged       Evaluate staged policies as if they were enforced.
  -h, --help                 Show this help.

Exit codes: 0 allowed, 1 denied, 2 error.
`,
  'can-i': `Usage: ${PROGRAM} can-i --manifests <path>... --as <user> <verb> <resource>[.<group>][/<subresource>] [name] [options]

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
  -h, --help                 Show this help.

Exit codes: 0 yes, 1 no, 2 error.
`,
  'matrix': `Usage: ${PROGRAM} matrix --manifests <path>... [--port [<protocol>/]<port>]... [options]

Prints a Markdown table per port: one row per source endpoint, one column per destination
endpoint, each cell telling whether the flow is allowed (✓) or denied (✗).

Options:
${MANIFESTS_HELP}
      --port [<protocol>/]<port>
                             A table for this destination port: a number 1-65535 or a
                             container port name, optionally with its protocol (UDP/53);
                             may be repeated. Default: one table without a port.
      --protocol <protocol>  Protocol of ports given without one (default TCP).
      --endpoint <ns/name>   Include only these endpoints; may be repeated (default: all).
      --external <ip:addr>   Also include an address outside the cluster, e.g. ip:203.0.113.7;
                             may be repeated.
      --include-staged       Evaluate staged policies as if they were enforced.
  -h, --help                 Show this help.

Exit code: 0 on success, 2 on error.
`,
};

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

const COMMON_OPTIONS: { [name: string]: OptionSpec } = {
  manifests: { type: 'string', short: 'f', multiple: true },
  help: { type: 'boolean', short: 'h' },
};

const COMMAND_OPTIONS: { readonly [command in CommandName]: { [name: string]: OptionSpec } } = {
  'check': {
    'from': { type: 'string' },
    'to': { type: 'string' },
    'protocol': { type: 'string' },
    'port': { type: 'string' },
    'include-staged': { type: 'boolean' },
  },
  'can-i': {
    'as': { type: 'string' },
    'as-group': { type: 'string', multiple: true },
    'namespace': { type: 'string', short: 'n' },
    'tier': { type: 'string' },
  },
  'matrix': {
    'port': { type: 'string', multiple: true },
    'protocol': { type: 'string' },
    'endpoint': { type: 'string', multiple: true },
    'external': { type: 'string', multiple: true },
    'include-staged': { type: 'boolean' },
  },
};

/**
 * Parses the arguments after the program name. Throws a `UsageError` for anything malformed.
 */
export function parseCliArgs(argv: string[]): CliArgs {
  const [first, ...rest] = argv;
  if (first === undefined) {
    throw new UsageError(`missing command; expected one of ${COMMANDS.join(', ')}`);
  }
  if (first === '-h' || first === '--help') return { command: 'help' };
  if (first === 'help') {
    if (rest.length === 0) return { command: 'help' };
    if (rest.length === 1 && isCommand(rest[0])) return { command: 'help', topic: rest[0] };
    throw new UsageError(`"help" takes at most one command name (${COMMANDS.join(', ')}), got ${rest.map((a) => `"${a}"`).join(' ')}`);
  }
  if (!isCommand(first)) {
    if (first.startsWith('-')) {
      throw new UsageError(`expected a command (${COMMANDS.join(', ')}) before any option, got "${first}"`);
    }
    throw new UsageError(`unknown command "${first}"; expected one of ${COMMANDS.join(', ')}`);
  }
  const command = first;
  const { values, positionals, manifests } = parseCommandLine(command, rest);
  if (values.help) return { command: 'help', topic: command };
  if (manifests.length === 0) {
    throw new UsageError(`${command} needs --manifests <path>... (YAML/JSON files, directories, or - for standard input)`, command);
  }

  switch (command) {
    case 'check':
      return parseCheck(values, positionals, manifests);
    case 'can-i':
      return parseCanI(values, positionals, manifests);
    case 'matrix':
      return parseMatrix(values, positionals, manifests);
  }
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
      `resource "${text}" has a malformed subresource; expected <resource>[.<group>][/<subresource>], e.g. pods/log`, 'can-i');
  }
  const dot = typePart.indexOf('.');
  const resource = dot < 0 ? typePart : typePart.slice(0, dot);
  const apiGroup = dot < 0 ? '' : typePart.slice(dot + 1);
  if (resource === '' || (dot >= 0 && (apiGroup === '' || apiGroup.startsWith('.') || apiGroup.endsWith('.')))) {
    throw new UsageError(
      `resource "${text}" is malformed; expected <resource>[.<group>][/<subresource>], e.g. pods, deployments.apps or networkpolicies.projectcalico.org`,
      'can-i');
  }
  let group = apiGroup;
  if (dot < 0) {
    const known = groupOfBareResource(resource);
    if (known === undefined) {
      throw new UsageError(
        `resource "${text}" is not a well-known resource and has no API group; name its group as kubectl does, e.g. ${resource}.example.com`,
        'can-i');
    }
    group = known;
  }
  return subresource === undefined ? { apiGroup: group, resource } : { apiGroup: group, resource, subresource };
}

/**
 * Parses a port argument: an integer 1-65535, or a container port name (an IANA service name:
 * at most 15 lower-case letters, digits and inner hyphens, with at least one letter).
 */
export function parsePort(text: string, command: CommandName): number | string {
  if (/^[0-9]+$/.test(text)) {
    const port = Number(text);
    if (port >= 1 && port <= 65535) return port;
  } else if (text.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(text) && /[a-z]/.test(text) && !text.includes('--')) {
    return text;
  }
  throw new UsageError(`--port must be a port number from 1 to 65535 or a container port name (e.g. http), got "${text}"`, command);
}

/**
 * Parses a matrix port argument: `[<protocol>/]<port>`, e.g. `443`, `UDP/53`, `TCP/http`.
 */
export function parseMatrixPort(text: string): MatrixPort {
  const slash = text.indexOf('/');
  if (slash < 0) return { port: parsePort(text, 'matrix') };
  const protocol = text.slice(0, slash);
  if (protocol === '') {
    throw new UsageError(`--port "${text}" has an empty protocol; write [<protocol>/]<port>, e.g. UDP/53`, 'matrix');
  }
  return { protocol, port: parsePort(text.slice(slash + 1), 'matrix') };
}

function isCommand(text: string): text is CommandName {
  return (COMMANDS as readonly string[]).includes(text);
}

interface ParsedCommandLine {
  readonly values: { [name: string]: string | boolean | (string | boolean)[] | undefined };
  readonly positionals: string[];
  readonly manifests: string[];
}

/**
 * Runs `util.parseArgs` for one command and splits the positionals into the paths that follow a
 * `--manifests` option and the command's own positionals.
 */
function parseCommandLine(command: CommandName, args: string[]): ParsedCommandLine {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...COMMAND_OPTIONS[command] },
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (error: any) {
    throw new UsageError(oneLine(String(error?.message ?? error)), command);
  }
  const manifests: string[] = [];
  const positionals: string[] = [];
  let afterManifests = false;
  for (const token of parsed.tokens ?? []) {
    if (token.kind === 'option') {
      afterManifests = token.name === 'manifests';
      if (afterManifests && token.value !== undefined) manifests.push(token.value);
    } else if (token.kind === 'option-terminator') {
      afterManifests = false;
    } else if (afterManifests) {
      manifests.push(token.value);
    } else {
      positionals.push(token.value);
    }
  }
  return { values: parsed.values, positionals, manifests };
}

function parseCheck(values: ParsedCommandLine['values'], positionals: string[], manifests: string[]): CheckArgs {
  rejectPositionals('check', positionals);
  const from = requireString(values.from, '--from', 'check', 'the source endpoint, <namespace>/<name> or ip:<address>');
  const to = requireString(values.to, '--to', 'check', 'the destination endpoint, <namespace>/<name> or ip:<address>');
  const protocol = optionalString(values.protocol, '--protocol', 'check');
  const port = optionalString(values.port, '--port', 'check');
  return {
    command: 'check',
    manifests,
    from,
    to,
    protocol,
    port: port === undefined ? undefined : parsePort(port, 'check'),
    includeStaged: values['include-staged'] === true,
  };
}

function parseCanI(values: ParsedCommandLine['values'], positionals: string[], manifests: string[]): CanIArgs {
  if (positionals.length < 2) {
    const got = positionals.length === 0 ? 'none' : `only "${positionals[0]}"`;
    throw new UsageError(
      `can-i needs <verb> <resource> [name], got ${got}; note that --manifests takes every following argument up to the next option, `
      + 'so put <verb> <resource> before --manifests or after another option', 'can-i');
  }
  if (positionals.length > 3) {
    throw new UsageError(
      `can-i takes <verb> <resource> [name], got ${positionals.length} arguments: ${positionals.map((p) => `"${p}"`).join(' ')}`, 'can-i');
  }
  const [verb, resourceText, name] = positionals;
  if (verb === '') throw new UsageError('can-i: the verb must not be empty, e.g. create', 'can-i');
  if (name === '') throw new UsageError('can-i: the object name must not be empty; omit it to ask about the whole collection', 'can-i');
  const user = requireString(values.as, '--as', 'can-i', 'the user, e.g. alice or system:serviceaccount:<namespace>:<name>');
  const groups = (values['as-group'] as string[] | undefined) ?? [];
  groups.forEach((group) => {
    if (group === '') throw new UsageError('--as-group must not be empty', 'can-i');
  });
  const ref = parseResource(resourceText);
  return {
    command: 'can-i',
    manifests,
    user,
    groups,
    verb,
    apiGroup: ref.apiGroup,
    resource: ref.resource,
    subresource: ref.subresource,
    name,
    namespace: optionalString(values.namespace, '--namespace', 'can-i'),
    tier: optionalString(values.tier, '--tier', 'can-i'),
  };
}

function parseMatrix(values: ParsedCommandLine['values'], positionals: string[], manifests: string[]): MatrixArgs {
  rejectPositionals('matrix', positionals);
  const ports = ((values.port as string[] | undefined) ?? []).map(parseMatrixPort);
  const protocol = optionalString(values.protocol, '--protocol', 'matrix');
  const endpoints = (values.endpoint as string[] | undefined) ?? [];
  const external = (values.external as string[] | undefined) ?? [];
  endpoints.forEach((endpoint) => optionalString(endpoint, '--endpoint', 'matrix'));
  external.forEach((address) => optionalString(address, '--external', 'matrix'));
  return {
    command: 'matrix',
    manifests,
    ports,
    protocol,
    endpoints,
    external,
    includeStaged: values['include-staged'] === true,
  };
}

function rejectPositionals(command: CommandName, positionals: string[]): void {
  if (positionals.length > 0) {
    throw new UsageError(`${command} takes no positional arguments, got ${positionals.map((p) => `"${p}"`).join(' ')}`, command);
  }
}

function requireString(value: unknown, option: string, command: CommandName, what: string): string {
  const text = optionalString(value, option, command);
  if (text === undefined) throw new UsageError(`${command} needs ${option} <${option.slice(2)}>: ${what}`, command);
  return text;
}

function optionalString(value: unknown, option: string, command: CommandName): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`${option} must not be empty`, command);
  }
  return value;
}

function oneLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '').join(' ');
}
