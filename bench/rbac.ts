/**
 * Benchmark of the offline RBAC model.
 *
 * - `aggregation`: thousands of ClusterRoles feeding aggregated ClusterRoles, which also feed
 *   each other in a chain (the clusterrole-aggregation controller's fixed point). The work grows
 *   with the roles plus the aggregated rules produced (a chain of A aggregators over R roles
 *   yields about A·R/2 of them), not with the product of all roles and aggregators;
 * - `who-can`: `whoCan` over thousands of bindings and service accounts.
 *
 *   ts-node --project bench/tsconfig.json bench/rbac.ts
 *   BENCH_RBAC_ROLES=20000 BENCH_RBAC_AGGREGATORS=200 ts-node --project bench/tsconfig.json bench/rbac.ts
 *
 * Every figure is in seconds; run alone, it exits 1 when a figure is over its budget. The
 * workload is deterministic, so runs measure the same thing.
 */
import { performance } from 'perf_hooks';
import { BenchResult, describe, overBudget } from './result';
import { RbacModel } from '../src/analysis';
import { effectiveClusterRoleRules, parseRbacObjects } from '../src/analysis/rbac';

const RBAC = 'rbac.authorization.k8s.io/v1';
const GROUP = 'rbac.authorization.k8s.io';

/** ClusterRoles, each labelled to feed one of `aggregators` aggregated ClusterRoles; aggregator i also feeds aggregator i-1. */
export function aggregationWorkload(roles: number, aggregators: number): any[] {
  const objects: any[] = [];
  for (let i = 0; i < aggregators; i++) {
    objects.push({
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: `agg-${i}`, labels: i > 0 ? { [`example.com/aggregate-to-agg-${i - 1}`]: 'true' } : {} },
      aggregationRule: {
        clusterRoleSelectors: [
          { matchLabels: { [`example.com/aggregate-to-agg-${i}`]: 'true' } },
          { matchExpressions: [{ key: 'example.com/shared', operator: 'In', values: [`s${i % 5}`] }] },
        ],
      },
    });
  }
  for (let i = 0; i < roles; i++) {
    objects.push({
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: {
        name: `role-${i}`,
        labels: { [`example.com/aggregate-to-agg-${i % aggregators}`]: 'true', ...(i % 100 === 0 ? { 'example.com/shared': `s${i % 7}` } : {}) },
      },
      rules: [
        { apiGroups: [''], resources: [`things-${i}`], verbs: ['get', 'list'] },
        { apiGroups: ['example.com'], resources: ['widgets'], resourceNames: [`w-${i}`], verbs: ['update'] },
      ],
    });
  }
  objects.push({
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'agg-0-users' },
    roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'agg-0' },
    subjects: [{ kind: 'Group', name: 'ops', apiGroup: GROUP }],
  });
  return objects;
}

/** `namespaces` namespaces with `perNamespace` ServiceAccounts, each bound by its own RoleBinding to a shared ClusterRole. */
export function bindingWorkload(namespaces: number, perNamespace: number): any[] {
  const objects: any[] = [
    { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'editor' }, rules: [{ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['*'] }] },
  ];
  for (let n = 0; n < namespaces; n++) {
    const namespace = `ns-${n}`;
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    for (let s = 0; s < perNamespace; s++) {
      objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${s}`, namespace } });
      objects.push({
        apiVersion: RBAC,
        kind: 'RoleBinding',
        metadata: { name: `sa-${s}-edits`, namespace },
        roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'editor' },
        subjects: [{ kind: 'ServiceAccount', name: `sa-${s}` }, { kind: 'User', name: `user-${n}-${s}`, apiGroup: GROUP }],
      });
    }
  }
  return objects;
}

function seconds<T>(work: () => T): [T, number] {
  const start = performance.now();
  const result = work();
  return [result, (performance.now() - start) / 1000];
}

/** Runs every RBAC scenario once. */
export function benchRbac(): BenchResult[] {
  const roles = Number(process.env.BENCH_RBAC_ROLES ?? 5000);
  const aggregators = Number(process.env.BENCH_RBAC_AGGREGATORS ?? 50);
  const namespaces = Number(process.env.BENCH_RBAC_NAMESPACES ?? 100);
  const perNamespace = Number(process.env.BENCH_RBAC_ACCOUNTS_PER_NAMESPACE ?? 50);

  const aggregation = aggregationWorkload(roles, aggregators);
  const [parsed, parse] = seconds(() => parseRbacObjects(aggregation));
  const [rules, aggregate] = seconds(() => effectiveClusterRoleRules(parsed.clusterRoles));
  if (rules.get('agg-0')!.length !== roles * 2) {
    throw new Error(`bench: agg-0 should aggregate the ${roles * 2} rules of every role, got ${rules.get('agg-0')!.length}`);
  }
  const [verdict, modelAndCheck] = seconds(() => RbacModel.fromManifests(aggregation)
    .check({ user: 'u', groups: ['ops'], verb: 'update', apiGroup: 'example.com', resource: 'widgets', name: `w-${roles - 1}` }));
  if (!verdict.allowed) throw new Error(`bench: the aggregated grant was not found: ${verdict.reason}`);

  const bindings = bindingWorkload(namespaces, perNamespace);
  const [model, build] = seconds(() => RbacModel.fromManifests(bindings));
  const [subjects, whoCan] = seconds(() => model.whoCan('create', 'networking.k8s.io', 'networkpolicies', 'ns-0'));
  if (subjects.length < perNamespace * 2) {
    throw new Error(`bench: whoCan should find the ${perNamespace} service accounts and users of ns-0, got ${subjects.length}`);
  }

  return [
    {
      scenario: 'rbac-aggregation',
      sizes: { clusterRoles: roles, aggregatingRoles: aggregators },
      figures: { parse, aggregate, modelAndCheck },
      budgets: { aggregate: 1, modelAndCheck: 2 },
    },
    {
      scenario: 'rbac-who-can',
      sizes: { namespaces, serviceAccounts: namespaces * perNamespace, roleBindings: namespaces * perNamespace },
      figures: { build, whoCan },
      budgets: { build: 2, whoCan: 2 },
    },
  ];
}

if (require.main === module) {
  const results = benchRbac();
  results.forEach((result) => console.log(describe(result)));
  process.exitCode = results.some((result) => overBudget(result).length > 0) ? 1 : 0;
}
