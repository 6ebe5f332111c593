/**
 * The contract between the policy reader and the per-kind readers: a kind reader turns one
 * object of its kind into tier or policy records and hands them to a sink.
 *
 * Internal module of the network model.
 */
import { PolicyRecord, TierRecord } from './records';
import { ObjectRef } from '../network-objects';
import { RuleCompiler } from '../network-rules';

/** The kind and apiVersion of the object being read (already checked to be strings). */
export interface ObjectType {
  readonly kind: string;
  readonly apiVersion: string;
}

/** Where kind readers put what they read. */
export interface PolicySink {
  /** Shares peer matchers between the rules of all policies. */
  readonly compiler: RuleCompiler;
  /**
   * Adds a policy.
   * @param isStaged true for the staged kinds (they may share a key with an enforced policy)
   * @throws Error when a policy of the same kind, namespace and name was read before
   */
  addPolicy(policy: PolicyRecord, isStaged: boolean): void;
  /**
   * Adds a tier declared in the manifests.
   * @throws Error when a tier of that name was read before
   */
  addTier(tier: TierRecord, ref: ObjectRef): void;
  /** Notes a namespace a policy lives in or refers to by name (it exists even if not declared). */
  referenceNamespace(namespace: string): void;
}

/** Reads one object of a kind into a sink; throws naming object and field on bad input. */
export type KindRead = (obj: any, type: ObjectType, sink: PolicySink) => void;
