import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import {
  CATALOGUE,
  findKind,
  findResource,
  isClusterScopedKind,
  isClusterScopedResource,
  isTieredPolicyResource,
  parseApiVersion,
  resolveBareResource,
  resourcesOfGroup,
  tieredPolicyResources,
} from '../../src/core/resource-catalogue';

describe('the catalogue', () => {
  test('names every resource once per group, and every kind once per group', () => {
    const resources = CATALOGUE.map((entry) => `${entry.group}/${entry.resource}`);
    expect(new Set(resources).size).toBe(resources.length);
    const kinds = CATALOGUE.filter((entry) => entry.kind !== '').map((entry) => `${entry.group}/${entry.kind}`);
    expect(new Set(kinds).size).toBe(kinds.length);
  });

  test('every entry is well-formed: lower-case plural, a kind unless it is a pseudo-resource, versions, subresources', () => {
    for (const entry of CATALOGUE) {
      expect({ entry, ok: /^[a-z][a-z.]*[a-z]$/.test(entry.resource) }).toEqual({ entry, ok: true });
      expect({ entry, ok: entry.pseudoFor === undefined ? /^[A-Z][A-Za-z]+$/.test(entry.kind) : entry.kind === '' }).toEqual({ entry, ok: true });
      expect({ entry, ok: entry.versions.length > 0 && entry.subresources.every((s) => /^[a-z]+$/.test(s)) }).toEqual({ entry, ok: true });
    }
  });

  test.each(fs.readdirSync(path.join(__dirname, '../../imports')).filter((file) => file.endsWith('.yaml')))(
    'agrees with the pinned CRD %s', (file) => {
      const crd = parse(fs.readFileSync(path.join(__dirname, '../../imports', file), 'utf8'));
      const entry = findResource(crd.spec.group, crd.spec.names.plural);
      expect(entry).toMatchObject({
        group: crd.spec.group,
        kind: crd.spec.names.kind,
        resource: crd.spec.names.plural,
        namespaced: crd.spec.scope === 'Namespaced',
      });
      expect(entry!.versions).toEqual(crd.spec.versions.filter((v: any) => v.served).map((v: any) => v.name));
      if (crd.spec.group === 'projectcalico.org') {
        // Calico's v1 CRDs mirror every v3 resource.
        expect(findResource('crd.projectcalico.org', crd.spec.names.plural)).toMatchObject({ kind: crd.spec.names.kind, namespaced: entry!.namespaced });
      }
    });

  test.each([
    ['', 'Pod', 'pods', true],
    ['', 'Namespace', 'namespaces', false],
    ['', 'Node', 'nodes', false],
    ['', 'PersistentVolume', 'persistentvolumes', false],
    ['', 'ServiceAccount', 'serviceaccounts', true],
    ['apps', 'Deployment', 'deployments', true],
    ['batch', 'CronJob', 'cronjobs', true],
    ['networking.k8s.io', 'NetworkPolicy', 'networkpolicies', true],
    ['networking.k8s.io', 'IngressClass', 'ingressclasses', false],
    ['networking.k8s.io', 'ServiceCIDR', 'servicecidrs', false],
    ['rbac.authorization.k8s.io', 'ClusterRole', 'clusterroles', false],
    ['rbac.authorization.k8s.io', 'RoleBinding', 'rolebindings', true],
    ['storage.k8s.io', 'CSIStorageCapacity', 'csistoragecapacities', true],
    ['storage.k8s.io', 'VolumeAttributesClass', 'volumeattributesclasses', false],
    ['coordination.k8s.io', 'Lease', 'leases', true],
    ['events.k8s.io', 'Event', 'events', true],
    ['flowcontrol.apiserver.k8s.io', 'FlowSchema', 'flowschemas', false],
    ['certificates.k8s.io', 'CertificateSigningRequest', 'certificatesigningrequests', false],
    ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false],
    ['apiextensions.k8s.io', 'CustomResourceDefinition', 'customresourcedefinitions', false],
    ['apiregistration.k8s.io', 'APIService', 'apiservices', false],
    ['authorization.k8s.io', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', true],
    ['authorization.k8s.io', 'SubjectAccessReview', 'subjectaccessreviews', false],
    ['authentication.k8s.io', 'TokenReview', 'tokenreviews', false],
    ['resource.k8s.io', 'ResourceClaim', 'resourceclaims', true],
    ['resource.k8s.io', 'DeviceClass', 'deviceclasses', false],
    ['scheduling.k8s.io', 'PriorityClass', 'priorityclasses', false],
    ['node.k8s.io', 'RuntimeClass', 'runtimeclasses', false],
    ['discovery.k8s.io', 'EndpointSlice', 'endpointslices', true],
    ['policy', 'PodDisruptionBudget', 'poddisruptionbudgets', true],
    ['projectcalico.org', 'GlobalNetworkPolicy', 'globalnetworkpolicies', false],
    ['projectcalico.org', 'Tier', 'tiers', false],
    ['projectcalico.org', 'IPAMConfiguration', 'ipamconfigurations', false],
    ['projectcalico.org', 'Profile', 'profiles', false],
    ['crd.projectcalico.org', 'IPAMConfig', 'ipamconfigs', false],
    ['crd.projectcalico.org', 'NetworkSet', 'networksets', true],
    ['policy.networking.k8s.io', 'ClusterNetworkPolicy', 'clusternetworkpolicies', false],
    ['policy.networking.k8s.io', 'AdminNetworkPolicy', 'adminnetworkpolicies', false],
    ['policy.networking.k8s.io', 'BaselineAdminNetworkPolicy', 'baselineadminnetworkpolicies', false],
  ])('%s %s ↔ %s, namespaced %s', (group, kind, resource, namespaced) => {
    expect(findKind(group, kind)).toMatchObject({ group, kind, resource, namespaced });
    expect(findResource(group, resource)).toBe(findKind(group, kind));
    expect(isClusterScopedResource(group, resource)).toBe(!namespaced);
  });

  test('network-policy-api versions: ClusterNetworkPolicy v1alpha2, AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1', () => {
    expect(findKind('policy.networking.k8s.io', 'ClusterNetworkPolicy')!.versions).toEqual(['v1alpha2']);
    expect(findKind('policy.networking.k8s.io', 'AdminNetworkPolicy')!.versions).toEqual(['v1alpha1']);
    expect(findKind('policy.networking.k8s.io', 'BaselineAdminNetworkPolicy')!.versions).toEqual(['v1alpha1']);
  });

  test.each([
    ['', 'pods', ['exec', 'log', 'portforward', 'attach', 'eviction', 'ephemeralcontainers', 'status', 'proxy']],
    ['', 'serviceaccounts', ['token']],
    ['', 'nodes', ['proxy', 'status']],
    ['', 'services', ['proxy']],
    ['apps', 'deployments', ['scale', 'status']],
    ['certificates.k8s.io', 'certificatesigningrequests', ['approval']],
    ['projectcalico.org', 'kubecontrollersconfigurations', ['status']],
  ])('%s/%s has the subresources %s', (group, resource, subresources) => {
    expect(findResource(group, resource)!.subresources).toEqual(expect.arrayContaining(subresources));
  });

  test('a subresource has the scope of its resource; unknown resources have no known scope', () => {
    expect(isClusterScopedResource('', 'nodes/proxy')).toBe(true);
    expect(isClusterScopedResource('', 'pods/exec')).toBe(false);
    expect(isClusterScopedResource('example.com', 'widgets')).toBeUndefined();
    expect(isClusterScopedResource('', 'toString')).toBeUndefined();
  });
});

describe('Calico tiered policy resources and their pseudo-resources', () => {
  test('exactly the four tiered policy resources of projectcalico.org, each with its tier.<resource>', () => {
    expect(tieredPolicyResources().map((entry) => [entry.resource, entry.tierResource])).toEqual([
      ['globalnetworkpolicies', 'tier.globalnetworkpolicies'],
      ['networkpolicies', 'tier.networkpolicies'],
      ['stagedglobalnetworkpolicies', 'tier.stagedglobalnetworkpolicies'],
      ['stagednetworkpolicies', 'tier.stagednetworkpolicies'],
    ]);
  });

  test.each([
    ['projectcalico.org', 'networkpolicies', true],
    ['projectcalico.org', 'stagedglobalnetworkpolicies', true],
    ['projectcalico.org', 'stagedkubernetesnetworkpolicies', false],
    ['projectcalico.org', 'tiers', false],
    ['projectcalico.org', 'tier.networkpolicies', false],
    ['crd.projectcalico.org', 'networkpolicies', false],
    ['networking.k8s.io', 'networkpolicies', false],
  ])('isTieredPolicyResource(%s, %s) is %s', (group, resource, expected) => {
    expect(isTieredPolicyResource(group, resource)).toBe(expected);
  });

  test('pseudo-resources take the scope of the policies they authorize and have no kind', () => {
    expect(findResource('projectcalico.org', 'tier.networkpolicies')).toMatchObject({ kind: '', namespaced: true, pseudoFor: 'networkpolicies' });
    expect(findResource('projectcalico.org', 'tier.globalnetworkpolicies')).toMatchObject({ kind: '', namespaced: false, pseudoFor: 'globalnetworkpolicies' });
    expect(isClusterScopedResource('projectcalico.org', 'tier.stagedglobalnetworkpolicies')).toBe(true);
    expect(isClusterScopedResource('projectcalico.org', 'tier.stagednetworkpolicies')).toBe(false);
    expect(findKind('projectcalico.org', '')).toBeUndefined();
  });
});

describe('lookups', () => {
  test.each([
    ['networkpolicies', 'networking.k8s.io'],
    ['events', ''],
    ['pods', ''],
    ['deployments', 'apps'],
    ['leases', 'coordination.k8s.io'],
    ['globalnetworkpolicies', 'projectcalico.org'],
    ['tiers', 'projectcalico.org'],
    ['ipamconfigs', 'crd.projectcalico.org'],
    ['clusternetworkpolicies', 'policy.networking.k8s.io'],
  ])('the bare resource %s resolves to group "%s", as kubectl would', (resource, group) => {
    expect(resolveBareResource(resource)?.group).toBe(group);
  });

  test.each(['tier.networkpolicies', 'widgets', 'toString', 'constructor', '__proto__', ''])('the bare resource "%s" is unknown', (resource) => {
    expect(resolveBareResource(resource)).toBeUndefined();
  });

  test.each([
    ['v1', { group: '', version: 'v1' }],
    ['apps/v1', { group: 'apps', version: 'v1' }],
    ['projectcalico.org/v3', { group: 'projectcalico.org', version: 'v3' }],
    ['', undefined],
    ['/v1', undefined],
    ['apps/', undefined],
    ['a/b/c', undefined],
  ])('parseApiVersion(%j)', (apiVersion, expected) => {
    expect(parseApiVersion(apiVersion)).toEqual(expected);
  });

  test.each([
    ['v1', 'Namespace', true],
    ['v1', 'ConfigMap', false],
    ['projectcalico.org/v3', 'GlobalNetworkPolicy', true],
    ['crd.projectcalico.org/v1', 'Tier', true],
    ['projectcalico.org/v3', 'NetworkPolicy', false],
    ['policy.networking.k8s.io/v1alpha2', 'ClusterNetworkPolicy', true],
    ['example.com/v1', 'Widget', undefined],
    ['v1', 'GlobalNetworkPolicy', undefined],
    ['not/an/apiVersion', 'Namespace', undefined],
  ])('isClusterScopedKind(%s, %s) is %s', (apiVersion, kind, expected) => {
    expect(isClusterScopedKind(apiVersion, kind)).toBe(expected);
  });

  test('resourcesOfGroup lists a group in catalogue order', () => {
    expect(resourcesOfGroup('rbac.authorization.k8s.io').map((entry) => entry.resource))
      .toEqual(['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles']);
    expect(resourcesOfGroup('example.com')).toEqual([]);
  });
});
