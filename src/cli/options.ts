/**
 * Option parsing shared by the commands (Node's `util.parseArgs`, no other library): the
 * manifests option with its multi-value rule, `--help`, `--include-staged`, ports and protocols,
 * and the checks of option values. Usage texts of shared options live here too, so every command
 * describes them the same way.
 */
import { parseArgs } from 'node:util';
import { HelpRequested, UsageError } from './command';
import { ExternalTier } from '../analysis';
import { portNameProblem } from '../core/names';
import { isPortNumber } from '../core/ports';

/** How `util.parseArgs` reads one option. */
export interface OptionSpec {
  /** A string option takes a value; a boolean one does not. */
  readonly type: 'string' | 'boolean';
  /** The one-letter alias, e.g. `f` for `-f`. */
  readonly short?: string;
  /** Whether the option may be repeated (its values are collected in a list). */
  readonly multiple?: boolean;
}

/** Options by name (the long name, without `--`). */
export interface OptionSpecs {
  readonly [name: string]: OptionSpec;
}

/** The name of the manifests option (`--manifests`, alias `-f`). */
export const MANIFESTS = 'manifests';

/**
 * `--manifests <path>...` (alias `-f`): takes the path right after it and every following
 * argument up to the next option (or `--`); may also be repeated.
 */
export const MANIFESTS_OPTION: OptionSpecs = {
  [MANIFESTS]: { type: 'string', short: 'f', multiple: true },
};

/** `--include-staged`: evaluate staged policies as if they were enforced. */
export const INCLUDE_STAGED_OPTION: OptionSpecs = {
  'include-staged': { type: 'boolean' },
};

/** `--tier <name>=<order>[:<defaultAction>]` (repeatable): tiers managed outside the manifests. */
export const TIER_OPTION: OptionSpecs = {
  tier: { type: 'string', multiple: true },
};

/** Usage text of `--tier`. */
export const TIER_HELP = `      --tier <name>=<order>[:Deny|Pass]
                             A tier that exists in the cluster but not in the manifests
                             (repeatable). A policy in a tier that is neither in the
                             manifests, built into Calico nor given here is an error.`;

/**
 * The tiers given with `--tier name=order[:Deny|Pass]`; throws a {@link UsageError} naming the
 * command for a malformed value.
 */
export function externalTiers(values: OptionValues, command: string): ExternalTier[] {
  const raw = values.tier;
  const texts = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]);
  return texts.map((text) => {
    const match = /^([^=]+)=([^:]+)(?::(Deny|Pass))?$/.exec(String(text));
    const order = match ? Number(match[2]) : NaN;
    if (!match || !Number.isFinite(order)) {
      throw new UsageError(
        `--tier ${JSON.stringify(text)}: expected <name>=<order>[:Deny|Pass], e.g. --tier platform=50 or --tier platform=50:Pass`,
        command,
      );
    }
    return { name: match[1], order, defaultAction: match[3] };
  });
}

/** `--pod-cidr <cidr>`, `--service-cidr <cidr>` (repeatable): the cluster's networks, for the network model. */
export const CLUSTER_NETWORK_OPTIONS: OptionSpecs = {
  'pod-cidr': { type: 'string', multiple: true },
  'service-cidr': { type: 'string', multiple: true },
};

/** Usage text of `--pod-cidr` and `--service-cidr`. */
export const CLUSTER_NETWORK_HELP = `      --pod-cidr <cidr>      A pod network: pods without a known address are in it; may be
                             repeated.
      --service-cidr <cidr>  A service (ClusterIP) network: its addresses are not asked, as
                             Calico sees the pod behind them; may be repeated.`;

/** The networks given with `--pod-cidr` and `--service-cidr` (checked by the network model). */
export function clusterNetworks(values: OptionValues, command: string): { podCidrs: string[]; serviceCidrs: string[] } {
  return {
    podCidrs: stringList(values['pod-cidr'], '--pod-cidr', command),
    serviceCidrs: stringList(values['service-cidr'], '--service-cidr', command),
  };
}

/** `-h`, `--help`: every command accepts it (see {@link parseCommandLine}). */
const HELP_OPTION: OptionSpecs = {
  help: { type: 'boolean', short: 'h' },
};

/** Usage text of `--manifests`. */
export const MANIFESTS_HELP = `  -f, --manifests <path>...  Manifests to read: YAML files (multi-document), .json files,
                             directories (recursively, *.yaml|*.yml|*.json), or - for
                             standard input. Takes every following argument up to the next
                             option; may be repeated. Required.`;

/** Usage text of `--include-staged`. */
export const INCLUDE_STAGED_HELP = '      --include-staged       Evaluate staged policies as if they were enforced.';

/** Usage text of `-h`, `--help`. */
export const HELP_HELP = '  -h, --help                 Show this help.';

/** The values of a parsed command line, by long option name. */
export interface OptionValues {
  readonly [name: string]: string | boolean | (string | boolean)[] | undefined;
}

/** A command line split into option values, the command's positionals and the manifest paths. */
export interface ParsedCommandLine {
  /** Option values by long name (`--manifests` included, but see `manifests`). */
  readonly values: OptionValues;
  /** The arguments that are neither options, option values nor manifest paths. */
  readonly positionals: string[];
  /** The paths given to `--manifests` (empty when the command has no such option). */
  readonly manifests: string[];
  /** The paths given to each path option (see {@link parseCommandLine}), by long name. */
  readonly paths: { readonly [option: string]: string[] };
}

/**
 * Runs `util.parseArgs` for one command with its options plus `-h/--help`, and splits the
 * positionals into the paths that follow a path option (`--manifests`, or the command's
 * `pathOptions`: each takes every following argument up to the next option or `--`) and the
 * command's own positionals.
 *
 * Throws a {@link UsageError} naming the command for an unknown option or a missing option value,
 * and {@link HelpRequested} when `-h`/`--help` is given (after the line parsed, so a misspelt
 * option is still reported).
 */
export function parseCommandLine(
  command: string,
  args: readonly string[],
  options: OptionSpecs,
  pathOptions: readonly string[] = [MANIFESTS],
): ParsedCommandLine {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...options, ...HELP_OPTION },
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (error: any) {
    throw new UsageError(oneLine(String(error?.message ?? error)), command);
  }
  if (parsed.values.help) throw new HelpRequested(command);
  const paths: { [option: string]: string[] } = Object.fromEntries(pathOptions.map((name) => [name, []]));
  const positionals: string[] = [];
  let current: string[] | undefined;
  for (const token of parsed.tokens ?? []) {
    if (token.kind === 'option') {
      current = paths[token.name];
      if (current !== undefined && token.value !== undefined) current.push(token.value);
    } else if (token.kind === 'option-terminator') {
      current = undefined;
    } else if (current !== undefined) {
      current.push(token.value);
    } else {
      positionals.push(token.value);
    }
  }
  return { values: parsed.values, positionals, manifests: paths[MANIFESTS] ?? [], paths };
}

/** The manifest paths of a command line; a {@link UsageError} when there are none. */
export function requireManifests(command: string, line: ParsedCommandLine): string[] {
  if (line.manifests.length === 0) {
    throw new UsageError(`${command} needs --manifests <path>... (YAML/JSON files, directories, or - for standard input)`, command);
  }
  return line.manifests;
}

/** A {@link UsageError} when a command that takes no positional arguments got some. */
export function rejectPositionals(command: string, positionals: readonly string[]): void {
  if (positionals.length > 0) {
    throw new UsageError(`${command} takes no positional arguments, got ${positionals.map((p) => `"${p}"`).join(' ')}`, command);
  }
}

/**
 * The value of a required string option; a {@link UsageError} naming the option and `what` it
 * stands for when it is missing, or when it is empty.
 */
export function requireString(value: unknown, option: string, command: string, what: string): string {
  const text = optionalString(value, option, command);
  if (text === undefined) throw new UsageError(`${command} needs ${option} <${option.slice(2)}>: ${what}`, command);
  return text;
}

/** The value of an optional string option; a {@link UsageError} when it is given but empty. */
export function optionalString(value: unknown, option: string, command: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`${option} must not be empty`, command);
  }
  return value;
}

/** The values of a repeatable string option (empty when absent); a {@link UsageError} for an empty one. */
export function stringList(value: unknown, option: string, command: string): string[] {
  const values = (value as string[] | undefined) ?? [];
  values.forEach((text) => optionalString(text, option, command));
  return values;
}

/** Whether `--include-staged` was given. */
export function includeStaged(values: OptionValues): boolean {
  return values['include-staged'] === true;
}

/**
 * Parses a port argument: an integer 1-65535, or a container port name (an IANA service name:
 * at most 15 lower-case letters, digits and inner hyphens, with at least one letter).
 */
export function parsePort(text: string, command: string): number | string {
  if (/^[0-9]+$/.test(text)) {
    const port = Number(text);
    if (isPortNumber(port)) return port;
  } else if (portNameProblem(text) === undefined) {
    return text;
  }
  throw new UsageError(`--port must be a port number from 1 to 65535 or a container port name (e.g. http), got "${text}"`, command);
}

/** A destination port, optionally with its protocol (`UDP/53`). */
export interface ProtocolPort {
  /** The protocol, when given with the port (`UDP/53`); checked by the model, not here. */
  readonly protocol?: string;
  /** A port number, or a container port name resolved on each destination. */
  readonly port: number | string;
}

/**
 * Parses a `[<protocol>/]<port>` argument, e.g. `443`, `UDP/53`, `TCP/http`.
 */
export function parseProtocolPort(text: string, command: string): ProtocolPort {
  const slash = text.indexOf('/');
  if (slash < 0) return { port: parsePort(text, command) };
  const protocol = text.slice(0, slash);
  if (protocol === '') {
    throw new UsageError(`--port "${text}" has an empty protocol; write [<protocol>/]<port>, e.g. UDP/53`, command);
  }
  return { protocol, port: parsePort(text.slice(slash + 1), command) };
}

function oneLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '').join(' ');
}
