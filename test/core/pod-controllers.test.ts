/**
 * The pod controllers: the kinds with a pod template, one list for the network model (which
 * reads them as endpoints) and the audit (which asks who can create them).
 */
import { podControllerResources, POD_TEMPLATE_KINDS } from '../../src/core';

describe('pod controllers', () => {
  test('the catalogued resources of the kinds with a pod template', () => {
    expect(podControllerResources().map((r) => `${r.group}/${r.resource}`)).toEqual([
      '/replicationcontrollers',
      'apps/daemonsets',
      'apps/deployments',
      'apps/replicasets',
      'apps/statefulsets',
      'batch/cronjobs',
      'batch/jobs',
    ]);
  });

  test('every kind has a catalogued resource in its first API group, and the list is frozen', () => {
    for (const [kind, groups] of Object.entries(POD_TEMPLATE_KINDS)) {
      expect(podControllerResources().some((r) => r.kind === kind && r.group === groups[0])).toBe(true);
    }
    expect(Object.isFrozen(POD_TEMPLATE_KINDS)).toBe(true);
    expect(Object.isFrozen(POD_TEMPLATE_KINDS.Deployment)).toBe(true);
  });
});
