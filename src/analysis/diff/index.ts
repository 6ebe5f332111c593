/**
 * What a change of manifests (e.g. a pull request's synth against main's) does to security:
 * the flows it opens and closes and the RBAC permissions it gives and takes, decided by the
 * network and RBAC models. Internal to the package (used by the `diff` and `report` commands).
 */
import { ExternalTier, NetworkModel, RbacModel } from '..';
import { diffReachability, ReachabilityDiff } from './network-diff';
import { ExtraProbes, probesOf } from './probes';
import { diffPermissions, PermissionChange } from './rbac-diff';

export * from './network-diff';
export * from './probes';
export * from './rbac-diff';

/** Options of {@link diffManifests}. */
export interface ManifestDiffOptions extends ExtraProbes {
  /** Tiers that exist in the cluster but in neither set of manifests. */
  readonly tiers?: ExternalTier[];
  /** The cluster's pod networks (see `NetworkModelOptions.podCidrs`). */
  readonly podCidrs?: string[];
  /** The cluster's service networks (see `NetworkModelOptions.serviceCidrs`); their addresses are not asked. */
  readonly serviceCidrs?: string[];
  /** Evaluate staged policies as if they were enforced (on both sides). */
  readonly includeStaged?: boolean;
  /** Called with what is being done and how far it got, for progress displays. */
  readonly progress?: (what: string, done: number, total: number) => void;
}

/** The security meaning of a change of manifests. */
export interface ManifestDiff {
  /** The flows opened and closed. */
  readonly reachability: ReachabilityDiff;
  /** The permissions gained and lost, per subject. */
  readonly permissions: PermissionChange[];
  /** Whether the change opens anything: a flow allowed or a permission gained. */
  readonly opensAnything: boolean;
}

/**
 * Compares two sets of manifests: the flows between workloads (and classes of addresses outside
 * the cluster) on the ports the policies tell apart, and the permissions of every subject.
 *
 * @param before the manifests before the change
 * @param after the manifests after the change
 * @throws Error naming the object and field of a malformed manifest (prefixed with the side), or the bad option
 */
export function diffManifests(before: any[], after: any[], options: ManifestDiffOptions = {}): ManifestDiff {
  const modelOptions = { tiers: options.tiers, podCidrs: options.podCidrs, serviceCidrs: options.serviceCidrs };
  const network = (objects: any[], side: string) => prefixed(side, () => NetworkModel.fromManifests(objects, modelOptions));
  const rbac = (objects: any[], side: string) => prefixed(side, () => RbacModel.fromManifests(objects));
  const networkBefore = network(before, 'before');
  const networkAfter = network(after, 'after');
  const isExternal = (id: string) => isOutside(networkBefore, id) && isOutside(networkAfter, id);
  const probes = probesOf([before, after], { ports: options.ports, addresses: options.addresses }, isExternal);
  const reachability = diffReachability(networkBefore, networkAfter, probes, {
    includeStaged: options.includeStaged,
    progress: options.progress && ((done, total) => options.progress!('flows', done, total)),
  });
  const permissions = diffPermissions(rbac(before, 'before'), rbac(after, 'after'), {
    progress: options.progress && ((done, total) => options.progress!('subjects', done, total)),
  });
  return {
    reachability,
    permissions,
    opensAnything: reachability.flows.some((f) => f.change === 'opened') || permissions.some((p) => p.change === 'gained'),
  };
}

/**
 * Whether an `ip:` address is outside the cluster for a model: not a pod's address, and not in a
 * service network (Calico sees the pod behind a ClusterIP, so the model refuses those).
 */
export function isOutside(model: NetworkModel, id: string): boolean {
  try {
    return model.endpoint(id).kind === 'External';
  } catch {
    return false;
  }
}

function prefixed<T>(side: string, build: () => T): T {
  try {
    return build();
  } catch (error: any) {
    throw new Error(`${side}: ${error?.message ?? error}`);
  }
}
