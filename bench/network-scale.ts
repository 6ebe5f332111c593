/**
 * The network model at the size of a real cluster: 10,000 pods in 1,000 workloads (Deployments
 * seen through their pods' ReplicaSet owner references) and 10,000 policies.
 *
 *   npm run bench -- network-scale
 *   BENCH_SCALE_WORKLOADS=200 BENCH_SCALE_POLICIES=2000 npm run bench -- network-scale
 *
 * Figures: model build, workload matrix, a single check() (median of many), peak RSS of the
 * process, the workload matrix with twice the replicas (its ratio to the first), and a ratio
 * against the naive evaluator (every pod pair through every selecting policy), measured on a
 * sample of workloads in the same run and scaled to the whole matrix.
 * The workload is generated from a fixed seed, so every run measures the same thing.
 */
import { BenchResult, median, random, timed } from './result';
import { MatrixGranularity, NetworkModel } from '../src/analysis';

const WORKLOADS = Number(process.env.BENCH_SCALE_WORKLOADS ?? 1000);
const REPLICAS = Number(process.env.BENCH_SCALE_REPLICAS ?? 10);
const POLICIES = Number(process.env.BENCH_SCALE_POLICIES ?? 10000);
const NAMESPACES = 50;
const APPS = 100;
const CHECKS = 500;
const NAIVE_SAMPLE = 12;
const REPEATS = 3;

/** Namespaces, pods of Deployments (as `kubectl get pods` shows them) and policies. */
export function generateCluster(workloads: number, replicas: number, policies: number): any[] {
  const rnd = random(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const teams = ['fe', 'be', 'data', 'ops'];
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `ns-${i}`);
  const objects: any[] = [
    { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security' }, spec: { order: 100, defaultAction: 'Pass' } },
  ];
  for (const ns of namespaces) {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: pick(teams) } } });
  }
  let address = 0;
  for (let w = 0; w < workloads; w++) {
    const ns = namespaces[w % NAMESPACES];
    const hash = `h${(w * 7919).toString(36)}`;
    const labels = { 'app': `app-${w % APPS}`, 'workload': `w-${w}`, 'tier': pick(['web', 'api', 'db']), 'pod-template-hash': hash };
    for (let r = 0; r < replicas; r++) {
      address++;
      objects.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `w-${w}-${hash}-${r}`,
          namespace: ns,
          labels,
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `w-${w}-${hash}`, uid: `rs-${w}`, controller: true }],
        },
        spec: {
          serviceAccountName: `sa-${w % 7}`,
          containers: [{ name: 'main', image: 'app', ports: [{ name: 'http', containerPort: 8080 }] }],
        },
        status: { podIP: `10.${Math.floor(address / 65536) % 256}.${Math.floor(address / 256) % 256}.${address % 256}` },
      });
    }
  }
  for (let i = 0; i < policies; i++) {
    const ns = pick(namespaces);
    const app = `app-${Math.floor(rnd() * APPS)}`;
    const peer = `app-${Math.floor(rnd() * APPS)}`;
    const port = pick([80, 443, 8080, 5432]);
    switch (i % 5) {
      case 0:
        objects.push({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: `knp-${i}`, namespace: ns },
          spec: {
            podSelector: { matchLabels: { app } },
            policyTypes: ['Ingress'],
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: pick(teams) } }, podSelector: { matchLabels: { app: peer } } }], ports: [{ protocol: 'TCP', port }] }],
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
            ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: `app == "${peer}"` }, destination: { ports: [port, 'http'] } }],
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
            ingress: [{ action: pick(['Deny', 'Pass']), protocol: 'TCP', source: { selector: `app == "${peer}"` } }],
          },
        });
        break;
      case 3:
        objects.push({
          apiVersion: 'projectcalico.org/v3',
          kind: 'GlobalNetworkPolicy',
          metadata: { name: `gnp-${i}` },
          spec: {
            order: 500 + Math.floor(rnd() * 1000),
            selector: `app == "${app}" && tier != "db"`,
            types: ['Egress'],
            egress: [
              { action: 'Allow', protocol: 'TCP', destination: { nets: ['10.0.0.0/16'], ports: [port] } },
              { action: 'Allow', protocol: 'TCP', destination: { notNets: ['10.0.0.0/8'], ports: [443] } },
            ],
          },
        });
        break;
      default:
        objects.push({
          apiVersion: 'projectcalico.org/v3',
          kind: 'NetworkPolicy',
          metadata: { name: `sp-${i}`, namespace: ns },
          spec: {
            selector: `workload == "w-${Math.floor(rnd() * WORKLOADS)}"`,
            types: ['Ingress'],
            ingress: [{ action: 'Deny', protocol: 'TCP', source: { selector: `app == "${peer}"`, ports: ['40000:40100'] } }, { action: 'Allow' }],
          },
        });
    }
  }
  return objects;
}

function maxRssMb(): number {
  // process.resourceUsage().maxRSS is the peak resident set of the whole process so far, in KiB.
  return process.resourceUsage().maxRSS / 1024;
}

/** The network-scale scenarios. */
export function benchNetworkScale(workloads = WORKLOADS, replicas = REPLICAS, policies = POLICIES): BenchResult[] {
  const objects = generateCluster(workloads, replicas, policies);
  const build = timed(() => NetworkModel.fromManifests(objects));
  const model = build.value;
  const pods = model.endpoints();

  // A single check() after build: the median of many, between random pods, on a port.
  const rnd = random(11);
  const checkTimes: number[] = [];
  for (let i = 0; i < CHECKS; i++) {
    const from = pods[Math.floor(rnd() * pods.length)];
    const to = pods[Math.floor(rnd() * pods.length)];
    checkTimes.push(timed(() => model.check({ from, to, port: 443 })).seconds);
  }

  const ports = [{ protocol: 'TCP', port: 443 }];
  const matrix = timed(() => model.matrix({ ports, granularity: MatrixGranularity.WORKLOAD }));
  const rows = matrix.value.endpoints.length;
  const rssMb = maxRssMb();

  // The naive evaluator on a sample of workloads (every pod pair through every selecting policy).
  const step = Math.max(1, Math.floor(rows / NAIVE_SAMPLE));
  const sample = matrix.value.endpoints.filter((_, i) => i % step === 0).slice(0, NAIVE_SAMPLE);
  // A first run on the same sample fills the per-endpoint caches, so the timed run measures the
  // steady per-flow cost (a conservative estimate: a real naive run also pays for filling them).
  model._matrixNaive({ ports, granularity: MatrixGranularity.WORKLOAD, endpoints: sample });
  const naive = timed(() => model._matrixNaive({ ports, granularity: MatrixGranularity.WORKLOAD, endpoints: sample }));
  const sampled = model.matrix({ ports, granularity: MatrixGranularity.WORKLOAD, endpoints: sample });
  if (naive.value.toMarkdown() !== sampled.toMarkdown()) {
    throw new Error('network-scale: the class evaluation and the naive evaluator disagree on the sample');
  }
  const naiveEstimate = naive.seconds * (rows * rows) / (sample.length * sample.length);

  // Twice the replicas per workload: the workload matrix should barely notice. Both sizes are
  // measured REPEATS times on fresh models (no cached rows) and compared by their best run, so that
  // a garbage collection or a busy neighbour does not decide the ratio.
  const best = (objs: any[]): number => Math.min(...Array.from({ length: REPEATS }, () => {
    const fresh = NetworkModel.fromManifests(objs);
    return timed(() => fresh.matrix({ ports, granularity: MatrixGranularity.WORKLOAD })).seconds;
  }));
  const baseBest = Math.min(matrix.seconds, best(objects));
  const doubledBest = best(generateCluster(workloads, replicas * 2, policies));

  return [{
    scenario: 'network-scale',
    sizes: { pods: pods.length, workloads: rows, policies, classes: countClasses(model), cells: rows * rows },
    figures: {
      buildSeconds: build.seconds,
      workloadMatrixSeconds: matrix.seconds,
      checkMedianMs: median(checkTimes) * 1000,
      peakRssMb: rssMb,
      naiveEstimateSeconds: naiveEstimate,
      speedupOverNaiveRatio: naiveEstimate / matrix.seconds,
      workloadMatrixBestSeconds: baseBest,
      doubledReplicasMatrixBestSeconds: doubledBest,
      doubledReplicasRatio: doubledBest / baseBest,
      allowedCells: matrix.value.allowedCount(),
    },
    budgets: {
      buildSeconds: 2,
      workloadMatrixSeconds: 10,
      checkMedianMs: 1,
      peakRssMb: 2048,
      doubledReplicasRatio: 1.1,
    },
  }];
}

/** The number of equivalence classes (the rows of a class matrix without ports). */
function countClasses(model: NetworkModel): number {
  return model.matrix({ granularity: MatrixGranularity.CLASS, ports: [] }).endpoints.length;
}
