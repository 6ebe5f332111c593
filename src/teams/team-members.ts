/**
 * Member service accounts of a team, in a namespace where no pod can run, with optional
 * long-lived token Secrets.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { createWorkloadFreeNamespace } from './workload-free-namespace';
import { fail } from '../core/errors';
import { checkDnsSubdomain } from '../policy/validation';

/** The service account Kubernetes creates in every namespace and gives to pods that name none. */
const DEFAULT_SERVICE_ACCOUNT = 'default';

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
  readonly namespaceResource?: kplus.Namespace;
  /** Create a `kubernetes.io/service-account-token` Secret per member. */
  readonly tokenSecrets: boolean;
}

/** One member: the service account and, if requested, its token Secret. */
export interface TeamMember {
  readonly name: string;
  readonly serviceAccount: kplus.ServiceAccount;
  readonly tokenSecret?: kplus.ServiceAccountTokenSecret;
}

/**
 * The member service accounts of a team (automountToken false: they stand for people, not
 * workloads). With `tokenSecrets`, each gets a `<name>-token` Secret of type
 * `kubernetes.io/service-account-token`, which Kubernetes fills with a long-lived token.
 *
 * Without a `namespaceResource`, the members live in a namespace of their own where no pod can
 * run (see `createWorkloadFreeNamespace`): whoever may create pods in the team's namespace (CI,
 * an operator, a compromised workload's controller) cannot run a pod as a member. At synthesis,
 * another Namespace object of the same name anywhere in the app is an error.
 */
export class TeamMembers extends Construct {
  private readonly options: TeamMembersOptions;
  private readonly byName = new Map<string, TeamMember>();
  private ownNamespace?: kplus.Namespace;

  constructor(scope: Construct, id: string, options: TeamMembersOptions) {
    super(scope, id);
    this.options = options;
    this.node.addValidation({ validate: () => this.namespaceClashes() });
  }

  /** The namespace of the member service accounts. */
  public get namespaceName(): string {
    return this.options.namespace;
  }

  /**
   * The Namespace the members live in: the given one, or their own, created now if it does not
   * exist yet.
   */
  public ensureNamespace(): kplus.Namespace {
    if (this.options.namespaceResource !== undefined) {
      return this.options.namespaceResource;
    }
    if (this.ownNamespace === undefined) {
      this.ownNamespace = createWorkloadFreeNamespace(this, 'Namespace', this.options.namespace).namespace;
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
    const serviceAccount = new kplus.ServiceAccount(this, name, {
      metadata: { name, namespace },
      automountToken: false,
    });
    serviceAccount.node.addDependency(namespaceResource);
    let tokenSecret: kplus.ServiceAccountTokenSecret | undefined;
    if (tokenSecrets) {
      tokenSecret = new kplus.ServiceAccountTokenSecret(this, `${name}-token`, {
        metadata: { name: `${name}-token`, namespace },
        serviceAccount,
      });
      // The token controller deletes token Secrets whose service account does not exist.
      tokenSecret.node.addDependency(serviceAccount);
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

  /** Whether `construct` is one of the objects created here (member accounts, their namespace). */
  public contains(construct: IConstruct): boolean {
    return construct.node.scopes.includes(this);
  }

  /** Errors for other Namespace objects in the app with the name of the members' own namespace. */
  private namespaceClashes(): string[] {
    if (this.ownNamespace === undefined) {
      return [];
    }
    const own = ApiObject.of(this.ownNamespace);
    return this.node.root.node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject && c !== own && c.kind === 'Namespace' && c.apiVersion === 'v1' && c.name === own.name)
      .map((other) =>
        `${this.options.owner}: the members' namespace "${own.name}" is also declared by ${other.node.path}; ` +
        'members must live in a namespace of their own, where no pod runs: choose another members namespace',
      );
  }
}
