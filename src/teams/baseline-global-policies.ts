import { Construct } from 'constructs';
import { SecurityTeam } from './security-team';
import { SYSTEM_NAMESPACES } from './system-namespaces';
import { DEFAULT_TIER, LABEL_NAME, LABEL_ORCHESTRATOR, ORCHESTRATOR_K8S } from '../core/calico';
import { fail } from '../core/errors';
import { portNumberProblem } from '../core/ports';
import { GlobalNetworkPolicy } from '../policy/global-network-policy';
import { namespaceNameSelector } from '../policy/peer-selectors';
import { Port } from '../policy/port';
import { EntityRule, PolicyType, Rule, RuleAction } from '../policy/rule';
import { ITier, Tier, TierDefaultAction } from '../policy/tier';
import { resolveTier } from '../policy/tier-resolution';
import { checkCidr, checkDnsLabel, describeConstruct } from '../policy/validation';
import { Selector } from '../selector';

/** Pods picked by a selector, optionally in one namespace. */
export interface WorkloadSelection {
  /** The pods' labels. */
  readonly selector: Selector;

  /**
   * The namespace of the pods.
   *
   * @default - any namespace
   */
  readonly namespace?: string;
}

/** The orders of the baseline policies within their tier (lower orders apply first). */
export interface BaselineOrders {
  /**
   * `global-allow-metric-collector`.
   *
   * @default 900
   */
  readonly metricsCollector?: number;

  /**
   * `global-limit-cluster-egress`.
   *
   * @default 901
   */
  readonly clusterEgress?: number;

  /**
   * `global-deny-unlabelled-cluster-egress` (with `denyUnlabelledClusterEgress`), after every
   * allowance of the baseline (DNS included).
   *
   * @default 2100
   */
  readonly denyUnlabelledClusterEgress?: number;

  /**
   * `global-allow-egress-dns-pods`.
   *
   * @default 2000
   */
  readonly dns?: number;

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
   * The security team, whose tier the policies go into (unless `tier` is given).
   *
   * @default - none
   */
  readonly securityTeam?: SecurityTeam;

  /**
   * The tier of the policies: a `Tier` construct, `Tier.fromName('platform')` or `Tier.DEFAULT`.
   * (A tier name given as a string is still accepted at run time, from JavaScript; deprecated.)
   *
   * @default - the security team's tier, else Tier.DEFAULT
   */
  readonly tier?: ITier;

  /**
   * The pod CIDRs (never reachable through the cluster-egress allowance).
   *
   * @default ['192.168.0.0/16']
   */
  readonly podCidrs?: string[];

  /**
   * The node CIDRs (never reachable through the cluster-egress allowance).
   *
   * @default ['172.16.0.0/24']
   */
  readonly nodeCidrs?: string[];

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
   * The pods allowed to leave the cluster (every destination except the pod and node CIDRs).
   *
   * @default - pods `cluster-egress == "allowed"`
   */
  readonly clusterEgressSelector?: Selector;

  /**
   * Also deny every other pod any destination outside the pod and node CIDRs (in this tier, so
   * no team can allow it). Traffic to addresses outside those CIDRs that pods need, such as a
   * control plane outside the node CIDR, must then be allowed in this tier first.
   *
   * @default false
   */
  readonly denyUnlabelledClusterEgress?: boolean;

  /**
   * Namespaces the policies leave alone (`namespaceSelector:
   * has(projectcalico.org/name) && projectcalico.org/name not in {…}`).
   *
   * @default ['kube-system', 'calico-system', 'calico-apiserver', 'tigera-operator']
   */
  readonly excludedNamespaces?: string[];

  /**
   * Apply the policies to every namespace, system namespaces included (no namespace selector).
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
   * @default - 900, 901, 2000, 2100 and 10000
   */
  readonly orders?: BaselineOrders;
}

/**
 * The security team's cluster-wide baseline (the shift-left blog's policies, corrected):
 *
 * - `global-allow-metric-collector` (order 900): the metrics collector may connect to TCP
 *   `metricsPort` of every pod (ingress from the collector only, and the collector's own egress
 *   to that port of pods), and pods may send to the collector's `metricsPort` (egress only
 *   towards the collector, never "any destination on 9898", and the collector's ingress from the
 *   covered pods); replies need no rule, Calico is stateful;
 * - `global-limit-cluster-egress` (901): pods labelled `cluster-egress == "allowed"` may reach
 *   everything outside the cluster: not the pod and node CIDRs (`notNets`), and no pod
 *   (`notSelector: projectcalico.org/orchestrator == "k8s"`, whatever address it has);
 * - `global-allow-egress-dns-pods` (2000): every pod may query `k8s-app == "kube-dns"` in
 *   `kube-system` over UDP and TCP 53 (large answers and zone transfers use TCP);
 * - optionally `global-deny-unlabelled-cluster-egress` (2100: every other pod may not leave the
 *   cluster) and `global-default-deny` (in the `default` tier);
 * - in a tier other than `default`, `global-pass-to-next-tier`, so that the development teams'
 *   policies in the `default` tier still decide everything the baseline does not.
 *
 * All of them leave the system namespaces alone. In a tier other than `default` the names get
 * the tier prefix (`security.global-allow-metric-collector`).
 */
export class BaselineGlobalPolicies extends Construct {
  /** The tier name of the baseline policies. */
  public readonly tierName: string;

  /** The namespace selector of the policies (undefined with `includeSystemNamespaces`). */
  public readonly namespaceSelector?: Selector;

  /** `global-allow-metric-collector`. */
  public readonly metricsCollectorPolicy: GlobalNetworkPolicy;

  /** `global-limit-cluster-egress`. */
  public readonly clusterEgressPolicy: GlobalNetworkPolicy;

  /** `global-deny-unlabelled-cluster-egress`, with `denyUnlabelledClusterEgress`. */
  public readonly denyClusterEgressPolicy?: GlobalNetworkPolicy;

  /** `global-allow-egress-dns-pods`. */
  public readonly dnsPolicy: GlobalNetworkPolicy;

  /** `global-pass-to-next-tier`, when the tier ends with a Pass policy. */
  public readonly passPolicy?: GlobalNetworkPolicy;

  /** `global-default-deny` (in the `default` tier), with `defaultDeny`. */
  public readonly defaultDenyPolicy?: GlobalNetworkPolicy;

  private readonly owner: string;

  constructor(scope: Construct, id: string, props: BaselineGlobalPoliciesProps = {}) {
    super(scope, id);
    this.owner = describeConstruct('BaselineGlobalPolicies', this);
    if (props.securityTeam !== undefined && !(props.securityTeam instanceof SecurityTeam)) {
      fail(this.owner, 'securityTeam', 'must be a SecurityTeam construct');
    }
    const tier = resolveTier(this.owner, 'tier', props.tier ?? props.securityTeam?.tier);
    this.tierName = tier.tierName;
    const inDefaultTier = this.tierName === DEFAULT_TIER;
    const orders = this.checkOrders(props.orders ?? {});
    const podCidrs = this.checkCidrs('podCidrs', props.podCidrs ?? ['192.168.0.0/16']);
    const nodeCidrs = this.checkCidrs('nodeCidrs', props.nodeCidrs ?? ['172.16.0.0/24']);
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
    const clusterEgress = props.clusterEgressSelector ?? Selector.label('cluster-egress').eq('allowed');
    if (!(clusterEgress instanceof Selector)) {
      fail(this.owner, 'clusterEgressSelector', 'must be a Selector, e.g. Selector.label("cluster-egress").eq("allowed")');
    }
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
    const tierPasses = tier.defaultAction === TierDefaultAction.PASS;
    const endWithPass = props.endWithPass ?? (!inDefaultTier && !tierPasses);
    if (inDefaultTier && props.endWithPass) {
      fail(
        this.owner,
        'endWithPass',
        'a Pass at the end of the default tier would let through everything the teams\' policies do not allow; leave endWithPass out in the default tier',
      );
    }

    const common = { tier, namespaceSelector: this.namespaceSelector };

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

    const excluded = [...podCidrs, ...nodeCidrs];
    this.clusterEgressPolicy = new GlobalNetworkPolicy(this, 'ClusterEgress', {
      ...common,
      metadata: { name: 'global-limit-cluster-egress' },
      order: orders.clusterEgress,
      selector: clusterEgress,
      types: [PolicyType.EGRESS],
      egress: notNetsRules(RuleAction.ALLOW, excluded),
    });

    if (props.denyUnlabelledClusterEgress) {
      this.denyClusterEgressPolicy = new GlobalNetworkPolicy(this, 'DenyUnlabelledClusterEgress', {
        ...common,
        metadata: { name: 'global-deny-unlabelled-cluster-egress' },
        order: orders.denyUnlabelledClusterEgress,
        selector: clusterEgress.not(),
        types: [PolicyType.EGRESS],
        egress: notNetsRules(RuleAction.DENY, excluded),
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
  }

  private checkOrders(orders: BaselineOrders): Required<BaselineOrders> {
    const result: Required<BaselineOrders> = {
      metricsCollector: orders.metricsCollector ?? 900,
      clusterEgress: orders.clusterEgress ?? 901,
      denyUnlabelledClusterEgress: orders.denyUnlabelledClusterEgress ?? 2100,
      dns: orders.dns ?? 2000,
      passToNextTier: orders.passToNextTier ?? 10000,
    };
    for (const [key, value] of Object.entries(result)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        fail(this.owner, `orders.${key}`, `${JSON.stringify(value)} is not an order; use a finite number`);
      }
    }
    const others = [result.metricsCollector, result.clusterEgress, result.denyUnlabelledClusterEgress, result.dns];
    if (others.some((order) => order >= result.passToNextTier)) {
      fail(
        this.owner,
        'orders.passToNextTier',
        `${result.passToNextTier} does not come after the other baseline policies (${others.join(', ')}); the Pass policy must be last in the tier`,
      );
    }
    return result;
  }

  private checkCidrs(field: string, cidrs: string[]): string[] {
    if (!Array.isArray(cidrs) || cidrs.length === 0) {
      fail(this.owner, field, 'list at least one CIDR, e.g. ["10.0.0.0/16"]');
    }
    cidrs.forEach((cidr, i) => checkCidr(this.owner, `${field}[${i}]`, cidr, true));
    return [...cidrs];
  }

  private checkWorkload(field: string, workload: WorkloadSelection): WorkloadSelection {
    if (workload === null || typeof workload !== 'object' || !(workload.selector instanceof Selector)) {
      fail(this.owner, field, 'expects { selector: Selector, namespace?: string }');
    }
    if (workload.namespace !== undefined) {
      checkDnsLabel(this.owner, `${field}.namespace`, workload.namespace, 'namespace');
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
    return Selector.has(LABEL_NAME).and(Selector.label(LABEL_NAME).notIn(excluded));
  }

  private workloadEntity(workload: WorkloadSelection): EntityRule {
    return workload.namespace === undefined
      ? { selector: workload.selector, namespaceSelector: Selector.all() }
      : { selector: workload.selector, namespaceSelector: namespaceNameSelector([workload.namespace]) };
  }
}

/**
 * One rule per IP family: `action` for destinations outside the cluster, that is outside `cidrs`
 * and not a pod (pods carry `projectcalico.org/orchestrator == "k8s"`, whatever their address).
 */
function notNetsRules(action: RuleAction, cidrs: string[]): Rule[] {
  const v4 = cidrs.filter((cidr) => !cidr.includes(':'));
  const v6 = cidrs.filter((cidr) => cidr.includes(':'));
  const pods = Selector.label(LABEL_ORCHESTRATOR).eq(ORCHESTRATOR_K8S);
  return [v4, v6].filter((nets) => nets.length > 0).map((notNets) => ({ action, destination: { notNets, notSelector: pods } }));
}
