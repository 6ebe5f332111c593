/**
 * Small builders of plain manifests for the network model tests.
 */

export interface PodOptions {
  readonly ip?: string | string[];
  readonly sa?: string;
  readonly ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
  readonly hostNetwork?: boolean;
}

export function namespace(name: string, labels: { [k: string]: string } = {}): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function pod(ns: string, name: string, labels: { [k: string]: string } = {}, opts: PodOptions = {}): any {
  const ips = opts.ip === undefined ? [] : Array.isArray(opts.ip) ? opts.ip : [opts.ip];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: {
      serviceAccountName: opts.sa,
      hostNetwork: opts.hostNetwork,
      containers: [{ name: 'main', image: 'busybox', ports: opts.ports }],
    },
    status: ips.length === 0 ? undefined : { podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) },
  };
}

export function deployment(ns: string, name: string, labels: { [k: string]: string }, podSpec: any = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'nginx' }], ...podSpec } },
    },
  };
}

export function serviceAccount(ns: string, name: string, labels: { [k: string]: string } = {}): any {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns, labels } };
}

export function service(ns: string, name: string, selector: { [k: string]: string } | undefined, ports: any[]): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector, ports } };
}

export function k8sPolicy(ns: string, name: string, spec: any): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

export function calicoPolicy(ns: string, name: string, spec: any): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

export function globalPolicy(name: string, spec: any): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name }, spec };
}

export function tier(name: string, order?: number, defaultAction?: string): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name }, spec: { order, defaultAction } };
}

export function networkSet(ns: string, name: string, labels: { [k: string]: string }, nets: string[]): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'NetworkSet', metadata: { name, namespace: ns, labels }, spec: { nets } };
}

export function globalNetworkSet(name: string, labels: { [k: string]: string }, nets: string[]): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkSet', metadata: { name, labels }, spec: { nets } };
}

/** A namespaced default-deny of ingress (Kubernetes docs example). */
export function denyAllIngress(ns: string): any {
  return k8sPolicy(ns, 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
}
