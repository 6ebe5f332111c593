/**
 * The command-line tool `cdk8s-calico` as a module: `runCli` runs a command line against given
 * streams (the executable is `main.ts`); the rest is for tests and for adding commands.
 */
export { runCli, runCliAsync } from './run';
export { COMMANDS } from './registry';
export {
  CliIo, Command, CommandContext, EXIT_DENIED, EXIT_ERROR, EXIT_OK, HelpRequested, PROGRAM, UsageError,
} from './command';
export { parsePort, parseProtocolPort, ProtocolPort } from './options';
export { OUTPUT_FORMATS, outputFormat, progressOn } from './output';
export type { OutputFormat, Progress } from './output';
export { CheckArgs } from './commands/check';
export { CanIArgs, parseResource, ResourceRef } from './commands/can-i';
export { MatrixArgs } from './commands/matrix';
export type { WhoCanArgs } from './commands/who-can';
export type { DiffArgs } from './commands/diff';
export type { ReportArgs } from './commands/report';
export { HelpArgs, findCommand, generalUsage } from './commands/help';
export { loadManifests, ManifestError, MANIFEST_EXTENSIONS, parseManifests, STDIN_PATH } from './load-manifests';
export { closestName, editDistance } from '../core/suggest';
export { packageVersion, PACKAGE_JSON } from './version';
