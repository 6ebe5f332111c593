/**
 * Output formats: the `--output` option, the writers every command shares, `--output` of check,
 * matrix and can-i (text stays the default, byte for byte), progress on a terminal, and the
 * asynchronous dispatcher.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { run, usageError } from './cli-run';
import { RBAC_YAML, SHOP_YAML } from './fixtures';
import { NetworkModel } from '../../src/analysis';
import { CliIo, COMMANDS, EXIT_DENIED, EXIT_ERROR, EXIT_OK, findCommand, outputFormat, progressOn, runCli, runCliAsync, UsageError } from '../../src/cli';
import { buildSecurityReport, csvField, dotId, markdownCell, markdownCode, markdownTable, reportJson, toCsv, toDot, toJson } from '../../src/report';
import { tempDir } from '../report/reference-platform';

let dir: string;
let shop: string;
let rbac: string;

beforeAll(() => {
  dir = tempDir('cdk8s-calico-output-');
  shop = path.join(dir, 'shop.yaml');
  rbac = path.join(dir, 'rbac.yaml');
  fs.writeFileSync(shop, SHOP_YAML);
  fs.writeFileSync(rbac, RBAC_YAML);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function model(): NetworkModel {
  return NetworkModel.fromManifests(parseAllDocuments(SHOP_YAML).map((d) => d.toJS()));
}

describe('writers', () => {
  test('outputFormat: the default, a listed format, refusals naming the formats', () => {
    expect(outputFormat({}, 'x', ['text', 'json'])).toBe('text');
    expect(outputFormat({ output: 'json' }, 'x', ['text', 'json'])).toBe('json');
    expect(() => outputFormat({ output: 'csv' }, 'x', ['text', 'json'])).toThrow(new UsageError('--output "csv": x does not print csv; x prints text, json'));
    expect(() => outputFormat({ output: 'xml' }, 'x', ['text', 'json'])).toThrow('--output "xml": unknown format; x prints text, json');
  });

  test('CSV quotes fields with commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(false)).toBe('false');
    expect(toCsv(['a', 'b'], [[1, 'x,y'], [undefined, null]])).toBe('a,b\n1,"x,y"\n,\n');
  });

  test('Markdown cells escape pipes and backslashes; code spans survive backticks', () => {
    expect(markdownCell('a|b\\c\nd')).toBe('a\\|b\\\\c<br>d');
    expect(markdownTable(['x', 'y'], [['1', '2']], ['l', 'c'])).toBe('| x | y |\n| --- | :---: |\n| 1 | 2 |\n');
    expect(markdownCode('fe/web')).toBe('`fe/web`');
    expect(markdownCode('a`b')).toBe('`` a`b ``');
  });

  test('DOT: quoted ids, clusters per group, edges with attributes', () => {
    expect(dotId('a"b\\c')).toBe('"a\\"b\\\\c"');
    const dot = toDot('g', [{ id: 'ns/a', group: 'ns', label: 'a' }, { id: 'ip:1.2.3.4' }], [{ from: 'ns/a', to: 'ip:1.2.3.4', label: 'TCP 443', attributes: { color: 'red' } }]);
    expect(dot).toContain('subgraph "cluster_0" {\n    label="ns";');
    expect(dot).toContain('    "ns/a" [label="a"];');
    expect(dot).toContain('  "ip:1.2.3.4";');
    expect(dot).toContain('  "ns/a" -> "ip:1.2.3.4" [label="TCP 443", color="red"];');
    expect(dot.endsWith('}\n')).toBe(true);
  });

  test('JSON is indented and ends with a line break', () => {
    expect(toJson({ a: [1], b: undefined })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
});

describe('check --output', () => {
  test('text is the default and unchanged', () => {
    const explanation = `${model().check({ from: 'shop/api', to: 'shop/db', port: 5432 }).explanation}\n`;
    expect(run(['check', '-f', shop, '--from', 'shop/api', '--to', 'shop/db', '--port', '5432']).out).toBe(explanation);
    expect(run(['check', '-f', shop, '--from', 'shop/api', '--to', 'shop/db', '--port', '5432', '-o', 'text']).out).toBe(explanation);
  });

  test('json: the flow, both sides and the explanation; the exit code still tells the verdict', () => {
    const result = run(['check', '-f', shop, '--from', 'shop/web', '--to', 'shop/db', '--port', '5432', '--output', 'json']);
    expect(result.code).toBe(EXIT_DENIED);
    const json = JSON.parse(result.out);
    expect(Object.keys(json)).toEqual(['from', 'to', 'protocol', 'port', 'includeStaged', 'allowed', 'egress', 'ingress', 'explanation']);
    expect(json).toMatchObject({ from: 'shop/web', to: 'shop/db', protocol: 'TCP', port: 5432, includeStaged: false, allowed: false });
    expect(json.ingress).toEqual({
      allowed: false,
      decidedBy: 'END_OF_TIER',
      tier: 'default',
      policy: null,
      ruleIndex: null,
      action: null,
      reason: 'end of tier default without a verdict: drop',
      trace: expect.any(Array),
    });
    expect(json.egress).toMatchObject({ allowed: true, decidedBy: 'NO_POLICY' });
    expect(json.explanation).toBe(model().check({ from: 'shop/web', to: 'shop/db', port: 5432 }).explanation);
  });

  test('md: the verdict, a table of both sides, the explanation folded', () => {
    const result = run(['check', '-f', shop, '--from', 'shop/api', '--to', 'shop/db', '--port', '5432', '-o', 'md']);
    expect(result.code).toBe(EXIT_OK);
    expect(result.out.split('\n').slice(0, 6)).toEqual([
      '**ALLOWED**: `shop/api` → `shop/db` TCP port 5432',
      '',
      '| side | verdict | decided by |',
      '| --- | --- | --- |',
      '| egress of `shop/api` | allowed | no policy selects this endpoint for egress; the namespace profile allows |',
      '| ingress of `shop/db` | allowed | ingress rule 0 (Allow) of NetworkPolicy shop/db-from-api in tier default |',
    ]);
    expect(result.out).toContain('<details><summary>Explanation</summary>\n\n```text\nshop/api -> shop/db TCP port 5432 (IPv4): ALLOWED\n');
  });

  test('csv and dot are refused', () => {
    expect(usageError(['check', '-f', shop, '--from', 'a/b', '--to', 'c/d', '-o', 'csv']).message).toBe('--output "csv": check does not print csv; check prints text, json, md');
  });
});

describe('matrix --output', () => {
  const args = ['matrix', '-f', 'SHOP', '--port', '5432', '--port', 'http'];
  const argv = (...extra: string[]) => [...args.map((a) => (a === 'SHOP' ? shop : a)), ...extra];

  test('text and md are the Markdown tables, unchanged', () => {
    const markdown = model().matrix({ ports: [{ port: 5432 }, { port: 'http' }] }).toMarkdown();
    expect(run(argv()).out).toBe(markdown);
    expect(run(argv('-o', 'md')).out).toBe(markdown);
  });

  test('json: endpoints, ports and every cell', () => {
    const json = JSON.parse(run(argv('-o', 'json')).out);
    expect(json.endpoints).toEqual(['shop/api', 'shop/db', 'shop/web']);
    expect(json.ports).toEqual([{ protocol: 'TCP', port: 5432 }, { protocol: 'TCP', port: 'http' }]);
    expect(json.cells).toHaveLength(18);
    expect(json.cells).toContainEqual({ from: 'shop/api', to: 'shop/db', protocol: 'TCP', port: 5432, allowed: true });
    expect(json.cells).toContainEqual({ from: 'shop/web', to: 'shop/db', protocol: 'TCP', port: 5432, allowed: false });
  });

  test('json without a port: port is null', () => {
    const json = JSON.parse(run(['matrix', '-f', shop, '-o', 'json']).out);
    expect(json.ports).toEqual([{ protocol: 'TCP', port: null }]);
    expect(json.cells[0]).toEqual({ from: 'shop/api', to: 'shop/api', protocol: 'TCP', port: null, allowed: true });
  });

  test('csv: one line per cell', () => {
    const lines = run(argv('-o', 'csv')).out.trimEnd().split('\n');
    expect(lines[0]).toBe('from,to,protocol,port,allowed');
    expect(lines).toHaveLength(19);
    expect(lines).toContain('shop/api,shop/db,TCP,5432,true');
    expect(lines).toContain('shop/web,shop/api,TCP,http,true');
  });

  test('dot: an edge per allowed flow between different endpoints, labelled with its ports', () => {
    const dot = run(argv('-o', 'dot')).out;
    expect(dot).toContain('label="shop";');
    expect(dot).toContain('"shop/api" -> "shop/db" [label="TCP 5432"];');
    // No policy selects api: web reaches it on both ports of the matrix.
    expect(dot).toContain('"shop/web" -> "shop/api" [label="all"];');
    expect(dot).not.toContain('"shop/web" -> "shop/db"');
    expect(dot).not.toMatch(/"shop\/api" -> "shop\/api"/);
  });
});

describe('can-i --output', () => {
  const base = ['can-i', 'get', 'pods/log', '-n', 'be', '--as', 'system:serviceaccount:be:ci'];

  test('text is the default and unchanged', () => {
    expect(run([...base, '-f', rbac]).out).toBe('yes\nallowed: Role pod-reader via RoleBinding be/ci-reads-pods grants get on pods/log in namespace be\n'
      + 'granted by:\n  - Role pod-reader via RoleBinding be/ci-reads-pods\n');
  });

  test('json: the verdict and the question', () => {
    const result = run([...base, '-f', rbac, '-o', 'json']);
    expect(result.code).toBe(EXIT_OK);
    expect(JSON.parse(result.out)).toEqual({
      allowed: true,
      reason: 'allowed: Role pod-reader via RoleBinding be/ci-reads-pods grants get on pods/log in namespace be',
      grants: ['Role pod-reader via RoleBinding be/ci-reads-pods'],
      request: {
        user: 'system:serviceaccount:be:ci', groups: [], verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log', namespace: 'be', name: null, tier: null,
      },
    });
  });

  test('md: the question with its answer, the reason and the grants', () => {
    const result = run(['can-i', 'delete', 'pods', 'x', '-n', 'be', '--as', 'alice', '-f', rbac, '-o', 'md']);
    expect(result.code).toBe(EXIT_DENIED);
    expect(result.out).toBe('**no**: may `alice` delete `pods` `x` in namespace `be`?\n\ndenied: no rule grants delete on pods \'x\' in namespace be to alice\n');
  });
});

describe('progress and the asynchronous dispatcher', () => {
  function io(terminal: boolean): CliIo & { err: string } {
    const sink = { err: '', stdout: () => undefined, stderr: (t: string) => { sink.err += t; }, stderrIsTerminal: terminal };
    return sink;
  }

  test('progress shows on a terminal only, at most every 100 ms, and is cleared', () => {
    expect(progressOn(io(false), 'x')).toBeUndefined();
    const terminal = io(true);
    let now = 0;
    const progress = progressOn(terminal, 'report', () => now)!;
    progress.update('flows', 1, 4);
    now = 50;
    progress.update('flows', 2, 4);
    now = 200;
    progress.update('flows', 3, 4);
    progress.update('flows', 4, 4);
    progress.done();
    expect(terminal.err).toBe('\r\x1b[Kreport: flows 1/4 (25%)\r\x1b[Kreport: flows 3/4 (75%)\r\x1b[Kreport: flows 4/4 (100%)\r\x1b[K');
  });

  test('runCliAsync runs synchronous commands alike', async () => {
    let out = '';
    const code = await runCliAsync(['check', '-f', shop, '--from', 'shop/api', '--to', 'shop/db', '--port', '5432'], {
      stdout: (t) => { out += t; }, stderr: () => undefined,
    });
    expect(code).toBe(EXIT_OK);
    expect(out).toContain('ALLOWED');
  });

  test('runCli refuses an asynchronous command with a clear error, before running it', () => {
    const out = path.join(dir, 'never');
    const result = run(['report', '-f', shop, '--out', out]);
    expect(result.code).toBe(EXIT_ERROR);
    expect(result.err).toBe('cdk8s-calico: error: report runs asynchronously; run it with runCliAsync()\n');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('runCli and runCliAsync report usage errors alike', async () => {
    let err = '';
    const code = await runCliAsync(['nope'], { stdout: () => undefined, stderr: (t) => { err += t; } });
    expect(code).toBe(EXIT_ERROR);
    expect(err).toBe(run(['nope']).err);
    expect(runCli([], { stdout: () => undefined, stderr: () => undefined })).toBe(EXIT_ERROR);
  });
});

describe('the JSON fields are documented', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'cli-output.md'), 'utf8');

  /** Every key of a JSON value, nested ones included. */
  function keys(value: unknown, into = new Set<string>()): Set<string> {
    if (Array.isArray(value)) {
      value.forEach((v) => keys(v, into));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        into.add(k);
        keys(v, into);
      }
    }
    return into;
  }

  const outputs: [string, () => string][] = [
    ['check', () => run(['check', '-f', shop, '--from', 'shop/web', '--to', 'shop/db', '--port', '5432', '-o', 'json']).out],
    ['can-i', () => run(['can-i', 'get', 'pods', '-n', 'be', '--as', 'alice', '-f', rbac, '-o', 'json']).out],
    ['who-can', () => run(['who-can', 'get', 'pods', '-n', 'be', '-f', rbac, '-o', 'json']).out],
    ['matrix', () => run(['matrix', '-f', shop, '--port', '5432', '-o', 'json']).out],
    ['diff', () => run(['diff', '--before', rbac, '--after', shop, '-o', 'json']).out],
    ['report', () => reportJson(buildSecurityReport(parseAllDocuments(SHOP_YAML).map((d) => d.toJS()), {
      audit: () => [{ rule: 'R', severity: 'low', subject: 'User:a', message: 'm', objects: ['Role x/y'], fix: 'f' }],
    }))],
  ];

  test.each(outputs)('%s: every field in docs/cli-output.md and in the command usage', (name, output) => {
    const fields = [...keys(JSON.parse(output()))];
    expect(fields.length).toBeGreaterThan(3);
    const usage = findCommand(COMMANDS, name)!.usage;
    for (const field of fields) {
      expect({ field, inDoc: doc.includes(`"${field}"`) || doc.includes(`\`${field}\``) }).toEqual({ field, inDoc: true });
      expect({ field, inUsage: new RegExp(`\\b${field}\\b`).test(usage) }).toEqual({ field, inUsage: true });
    }
  });
});
