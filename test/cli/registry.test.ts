/**
 * The command registry: every command is complete (usage with a working example), the general
 * usage lists them all, `<command> --help` prints its usage, mistyped commands get a suggestion,
 * and `--version` prints the package version.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run, usageError } from './cli-run';
import { closestName, COMMANDS, editDistance, generalUsage, HelpRequested, packageVersion, UsageError } from '../../src/cli';

const NAMES = COMMANDS.map((command) => command.name);

/** The example command lines of a usage text: the lines under "Examples:", continuations joined. */
function examples(usage: string): string[][] {
  const section = /\nExamples:\n((?: {2}.*\n)+)/.exec(usage);
  if (section === null) return [];
  return section[1].replace(/\\\n/g, ' ').split('\n').filter((line) => line.trim() !== '').map((line) => {
    const program = line.indexOf('cdk8s-calico ');
    if (program < 0) throw new Error(`example without the program name: ${line}`);
    return line.slice(program + 'cdk8s-calico '.length).trim().split(/\s+/);
  });
}

describe('registry', () => {
  test('holds the commands of the tool, each once', () => {
    expect(NAMES).toEqual(['check', 'can-i', 'who-can', 'matrix', 'audit', 'diff', 'report', 'help']);
    expect(new Set(NAMES).size).toBe(NAMES.length);
  });

  test.each(COMMANDS.map((command) => [command.name, command]))('%s: name, one-line summary, usage with its own name', (name, command) => {
    expect(name).toMatch(/^[a-z][a-z-]*$/);
    expect(command.summary).toMatch(/^\S.*\S$/);
    expect(command.summary).not.toContain('\n');
    expect(command.usage.startsWith(`Usage: cdk8s-calico ${name}`)).toBe(true);
    expect(command.usage.endsWith('\n')).toBe(true);
  });

  test.each(COMMANDS.map((command) => [command.name, command]))('%s: every usage example is a valid command line of it', (name, command) => {
    const lines = examples(command.usage);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const [first, ...rest] of lines) {
      expect(first).toBe(name);
      expect(() => command.parse(rest, { commands: COMMANDS })).not.toThrow();
    }
  });

  test('the example extraction finds examples and continuation lines', () => {
    const usage = 'Usage: x\n\nExamples:\n  cdk8s-calico a -f x \\\n      --b c\n  cat y | cdk8s-calico a\n\nExit codes: 0\n';
    expect(examples(usage)).toEqual([['a', '-f', 'x', '--b', 'c'], ['a']]);
    expect(examples('Usage: x\n')).toEqual([]);
  });

  test.each(NAMES)('%s: "<command> --help", "<command> -h" and "help <command>" print exactly the registered usage', (name) => {
    const usage = COMMANDS.find((command) => command.name === name)!.usage;
    for (const argv of [[name, '--help'], [name, '-h'], ['help', name]]) {
      expect({ argv, ...run(argv) }).toEqual({ argv, code: 0, out: usage, err: '' });
    }
  });

  test('a command signals a help request with HelpRequested, not a usage error', () => {
    const check = COMMANDS.find((command) => command.name === 'check')!;
    expect(() => check.parse(['--help'], { commands: COMMANDS })).toThrow(HelpRequested);
    expect(() => check.parse(['--help'], { commands: COMMANDS })).not.toThrow(UsageError);
  });
});

describe('general usage', () => {
  test('lists every registered command with its summary, aligned, and the global options', () => {
    const result = run(['--help']);
    expect(result).toEqual({ code: 0, out: generalUsage(COMMANDS), err: '' });
    const listed = result.out.split('\n').filter((line) => /^ {2}[a-z]/.test(line));
    expect(listed).toEqual(COMMANDS.map((command) => `  ${command.name.padEnd(10)}${command.summary}`));
    expect(result.out).toContain('--version');
    expect(result.out).toContain('Exit codes: 0 allowed/yes, 1 denied/no, 2 error.');
  });

  test('lists a newly registered command', () => {
    const extra = { ...COMMANDS[0], name: 'reachability', summary: 'Something new.' };
    const usage = generalUsage([...COMMANDS, extra]);
    expect(usage).toContain('  reachability   Something new.\n');
    expect(usage).toContain(`  check          ${COMMANDS[0].summary}\n`);
  });

  test('"help" prints the same general usage', () => {
    expect(run(['help'])).toEqual(run(['--help']));
  });
});

describe('unknown commands', () => {
  test.each([
    ['chek', 'check'],
    ['CHECK', 'check'],
    ['can', 'can-i'],
    ['cani', 'can-i'],
    ['can_i', 'can-i'],
    ['matirx', 'matrix'],
    ['mat', 'matrix'],
    ['hlep', 'help'],
  ])('"%s" suggests "%s"', (typo, suggestion) => {
    expect(usageError([typo, '-f', 'x.yaml'])).toEqual({
      message: `unknown command "${typo}"; expected one of check, can-i, who-can, matrix, audit, diff, report; did you mean "${suggestion}"?`,
      pointer: 'Run "cdk8s-calico --help" for usage.',
    });
  });

  test.each(['allow', 'x', 'reachability', 'kubectl'])('"%s" is not close to any command: no suggestion', (word) => {
    expect(usageError([word]).message).toBe(`unknown command "${word}"; expected one of check, can-i, who-can, matrix, audit, diff, report`);
  });

  test('"help <typo>" suggests too', () => {
    expect(usageError(['help', 'matrx']).message)
      .toBe('"help" takes at most one command name (check, can-i, who-can, matrix, audit, diff, report), got "matrx"; did you mean "matrix"?');
  });
});

describe('closestName', () => {
  test('the nearest candidate within two edits, or a candidate the text begins', () => {
    expect(closestName('chekc', ['check', 'can-i'])).toBe('check');
    expect(closestName('ca', ['check', 'can-i'])).toBe('can-i');
    expect(closestName('c', ['check', 'can-i'])).toBeUndefined();
    expect(closestName('', ['check'])).toBeUndefined();
    expect(closestName('abc', [])).toBeUndefined();
  });

  test('ties keep the order of the candidates; nearer wins over earlier', () => {
    expect(closestName('ab', ['ax', 'ay'])).toBe('ax');
    expect(closestName('abcd', ['abxy', 'abcx'])).toBe('abcx');
  });

  test('a candidate is never suggested for a text it shares nothing with', () => {
    expect(closestName('xy', ['ab'])).toBeUndefined();
  });

  test('editDistance', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('hlep', 'help')).toBe(2);
    expect(editDistance('check', 'check')).toBe(0);
  });
});

describe('--version', () => {
  const PACKAGE = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));

  test('prints the version of package.json and exits 0', () => {
    expect(PACKAGE.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(run(['--version'])).toEqual({ code: 0, out: `${PACKAGE.version}\n`, err: '' });
    expect(packageVersion()).toBe(PACKAGE.version);
  });

  test('is a flag of the program, not of a command', () => {
    expect(usageError(['check', '--version']).message).toMatch(/Unknown option '--version'/);
  });

  describe('a package.json it cannot use is a clear error', () => {
    let dir: string;

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-calico-version-'));
    });

    afterEach(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    function file(text: string): string {
      const p = path.join(dir, 'package.json');
      fs.writeFileSync(p, text);
      return p;
    }

    test('missing', () => {
      const missing = path.join(dir, 'package.json');
      expect(() => packageVersion(missing)).toThrow(`cannot tell the version of cdk8s-calico: cannot read ${missing}: no such file`);
    });

    test('not JSON', () => {
      const p = file('{ name: ');
      expect(() => packageVersion(p)).toThrow(`cannot tell the version of cdk8s-calico: ${p} is not valid JSON:`);
    });

    test('another package', () => {
      const p = file('{ "name": "other", "version": "1.0.0" }');
      expect(() => packageVersion(p)).toThrow(`cannot tell the version of cdk8s-calico: ${p} is not the package.json of cdk8s-calico (its name is "other")`);
      expect(() => packageVersion(file('[]'))).toThrow('(its name is undefined)');
    });

    test('no version', () => {
      const p = file('{ "name": "cdk8s-calico", "version": "" }');
      expect(() => packageVersion(p)).toThrow(`cannot tell the version of cdk8s-calico: ${p} has no "version" string`);
    });
  });
});
