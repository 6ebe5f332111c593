/**
 * A scratch cdk8s app for the end-to-end tests: plain JavaScript (no TypeScript compile), a
 * `cdk8s.yaml` and a node_modules with cdk8s-calico linked to this repository.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The repository root (the package cdk8s-calico). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The JavaScript of a reference-platform-like app: the security team with its tier and baseline,
 * the backend team (ingress from `fe` on 443, egress to `database` on 27017) and its peers, each
 * with one named Deployment. `extra` is JavaScript run before `app.synth()` (with `app`,
 * `security`, `teams`, `backend`, `securityTeam`, `calico`, `kplus`, `ApiObject` and `Chart` in scope).
 */
export function mainJs(extra: string = ''): string {
  return `
const { ApiObject, App, Chart } = require('cdk8s');
const kplus = require('cdk8s-plus-27');
const calico = require('cdk8s-calico');
const { SecurityTeam, BaselineGlobalPolicies, DevTeamNamespace, NamespaceIsolation, Peer, Port } = calico;

const app = new App();
const security = new Chart(app, 'security');
const securityTeam = new SecurityTeam(security, 'security-team', { namespace: 'security', members: ['security-member'] });
new BaselineGlobalPolicies(security, 'baseline', {
  securityTeam,
  clusterNetworks: { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'], nodeCidrs: ['172.16.0.0/24'] },
});

const teams = new Chart(app, 'teams');
teams.addDependency(security);
const backend = new DevTeamNamespace(teams, 'be-dev-team', {
  name: 'be-dev-team', labels: { team: 'be' }, members: ['be-dev-member'], securityTeam,
  resourceQuota: {}, limitRange: {},
});
backend.allowIngressFrom(Peer.namespaces('fe'), [Port.tcp(443)]);
backend.allowEgressTo(Peer.namespaces('database'), [Port.tcp(27017)]);
const fe = new DevTeamNamespace(teams, 'fe', { name: 'fe', labels: { team: 'fe' }, isolation: NamespaceIsolation.OPEN, securityTeam });
const database = new DevTeamNamespace(teams, 'database', { name: 'database', labels: { team: 'database' }, securityTeam });
database.allowIngressFrom(Peer.namespaces('be-dev-team'), [Port.tcp(27017)]);

function deployment(scope, namespace, name, port) {
  const d = new kplus.Deployment(scope, name + '-deployment', {
    metadata: { name, namespace },
    podMetadata: { labels: { app: name } },
    select: false,
    containers: [{ name, image: 'registry.example/' + name + ':1.0', portNumber: port,
      resources: { cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
        memory: { request: require('cdk8s').Size.mebibytes(64), limit: require('cdk8s').Size.mebibytes(128) } } }],
  });
  d.select(kplus.LabelSelector.of({ labels: { app: name } }));
  d.node.addDependency(scope.namespace);
  return d;
}
deployment(fe, 'fe', 'web', 8080);
deployment(backend, 'be-dev-team', 'api', 443);
deployment(database, 'database', 'db', 27017);
${extra}
app.synth();
`;
}

/**
 * Creates the scratch app in a new temporary directory and returns its path.
 *
 * @param main the JavaScript of main.js
 * @param cdk8sYaml the text of cdk8s.yaml
 */
export function makeApp(main: string, cdk8sYaml: string): string {
  const lib = path.join(REPO_ROOT, 'lib', 'plugin', 'index.js');
  if (!fs.existsSync(lib)) {
    throw new Error(`${lib} does not exist: the e2e tests load the compiled plugin; run \`npx projen compile\` (npm test compiles before jest)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-calico-plugin-'));
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules);
  fs.symlinkSync(REPO_ROOT, path.join(modules, 'cdk8s-calico'), 'dir');
  for (const dep of ['cdk8s', 'cdk8s-plus-27', 'constructs']) {
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', dep), path.join(modules, dep), 'dir');
  }
  fs.writeFileSync(path.join(dir, 'main.js'), main);
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), cdk8sYaml);
  return dir;
}
