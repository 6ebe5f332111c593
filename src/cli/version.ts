/**
 * `cdk8s-calico --version`: the version of the installed package.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROGRAM } from './command';

/**
 * The package's `package.json`: two levels above this file, which is `src/cli/` when run from
 * the sources (ts-jest, ts-node) and `lib/cli/` once compiled and installed.
 */
export const PACKAGE_JSON = path.join(__dirname, '..', '..', 'package.json');

/**
 * The `version` of the package, read from its `package.json`. Throws an error naming the file
 * when it is unreadable, not JSON, of another package, or without a version.
 *
 * @param file the `package.json` to read (tests pass another one)
 */
export function packageVersion(file: string = PACKAGE_JSON): string {
  const fail = (what: string): never => {
    throw new Error(`cannot tell the version of ${PROGRAM}: ${what}`);
  };
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error: any) {
    fail(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
  let manifest: any;
  try {
    manifest = JSON.parse(text);
  } catch (error: any) {
    fail(`${file} is not valid JSON: ${error.message}`);
  }
  if (manifest === null || typeof manifest !== 'object' || manifest.name !== PROGRAM) {
    fail(`${file} is not the package.json of ${PROGRAM} (its name is ${JSON.stringify(manifest?.name)})`);
  }
  if (typeof manifest.version !== 'string' || manifest.version === '') {
    fail(`${file} has no "version" string`);
  }
  return manifest.version;
}
