/**
 * Member service accounts of a team, in a namespace where no pod can run, with optional
 * long-lived token Secrets.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { MemberServiceAccount } from './member-service-account';
import { MemberBinding } from './team-options';
import { AppRegistry } from './uniqueness';
import { createWorkloadFreeNamespace, DEFAULT_SERVICE_ACCOUNT, KUBERNETES_DEFAULT_NAMESPACE } from './workload-free-namespace';
import { fail } from '../core/errors';
import { DNS1123_LABEL_MAX_LENGTH } from '../core/names';
import { checkDnsLabel, checkDnsSubdomain } from '../policy/validation';

/** The suffix of a team's default members namespace: `<team namespace>-members`. */
export const MEMBERS_NAMESPACE_SUFFIX = '-members';

/** Where a team asks its members to live (see `membersNamespaceOf`). */
export interface MembersNamespaceRequest {
  /** How errors name the owning construct. */
  readonly owner: string;
  /** The team (workload) namespace. */
  readonly teamNamespace: string;
  /** The namespace asked for, if any. */
  readonly membersNamespace?: string;
  /** The explicit, unsafe opt-in to members in the team namespace. */
  readonly inWorkloadNamespace?: boolean;
  /** How the members are bound. */
  readonly memberBinding: MemberBinding;
  /** Namespaces the team may not use (system namespaces, the security team's). */
  readonly protectedNamespaces: readonly string[];
  /** The security team's namespace, if known (named in errors). */
  readonly securityNamespace?: string;
}

/**
 * The namespace of a team's members: `<team>-members` or the one asked for, never the team
 * namespace (where workloads run) unless `inWorkloadNamespace` says so explicitly, never a
 * protected namespace. Throws, naming the owner and field, otherwise.
 */
export function membersNamespaceOf(request: MembersNamespaceRequest): string {
  const { owner, teamNamespace, membersNamespace } = request;
  const inWorkloadNamespace = request.inWorkloadNamespace ?? false;
  if (typeof inWorkloadNamespace !== 'boolean') {
    fail(owner, 'membersInWorkloadNamespace', `${JSON.stringify(inWorkloadNamespace)} is not true or false`);
  }
  if (inWorkloadNamespace) {
    if (membersNamespace !== undefined) {
      fail(owner, 'membersNamespace', 'give membersNamespace or membersInWorkloadNamespace, not both');
    }
    if (request.memberBinding === MemberBinding.NAMESPACE_GROUP) {
      fail(
        owner,
        'memberBinding',
        `MemberBinding.NAMESPACE_GROUP with membersInWorkloadNamespace would make every service account of ${teamNamespace}, ` +
          'i.e. every workload, a team member; bind the members by name (MemberBinding.MEMBER_SERVICE_ACCOUNTS)',
      );
    }
    return teamNamespace;
  }
  const name = membersNamespace ?? `${teamNamespace}${MEMBERS_NAMESPACE_SUFFIX}`;
  if (membersNamespace === undefined && name.length > DNS1123_LABEL_MAX_LENGTH) {
    const shorter = `${teamNamespace.slice(0, DNS1123_LABEL_MAX_LENGTH - MEMBERS_NAMESPACE_SUFFIX.length).replace(/-+$/, '')}${MEMBERS_NAMESPACE_SUFFIX}`;
    fail(owner, 'membersNamespace', `the default members namespace "${name}" is longer than ${DNS1123_LABEL_MAX_LENGTH} characters; give membersNamespace, e.g. "${shorter}"`);
  }
  checkDnsLabel(owner, 'membersNamespace', name, 'namespace');
  if (name === teamNamespace) {
    fail(
      owner,
      'membersNamespace',
      `"${name}" is the team namespace, where workloads run: anyone who can create pods there could act as a member; ` +
        `use a namespace of their own such as the default "${teamNamespace}${MEMBERS_NAMESPACE_SUFFIX}" (or, unsafe, membersInWorkloadNamespace: true)`,
    );
  }
  if (name === KUBERNETES_DEFAULT_NAMESPACE) {
    fail(owner, 'membersNamespace', `"${name}" is where Kubernetes puts every object that names no namespace; the team's members get a namespace of their own, such as "${teamNamespace}${MEMBERS_NAMESPACE_SUFFIX}"`);
  }
  if (request.protectedNamespaces.includes(name)) {
    const whose = request.securityNamespace === name ? "the security team's namespace" : 'a system namespace';
    fail(owner, 'membersNamespace', `"${name}" is ${whose}; the team's members get a namespace of their own, such as "${teamNamespace}${MEMBERS_NAMESPACE_SUFFIX}"`);
  }
  return name;
}

/** Options of `TeamMembers`. */
export interface TeamMembersOptions {
  /** How errors name the owning construct. */
  readonly owner: string;
  /** The namespace of the member service accounts. */
  readonly namespace: string;
  /**
   * The Namespace object, when the owner creates it (the security team's namespace, which runs
   * nothing, or a team namespace with the explicit workload opt-in). Without it, the members get
   * a namespace of their own where no pod can run, created with the first member (or
   * `ensureNamespace()`).
   */
  readonly namespaceResource?: ApiObject;
  /** Create a `kubernetes.io/service-account-token` Secret per member. */
  readonly tokenSecrets: boolean;
}

/** One member: the service account and, if requested, its token Secret. */
export interface TeamMember {
  readonly name: string;
  readonly serviceAccount: MemberServiceAccount;
  readonly tokenSecret?: ApiObject;
}

/**
 * The member service accounts of a team (automountToken false: they stand for people, not
 * workloads). With `tokenSecrets`, each gets a `<name>-token` Secret of type
 * `kubernetes.io/service-account-token`, which Kubernetes fills with a long-lived token.
 *
 * Without a `namespaceResource`, the members live in a namespace of their own where no pod can
 * run (see `createWorkloadFreeNamespace`): whoever may create pods in the team's namespace (CI,
 * an operator, a compromised workload's controller) cannot run a pod as a member. At synthesis,
 * another Namespace object of the same name anywhere in the app is an error (`AppRegistry`).
 *
 * Not a construct of its own: the objects are children of the owning team construct, with ids
 * starting with `id` (`MembersNamespace`, `Members-alice`), so that each is one construct, one
 * level below the team.
 */
export class TeamMembers {
  private readonly options: TeamMembersOptions;
  private readonly byName = new Map<string, TeamMember>();
  private readonly objects = new Set<IConstruct>();
  private ownNamespace?: ApiObject;

  /**
   * @param scope the owning team construct
   * @param id the prefix of the objects' construct ids
   */
  constructor(private readonly scope: Construct, private readonly id: string, options: TeamMembersOptions) {
    this.options = options;
  }

  /** The namespace of the member service accounts. */
  public get namespaceName(): string {
    return this.options.namespace;
  }

  /**
   * The Namespace the members live in: the given one, or their own, created now if it does not
   * exist yet.
   */
  public ensureNamespace(): ApiObject {
    if (this.options.namespaceResource !== undefined) {
      return this.options.namespaceResource;
    }
    if (this.ownNamespace === undefined) {
      const home = createWorkloadFreeNamespace(this.scope, `${this.id}Namespace`, this.options.namespace);
      [home.namespace, home.defaultServiceAccount, home.quota].forEach((obj) => this.objects.add(obj));
      this.ownNamespace = home.namespace;
      // Another Namespace of this name anywhere in the app is an error at synthesis (uniqueness.ts), which says why.
      AppRegistry.of(this.scope).explain(
        this.ownNamespace,
        `the members' namespace of ${this.options.owner}, which must be a namespace of their own where no pod runs: choose another members namespace`,
      );
    }
    return this.ownNamespace;
  }

  /** Adds a member; `field` names the input in errors (e.g. `members[2]`). */
  public add(name: string, field: string): TeamMember {
    const { owner, namespace, tokenSecrets } = this.options;
    checkDnsSubdomain(owner, field, name, 'member (service account) name');
    if (name === DEFAULT_SERVICE_ACCOUNT) {
      fail(
        owner,
        field,
        `"${DEFAULT_SERVICE_ACCOUNT}" is the service account Kubernetes creates in every namespace and gives to every pod that names none; ` +
          'name the member after the person, e.g. "alice"',
      );
    }
    if (this.byName.has(name)) {
      fail(owner, field, `"${name}" is already a member of the team in namespace ${namespace}; add each member once`);
    }
    if (tokenSecrets && name.length > 253 - '-token'.length) {
      fail(owner, field, `"${name}" is too long for its token Secret "${name}-token"; use at most ${253 - '-token'.length} characters`);
    }
    const namespaceResource = this.ensureNamespace();
    const serviceAccount = new MemberServiceAccount(this.scope, `${this.id}-${name}`, { name, namespace });
    serviceAccount.addDependency(namespaceResource);
    this.objects.add(serviceAccount);
    let tokenSecret: ApiObject | undefined;
    if (tokenSecrets) {
      tokenSecret = new ApiObject(this.scope, `${this.id}-${name}-token`, {
        ...kplus.k8s.KubeSecret.GVK,
        metadata: { name: `${name}-token`, namespace, annotations: { 'kubernetes.io/service-account.name': name } },
        type: 'kubernetes.io/service-account-token',
      });
      // The token controller deletes token Secrets whose service account does not exist.
      tokenSecret.addDependency(serviceAccount);
      this.objects.add(tokenSecret);
    }
    const member: TeamMember = { name, serviceAccount, tokenSecret };
    this.byName.set(name, member);
    return member;
  }

  /** The member names, in the order they were added. */
  public get names(): string[] {
    return [...this.byName.keys()];
  }

  /** The members, in the order they were added. */
  public get all(): TeamMember[] {
    return [...this.byName.values()];
  }

  /** The member called `name`, if any. */
  public get(name: string): TeamMember | undefined {
    return this.byName.get(name);
  }

  /**
   * Whether `construct` is one of the objects created here (member accounts, token Secrets,
   * their namespace). What others add below them is not.
   */
  public contains(construct: IConstruct): boolean {
    return this.objects.has(construct);
  }
}
