/**
 * `cdk8s-calico report`: report.md, a self-contained report.html with the connectivity graph as
 * inline SVG (the workloads as nodes), and report.json, on the reference platform.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, usageError } from './cli-run';
import { RbacModel } from '../../src/analysis';
import { subjectId } from '../../src/analysis/diff';
import { CliIo, EXIT_ERROR, EXIT_OK, loadManifests, runCliAsync } from '../../src/cli';
import { Audit } from '../../src/guardrails';
import { SAMPLE_WORKLOADS, synthPlatform, tempDir } from '../report/reference-platform';

interface AsyncRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function runAsync(argv: string[], terminal = false): Promise<AsyncRun> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, stderrIsTerminal: terminal };
  const code = await runCliAsync(argv, io);
  return { code, out, err };
}

/** The text of the SVG elements of a kind (`title`, `text`) with Graphviz's character references decoded. */
function svgTexts(svg: string, element: string): string[] {
  const decode = (text: string) => text.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return [...svg.matchAll(new RegExp(`<${element}[^>]*>([^<]*)</${element}>`, 'g'))].map((m) => decode(m[1]));
}

describe('report on the reference platform', () => {
  let dir: string;
  let manifests: string;
  let out: string;
  let result: AsyncRun;

  beforeAll(async () => {
    dir = tempDir('cdk8s-calico-report-');
    manifests = synthPlatform(path.join(dir, 'dist'));
    out = path.join(dir, 'report');
    result = await runAsync(['report', '--manifests', manifests, '--out', out]);
  }, 120_000);

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('writes report.md, report.html and report.json and says so; exit 0', () => {
    expect(result.err).toBe('');
    expect(result.code).toBe(EXIT_OK);
    expect(result.out).toBe(['report.md', 'report.html', 'report.json'].map((f) => `wrote ${path.join(out, f)}\n`).join(''));
    expect(fs.readdirSync(out).sort()).toEqual(['report.html', 'report.json', 'report.md']);
  });

  test('report.html: one self-contained page with an inline <svg> graph whose nodes are the workloads', () => {
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + '</svg>'.length);
    expect(svg.length).toBeGreaterThan(1000);
    const nodes = [...svg.matchAll(/<g id="node\d+" class="node">\s*<title>([^<]*)<\/title>/g)].map((m) => svgTexts(`<title>${m[1]}</title>`, 'title')[0]);
    for (const [namespace, name] of SAMPLE_WORKLOADS) expect(nodes).toContain(`${namespace}/${name}`);
    expect(nodes).toContain('webapp/frontend');
    // Namespaces are drawn as clusters, labelled with their names.
    const labels = svgTexts(svg, 'text');
    expect(labels).toEqual(expect.arrayContaining(['fe', 'be-dev-team', 'database', 'outside the cluster', 'web', 'api']));
    // The allowed flows are edges: fe/web -> be-dev-team/api on TCP 443, be-dev-team/api -> database/mongo on TCP 27017.
    const edges = [...svg.matchAll(/<g id="edge\d+" class="edge">\s*<title>([^<]*)<\/title>/g)].map((m) => svgTexts(`<title>${m[1]}</title>`, 'title')[0]);
    expect(edges).toEqual(expect.arrayContaining(['fe/web->be-dev-team/api', 'be-dev-team/api->database/mongo']));
    expect(labels).toEqual(expect.arrayContaining(['TCP 443', 'TCP 27017']));
    // Denied flows are not drawn.
    expect(edges).not.toContain('fe/web->database/mongo');
    // Self-contained: no scripts, no stylesheets, images or fonts from elsewhere.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect([...html.matchAll(/https?:\/\/[^\s"']+/g)].map((m) => m[0]).sort()).toEqual(['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg']);
    for (const heading of ['Connectivity graph', 'Connectivity between namespaces', 'Connectivity between workloads', 'Who can change policies, tiers and network sets', 'Audit findings']) {
      expect(html).toContain(`<h2>${heading}</h2>`);
    }
  });

  test('report.md: the matrices per namespace and per workload, who can change what', () => {
    const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    const row = (table: string, first: string) => md.slice(md.indexOf(table)).split('\n').find((line) => line.startsWith(`| ${first} |`))!;
    const header = (table: string) => md.slice(md.indexOf(table)).split('\n').find((line) => line.startsWith('| from ↓ to → |'))!.split(' | ');
    const cell = (table: string, from: string, to: string) => row(table, from).split(' | ')[header(table).indexOf(to)];
    const namespaces = '## Connectivity between namespaces';
    const workloads = '## Connectivity between workloads';
    expect(cell(namespaces, 'fe', 'be-dev-team')).toBe('◐ TCP 443 (1/1 pairs)');
    expect(cell(namespaces, 'be-dev-team', 'fe')).toBe('✗');
    expect(cell(workloads, 'fe/web', 'be-dev-team/api')).toBe('TCP 443');
    expect(cell(workloads, 'be-dev-team/api', 'database/mongo')).toBe('TCP 27017');
    expect(cell(workloads, 'fe/web', 'database/mongo')).toBe('✗');
    // The security team owns the security tier's global policies; nobody changes kube-admin's.
    expect(md).toMatch(/\| globalnetworkpolicies\.projectcalico\.org \| {2}\| security(, default)? \| [^\n]*`ServiceAccount:security\/security-member` \(all\)/);
    expect(md).toMatch(/\| globalnetworkpolicies\.projectcalico\.org \| {2}\| kube-admin(, [a-z-]+)* \| nobody \|/);
    expect(md).toMatch(/^- Audit: (no findings|\d+ findings \(.*\))\.$/m);
  });

  test('report.json: the data with its documented fields', () => {
    const json = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(Object.keys(json)).toEqual(['endpoints', 'ports', 'flows', 'namespaces', 'tiers', 'changers', 'findings']);
    expect(json.endpoints).toContainEqual({ id: 'fe/web', kind: 'Deployment', namespace: 'fe', name: 'web' });
    expect(json.endpoints.filter((e: any) => e.kind === 'External').every((e: any) => e.namespace === null && e.id.startsWith('ip:'))).toBe(true);
    expect(json.flows).toContainEqual({ from: 'fe/web', to: 'be-dev-team/api', allowed: ['TCP 443'], all: false });
    expect(json.namespaces).toContainEqual(expect.objectContaining({ from: 'fe', to: 'be-dev-team', pairs: 1, reachablePairs: 1, openPairs: 0, ports: ['TCP 443'] }));
    expect(json.tiers).toEqual(['security', 'kube-admin', 'default', 'kube-baseline']);
    // Each row is what the RBAC model answers, per verb, without system:masters.
    const rbac = RbacModel.fromManifests(loadManifests([manifests]));
    const who = (verb: string) => rbac.whoCan(verb, 'networking.k8s.io', 'networkpolicies', 'be-dev-team').map(subjectId).filter((s) => s !== 'Group:system:masters');
    const row = json.changers.find((c: any) => c.resource === 'networkpolicies.networking.k8s.io' && c.namespace === 'be-dev-team');
    expect(row.tier).toBeNull();
    for (const verb of ['create', 'update', 'patch', 'delete']) {
      expect(row.subjects.filter((s: any) => s.verbs.includes(verb)).map((s: any) => s.subject).sort()).toEqual(who(verb).sort());
    }
    expect(json.changers).toContainEqual({
      resource: 'globalnetworkpolicies.projectcalico.org',
      namespace: null,
      tier: 'security',
      subjects: expect.arrayContaining([{ subject: 'ServiceAccount:security/security-member', verbs: ['create', 'update', 'patch', 'delete'] }]),
    });
    // The audit rule pack of `cdk8s-calico audit` ran.
    expect(json.findings).toEqual(Audit.objects(loadManifests([manifests])).map((f) => ({
      rule: f.rule, severity: f.severity, subject: f.subject ?? null, message: f.message, objects: f.objects, fix: f.fix,
    })));
  });

  test('the executable waits for the report and exits 0; piped standard error shows no progress', () => {
    const main = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
    const target = path.join(dir, 'from-process');
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', main, 'report', '-f', manifests, '--out', target], {
      cwd: path.join(__dirname, '..', '..'),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });
    expect(child.stdout).toBe(['report.md', 'report.html', 'report.json'].map((f) => `wrote ${path.join(target, f)}\n`).join(''));
    expect(fs.readFileSync(path.join(target, 'report.html'), 'utf8')).toContain('<svg');
  }, 180_000);

  test('progress goes to standard error when it is a terminal, and is cleared', async () => {
    const again = await runAsync(['report', '-f', manifests, '--out', path.join(dir, 'again')], true);
    expect(again.code).toBe(EXIT_OK);
    expect(again.err).toMatch(/^\r\x1b\[Kreport: models 1\/1 \(100%\)/);
    expect(again.err).toContain('report: flows ');
    expect(again.err.endsWith('\r\x1b[K')).toBe(true);
  }, 60_000);
});

describe('report arguments and errors', () => {
  test('parsing', () => {
    expect(parse('report', ['-f', 'a.yaml', 'b/', '--out', 'r', '--port', 'udp/5353', '--external', 'ip:198.51.100.7', '--service-cidr', '10.96.0.0/12'])).toEqual({
      manifests: ['a.yaml', 'b/'],
      out: 'r',
      ports: [{ protocol: 'udp', port: 5353 }],
      external: ['ip:198.51.100.7'],
      includeStaged: false,
      tiers: [],
      podCidrs: [],
      serviceCidrs: ['10.96.0.0/12'],
    });
    expect(usageError(['report', '-f', 'a.yaml']).message).toBe('report needs --out <out>: the directory to write report.md, report.html and report.json to');
    expect(usageError(['report', '--out', 'r']).message).toMatch(/^report needs --manifests <path>\.\.\./);
  });

  test('an output path that is a file: exit 2 naming it', async () => {
    const dir = tempDir('cdk8s-calico-report-err-');
    try {
      const manifests = path.join(dir, 'pods.yaml');
      fs.writeFileSync(manifests, 'apiVersion: v1\nkind: Pod\nmetadata: { name: a, namespace: x }\nspec: { containers: [{ name: c, image: i }] }\n');
      const file = path.join(dir, 'taken');
      fs.writeFileSync(file, '');
      const result = await runAsync(['report', '-f', manifests, '--out', file]);
      expect(result.code).toBe(EXIT_ERROR);
      expect(result.out).toBe('');
      expect(result.err).toMatch(new RegExp(`^cdk8s-calico: error: cannot create the report directory ${file.replace(/[/\\.]/g, '\\$&')}: `));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a bad --external address: exit 2 naming it', async () => {
    const dir = tempDir('cdk8s-calico-report-err-');
    try {
      const manifests = path.join(dir, 'pods.yaml');
      fs.writeFileSync(manifests, 'apiVersion: v1\nkind: Pod\nmetadata: { name: a, namespace: x }\nspec: { containers: [{ name: c, image: i }] }\n');
      const result = await runAsync(['report', '-f', manifests, '--out', path.join(dir, 'r'), '--external', '203.0.113.7']);
      expect(result.code).toBe(EXIT_ERROR);
      expect(result.err).toBe('cdk8s-calico: error: addresses: "203.0.113.7" is not an address outside the cluster; write ip:<address>, e.g. ip:203.0.113.7\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
