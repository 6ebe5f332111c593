/**
 * Runs the command line in-process and collects what it writes, for the command-line tests.
 */
import { CliIo, COMMANDS, findCommand, runCli } from '../../src/cli';

/** The outcome of one command line. */
export interface Run {
  /** The exit code. */
  readonly code: number;
  /** Everything written to standard output. */
  readonly out: string;
  /** Everything written to standard error. */
  readonly err: string;
}

/** Runs `runCli(argv)`; `stdin`, when given, is what standard input holds. */
export function run(argv: string[], stdin?: string): Run {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
  };
  const withStdin: CliIo = stdin === undefined ? io : { ...io, stdin: () => stdin };
  const code = runCli(argv, withStdin);
  return { code, out, err };
}

/** The arguments the registered command `name` parses from `argv` (the arguments after its name). */
export function parse(name: string, argv: string[]): unknown {
  const command = findCommand(COMMANDS, name);
  if (command === undefined) throw new Error(`no command "${name}" in the registry`);
  return command.parse(argv, { commands: COMMANDS });
}

/** The usage error of a command line: exit 2, nothing on standard output, the message and the pointer at --help. */
export function usageError(argv: string[]): { readonly message: string; readonly pointer: string } {
  const result = run(argv);
  expect(result.code).toBe(2);
  expect(result.out).toBe('');
  const match = /^cdk8s-calico: error: (.*)\n(Run "cdk8s-calico (?:[a-z-]+ )?--help" for usage\.)\n$/s.exec(result.err);
  if (match === null) throw new Error(`expected a usage error for ${JSON.stringify(argv)}, got: ${result.err}`);
  return { message: match[1], pointer: match[2] };
}
