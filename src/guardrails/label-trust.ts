/**
 * Label authority: which labels the policies' selectors trust, and who can set them (from the
 * RBAC model). A policy that selects on a label delegates its decision to whoever sets that
 * label: pod labels to whoever creates pods (or pod controllers) where the selector can match,
 * namespace labels to whoever changes or creates namespaces, service-account labels to whoever
 * changes or creates service accounts, and for rule peers, every label to whoever writes network
 * sets (Calico matches network sets by the same selectors, and their own labels win over the
 * labels they inherit from their namespace).
 *
 * Internal module.
 */
import { PolicyInfo, SelectorInfo, Subject } from '../analysis';
import {
  CALICO_GROUP, CORE_GROUP, findKind, LABEL_K8S_NAMESPACE_NAME, LABEL_NAME, LABEL_NAMESPACE, LABEL_ORCHESTRATOR,
  LABEL_SERVICE_ACCOUNT, parseApiVersion,
} from '../core';
import { Holder, Question, Scope } from './access';
import { AuditContext } from './context';
import { LabelAuthority } from './label-authority';
import { objectRef, unique } from './manifests';
import { ask, NAMESPACE_LABEL_QUESTIONS, NETWORK_SET_QUESTIONS, POD_SET_QUESTIONS, SERVICE_ACCOUNT_LABEL_QUESTIONS } from './powers';
import { subjectId } from './subjects';

/** Where a label a selector reads comes from. */
export type LabelSource = 'pod' | 'namespace' | 'serviceAccount' | 'calico';

/** One selector of a policy: the policy's own, or one side of a rule. */
export interface LabelSite {
  readonly policy: PolicyInfo;
  /** `selector`, or the rule side: `ingress[0].source`, `egress[1].destination`. */
  readonly where: string;
  /** The actions that trust the selector: the rule's, or for the policy's own selector, those of its rules. */
  readonly actions: string[];
  /** Whether it is a rule peer (which network sets can match) rather than the endpoints the policy applies to. */
  readonly peer: boolean;
  readonly selector: SelectorInfo;
}

/** How findings name a policy: `GlobalNetworkPolicy security.x`, `NetworkPolicy ns/name`. */
export function policyRef(policy: PolicyInfo): string {
  return objectRef(policy.kind, policy.name, policy.namespace);
}

/** `GlobalNetworkPolicy security.x (tier security) egress rule 0 (Allow)`. */
export function describeSite(site: LabelSite): string {
  const head = `${policyRef(site.policy)} (tier ${site.policy.tier})`;
  if (!site.peer) {
    return `${head}, which applies to the endpoints its selector ${site.selector.selector} matches`;
  }
  const [rule, side] = site.where.split('.');
  return `${head} ${rule.replace(/\[(\d+)\]/, ' rule $1')} (${site.actions.join('')}) ${side} ${site.selector.selector}`;
}

/** Every selector of the given policies, with the actions that trust it. */
export function labelSites(policies: readonly PolicyInfo[]): LabelSite[] {
  const result: LabelSite[] = [];
  for (const policy of policies) {
    const directions: ('ingress' | 'egress')[] = [];
    if (policy.ingressApplies) directions.push('ingress');
    if (policy.egressApplies) directions.push('egress');
    const ownActions = unique(directions.flatMap((d) => policy[d].map((r) => r.action)));
    result.push({ policy, where: 'selector', actions: ownActions, peer: false, selector: policy.selector });
    for (const direction of directions) {
      for (const rule of policy[direction]) {
        for (const side of ['source', 'destination'] as const) {
          for (const selector of rule[side]) {
            result.push({ policy, where: `${direction}[${rule.index}].${side}`, actions: [rule.action], peer: true, selector });
          }
        }
      }
    }
  }
  return result;
}

/** The label keys of a source a selector reads. */
export function keysOf(selector: SelectorInfo, source: LabelSource): string[] {
  return selector.labelKeys[source];
}

/** The namespaces a selector can match, as far as the audit knows them. */
function siteNamespaces(ctx: AuditContext, site: LabelSite): string[] {
  return site.selector.otherNamespaces ? unique([...site.selector.namespaces, ...ctx.access.namespaces]) : site.selector.namespaces;
}

/** The answer to "who sets this label": the setters and how the value comes about. */
export interface LabelSetters {
  /** Who can set it (reportable subjects), with where and through which grants. */
  readonly holders: Holder[];
  /** How the value is set, for messages. */
  readonly setBy: string;
  /** Whether nobody can choose the value (it is derived from a name). */
  readonly fixed: boolean;
}

/** Holders of any of `questions` in any of `namespaces` (cluster-wide holders included). */
function holdersIn(ctx: AuditContext, questions: readonly Question[], namespaces: readonly string[]): Holder[] {
  return ctx.access.holders(questions, namespaces);
}

/** Merges holders of the same subject (their scopes together). */
function mergeHolders(lists: readonly Holder[][]): Holder[] {
  const bySubject = new Map<string, { subject: Subject; scopes: Scope[] }>();
  for (const holder of lists.flat()) {
    const id = subjectId(holder.subject);
    const entry = bySubject.get(id) ?? { subject: holder.subject, scopes: [] };
    entry.scopes.push(...holder.scopes);
    bySubject.set(id, entry);
  }
  return [...bySubject.keys()].sort().map((id) => bySubject.get(id)!);
}

/**
 * Who can write network sets that a peer selector matches: global network sets (no namespace
 * label of their own, but any other label), and network sets of a namespace the selector can
 * match, or of any namespace when the selector reads only labels a set can carry itself
 * (namespace and service-account labels included: Calico keeps a network set's own `pcns.` and
 * `pcsa.` labels).
 */
// Calico: libcalico-go/lib/backend/syncersv1/updateprocessors/networksetprocessor.go (labels kept as they are)
function networkSetWriters(ctx: AuditContext, site: LabelSite): Holder[] {
  const pinned = site.selector.labelKeys.calico.includes(LABEL_NAMESPACE);
  const namespaces = pinned ? siteNamespaces(ctx, site) : [...ctx.access.namespaces];
  return holdersIn(ctx, NETWORK_SET_QUESTIONS, namespaces);
}

/**
 * Who can set a label key of a source for the given selectors, and how its value comes about.
 */
export function labelSetters(ctx: AuditContext, source: LabelSource, key: string, sites: readonly LabelSite[]): LabelSetters {
  const namespaces = unique(sites.flatMap((s) => siteNamespaces(ctx, s)));
  const peers = sites.filter((s) => s.peer);
  const viaSets = (): Holder[][] => peers.map((s) => networkSetWriters(ctx, s));
  const podCreators = (): Holder[] => holdersIn(ctx, POD_SET_QUESTIONS, namespaces);
  switch (source) {
    case 'pod':
      return {
        holders: mergeHolders([podCreators(), ...viaSets()]),
        setBy: 'whoever creates or changes pods or pod controllers where the selector can match'
          + (peers.length > 0 ? ', and whoever writes network sets' : ''),
        fixed: false,
      };
    case 'namespace': {
      if (key === LABEL_NAME || key === LABEL_K8S_NAMESPACE_NAME) {
        // Calico: libcalico-go/lib/backend/k8s/conversion/conversion.go NamespaceToProfile (pcns.projectcalico.org/name = the name);
        // Kubernetes: the API server sets kubernetes.io/metadata.name to the name on every namespace write.
        return {
          holders: mergeHolders(viaSets()),
          setBy: 'derived from the namespace name: no one can set it on a namespace'
            + (peers.length > 0 ? ' (but a network set may carry it as its own label)' : ''),
          fixed: peers.length === 0,
        };
      }
      const byName = namespaces.flatMap((name) => ask(['update', 'patch'], CORE_GROUP, ['namespaces'], { name }));
      return {
        holders: mergeHolders([holdersIn(ctx, [...NAMESPACE_LABEL_QUESTIONS, ...byName], []), ...viaSets()]),
        setBy: 'whoever creates or changes namespaces' + (peers.length > 0 ? ', and whoever writes network sets' : ''),
        fixed: false,
      };
    }
    case 'serviceAccount':
      if (key === LABEL_NAME) {
        // Calico: conversion.go ServiceAccountToProfile (pcsa.projectcalico.org/name = the name); a pod names its account.
        return {
          holders: mergeHolders([podCreators(), ...viaSets()]),
          setBy: 'the service account\'s name: whoever creates pods where the selector can match chooses it (spec.serviceAccountName)',
          fixed: false,
        };
      }
      return {
        holders: mergeHolders([holdersIn(ctx, SERVICE_ACCOUNT_LABEL_QUESTIONS, namespaces), ...viaSets()]),
        setBy: 'whoever creates or changes service accounts where the selector can match'
          + (peers.length > 0 ? ', and whoever writes network sets' : ''),
        fixed: false,
      };
    default:
      if (key === LABEL_SERVICE_ACCOUNT) {
        return {
          holders: podCreators(),
          setBy: 'the pod\'s service account name: whoever creates pods where the selector can match chooses it',
          fixed: false,
        };
      }
      // Calico: workload_endpoint_default.go podToDefaultWorkloadEndpoint (namespace and orchestrator set by Calico)
      return {
        holders: [],
        setBy: key === LABEL_NAMESPACE ? 'set by Calico to the endpoint\'s namespace' : `set by Calico (${LABEL_ORCHESTRATOR}: k8s for pods)`,
        fixed: true,
      };
  }
}

/** The RBAC questions of writing a policy itself (update or patch of the object, in its tier). */
export function policyWriteQuestions(policy: PolicyInfo): Question[] {
  const group = parseApiVersion(policy.apiVersion)?.group ?? '';
  const resource = findKind(group, policy.kind)?.resource ?? `${policy.kind.toLowerCase()}s`;
  const tier = group === CALICO_GROUP ? { tier: policy.tier } : {};
  return ask(['update', 'patch'], group, [resource], tier);
}

/** Whether a subject can rewrite a policy itself (then setting the labels it trusts gains it nothing). */
export function canWritePolicy(ctx: AuditContext, subject: Subject, policy: PolicyInfo): boolean {
  const scopes = ctx.access.scopes(subject, policyWriteQuestions(policy), policy.namespace === undefined ? [] : [policy.namespace]);
  return scopes.some((s) => s.namespace === undefined || s.namespace === policy.namespace);
}

/** The keys of a source that someone can set (not the ones derived from a name). */
export function settableKeys(selector: SelectorInfo, source: 'namespace' | 'serviceAccount'): string[] {
  const fixed = source === 'namespace' ? [LABEL_NAME, LABEL_K8S_NAMESPACE_NAME] : [LABEL_NAME];
  return selector.labelKeys[source].filter((k) => !fixed.includes(k));
}

/**
 * The selectors of enforced policies outside the security tiers (the teams' policies) that read
 * settable labels of `source` and that `holder` cannot change itself, where its scopes reach:
 * what changing those labels gains it.
 */
export function teamLabelGains(ctx: AuditContext, holder: Holder, source: 'namespace' | 'serviceAccount'): LabelSite[] {
  const security = ctx.securityTiers;
  const policies = ctx.network.policies().filter((p) => p.staged === undefined && p.hostOnly === undefined && !security.includes(p.tier));
  const wide = holder.scopes.some((s) => s.namespace === undefined);
  const reach = new Set(holder.scopes.map((s) => s.namespace));
  return labelSites(policies).filter((site) => settableKeys(site.selector, source).length > 0
    && (source === 'namespace' || wide || site.selector.otherNamespaces || site.selector.namespaces.some((n) => reach.has(n)))
    && !canWritePolicy(ctx, holder.subject, site.policy));
}

const SOURCE_ORDER: readonly LabelSource[] = ['pod', 'namespace', 'serviceAccount', 'calico'];

/** The label-authority report of an audit context, by source then key. */
export function labelAuthorityOf(ctx: AuditContext): LabelAuthority[] {
  const sites = labelSites(ctx.securityPolicies());
  const result: LabelAuthority[] = [];
  for (const source of SOURCE_ORDER) {
    const keys = unique(sites.flatMap((s) => s.selector.labelKeys[source])).sort();
    for (const key of keys) {
      const keySites = sites.filter((s) => s.selector.labelKeys[source].includes(key));
      const setters = labelSetters(ctx, source, key, keySites);
      result.push({
        source,
        key,
        policies: unique(keySites.map((s) => policyRef(s.policy))),
        actions: unique(keySites.flatMap((s) => s.actions)).sort(),
        setBy: setters.setBy,
        setters: setters.holders.map((h) => subjectId(h.subject)),
      });
    }
  }
  return result;
}
