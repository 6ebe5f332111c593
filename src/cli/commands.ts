/**
 * The `cdk8s-calico` commands, independent of the process: `runCli` takes the arguments and
 * the output streams and returns the exit code.
 */
import { CanIArgs, CheckArgs, CliArgs, MatrixArgs, parseCliArgs, PROGRAM, USAGE, UsageError } from './args';
import { loadManifests } from './load-manifests';
import { RbacModel } from '../analysis';
import { PortSpec } from '../analysis/network-matrix';
import { NetworkModel } from '../analysis/network-model';

/** Exit code: the flow is allowed / the request is permitted / the command succeeded. */
export const EXIT_OK = 0;
/** Exit code: the flow is denied / the request is forbidden. */
export const EXIT_DENIED = 1;
/** Exit code: bad arguments, unreadable or malformed manifests, unknown endpoints. */
export const EXIT_ERROR = 2;

/** Where the commands read and write. */
export interface CliIo {
  /** Writes to standard output (the text carries its own line breaks). */
  stdout(text: string): void;
  /** Writes to standard error (the text carries its own line breaks). */
  stderr(text: string): void;
  /** Reads all of standard input; absent when there is none. */
  stdin?(): string;
}

/**
 * Runs one command line (the arguments after the program name) and returns the exit code:
 * 0 allowed/yes/success, 1 denied/no, 2 error (the message goes to standard error).
 */
export function runCli(argv: string[], io: CliIo): number {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    return reportError(io, error);
  }
  try {
    switch (args.command) {
      case 'help':
        io.stdout(USAGE[args.topic ?? 'general']);
        return EXIT_OK;
      case 'check':
        return runCheck(args, io);
      case 'can-i':
        return runCanI(args, io);
      case 'matrix':
        return runMatrix(args, io);
    }
  } catch (error) {
    return reportError(io, error);
  }
}

function runCheck(args: CheckArgs, io: CliIo): number {
  const model = NetworkModel.fromManifests(loadManifests(args.manifests, io.stdin?.bind(io)));
  const verdict = model.check(
    { from: args.from, to: args.to, protocol: args.protocol, port: args.port },
    { includeStaged: args.includeStaged },
  );
  io.stdout(withNewline(verdict.explanation));
  return verdict.allowed ? EXIT_OK : EXIT_DENIED;
}

function runCanI(args: CanIArgs, io: CliIo): number {
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
  const lines = [verdict.allowed ? 'yes' : 'no', verdict.reason];
  if (verdict.grants.length > 0) {
    lines.push('granted by:', ...verdict.grants.map((grant) => `  - ${grant}`));
  }
  io.stdout(`${lines.join('\n')}\n`);
  return verdict.allowed ? EXIT_OK : EXIT_DENIED;
}

function runMatrix(args: MatrixArgs, io: CliIo): number {
  const model = NetworkModel.fromManifests(loadManifests(args.manifests, io.stdin?.bind(io)));
  const ports: PortSpec[] = args.ports.length === 0
    ? [{ protocol: args.protocol }]
    : args.ports.map((spec) => ({ protocol: spec.protocol ?? args.protocol, port: spec.port }));
  const matrix = model.matrix({
    ports,
    endpoints: args.endpoints.length === 0 ? undefined : args.endpoints,
    includeExternal: args.external,
    includeStaged: args.includeStaged,
  });
  io.stdout(withNewline(matrix.toMarkdown()));
  return EXIT_OK;
}

function reportError(io: CliIo, error: any): number {
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`${PROGRAM}: error: ${message}\n`);
  if (error instanceof UsageError) {
    io.stderr(`Run "${PROGRAM} ${error.command ? `${error.command} ` : ''}--help" for usage.\n`);
  }
  return EXIT_ERROR;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
