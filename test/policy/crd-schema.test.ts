import { crdKinds, crdSchemaErrors, expectValidCrdObject, validateCalicoManifests } from './crd-schema';

const validPolicy = () => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata: { name: 'allow-web', namespace: 'prod' },
  spec: {
    selector: 'app == "web"',
    types: ['Ingress'],
    ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [443, '8000:8080', 'http'] } }],
  },
});

describe('crd-schema', () => {
  test('loads one schema per pinned kind (Calico, and the network-policy-api ClusterNetworkPolicy)', () => {
    expect(crdKinds()).toEqual([
      'ClusterNetworkPolicy',
      'GlobalNetworkPolicy',
      'GlobalNetworkSet',
      'NetworkPolicy',
      'NetworkSet',
      'StagedGlobalNetworkPolicy',
      'StagedKubernetesNetworkPolicy',
      'StagedNetworkPolicy',
      'Tier',
    ]);
  });

  test('accepts a valid object, with int-or-string ports as numbers and strings', () => {
    expect(crdSchemaErrors(validPolicy())).toEqual([]);
    expect(() => expectValidCrdObject(validPolicy())).not.toThrow();
  });

  test('rejects an invalid enum value', () => {
    const policy = validPolicy();
    (policy.spec.ingress[0] as any).action = 'allow';
    expect(crdSchemaErrors(policy)).toEqual([expect.stringContaining('/spec/ingress/0/action must be equal to one of the allowed values')]);
    expect(() => expectValidCrdObject(policy)).toThrow(/NetworkPolicy "allow-web" does not match its CRD schema/);
  });

  test('rejects a wrong type', () => {
    const policy = validPolicy();
    (policy.spec as any).order = '100';
    expect(crdSchemaErrors(policy)).toEqual([expect.stringContaining('/spec/order must be number')]);
  });

  test('rejects fields the API server would prune', () => {
    const set = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkSet',
      metadata: { name: 'partners', namespace: 'prod' },
      spec: { nets: ['192.0.2.0/24'], allowedEgressDomains: ['example.com'] },
    };
    expect(crdSchemaErrors(set)).toEqual([expect.stringContaining('must NOT have additional properties (allowedEgressDomains: the API server would drop it)')]);
  });

  test('rejects too many or duplicate policy types', () => {
    const policy = validPolicy();
    (policy.spec as any).types = ['Ingress', 'Egress', 'Ingress'];
    expect(crdSchemaErrors(policy).join('\n')).toMatch(/must NOT have more than 2 items/);
    (policy.spec as any).types = ['Ingress', 'Ingress'];
    expect(crdSchemaErrors(policy).join('\n')).toMatch(/types must NOT have duplicate items/);
  });

  test('rejects duplicates in set-typed lists', () => {
    const set = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkSet',
      metadata: { name: 'partners' },
      spec: { nets: ['192.0.2.0/24', '192.0.2.0/24'] },
    };
    expect(crdSchemaErrors(set)).toEqual([expect.stringContaining('/spec/nets must NOT have duplicate items')]);
  });

  test('checks the namespace against the scope of the kind', () => {
    const policy = validPolicy();
    delete (policy.metadata as any).namespace;
    expect(crdSchemaErrors(policy)).toEqual(['/metadata/namespace is missing on namespaced kind NetworkPolicy (it would land in whatever namespace kubectl uses)']);
    const tier = { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security', namespace: 'x' }, spec: {} };
    expect(crdSchemaErrors(tier)).toEqual(['/metadata/namespace is set on cluster-scoped kind Tier; remove it']);
  });

  test('requires a name and a spec', () => {
    const errors = crdSchemaErrors({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: {} });
    expect(errors).toEqual(expect.arrayContaining(["/ must have required property 'spec'", '/metadata/name is missing']));
  });

  test('rejects unknown kinds and API versions', () => {
    expect(crdSchemaErrors({ apiVersion: 'projectcalico.org/v3', kind: 'HostEndpoint' })).toEqual([
      expect.stringContaining('/ apiVersion "projectcalico.org/v3" kind "HostEndpoint" has no CRD in Calico v3.32.1; known: '),
    ]);
    expect(crdSchemaErrors({ apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy' })).toEqual([expect.stringContaining('has no CRD in Calico v3.32.1'), '/metadata/name is missing']);
  });

  test('validateCalicoManifests checks only Calico objects', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { anything: 'goes' } };
    expect(validateCalicoManifests([configMap, validPolicy()])).toHaveLength(2);
    const bad = validPolicy();
    (bad.spec as any).types = ['Sideways'];
    expect(() => validateCalicoManifests([configMap, bad])).toThrow(/types\/0 must be equal to one of the allowed values/);
  });
});
