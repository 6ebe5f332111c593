/**
 * Member service accounts of a team, with optional long-lived token Secrets.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { checkDnsSubdomain } from '../policy/validation';

/** Options of `TeamMembers`. */
export interface TeamMembersOptions {
  /** How errors name the owning construct. */
  readonly owner: string;
  /** The team namespace. */
  readonly namespace: string;
  /** The Namespace object, which every member object depends on. */
  readonly namespaceResource: kplus.Namespace;
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
 */
export class TeamMembers extends Construct {
  private readonly options: TeamMembersOptions;
  private readonly byName = new Map<string, TeamMember>();

  constructor(scope: Construct, id: string, options: TeamMembersOptions) {
    super(scope, id);
    this.options = options;
  }

  /** Adds a member; `field` names the input in errors (e.g. `members[2]`). */
  public add(name: string, field: string): TeamMember {
    const { owner, namespace, namespaceResource, tokenSecrets } = this.options;
    checkDnsSubdomain(owner, field, name, 'member (service account) name');
    if (this.byName.has(name)) {
      fail(owner, field, `"${name}" is already a member of the team in namespace ${namespace}; add each member once`);
    }
    if (tokenSecrets && name.length > 253 - '-token'.length) {
      fail(owner, field, `"${name}" is too long for its token Secret "${name}-token"; use at most ${253 - '-token'.length} characters`);
    }
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
}
