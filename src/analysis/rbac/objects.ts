/**
 * Reading Kubernetes RBAC manifests (Role, ClusterRole, RoleBinding, ClusterRoleBinding,
 * ServiceAccount, Namespace) into validated, plain records.
 *
 * The checks follow what the Kubernetes API server rejects at admission, so that a manifest
 * set accepted here is one a cluster would accept too; every error names the object
 * (kind, namespace/name) and the offending field.
 */
import { RBAC_MODEL_KINDS } from './kinds';
import { RBAC_GROUP } from '../../core/resource-catalogue';
import { forEachManifest } from '../manifest-list';

/** The API group of Kubernetes RBAC objects. */
export const RBAC_API_GROUP = RBAC_GROUP;

/** The served version of the RBAC API. */
export const RBAC_API_VERSION = RBAC_MODEL_KINDS.get('Role')!.apiVersions[0];

/** One rule of a Role or ClusterRole, with absent lists normalised to empty lists. */
export interface PolicyRuleSpec {
  readonly verbs: string[];
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly resourceNames: string[];
  readonly nonResourceURLs: string[];
}

/** One `matchExpressions` entry of a label selector. */
export interface LabelSelectorRequirementSpec {
  readonly key: string;
  readonly operator: string;
  readonly values: string[];
}

/** A Kubernetes label selector (`matchLabels` + `matchExpressions`). */
export interface LabelSelectorSpec {
  readonly matchLabels: { [key: string]: string };
  readonly matchExpressions: LabelSelectorRequirementSpec[];
}

/** A Role (namespaced) or ClusterRole. */
export interface RoleObject {
  /** `Role` or `ClusterRole`. */
  readonly kind: string;
  readonly name: string;
  /** Set for a Role only. */
  readonly namespace?: string;
  readonly labels: { [key: string]: string };
  readonly rules: PolicyRuleSpec[];
  /** `aggregationRule.clusterRoleSelectors` of an aggregated ClusterRole. */
  readonly aggregationSelectors?: LabelSelectorSpec[];
}

/** A subject of a binding, as written (a ServiceAccount's namespace may be absent in a RoleBinding). */
export interface SubjectSpec {
  /** `User`, `Group` or `ServiceAccount`. */
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** The role a binding refers to. */
export interface RoleRefSpec {
  /** `Role` or `ClusterRole`. */
  readonly kind: string;
  readonly name: string;
}

/** A RoleBinding (namespaced) or ClusterRoleBinding. */
export interface BindingObject {
  /** `RoleBinding` or `ClusterRoleBinding`. */
  readonly kind: string;
  readonly name: string;
  /** Set for a RoleBinding only. */
  readonly namespace?: string;
  readonly roleRef: RoleRefSpec;
  readonly subjects: SubjectSpec[];
}

/** A ServiceAccount. */
export interface ServiceAccountObject {
  readonly name: string;
  readonly namespace: string;
}

/** Everything RBAC-related found in a set of manifests, in manifest order. */
export interface RbacObjects {
  readonly roles: RoleObject[];
  readonly clusterRoles: RoleObject[];
  readonly roleBindings: BindingObject[];
  readonly clusterRoleBindings: BindingObject[];
  readonly serviceAccounts: ServiceAccountObject[];
  readonly namespaces: string[];
}

const SUBJECT_KINDS = ['User', 'Group', 'ServiceAccount'];
const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * Reads the RBAC objects out of a list of plain Kubernetes objects. Objects of other kinds are
 * skipped; lists (`v1` `List`, `ClusterRoleList`, …) are read item by item and `null` entries
 * skipped, as `forEachManifest` does for every model. Malformed RBAC objects raise an Error.
 */
export function parseRbacObjects(objects: any[]): RbacObjects {
  if (!Array.isArray(objects)) {
    throw new Error(`RbacModel.fromManifests: expected an array of Kubernetes objects, got ${describeValue(objects)}`);
  }
  const result: RbacObjects = {
    roles: [],
    clusterRoles: [],
    roleBindings: [],
    clusterRoleBindings: [],
    serviceAccounts: [],
    namespaces: [],
  };
  const seen = new Set<string>();
  forEachManifest(objects, 'objects', (obj, position) => readObject(obj, position, result, seen));
  return result;
}

function readObject(obj: any, position: string, result: RbacObjects, seen: Set<string>): void {
  const kind = obj.kind;
  const apiVersion = obj.apiVersion;
  const modelKind = typeof kind === 'string' ? RBAC_MODEL_KINDS.get(kind) : undefined;
  if (modelKind === undefined) return;

  const expectedVersion = modelKind.apiVersions[0];
  if (apiVersion === undefined) {
    throw new Error(`${kind} (${position}): apiVersion is missing; expected "${expectedVersion}"`);
  }
  if (!modelKind.apiVersions.includes(apiVersion)) {
    if (modelKind.group !== '' && typeof apiVersion === 'string' && apiVersion.startsWith(`${modelKind.group}/`)) {
      throw new Error(`${kind} (${position}): apiVersion "${apiVersion}" is not served by current Kubernetes; use "${expectedVersion}"`);
    }
    // Same kind name in another API group (e.g. a CRD called Role): not ours.
    return;
  }

  const id = readIdentity(obj, modelKind.namespaced, kind, position);
  const key = `${kind}/${id.namespace ?? ''}/${id.name}`;
  if (seen.has(key)) {
    throw new Error(`${id.label}: declared twice; each ${kind} must have a unique ${id.namespace ? 'namespace/name' : 'name'}`);
  }
  seen.add(key);

  switch (kind) {
    case 'Role':
      result.roles.push(readRole(obj, kind, id));
      break;
    case 'ClusterRole':
      result.clusterRoles.push(readRole(obj, kind, id));
      break;
    case 'RoleBinding':
      result.roleBindings.push(readBinding(obj, kind, id));
      break;
    case 'ClusterRoleBinding':
      result.clusterRoleBindings.push(readBinding(obj, kind, id));
      break;
    case 'ServiceAccount':
      result.serviceAccounts.push({ name: id.name, namespace: id.namespace! });
      break;
    default:
      result.namespaces.push(id.name);
      break;
  }
}

interface ObjectIdentity {
  readonly name: string;
  readonly namespace?: string;
  /** How errors name the object, e.g. `RoleBinding be/devs`. */
  readonly label: string;
}

function readIdentity(obj: any, namespaced: boolean, kind: string, position: string): ObjectIdentity {
  const metadata = obj.metadata;
  if (!isPlainObject(metadata)) {
    throw new Error(`${kind} (${position}): metadata is missing; expected an object with metadata.name`);
  }
  const rawNamespace = metadata.namespace;
  if (namespaced && (typeof rawNamespace !== 'string' || rawNamespace === '')) {
    const nameHint = typeof metadata.name === 'string' && metadata.name !== '' ? ` ${metadata.name}` : '';
    throw new Error(`${kind}${nameHint} (${position}): metadata.namespace is missing; a ${kind} is namespaced and needs a namespace`);
  }
  // cdk8s stamps the chart namespace on every object; cluster-scoped kinds ignore it, as the API server does.
  const namespace = namespaced ? rawNamespace as string : undefined;
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    const where = namespace ? ` in namespace ${namespace}` : '';
    throw new Error(`${kind} (${position}${where}): metadata.name is missing; every ${kind} needs a non-empty name`);
  }
  const name = metadata.name;
  return { name, namespace, label: `${kind} ${namespace ? `${namespace}/` : ''}${name}` };
}

function readRole(obj: any, kind: string, id: ObjectIdentity): RoleObject {
  const labels = readLabels(obj.metadata.labels, id);
  let aggregationSelectors: LabelSelectorSpec[] | undefined;
  if (obj.aggregationRule !== undefined && obj.aggregationRule !== null) {
    if (kind !== 'ClusterRole') {
      throw new Error(`${id.label}: aggregationRule is only valid on a ClusterRole`);
    }
    aggregationSelectors = readAggregationRule(obj.aggregationRule, id);
  }
  const rawRules = obj.rules ?? [];
  if (!Array.isArray(rawRules)) {
    throw new Error(`${id.label}: rules must be an array of policy rules, got ${describeValue(rawRules)}`);
  }
  const rules = rawRules.map((rule: any, index: number) => readRule(rule, `rules[${index}]`, kind === 'Role', id));
  return { kind, name: id.name, namespace: id.namespace, labels, rules, aggregationSelectors };
}

function readLabels(raw: any, id: ObjectIdentity): { [key: string]: string } {
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) {
    throw new Error(`${id.label}: metadata.labels must be a map of strings, got ${describeValue(raw)}`);
  }
  const labels: { [key: string]: string } = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') {
      throw new Error(`${id.label}: metadata.labels["${key}"] must be a string, got ${describeValue(value)}`);
    }
    labels[key] = value;
  }
  return labels;
}

function readRule(raw: any, field: string, namespaced: boolean, id: ObjectIdentity): PolicyRuleSpec {
  if (!isPlainObject(raw)) {
    throw new Error(`${id.label}: ${field} must be an object with verbs, apiGroups and resources, got ${describeValue(raw)}`);
  }
  const verbs = readStringList(raw.verbs, `${field}.verbs`, id, false);
  const apiGroups = readStringList(raw.apiGroups, `${field}.apiGroups`, id, true);
  const resources = readStringList(raw.resources, `${field}.resources`, id, false);
  const resourceNames = readStringList(raw.resourceNames, `${field}.resourceNames`, id, false);
  const nonResourceURLs = readStringList(raw.nonResourceURLs, `${field}.nonResourceURLs`, id, false);
  if (verbs.length === 0) {
    throw new Error(`${id.label}: ${field}.verbs is empty; a rule needs at least one verb (e.g. "get", or "*" for all)`);
  }
  if (nonResourceURLs.length > 0) {
    if (namespaced) {
      throw new Error(`${id.label}: ${field}.nonResourceURLs is not allowed in a Role; non-resource URLs can only be granted by a ClusterRole`);
    }
    if (apiGroups.length > 0 || resources.length > 0 || resourceNames.length > 0) {
      throw new Error(`${id.label}: ${field} mixes nonResourceURLs with apiGroups/resources/resourceNames; split it into two rules`);
    }
  } else {
    if (apiGroups.length === 0) {
      throw new Error(`${id.label}: ${field}.apiGroups is missing; a resource rule needs at least one API group ("" for the core group, "*" for all)`);
    }
    if (resources.length === 0) {
      throw new Error(`${id.label}: ${field}.resources is missing; a resource rule needs at least one resource (e.g. "pods", or "*" for all)`);
    }
  }
  return { verbs, apiGroups, resources, resourceNames, nonResourceURLs };
}

function readStringList(raw: any, field: string, id: ObjectIdentity, allowEmptyString: boolean): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    throw new Error(`${id.label}: ${field} must be an array of strings, got ${describeValue(raw)}`);
  }
  raw.forEach((item, index) => {
    if (typeof item !== 'string' || (item === '' && !allowEmptyString)) {
      throw new Error(`${id.label}: ${field}[${index}] must be a non-empty string, got ${describeValue(item)}`);
    }
  });
  return [...raw];
}

function readAggregationRule(raw: any, id: ObjectIdentity): LabelSelectorSpec[] {
  if (!isPlainObject(raw)) {
    throw new Error(`${id.label}: aggregationRule must be an object with clusterRoleSelectors, got ${describeValue(raw)}`);
  }
  const selectors = raw.clusterRoleSelectors;
  if (!Array.isArray(selectors) || selectors.length === 0) {
    throw new Error(`${id.label}: aggregationRule.clusterRoleSelectors must be a non-empty array of label selectors, got ${describeValue(selectors)}`);
  }
  return selectors.map((selector: any, index: number) =>
    readLabelSelector(selector, `aggregationRule.clusterRoleSelectors[${index}]`, id));
}

function readLabelSelector(raw: any, field: string, id: ObjectIdentity): LabelSelectorSpec {
  if (!isPlainObject(raw)) {
    throw new Error(`${id.label}: ${field} must be a label selector object (matchLabels/matchExpressions), got ${describeValue(raw)}`);
  }
  const matchLabels: { [key: string]: string } = {};
  if (raw.matchLabels !== undefined && raw.matchLabels !== null) {
    if (!isPlainObject(raw.matchLabels)) {
      throw new Error(`${id.label}: ${field}.matchLabels must be a map of strings, got ${describeValue(raw.matchLabels)}`);
    }
    for (const [key, value] of Object.entries(raw.matchLabels)) {
      if (typeof value !== 'string') {
        throw new Error(`${id.label}: ${field}.matchLabels["${key}"] must be a string, got ${describeValue(value)}`);
      }
      matchLabels[key] = value;
    }
  }
  const rawExpressions = raw.matchExpressions ?? [];
  if (!Array.isArray(rawExpressions)) {
    throw new Error(`${id.label}: ${field}.matchExpressions must be an array, got ${describeValue(rawExpressions)}`);
  }
  const matchExpressions = rawExpressions.map((expr: any, index: number) => {
    const exprField = `${field}.matchExpressions[${index}]`;
    if (!isPlainObject(expr)) {
      throw new Error(`${id.label}: ${exprField} must be an object with key, operator and values, got ${describeValue(expr)}`);
    }
    if (typeof expr.key !== 'string' || expr.key === '') {
      throw new Error(`${id.label}: ${exprField}.key must be a non-empty label key, got ${describeValue(expr.key)}`);
    }
    if (!SELECTOR_OPERATORS.includes(expr.operator)) {
      throw new Error(`${id.label}: ${exprField}.operator must be one of ${SELECTOR_OPERATORS.join(', ')}, got ${describeValue(expr.operator)}`);
    }
    const values = readStringList(expr.values, `${exprField}.values`, id, true);
    const needsValues = expr.operator === 'In' || expr.operator === 'NotIn';
    if (needsValues && values.length === 0) {
      throw new Error(`${id.label}: ${exprField}.values must be non-empty for operator ${expr.operator}`);
    }
    if (!needsValues && values.length > 0) {
      throw new Error(`${id.label}: ${exprField}.values must be empty for operator ${expr.operator}`);
    }
    return { key: expr.key, operator: expr.operator, values };
  });
  return { matchLabels, matchExpressions };
}

function readBinding(obj: any, kind: string, id: ObjectIdentity): BindingObject {
  const roleRef = readRoleRef(obj.roleRef, kind, id);
  const rawSubjects = obj.subjects ?? [];
  if (!Array.isArray(rawSubjects)) {
    throw new Error(`${id.label}: subjects must be an array of subjects, got ${describeValue(rawSubjects)}`);
  }
  const subjects = rawSubjects.map((subject: any, index: number) => readSubject(subject, `subjects[${index}]`, kind, id));
  return { kind, name: id.name, namespace: id.namespace, roleRef, subjects };
}

function readRoleRef(raw: any, kind: string, id: ObjectIdentity): RoleRefSpec {
  if (!isPlainObject(raw)) {
    throw new Error(`${id.label}: roleRef is missing; expected { apiGroup: "${RBAC_API_GROUP}", kind: "ClusterRole"${kind === 'RoleBinding' ? ' or "Role"' : ''}, name: ... }`);
  }
  if (raw.apiGroup !== RBAC_API_GROUP) {
    throw new Error(`${id.label}: roleRef.apiGroup must be "${RBAC_API_GROUP}", got ${describeValue(raw.apiGroup)}`);
  }
  const allowedKinds = kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!allowedKinds.includes(raw.kind)) {
    const expected = allowedKinds.map((k) => `"${k}"`).join(' or ');
    throw new Error(`${id.label}: roleRef.kind must be ${expected}, got ${describeValue(raw.kind)}`);
  }
  if (typeof raw.name !== 'string' || raw.name === '') {
    throw new Error(`${id.label}: roleRef.name must be the non-empty name of a ${raw.kind}, got ${describeValue(raw.name)}`);
  }
  if (raw.namespace !== undefined && raw.namespace !== id.namespace) {
    const reason = kind === 'RoleBinding'
      ? `a RoleBinding can only reference a Role in its own namespace (${id.namespace}) or a ClusterRole; move the binding to namespace ${describeValue(raw.namespace)} or reference a ClusterRole`
      : 'a ClusterRoleBinding references a ClusterRole, which has no namespace';
    throw new Error(`${id.label}: roleRef.namespace ${describeValue(raw.namespace)} is not allowed: ${reason}`);
  }
  return { kind: raw.kind, name: raw.name };
}

function readSubject(raw: any, field: string, kind: string, id: ObjectIdentity): SubjectSpec {
  if (!isPlainObject(raw)) {
    throw new Error(`${id.label}: ${field} must be an object with kind and name, got ${describeValue(raw)}`);
  }
  if (!SUBJECT_KINDS.includes(raw.kind)) {
    throw new Error(`${id.label}: ${field}.kind must be one of ${SUBJECT_KINDS.join(', ')}, got ${describeValue(raw.kind)}`);
  }
  if (typeof raw.name !== 'string' || raw.name === '') {
    throw new Error(`${id.label}: ${field}.name must be a non-empty ${raw.kind} name, got ${describeValue(raw.name)}`);
  }
  if (raw.kind === 'ServiceAccount') {
    if (raw.apiGroup !== undefined && raw.apiGroup !== '') {
      throw new Error(`${id.label}: ${field}.apiGroup must be empty for a ServiceAccount subject, got ${describeValue(raw.apiGroup)}`);
    }
    if (raw.namespace !== undefined && (typeof raw.namespace !== 'string' || raw.namespace === '')) {
      throw new Error(`${id.label}: ${field}.namespace must be a non-empty namespace name, got ${describeValue(raw.namespace)}`);
    }
    if (raw.namespace === undefined && kind === 'ClusterRoleBinding') {
      throw new Error(`${id.label}: ${field}.namespace is missing; a ServiceAccount subject of a ClusterRoleBinding must name the ServiceAccount's namespace`);
    }
    return { kind: raw.kind, name: raw.name, namespace: raw.namespace };
  }
  if (raw.apiGroup !== undefined && raw.apiGroup !== RBAC_API_GROUP) {
    throw new Error(`${id.label}: ${field}.apiGroup must be "${RBAC_API_GROUP}" for a ${raw.kind} subject, got ${describeValue(raw.apiGroup)}`);
  }
  return { kind: raw.kind, name: raw.name };
}

function isPlainObject(value: any): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: any): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
