/**
 * The platforms the guardrail tests attack: the reference platform with the workloads the teams
 * would deploy, and the same platform after a tenant tried to abuse it. Workloads and the
 * tenant's objects are plain manifests, as they would come from the teams' own repositories or
 * from `kubectl apply`.
 */
import { Testing } from 'cdk8s';
import { buildReferencePlatformCharts, REFERENCE_CLUSTER_NETWORKS, ReferencePlatform } from '../../examples/reference-platform/main';
import { manifestsOfApp, NetworkModel, RbacModel } from '../../src/analysis';
import '../../src/testing';

/** A plain Pod manifest. */
export function pod(
  namespace: string,
  name: string,
  labels: { [key: string]: string },
  ports: any[] = [],
  serviceAccountName?: string,
  hostNetwork?: boolean,
): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { serviceAccountName, hostNetwork, containers: [{ name: 'main', image: 'busybox', ports }] },
  };
}

/** The teams' workloads on the reference platform. */
export const WORKLOADS: any[] = [
  pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [
    { name: 'dns', containerPort: 53, protocol: 'UDP' },
    { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
  ]),
  pod('monitoring', 'collector', { app: 'metrics-collector' }, [], 'metrics-collector'),
  pod('be-dev-team', 'api', { app: 'api' }, [{ name: 'https', containerPort: 443 }, { name: 'metrics', containerPort: 9898 }]),
  pod('be-dev-team', 'worker', { app: 'worker' }),
  pod('be-dev-team', 'partner-sync', { app: 'partner-sync' }, [], 'partner-client'),
  pod('fe', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]),
  pod('database', 'mongo', { app: 'mongo' }, [{ name: 'mongo', containerPort: 27017 }, { name: 'metrics', containerPort: 9898 }]),
  pod('client', 'curl', { app: 'curl' }),
  pod('webapp', 'backend', { app: 'backend' }, [{ name: 'http', containerPort: 8080 }]),
  pod('prod-engineering', 'db', { app: 'db' }, [{ name: 'pg', containerPort: 5432 }], 'default'),
  pod('prod-engineering', 'api', { app: 'api' }, [], 'api-service'),
  pod('prod-engineering', 'web', { app: 'web' }, [], 'web-frontend'),
  pod('prod-engineering', 'intern-a', { app: 'intern-a' }, [{ name: 'http', containerPort: 8080 }], 'intern'),
  pod('prod-engineering', 'intern-b', { app: 'intern-b' }, [{ name: 'http', containerPort: 8080 }], 'intern'),
];

/** What a tenant adds to the platform, with the rights a team has or a careless admin gives. */
export const TENANT_ABUSE: any[] = [
  // The blog's egress label, set by whoever deploys the pod.
  pod('webapp', 'labelled', { 'app': 'labelled', 'cluster-egress': 'allowed' }),
  // A namespace that calls itself the backend and the frontend team, and the collector's label.
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'impostor', labels: { team: 'be' } } },
  pod('impostor', 'attacker', { app: 'metrics-collector' }),
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'impostor-fe', labels: { team: 'fe' } } },
  pod('impostor-fe', 'attacker', { app: 'attacker' }),
  // A pod of the monitoring namespace that carries the collector's label but not its service account.
  pod('monitoring', 'lookalike', { app: 'metrics-collector' }),
  // A member of the backend team opens the internet in its own (Kubernetes) policy.
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'internet', namespace: 'be-dev-team' },
    spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }] }] },
  },
  // Teams pre-empt the controls with allow-all policies first in the default tier.
  {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: { name: 'open-up', namespace: 'prod-engineering' },
    spec: { order: 1, types: ['Ingress', 'Egress'], ingress: [{ action: 'Allow' }], egress: [{ action: 'Allow' }] },
  },
  {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: { name: 'open-up', namespace: 'webapp' },
    spec: { order: 1, types: ['Ingress', 'Egress'], ingress: [{ action: 'Allow' }], egress: [{ action: 'Allow' }] },
  },
  // A host-networked pod (Pod Security baseline refuses it in the team namespaces).
  pod('be-dev-team', 'host', { app: 'host' }, [], undefined, true),
];

/** The reference platform's manifests, its constructs, and both models. */
export interface PlatformUnderTest {
  readonly charts: ReferencePlatform;
  readonly manifests: any[];
  readonly network: NetworkModel;
  readonly rbac: RbacModel;
}

/** The model options the operator's cluster networks give. */
export const MODEL_OPTIONS = { podCidrs: REFERENCE_CLUSTER_NETWORKS.podCidrs, serviceCidrs: REFERENCE_CLUSTER_NETWORKS.serviceCidrs };

/** The reference platform with the teams' workloads (and the tenant's objects when `abused`). */
export function platform(abused = false): PlatformUnderTest {
  const app = Testing.app();
  const charts = buildReferencePlatformCharts(app);
  const manifests = manifestsOfApp(app);
  const extra = abused ? TENANT_ABUSE : [];
  return {
    charts,
    manifests,
    network: NetworkModel.fromManifests([...manifests, ...WORKLOADS, ...extra], MODEL_OPTIONS),
    rbac: RbacModel.fromManifests([...manifests, ...extra]),
  };
}

/** The user name of a member service account, wherever the platform keeps it. */
export function memberUser(manifests: any[], name: string): string {
  const accounts = manifests.filter((m) => m.kind === 'ServiceAccount' && m.metadata.name === name);
  if (accounts.length !== 1) {
    throw new Error(`expected one ServiceAccount ${name}, found ${accounts.length}`);
  }
  return `system:serviceaccount:${accounts[0].metadata.namespace}:${name}`;
}

/** Addresses an attacker aims at. */
export const TARGETS = {
  internet: 'ip:93.184.216.34',
  internetV6: 'ip:2606:2800:220:1::1',
  metadata: 'ip:169.254.169.254',
  metadataV6: 'ip:fd00:ec2::254',
  kubelet: 'ip:172.16.0.10',
};
