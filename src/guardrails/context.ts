/**
 * What every rule sees: the manifests, the options (checked once), and the models built from
 * them on first use.
 *
 * Internal module.
 */
import { EndpointInfo, NetworkModel, NetworkModelOptions, PolicyInfo, RbacModel, Subject } from '../analysis';
import { DEFAULT_TIER, describeValue, formatIp, KUBE_ADMIN_TIER, parseCidr, parseIpAddress } from '../core';
import { Access, Scope } from './access';
import { mentionedNamespaces, OBJECT_REF, objectsOfKind, podFreeQuotas } from './manifests';
import { AuditOptions } from './options';
import { Power, powersFor } from './powers';
import { checkSubjectPattern, subjectId, SYSTEM_SUBJECTS } from './subjects';

/** The namespaces of the cluster's own components, left alone by the network rules. */
export const SYSTEM_NAMESPACES: readonly string[] = [
  'kube-system', 'kube-public', 'kube-node-lease', 'calico-system', 'calico-apiserver', 'tigera-operator',
];

/** The representative internet addresses (example.com, IPv4 and IPv6). */
export const DEFAULT_INTERNET_ADDRESSES: readonly string[] = ['93.184.216.34', '2606:2800:220:1::1'];

/** The cloud metadata addresses (link-local IPv4, and AWS's IPv6 one). */
export const DEFAULT_METADATA_ADDRESSES: readonly string[] = ['169.254.169.254', 'fd00:ec2::254'];

/** The name of the pod added to a namespace to stand for "any new pod there". */
export const PROBE_POD_NAME = 'guardrails-any-new-pod';

/** A node CIDR and the address that stands for its nodes. */
export interface NodeNetwork {
  readonly cidr: string;
  readonly address: string;
}

/** A power a subject holds, and where. */
export interface HeldPower {
  readonly power: Power;
  readonly scopes: Scope[];
}

/** The checked options. */
export interface ResolvedOptions {
  readonly nodeNetworks: NodeNetwork[];
  readonly internetAddresses: string[];
  readonly metadataAddresses: string[];
  readonly excludedNamespaces: string[];
  readonly probePods: boolean;
  readonly excludedSubjects: string[];
  /** The options of the network model (external tiers, pod and service CIDRs), checked by the model. */
  readonly network: NetworkModelOptions;
  /** The security tiers given in the options (`undefined`: every tier ordered before `default` except kube-admin). */
  readonly securityTiers?: string[];
  /** The policies named as controls, as `Kind name` / `Kind namespace/name`. */
  readonly controls: string[];
}

/** The manifests, the options and the models, shared by the rules of one audit. */
export class AuditContext {
  /** The checked options. */
  public readonly options: ResolvedOptions;

  private rbacModel?: RbacModel;
  private networkModel?: NetworkModel;
  private accessIndex?: Access;
  private powerList?: Power[];
  private readonly held = new Map<string, HeldPower[]>();
  private probes?: Map<string, string>;
  private securityTierList?: string[];

  /**
   * @param objects the manifests, lists unpacked
   * @param options the checked audit options
   */
  constructor(public readonly objects: readonly any[], options: ResolvedOptions) {
    this.options = options;
  }

  /** The RBAC model of the manifests. */
  public get rbac(): RbacModel {
    if (this.rbacModel === undefined) {
      this.rbacModel = RbacModel.fromManifests([...this.objects]);
    }
    return this.rbacModel;
  }

  /** RBAC questions with cached answers. */
  public get access(): Access {
    if (this.accessIndex === undefined) {
      this.accessIndex = new Access(this.rbac, mentionedNamespaces(this.objects), this.options.excludedSubjects);
    }
    return this.accessIndex;
  }

  /**
   * The network model of the manifests, with the probe pods (one unlabelled pod per declared
   * namespace, unless `probePods` is false).
   */
  public get network(): NetworkModel {
    if (this.networkModel === undefined) {
      const probes = [...this.probePods().entries()].map(([namespace, name]) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace },
        spec: { containers: [{ name: 'main', image: 'any' }] },
      }));
      this.networkModel = NetworkModel.fromManifests([...this.objects, ...probes], this.options.network);
    }
    return this.networkModel;
  }

  /** The probe pod of each namespace that has one: namespace → pod name. */
  public probePods(): Map<string, string> {
    if (this.probes === undefined) {
      this.probes = new Map();
      if (this.options.probePods) {
        const taken = new Set(this.objects.map((o) => `${o?.metadata?.namespace}/${o?.metadata?.name}`));
        for (const ns of objectsOfKind(this.objects, 'Namespace', '')) {
          const namespace = ns.metadata?.name;
          // A namespace where no pod can run (a ResourceQuota of zero pods) has no "any new pod".
          if (typeof namespace !== 'string' || this.options.excludedNamespaces.includes(namespace) || podFreeQuotas(this.objects, namespace).length > 0) {
            continue;
          }
          let name = PROBE_POD_NAME;
          for (let i = 2; taken.has(`${namespace}/${name}`); i++) {
            name = `${PROBE_POD_NAME}-${i}`;
          }
          this.probes.set(namespace, name);
        }
      }
    }
    return this.probes;
  }

  /** Whether an endpoint is a probe pod. */
  public isProbe(endpoint: EndpointInfo): boolean {
    return endpoint.kind === 'Pod' && endpoint.namespace !== undefined && this.probePods().get(endpoint.namespace) === endpoint.name;
  }

  /**
   * The endpoints the network rules look at: pods and workloads (probe pods included) outside
   * the excluded namespaces, in id order.
   */
  public workloadEndpoints(): EndpointInfo[] {
    return this.network.endpoints()
      .map((id) => this.network.endpoint(id))
      .filter((e) => e.namespace !== undefined && !this.options.excludedNamespaces.includes(e.namespace));
  }

  /** The powers to look for, with every tier of the network model. */
  public get powers(): Power[] {
    if (this.powerList === undefined) {
      this.powerList = powersFor(this.network.tiers().map((t) => t.name).sort());
    }
    return this.powerList;
  }

  /**
   * The tiers the security team owns: those of the `securityTiers` option, or every tier
   * evaluated before `default` except `kube-admin` (Kubernetes AdminNetworkPolicies), in
   * evaluation order.
   *
   * @throws Error naming the option when a given tier does not exist
   */
  public get securityTiers(): string[] {
    if (this.securityTierList === undefined) {
      const tiers = this.network.tiers();
      const given = this.options.securityTiers;
      if (given !== undefined) {
        const unknown = given.filter((name) => !tiers.some((t) => t.name === name));
        if (unknown.length > 0) {
          throw new Error(`audit options: securityTiers: ${unknown.map((n) => `"${n}"`).join(', ')} ${unknown.length === 1 ? 'is not a tier' : 'are not tiers'} `
            + `of the manifests, Calico or the tiers option; the tiers are ${tiers.map((t) => t.name).join(', ')}`);
        }
        this.securityTierList = tiers.filter((t) => given.includes(t.name)).map((t) => t.name);
      } else {
        const defaultIndex = tiers.findIndex((t) => t.name === DEFAULT_TIER);
        this.securityTierList = tiers.slice(0, defaultIndex).filter((t) => t.name !== KUBE_ADMIN_TIER).map((t) => t.name);
      }
    }
    return this.securityTierList;
  }

  /** The enforced policies of the security tiers, in manifest order. */
  public securityPolicies(): PolicyInfo[] {
    const tiers = this.securityTiers;
    return this.network.policies().filter((p) => p.staged === undefined && p.hostOnly === undefined && tiers.includes(p.tier));
  }

  /** The powers a subject holds, and where. */
  public powersOf(subject: Subject): HeldPower[] {
    const id = subjectId(subject);
    let result = this.held.get(id);
    if (result === undefined) {
      result = this.powers
        .map((power) => ({ power, scopes: this.access.scopes(subject, power.questions) }))
        .filter((h) => h.scopes.length > 0);
      this.held.set(id, result);
    }
    return result;
  }
}

/**
 * Checks the network and subject options and fills in the defaults.
 *
 * @throws Error naming the option, what was wrong and what would be right
 */
export function resolveOptions(where: string, o: AuditOptions): ResolvedOptions {
  const nodeNetworks = stringList(where, 'nodeCidrs', o.nodeCidrs, []).map((text, i) => {
    const cidr = parseCidr(text);
    if (typeof cidr === 'string') {
      throw new Error(`${where}: nodeCidrs[${i}]: ${cidr}; write a network such as 10.0.0.0/16 or fd00::/64`);
    }
    const host = cidr.prefix >= (cidr.version === 4 ? 31 : 127) ? cidr.base : cidr.base + 1n;
    return { cidr: cidr.canonical, address: formatIp(cidr.version, host) };
  });
  const addresses = (field: string, value: string[] | undefined, defaults: readonly string[]): string[] =>
    stringList(where, field, value, defaults).map((text, i) => {
      const address = parseIpAddress(text);
      if (address === undefined) {
        throw new Error(`${where}: ${field}[${i}]: "${text}" is not an IP address; write one such as 203.0.113.7 or 2001:db8::7`);
      }
      return address.text;
    });
  const excludedSubjects = [
    ...(o.includeSystemSubjects === true ? [] : SYSTEM_SUBJECTS),
    ...stringList(where, 'excludedSubjects', o.excludedSubjects, []).map((s, i) => checkSubjectPattern(where, `excludedSubjects[${i}]`, s, true)),
  ];
  if (o.includeSystemSubjects !== undefined && typeof o.includeSystemSubjects !== 'boolean') {
    throw new Error(`${where}: includeSystemSubjects: expected true or false, got ${describeValue(o.includeSystemSubjects)}`);
  }
  if (o.probePods !== undefined && typeof o.probePods !== 'boolean') {
    throw new Error(`${where}: probePods: expected true or false, got ${describeValue(o.probePods)}`);
  }
  const network: NetworkModelOptions = { tiers: o.tiers, podCidrs: o.podCidrs, serviceCidrs: o.serviceCidrs };
  try {
    // The model checks its own options (tiers, podCidrs, serviceCidrs): ask it now, with no manifests.
    NetworkModel.fromManifests([], network);
  } catch (e: any) {
    throw new Error(`${where}: ${e.message}`);
  }
  return {
    network,
    securityTiers: o.securityTiers === undefined ? undefined : stringList(where, 'securityTiers', o.securityTiers, []),
    controls: stringList(where, 'controls', o.controls, []).map((ref, i) => {
      if (!OBJECT_REF.test(ref)) {
        throw new Error(`${where}: controls[${i}]: "${ref}" is not a policy reference; write Kind name or Kind namespace/name, `
          + 'e.g. NetworkPolicy prod/restrict-intern-access or GlobalNetworkPolicy security.deny-metadata');
      }
      return ref;
    }),
    nodeNetworks,
    internetAddresses: addresses('internetAddresses', o.internetAddresses, DEFAULT_INTERNET_ADDRESSES),
    metadataAddresses: addresses('metadataAddresses', o.metadataAddresses, DEFAULT_METADATA_ADDRESSES),
    excludedNamespaces: stringList(where, 'excludedNamespaces', o.excludedNamespaces, SYSTEM_NAMESPACES),
    probePods: o.probePods ?? true,
    excludedSubjects,
  };
}

/** Checks an optional list of non-empty strings. */
export function stringList(where: string, field: string, value: any, defaults: readonly string[]): string[] {
  if (value === undefined) {
    return [...defaults];
  }
  if (!Array.isArray(value)) {
    throw new Error(`${where}: ${field}: expected a list of strings, got ${describeValue(value)}`);
  }
  value.forEach((v, i) => {
    if (typeof v !== 'string' || v === '') {
      throw new Error(`${where}: ${field}[${i}]: expected a non-empty string, got ${describeValue(v)}`);
    }
  });
  return [...value];
}
