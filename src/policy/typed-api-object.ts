import { ApiObject } from 'cdk8s';

/**
 * Base of the constructs that are themselves the Kubernetes object they synthesize (policies,
 * tiers, network sets, roles, member service accounts): an `ApiObject` whose `instanceof`
 * follows its classes.
 *
 * cdk8s answers `x instanceof ApiObject` for any object it synthesizes, whatever its class, and
 * a subclass of `ApiObject` inherits that answer (`anyConfigMap instanceof NetworkPolicy` would
 * be true). Here `instanceof` asks the prototype chain again, so `policy instanceof NetworkPolicy`
 * holds for network policies only, while `policy instanceof ApiObject` still holds.
 *
 * `apiObject`, the escape hatch of constructs that wrap their object, returns the construct.
 */
export abstract class TypedApiObject extends ApiObject {
  /**
   * `instanceof` by the prototype chain of the class asked about.
   *
   * @internal
   */
  public static [Symbol.hasInstance]<T extends ApiObject>(this: { readonly prototype: T }, instance: unknown): instance is T {
    return Function.prototype[Symbol.hasInstance].call(this, instance);
  }

  /** The object this construct synthesizes (escape hatch): the construct itself. */
  public get apiObject(): ApiObject {
    return this;
  }
}
