/**
 * Benchmark of the offline network model: a full reachability matrix for 1,000 pods and
 * 2,000 policies (Kubernetes NetworkPolicies, Calico NetworkPolicies and GlobalNetworkPolicies
 * in two tiers) on one port.
 *
 *   npm run bench                 # every scenario (bench/main.ts)
 *   BENCH_PODS=200 BENCH_POLICIES=400 npm run bench
 *
 * Measures the time to build the model and to compute the matrix (budget BENCH_BUDGET_SECONDS,
 * default 0.5), and the naive evaluator (every pod pair through every selecting policy) on a
 * sample of sources in the same run, scaled to the whole matrix, for the ratio. The evaluation
 * code is warmed up on a small model first, so the figures are those of steady state, not of
 * the JIT compiler. The workload is generated from a fixed seed, so every run measures the same
 * thing.
 */
import { BenchResult, describe, random, timed } from './result';
import { MatrixGranularity, NetworkModel } from '../src/analysis';

const PODS = Number(process.env.BENCH_PODS ?? 1000);
const POLICIES = Number(process.env.BENCH_POLICIES ?? 2000);
const BUDGET_SECONDS = Number(process.env.BENCH_BUDGET_SECONDS ?? 0.5);
const NAIVE_SAMPLE = 100;
const NAMESPACES = Math.max(1, Math.round(PODS / 20));
const APPS = 25;

export function generateWorkload(pods: number, policies: number): any[] {
  const rnd = random(42);
  const pick = <T>(items: T[]): T => items[Math.floor(rnd() * items.length)];
  const objects: any[] = [];
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `ns-${i}`);
  const teams = ['fe', 'be', 'database', 'ops'];

  objects.push({
    apiVersion: 'projectcalico.org/v3',
    kind: 'Tier',
    metadata: { name: 'security' },
    spec: { order: 100, defaultAction: 'Pass' },
  });
  for (const ns of namespaces) {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: pick(teams) } } });
  }
  for (let i = 0; i < pods; i++) {
    const ns = namespaces[i % namespaces.length];
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `pod-${i}`,
        namespace: ns,
        labels: { app: `app-${Math.floor(rnd() * APPS)}`, tier: pick(['web', 'api', 'db']) },
      },
      spec: {
        serviceAccountName: 'default',
        containers: [{ name: 'main', image: 'busybox', ports: [{ name: 'http', containerPort: 8080 }] }],
      },
      status: { podIP: `10.${Math.floor(i / 65536) % 256}.${Math.floor(i / 256) % 256}.${i % 256}` },
    });
  }
  for (let i = 0; i < policies; i++) {
    const ns = pick(namespaces);
    const app = `app-${Math.floor(rnd() * APPS)}`;
    const peerApp = `app-${Math.floor(rnd() * APPS)}`;
    const port = pick([80, 443, 8080, 5432]);
    switch (i % 4) {
      case 0:
        objects.push({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: `knp-${i}`, namespace: ns },
          spec: {
            podSelector: { matchLabels: { app } },
            policyTypes: ['Ingress'],
            ingress: [
              {
                from: [{ namespaceSelector: { matchLabels: { team: pick(teams) } }, podSelector: { matchLabels: { app: peerApp } } }],
                ports: [{ protocol: 'TCP', port }],
              },
            ],
          },
        });
        break;
      case 1:
        objects.push({
          apiVersion: 'projectcalico.org/v3',
          kind: 'NetworkPolicy',
          metadata: { name: `cnp-${i}`, namespace: ns },
          spec: {
            selector: `app == "${app}"`,
            order: Math.floor(rnd() * 1000),
            types: ['Ingress', 'Egress'],
            ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: `app == "${peerApp}"` }, destination: { ports: [port] } }],
            egress: [{ action: 'Allow', protocol: 'TCP', destination: { selector: 'tier in {"api", "db"}', ports: [port] } }],
          },
        });
        break;
      case 2:
        objects.push({
          apiVersion: 'projectcalico.org/v3',
          kind: 'GlobalNetworkPolicy',
          metadata: { name: `security.gnp-${i}` },
          spec: {
            tier: 'security',
            order: Math.floor(rnd() * 1000),
            selector: `app == "${app}"`,
            namespaceSelector: `team == "${pick(teams)}"`,
            types: ['Ingress'],
            ingress: [{ action: pick(['Deny', 'Pass']), protocol: 'TCP', source: { selector: `app == "${peerApp}"` } }],
          },
        });
        break;
      default:
        objects.push({
          apiVersion: 'projectcalico.org/v3',
          kind: 'GlobalNetworkPolicy',
          metadata: { name: `gnp-${i}` },
          spec: {
            order: 500 + Math.floor(rnd() * 1000),
            selector: `app == "${app}" && tier != "db"`,
            types: ['Egress'],
            egress: [{ action: 'Allow', protocol: 'TCP', destination: { notNets: ['10.0.0.0/8'], ports: [port] } }],
          },
        });
    }
  }
  return objects;
}

/** The network-matrix scenario: model build and full pod matrix on one port. */
export function benchNetworkMatrix(pods = PODS, policies = POLICIES): BenchResult[] {
  const ports = [{ protocol: 'TCP', port: 443 }];
  // Warm-up: the same code paths on a small model.
  NetworkModel.fromManifests(generateWorkload(100, 200)).matrix({ ports });
  const objects = generateWorkload(pods, policies);
  const build = timed(() => NetworkModel.fromManifests(objects));
  const run = timed(() => build.value.matrix({ ports }));
  const cells = run.value.cells.length;
  // The naive evaluator on a sample of endpoints (every pair of the sample), scaled to the whole matrix.
  const endpoints = run.value.endpoints;
  const step = Math.max(1, Math.floor(endpoints.length / NAIVE_SAMPLE));
  const sample = endpoints.filter((_, i) => i % step === 0).slice(0, NAIVE_SAMPLE);
  const model = NetworkModel.fromManifests(objects);
  // A first run on the same sample fills the per-endpoint caches, so the timed run measures the
  // steady per-flow cost (a conservative estimate: a real naive run also pays for filling them).
  model._matrixNaive({ ports, endpoints: sample });
  const naive = timed(() => model._matrixNaive({ ports, endpoints: sample }));
  const naiveEstimate = naive.seconds * (endpoints.length * endpoints.length) / (sample.length * sample.length);
  for (const from of sample) {
    for (const to of sample) {
      if (naive.value.isAllowed(from, to) !== run.value.isAllowed(from, to)) {
        throw new Error(`network-matrix: the class evaluation and the naive evaluator disagree on ${from} -> ${to}`);
      }
    }
  }
  const classes = build.value.matrix({ granularity: MatrixGranularity.CLASS, ports: [] }).endpoints.length;
  return [{
    scenario: 'network-matrix',
    sizes: { pods, policies, namespaces: Math.max(1, Math.round(pods / 20)), flows: cells, classes },
    figures: {
      buildSeconds: build.seconds,
      matrixSeconds: run.seconds,
      allowedFlows: run.value.allowedCount(),
      flowsPerSecond: cells / run.seconds,
      naiveEstimateSeconds: naiveEstimate,
      speedupOverNaiveRatio: naiveEstimate / run.seconds,
    },
    budgets: { matrixSeconds: BUDGET_SECONDS },
  }];
}

if (require.main === module) {
  for (const result of benchNetworkMatrix()) {
    console.log(describe(result));
  }
}
