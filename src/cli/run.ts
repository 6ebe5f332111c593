/**
 * The dispatcher of `cdk8s-calico`, independent of the process: `runCli`/`runCliAsync` take the
 * arguments and the output streams, find the command in the registry, parse its arguments, run it
 * and return the exit code.
 */
import { CliIo, Command, CommandContext, EXIT_ERROR, EXIT_OK, HelpRequested, PROGRAM, UsageError } from './command';
import { commandChoices, didYouMean, findCommand, helpCommand } from './commands/help';
import { COMMANDS } from './registry';
import { packageVersion } from './version';

/** A command line ready to run, or the exit code it already ended with. */
type Prepared = { readonly code: number } | { readonly command: Command; readonly args: unknown; readonly context: CommandContext };

/**
 * Runs one command line (the arguments after the program name) and returns the exit code:
 * 0 allowed/yes/success, 1 denied/no, 2 error (the message goes to standard error).
 *
 * - no arguments: a usage error;
 * - `-h`/`--help` first: the general usage (the commands of the registry);
 * - `--version` first: the package version;
 * - `<command> [arguments]`: that command; `<command> -h`/`--help` prints its usage;
 * - an unknown command: a usage error naming the closest command when one is close.
 *
 * Commands that run asynchronously (`report`) need {@link runCliAsync}; here they end with an
 * error saying so.
 */
export function runCli(argv: string[], io: CliIo): number {
  const prepared = prepare(argv, io);
  if ('code' in prepared) return prepared.code;
  try {
    if (prepared.command.runsAsynchronously === true) {
      throw new Error(`${prepared.command.name} runs asynchronously; run it with runCliAsync()`);
    }
    const code = prepared.command.run(prepared.args, io, prepared.context);
    if (typeof code !== 'number') {
      // A command that returned a promise without saying so: keep its rejection from going unhandled.
      code.catch(() => undefined);
      throw new Error(`${prepared.command.name} runs asynchronously; run it with runCliAsync()`);
    }
    return code;
  } catch (error) {
    return reportError(io, error);
  }
}

/**
 * Runs one command line like {@link runCli}, waiting for commands that run asynchronously; the
 * executable uses it.
 */
export async function runCliAsync(argv: string[], io: CliIo): Promise<number> {
  const prepared = prepare(argv, io);
  if ('code' in prepared) return prepared.code;
  try {
    return await prepared.command.run(prepared.args, io, prepared.context);
  } catch (error) {
    return reportError(io, error);
  }
}

/** Finds the command and parses its arguments; handles help, `--version` and usage errors. */
function prepare(argv: string[], io: CliIo): Prepared {
  const context: CommandContext = { commands: COMMANDS };
  let command: Command | undefined;
  try {
    const [first, ...rest] = argv;
    const choices = commandChoices(COMMANDS).join(', ');
    if (first === undefined) {
      throw new UsageError(`missing command; expected one of ${choices}`);
    }
    if (first === '-h' || first === '--help') {
      return { command: helpCommand, args: {}, context };
    }
    if (first === '--version') {
      io.stdout(`${packageVersion()}\n`);
      return { code: EXIT_OK };
    }
    command = findCommand(COMMANDS, first);
    if (command === undefined) {
      if (first.startsWith('-')) {
        throw new UsageError(`expected a command (${choices}) before any option, got "${first}"`);
      }
      throw new UsageError(`unknown command "${first}"; expected one of ${choices}${didYouMean(first, COMMANDS)}`);
    }
    return { command, args: command.parse(rest, context), context };
  } catch (error) {
    if (error instanceof HelpRequested && command !== undefined) {
      io.stdout(command.usage);
      return { code: EXIT_OK };
    }
    return { code: reportError(io, error) };
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
