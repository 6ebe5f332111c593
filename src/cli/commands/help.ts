/**
 * `cdk8s-calico help [<command>]`: the general usage (built from the registry) or one command's.
 */
import { closestName } from '../../core/suggest';
import { CliIo, Command, CommandContext, EXIT_OK, HelpRequested, PROGRAM, UsageError } from '../command';

/** The arguments of `cdk8s-calico help`. */
export interface HelpArgs {
  /** The command whose usage is wanted; absent for the general usage. */
  readonly topic?: Command;
}

const NAME = 'help';

/** `cdk8s-calico help`: prints the general usage or one command's usage; exit 0. */
export const helpCommand: Command<HelpArgs> = {
  name: NAME,
  summary: 'Show the usage of the tool, or of one command (help <command>).',
  usage: `Usage: ${PROGRAM} help [<command>]

Prints the general usage with the list of commands, or the usage of one command
(the same as "${PROGRAM} <command> --help").

Examples:
  ${PROGRAM} help
  ${PROGRAM} help can-i

Exit code: 0 on success, 2 on error.
`,

  parse(argv, context) {
    if (argv.length === 0) return {};
    if (argv.length === 1 && (argv[0] === '-h' || argv[0] === '--help')) throw new HelpRequested(NAME);
    const topic = argv.length === 1 ? findCommand(context.commands, argv[0]) : undefined;
    if (topic !== undefined) return { topic };
    const suggestion = argv.length === 1 ? didYouMean(argv[0], context.commands) : '';
    throw new UsageError(
      `"help" takes at most one command name (${commandChoices(context.commands).join(', ')}), got ${argv.map((a) => `"${a}"`).join(' ')}${suggestion}`);
  },

  run(args: HelpArgs, io: CliIo, context: CommandContext): number {
    io.stdout(args.topic?.usage ?? generalUsage(context.commands));
    return EXIT_OK;
  },
};

/** The command of this name, if any. */
export function findCommand(commands: readonly Command[], name: string): Command | undefined {
  return commands.find((command) => command.name === name);
}

/**
 * The names listed where a command is expected ("expected one of …"): every command but `help`,
 * which the general usage and `--help` already point at.
 */
export function commandChoices(commands: readonly Command[]): string[] {
  return commands.filter((command) => command.name !== NAME).map((command) => command.name);
}

/** `; did you mean "<name>"?` for the command closest to a mistyped one, or `''`. */
export function didYouMean(text: string, commands: readonly Command[]): string {
  const close = closestName(text, commands.map((command) => command.name));
  return close === undefined ? '' : `; did you mean "${close}"?`;
}

/** The general usage: the commands of the registry with their summaries, and the global options. */
export function generalUsage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 3;
  const list = commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`).join('\n');
  return `Usage: ${PROGRAM} <command> [options]

Offline answers from Kubernetes/Calico manifests (YAML or JSON):

Commands:
${list}

Run "${PROGRAM} <command> --help" for the options of a command.

Options:
  -h, --help     Show this help.
      --version  Print the version of ${PROGRAM}.

Exit codes: 0 allowed/yes, 1 denied/no, 2 error.
`;
}
