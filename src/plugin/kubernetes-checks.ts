/**
 * Kubernetes checks that need no cluster: names, namespaces, labels and duplicate objects.
 */
import { dnsLabelProblem, dnsSubdomainProblem, labelValueProblem, qualifiedNameProblem } from '../core';

/** Kinds whose names must be DNS-1123 labels (not just subdomains). */
// Kubernetes: pkg/apis/core/validation ValidateNamespaceName / ValidateServiceName (DNS-1123 label)
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service']);

/**
 * The problems of one object, each as `<JSON pointer> <message>`; empty if none.
 */
export function kubernetesProblems(manifest: any): string[] {
  const problems: string[] = [];
  const metadata = manifest?.metadata;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    return ['/metadata is missing; every object needs metadata.name'];
  }
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    problems.push('/metadata/name is missing; every object needs a name');
  } else {
    const problem = LABEL_NAMED_KINDS.has(manifest.kind)
      ? dnsLabelProblem(name, `${manifest.kind} name`)
      : dnsSubdomainProblem(name, 'object name');
    // Names of RBAC objects may contain ':' (path segment names), e.g. system:aggregate-to-view.
    const rbac = String(manifest.apiVersion).startsWith('rbac.authorization.k8s.io/');
    if (problem && !(rbac && !/[/%]/.test(name) && name !== '.' && name !== '..')) {
      problems.push(`/metadata/name ${problem}`);
    }
  }
  if (metadata.namespace !== undefined) {
    const problem = dnsLabelProblem(metadata.namespace, 'namespace');
    if (problem) problems.push(`/metadata/namespace ${problem}`);
  }
  for (const [field, map] of [['labels', metadata.labels], ['annotations', metadata.annotations]] as const) {
    if (map === undefined) continue;
    if (map === null || typeof map !== 'object' || Array.isArray(map)) {
      problems.push(`/metadata/${field} must be a mapping of strings`);
      continue;
    }
    for (const [key, value] of Object.entries(map)) {
      const keyProblem = qualifiedNameProblem(key);
      if (keyProblem) problems.push(`/metadata/${field} key ${JSON.stringify(key)}: ${keyProblem}`);
      if (field === 'labels') {
        const valueProblem = labelValueProblem(value);
        if (valueProblem) problems.push(`/metadata/labels/${key} ${valueProblem}`);
      } else if (typeof value !== 'string') {
        problems.push(`/metadata/annotations/${key} must be a string, got ${JSON.stringify(value)}`);
      }
    }
  }
  return problems;
}

/** The identity of an object for duplicate detection: API group, kind, namespace and name. */
export function objectIdentity(manifest: any): string {
  const apiVersion = String(manifest?.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return `${group}/${manifest?.kind}/${manifest?.metadata?.namespace ?? ''}/${manifest?.metadata?.name}`;
}
