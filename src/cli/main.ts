#!/usr/bin/env node
/**
 * The `cdk8s-calico` executable: offline network-policy and RBAC answers from manifests.
 * See `cdk8s-calico --help`.
 */
import { readFileSync } from 'node:fs';
import { runCliAsync } from './run';

void runCliAsync(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: () => readFileSync(0, 'utf8'),
  stderrIsTerminal: process.stderr.isTTY === true,
}).then((code) => {
  process.exitCode = code;
});
