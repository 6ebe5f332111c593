/**
 * Tiers and policies read from manifests. The reading itself is per kind, behind a registry,
 * in `network/` (see `network/registry.ts`); this module keeps the names the rest of the model
 * imports.
 *
 * Internal module of the network model.
 */
export { PolicyReader } from './network/policy-reader';
export type { PolicyFamily, PolicyRecord, TierRecord, TierSource } from './network/records';
