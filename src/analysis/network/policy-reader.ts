/**
 * Reads the tier and policy kinds of a manifest stream through the kind registry, and collects
 * what they produce.
 *
 * Internal module of the network model.
 */
import { fail } from '../../core';
import { ObjectRef } from '../network-objects';
import { RuleCompiler } from '../network-rules';
import { PolicySink } from './kind';
import { PolicyRecord, TierRecord } from './records';
import { kindReader } from './registry';
import { readExternalTiers, resolveTiers } from './tiers';

/** Reads the policy-side kinds of a manifest stream. */
export class PolicyReader implements PolicySink {
  /** Tiers declared in the manifests, by name. */
  public readonly tiers = new Map<string, TierRecord>();
  /** Policies in manifest order. */
  public readonly policies: PolicyRecord[] = [];
  /** Namespaces policies live in or refer to by name. */
  public readonly namespaces = new Set<string>();

  private readonly keys = new Set<string>();

  constructor(public readonly compiler: RuleCompiler) {}

  /**
   * Reads an object if it is one of the policy-side kinds.
   * @returns true when the object was consumed
   */
  public accept(obj: any, kind: string, apiVersion: string): boolean {
    const read = kindReader(apiVersion, kind);
    if (read === undefined) {
      return false;
    }
    read(obj, { kind, apiVersion }, this);
    return true;
  }

  /**
   * Every tier policies can be in: Calico's built-in tiers, the declared ones and the caller's.
   *
   * @param options the options given to the model (their `tiers`: tiers managed outside the manifests)
   * @throws Error naming the policy and the tier when a policy is in a tier that does not exist
   */
  public allTiers(options?: any): Map<string, TierRecord> {
    return resolveTiers(this.tiers, readExternalTiers(options), this.policies);
  }

  /** @inheritdoc */
  public addPolicy(policy: PolicyRecord, isStaged: boolean): void {
    const key = `${isStaged ? 'staged:' : ''}${policy.key}`;
    if (this.keys.has(key)) {
      fail(policy.ref, 'metadata.name', 'declared twice; policy names must be unique per kind and namespace');
    }
    this.keys.add(key);
    this.policies.push(policy);
    if (policy.namespace !== undefined) {
      this.namespaces.add(policy.namespace);
    }
  }

  /** @inheritdoc */
  public addTier(tier: TierRecord, ref: ObjectRef): void {
    if (this.tiers.has(tier.name)) {
      fail(ref, 'metadata.name', 'declared twice; tier names must be unique');
    }
    this.tiers.set(tier.name, tier);
  }

  /** @inheritdoc */
  public referenceNamespace(namespace: string): void {
    this.namespaces.add(namespace);
  }
}
