/**
 * What every `cdk8s-calico` command is made of, and what it shares with the others: the program
 * name, the exit codes, the input/output streams and the usage errors.
 *
 * A command is one file under `commands/` exporting a {@link Command} and one line in
 * `registry.ts`; `run.ts` dispatches to it.
 */

/** The program name used in messages and usage texts. */
export const PROGRAM = 'cdk8s-calico';

/** Exit code: the flow is allowed / the request is permitted / the command succeeded. */
export const EXIT_OK = 0;
/** Exit code: the flow is denied / the request is forbidden. */
export const EXIT_DENIED = 1;
/** Exit code: bad arguments, unreadable or malformed manifests, unknown endpoints. */
export const EXIT_ERROR = 2;

/** Where the commands read and write. */
export interface CliIo {
  /**
   * Whether standard error is a terminal: long-running commands then show their progress there.
   * @default false
   */
  readonly stderrIsTerminal?: boolean;
  /** Writes to standard output (the text carries its own line breaks). */
  stdout(text: string): void;
  /** Writes to standard error (the text carries its own line breaks). */
  stderr(text: string): void;
  /** Reads all of standard input; absent when there is none. */
  stdin?(): string;
}

/**
 * Wrong command-line usage (unknown command or option, missing or malformed argument).
 * The tool prints the message with a pointer to `--help` and exits with code 2.
 */
export class UsageError extends Error {
  /** The command whose usage was wrong, when known; the pointer then names its `--help`. */
  public readonly command?: string;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/**
 * Thrown by a command's `parse` when its arguments ask for its usage (`-h`, `--help`); the
 * dispatcher then prints that command's usage and exits with 0.
 */
export class HelpRequested extends Error {
  /** The command whose usage was asked for. */
  public readonly command: string;

  constructor(command: string) {
    super(`${command} --help`);
    this.name = 'HelpRequested';
    this.command = command;
  }
}

/** What the dispatcher hands to every command besides its own arguments. */
export interface CommandContext {
  /** All commands of the tool, in the order the general usage lists them (the registry). */
  readonly commands: readonly Command[];
}

/**
 * One sub-command of `cdk8s-calico`.
 *
 * @typeParam A the parsed arguments
 */
export interface Command<A = unknown> {
  /** The word that selects the command, e.g. `check`. */
  readonly name: string;
  /** One line for the general usage's list of commands. */
  readonly summary: string;
  /** The full usage text (`<command> --help`), with at least one example. */
  readonly usage: string;
  /**
   * Whether `run` returns a promise (it waits, e.g. for a WebAssembly module): only `runCliAsync`
   * runs such a command.
   * @default false
   */
  readonly runsAsynchronously?: boolean;
  /**
   * Parses the arguments after the command name. Throws a {@link UsageError} for anything
   * malformed and {@link HelpRequested} when the arguments ask for the usage.
   */
  parse(argv: readonly string[], context: CommandContext): A;
  /**
   * Runs the command and returns the exit code ({@link EXIT_OK}, {@link EXIT_DENIED}); errors
   * are thrown (or the promise rejected) and reported by the dispatcher with {@link EXIT_ERROR}.
   * A command that needs to wait returns a promise and says so with `runsAsynchronously`.
   */
  run(args: A, io: CliIo, context: CommandContext): number | Promise<number>;
}

/** The text with a final line break (added when missing), for printing a multi-line answer. */
export function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
