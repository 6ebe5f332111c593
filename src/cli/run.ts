/**
 * The dispatcher of `cdk8s-calico`, independent of the process: `runCli` takes the arguments and
 * the output streams, finds the command in the registry, parses its arguments, runs it and
 * returns the exit code.
 */
import { CliIo, Command, CommandContext, EXIT_ERROR, EXIT_OK, HelpRequested, PROGRAM, UsageError } from './command';
import { commandChoices, didYouMean, findCommand, helpCommand } from './commands/help';
import { COMMANDS } from './registry';
import { packageVersion } from './version';

/**
 * Runs one command line (the arguments after the program name) and returns the exit code:
 * 0 allowed/yes/success, 1 denied/no, 2 error (the message goes to standard error).
 *
 * - no arguments: a usage error;
 * - `-h`/`--help` first: the general usage (the commands of the registry);
 * - `--version` first: the package version;
 * - `<command> [arguments]`: that command; `<command> -h`/`--help` prints its usage;
 * - an unknown command: a usage error naming the closest command when one is close.
 */
export function runCli(argv: string[], io: CliIo): number {
  const context: CommandContext = { commands: COMMANDS };
  let command: Command | undefined;
  let args: unknown;
  try {
    const [first, ...rest] = argv;
    const choices = commandChoices(COMMANDS).join(', ');
    if (first === undefined) {
      throw new UsageError(`missing command; expected one of ${choices}`);
    }
    if (first === '-h' || first === '--help') {
      command = helpCommand;
      args = {};
    } else if (first === '--version') {
      io.stdout(`${packageVersion()}\n`);
      return EXIT_OK;
    } else {
      command = findCommand(COMMANDS, first);
      if (command === undefined) {
        if (first.startsWith('-')) {
          throw new UsageError(`expected a command (${choices}) before any option, got "${first}"`);
        }
        throw new UsageError(`unknown command "${first}"; expected one of ${choices}${didYouMean(first, COMMANDS)}`);
      }
      args = command.parse(rest, context);
    }
  } catch (error) {
    if (error instanceof HelpRequested && command !== undefined) {
      io.stdout(command.usage);
      return EXIT_OK;
    }
    return reportError(io, error);
  }
  try {
    return command.run(args, io, context);
  } catch (error) {
    return reportError(io, error);
  }
}

function reportError(io: CliIo, error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`${PROGRAM}: error: ${message}\n`);
  if (error instanceof UsageError) {
    io.stderr(`Run "${PROGRAM} ${error.command ? `${error.command} ` : ''}--help" for usage.\n`);
  }
  return EXIT_ERROR;
}
