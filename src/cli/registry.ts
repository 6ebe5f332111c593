/**
 * The commands of `cdk8s-calico`, in the order the general usage lists them. A new command is one
 * file under `commands/` and one line here.
 */
import { Command } from './command';
import { auditCommand } from './commands/audit';
import { canICommand } from './commands/can-i';
import { checkCommand } from './commands/check';
import { diffCommand } from './commands/diff';
import { helpCommand } from './commands/help';
import { matrixCommand } from './commands/matrix';
import { reportCommand } from './commands/report';
import { whoCanCommand } from './commands/who-can';

/** Every command of the tool, in the order the general usage lists them. */
export const COMMANDS: readonly Command[] = [
  checkCommand,
  canICommand,
  whoCanCommand,
  matrixCommand,
  auditCommand,
  diffCommand,
  reportCommand,
  helpCommand,
];
