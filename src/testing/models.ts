import { App, Chart } from 'cdk8s';
import { RbacModel } from '../analysis';
import { NetworkModel } from '../analysis/network-model';

/**
 * Builds the offline reachability model of everything a cdk8s chart or app synthesizes, for
 * `expect(model).toAllow(flow)` / `toDeny(flow)`.
 *
 * @param scope a `Chart` (its objects) or an `App` (the objects of all its charts)
 */
export function networkModelOf(scope: Chart | App): NetworkModel {
  if (Chart.isChart(scope)) return NetworkModel.fromChart(scope);
  if (scope instanceof App) return NetworkModel.fromApp(scope);
  throw new Error(`networkModelOf expects a cdk8s Chart or App, got ${describeScope(scope)}`);
}

/**
 * Builds the offline RBAC model of everything a cdk8s chart or app synthesizes, for
 * `expect(model).toPermit(request)` / `toForbid(request)`.
 *
 * @param scope a `Chart` (its objects) or an `App` (the objects of all its charts)
 */
export function rbacModelOf(scope: Chart | App): RbacModel {
  if (Chart.isChart(scope)) return RbacModel.fromChart(scope);
  if (scope instanceof App) return RbacModel.fromApp(scope);
  throw new Error(`rbacModelOf expects a cdk8s Chart or App, got ${describeScope(scope)}`);
}

/** How messages name a value that is not a chart or app. */
export function describeValue(value: any): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `the string "${value}"`;
    case 'object': {
      const name = value.constructor?.name;
      if (typeof name === 'string' && name !== '' && name !== 'Object') return `an instance of ${name}`;
      return 'a plain object';
    }
    case 'function':
      return 'a function';
    default:
      return `${typeof value} ${String(value)}`;
  }
}

function describeScope(value: any): string {
  const described = describeValue(value);
  if (Array.isArray(value)) return `${described} (for plain manifests use NetworkModel.fromManifests / RbacModel.fromManifests)`;
  return described;
}
