/**
 * A consumer made the way `cdk8s init typescript-app` makes one (its tsconfig: `module: CommonJS`
 * and no `moduleResolution`, so TypeScript's `node10` resolution, which ignores `exports`) must see
 * the package's types, including the jest matchers of `cdk8s-calico/testing`.
 *
 * Needs the compiled package (`lib/`), which `npm test` builds before jest runs.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';

const ROOT = resolve(__dirname, '..', '..');
const TEMPLATE = join(ROOT, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app', 'tsconfig.json');

const CONSUMER = `import { App, Chart } from 'cdk8s';
import { NetworkModel, RbacModel, SecurityTeam } from 'cdk8s-calico';
import { networkModelOf } from 'cdk8s-calico/testing';

const app = new App();
const chart = new Chart(app, 'platform');
new SecurityTeam(chart, 'security', { members: ['alice'] });

test('matchers are typed', () => {
  const network: NetworkModel = networkModelOf(chart);
  expect(network).toDeny({ from: 'a/b', to: 'c/d', port: 443 });
  expect(RbacModel.fromChart(chart)).toForbid({ user: 'bob', verb: 'create', apiGroup: '', resource: 'pods' });
});
`;

test('types resolve with the cdk8s app template tsconfig (node10 resolution)', () => {
  expect(existsSync(join(ROOT, 'lib', 'testing', 'index.d.ts'))).toBe(true);
  const dir = join(ROOT, 'test-reports', 'template-consumer');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'cdk8s-calico'), 'dir');
  const tsconfig = JSON.parse(readFileSync(TEMPLATE, 'utf8'));
  expect(tsconfig.compilerOptions.module).toBe('CommonJS');
  expect(tsconfig.compilerOptions.moduleResolution).toBeUndefined();
  tsconfig.compilerOptions.noEmit = true;
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  writeFileSync(join(dir, 'main.test.ts'), CONSUMER);
  let output = '';
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e: any) {
    output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
  expect(output).toBe('');
}, 60_000);
