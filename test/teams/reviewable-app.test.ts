import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parseManifestYaml } from '../../src/core/manifest-yaml';
import { NetworkPolicyAdminRole } from '../../src/rbac';
import { ReviewableApp, SecurityTeam } from '../../src/teams';

function withTempDirs(run: (dirs: { plain: string; reviewable: string }) => void): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'reviewable-app-'));
  try {
    run({ plain: path.join(root, 'plain'), reviewable: path.join(root, 'reviewable') });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function build(app: App): void {
  const security = new Chart(app, 'security');
  new SecurityTeam(security, 'team', { members: ['security-member'] });
  const apps = new Chart(app, 'apps');
  apps.addDependency(security);
  new kplus.Deployment(apps, 'web', {
    metadata: { name: 'web', namespace: 'fe' },
    containers: [{ image: 'registry.example/web:1', portNumber: 8080 }],
  });
}

/** Every file below `dir`, relative, with the objects its YAML holds. */
function read(dir: string): { [file: string]: unknown[] } {
  const result: { [file: string]: unknown[] } = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else result[path.relative(dir, full)] = parseManifestYaml(fs.readFileSync(full, 'utf8'), full);
    }
  };
  walk(dir);
  return result;
}

function lines(dir: string): number {
  return Object.keys(read(dir)).reduce((sum, file) => sum + fs.readFileSync(path.join(dir, file), 'utf8').split('\n').length - 1, 0);
}

describe('ReviewableApp', () => {
  test('writes the same files with the same objects as App, in fewer lines', () => {
    withTempDirs(({ plain, reviewable }) => {
      const a = new App({ outdir: plain });
      build(a);
      a.synth();
      const b = new ReviewableApp({ outdir: reviewable });
      build(b);
      b.synth();
      expect(Object.keys(read(reviewable))).toEqual(['0000-security.k8s.yaml', '0001-apps.k8s.yaml']);
      expect(read(reviewable)).toEqual(read(plain));
      expect(lines(reviewable)).toBeLessThan(lines(plain) * 0.7);
      const security = fs.readFileSync(path.join(reviewable, '0000-security.k8s.yaml'), 'utf8');
      expect(security).toContain('    verbs: [get, list, watch, create, update, patch, delete]\n');
      expect(security).toContain('metadata: {name: default, namespace: security}\n');
    });
  });

  test('every output layout: one file per resource, folders per chart', () => {
    for (const yamlOutputType of [YamlOutputType.FILE_PER_APP, YamlOutputType.FILE_PER_RESOURCE, YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE]) {
      withTempDirs(({ plain, reviewable }) => {
        const a = new App({ outdir: plain, yamlOutputType });
        build(a);
        a.synth();
        const b = new ReviewableApp({ outdir: reviewable, yamlOutputType });
        build(b);
        b.synth();
        expect(read(reviewable)).toEqual(read(plain));
        expect(lines(reviewable)).toBeLessThan(lines(plain));
      });
    }
  });

  test('leaves files it did not write alone', () => {
    withTempDirs(({ reviewable }) => {
      fs.mkdirSync(reviewable, { recursive: true });
      const old = path.join(reviewable, 'old.k8s.yaml');
      const text = '# kept as written\nkind: ConfigMap\nmetadata:\n  name: old\n';
      fs.writeFileSync(old, text);
      const anHourAgo = new Date(Date.now() - 3600_000);
      fs.utimesSync(old, anHourAgo, anHourAgo);
      const notes = path.join(reviewable, 'notes.txt');
      fs.writeFileSync(notes, 'a: [1]\n');
      const app = new ReviewableApp({ outdir: reviewable });
      build(app);
      app.synth();
      expect(fs.readFileSync(old, 'utf8')).toBe(text);
      expect(fs.readFileSync(notes, 'utf8')).toBe('a: [1]\n');
    });
  });

  test('synthYaml() gives the same objects as App.synthYaml(), in the reviewable layout', () => {
    const a = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'unused-')) });
    const chart = new Chart(a, 'c');
    new NetworkPolicyAdminRole(chart, 'admin', { name: 'admin' });
    const b = new ReviewableApp({ outdir: a.outdir });
    new NetworkPolicyAdminRole(new Chart(b, 'c'), 'admin', { name: 'admin' });
    try {
      const reviewable = b.synthYaml();
      expect(parseManifestYaml(reviewable, 'b')).toEqual(parseManifestYaml(a.synthYaml(), 'a'));
      expect(reviewable).toContain('  - apiGroups: [networking.k8s.io]\n    resources: [networkpolicies]\n');
    } finally {
      fs.rmSync(a.outdir, { recursive: true, force: true });
    }
  });
});
