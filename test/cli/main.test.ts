import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SHOP_YAML } from './fixtures';

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-calico-main-'));
  fs.writeFileSync(path.join(dir, 'shop.yaml'), SHOP_YAML);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the entry point as the installed executable would run, through ts-node. */
function main(args: string[], input?: string) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', MAIN, ...args], {
    cwd: ROOT,
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
}

test('the entry point starts with a node shebang', () => {
  expect(fs.readFileSync(MAIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
});

test('exit codes, standard output, standard error and standard input of the process', () => {
  const shop = path.join(dir, 'shop.yaml');

  const allowed = main(['check', '--manifests', shop, '--from', 'shop/api', '--to', 'shop/db', '--port', '5432']);
  expect(allowed.error).toBeUndefined();
  expect({ status: allowed.status, stderr: allowed.stderr }).toEqual({ status: 0, stderr: '' });
  expect(allowed.stdout).toMatch(/^shop\/api -> shop\/db .*ALLOWED/);

  const denied = main(['check', '--manifests', '-', '--from', 'shop/web', '--to', 'shop/db', '--port', '5432'], SHOP_YAML);
  expect({ status: denied.status, stderr: denied.stderr }).toEqual({ status: 1, stderr: '' });
  expect(denied.stdout).toMatch(/^shop\/web -> shop\/db .*DENIED/);

  const error = main(['check', '--manifests', shop, '--from', 'shop/nope', '--to', 'shop/db']);
  expect(error.status).toBe(2);
  expect(error.stdout).toBe('');
  expect(error.stderr).toMatch(/^cdk8s-calico: error: NetworkModel: from: unknown endpoint "shop\/nope"/);
}, 180_000);

test('--version finds package.json from the entry point', () => {
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  const result = main(['--version']);
  expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
}, 60_000);
