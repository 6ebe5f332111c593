/**
 * The reference platform with sample workloads, synthesized into a directory as `cdk8s synth`
 * writes it, for the diff and report tests; optionally with one more allowed flow.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { buildReferencePlatformCharts } from '../../examples/reference-platform/main';
import { Peer, Port } from '../../src/policy';
import { DevTeamNamespace } from '../../src/teams';

/** Sample workloads (not part of the platform) the diff and report talk about: namespace, name, labels, port. */
export const SAMPLE_WORKLOADS: readonly [string, string, { [key: string]: string }, number][] = [
  ['fe', 'web', { app: 'web' }, 8080],
  ['be-dev-team', 'api', { app: 'api' }, 443],
  ['database', 'mongo', { app: 'mongo' }, 27017],
];

/** What to add to the platform. */
export interface PlatformChange {
  /** Let namespace `fe` reach `be-dev-team` on TCP 8443, as the backend team's namespace allows 443. */
  readonly allowFeOn8443?: boolean;
  /** Bind the ClusterRole `platform-reader` (get/list pods everywhere) to the user `auditor`. */
  readonly auditorReadsPods?: boolean;
}

/**
 * Builds the reference platform and the sample workloads (each unless the platform already has a
 * workload of that name) into an app writing to `outdir`, applies `change`, and synthesizes.
 */
export function synthPlatform(outdir: string, change: PlatformChange = {}): string {
  const app = new App({ outdir });
  const platform = buildReferencePlatformCharts(app);
  const charts = [platform.security, platform.teams, platform.webapp, platform.prodEngineering];
  const existing = new Set(charts.flatMap((chart) => Testing.synth(chart))
    .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'].includes(o.kind))
    .map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
  const workloads = new Chart(app, 'workloads');
  for (const [namespace, name, labels, port] of SAMPLE_WORKLOADS) {
    if (existing.has(`${namespace}/${name}`)) continue;
    new kplus.Deployment(workloads, `${namespace}-${name}`, {
      metadata: { name, namespace },
      podMetadata: { labels },
      containers: [{ image: 'registry.example/app:1', portNumber: port }],
    });
  }
  if (change.allowFeOn8443) {
    const backend = platform.teams.node.findChild('be-dev-team') as DevTeamNamespace;
    backend.allowIngressFrom(Peer.namespaces('fe'), [Port.tcp(8443)]);
  }
  if (change.auditorReadsPods) {
    new ApiObject(workloads, 'platform-reader', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'platform-reader' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
    });
    new ApiObject(workloads, 'auditor-reads-pods', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'auditor-reads-pods' },
      subjects: [{ kind: 'User', name: 'auditor', apiGroup: 'rbac.authorization.k8s.io' }],
      roleRef: { kind: 'ClusterRole', name: 'platform-reader', apiGroup: 'rbac.authorization.k8s.io' },
    });
  }
  app.synth();
  return outdir;
}

/** A new temporary directory; remove it with `fs.rmSync(dir, { recursive: true, force: true })`. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
