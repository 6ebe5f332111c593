import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { MemberServiceAccount } from './member-service-account';
import { PROTECTED_NAMESPACES } from './system-namespaces';
import { TeamMember, TeamMembers } from './team-members';
import { ClusterPolicyApi, MemberBinding } from './team-options';
import { checkGroups, checkUsers, userAndGroupSubjects } from './team-subjects';
import { AppRegistry } from './uniqueness';
import { createWorkloadFreeNamespace, KUBERNETES_DEFAULT_NAMESPACE } from './workload-free-namespace';
import { builtInTier, DEFAULT_TIER_ORDER, KUBE_ADMIN_TIER_ORDER } from '../core/calico';
import { describeValue, fail } from '../core/errors';
import { POLICY_NETWORKING_GROUP } from '../core/resource-catalogue';
import { ITier, Tier, TierDefaultAction } from '../policy/tier';
import { checkDnsLabel, describeConstruct } from '../policy/validation';
import { apiGroupNames } from '../rbac/api-group-names';
import { CalicoApiGroups } from '../rbac/api-groups';
import { ApiResourceRef } from '../rbac/api-resource-ref';
import { BindableClusterRole } from '../rbac/bindable-cluster-role';
import { CalicoTierReaderRole } from '../rbac/calico-tier-reader-role';
import { CalicoTierRole } from '../rbac/calico-tier-role';
import { checkRoleName, tierNameOf } from '../rbac/checks';
import { NetworkPolicyAdminRole } from '../rbac/network-policy-admin-role';
import { PolicyTroubleshootingRole } from '../rbac/policy-troubleshooting-role';
import { RbacGrant } from '../rbac/rbac-grant';
import { BindingObject } from '../rbac/rbac-rendering';
import { ServiceAccountLabelerRole } from '../rbac/service-account-labeler-role';
import { MANAGE_VERBS } from '../rbac/verbs';

/** Options of the tier a `SecurityTeam` owns. */
export interface SecurityTierOptions {
  /**
   * The tier name.
   *
   * @default 'security'
   */
  readonly name?: string;

  /**
   * The tier order: below the `default` tier's 1,000,000, so that the security team's policies
   * are evaluated before the development teams' ones. With `ClusterPolicyApi.KUBERNETES`, above
   * the `kube-admin` tier's 1,000, where the baseline's ClusterNetworkPolicies are, so that their
   * allowances (DNS, metrics collector) come before the team's controls.
   *
   * @default 100 (1100 with `policyApi: ClusterPolicyApi.KUBERNETES`)
   */
  readonly order?: number;

  /**
   * What happens to traffic that the tier's policies select but do not decide. `PASS` hands it
   * to the next tier (the `default` tier, where the teams' policies decide).
   *
   * @default TierDefaultAction.PASS
   */
  readonly defaultAction?: TierDefaultAction;
}

/** Properties of a `SecurityTeam`. */
export interface SecurityTeamProps {
  /**
   * The team namespace, which holds the member service accounts and runs nothing: a
   * ResourceQuota `no-pods` (`pods: "0"`), Pod Security `restricted` (enforce, audit, warn) and
   * its `default` service account without an automounted token. So no one can start a pod that
   * runs as a member; keep workloads (controllers, operators) in other namespaces.
   *
   * @default 'security'
   */
  readonly namespace?: string;

  /**
   * Member service accounts to create (one per person), e.g. `['security-member']`, in the team
   * namespace, each bound by name. More can be added with `addMember()`. In production prefer
   * `users` or `groups` from your identity provider.
   *
   * @default - none
   */
  readonly members?: string[];

  /**
   * Further users to bind (names as the authenticator reports them, e.g. OIDC or certificate
   * users).
   *
   * @default - none
   */
  readonly users?: string[];

  /**
   * Identity-provider groups to bind: the production path, where people authenticate with OIDC
   * or certificates instead of service-account tokens.
   *
   * @default - none
   */
  readonly groups?: string[];

  /**
   * How the member service accounts are bound. `MemberBinding.NAMESPACE_GROUP` binds
   * `system:serviceaccounts:<namespace>`: EVERY service account of the team namespace, including
   * its `default` account and any created later, becomes a cluster-wide policy administrator.
   * Only choose it if you control who may create service accounts and tokens there.
   *
   * @default MemberBinding.MEMBER_SERVICE_ACCOUNTS (each member by name)
   */
  readonly memberBinding?: MemberBinding;

  /**
   * The Calico API groups the team administers: `projectcalico.org` (kubectl, with Calico's tier
   * authorization and validation), `crd.projectcalico.org` (calicoctl in Kubernetes-datastore
   * mode), or both.
   *
   * Opting in to `crd.projectcalico.org` gives the team's members (and whoever steals one of
   * their credentials) write access around Calico's controls: no tier authorization there (they
   * can write policies of every tier, whatever `grantTierAccess()` says) and no Calico validation
   * (objects the Calico API server would refuse are stored). See docs/credentials.md.
   *
   * @default CalicoApiGroups.PROJECTCALICO_ORG
   */
  readonly calicoApiGroups?: CalicoApiGroups;

  /**
   * Let the team create tiers. RBAC cannot limit `create` to names, so this allows any tier at
   * any order, including one ordered before the security tier. Without it, the team may update,
   * patch and delete its own tier only (and read every tier); whoever applies the manifests
   * creates the tier.
   *
   * @default false
   */
  readonly canCreateTiers?: boolean;

  /**
   * The tier the team owns.
   *
   * @default - tier `security`, order 100, default action Pass
   */
  readonly tier?: SecurityTierOptions;

  /**
   * Also write policies of the `default` tier (the team manages everything).
   *
   * @default true
   */
  readonly manageDefaultTier?: boolean;

  /**
   * Let the team read service accounts and change their labels cluster-wide. Calico policies can
   * select pods by their service account's labels, so whoever labels service accounts decides
   * who passes such policies: that right belongs to the security team.
   *
   * @default true
   */
  readonly canLabelServiceAccounts?: boolean;

  /**
   * Read-only access to pods, namespaces, services, endpoints, endpoint slices and service
   * accounts cluster-wide, to write selectors and debug policies.
   *
   * @default true
   */
  readonly troubleshootingReadAccess?: boolean;

  /**
   * The API of the platform's cluster-wide policies, which `BaselineGlobalPolicies` of this team
   * follows unless told otherwise. With `ClusterPolicyApi.KUBERNETES` the team's tier comes
   * after Calico's `kube-admin` tier (default order 1,100) and the team may write
   * ClusterNetworkPolicies (`policy.networking.k8s.io`).
   *
   * @default ClusterPolicyApi.CALICO
   */
  readonly policyApi?: ClusterPolicyApi;

  /**
   * Refused when true: a long-lived token Secret of a security member would be a cluster-wide
   * policy-administrator credential that never expires and that anyone who can read Secrets in
   * the namespace can take. Members request short-lived tokens with
   * `kubectl create token <member> -n <namespace>` (see docs/credentials.md).
   *
   * @default false
   */
  readonly memberTokenSecrets?: boolean;
}

/**
 * The security team of the shift-left model: it owns a Calico tier evaluated before the
 * `default` tier, administers every network policy, and decides who may label service accounts.
 * An app has one: a second SecurityTeam, a development team in its namespace or a member name
 * that another team has too is an error when the app is synthesized.
 *
 * It creates:
 * - the team Namespace, which runs nothing (ResourceQuota `no-pods` with `pods: "0"`, Pod
 *   Security `restricted`, its `default` ServiceAccount without an automounted token), and one
 *   ServiceAccount per member (`automountServiceAccountToken: false`, no token Secret);
 * - the Calico Tier (default `security`, order 100, default action Pass);
 * - ClusterRoles, each bound by a ClusterRoleBinding of the same name to the members (each by
 *   name, unless `MemberBinding.NAMESPACE_GROUP`) and the given users and groups:
 *   `<ns>-network-policy-admin` (Kubernetes and Calico policy resources in `projectcalico.org`,
 *   tiers read-only except its own tier, which it may update, patch and delete),
 *   `<ns>-calico-tier-<tier>` for its own tier and `default` (Calico's tier grants, which Calico
 *   checks in `projectcalico.org` only, so they are left out when the team administers
 *   `crd.projectcalico.org` only),
 *   `<ns>-serviceaccount-labeler` (read and patch service accounts) and
 *   `<ns>-policy-troubleshooting` (read-only).
 *
 * With `policyApi: ClusterPolicyApi.KUBERNETES` the tier comes after Calico's `kube-admin`
 * tier (order 1,100 by default), where the baseline's ClusterNetworkPolicies then are, and the
 * admin role also manages `clusternetworkpolicies` (`policy.networking.k8s.io`).
 *
 * Members get credentials with `kubectl create token <member> -n <namespace>`; see
 * docs/credentials.md for the kubeconfig steps (`kubectl config set-cluster`, `set-credentials`,
 * `set-context --user=<member>`).
 *
 * @example
 * const security = new SecurityTeam(chart, 'security', { members: ['security-member'] });
 * new BaselineGlobalPolicies(chart, 'baseline', { securityTeam: security });
 */
export class SecurityTeam extends Construct {
  /** The team namespace name. */
  public readonly namespaceName: string;

  /** The Namespace object. */
  public readonly namespace: ApiObject;

  /** The tier the team owns. */
  public readonly tier: Tier;

  /** The role for Kubernetes and Calico policy resources. */
  public readonly adminRole: NetworkPolicyAdminRole;

  /** The API groups the team administers. */
  public readonly calicoApiGroups: CalicoApiGroups;

  /** How members are bound. */
  public readonly memberBinding: MemberBinding;

  /** The API of the platform's cluster-wide policies. */
  public readonly policyApi: ClusterPolicyApi;

  private readonly owner: string;
  private readonly members: TeamMembers;
  private readonly roles: BindableClusterRole[] = [];
  private readonly tierRoles = new Map<string, CalicoTierRole>();
  private readonly subjects: kplus.ISubject[] = [];
  private tierReader?: CalicoTierReaderRole;
  private readonly tierReadBindings = new Map<string, BindingObject>();

  constructor(scope: Construct, id: string, props: SecurityTeamProps = {}) {
    super(scope, id);
    this.owner = describeConstruct('SecurityTeam', this);
    const ns = props.namespace ?? 'security';
    checkDnsLabel(this.owner, 'namespace', ns, 'namespace');
    if (PROTECTED_NAMESPACES.includes(ns)) {
      fail(this.owner, 'namespace', `"${ns}" is a system namespace; give the security team a namespace of its own, e.g. "security"`);
    }
    if (ns === KUBERNETES_DEFAULT_NAMESPACE) {
      fail(
        this.owner,
        'namespace',
        `"${ns}" is where Kubernetes puts every object that names no namespace, and the team's namespace runs nothing (no pods at all); ` +
          'give the security team a namespace of its own, e.g. "security"',
      );
    }
    this.namespaceName = ns;
    this.calicoApiGroups = props.calicoApiGroups ?? CalicoApiGroups.PROJECTCALICO_ORG;
    apiGroupNames(this.owner, 'calicoApiGroups', this.calicoApiGroups);
    this.policyApi = props.policyApi ?? ClusterPolicyApi.CALICO;
    if (!Object.values(ClusterPolicyApi).includes(this.policyApi)) {
      fail(this.owner, 'policyApi', `${describeValue(this.policyApi)} is not a policy API; use ClusterPolicyApi.CALICO or ClusterPolicyApi.KUBERNETES`);
    }
    this.memberBinding = props.memberBinding ?? MemberBinding.MEMBER_SERVICE_ACCOUNTS;
    if (!Object.values(MemberBinding).includes(this.memberBinding)) {
      fail(this.owner, 'memberBinding', `${JSON.stringify(this.memberBinding)} is not a member binding; use MemberBinding.NAMESPACE_GROUP or MemberBinding.MEMBER_SERVICE_ACCOUNTS`);
    }
    if (props.memberTokenSecrets !== undefined && props.memberTokenSecrets !== false) {
      fail(
        this.owner,
        'memberTokenSecrets',
        'a token Secret of a security member never expires and administers every network policy of the cluster; ' +
          `leave it out and request short-lived tokens with \`kubectl create token <member> -n ${ns}\` (docs/credentials.md), ` +
          'or bind identity-provider users or groups',
      );
    }
    const users = checkUsers(this.owner, 'users', props.users);
    const groups = checkGroups(this.owner, 'groups', props.groups);

    this.namespace = createWorkloadFreeNamespace(this, 'Namespace', ns).namespace;
    // One security team per app, and no namespace or member name shared with another team (checked at synthesis).
    AppRegistry.of(this).addSecurityTeam({
      construct: this,
      owner: this.owner,
      namespaceName: ns,
      membersNamespace: () => ns,
      memberNames: () => this.members.names,
    });
    this.members = new TeamMembers(this, 'Members', {
      owner: this.owner,
      namespace: ns,
      namespaceResource: this.namespace,
      tokenSecrets: false,
    });
    // The member accounts come right after their namespace; the roles below bind them as they are created.
    (props.members ?? []).forEach((member, i) => this.addMemberAt(member, `members[${i}]`));

    this.tier = this.createTier(props.tier ?? {});

    const subjectScope = new Construct(this, 'Subjects');
    if (this.memberBinding === MemberBinding.NAMESPACE_GROUP) {
      this.subjects.push(kplus.Group.fromName(subjectScope, 'Members', `system:serviceaccounts:${ns}`));
    }
    this.subjects.push(...userAndGroupSubjects(subjectScope, users, groups));

    this.adminRole = new NetworkPolicyAdminRole(this, 'NetworkPolicyAdmin', {
      name: `${ns}-network-policy-admin`,
      calicoApiGroups: this.calicoApiGroups,
      writableTiers: [this.tier],
      canCreateTiers: props.canCreateTiers ?? false,
    });
    if (this.policyApi === ClusterPolicyApi.KUBERNETES) {
      // The baseline's ClusterNetworkPolicies are the team's to write (cluster-scoped, no Calico tier authorization).
      this.adminRole.addGrant(RbacGrant.of([...MANAGE_VERBS], ApiResourceRef.of(POLICY_NETWORKING_GROUP, 'clusternetworkpolicies')));
    }
    this.addRole(this.adminRole);
    if (this.calicoApiGroups !== CalicoApiGroups.CRD_PROJECTCALICO_ORG) {
      // calicoctl in Kubernetes-datastore mode writes crd.projectcalico.org, where Calico checks no tier grants.
      this.grantTierAccess(this.tier);
      if (props.manageDefaultTier ?? true) {
        this.grantTierAccess(Tier.DEFAULT);
      }
    }
    if (props.canLabelServiceAccounts ?? true) {
      this.addRole(new ServiceAccountLabelerRole(this, 'ServiceAccountLabeler', { name: `${ns}-serviceaccount-labeler` }));
    }
    if (props.troubleshootingReadAccess ?? true) {
      this.addRole(new PolicyTroubleshootingRole(this, 'PolicyTroubleshooting', { name: `${ns}-policy-troubleshooting` }));
    }
  }

  /** The tier name. */
  public get tierName(): string {
    return this.tier.name;
  }

  /** The member names, in the order they were added. */
  public get memberNames(): string[] {
    return this.members.names;
  }

  /** The ClusterRoles of the team (admin, tier roles, labeler, troubleshooting), in creation order. */
  public get clusterRoles(): BindableClusterRole[] {
    return [...this.roles];
  }

  /**
   * Adds a member: a ServiceAccount in the team namespace (which runs nothing), bound to every
   * team role (by name, unless `MemberBinding.NAMESPACE_GROUP` binds the whole namespace).
   *
   * @param name the service account name, e.g. `security-member`
   * @returns the member's ServiceAccount
   */
  public addMember(name: string): MemberServiceAccount {
    return this.addMemberAt(name, 'addMember()').serviceAccount;
  }

  /**
   * The ServiceAccount of a member.
   *
   * @param name the member name
   */
  public memberServiceAccount(name: string): MemberServiceAccount {
    const member = this.members.get(name);
    if (member === undefined) {
      fail(this.owner, 'memberServiceAccount()', `"${name}" is not a member; members: ${this.members.names.join(', ') || 'none'}`);
    }
    return member.serviceAccount;
  }

  /**
   * Lets the team write the policies of another tier: a ClusterRole `<ns>-calico-tier-<tier>` with
   * Calico's two tier grants, bound to the team. Granting the same tier twice returns the
   * existing role.
   *
   * @param tier the tier: a `Tier` construct, `Tier.fromName('platform')` or `Tier.DEFAULT`
   */
  public grantTierAccess(tier: ITier): CalicoTierRole {
    const name = tierNameOf(this.owner, 'grantTierAccess()', tier);
    const existing = this.tierRoles.get(name);
    if (existing !== undefined) {
      return existing;
    }
    if (this.calicoApiGroups === CalicoApiGroups.CRD_PROJECTCALICO_ORG) {
      fail(
        this.owner,
        'grantTierAccess()',
        `tier grants are checked by Calico in projectcalico.org only, and the team administers ${this.calicoApiGroups} only; ` +
          'set calicoApiGroups to CalicoApiGroups.BOTH or CalicoApiGroups.PROJECTCALICO_ORG',
      );
    }
    const role = new CalicoTierRole(this, `CalicoTier-${name}`, { tier, name: `${this.namespaceName}-calico-tier-${name}` });
    this.tierRoles.set(name, role);
    this.addRole(role);
    return role;
  }

  /**
   * Binds subjects of a development team to the ClusterRole `<ns>-calico-tier-default-reader`
   * (`get` on the `default` tier), through a ClusterRoleBinding
   * `<teamNamespace>-calico-tier-default-reader` owned by the security team. Calico needs this
   * cluster-scoped grant before a team may write `default`-tier policies in its namespace.
   *
   * @param teamNamespace the development team's namespace (names the binding)
   * @param subjects the team's subjects
   * @returns the ClusterRoleBinding
   */
  public grantDefaultTierRead(teamNamespace: string, ...subjects: kplus.ISubject[]): ApiObject {
    checkDnsLabel(this.owner, 'grantDefaultTierRead()', teamNamespace, 'namespace');
    if (this.tierReader === undefined) {
      this.tierReader = new CalicoTierReaderRole(this, 'DefaultTierReader', {
        name: `${this.namespaceName}-calico-tier-default-reader`,
        tiers: [Tier.DEFAULT],
      });
    }
    let binding = this.tierReadBindings.get(teamNamespace);
    if (binding === undefined) {
      const name = `${teamNamespace}-calico-tier-default-reader`;
      checkRoleName(this.owner, 'grantDefaultTierRead()', name);
      binding = new BindingObject(this, `DefaultTierRead-${teamNamespace}`, this.owner, { kind: 'ClusterRole', name: this.tierReader.name }, { name });
      this.tierReadBindings.set(teamNamespace, binding);
    }
    return binding.bind('grantDefaultTierRead()', subjects);
  }

  private createTier(options: SecurityTierOptions): Tier {
    if (options === null || typeof options !== 'object') {
      fail(this.owner, 'tier', 'must be an object { name?, order?, defaultAction? }');
    }
    const name = options.name ?? 'security';
    const afterKubeAdmin = this.policyApi === ClusterPolicyApi.KUBERNETES;
    // Calico: api/pkg/apis/projectcalico/v3/tier.go KubeAdminTierOrder (the tier of Admin ClusterNetworkPolicies)
    const order = options.order ?? (afterKubeAdmin ? KUBE_ADMIN_TIER_ORDER + 100 : 100);
    if (builtInTier(name) !== undefined) {
      fail(this.owner, 'tier.name', `"${name}" is a tier Calico creates; the security team needs a tier of its own, evaluated before "default": use e.g. "security"`);
    }
    if (afterKubeAdmin && typeof order === 'number' && order <= KUBE_ADMIN_TIER_ORDER) {
      fail(
        this.owner,
        'tier.order',
        `${order} puts the tier before Calico's kube-admin tier (order ${KUBE_ADMIN_TIER_ORDER}), where the baseline's ClusterNetworkPolicies are (policyApi KUBERNETES): ` +
          `the team's controls would then decide before the baseline's allowances (DNS, metrics collector); use an order between ${KUBE_ADMIN_TIER_ORDER} and ${DEFAULT_TIER_ORDER}, e.g. ${KUBE_ADMIN_TIER_ORDER + 100}`,
      );
    }
    if (typeof order !== 'number' || !Number.isFinite(order) || order >= DEFAULT_TIER_ORDER) {
      fail(
        this.owner,
        'tier.order',
        `${JSON.stringify(order)} does not put the tier before the default tier (order ${DEFAULT_TIER_ORDER}); use a smaller order such as 100`,
      );
    }
    return new Tier(this, 'Tier', {
      name,
      order,
      defaultAction: options.defaultAction ?? TierDefaultAction.PASS,
    });
  }

  private addRole(role: BindableClusterRole): void {
    this.roles.push(role);
    const subjects = this.currentSubjects();
    if (subjects.length > 0) {
      role.bind(...subjects);
    }
  }

  private currentSubjects(): kplus.ISubject[] {
    const members = this.memberBinding === MemberBinding.MEMBER_SERVICE_ACCOUNTS ? this.members.all.map((m) => m.serviceAccount) : [];
    return [...this.subjects, ...members];
  }

  private addMemberAt(name: string, field: string): TeamMember {
    const member = this.members.add(name, field);
    if (this.memberBinding === MemberBinding.MEMBER_SERVICE_ACCOUNTS) {
      for (const role of this.roles) {
        role.bind(member.serviceAccount);
      }
    }
    return member;
  }
}
