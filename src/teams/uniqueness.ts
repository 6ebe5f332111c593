/**
 * What only the whole app shows: one check, registered once on the app's root, that no two
 * constructs claim the same thing — one security team per app, one team per namespace, one team
 * per identity label value, one team per member name, and one construct per Kubernetes object
 * (group, kind, namespace, name). Every error names both constructs.
 *
 * The team constructs register themselves here (no import of them, so no cycle); other checks
 * that need the app's baselines or teams read them from the same registry instead of walking the
 * construct tree once per construct.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { findKind, isClusterScopedKind, parseApiVersion } from '../core/resource-catalogue';

/** A team construct as the checks see it. */
export interface TeamRecord {
  /** The team construct. */
  readonly construct: IConstruct;
  /** How errors name it, e.g. `DevTeamNamespace "teams/be"`. */
  readonly owner: string;
  /** The team's namespace. */
  readonly namespaceName: string;
  /** The namespace of the member service accounts. */
  readonly membersNamespace: () => string;
  /** The member names, read when the app is synthesized. */
  readonly memberNames: () => readonly string[];
  /** The labels of the team's namespace, for development teams. */
  readonly labels?: () => { readonly [key: string]: string };
  /** The label keys that identify the team (`['team']`), for development teams. */
  readonly identityLabels?: () => readonly string[];
}

const REGISTRIES = new WeakMap<IConstruct, AppRegistry>();

/**
 * The app-wide registry of the team constructs, and the checks that need all of them. One per
 * app root; its validation is registered on the root once, when the first team construct asks.
 */
export class AppRegistry {
  /**
   * The registry of the app `scope` belongs to (created, with its validation on the root, the
   * first time).
   */
  public static of(scope: IConstruct): AppRegistry {
    const root = scope.node.root;
    let registry = REGISTRIES.get(root);
    if (registry === undefined) {
      registry = new AppRegistry(root);
      REGISTRIES.set(root, registry);
    }
    return registry;
  }

  private readonly constructs: IConstruct[] = [];
  private readonly securityTeams: TeamRecord[] = [];
  private readonly devTeams: TeamRecord[] = [];
  private readonly notes = new Map<ApiObject, string>();
  /** The last `errors()` answer and what it was computed from. */
  private lastCheck?: { readonly all: readonly IConstruct[]; readonly inputs: string; readonly errors: readonly string[] };
  /** `registeredOf()` answers, valid while no construct is registered. */
  private readonly byType = new Map<Function, readonly IConstruct[]>();

  private constructor(private readonly root: IConstruct) {
    root.node.addValidation({ validate: () => this.errors() });
  }

  /** Registers a construct that other checks look up (a baseline, a team), in creation order. */
  public register(construct: IConstruct): void {
    this.constructs.push(construct);
    this.byType.clear();
  }

  /** The registered constructs, in creation order (filter them with `instanceof`). */
  public get registered(): readonly IConstruct[] {
    return this.constructs;
  }

  /**
   * The registered constructs of one class, in creation order. The answer is kept until the next
   * registration, so that a check every team runs costs one pass over the registry, not one per team.
   *
   * @param type the class, e.g. `BaselineGlobalPolicies`
   */
  public registeredOf<T extends IConstruct>(type: abstract new (...args: any[]) => T): readonly T[] {
    let found = this.byType.get(type);
    if (found === undefined) {
      found = this.constructs.filter((c) => c instanceof type);
      this.byType.set(type, found);
    }
    return found as readonly T[];
  }

  /** Registers the security team; a second one in the same app is an error at synthesis. */
  public addSecurityTeam(record: TeamRecord): void {
    this.register(record.construct);
    this.securityTeams.push(record);
  }

  /** Registers a development team. */
  public addDevTeam(record: TeamRecord): void {
    this.register(record.construct);
    this.devTeams.push(record);
  }

  /**
   * Explains why `obj` must be the only object of its identity: added to the error if another
   * construct synthesizes the same object.
   */
  public explain(obj: ApiObject, note: string): void {
    this.notes.set(obj, note);
  }

  /**
   * Every error, in a stable order: teams first, then objects. cdk8s validates the app once per
   * chart it synthesizes, so the last answer is kept with what it was computed from — the app's
   * constructs, in order, and the teams' labels and members — and given again while they are the
   * same (an object's group, kind, namespace and name never change).
   */
  private errors(): string[] {
    const all = this.root.node.findAll();
    const inputs = JSON.stringify(this.devTeams.map((t) => [t.labels?.(), t.identityLabels?.(), t.memberNames()]));
    const last = this.lastCheck;
    if (last !== undefined && last.inputs === inputs && sameConstructs(last.all, all)) {
      return [...last.errors];
    }
    const reported: Array<[IConstruct, IConstruct]> = [];
    const errors = [
      ...this.securityTeamErrors(reported),
      ...this.namespaceErrors(reported),
      ...this.identityErrors(),
      ...this.memberErrors(reported),
    ];
    errors.push(...this.objectErrors(all, reported));
    this.lastCheck = { all, inputs, errors };
    return [...errors];
  }

  /** Every team, security and development, in creation order. */
  private teamsInOrder(): TeamRecord[] {
    const records = new Map<IConstruct, TeamRecord>([...this.securityTeams, ...this.devTeams].map((t) => [t.construct, t]));
    return this.constructs.filter((c) => records.has(c)).map((c) => records.get(c)!);
  }

  private securityTeamErrors(reported: Array<[IConstruct, IConstruct]>): string[] {
    const [first, ...others] = this.securityTeams;
    return others.map((other) => {
      reported.push([first.construct, other.construct]);
      return `${other.owner}: the app already has a security team, ${first.owner}: one team owns the tiers before "default" and administers ` +
        'every network policy, two would synthesize the same tier and split that authority; add members, users or groups to the first one';
    });
  }

  private namespaceErrors(reported: Array<[IConstruct, IConstruct]>): string[] {
    const errors: string[] = [];
    const teams = this.teamsInOrder();
    const byNamespace = new Map<string, TeamRecord>();
    for (const team of teams) {
      const first = byNamespace.get(team.namespaceName);
      if (first === undefined) {
        byNamespace.set(team.namespaceName, team);
        continue;
      }
      reported.push([first.construct, team.construct]);
      errors.push(`${team.owner}: name: namespace "${team.namespaceName}" is already the namespace of ${first.owner}; each team gets a namespace of its own`);
    }
    return errors;
  }

  /**
   * A label value that identifies a team (a key among its `identityLabels`) carried by another
   * team too, whichever of the two declares the key an identity. The later team reports.
   */
  private identityErrors(): string[] {
    const errors: string[] = [];
    const carriers = new Map<string, TeamRecord[]>();
    for (const team of this.devTeams) {
      for (const [key, value] of Object.entries(team.labels?.() ?? {})) {
        const id = JSON.stringify([key, value]);
        carriers.set(id, [...(carriers.get(id) ?? []), team]);
      }
    }
    for (const [id, teams] of carriers) {
      const [key, value] = JSON.parse(id) as [string, string];
      if (teams.length < 2 || !teams.some((t) => t.identityLabels?.().includes(key))) {
        continue;
      }
      const [first, ...others] = teams;
      for (const team of others.filter((t) => t.namespaceName !== first.namespaceName)) {
        errors.push(
          `${team.owner}: labels.${key}: "${value}" already identifies ${first.owner} (namespace ${first.namespaceName}); ` +
            `give each team its own ${key} value, and point at other teams by name (Peer.namespaces('${first.namespaceName}'))`,
        );
      }
    }
    return errors;
  }

  private memberErrors(reported: ReadonlyArray<[IConstruct, IConstruct]>): string[] {
    const errors: string[] = [];
    const seen = new Map<string, TeamRecord>();
    for (const team of this.teamsInOrder()) {
      for (const name of team.memberNames()) {
        const first = seen.get(name);
        if (first === undefined) {
          seen.set(name, team);
        } else if (first !== team && !isReported(reported, first.construct, team.construct)) {
          errors.push(
            `${team.owner}: members: "${name}" is already a member of ${first.owner} (service account ${first.membersNamespace()}/${name}); ` +
              'a member stands for one person in one team, and two accounts of one name are easily mixed up (in tokens, kubeconfigs, audits): ' +
              `name the accounts apart (e.g. "${name}-${team.namespaceName}"), or bind the person's identity-provider user to both teams with users`,
          );
        }
      }
    }
    return errors;
  }

  /**
   * Two constructs that synthesize the same object (group, kind, namespace, name). The objects
   * that two subtrees of the app both synthesize (two teams sharing a namespace: the Namespace,
   * its `default` service account, its quota) make one error naming both subtrees.
   */
  private objectErrors(all: readonly IConstruct[], reported: ReadonlyArray<[IConstruct, IConstruct]>): string[] {
    const byIdentity = new Map<string, ApiObject>();
    const clashes = new Map<string, { scopes: [IConstruct, IConstruct]; objects: Array<{ what: string; first: ApiObject; second: ApiObject }> }>();
    for (const child of all) {
      if (!(child instanceof ApiObject)) {
        continue;
      }
      const { id, namespace } = objectFacts(child);
      const first = byIdentity.get(id);
      if (first === undefined) {
        byIdentity.set(id, child);
        continue;
      }
      if (reported.some(([a, b]) => (within(first, a) && within(child, b)) || (within(first, b) && within(child, a)))) {
        // Already reported as a clash of the two teams.
        continue;
      }
      const scopes = divergingScopes(first, child);
      const key = `${scopes[0].node.path}\n${scopes[1].node.path}`;
      const clash = clashes.get(key) ?? { scopes, objects: [] };
      const what = `${child.apiVersion} ${child.kind} ${namespace === undefined ? '' : `${namespace}/`}${child.name}`;
      clash.objects.push({ what, first, second: child });
      clashes.set(key, clash);
    }
    const fix = 'the later would silently replace the earlier when applied: rename or remove one of them';
    return [...clashes.values()].map(({ scopes, objects }) => {
      const notes = [...new Set(objects.flatMap((o) => [this.notes.get(o.first), this.notes.get(o.second)]))]
        .filter((n): n is string => n !== undefined);
      const why = notes.length > 0 ? ` (${notes.join('; ')})` : '';
      if (objects.length === 1) {
        const { what, first, second } = objects[0];
        return `${what} is synthesized by both ${displayPath(first)} and ${displayPath(second)}${why}; ${fix}`;
      }
      return `${scopes[0].node.path} and ${scopes[1].node.path} synthesize the same ${objects.length} objects: ${objects.map((o) => o.what).join(', ')}${why}; ${fix}`;
    });
  }
}

/** What a check needs to know of an object, fixed when the ApiObject is created. */
export interface ObjectFacts {
  /** Group, kind, namespace (if namespaced) and name: how Kubernetes names the object, whatever the version. */
  readonly id: string;
  /** Whether the resource catalogue knows the kind as cluster-scoped. */
  readonly clusterScoped: boolean;
  /** The namespace of a namespaced object (undefined for a cluster-scoped one). */
  readonly namespace?: string;
  /** The API group (`""` for core). */
  readonly apiGroup: string;
  /** Whether the kind is a Calico policy kind that lives in a tier (the resource catalogue's `tierResource`). */
  readonly tiered: boolean;
}

/** The facts of objects seen (group, kind, name and namespace are fixed when an ApiObject is created). */
const FACTS = new WeakMap<ApiObject, ObjectFacts>();

/** The facts of `obj`, computed once (every validation pass of every synthesis asks again). */
export function objectFacts(obj: ApiObject): ObjectFacts {
  let facts = FACTS.get(obj);
  if (facts === undefined) {
    facts = factsOf(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.name);
    FACTS.set(obj, facts);
  }
  return facts;
}

/** The facts of an object's rendered manifest, for an object whose manifest may no longer be what it was created with. */
export function manifestFacts(manifest: any): ObjectFacts {
  return factsOf(String(manifest?.apiVersion ?? ''), String(manifest?.kind ?? ''), manifest?.metadata?.namespace, manifest?.metadata?.name);
}

/** Kubernetes names an object by group, kind, namespace (if namespaced) and name, whatever the version. */
function factsOf(apiVersion: string, kind: string, metadataNamespace: string | undefined, name: string | undefined): ObjectFacts {
  const { clusterScoped, apiGroup, tiered } = kindFacts(apiVersion, kind);
  const namespace = clusterScoped ? undefined : metadataNamespace;
  return { id: `${apiGroup}\n${kind}\n${namespace ?? ''}\n${name}`, clusterScoped, namespace, apiGroup, tiered };
}

/**
 * Whether `obj` may carry JSON patches, which can change anything in its manifest (namespace,
 * kind, tier) after the facts were read. cdk8s keeps them in a field without a public accessor;
 * should that field ever be missing, the answer is yes.
 */
export function mayBePatched(obj: ApiObject): boolean {
  const patches = (obj as unknown as { readonly patches?: unknown }).patches;
  return !Array.isArray(patches) || patches.length > 0;
}

/** What the resource catalogue says of a kind, by `apiVersion` and kind (a few dozen kinds per app). */
const KIND_FACTS = new Map<string, Pick<ObjectFacts, 'clusterScoped' | 'apiGroup' | 'tiered'>>();

function kindFacts(apiVersion: string, kind: string): Pick<ObjectFacts, 'clusterScoped' | 'apiGroup' | 'tiered'> {
  const key = `${apiVersion}\n${kind}`;
  let facts = KIND_FACTS.get(key);
  if (facts === undefined) {
    const apiGroup = parseApiVersion(apiVersion)?.group ?? apiVersion;
    facts = {
      clusterScoped: isClusterScopedKind(apiVersion, kind) === true,
      apiGroup,
      tiered: findKind(apiGroup, kind)?.tierResource !== undefined,
    };
    KIND_FACTS.set(key, facts);
  }
  return facts;
}

/** Whether two lists hold the same constructs in the same order. */
export function sameConstructs(a: readonly IConstruct[], b: readonly IConstruct[]): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

/**
 * The path that names an object: its L2 construct's when the object is that construct's default
 * child, however deep (`teams/be/web` for the `teams/be/web/Resource` of a cdk8s-plus `ServiceAccount`).
 */
function displayPath(obj: ApiObject): string {
  let named: IConstruct = obj;
  while (named.node.scope !== undefined && named.node.scope.node.scope !== undefined && named.node.scope.node.defaultChild === named) {
    named = named.node.scope;
  }
  return named.node.path;
}

/** The ancestors of `a` and `b` just below their lowest common ancestor (each itself at worst). */
function divergingScopes(a: IConstruct, b: IConstruct): [IConstruct, IConstruct] {
  const scopesA = a.node.scopes;
  const scopesB = b.node.scopes;
  let i = 0;
  while (i < scopesA.length - 1 && i < scopesB.length - 1 && scopesA[i] === scopesB[i]) {
    i++;
  }
  return [scopesA[i], scopesB[i]];
}

function isReported(reported: ReadonlyArray<[IConstruct, IConstruct]>, x: IConstruct, y: IConstruct): boolean {
  return reported.some(([a, b]) => (a === x && b === y) || (a === y && b === x));
}

function within(construct: IConstruct, scope: IConstruct): boolean {
  return construct.node.scopes.includes(scope);
}
