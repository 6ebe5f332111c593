/**
 * Jest matchers and model builders for testing cdk8s charts against the offline Calico network model
 * and RBAC model (`cdk8s-calico/testing`).
 *
 * Importing this module registers the matchers automatically when a global jest `expect` with
 * `extend` exists, so one line in a jest `setupFilesAfterEnv` module (or at the top of a test
 * file) is enough:
 *
 * ```ts
 * import 'cdk8s-calico/testing';
 * ```
 *
 * Then, in tests:
 *
 * ```ts
 * import { networkModelOf, rbacModelOf } from 'cdk8s-calico/testing';
 *
 * const model = networkModelOf(chart);
 * expect(model).toAllow({ from: 'fe/web', to: 'be/api', protocol: 'TCP', port: 8080 });
 * expect(model).toDeny({ from: 'fe/web', to: 'db/postgres', protocol: 'TCP', port: 5432 });
 *
 * const rbac = rbacModelOf(chart);
 * expect(rbac).toPermit({ user: 'alice', groups: ['security'], verb: 'create',
 *   apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier: 'security' });
 * expect(rbac).not.toPermit({ user: 'bob', verb: 'delete', apiGroup: 'projectcalico.org',
 *   resource: 'tiers', name: 'security' });
 * ```
 *
 * Failure messages print the model's full explanation (network) or reason and grants (RBAC).
 * The matcher types augment `jest.Matchers`, so they type-check wherever `@types/jest` does.
 * Outside jest (no global `expect`), importing the module registers nothing; use
 * `expect.extend(calicoMatchers)` or `registerCalicoMatchers()` then.
 */
import { registerCalicoMatchers } from './matchers';

export { calicoMatchers, describeAccessRequest, describeFlow, registerCalicoMatchers } from './matchers';
export { networkModelOf, rbacModelOf } from './models';
export { NetworkModel } from '../analysis/network-model';
export type { CheckOptions, FlowQuery, FlowVerdict } from '../analysis/network-model';
export { RbacModel } from '../analysis';
export type { AccessRequest, AccessVerdict, Subject } from '../analysis';

if (typeof (globalThis as any).expect?.extend === 'function') {
  registerCalicoMatchers();
}
