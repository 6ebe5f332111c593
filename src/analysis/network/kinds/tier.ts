/**
 * `Tier` (projectcalico.org/v3, crd.projectcalico.org/v1): a tier declared in the manifests.
 *
 * Internal module of the network model.
 */
import { fail, tierNameProblem } from '../../../core';
import { requireName } from '../../network-endpoints';
import { optObject } from '../../network-objects';
import { KindRead } from '../kind';
import { tierRecord } from '../tiers';
import { clusterRef } from './common';

/** Reads a `Tier`. */
// Calico: libcalico-go/lib/validator/v3/validator.go validateTier (name)
export const readTier: KindRead = (obj, type, sink) => {
  const ref = clusterRef(obj, type);
  const name = requireName(obj, ref);
  const problem = tierNameProblem(name);
  if (problem !== undefined) {
    fail(ref, 'metadata.name', problem);
  }
  const spec = optObject(obj, 'spec', ref, 'spec') ?? {};
  sink.addTier(tierRecord(ref, name, spec, { order: 'spec.order', defaultAction: 'spec.defaultAction' }, 'manifest'), ref);
};
