import { App, Chart } from 'cdk8s';
import { describeValue } from './models';
import { AccessRequest, AccessVerdict, RbacModel } from '../analysis';
import { CheckOptions, FlowQuery, FlowVerdict, NetworkModel } from '../analysis/network-model';

declare global {
  // Augments jest's own namespace so that `expect(model).toAllow(...)` type-checks.
  namespace jest {
    interface Matchers<R> {
      /**
       * Passes when the `NetworkModel` under test allows the flow (both the source's egress and the
       * destination's ingress). On failure, prints the model's full explanation.
       * `options.includeStaged` evaluates staged policies as if enforced.
       */
      toAllow(flow: FlowQuery, options?: CheckOptions): R;
      /**
       * Passes when the `NetworkModel` under test denies the flow (egress or ingress). On failure,
       * prints the model's full explanation. `options.includeStaged` evaluates staged policies
       * as if enforced.
       */
      toDeny(flow: FlowQuery, options?: CheckOptions): R;
      /**
       * Passes when the `RbacModel` under test permits the request. On failure, prints the
       * reason and the grants.
       */
      toPermit(request: AccessRequest): R;
      /**
       * Passes when the `RbacModel` under test forbids the request. On failure, prints the
       * reason and the grants.
       */
      toForbid(request: AccessRequest): R;
    }
  }
}

/** The matcher functions of `cdk8s-calico/testing`, for `expect.extend(calicoMatchers)`. */
export const calicoMatchers = {
  /** `expect(networkModel).toAllow({ from, to, protocol?, port? }, { includeStaged? })`. */
  toAllow(this: jest.MatcherContext, received: any, flow: FlowQuery, options?: CheckOptions): jest.CustomMatcherResult {
    return networkResult(this, 'toAllow', received, flow, options, true);
  },

  /** `expect(networkModel).toDeny({ from, to, protocol?, port? }, { includeStaged? })`. */
  toDeny(this: jest.MatcherContext, received: any, flow: FlowQuery, options?: CheckOptions): jest.CustomMatcherResult {
    return networkResult(this, 'toDeny', received, flow, options, false);
  },

  /** `expect(rbacModel).toPermit({ user, verb, apiGroup, resource, … })`. */
  toPermit(this: jest.MatcherContext, received: any, request: AccessRequest): jest.CustomMatcherResult {
    return rbacResult(this, 'toPermit', received, request, true);
  },

  /** `expect(rbacModel).toForbid({ user, verb, apiGroup, resource, … })`. */
  toForbid(this: jest.MatcherContext, received: any, request: AccessRequest): jest.CustomMatcherResult {
    return rbacResult(this, 'toForbid', received, request, false);
  },
};

/**
 * Registers `toAllow`, `toDeny`, `toPermit` and `toForbid` with jest's global `expect`.
 * Importing `cdk8s-calico/testing` already does this when a global `expect` exists; call it
 * explicitly when the module was first imported outside a test environment.
 */
export function registerCalicoMatchers(): void {
  const globalExpect = (globalThis as any).expect;
  if (globalExpect === undefined || globalExpect === null || typeof globalExpect.extend !== 'function') {
    throw new Error(
      'registerCalicoMatchers: no global jest `expect` with `extend` found; call it from a test file or a jest '
      + 'setupFilesAfterEnv module, or pass calicoMatchers to expect.extend yourself');
  }
  globalExpect.extend(calicoMatchers);
}

/** A human description of a flow, e.g. `from be/api to db/postgres over TCP port 5432`. */
export function describeFlow(flow: FlowQuery): string {
  const text = `from ${flow.from} to ${flow.to}`;
  if (flow.protocol !== undefined && flow.port !== undefined) return `${text} over ${flow.protocol} port ${flow.port}`;
  if (flow.protocol !== undefined) return `${text} over ${flow.protocol}`;
  if (flow.port !== undefined) return `${text} on port ${flow.port}`;
  return text;
}

/**
 * A human description of an access request, e.g.
 * `user alice (groups: sec) to create networkpolicies.projectcalico.org "security.x" in namespace be`.
 */
export function describeAccessRequest(request: AccessRequest): string {
  const who = request.groups && request.groups.length > 0 ? `user ${request.user} (groups: ${request.groups.join(', ')})` : `user ${request.user}`;
  const group = request.apiGroup === '' ? '' : `.${request.apiGroup}`;
  const sub = request.subresource !== undefined ? `/${request.subresource}` : '';
  let text = `${who} to ${request.verb} ${request.resource}${group}${sub}`;
  if (request.name !== undefined) text += ` "${request.name}"`;
  text += request.namespace !== undefined ? ` in namespace ${request.namespace}` : ' cluster-wide';
  if (request.tier !== undefined) text += ` (tier ${request.tier})`;
  return text;
}

function networkResult(
  context: jest.MatcherContext,
  matcher: 'toAllow' | 'toDeny',
  received: any,
  flow: FlowQuery,
  options: CheckOptions | undefined,
  expectAllowed: boolean,
): jest.CustomMatcherResult {
  if (!(received instanceof NetworkModel)) {
    throw new Error(`${matcher} expects a NetworkModel, got ${describeReceiver(received, 'network')}`);
  }
  if (!isPlainObject(flow)) {
    throw new Error(`${matcher} expects a flow { from, to, protocol?, port? }, got ${describeValue(flow)}`);
  }
  const verdict: FlowVerdict = received.check(flow, options);
  const pass = verdict.allowed === expectAllowed;
  const actual = verdict.allowed ? 'allowed' : 'denied';
  const wanted = context.isNot ? (expectAllowed ? 'denied' : 'allowed') : (expectAllowed ? 'allowed' : 'denied');
  return {
    pass,
    message: () => [
      hint(context, matcher, 'model', 'flow'),
      '',
      `Expected traffic ${describeFlow(flow)} to be ${wanted}, but it is ${actual}.`,
      '',
      verdict.explanation,
    ].join('\n'),
  };
}

function rbacResult(
  context: jest.MatcherContext,
  matcher: 'toPermit' | 'toForbid',
  received: any,
  request: AccessRequest,
  expectAllowed: boolean,
): jest.CustomMatcherResult {
  if (!(received instanceof RbacModel)) {
    throw new Error(`${matcher} expects an RbacModel, got ${describeReceiver(received, 'rbac')}`);
  }
  if (!isPlainObject(request)) {
    throw new Error(`${matcher} expects an access request { user, verb, apiGroup, resource, … }, got ${describeValue(request)}`);
  }
  const verdict: AccessVerdict = received.check(request);
  const pass = verdict.allowed === expectAllowed;
  const actual = verdict.allowed ? 'permitted' : 'forbidden';
  const wanted = context.isNot ? (expectAllowed ? 'forbidden' : 'permitted') : (expectAllowed ? 'permitted' : 'forbidden');
  return {
    pass,
    message: () => [
      hint(context, matcher, 'model', 'request'),
      '',
      `Expected ${describeAccessRequest(request)} to be ${wanted}, but it is ${actual}.`,
      '',
      `Reason: ${verdict.reason}`,
      verdict.grants.length > 0 ? `Grants:\n${verdict.grants.map((grant) => `  - ${grant}`).join('\n')}` : 'Grants: none',
    ].join('\n'),
  };
}

function hint(context: jest.MatcherContext, matcher: string, receivedName: string, expectedName: string): string {
  const utils = context.utils as any;
  if (typeof utils?.matcherHint === 'function') {
    return utils.matcherHint(matcher, receivedName, expectedName, { isNot: context.isNot, promise: context.promise });
  }
  return `expect(${receivedName})${context.isNot ? '.not' : ''}.${matcher}(${expectedName})`;
}

function describeReceiver(received: any, wanted: 'network' | 'rbac'): string {
  const described = describeValue(received);
  if (wanted === 'network' && received instanceof RbacModel) return `${described}; use toPermit/toForbid for an RbacModel`;
  if (wanted === 'rbac' && received instanceof NetworkModel) return `${described}; use toAllow/toDeny for a NetworkModel`;
  const builder = wanted === 'network' ? 'networkModelOf' : 'rbacModelOf';
  if (Chart.isChart(received) || received instanceof App) return `${described}; build the model with ${builder}(chartOrApp)`;
  return described;
}

function isPlainObject(value: any): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
