import { Construct } from 'constructs';
import { EgressApproval, EgressSource } from './egress-approval';
import { SecurityTeam } from './security-team';
import { SYSTEM_NAMESPACES } from './system-namespaces';
import { withTcpDefault } from './team-policy';
import { DEFAULT_TIER, LABEL_NAME, LABEL_ORCHESTRATOR, ORCHESTRATOR_K8S } from '../core/calico';
import { Cidr, cidrContainsCidr, parseCidr } from '../core/cidr';
import { describeValue, fail } from '../core/errors';
import { portNumberProblem } from '../core/ports';
import { GlobalNetworkPolicy } from '../policy/global-network-policy';
import { GlobalNetworkSet, NetworkSetBase } from '../policy/network-set';
import { Peer } from '../policy/peer';
import { namespaceNameSelector } from '../policy/peer-selectors';
import { checkPortList, portsByProtocol } from '../policy/policy-common';
import { Port } from '../policy/port';
import { EntityRule, PolicyType, Rule, RuleAction } from '../policy/rule';
import { ITier, Tier, TierDefaultAction } from '../policy/tier';
import { resolveTier } from '../policy/tier-resolution';
import { checkCidr, checkDnsLabel, checkDnsSubdomain, describeConstruct } from '../policy/validation';
import { Selector } from '../selector';

/**
 * Pods of one namespace that the baseline trusts (the metrics collector, the cluster DNS),
 * picked by their namespace and, within it, by service account and/or pod labels.
 *
 * The namespace is required: a pod selector on its own would trust any pod of any namespace
 * that carries the labels, and whoever deploys a pod chooses its labels. Prefer the service
 * account, which Calico matches by name.
 */
export interface WorkloadSelection {
  /** The namespace of the pods. No development team may own it (`DevTeamNamespace` refuses it). */
  readonly namespace: string;

  /**
   * The pods' labels within the namespace.
   *
   * @default - every pod of the namespace (narrowed by `serviceAccount`, if given)
   */
  readonly selector?: Selector;

  /**
   * The service account the pods run as.
   *
   * @default - any service account of the namespace
   */
  readonly serviceAccount?: string;
}

/**
 * The networks of the cluster: the operator's input, read from the cluster (Calico IP pools,
 * the API server's `--service-cluster-ip-range`, the nodes' subnets). The baseline denies
 * workload pods every address outside them. List the networks of both IP families in a
 * dual-stack cluster; in a single-stack cluster, every address of the other family is outside.
 */
export interface ClusterNetworks {
  /** The pod networks (the Calico IP pools), e.g. `['10.244.0.0/16', 'fd00:10:244::/56']`. */
  readonly podCidrs: string[];

  /** The service (ClusterIP) networks, e.g. `['10.96.0.0/12', 'fd00:10:96::/112']`. */
  readonly serviceCidrs: string[];

  /**
   * The node networks, with the control plane's addresses if pods call the Kubernetes API
   * (after kube-proxy translated the `kubernetes` service address, Calico sees the API server's
   * own address), e.g. `['172.16.0.0/24']`.
   */
  readonly nodeCidrs: string[];
}

/** The orders of the baseline policies within their tier (lower orders apply first). */
export interface BaselineOrders {
  /**
   * `approved-egress-<name>`: every approval, before the denies.
   *
   * @default 700
   */
  readonly egressApprovals?: number;

  /**
   * `global-deny-link-local-egress`.
   *
   * @default 800
   */
  readonly denyLinkLocal?: number;

  /**
   * `global-deny-node-ports`.
   *
   * @default 810
   */
  readonly denyNodePorts?: number;

  /**
   * `global-allow-metric-collector`.
   *
   * @default 900
   */
  readonly metricsCollector?: number;

  /**
   * `global-limit-cluster-egress` (with `clusterEgressSelector`).
   *
   * @default 901
   */
  readonly clusterEgress?: number;

  /**
   * `global-allow-egress-dns-pods`.
   *
   * @default 2000
   */
  readonly dns?: number;

  /**
   * `global-deny-external-egress`, after every allowance of the baseline.
   *
   * @default 2100
   */
  readonly denyExternalEgress?: number;

  /**
   * `global-pass-to-next-tier`, which must come after every other policy of the tier.
   *
   * @default 10000
   */
  readonly passToNextTier?: number;
}

/** Properties of `BaselineGlobalPolicies`. */
export interface BaselineGlobalPoliciesProps {
  /**
   * The cluster's pod, service and node networks (required: there is no safe guess). Workload
   * pods may not reach any other address unless the security team approves it.
   */
  readonly clusterNetworks: ClusterNetworks;

  /**
   * The security team, whose tier the policies go into (unless `tier` is given).
   *
   * @default - none
   */
  readonly securityTeam?: SecurityTeam;

  /**
   * The tier of the policies: a `Tier` construct, `Tier.fromName('platform')` or `Tier.DEFAULT`.
   * In the `default` tier a team that may write Calico policies there can pre-empt the denies
   * with a policy of a lower order; prefer the security team's tier.
   *
   * @default - the security team's tier, else Tier.DEFAULT
   */
  readonly tier?: ITier;

  /**
   * The TCP port that workloads serve metrics on.
   *
   * @default 9898
   */
  readonly metricsPort?: number;

  /**
   * The metrics collector: it may connect to `metricsPort` of every pod.
   *
   * @default - pods `app == "metrics-collector"` in namespace `monitoring`
   */
  readonly metricsCollector?: WorkloadSelection;

  /**
   * The cluster DNS that every pod may query (UDP and TCP 53).
   *
   * @default - pods `k8s-app == "kube-dns"` in namespace `kube-system`
   */
  readonly dns?: WorkloadSelection;

  /**
   * Deny workload pods, in this tier (so no team can allow it), every destination outside the
   * cluster networks, in IPv4 and IPv6, unless the security team approved it (`allowEgress()`).
   * Turning it off hands the decision to each team, whose members can then open the internet
   * for their own pods.
   *
   * @default true
   */
  readonly denyExternalEgress?: boolean;

  /**
   * Ports of the nodes that workload pods may not reach on the node networks (node agents and
   * control-plane components), unless approved. An empty list denies none.
   *
   * @default - TCP 10250 and 10255 (kubelet), 2379-2380 (etcd), 10257 (controller manager),
   *   10259 (scheduler), 10249 and 10256 (kube-proxy)
   */
  readonly protectedNodePorts?: Port[];

  /**
   * Egress approvals (see `allowEgress()`).
   *
   * @default - none
   */
  readonly egressApprovals?: EgressApproval[];

  /**
   * **Unsafe opt-in: the shift-left blog's pod-label egress.** Pods whose labels match may reach
   * everything outside the cluster (except link-local addresses and protected node ports).
   *
   * WARNING: whoever deploys a pod chooses its labels, so every team that can create pods can
   * give any of them the internet. Approve service accounts or namespaces with `allowEgress()`
   * instead. The blog used `Selector.label('cluster-egress').eq('allowed')`.
   *
   * @default - none: pod labels grant nothing
   */
  readonly clusterEgressSelector?: Selector;

  /**
   * Namespaces the policies leave alone (`namespaceSelector:
   * has(projectcalico.org/name) && projectcalico.org/name not in {…}`). No development team may
   * own one of them.
   *
   * @default ['kube-system', 'calico-system', 'calico-apiserver', 'tigera-operator']
   */
  readonly excludedNamespaces?: string[];

  /**
   * Apply the policies to every namespace, system namespaces included (no namespace selector).
   * With `denyExternalEgress`, system components that talk to the outside (the DNS's upstream
   * resolvers, cloud controllers, image pulls by in-cluster registries) then need approvals.
   *
   * @default false
   */
  readonly includeSystemNamespaces?: boolean;

  /**
   * Add `global-default-deny` in the `default` tier: a policy without rules that selects every
   * pod of the covered namespaces for ingress and egress, so that Calico drops at the end of the
   * `default` tier what nothing allowed. In the `default` tier the baseline policies already
   * select every pod, so there the default deny is implied and cannot be turned off.
   *
   * @default - true in the default tier, false in other tiers
   */
  readonly defaultDeny?: boolean;

  /**
   * End the tier with `global-pass-to-next-tier`, a policy that passes everything not decided so
   * far to the next tier (where the development teams' policies decide). Needed in a tier other
   * than `default` unless the tier's default action is Pass.
   *
   * @default - true in a tier other than default, unless it is a Tier construct with defaultAction Pass
   */
  readonly endWithPass?: boolean;

  /**
   * The policy orders.
   *
   * @default - 700, 800, 810, 900, 901, 2000, 2100 and 10000
   */
  readonly orders?: BaselineOrders;
}

/** The props that earlier versions had, with what replaced them. */
const RETIRED_PROPS: { readonly [prop: string]: string } = {
  podCidrs: 'the pod networks moved to clusterNetworks.podCidrs, which is required (there is no default any more)',
  nodeCidrs: 'the node networks moved to clusterNetworks.nodeCidrs, which is required (there is no default any more)',
  denyUnlabelledClusterEgress: 'external egress is denied by default now (denyExternalEgress); approve identities with allowEgress()',
};

/**
 * The security team's cluster-wide baseline (the shift-left blog's policies, made to hold):
 *
 * - `approved-egress-<name>` (order 700): the egress approvals of `allowEgress()`, which pass the
 *   approved flows on to the teams' tier;
 * - `global-deny-link-local-egress` (800): no workload pod reaches `169.254.0.0/16`, `fe80::/10`
 *   or `fd00:ec2::254/128` (cloud metadata services) unless approved;
 * - `global-deny-node-ports` (810): no workload pod reaches the kubelet, etcd and the other
 *   `protectedNodePorts` on the node networks unless approved;
 * - `global-allow-metric-collector` (900): the metrics collector may connect to TCP
 *   `metricsPort` of every pod, and pods may send to the collector's `metricsPort` (never "any
 *   destination on 9898"); replies need no rule, Calico is stateful;
 * - `global-limit-cluster-egress` (901), only with the unsafe `clusterEgressSelector` opt-in;
 * - `global-allow-egress-dns-pods` (2000): every pod may query the cluster DNS over UDP and
 *   TCP 53 (large answers and zone transfers use TCP);
 * - `global-deny-external-egress` (2100): no workload pod reaches any address outside the
 *   cluster networks, IPv4 and IPv6 (`denyExternalEgress`, on by default);
 * - in a tier other than `default`, `global-pass-to-next-tier`, so that the development teams'
 *   policies in the `default` tier still decide everything the baseline does not;
 * - optionally `global-default-deny` (in the `default` tier).
 *
 * Deny rules in a tier before `default` are final: no team policy can allow what they deny.
 * All policies leave the excluded (system) namespaces alone. In a tier other than `default`
 * the names get the tier prefix (`security.global-allow-metric-collector`).
 *
 * @example
 * const baseline = new BaselineGlobalPolicies(chart, 'baseline', {
 *   securityTeam,
 *   clusterNetworks: { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'], nodeCidrs: ['172.16.0.0/24'] },
 * });
 * baseline.allowEgress({ name: 'psp', from: EgressSource.serviceAccount('payments', 'psp-client'), to: ['203.0.113.0/24'], ports: [Port.tcp(443)] });
 */
export class BaselineGlobalPolicies extends Construct {
  /**
   * The link-local networks the baseline always denies unless approved: IPv4 link-local (cloud
   * metadata at 169.254.169.254), IPv6 link-local, and AWS's IPv6 metadata address.
   */
  public static readonly LINK_LOCAL_CIDRS: string[] = Object.freeze(['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::254/128']) as string[];

  /** The tier name of the baseline policies. */
  public readonly tierName: string;

  /** The namespace selector of the policies (undefined with `includeSystemNamespaces`). */
  public readonly namespaceSelector?: Selector;

  /** The cluster networks, as given. */
  public readonly clusterNetworks: ClusterNetworks;

  /** The policy orders, defaults filled in. */
  public readonly orders: BaselineOrders;

  /** The namespaces the policies leave alone (empty with `includeSystemNamespaces`). */
  public readonly excludedNamespaces: string[];

  /** The namespaces of the workloads the baseline trusts: the metrics collector's and the DNS's. */
  public readonly trustedNamespaces: string[];

  /** `global-allow-metric-collector`. */
  public readonly metricsCollectorPolicy: GlobalNetworkPolicy;

  /** `global-deny-link-local-egress`. */
  public readonly linkLocalPolicy: GlobalNetworkPolicy;

  /** `global-deny-node-ports`, unless `protectedNodePorts` is empty. */
  public readonly nodePortsPolicy?: GlobalNetworkPolicy;

  /** `global-limit-cluster-egress`, only with the `clusterEgressSelector` opt-in. */
  public readonly clusterEgressPolicy?: GlobalNetworkPolicy;

  /** `global-deny-external-egress`, unless `denyExternalEgress` is false. */
  public readonly externalEgressPolicy?: GlobalNetworkPolicy;

  /** `global-allow-egress-dns-pods`. */
  public readonly dnsPolicy: GlobalNetworkPolicy;

  /** `global-pass-to-next-tier`, when the tier ends with a Pass policy. */
  public readonly passPolicy?: GlobalNetworkPolicy;

  /** `global-default-deny` (in the `default` tier), with `defaultDeny`. */
  public readonly defaultDenyPolicy?: GlobalNetworkPolicy;

  private readonly owner: string;
  private readonly tier: ITier;
  private readonly resolvedOrders: Required<BaselineOrders>;
  private readonly networks: { readonly inside: Cidr[]; readonly sensitive: Cidr[]; readonly text: Map<Cidr, string> };
  private readonly approvals = new Map<string, GlobalNetworkPolicy>();

  constructor(scope: Construct, id: string, props: BaselineGlobalPoliciesProps) {
    super(scope, id);
    this.owner = describeConstruct('BaselineGlobalPolicies', this);
    if (props === null || typeof props !== 'object') {
      fail(this.owner, '', 'props are required: at least { clusterNetworks: { podCidrs, serviceCidrs, nodeCidrs } }');
    }
    for (const [prop, replacement] of Object.entries(RETIRED_PROPS)) {
      if ((props as any)[prop] !== undefined) {
        fail(this.owner, prop, replacement);
      }
    }
    if (props.securityTeam !== undefined && !(props.securityTeam instanceof SecurityTeam)) {
      fail(this.owner, 'securityTeam', 'must be a SecurityTeam construct');
    }
    this.tier = resolveTier(this.owner, 'tier', props.tier ?? props.securityTeam?.tier);
    this.tierName = this.tier.tierName;
    const inDefaultTier = this.tierName === DEFAULT_TIER;
    this.resolvedOrders = this.checkOrders(props.orders ?? {});
    this.orders = { ...this.resolvedOrders };
    this.clusterNetworks = this.checkClusterNetworks(props.clusterNetworks);
    this.networks = this.classifyNetworks(this.clusterNetworks);
    const metricsPort = props.metricsPort ?? 9898;
    const portProblem = portNumberProblem(metricsPort);
    if (portProblem !== undefined) {
      fail(this.owner, 'metricsPort', portProblem);
    }
    const collector = this.checkWorkload('metricsCollector', props.metricsCollector ?? {
      selector: Selector.label('app').eq('metrics-collector'),
      namespace: 'monitoring',
    });
    const dns = this.checkWorkload('dns', props.dns ?? { selector: Selector.label('k8s-app').eq('kube-dns'), namespace: 'kube-system' });
    this.trustedNamespaces = [...new Set([collector.namespace, dns.namespace])];
    const clusterEgress = props.clusterEgressSelector;
    if (clusterEgress !== undefined && !(clusterEgress instanceof Selector)) {
      fail(this.owner, 'clusterEgressSelector', `${describeValue(clusterEgress)} is not a Selector; e.g. Selector.label("cluster-egress").eq("allowed") (unsafe: see its documentation)`);
    }
    const protectedPorts = this.checkProtectedPorts(props.protectedNodePorts);
    this.excludedNamespaces = [];
    this.namespaceSelector = this.scopeSelector(props);

    const defaultDeny = props.defaultDeny ?? inDefaultTier;
    if (inDefaultTier && props.defaultDeny === false) {
      fail(
        this.owner,
        'defaultDeny',
        'in the default tier the baseline policies select every pod, so Calico drops whatever they and the teams do not allow: ' +
          'the default deny is implied; put the baseline in a tier of its own (e.g. the security team\'s) to leave it out',
      );
    }
    const tierPasses = this.tier.defaultAction === TierDefaultAction.PASS;
    const endWithPass = props.endWithPass ?? (!inDefaultTier && !tierPasses);
    if (inDefaultTier && props.endWithPass) {
      fail(
        this.owner,
        'endWithPass',
        'a Pass at the end of the default tier would let through everything the teams\' policies do not allow; leave endWithPass out in the default tier',
      );
    }

    const common = { tier: this.tier, namespaceSelector: this.namespaceSelector };
    const orders = this.resolvedOrders;

    this.linkLocalPolicy = new GlobalNetworkPolicy(this, 'DenyLinkLocal', {
      ...common,
      metadata: { name: 'global-deny-link-local-egress' },
      order: orders.denyLinkLocal,
      types: [PolicyType.EGRESS],
      egress: byFamily(BaselineGlobalPolicies.LINK_LOCAL_CIDRS).map((nets) => ({ action: RuleAction.DENY, destination: { nets } })),
    });

    const nodeNets = byFamily(this.clusterNetworks.nodeCidrs);
    if (protectedPorts.length > 0) {
      this.nodePortsPolicy = new GlobalNetworkPolicy(this, 'DenyNodePorts', {
        ...common,
        metadata: { name: 'global-deny-node-ports' },
        order: orders.denyNodePorts,
        types: [PolicyType.EGRESS],
        egress: nodeNets.flatMap((nets) => portsByProtocol(protectedPorts).map((group) => ({
          action: RuleAction.DENY,
          protocol: group.protocol,
          destination: { nets, ports: group.ports },
        }))),
      });
    }

    this.metricsCollectorPolicy = new GlobalNetworkPolicy(this, 'MetricsCollector', {
      ...common,
      metadata: { name: 'global-allow-metric-collector' },
      order: orders.metricsCollector,
      types: [PolicyType.INGRESS, PolicyType.EGRESS],
      ingress: [{
        action: RuleAction.ALLOW,
        source: this.workloadEntity(collector),
        destination: { ports: [Port.tcp(metricsPort)] },
      }, {
        action: RuleAction.ALLOW,
        source: { namespaceSelector: this.namespaceSelector ?? Selector.all() },
        destination: { ...this.workloadEntity(collector), ports: [Port.tcp(metricsPort)] },
      }],
      egress: [{
        action: RuleAction.ALLOW,
        source: this.workloadEntity(collector),
        destination: { namespaceSelector: this.namespaceSelector ?? Selector.all(), ports: [Port.tcp(metricsPort)] },
      }, {
        action: RuleAction.ALLOW,
        destination: { ...this.workloadEntity(collector), ports: [Port.tcp(metricsPort)] },
      }],
    });

    if (clusterEgress !== undefined) {
      this.clusterEgressPolicy = new GlobalNetworkPolicy(this, 'ClusterEgress', {
        ...common,
        metadata: { name: 'global-limit-cluster-egress' },
        order: orders.clusterEgress,
        selector: clusterEgress,
        types: [PolicyType.EGRESS],
        egress: this.outsideRules(this.approvalAction),
      });
    }

    const dnsDestination = (port: Port): EntityRule => ({ ...this.workloadEntity(dns), ports: [port] });
    this.dnsPolicy = new GlobalNetworkPolicy(this, 'Dns', {
      ...common,
      metadata: { name: 'global-allow-egress-dns-pods' },
      order: orders.dns,
      types: [PolicyType.EGRESS],
      egress: [
        { action: RuleAction.ALLOW, destination: dnsDestination(Port.udp(53)) },
        { action: RuleAction.ALLOW, destination: dnsDestination(Port.tcp(53)) },
      ],
    });

    if (props.denyExternalEgress ?? true) {
      this.externalEgressPolicy = new GlobalNetworkPolicy(this, 'DenyExternalEgress', {
        ...common,
        metadata: { name: 'global-deny-external-egress' },
        order: orders.denyExternalEgress,
        types: [PolicyType.EGRESS],
        egress: this.outsideRules(RuleAction.DENY),
      });
    }

    if (endWithPass) {
      this.passPolicy = new GlobalNetworkPolicy(this, 'PassToNextTier', {
        ...common,
        metadata: { name: 'global-pass-to-next-tier' },
        order: orders.passToNextTier,
        types: [PolicyType.INGRESS, PolicyType.EGRESS],
        ingress: [{ action: RuleAction.PASS }],
        egress: [{ action: RuleAction.PASS }],
      });
    }

    if (defaultDeny) {
      this.defaultDenyPolicy = new GlobalNetworkPolicy(this, 'DefaultDeny', {
        tier: Tier.DEFAULT,
        namespaceSelector: this.namespaceSelector,
        metadata: { name: 'global-default-deny' },
        types: [PolicyType.INGRESS, PolicyType.EGRESS],
      });
    }

    if (props.egressApprovals !== undefined) {
      if (!Array.isArray(props.egressApprovals)) {
        fail(this.owner, 'egressApprovals', 'must be a list of approvals { name, from, to, ports }');
      }
      props.egressApprovals.forEach((approval, i) => this.approve(approval, `egressApprovals[${i}]`));
    }
  }

  /** The egress approval policies, in the order they were added. */
  public get approvalPolicies(): GlobalNetworkPolicy[] {
    return [...this.approvals.values()];
  }

  /**
   * Approves egress for an identity tenants cannot set (a service account or a namespace, by
   * name) to destinations outside the cluster: a policy `approved-egress-<name>` that passes
   * the approved flows on to the teams' tier (where the team's own egress policy, if any, must
   * allow them too), ahead of the baseline's denies.
   *
   * Broad destinations (`0.0.0.0/0`) leave out the link-local networks and the node networks;
   * name a network inside them to approve it. A destination list of one IP family approves
   * nothing in the other.
   *
   * @param approval who, where, which ports
   * @returns the approval's policy
   */
  public allowEgress(approval: EgressApproval): GlobalNetworkPolicy {
    return this.approve(approval, 'allowEgress()');
  }

  private approve(approval: EgressApproval, field: string): GlobalNetworkPolicy {
    if (approval === null || typeof approval !== 'object') {
      fail(this.owner, field, 'expects { name, from, to?, toNetworkSets?, ports }');
    }
    checkDnsLabel(this.owner, `${field}.name`, approval.name, 'approval name');
    const name = approval.name;
    if (this.approvals.has(name)) {
      fail(this.owner, `${field}.name`, `the approval "${name}" exists already; give each approval its own name`);
    }
    checkEgressSource(this.owner, `${field}.from`, approval.from);
    const source = approval.from;
    if (source.namespaceName !== undefined && this.excludedNamespaces.includes(source.namespaceName)) {
      fail(
        this.owner,
        `${field}.from`,
        `namespace ${source.namespaceName} is excluded from the baseline (excludedNamespaces), so its egress is not restricted and there is nothing to approve`,
      );
    }
    const rules = [
      ...this.approvedNetworkRules(approval.to, `${field}.to`),
      ...this.approvedSetRules(approval.toNetworkSets, `${field}.toNetworkSets`),
    ];
    if (rules.length === 0) {
      fail(this.owner, field, 'give the destinations: to (networks such as "203.0.113.0/24") and/or toNetworkSets (GlobalNetworkSets)');
    }
    const ports = this.checkApprovalPorts(approval.ports, `${field}.ports`);
    const egress: Rule[] = rules.flatMap((destination) => portsByProtocol(ports).map((group) => ({
      action: this.approvalAction,
      protocol: group.protocol,
      destination: { ...destination, ports: group.ports },
    })));
    const policy = new GlobalNetworkPolicy(this, `Approval-${name}`, {
      tier: this.tier,
      namespaceSelector: source.namespaceSelector ?? this.namespaceSelector,
      serviceAccountSelector: source.serviceAccountSelector,
      metadata: { name: `approved-egress-${name}` },
      order: this.resolvedOrders.egressApprovals,
      types: [PolicyType.EGRESS],
      egress,
    });
    this.approvals.set(name, policy);
    return policy;
  }

  /**
   * Pass in a tier before `default`, so that the teams' policies still decide; Allow in the
   * `default` tier, where a Pass would skip the teams' policies of the same tier.
   */
  // Calico: felix/rules/endpoints.go (a Pass sets the pass mark: the rest of the tier is skipped and the end-of-tier drop spares the packet)
  private get approvalAction(): RuleAction {
    return this.tierName === DEFAULT_TIER ? RuleAction.ALLOW : RuleAction.PASS;
  }

  /** Rule destinations for approved networks: broad ones without the sensitive networks, explicit ones as they are. */
  private approvedNetworkRules(to: string[] | undefined, field: string): EntityRule[] {
    if (to === undefined) {
      return [];
    }
    if (!Array.isArray(to)) {
      fail(this.owner, field, 'must be a list of networks such as ["203.0.113.0/24"]');
    }
    const parsed = to.map((text, i) => {
      const cidr = checkCidr(this.owner, `${field}[${i}]`, text, true);
      const inside = this.networks.inside.find((net) => cidrContainsCidr(net, cidr));
      if (inside !== undefined) {
        fail(
          this.owner,
          `${field}[${i}]`,
          `"${text}" is inside the cluster network ${this.networks.text.get(inside)}; traffic inside the cluster is the teams' decision, approvals are for destinations outside it`,
        );
      }
      return { text, cidr };
    });
    const rules: EntityRule[] = [];
    for (const version of [4, 6]) {
      const family = parsed.filter((p) => p.cidr.version === version);
      const explicit = family.filter((p) => this.networks.sensitive.some((s) => cidrContainsCidr(s, p.cidr)));
      const broad = family.filter((p) => !explicit.includes(p));
      if (broad.length > 0) {
        // In-cluster destinations are the teams' decision and stay out of approvals; sensitive ones need an explicit approval.
        const notNets = [...this.networks.inside, ...this.networks.sensitive]
          .filter((s) => broad.some((p) => cidrContainsCidr(p.cidr, s)))
          .map((s) => this.networks.text.get(s)!);
        rules.push({ nets: unique(broad.map((p) => p.text)), notNets: notNets.length > 0 ? unique(notNets) : undefined });
      }
      if (explicit.length > 0) {
        rules.push({ nets: unique(explicit.map((p) => p.text)) });
      }
    }
    return rules;
  }

  /** Rule destinations for approved global network sets: one per IP family, without the sensitive networks. */
  private approvedSetRules(sets: NetworkSetBase[] | undefined, field: string): EntityRule[] {
    if (sets === undefined) {
      return [];
    }
    if (!Array.isArray(sets)) {
      fail(this.owner, field, 'must be a list of GlobalNetworkSet constructs');
    }
    return sets.flatMap((set, i) => {
      if (!(set instanceof GlobalNetworkSet)) {
        fail(
          this.owner,
          `${field}[${i}]`,
          `${set?.node?.path ?? describeValue(set)} is not a GlobalNetworkSet; a namespaced NetworkSet can be changed by whoever may write network sets in its namespace`,
        );
      }
      let entities: EntityRule[];
      try {
        entities = Peer.networkSet(set).toCalicoEntityRules({});
      } catch (e) {
        return fail(this.owner, `${field}[${i}]`, (e as Error).message);
      }
      // A rule whose notNets are all of one family is dropped for the other family, so each family gets its own rule.
      // Calico: felix/rules/policy.go FilterRuleToIPVersion
      return entities.flatMap((entity) => [4, 6].map((version) => ({
        ...entity,
        notNets: unique([...this.networks.inside, ...this.networks.sensitive]
          .filter((s) => s.version === version)
          .map((s) => this.networks.text.get(s)!)),
      })));
    });
  }

  private checkApprovalPorts(ports: Port[], field: string): Port[] {
    if (ports === undefined || (Array.isArray(ports) && ports.length === 0)) {
      fail(this.owner, field, 'list the approved ports, e.g. [Port.tcp(443)]; an approval covers the ports it names only');
    }
    const list = withTcpDefault(checkPortList(this.owner, field, ports));
    list.forEach((port, i) => {
      if (port.isNamed) {
        fail(this.owner, `${field}[${i}]`, `named port "${port.portName}" names a port of a pod; give the port number of the destination outside the cluster`);
      }
    });
    return list;
  }

  /**
   * One rule per IP family: `action` for destinations outside the cluster networks that are no
   * pod (pods carry `projectcalico.org/orchestrator == "k8s"`, whatever their address). A family
   * without cluster networks is outside altogether. Calico ignores a rule whose `notNets` is a
   * whole family, so that case is written as `nets`.
   */
  // Calico: felix/rules/policy.go FilterRuleToIPVersion, filterNets (negated catch-all CIDRs drop the rule)
  private outsideRules(action: RuleAction): Rule[] {
    const pods = Selector.label(LABEL_ORCHESTRATOR).eq(ORCHESTRATOR_K8S);
    const inside = byFamily([...this.clusterNetworks.podCidrs, ...this.clusterNetworks.serviceCidrs, ...this.clusterNetworks.nodeCidrs]);
    return [4, 6].map((version) => {
      const nets = inside.find((list) => parseCidrVersion(list[0]) === version);
      const destination: EntityRule = nets === undefined
        ? { nets: [version === 4 ? '0.0.0.0/0' : '::/0'], notSelector: pods }
        : { notNets: nets, notSelector: pods };
      return { action, destination };
    });
  }

  private checkOrders(orders: BaselineOrders): Required<BaselineOrders> {
    if (orders === null || typeof orders !== 'object') {
      fail(this.owner, 'orders', 'must be an object such as { dns: 2000 }');
    }
    if ((orders as any).denyUnlabelledClusterEgress !== undefined) {
      fail(this.owner, 'orders.denyUnlabelledClusterEgress', 'the policy is global-deny-external-egress now; use orders.denyExternalEgress');
    }
    const result: Required<BaselineOrders> = {
      egressApprovals: orders.egressApprovals ?? 700,
      denyLinkLocal: orders.denyLinkLocal ?? 800,
      denyNodePorts: orders.denyNodePorts ?? 810,
      metricsCollector: orders.metricsCollector ?? 900,
      clusterEgress: orders.clusterEgress ?? 901,
      dns: orders.dns ?? 2000,
      denyExternalEgress: orders.denyExternalEgress ?? 2100,
      passToNextTier: orders.passToNextTier ?? 10000,
    };
    for (const [key, value] of Object.entries(result)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        fail(this.owner, `orders.${key}`, `${describeValue(value)} is not an order; use a finite number`);
      }
    }
    const before = (first: keyof BaselineOrders, second: keyof BaselineOrders, why: string): void => {
      if (!(result[first] < result[second])) {
        fail(this.owner, `orders.${first}`, `${result[first]} does not come before orders.${second} (${result[second]}): ${why}`);
      }
    };
    before('egressApprovals', 'denyLinkLocal', 'approvals must be decided before the denies');
    before('egressApprovals', 'denyNodePorts', 'approvals must be decided before the denies');
    before('egressApprovals', 'denyExternalEgress', 'approvals must be decided before the denies');
    before('denyLinkLocal', 'clusterEgress', 'labelled pods must not reach link-local addresses');
    before('denyNodePorts', 'clusterEgress', 'labelled pods must not reach protected node ports');
    before('clusterEgress', 'denyExternalEgress', 'the pod-label opt-in must come before the deny it exempts from');
    const others = Object.entries(result).filter(([key]) => key !== 'passToNextTier').map(([, value]) => value);
    if (others.some((order) => order >= result.passToNextTier)) {
      fail(
        this.owner,
        'orders.passToNextTier',
        `${result.passToNextTier} does not come after the other baseline policies (${others.join(', ')}); the Pass policy must be last in the tier`,
      );
    }
    return result;
  }

  private checkClusterNetworks(networks: ClusterNetworks): ClusterNetworks {
    const field = 'clusterNetworks';
    if (networks === undefined || networks === null || typeof networks !== 'object') {
      fail(
        this.owner,
        field,
        'is required: the cluster\'s pod, service and node networks, e.g. { podCidrs: ["10.244.0.0/16"], serviceCidrs: ["10.96.0.0/12"], nodeCidrs: ["172.16.0.0/24"] } ' +
          '(read them from the Calico IP pools, the API server\'s --service-cluster-ip-range and the nodes\' subnets); workload pods may reach no other address',
      );
    }
    const examples: { [key: string]: string } = { podCidrs: '"10.244.0.0/16"', serviceCidrs: '"10.96.0.0/12"', nodeCidrs: '"172.16.0.0/24"' };
    const check = (key: 'podCidrs' | 'serviceCidrs' | 'nodeCidrs'): string[] => {
      const list = networks[key];
      if (!Array.isArray(list) || list.length === 0) {
        fail(this.owner, `${field}.${key}`, `is required: list the cluster's networks of this kind, e.g. [${examples[key]}]`);
      }
      list.forEach((cidr, i) => {
        const parsed = checkCidr(this.owner, `${field}.${key}[${i}]`, cidr, true);
        if (parsed.prefix === 0) {
          fail(this.owner, `${field}.${key}[${i}]`, `"${cidr}" is every address of its family, so nothing would be outside the cluster; give the cluster's own networks`);
        }
      });
      return [...list];
    };
    return { podCidrs: check('podCidrs'), serviceCidrs: check('serviceCidrs'), nodeCidrs: check('nodeCidrs') };
  }

  private classifyNetworks(networks: ClusterNetworks): { inside: Cidr[]; sensitive: Cidr[]; text: Map<Cidr, string> } {
    const text = new Map<Cidr, string>();
    const parse = (cidr: string): Cidr => {
      const parsed = parseCidr(cidr) as Cidr;
      text.set(parsed, cidr);
      return parsed;
    };
    return {
      inside: [...networks.podCidrs, ...networks.serviceCidrs].map(parse),
      sensitive: [...BaselineGlobalPolicies.LINK_LOCAL_CIDRS, ...networks.nodeCidrs].map(parse),
      text,
    };
  }

  private checkProtectedPorts(ports: Port[] | undefined): Port[] {
    if (ports === undefined) {
      return [
        Port.tcp(10250), Port.tcp(10255), Port.tcpRange(2379, 2380), Port.tcp(10257), Port.tcp(10259), Port.tcp(10249), Port.tcp(10256),
      ];
    }
    const list = withTcpDefault(checkPortList(this.owner, 'protectedNodePorts', ports));
    list.forEach((port, i) => {
      if (port.isNamed) {
        fail(this.owner, `protectedNodePorts[${i}]`, `named port "${port.portName}" names a port of a pod; give the node's port number`);
      }
    });
    return list;
  }

  private checkWorkload(field: string, workload: WorkloadSelection): WorkloadSelection {
    if (workload === null || typeof workload !== 'object') {
      fail(this.owner, field, 'expects { namespace: string, selector?: Selector, serviceAccount?: string }');
    }
    if (workload.namespace === undefined) {
      fail(
        this.owner,
        `${field}.namespace`,
        'is required: without it any pod of any namespace carrying the labels would be trusted, and whoever deploys a pod chooses its labels',
      );
    }
    checkDnsLabel(this.owner, `${field}.namespace`, workload.namespace, 'namespace');
    if (workload.selector !== undefined && !(workload.selector instanceof Selector)) {
      fail(this.owner, `${field}.selector`, `${describeValue(workload.selector)} is not a Selector; build one with Selector.label('app').eq('metrics-collector')`);
    }
    if (workload.serviceAccount !== undefined) {
      checkDnsSubdomain(this.owner, `${field}.serviceAccount`, workload.serviceAccount, 'service account name');
    }
    return workload;
  }

  private scopeSelector(props: BaselineGlobalPoliciesProps): Selector | undefined {
    if (props.includeSystemNamespaces) {
      if (props.excludedNamespaces !== undefined) {
        fail(this.owner, 'excludedNamespaces', 'includeSystemNamespaces covers every namespace; give one of the two');
      }
      return undefined;
    }
    const excluded = props.excludedNamespaces ?? [...SYSTEM_NAMESPACES];
    if (!Array.isArray(excluded) || excluded.length === 0) {
      fail(this.owner, 'excludedNamespaces', 'list at least one namespace, or set includeSystemNamespaces to cover every namespace');
    }
    excluded.forEach((ns, i) => checkDnsLabel(this.owner, `excludedNamespaces[${i}]`, ns, 'namespace'));
    this.excludedNamespaces.push(...excluded);
    return Selector.has(LABEL_NAME).and(Selector.label(LABEL_NAME).notIn(excluded));
  }

  private workloadEntity(workload: WorkloadSelection): EntityRule {
    return {
      selector: workload.selector,
      namespaceSelector: namespaceNameSelector([workload.namespace]),
      serviceAccounts: workload.serviceAccount === undefined ? undefined : { names: [workload.serviceAccount] },
    };
  }
}

/** The networks grouped by IP family (IPv4 first), leaving out an empty family. */
function byFamily(cidrs: readonly string[]): string[][] {
  const v4 = cidrs.filter((cidr) => parseCidrVersion(cidr) === 4);
  const v6 = cidrs.filter((cidr) => parseCidrVersion(cidr) === 6);
  return [unique(v4), unique(v6)].filter((nets) => nets.length > 0);
}

function parseCidrVersion(cidr: string): number {
  return (parseCidr(cidr) as Cidr).version;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

function checkEgressSource(owner: string, field: string, source: EgressSource): void {
  if (!(source instanceof EgressSource)) {
    fail(owner, field, `${describeValue(source)} is not an EgressSource; use EgressSource.serviceAccount('ns', 'sa'), EgressSource.namespace('ns') or EgressSource.allWorkloads()`);
  }
}
