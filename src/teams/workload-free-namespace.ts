/**
 * A namespace where no pod can run: the home of the service accounts that stand for people.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { createNamespaceObject } from './namespace-object';
import { podSecurityLabels } from '../core/pod-security';

/** The service account Kubernetes creates in every namespace and gives to pods that name none. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/**
 * The namespace Kubernetes creates for objects that name none: it runs whatever is deployed
 * without a namespace, so it can never be made workload-free.
 */
export const KUBERNETES_DEFAULT_NAMESPACE = 'default';

/** The name of the ResourceQuota that forbids pods. */
export const NO_PODS_QUOTA_NAME = 'no-pods';

/** The objects of a workload-free namespace. */
export interface WorkloadFreeNamespace {
  /** The Namespace (Pod Security `restricted` for enforce, audit and warn). */
  readonly namespace: ApiObject;
  /** The namespace's `default` ServiceAccount, declared without an automounted token. */
  readonly defaultServiceAccount: ApiObject;
  /** The ResourceQuota `no-pods` (`pods: "0"`). */
  readonly quota: ApiObject;
}

/**
 * Creates, under `scope` with ids starting with `id`, a Namespace where no pod can run, so that no one
 * can act as its service accounts by starting a pod that mounts their token:
 * - a ResourceQuota `no-pods` with `hard.pods: "0"`: the quota admission refuses every pod,
 *   whoever creates it (a Deployment's ReplicaSet, a Job, a cluster-wide CI), as long as the
 *   quota is there;
 * - Pod Security `restricted` (enforce, audit, warn), should the quota ever be lifted;
 * - its `default` ServiceAccount with `automountServiceAccountToken: false`.
 *
 * The quota and the service account depend on the Namespace, so they are applied after it.
 */
export function createWorkloadFreeNamespace(scope: Construct, id: string, name: string): WorkloadFreeNamespace {
  const namespace = createNamespaceObject(scope, id, name, podSecurityLabels('restricted'));
  const defaultServiceAccount = createDefaultServiceAccount(scope, `${id}DefaultServiceAccount`, name);
  defaultServiceAccount.addDependency(namespace);
  const quota = new ApiObject(scope, `${id}NoPods`, {
    ...kplus.k8s.KubeResourceQuota.GVK,
    metadata: { name: NO_PODS_QUOTA_NAME, namespace: name },
    spec: { hard: { pods: '0' } },
  });
  quota.addDependency(namespace);
  return { namespace, defaultServiceAccount, quota };
}

/**
 * The `default` ServiceAccount of `namespace`, declared without an automounted token: pods that
 * name no service account get no API token.
 */
export function createDefaultServiceAccount(scope: Construct, id: string, namespace: string): ApiObject {
  return new ApiObject(scope, id, {
    ...kplus.k8s.KubeServiceAccount.GVK,
    metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace },
    automountServiceAccountToken: false,
  });
}
