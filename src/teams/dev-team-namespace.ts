import { createHash } from 'crypto';
import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { BaselineGlobalPolicies } from './baseline-global-policies';
import { MemberServiceAccount } from './member-service-account';
import { createNamespaceObject } from './namespace-object';
import { controlOrderErrors, SECURITY_CONTROL_ORDER } from './security-controls';
import { SecurityTeam } from './security-team';
import { PROTECTED_NAMESPACES } from './system-namespaces';
import { membersNamespaceOf, TeamMember, TeamMembers } from './team-members';
import { MemberBinding, NamespaceIsolation, TeamPolicyKind } from './team-options';
import { IngressDefault, TeamPolicy, withTcpDefault } from './team-policy';
import { checkGroups, checkUsers, userAndGroupSubjects } from './team-subjects';
import { AppRegistry, manifestFacts, mayBePatched, objectFacts, sameConstructs } from './uniqueness';
import { createDefaultServiceAccount } from './workload-free-namespace';
import { DEFAULT_TIER, LABEL_K8S_NAMESPACE_NAME } from '../core/calico';
import { describeValue, fail } from '../core/errors';
import { POD_SECURITY_LABEL_PREFIX, podSecurityLabels } from '../core/pod-security';
import { portNumberProblem } from '../core/ports';
import { NetworkPolicy, NetworkPolicyProps } from '../policy/network-policy';
import { IPeer, Peer } from '../policy/peer';
import { PolicyBase } from '../policy/policy-base';
import { checkPortList, peerRules } from '../policy/policy-common';
import { Port } from '../policy/port';
import { Protocol } from '../policy/protocol';
import { transformOnSynth } from '../policy/rendering';
import { PolicyType, RuleAction } from '../policy/rule';
import { Tier } from '../policy/tier';
import { resolveTier } from '../policy/tier-resolution';
import { checkDnsLabel, checkLabels, checkPortName, checkQualifiedName, describeConstruct } from '../policy/validation';
import { NamespacePolicyRole } from '../rbac/namespace-policy-role';
import { Selector } from '../selector';

/**
 * A Pod Security Standard level, which Pod Security Admission enforces on a namespace. The values
 * are the level names of `core/pod-security` (`POD_SECURITY_LEVELS`), which writes the labels.
 */
export enum PodSecurityLevel {
  /**
   * No restriction. **Unsafe for a team namespace**: its pods may use the host network (and so
   * bypass every network policy: host-networked pods are no Calico workload endpoints), host
   * paths and privileged containers.
   */
  PRIVILEGED = 'privileged',
  /** Prevents known privilege escalations: no host network, host ports, host paths or privileged containers. */
  BASELINE = 'baseline',
  /** Baseline plus hardening: non-root, no privilege escalation, dropped capabilities, a seccomp profile. */
  RESTRICTED = 'restricted',
}

/** A ResourceQuota for a team namespace (`team-quota`). Every field has a default. */
export interface TeamResourceQuota {
  /**
   * Pods.
   *
   * @default 50
   */
  readonly pods?: number;

  /**
   * The sum of CPU requests (a Kubernetes quantity). Pods must then request CPU: pair the
   * quota with `limitRange`, or have every container declare its requests.
   *
   * @default '8'
   */
  readonly requestsCpu?: string;

  /**
   * The sum of memory requests.
   *
   * @default '16Gi'
   */
  readonly requestsMemory?: string;

  /**
   * The sum of CPU limits.
   *
   * @default '16'
   */
  readonly limitsCpu?: string;

  /**
   * The sum of memory limits.
   *
   * @default '32Gi'
   */
  readonly limitsMemory?: string;

  /**
   * Services.
   *
   * @default 20
   */
  readonly services?: number;

  /**
   * Services of type LoadBalancer, which expose pods outside the cluster.
   *
   * @default 0
   */
  readonly loadBalancers?: number;

  /**
   * Services of type NodePort, which open a port on every node.
   *
   * @default 0
   */
  readonly nodePorts?: number;

  /**
   * PersistentVolumeClaims.
   *
   * @default 10
   */
  readonly persistentVolumeClaims?: number;
}

/** Default requests and limits of containers in a team namespace (a LimitRange `team-limits`). */
export interface TeamLimitRange {
  /**
   * The CPU request of a container that sets none.
   *
   * @default '100m'
   */
  readonly defaultCpuRequest?: string;

  /**
   * The memory request of a container that sets none.
   *
   * @default '128Mi'
   */
  readonly defaultMemoryRequest?: string;

  /**
   * The CPU limit of a container that sets none.
   *
   * @default '500m'
   */
  readonly defaultCpuLimit?: string;

  /**
   * The memory limit of a container that sets none.
   *
   * @default '512Mi'
   */
  readonly defaultMemoryLimit?: string;
}

/** Properties of a `DevTeamNamespace`. */
export interface DevTeamNamespaceProps {
  /** The namespace name, e.g. `be-dev-team`. */
  readonly name: string;

  /**
   * Labels of the namespace, e.g. `{ team: 'be' }`. Whoever may label namespaces decides who
   * matches a rule that selects namespaces by label: point at other teams by name instead
   * (`Peer.namespaces('be')`). Labels Kubernetes, Calico or Pod Security Admission own
   * (`kubernetes.io/metadata.name`, `projectcalico.org/*`, `pod-security.kubernetes.io/*`) are
   * refused; use `podSecurity` for the last.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Member service accounts to create (one per person), e.g. `['be-dev-member']`, in the
   * members' namespace (see `membersNamespace`), bound into this namespace by RoleBinding. More
   * can be added with `addMember()`. In production prefer `users` or `groups` from your identity
   * provider.
   *
   * @default - none
   */
  readonly members?: string[];

  /**
   * The namespace of the member service accounts, created with the first member: it runs
   * nothing (ResourceQuota `no-pods` with `pods: "0"`, Pod Security `restricted`, `default`
   * service account without an automounted token), so whoever may create pods in the team
   * namespace (CI, an operator, a compromised controller) cannot run a pod as a member. Another
   * Namespace of the same name in the app is an error at synthesis.
   *
   * @default `<name>-members`
   */
  readonly membersNamespace?: string;

  /**
   * UNSAFE: put the member service accounts in the team namespace itself, where workloads run.
   * Anyone who may create pods there — CI, an operator, a compromised controller — can then
   * start a pod with a member's service account and rewrite the namespace's network policy.
   * Only for labs that reproduce the blog exactly.
   *
   * @default false (members live in `membersNamespace`)
   */
  readonly membersInWorkloadNamespace?: boolean;

  /**
   * Further users to bind to the team's Role.
   *
   * @default - none
   */
  readonly users?: string[];

  /**
   * Identity-provider groups to bind to the team's Role (the production path).
   *
   * @default - none
   */
  readonly groups?: string[];

  /**
   * How member service accounts are bound. `MemberBinding.NAMESPACE_GROUP` binds
   * `system:serviceaccounts:<members namespace>`: every service account there, present and
   * future, including its `default` account. It is refused with `membersInWorkloadNamespace`,
   * where it would make every workload a member.
   *
   * @default MemberBinding.MEMBER_SERVICE_ACCOUNTS
   */
  readonly memberBinding?: MemberBinding;

  /**
   * Let the team write Calico NetworkPolicies in its namespace, in the `default` tier only
   * (`projectcalico.org` only: Calico checks tiers there). Needs `securityTeam`, which owns the
   * cluster-scoped `get` on the `default` tier that Calico also requires.
   *
   * @default false (Kubernetes NetworkPolicies only)
   */
  readonly calicoPolicies?: boolean;

  /**
   * Who may reach the namespace's pods before the team's own rules.
   *
   * @default NamespaceIsolation.CLOSED
   */
  readonly isolation?: NamespaceIsolation;

  /**
   * Write the namespace's policies (isolation, `allowIngressFrom`, `allowEgressTo`,
   * `exposeService`) as Kubernetes or Calico NetworkPolicies. Service-account peers, named ports
   * and selectors beyond `&&` of simple terms need Calico.
   *
   * @default TeamPolicyKind.KUBERNETES
   */
  readonly policyKind?: TeamPolicyKind;

  /**
   * The name of the policy holding the rules for all pods of the namespace. Rules limited to
   * `pods` go to `<policyName>-<hash of the selector>`.
   *
   * @default 'team-policy'
   */
  readonly policyName?: string;

  /**
   * Restrict the egress of all pods from the start: they may reach the pods of their own
   * namespace, what `allowEgressTo` opens and what the baseline allows (DNS). Set it when the
   * baseline has a default deny, so that the namespace's own traffic keeps flowing. Without it,
   * egress is restricted as soon as the team adds an egress rule.
   *
   * @default false
   */
  readonly restrictEgress?: boolean;

  /**
   * The Pod Security Standard that Pod Security Admission enforces on the namespace (audit and
   * warn are always `restricted`). `BASELINE` and `RESTRICTED` forbid host-networked pods, which
   * no network policy governs.
   *
   * @default PodSecurityLevel.BASELINE
   */
  readonly podSecurity?: PodSecurityLevel;

  /**
   * A ResourceQuota `team-quota` for the namespace (`{}` for the defaults: 50 pods, no
   * LoadBalancer or NodePort services, …).
   *
   * @default - no quota
   */
  readonly resourceQuota?: TeamResourceQuota;

  /**
   * A LimitRange `team-limits` with default container requests and limits (`{}` for the
   * defaults).
   *
   * @default - no limit range
   */
  readonly limitRange?: TeamLimitRange;

  /**
   * Label keys that identify the team: no other `DevTeamNamespace` of the app may carry the
   * same value (e.g. a second namespace labelled `team: be`). Checked when the app is
   * synthesized.
   *
   * @default ['team']
   */
  readonly identityLabels?: string[];

  /**
   * Put the isolation of a CLOSED namespace in the security team's tier too: a Calico
   * NetworkPolicy `<tier>.closed-namespace` that passes traffic from the namespace itself and
   * what `allowIngressFrom()` / `exposeService()` open, and denies every other connection.
   * The team can then neither delete the isolation nor open its namespace further with a
   * policy of its own (at any order of the `default` tier).
   *
   * @default - true for a CLOSED namespace with `securityTeam`
   */
  readonly isolationInSecurityTier?: boolean;

  /**
   * The security team: its namespace is protected, and it grants the cluster-scoped tier read
   * that `calicoPolicies` needs.
   *
   * @default - none
   */
  readonly securityTeam?: SecurityTeam;

  /**
   * Create a long-lived token Secret (`<member>-token`, in the members' namespace) per member: a
   * credential that never expires. Prefer short-lived tokens:
   * `kubectl create token <member> -n <members namespace>` (see docs/credentials.md).
   *
   * @default false
   */
  readonly memberTokenSecrets?: boolean;
}

/** Options of a team traffic rule. */
export interface TeamRuleOptions {
  /**
   * Limit the rule to these pods of the team namespace.
   *
   * @default - all pods of the namespace
   */
  readonly pods?: Selector;
}

/** Options of `exposeService()`. */
export interface ExposeServiceOptions {
  /**
   * Who may connect. Exposing to the internet is explicit: `Peer.anywhere()`.
   *
   * @default Peer.anyNamespace() - every pod of the cluster
   */
  readonly from?: IPeer;
}

/** One port of a service to expose. */
export interface ExposedServicePort {
  /** The service port. */
  readonly port: number;

  /**
   * The port number on the pods.
   *
   * @default - `port`
   */
  readonly targetPort?: number;

  /**
   * The named container port on the pods, instead of `targetPort` (Calico policies only).
   *
   * @default - `targetPort`
   */
  readonly targetPortName?: string;

  /**
   * TCP, UDP or SCTP.
   *
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

/** A service to expose, described by its selector and ports. */
export interface ExposedServiceSpec {
  /** The service name (names the policy `expose-<name>`). */
  readonly name: string;

  /** The service's pod selector labels. */
  readonly selector: { [key: string]: string };

  /** The service's ports. */
  readonly ports: ExposedServicePort[];
}

/**
 * The namespace of a development team, and the team's limited rights over its network policy.
 *
 * It creates the Namespace (with labels); one ServiceAccount per member (no mounted token) in
 * the members' namespace `<name>-members`, where no pod can run; a
 * Role `network-policy-editor` with its RoleBinding (Kubernetes NetworkPolicies and, with
 * `calicoPolicies`, Calico NetworkPolicies in the `default` tier only), and the namespace's
 * policies:
 * - `closed-namespace` (CLOSED): only pods of the namespace may connect; or `open-namespace`
 *   (OPEN): anyone may connect;
 * - `team-policy` (or `policyName`): what `allowIngressFrom` / `allowEgressTo` open;
 * - `expose-<service>`: the ports of services opened with `exposeService`.
 *
 *
 * These are allow-only policies in Calico's `default` tier: the objects the team may edit. The
 * security team's tier comes first and ends with Pass: its Allow rules (DNS, metrics collector)
 * and Deny rules (egress outside the cluster, the isolation below) cannot be taken back by a
 * team, and everything it passes on is decided here; traffic that the namespace's policies
 * select but do not allow is dropped at the end of the `default` tier.
 *
 * With `securityTeam`, a CLOSED namespace's isolation is also written into the security tier
 * (`security.closed-namespace`: Pass for the namespace itself and for what
 * `allowIngressFrom` / `exposeService` open, Deny for the rest), which the team cannot edit:
 * deleting its own policies or adding one at `order: 1` opens nothing more.
 *
 * A namespace a platform team accepts: Pod Security Admission labels (enforce `baseline` by
 * default, audit and warn `restricted`), the `default` service account without an automounted
 * token, and optionally a ResourceQuota and a LimitRange.
 *
 * The construct keeps the team inside its namespace: it refuses system namespaces (`kube-*`),
 * `default` and the security team's namespace, Calico policies outside the `default` tier, and
 * (when the app is synthesized) any object of its own that is cluster-scoped or in another
 * namespace, the namespaces the baseline trusts or leaves alone, a namespace another team has,
 * an identity label value (`team: be`) another team carries, a member name of another team,
 * and any object that another construct of the app synthesizes too.
 *
 * @example
 * const be = new DevTeamNamespace(chart, 'be', { name: 'be-dev-team', labels: { team: 'be' }, members: ['be-dev-member'], securityTeam });
 * be.allowIngressFrom(Peer.namespaces('fe'), [Port.tcp(443)]);
 * be.allowEgressTo(Peer.namespaces('database'), [Port.tcp(27017)]);
 */
export class DevTeamNamespace extends Construct {
  /** The namespace name. */
  public readonly namespaceName: string;

  /** The Namespace object. */
  public readonly namespace: ApiObject;

  /** The team's Role (and, once it has subjects, its RoleBinding). */
  public readonly role: NamespacePolicyRole;

  /** The isolation of the namespace. */
  public readonly isolation: NamespaceIsolation;

  /** The kind of the namespace's policies. */
  public readonly policyKind: TeamPolicyKind;

  /** Whether members may write Calico policies (in the `default` tier). */
  public readonly calicoPolicies: boolean;

  /** How members are bound. */
  public readonly memberBinding: MemberBinding;

  /** The namespace of the member service accounts (`<name>-members` unless set otherwise). */
  public readonly membersNamespaceName: string;

  /** The Pod Security Standard enforced on the namespace. */
  public readonly podSecurity: PodSecurityLevel;

  /** The namespace's own labels (without the Pod Security Admission labels). */
  public readonly teamLabels: { [key: string]: string };

  /** The label keys that identify the team among the app's team namespaces. */
  public readonly identityLabels: string[];

  /** The isolation control in the security team's tier (`<tier>.closed-namespace`), if any. */
  public readonly securityIsolationPolicy?: NetworkPolicy;

  private readonly owner: string;
  private readonly members: TeamMembers;
  private readonly fixedSubjects: kplus.ISubject[] = [];
  private readonly securityTeam?: SecurityTeam;
  private readonly policyName: string;
  private readonly policies = new Map<string, TeamPolicy>();
  private readonly exposures = new Map<string, { policy: TeamPolicy; selector: string }>();
  private readonly isolationPolicy?: TeamPolicy;
  private readonly protectedNamespaces: string[];
  private readonly registry: AppRegistry;
  /** The last boundary check: the team's constructs it saw, and the objects it checks. */
  private boundaryCheck?: { readonly all: readonly IConstruct[]; readonly checked: readonly ApiObject[] };

  constructor(scope: Construct, id: string, props: DevTeamNamespaceProps) {
    super(scope, id);
    this.owner = describeConstruct('DevTeamNamespace', this);
    if (props === null || typeof props !== 'object') {
      fail(this.owner, '', 'props are required: at least { name }');
    }
    this.securityTeam = props.securityTeam;
    if (this.securityTeam !== undefined && !(this.securityTeam instanceof SecurityTeam)) {
      fail(this.owner, 'securityTeam', 'must be a SecurityTeam construct');
    }
    this.protectedNamespaces = [...PROTECTED_NAMESPACES, ...(this.securityTeam ? [this.securityTeam.namespaceName] : [])];
    checkDnsLabel(this.owner, 'name', props.name, 'namespace');
    if (this.protectedNamespaces.includes(props.name) || props.name.startsWith('kube-')) {
      const whose = this.securityTeam?.namespaceName === props.name ? "the security team's namespace" : 'a system namespace';
      fail(this.owner, 'name', `"${props.name}" is ${whose}; a development team gets a namespace of its own`);
    }
    if (props.name === 'default') {
      fail(this.owner, 'name', '"default" is where every object without a namespace lands; a development team gets a namespace of its own');
    }
    this.namespaceName = props.name;
    checkLabels(this.owner, 'labels', props.labels);
    checkTeamLabels(this.owner, props.labels);
    this.isolation = checkEnum(this.owner, 'isolation', props.isolation ?? NamespaceIsolation.CLOSED, NamespaceIsolation, 'NamespaceIsolation');
    this.policyKind = checkEnum(this.owner, 'policyKind', props.policyKind ?? TeamPolicyKind.KUBERNETES, TeamPolicyKind, 'TeamPolicyKind');
    this.memberBinding = checkEnum(this.owner, 'memberBinding', props.memberBinding ?? MemberBinding.MEMBER_SERVICE_ACCOUNTS, MemberBinding, 'MemberBinding');
    this.calicoPolicies = props.calicoPolicies ?? false;
    if (this.calicoPolicies && this.securityTeam === undefined) {
      fail(
        this.owner,
        'calicoPolicies',
        "Calico also requires `get` on the 'default' tier, which is cluster-scoped and granted by the security team: " +
          'pass securityTeam, or leave calicoPolicies off and bind a CalicoTierReaderRole yourself',
      );
    }
    this.policyName = props.policyName ?? 'team-policy';
    checkDnsLabel(this.owner, 'policyName', this.policyName, 'policy name');
    const users = checkUsers(this.owner, 'users', props.users);
    const groups = checkGroups(this.owner, 'groups', props.groups);

    this.namespace = createNamespaceObject(this, 'Namespace', this.namespaceName, props.labels);
    this.membersNamespaceName = membersNamespaceOf({
      owner: this.owner,
      teamNamespace: this.namespaceName,
      membersNamespace: props.membersNamespace,
      inWorkloadNamespace: props.membersInWorkloadNamespace,
      memberBinding: this.memberBinding,
      protectedNamespaces: this.protectedNamespaces,
      securityNamespace: this.securityTeam?.namespaceName,
    });
    this.members = new TeamMembers(this, 'Members', {
      owner: this.owner,
      namespace: this.membersNamespaceName,
      namespaceResource: this.membersNamespaceName === this.namespaceName ? this.namespace : undefined,
      tokenSecrets: props.memberTokenSecrets ?? false,
    });
    // The member accounts (and their namespace) come right after the team's Namespace; they are bound below.
    const initialMembers = (props.members ?? []).map((member, i) => this.members.add(member, `members[${i}]`));
    this.role = new NamespacePolicyRole(this, 'Role', {
      namespace: this.namespaceName,
      name: 'network-policy-editor',
      calicoTiers: this.calicoPolicies ? [Tier.DEFAULT] : [],
    });
    // Every object in the namespace depends on the Namespace, so that cdk8s writes it first (whatever
    // else depends on the Namespace). Each dependency joins two plain objects (or a thin wrapper's), which cdk8s resolves cheaply.
    this.role.node.addDependency(this.namespace);

    // The cdk8s-plus subjects' scope, only when there are users or groups to bind.
    const subjectScope = this.memberBinding === MemberBinding.NAMESPACE_GROUP || users.length + groups.length > 0 ? new Construct(this, 'Subjects') : undefined;
    if (this.memberBinding === MemberBinding.NAMESPACE_GROUP) {
      this.members.ensureNamespace();
      this.fixedSubjects.push(kplus.Group.fromName(subjectScope!, 'Members', `system:serviceaccounts:${this.membersNamespaceName}`));
    }
    if (subjectScope !== undefined) {
      this.fixedSubjects.push(...userAndGroupSubjects(subjectScope, users, groups));
    }
    if (this.fixedSubjects.length > 0) {
      this.bindSubjects(this.fixedSubjects);
    }

    if (this.isolation !== NamespaceIsolation.NONE) {
      const closed = this.isolation === NamespaceIsolation.CLOSED;
      this.isolationPolicy = new TeamPolicy(this, 'Isolation', {
        owner: this.owner,
        namespace: this.namespaceName,
        name: closed ? 'closed-namespace' : 'open-namespace',
        kind: this.policyKind,
        ingressDefault: closed ? IngressDefault.SAME_NAMESPACE : IngressDefault.ANYONE,
        namespaceResource: this.namespace,
      });
    }
    if (props.restrictEgress ?? false) {
      this.policyFor(undefined, 'restrictEgress').allowEgressWithinNamespace();
    }

    // Pod Security Admission, the default service account, quota and limits; the isolation control.
    this.teamLabels = { ...(props.labels ?? {}) };
    this.podSecurity = checkEnum(this.owner, 'podSecurity', props.podSecurity ?? PodSecurityLevel.BASELINE, PodSecurityLevel, 'PodSecurityLevel');
    // Enforce the team's level; audit and warn at `restricted`, so that the team sees what a stricter level would refuse.
    for (const [key, value] of Object.entries(podSecurityLabels(this.podSecurity, PodSecurityLevel.RESTRICTED))) {
      this.namespace.metadata.addLabel(key, value);
    }
    this.identityLabels = checkIdentityLabels(this.owner, props.identityLabels);
    createDefaultServiceAccount(this, 'DefaultServiceAccount', this.namespaceName).addDependency(this.namespace);
    if (props.resourceQuota !== undefined) {
      this.addNamespaceObject('ResourceQuota', 'team-quota', { hard: resourceQuotaHard(this.owner, props.resourceQuota) });
    }
    if (props.limitRange !== undefined) {
      this.addNamespaceObject('LimitRange', 'team-limits', { limits: [limitRangeItem(this.owner, props.limitRange)] });
    }
    if (this.isolationInSecurityTier(props.isolationInSecurityTier)) {
      this.securityIsolationPolicy = this.createIsolationControl(this.securityTeam!);
    }
    this.registry = AppRegistry.of(this);
    // One validation: what only the whole app shows, then what the team itself holds.
    this.node.addValidation({ validate: () => [...this.appErrors(), ...this.boundaryErrors()] });
    // No other team with this namespace, identity label value or member name (checked at synthesis).
    this.registry.addDevTeam({
      construct: this,
      owner: this.owner,
      namespaceName: this.namespaceName,
      membersNamespace: () => this.membersNamespaceName,
      memberNames: () => this.members.names,
      labels: () => this.teamLabels,
      identityLabels: () => this.identityLabels,
    });

    initialMembers.forEach((member) => this.bindMember(member));

  }

  /** The member names, in the order they were added. */
  public get memberNames(): string[] {
    return this.members.names;
  }

  /** The name of the isolation policy (`closed-namespace` or `open-namespace`), if any. */
  public get isolationPolicyName(): string | undefined {
    return this.isolationPolicy?.name;
  }

  /**
   * Adds a member: a ServiceAccount in the members' namespace (and its token Secret with
   * `memberTokenSecrets`), bound to the team's Role when members are bound by name.
   *
   * @param name the service account name, e.g. `be-dev-member`
   * @returns the member's ServiceAccount
   */
  public addMember(name: string): MemberServiceAccount {
    return this.addMemberAt(name, 'addMember()').serviceAccount;
  }

  /**
   * Lets `peer` connect to the namespace's pods (or to `options.pods`) on `ports`.
   *
   * @param peer who may connect
   * @param ports the pods' ports (ports without a protocol are TCP)
   * @param options limit the rule to some pods
   */
  public allowIngressFrom(peer: IPeer, ports?: Port[], options: TeamRuleOptions = {}): void {
    if (this.isolation === NamespaceIsolation.OPEN) {
      fail(
        this.owner,
        'allowIngressFrom()',
        `namespace ${this.namespaceName} is OPEN: every connection is already allowed, so the rule would change nothing; use isolation: NamespaceIsolation.CLOSED`,
      );
    }
    this.policyFor(options.pods, 'allowIngressFrom()').allowIngress(peer, ports, 'allowIngressFrom()');
    this.passInSecurityTier(peer, ports, options.pods, 'allowIngressFrom()');
  }

  /**
   * Lets the namespace's pods (or `options.pods`) connect to `peer` on `ports`. From then on,
   * their egress is restricted to what the team allows (plus their own namespace and what the
   * baseline allows, such as DNS).
   *
   * @param peer whom the pods may connect to
   * @param ports the destination ports (ports without a protocol are TCP)
   * @param options limit the rule to some pods
   */
  public allowEgressTo(peer: IPeer, ports?: Port[], options: TeamRuleOptions = {}): void {
    this.policyFor(options.pods, 'allowEgressTo()').allowEgress(peer, ports, 'allowEgressTo()');
  }

  /**
   * Opens a Service of this (CLOSED) namespace: its target ports on the pods it selects, to
   * `options.from` (default: every pod of the cluster; the internet only with
   * `Peer.anywhere()`), in a policy `expose-<service>`.
   *
   * The service is any construct that synthesizes a core `v1` Service: a `Service` of any
   * cdk8s-plus major (`cdk8s-plus-27` … `cdk8s-plus-33`), a `KubeService`, or an `ApiObject` of
   * kind Service. Its synthesized `spec.selector` and `spec.ports` are read when
   * `exposeService()` is called, so the Service must already have its selector and ports, and
   * live in this namespace.
   *
   * @param service the Service construct
   * @param options who may connect
   */
  public exposeService(service: IConstruct, options: ExposeServiceOptions = {}): void {
    const field = 'exposeService()';
    const obj = serviceObjectOf(this.owner, field, service);
    const json = renderedServiceOf(this.owner, field, obj);
    const namespace = json.metadata?.namespace ?? Chart.of(obj).namespace;
    if (namespace !== this.namespaceName) {
      fail(
        this.owner,
        field,
        `the Service "${obj.name}" is in namespace ${namespace ?? '(none: the kubectl default)'}, not ${this.namespaceName}; ` +
          `create it with metadata.namespace: '${this.namespaceName}'`,
      );
    }
    const ports: any[] = Array.isArray(json.spec?.ports) ? json.spec.ports : [];
    this.expose(
      {
        name: obj.name,
        selector: json.spec?.selector ?? {},
        ports: ports.map((p) => ({
          port: p?.port,
          targetPort: typeof p?.targetPort === 'number' ? p.targetPort : undefined,
          targetPortName: typeof p?.targetPort === 'string' ? p.targetPort : undefined,
          protocol: p?.protocol === undefined ? undefined : serviceProtocolOf(this.owner, field, obj.name, p.protocol),
        })),
      },
      options,
      field,
    );
  }

  /**
   * Like `exposeService()`, for a service described by its name, selector labels and ports.
   *
   * @param spec the service
   * @param options who may connect
   */
  public exposeServicePorts(spec: ExposedServiceSpec, options: ExposeServiceOptions = {}): void {
    this.expose(spec, options, 'exposeServicePorts()');
  }

  /**
   * Adds a Calico NetworkPolicy of the team's own: in this namespace and in the `default` tier
   * only (the tier may be left out; any other tier or namespace is refused).
   *
   * @param id the construct id
   * @param props the policy
   */
  public addCalicoPolicy(id: string, props: NetworkPolicyProps = {}): NetworkPolicy {
    const field = `addCalicoPolicy("${id}")`;
    const tier = resolveTier(this.owner, `${field}.tier`, props.tier).tierName;
    if (tier !== DEFAULT_TIER) {
      fail(
        this.owner,
        `${field}.tier`,
        `a development team writes policies in the "default" tier only, not "${tier}"; the security team owns the tiers before it`,
      );
    }
    const ns = props.metadata?.namespace;
    if (ns !== undefined && ns !== this.namespaceName) {
      fail(this.owner, `${field}.metadata.namespace`, `the team may only write policies in its namespace ${this.namespaceName}, not ${ns}`);
    }
    const policy = new NetworkPolicy(this, id, { ...props, metadata: { ...props.metadata, namespace: this.namespaceName } });
    policy.node.addDependency(this.namespace);
    return policy;
  }

  private expose(spec: ExposedServiceSpec, options: ExposeServiceOptions, field: string): void {
    if (this.isolation !== NamespaceIsolation.CLOSED) {
      fail(
        this.owner,
        field,
        `namespace ${this.namespaceName} is ${this.isolation.toUpperCase()}: exposing a service opens it in a CLOSED namespace; use isolation: NamespaceIsolation.CLOSED`,
      );
    }
    if (spec === null || typeof spec !== 'object') {
      fail(this.owner, field, 'expects { name, selector, ports }');
    }
    checkDnsLabel(this.owner, `${field}.name`, spec.name, 'service name');
    if (spec.selector === null || typeof spec.selector !== 'object' || Object.keys(spec.selector).length === 0) {
      fail(this.owner, `${field}.selector`, `the service "${spec.name}" selects no pods; a service without a selector cannot be exposed by policy`);
    }
    checkLabels(this.owner, `${field}.selector`, spec.selector);
    if (!Array.isArray(spec.ports) || spec.ports.length === 0) {
      fail(this.owner, `${field}.ports`, `the service "${spec.name}" has no ports; give at least one`);
    }
    const ports = spec.ports.map((p, i) => targetPortOf(this.owner, `${field}.ports[${i}]`, p));
    const from = options.from ?? Peer.anyNamespace();
    const selector = Selector.fromLabels(spec.selector);
    let exposure = this.exposures.get(spec.name);
    if (exposure !== undefined && exposure.selector !== selector.toString()) {
      fail(this.owner, `${field}.selector`, `the service "${spec.name}" was exposed before with the selector "${exposure.selector}"; expose each service with one selector`);
    }
    if (exposure === undefined) {
      const policy = new TeamPolicy(this, `Expose-${spec.name}`, {
        owner: this.owner,
        namespace: this.namespaceName,
        name: `expose-${spec.name}`,
        kind: this.policyKind,
        pods: selector,
        namespaceResource: this.namespace,
      });
      exposure = { policy, selector: selector.toString() };
      this.exposures.set(spec.name, exposure);
    }
    exposure.policy.allowIngress(from, ports, field);
    this.passInSecurityTier(from, ports, selector, field);
  }

  /** Whether the CLOSED isolation also goes into the security team's tier (checked). */
  private isolationInSecurityTier(requested: boolean | undefined): boolean {
    if (requested === undefined) {
      return this.isolation === NamespaceIsolation.CLOSED && this.securityTeam !== undefined;
    }
    if (requested && this.securityTeam === undefined) {
      fail(this.owner, 'isolationInSecurityTier', "the control goes into the security team's tier: pass securityTeam");
    }
    if (requested && this.isolation !== NamespaceIsolation.CLOSED) {
      fail(this.owner, 'isolationInSecurityTier', `namespace ${this.namespaceName} is ${this.isolation.toUpperCase()}; only a CLOSED namespace has an isolation to hold`);
    }
    return requested;
  }

  /**
   * `<tier>.closed-namespace`: Pass from the namespace itself (and, as they are opened, from what
   * the team lets in), then Deny. The Deny is appended when the object is rendered, so that it
   * stays the last rule whatever is opened later.
   */
  private createIsolationControl(securityTeam: SecurityTeam): NetworkPolicy {
    const policy = new NetworkPolicy(this, 'SecurityIsolation', {
      tier: securityTeam.tier,
      metadata: { name: 'closed-namespace', namespace: this.namespaceName },
      order: SECURITY_CONTROL_ORDER,
      types: [PolicyType.INGRESS],
      // Calico: libcalico-go/lib/backend/syncersv1/updateprocessors/rules.go (a rule selector without namespaceSelector: the policy's namespace)
      ingress: [{ action: RuleAction.PASS, source: { selector: Selector.all() } }],
    });
    // The Deny goes after every rule, those added later included (a transform of the finished manifest).
    transformOnSynth(policy, (manifest) => ({
      ...manifest,
      spec: { ...manifest.spec, ingress: [...(manifest.spec?.ingress ?? []), { action: RuleAction.DENY }] },
    }));
    policy.node.addDependency(this.namespace);
    return policy;
  }

  /** Lets what the team opened through the security tier's isolation (Pass rules). */
  private passInSecurityTier(peer: IPeer, ports: Port[] | undefined, pods: Selector | undefined, field: string): void {
    const control = this.securityIsolationPolicy;
    if (control === undefined) {
      return;
    }
    const list = withTcpDefault(checkPortList(this.owner, field, ports));
    const limited = pods !== undefined && pods.toString() !== Selector.all().toString() ? pods : undefined;
    for (const rule of peerRules(this.owner, field, PolicyType.INGRESS, peer, list, { policyNamespace: this.namespaceName })) {
      control.addIngressRule({
        ...rule,
        action: RuleAction.PASS,
        destination: limited === undefined ? rule.destination : { ...rule.destination, selector: limited },
      });
    }
  }

  /** A namespaced object of the team (ResourceQuota, LimitRange), created after the Namespace. */
  private addNamespaceObject(kind: string, name: string, spec: any): ApiObject {
    const obj = new ApiObject(this, kind, { apiVersion: 'v1', kind, metadata: { name, namespace: this.namespaceName }, spec });
    obj.addDependency(this.namespace);
    return obj;
  }

  /**
   * What only the whole app shows: the namespaces the baseline trusts or leaves alone, and a
   * security control that a baseline of its tier would defeat. A namespace, an identity label
   * value or a member name that another team has is the app registry's check (uniqueness.ts).
   */
  private appErrors(): string[] {
    const errors: string[] = [];
    const registry = this.registry;
    for (const baseline of registry.registeredOf(BaselineGlobalPolicies)) {
      const where = describeConstruct('BaselineGlobalPolicies', baseline);
      if (baseline.trustedNamespaces.includes(this.namespaceName)) {
        errors.push(
          `${this.owner}: name: "${this.namespaceName}" is the namespace of a workload that ${where} trusts (the metrics collector or the DNS); ` +
            'a team owning it could run pods that get the baseline\'s final Allow; give the team a namespace of its own',
        );
      }
      if (baseline.excludedNamespaces.includes(this.namespaceName)) {
        errors.push(`${this.owner}: name: "${this.namespaceName}" is excluded from ${where} (excludedNamespaces), where none of its policies apply; give the team a namespace of its own`);
      }
    }
    if (this.securityIsolationPolicy !== undefined) {
      const policy = this.securityIsolationPolicy;
      errors.push(...controlOrderErrors(registry, `${this.owner}: ${policy.name}`, policy.tierName, SECURITY_CONTROL_ORDER));
    }
    return errors;
  }

  private policyFor(pods: Selector | undefined, field: string): TeamPolicy {
    if (pods !== undefined && !(pods instanceof Selector)) {
      fail(this.owner, `${field}.pods`, `${JSON.stringify(pods)} is not a Selector; build one with Selector.label('app').eq('api')`);
    }
    const limited = pods !== undefined && pods.toString() !== Selector.all().toString();
    const key = limited ? pods.toString() : '';
    let policy = this.policies.get(key);
    if (policy === undefined) {
      const name = limited ? `${this.policyName}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}` : this.policyName;
      policy = new TeamPolicy(this, limited ? `Policy-${name}` : 'Policy', {
        owner: this.owner,
        namespace: this.namespaceName,
        name,
        kind: this.policyKind,
        pods: limited ? pods : undefined,
        namespaceResource: this.namespace,
      });
      this.policies.set(key, policy);
    }
    return policy;
  }

  private addMemberAt(name: string, field: string): TeamMember {
    const member = this.members.add(name, field);
    this.bindMember(member);
    return member;
  }

  private bindMember(member: TeamMember): void {
    if (this.memberBinding === MemberBinding.MEMBER_SERVICE_ACCOUNTS) {
      this.bindSubjects([member.serviceAccount]);
    }
  }

  private bindSubjects(subjects: kplus.ISubject[]): void {
    this.role.bind(...subjects);
    if (this.calicoPolicies) {
      this.securityTeam!.grantDefaultTierRead(this.namespaceName, ...subjects);
    }
  }

  /**
   * What the team holds that it must not: cluster-scoped objects, objects of other namespaces,
   * policies of other tiers. cdk8s validates once per chart it synthesizes, so which objects to
   * check is kept while the team's constructs are the same. An object is judged by what it was
   * created with, or by its manifest when that can differ: when it carries JSON patches (which can
   * move it to another namespace, kind or tier) and for every Calico object in a tier.
   */
  private boundaryErrors(): string[] {
    const all = this.node.findAll();
    let check = this.boundaryCheck;
    if (check === undefined || !sameConstructs(check.all, all)) {
      check = { all, checked: all.filter((child): child is ApiObject => this.isBoundaryChecked(child)) };
      this.boundaryCheck = check;
    }
    const errors: string[] = [];
    for (const child of check.checked) {
      const error = this.boundaryError(child);
      if (error !== undefined) {
        errors.push(error);
      }
    }
    return errors;
  }

  /** Whether the boundary check looks at `child`: every object of the team but its own. */
  private isBoundaryChecked(child: IConstruct): boolean {
    // The security tier's control of this namespace, which the construct itself writes (only that
    // object: anything added under it is checked like the rest), the Namespace, and the member
    // service accounts and their namespace, which live apart from the workloads (TeamMembers checks them).
    return child instanceof ApiObject && child !== this.securityIsolationPolicy && child !== this.namespace && !this.members.contains(child);
  }

  private boundaryError(child: ApiObject): string | undefined {
    const where = `${this.owner}: ${child.node.path}`;
    if (child instanceof PolicyBase && child.tierName !== DEFAULT_TIER) {
      return `${where}: Calico policy in tier "${child.tierName}"; a development team writes policies in the "default" tier only`;
    }
    let facts = objectFacts(child);
    let tier: unknown;
    if (facts.tiered || mayBePatched(child)) {
      const manifest = child.toJson();
      facts = manifestFacts(manifest);
      tier = manifest.spec?.tier;
    }
    // Kinds that exist once per cluster (the resource catalogue's scope): a team construct never creates them.
    if (facts.clusterScoped) {
      return `${where}: ${child.kind} "${child.name}" is cluster-scoped; a development team creates objects in namespace ${this.namespaceName} only`;
    }
    if (facts.namespace !== this.namespaceName) {
      return `${where}: ${child.kind} "${child.name}" is in namespace ${facts.namespace ?? '(none)'}; ` +
        `a development team creates objects in namespace ${this.namespaceName} only`;
    }
    if (facts.tiered && tier !== undefined && tier !== DEFAULT_TIER) {
      return `${where}: ${child.kind} "${child.name}" is in tier "${tier}"; a development team writes policies in the "default" tier only`;
    }
    return undefined;
  }
}

/**
 * The core `v1` Service object that `service` synthesizes: the construct itself when it is an
 * `ApiObject` (recognized by cdk8s' own marker, so that any copy of cdk8s and any cdk8s-plus
 * major will do), else its default child, as `ApiObject.of()` finds it.
 */
function serviceObjectOf(owner: string, field: string, service: IConstruct): ApiObject {
  const expected = 'give a cdk8s-plus Service (cdk8s-plus-27 or later), a KubeService or an ApiObject of kind Service; describe other services with exposeServicePorts()';
  let obj: ApiObject | undefined;
  if (ApiObject.isApiObject(service)) {
    obj = service as ApiObject;
  } else if (service !== null && typeof service === 'object' && typeof (service as any).node?.path === 'string') {
    try {
      obj = ApiObject.of(service);
    } catch {
      fail(owner, field, `construct ${service.node.path} synthesizes no Kubernetes object; ${expected}`);
    }
  } else {
    fail(owner, field, `${describeValue(service)} is not a construct; ${expected}`);
  }
  if (obj.kind !== 'Service' || obj.apiVersion !== 'v1') {
    fail(owner, field, `${obj.node.path} synthesizes a ${obj.apiVersion} ${obj.kind}, not a v1 Service; ${expected}`);
  }
  return obj;
}

/** The Service as it synthesizes now, tokens resolved (cdk8s-plus renders its spec lazily). */
function renderedServiceOf(owner: string, field: string, obj: ApiObject): any {
  let json: any;
  try {
    json = obj.toJson();
  } catch (e) {
    fail(owner, field, `the Service "${obj.name}" (${obj.node.path}) cannot be rendered yet: ${(e as Error).message}; give it its selector and ports first`);
  }
  if (json?.spec?.ports !== undefined && !Array.isArray(json.spec.ports)) {
    fail(owner, `${field}.ports`, `the Service "${obj.name}" has spec.ports ${describeValue(json.spec.ports)}, not a list of ports`);
  }
  return json;
}

function serviceProtocolOf(owner: string, field: string, service: string, protocol: any): Protocol {
  if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) {
    fail(owner, `${field}.ports`, `the Service "${service}" has a port of protocol ${describeValue(protocol)}; a Service port is TCP, UDP or SCTP`);
  }
  return Protocol.named(protocol);
}


function targetPortOf(owner: string, field: string, port: ExposedServicePort): Port {
  if (port === null || typeof port !== 'object') {
    fail(owner, field, 'expects { port, targetPort?, targetPortName?, protocol? }');
  }
  const problem = portNumberProblem(port.port);
  if (problem !== undefined) {
    fail(owner, `${field}.port`, problem);
  }
  if (port.targetPort !== undefined && port.targetPortName !== undefined) {
    fail(owner, field, 'give targetPort or targetPortName, not both');
  }
  const protocol = port.protocol ?? Protocol.TCP;
  if (!(protocol instanceof Protocol) || !protocol.supportsPorts) {
    fail(owner, `${field}.protocol`, `${String(port.protocol)} is not a service protocol; use Protocol.TCP, Protocol.UDP or Protocol.SCTP`);
  }
  if (port.targetPortName !== undefined) {
    checkPortName(owner, `${field}.targetPortName`, port.targetPortName);
    return Port.namedOf(protocol, port.targetPortName);
  }
  const target = port.targetPort ?? port.port;
  const targetProblem = portNumberProblem(target);
  if (targetProblem !== undefined) {
    fail(owner, `${field}.targetPort`, targetProblem);
  }
  return Port.of(protocol, target);
}

function checkEnum<T extends string>(owner: string, field: string, value: T, enumObject: object, enumName: string): T {
  if (!Object.values(enumObject).includes(value)) {
    fail(owner, field, `${JSON.stringify(value)} is not a ${enumName}; use one of ${Object.keys(enumObject).map((k) => `${enumName}.${k}`).join(', ')}`);
  }
  return value;
}


/** Label keys that Kubernetes, Calico or Pod Security Admission own. */
function checkTeamLabels(owner: string, labels: { [key: string]: string } | undefined): void {
  for (const key of Object.keys(labels ?? {})) {
    if (key.startsWith(POD_SECURITY_LABEL_PREFIX)) {
      fail(owner, `labels.${key}`, 'Pod Security Admission labels come from podSecurity (e.g. podSecurity: PodSecurityLevel.RESTRICTED)');
    }
    if (key === LABEL_K8S_NAMESPACE_NAME || key.startsWith('projectcalico.org/')) {
      fail(owner, `labels.${key}`, 'Kubernetes and Calico set this label from the namespace name; leave it out');
    }
  }
}

function checkIdentityLabels(owner: string, keys: string[] | undefined): string[] {
  if (keys === undefined) {
    return ['team'];
  }
  if (!Array.isArray(keys)) {
    fail(owner, 'identityLabels', `${describeValue(keys)} is not a list of label keys; e.g. ['team']`);
  }
  keys.forEach((key, i) => checkQualifiedName(owner, `identityLabels[${i}]`, key, 'label key'));
  return [...keys];
}

function resourceQuotaHard(owner: string, quota: TeamResourceQuota): { [key: string]: string } {
  if (quota === null || typeof quota !== 'object') {
    fail(owner, 'resourceQuota', 'expects an object, e.g. {} for the defaults or { pods: 20 }');
  }
  const count = (field: keyof TeamResourceQuota, fallback: number): string => {
    const value = quota[field] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      fail(owner, `resourceQuota.${field}`, `${describeValue(value)} is not a count; use a whole number, 0 or more`);
    }
    return String(value);
  };
  const amount = (field: keyof TeamResourceQuota, fallback: string): string => checkQuantity(owner, `resourceQuota.${field}`, quota[field] ?? fallback);
  return {
    'pods': count('pods', 50),
    'requests.cpu': amount('requestsCpu', '8'),
    'requests.memory': amount('requestsMemory', '16Gi'),
    'limits.cpu': amount('limitsCpu', '16'),
    'limits.memory': amount('limitsMemory', '32Gi'),
    'services': count('services', 20),
    'services.loadbalancers': count('loadBalancers', 0),
    'services.nodeports': count('nodePorts', 0),
    'persistentvolumeclaims': count('persistentVolumeClaims', 10),
  };
}

function limitRangeItem(owner: string, limits: TeamLimitRange): any {
  if (limits === null || typeof limits !== 'object') {
    fail(owner, 'limitRange', 'expects an object, e.g. {} for the defaults or { defaultCpuLimit: "1" }');
  }
  const get = (field: keyof TeamLimitRange, fallback: string): string => checkQuantity(owner, `limitRange.${field}`, limits[field] ?? fallback);
  const cpuRequest = get('defaultCpuRequest', '100m');
  const memoryRequest = get('defaultMemoryRequest', '128Mi');
  const cpuLimit = get('defaultCpuLimit', '500m');
  const memoryLimit = get('defaultMemoryLimit', '512Mi');
  for (const [request, limit, what] of [[cpuRequest, cpuLimit, 'Cpu'], [memoryRequest, memoryLimit, 'Memory']]) {
    if (quantityValue(request) > quantityValue(limit)) {
      fail(
        owner,
        `limitRange.default${what}Request`,
        `${request} is more than the default limit ${limit}; Kubernetes refuses a container whose request exceeds its limit`,
      );
    }
  }
  return {
    type: 'Container',
    defaultRequest: { cpu: cpuRequest, memory: memoryRequest },
    default: { cpu: cpuLimit, memory: memoryLimit },
  };
}

const QUANTITY = /^(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const QUANTITY_SUFFIXES: { [suffix: string]: number } = {
  '': 1,
  'm': 1e-3,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/** Checks a Kubernetes resource quantity such as `500m`, `2` or `512Mi` (no sign, no exponent). */
function checkQuantity(owner: string, field: string, value: any): string {
  if (typeof value !== 'string' || !QUANTITY.test(value)) {
    fail(owner, field, `${describeValue(value)} is not a Kubernetes quantity; write e.g. "500m" or "2" (CPU), "512Mi" or "4Gi" (memory)`);
  }
  return value;
}

function quantityValue(text: string): number {
  const match = QUANTITY.exec(text)!;
  return Number(match[1]) * QUANTITY_SUFFIXES[match[3] ?? ''];
}
