/**
 * Construct-side checks: thin `check*(owner, field, …)` wrappers that ask `src/core` (names,
 * CIDRs, ports) what is wrong with a value and throw, with `fail`, an error naming the construct,
 * the field, what was wrong and what would be right. The rules themselves live in `src/core`;
 * nothing here knows a Calico or Kubernetes fact of its own.
 *
 * Shared by the policy, rbac and teams constructs. Internal: not re-exported by the `policy`
 * barrel.
 */
import { Construct } from 'constructs';
import { DEFAULT_TIER } from '../core/calico';
import { Cidr, parseCidr, ruleNetProblem } from '../core/cidr';
import { fail } from '../core/errors';
import {
  calicoPolicyNameProblem,
  dnsLabelProblem,
  dnsSubdomainProblem,
  labelValueProblem,
  portNameProblem,
  qualifiedNameProblem,
  tierNameProblem,
} from '../core/names';

// Re-exported for the modules of other owners that still import it from here; new code imports core.
export { fail } from '../core/errors';

/**
 * How errors name a construct: its kind and construct path, e.g. `NetworkPolicy "chart/allow-web"`.
 */
export function describeConstruct(kind: string, scope: Construct): string {
  return `${kind} "${scope.node.path}"`;
}

/**
 * How errors name a construct about to be created as `id` in `scope` (see `describeConstruct`).
 */
export function describeChild(kind: string, scope: Construct, id: string): string {
  const parent = scope.node.path;
  // The id as the construct's path will have it: constructs writes a `/` in an id as `--`.
  const pathId = id.replace(/\//g, '--');
  return `${kind} "${parent === '' ? pathId : `${parent}/${pathId}`}"`;
}

/** Throws, naming `owner` and `field`, when `problem` is defined. */
function check(owner: string, field: string, problem: string | undefined): void {
  if (problem !== undefined) {
    fail(owner, field, problem);
  }
}

/** Checks that `value` is a DNS-1123 label; `what` names it in the message (e.g. "namespace"). */
export function checkDnsLabel(owner: string, field: string, value: string, what: string): void {
  check(owner, field, dnsLabelProblem(value, what));
}

/** Checks that `value` is a DNS-1123 subdomain (object names). */
export function checkDnsSubdomain(owner: string, field: string, value: string, what: string): void {
  check(owner, field, dnsSubdomainProblem(value, what));
}

/** Checks a Calico tier name (a DNS-1123 label: it prefixes the names of the tier's policies). */
export function checkTierName(owner: string, field: string, name: string): void {
  check(owner, field, tierNameProblem(name));
}

/** Checks a Kubernetes port name (container port names, named ports of rules). */
export function checkPortName(owner: string, field: string, name: string): void {
  check(owner, field, portNameProblem(name));
}

/**
 * Checks the final name of a Calico policy of `kind` in `tier`: first as Calico reads it, then the
 * constructs' own convention that a policy outside the `default` tier is named `<tier>.<name>`
 * (which Calico's tier RBAC, `tier.networkpolicies` named `<tier>.*`, relies on), and that a
 * dotted name in the `default` tier does not read as another tier's policy.
 */
export function checkPolicyName(owner: string, field: string, name: string, tier: string, kind: string): void {
  check(owner, field, calicoPolicyNameProblem(name, kind));
  if (tier !== DEFAULT_TIER && !name.startsWith(`${tier}.`)) {
    fail(owner, field, `"${name}" must start with the tier name: use "${tier}.${name}"`);
  }
  if (tier === DEFAULT_TIER && name.includes('.') && !name.startsWith(`${DEFAULT_TIER}.`)) {
    const [prefix, ...rest] = name.split('.');
    fail(
      owner,
      field,
      `"${name}" reads as a policy of tier "${prefix}", but the policy is in the default tier: name it "${rest.join('.')}" ` +
        `(or "${DEFAULT_TIER}.${rest.join('.')}"), or set tier: Tier.fromName('${prefix}')`,
    );
  }
}

/** Checks a Kubernetes qualified name (label and annotation keys); `what` names it. */
export function checkQualifiedName(owner: string, field: string, key: string, what: string): void {
  const problem = qualifiedNameProblem(key);
  if (problem !== undefined) {
    fail(owner, field, `${JSON.stringify(key)} is not a valid ${what}: ${problem}`);
  }
}

/** Checks a label value. */
export function checkLabelValue(owner: string, field: string, value: string): void {
  check(owner, field, labelValueProblem(value));
}

/** Checks labels: keys are qualified names, values label values. */
export function checkLabels(owner: string, field: string, labels: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    checkQualifiedName(owner, field, key, 'label key');
    checkLabelValue(owner, `${field}["${key}"]`, value);
  }
}

/** Checks annotations: keys are qualified names, values strings. */
export function checkAnnotations(owner: string, field: string, annotations: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(annotations ?? {})) {
    checkQualifiedName(owner, field, key, 'annotation key');
    if (typeof value !== 'string') {
      fail(owner, `${field}["${key}"]`, `annotation values must be strings, got ${JSON.stringify(value)}`);
    }
  }
}

/** Checks that `order` is a finite number (Calico orders policies and tiers by it). */
export function checkOrder(owner: string, field: string, order: number | undefined): void {
  if (order !== undefined && (typeof order !== 'number' || !Number.isFinite(order))) {
    fail(owner, field, `${String(order)} is not a usable order; use a finite number (lower orders apply first)`);
  }
}

/**
 * Checks a network and returns it parsed.
 *
 * @param strict as in a rule's `nets` (a prefix length and clear host bits, which Calico
 * requires there); otherwise a bare address or set host bits are accepted, as in network sets
 */
export function checkCidr(owner: string, field: string, text: string, strict: boolean): Cidr {
  if (strict) {
    check(owner, field, ruleNetProblem(text));
  }
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') {
    fail(owner, field, `${JSON.stringify(text)} is not a valid CIDR: ${parsed}; write a network such as "10.0.0.0/8" or "fd00::/8"`);
  }
  return parsed;
}
