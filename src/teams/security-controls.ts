/**
 * Controls in the security team's tier (Deny rules plus Pass) that a development team can neither
 * delete nor pre-empt: where they go in the tier, and the check that the baseline of the same tier
 * leaves them room.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */
import { Construct } from 'constructs';
import { BaselineGlobalPolicies } from './baseline-global-policies';
import { AppRegistry } from './uniqueness';

/**
 * The default order of a control in the security tier: after every allowance and deny of the
 * baseline (2100 and less by default), so that DNS and the metrics collector keep working, and
 * before its Pass to the next tier (10000), which would otherwise end the tier first.
 */
export const SECURITY_CONTROL_ORDER = 5000;

/**
 * Errors for a control of order `order` in tier `tierName` that a baseline of the same tier (in
 * the same app) would defeat: a Pass policy before it, or allowances after it.
 *
 * @param scope any construct of the app, or its registry
 * @param where how errors name the control
 */
export function controlOrderErrors(scope: Construct | AppRegistry, where: string, tierName: string, order: number): string[] {
  const errors: string[] = [];
  const registry = scope instanceof AppRegistry ? scope : AppRegistry.of(scope);
  for (const child of registry.registeredOf(BaselineGlobalPolicies)) {
    if (child.tierName !== tierName) {
      continue;
    }
    const orders = child.orders;
    if (child.passPolicy !== undefined && order >= orders.passToNextTier!) {
      errors.push(
        `${where}: order ${order} comes after global-pass-to-next-tier (order ${orders.passToNextTier}) of ${child.node.path} in tier "${tierName}", ` +
          `so the control would never apply; give it an order between ${Math.max(orders.metricsCollector!, orders.dns!)} and ${orders.passToNextTier}`,
      );
    }
    const allowances = Math.max(orders.metricsCollector!, orders.dns!);
    if (order <= allowances) {
      errors.push(
        `${where}: order ${order} comes before the allowances of ${child.node.path} (metrics collector ${orders.metricsCollector}, DNS ${orders.dns}) ` +
          `in tier "${tierName}", so its Deny would cut off DNS and metrics; give it an order above ${allowances}`,
      );
    }
  }
  return errors;
}
