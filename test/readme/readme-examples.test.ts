/**
 * Every example of the README and of the guides in docs/ runs verbatim. Each code block (other than the set-up commands and
 * sample output) is marked by the comment right above it:
 *
 * - `<!-- readme-example: quick-start -->` / `run`: a TypeScript program, run as it is;
 * - `<!-- readme-example: continues quick-start -->`: run after the quick start, in the same module;
 * - `<!-- readme-example: excerpt <file> -->`: lines of a file of the repository, which must hold
 *   them verbatim (that file runs in its own test);
 * - `<!-- readme-example: cli -->`: `npx cdk8s-calico …` lines against `npm run synth`'s output
 *   (`dist/`; any other `<dir>/` argument is a scratch folder), each with its expected exit code
 *   in a trailing `# exit N` comment.
 *
 * `import … from 'cdk8s-calico'` and `'cdk8s-calico/testing'` resolve to this checkout's sources.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { App } from 'cdk8s';
import * as ts from 'typescript';
import { buildReferencePlatform } from '../../examples/reference-platform/main';
import { runCliAsync } from '../../src/cli';

const ROOT = resolve(__dirname, '..', '..');
/** The documents whose examples run: the README and every guide in docs/. */
const DOCUMENTS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

interface Block {
  readonly file: string;
  readonly marker?: string;
  readonly lang: string;
  readonly code: string;
  readonly line: number;
}

function blocks(file: string, text: string): Block[] {
  const out: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    let j = i + 1;
    while (j < lines.length && lines[j] !== '```') j++;
    const marker = /^<!-- readme-example: (.+) -->$/.exec(lines[i - 1] ?? '')?.[1];
    out.push({ file, marker, lang: open[1], code: lines.slice(i + 1, j).join('\n'), line: i + 1 });
    i = j;
  }
  return out;
}

const ALL = DOCUMENTS.flatMap((file) => blocks(file, readFileSync(join(ROOT, file), 'utf8')));
const where = (b: Block): string => `${b.file}:${b.line}`;

/** Compiles a TypeScript example to CommonJS and runs it, with the package names pointing at src/. */
function run(code: string, cwd: string): void {
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true };
  const js = ts.transpileModule(code, { compilerOptions }).outputText;
  const local = (name: string): string => {
    if (name === 'cdk8s-calico') return join(ROOT, 'src');
    if (name === 'cdk8s-calico/testing') return join(ROOT, 'src', 'testing');
    return name;
  };
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    new Function('require', 'expect', 'exports', js)((name: string) => require(local(name)), expect, {});
  } finally {
    process.chdir(previous);
  }
}

describe('README and docs/ examples', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'readme-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('every TypeScript and shell example is marked', () => {
    const unmarked = ALL.filter((b) => (b.lang === 'ts' || (b.lang === 'sh' && /^npx cdk8s-calico /m.test(b.code))) && b.marker === undefined);
    expect(unmarked.map(where)).toEqual([]);
  });

  const quickStart = ALL.find((b) => b.file === 'README.md' && b.marker === 'quick-start');

  test('the quick start runs and synthesizes', () => {
    expect(quickStart).toBeDefined();
    run(quickStart!.code, dir);
  });

  test.each(ALL.filter((b) => b.marker === 'continues quick-start').map((b) => [where(b), b] as const))('%s runs after the quick start', (_line, block) => {
    // The quick start's app.synth() writes dist/; running it again in the same module is harmless.
    run(`${quickStart!.code}\n${block.code}`, dir);
  });

  test.each(ALL.filter((b) => b.marker === 'run').map((b) => [where(b), b] as const))('%s runs', (_line, block) => {
    run(block.code, dir);
  });

  test.each(ALL.filter((b) => b.marker?.startsWith('excerpt ')).map((b) => [where(b), b] as const))('%s is an excerpt of its file', (_line, block) => {
    const file = readFileSync(join(ROOT, block.marker!.slice('excerpt '.length)), 'utf8');
    expect(file).toContain(block.code);
  });

  describe('command-line examples against the reference platform', () => {
    let dist: string;
    beforeAll(() => {
      dist = join(mkdtempSync(join(tmpdir(), 'readme-synth-')), 'dist');
      const app = new App({ outdir: dist });
      buildReferencePlatform(app);
      app.synth();
    });

    const commands = ALL.filter((b) => b.marker === 'cli').flatMap((b) => b.code.replace(/\\\n\s*/g, '').split('\n').filter((l) => l.trim() !== ''));

    test('there are examples', () => {
      expect(commands.length).toBeGreaterThan(0);
    });

    test.each(commands.map((c) => [c] as const))('%s', async (line) => {
      const match = /^npx cdk8s-calico (.*?)\s*#\s*exit (\d)\b/.exec(line);
      expect(match).not.toBeNull();
      // dist/ is npm run synth's output; any other directory argument lands in a scratch folder.
      const argv = match![1].split(/\s+/).map((a) => (a === 'dist/' ? `${dist}/` : a.endsWith('/') && !a.startsWith('-') ? join(dir, a) : a));
      let out = '';
      let err = '';
      const code = await runCliAsync(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
      expect({ code, err }).toEqual({ code: Number(match![2]), err: '' });
      expect(out.length).toBeGreaterThan(0);
    });
  });
});
