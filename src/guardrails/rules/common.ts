/**
 * Pieces shared by the rules: how they name subjects, scopes, permission chains and the service
 * accounts one could act as.
 *
 * Internal module (not a rule).
 */
import { Subject } from '../../analysis';
import { describeChain, Holder, Question, Scope } from '../access';
import { AuditContext, HeldPower } from '../context';
import { objectRef, unique } from '../manifests';
import { RuleFinding } from '../rule';
import { Severity } from '../severity';
import { describeSubject, groupsOfServiceAccount, serviceAccount, subjectId } from '../subjects';

/** Whether a scope list is cluster-wide. */
export function clusterWide(scopes: readonly Scope[]): boolean {
  return scopes.some((s) => s.namespace === undefined);
}

/** `cluster-wide`, or `in namespace a` / `in namespaces a, b`. */
export function whereText(scopes: readonly { readonly namespace?: string }[]): string {
  if (scopes.some((s) => s.namespace === undefined)) {
    return 'cluster-wide';
  }
  const names = unique(scopes.map((s) => s.namespace!));
  return names.length === 1 ? `in namespace ${names[0]}` : `in namespaces ${names.join(', ')}`;
}

/** The permission chain of every scope, joined: `create pods in namespace be (Role r via RoleBinding be/b)`. */
export function chainText(scopes: readonly Scope[]): string {
  return scopes.map(describeChain).join('; ');
}

/** The objects of a subject (its ServiceAccount, when declared) and of the grants of some scopes. */
export function objectsOf(ctx: AuditContext, subject: Subject | undefined, scopes: readonly Scope[]): string[] {
  const result: string[] = [];
  if (subject?.kind === 'ServiceAccount' && ctx.rbac.serviceAccounts.some((s) => s.namespace === subject.namespace && s.name === subject.name)) {
    result.push(objectRef('ServiceAccount', subject.name, subject.namespace));
  }
  for (const scope of scopes) {
    result.push(...scope.objects);
  }
  return unique(result);
}

/** The namespaces a set of scopes covers: all known ones for a cluster-wide scope. */
export function namespacesOf(ctx: AuditContext, scopes: readonly Scope[]): string[] {
  return clusterWide(scopes) ? [...ctx.access.namespaces] : unique(scopes.map((s) => s.namespace!));
}

/** The service accounts of a namespace: the declared ones and `default`, which every namespace has. */
// Kubernetes: pkg/controller/serviceaccount/serviceaccounts_controller.go (creates "default" in every namespace)
export function serviceAccountsIn(ctx: AuditContext, namespace: string): Subject[] {
  const declared = ctx.rbac.serviceAccounts.filter((s) => s.namespace === namespace).map((s) => serviceAccount(namespace, s.name));
  return declared.some((s) => s.name === 'default') ? declared : [...declared, serviceAccount(namespace, 'default')];
}

/** Whether `scopes` (of the attacker) already cover `scope` (of a target). */
function covers(scopes: readonly Scope[], scope: Scope): boolean {
  return scopes.some((s) => s.namespace === undefined || s.namespace === scope.namespace);
}

/** The powers of `target` that `attacker` does not hold already (where it holds them). */
export function gainsOver(ctx: AuditContext, attacker: Subject, target: Subject): HeldPower[] {
  const own = new Map(ctx.powersOf(attacker).map((h) => [h.power.id, h.scopes]));
  const result: HeldPower[] = [];
  for (const held of ctx.powersOf(target)) {
    const mine = own.get(held.power.id) ?? [];
    const scopes = held.scopes.filter((s) => !covers(mine, s));
    if (scopes.length > 0) {
      result.push({ power: held.power, scopes });
    }
  }
  return result;
}

/** `write Calico policies in tier security cluster-wide (ClusterRole … via …)`, one per power. */
export function powersText(powers: readonly HeldPower[]): string {
  return powers.map((h) => `${h.power.label} ${whereText(h.scopes)} (${unique(h.scopes.flatMap((s) => s.grants)).join('; ')})`).join('; ');
}

/** A service account one could act as, and what it would gain. */
export interface Target {
  readonly serviceAccount: Subject;
  readonly gains: HeldPower[];
}

/** The service accounts of the scopes' namespaces whose powers `attacker` does not hold, in order. */
export function targetsIn(ctx: AuditContext, attacker: Subject, scopes: readonly Scope[]): Target[] {
  const attackerId = subjectId(attacker);
  const result: Target[] = [];
  for (const namespace of namespacesOf(ctx, scopes)) {
    for (const sa of serviceAccountsIn(ctx, namespace)) {
      if (subjectId(sa) === attackerId) {
        continue;
      }
      const gains = gainsOver(ctx, attacker, sa);
      if (gains.length > 0) {
        result.push({ serviceAccount: sa, gains });
      }
    }
  }
  return result;
}

/** `ServiceAccount be/ci, which can …; ServiceAccount …`. */
export function targetsText(targets: readonly Target[]): string {
  return targets.map((t) => `${describeSubject(t.serviceAccount)}, which can ${powersText(t.gains)}`).join('; ');
}

/** The objects of targets: their ServiceAccounts and the grants of what they gain. */
export function targetObjects(ctx: AuditContext, targets: readonly Target[]): string[] {
  return unique(targets.flatMap((t) => objectsOf(ctx, t.serviceAccount, t.gains.flatMap((g) => g.scopes))));
}

/** Whether any target gains something cluster-wide. */
export function gainsClusterWide(targets: readonly Target[]): boolean {
  return targets.some((t) => t.gains.some((g) => clusterWide(g.scopes)));
}

/** What a permission rule says about a holder. */
export interface PermissionFinding {
  readonly severity: Severity;
  /** Appended to `<subject> can <chain>.` */
  readonly consequence: string;
  readonly extraObjects?: string[];
}

/** Whether a service account is in `group` by its identity alone (the groups the API server puts every service account in). */
function groupContains(group: Subject, sa: Subject): boolean {
  return group.kind === 'Group' && sa.kind === 'ServiceAccount' && groupsOfServiceAccount(sa.namespace!, sa.name).includes(group.name);
}

/** Whether `inner` scopes (and their grants) are all within `outer`'s. */
function within(inner: readonly Scope[], outer: readonly Scope[]): boolean {
  const grants = new Set(outer.flatMap((s) => s.grants));
  return inner.every((s) => s.grants.every((g) => grants.has(g)) && covers(outer, s));
}

/**
 * One finding per reportable holder of any of `questions`: the subject, where it holds them and
 * through which role and binding, and what `describe` says it gains (`undefined`: no finding).
 * A service account that holds them only through a group that is reported too (e.g.
 * `system:serviceaccounts:<its namespace>`) is named in the group's finding instead of getting
 * its own.
 */
export function permissionFindings(
  ctx: AuditContext,
  questions: readonly Question[],
  fix: string,
  describe: (holder: Holder) => PermissionFinding | undefined,
): RuleFinding[] {
  const described = ctx.access.holders(questions)
    .map((holder) => ({ holder, said: describe(holder) }))
    .filter((d): d is { holder: Holder; said: PermissionFinding } => d.said !== undefined);
  const groups = described.filter((d) => d.holder.subject.kind === 'Group');
  const viaGroup = new Map<string, Subject[]>();
  const result: RuleFinding[] = [];
  for (const { holder } of described) {
    const group = groups.find((g) => groupContains(g.holder.subject, holder.subject) && within(holder.scopes, g.holder.scopes));
    if (group !== undefined) {
      const id = subjectId(group.holder.subject);
      viaGroup.set(id, [...(viaGroup.get(id) ?? []), holder.subject]);
    }
  }
  const merged = new Set([...viaGroup.values()].flat().map(subjectId));
  for (const { holder, said } of described) {
    const id = subjectId(holder.subject);
    if (merged.has(id)) {
      continue;
    }
    const members = viaGroup.get(id) ?? [];
    const through = members.length === 0 ? '' : ` (members named in the manifests: ${members.map(describeSubject).join(', ')})`;
    result.push({
      severity: said.severity,
      subject: id,
      message: `${describeSubject(holder.subject)}${through} can ${chainText(holder.scopes)}. ${said.consequence}`,
      objects: unique([
        ...objectsOf(ctx, holder.subject, holder.scopes),
        ...members.flatMap((m) => objectsOf(ctx, m, [])),
        ...(said.extraObjects ?? []),
      ]),
      fix,
    });
  }
  return result;
}
