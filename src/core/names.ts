/**
 * Kubernetes and Calico name rules: DNS-1123 labels and subdomains, qualified names (label and
 * annotation keys), label values, port names, and Calico's policy and tier names.
 *
 * Every check returns a problem (a sentence saying what is wrong and what would be right) or
 * `undefined`; callers add which construct or object and which field.
 *
 * Internal module: not part of the jsii API.
 */

/** Maximum length of a DNS-1123 label (namespace, tier and policy name components). */
export const DNS1123_LABEL_MAX_LENGTH = 63;

/** Maximum length of a DNS-1123 subdomain (object names). */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

// Calico: libcalico-go/lib/validator/v3/validator.go nameLabelFmt, nameSubdomainFmt
const LABEL_FORMAT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN_FORMAT = `${LABEL_FORMAT}(\\.${LABEL_FORMAT})*`;
const DNS1123_LABEL = new RegExp(`^${LABEL_FORMAT}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${SUBDOMAIN_FORMAT}$`);
// Calico: validator.go networkPolicyNameRegex (plus the knp.default./ossg.default. prefixed names)
const NETWORK_POLICY_NAME = new RegExp(`^((${LABEL_FORMAT})(\\.${LABEL_FORMAT})?|((?:knp|ossg)\\.default\\.(${SUBDOMAIN_FORMAT})))$`);
// Calico: validator.go globalNetworkPolicyNameRegex
const GLOBAL_NETWORK_POLICY_NAME = new RegExp(`^(${LABEL_FORMAT}\\.)?${LABEL_FORMAT}$`);
// Kubernetes: apimachinery validation qualifiedNameFmt / labelValueFmt
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Whether `value` is a DNS-1123 label (at most 63 of `a-z`, `0-9`, `-`; alphanumeric at both ends). */
export function isDns1123Label(value: string): boolean {
  return typeof value === 'string' && value.length <= DNS1123_LABEL_MAX_LENGTH && DNS1123_LABEL.test(value);
}

/** Whether `value` is a DNS-1123 subdomain (dot-separated labels, at most 253 characters). */
export function isDns1123Subdomain(value: string): boolean {
  return typeof value === 'string' && value.length <= DNS1123_SUBDOMAIN_MAX_LENGTH && DNS1123_SUBDOMAIN.test(value);
}

/** A best-effort DNS-1123 label made from `value`, for "for example" hints. */
export function suggestDnsLabel(value: string): string {
  const cleaned = String(value)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, DNS1123_LABEL_MAX_LENGTH)
    .replace(/-+$/g, '');
  return cleaned || 'name';
}

/** The rule of a DNS-1123 label, as a sentence fragment for messages. */
export function dnsLabelRules(): string {
  return `use at most ${DNS1123_LABEL_MAX_LENGTH} lower-case letters, digits and '-', starting and ending with a letter or digit`;
}

/** Why `value` is not a DNS-1123 label (`what` names it, e.g. "namespace"), or undefined. */
export function dnsLabelProblem(value: any, what: string): string | undefined {
  if (isDns1123Label(value)) {
    return undefined;
  }
  return `${JSON.stringify(value)} is not a valid ${what}: ${dnsLabelRules()}; for example "${suggestDnsLabel(value)}"`;
}

/** Why `value` is not a DNS-1123 subdomain, or undefined. */
export function dnsSubdomainProblem(value: any, what: string): string | undefined {
  if (isDns1123Subdomain(value)) {
    return undefined;
  }
  return `${JSON.stringify(value)} is not a valid ${what}: use at most ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters of dot-separated ` +
    `labels (${dnsLabelRules()}); for example "${suggestDnsLabel(value)}"`;
}

/** Why `key` is not a Kubernetes qualified name (label or annotation key), or undefined. */
export function qualifiedNameProblem(key: any): string | undefined {
  if (typeof key !== 'string' || key.length === 0) {
    return 'it is empty';
  }
  const parts = key.split('/');
  if (parts.length > 2) {
    return "use at most one '/', between an optional DNS subdomain prefix and the name";
  }
  const name = parts[parts.length - 1];
  if (parts.length === 2 && !isDns1123Subdomain(parts[0])) {
    return `the prefix "${parts[0]}" must be a DNS-1123 subdomain (lower-case, e.g. "example.com")`;
  }
  if (name.length > DNS1123_LABEL_MAX_LENGTH) {
    return `the name part "${name}" is longer than ${DNS1123_LABEL_MAX_LENGTH} characters`;
  }
  if (!QUALIFIED_NAME_PART.test(name)) {
    return `the name part "${name}" must consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit`;
  }
  return undefined;
}

/** Why `value` is not a Kubernetes label value, or undefined. */
export function labelValueProblem(value: any): string | undefined {
  if (typeof value === 'string' && value.length <= DNS1123_LABEL_MAX_LENGTH && LABEL_VALUE.test(value)) {
    return undefined;
  }
  return `${JSON.stringify(value)} is not a valid label value: use at most ${DNS1123_LABEL_MAX_LENGTH} letters, digits, '-', '_' or '.', ` +
    'starting and ending with a letter or digit (or the empty string)';
}

/**
 * Why `name` is not a valid port name, or undefined. Calico validates rule port names with
 * Kubernetes' IsValidPortName (an IANA service name): 1-15 characters of `a-z`, `0-9` and `-`, at
 * least one letter, no leading, trailing or doubled `-`.
 */
// Calico: libcalico-go/lib/validator/v3/validator.go validatePortName (k8s IsValidPortName)
export function portNameProblem(name: any): string | undefined {
  if (typeof name !== 'string' || name.length === 0) {
    return 'a port name cannot be empty';
  }
  if (name.length > 15) {
    return `port name "${name}" is ${name.length} characters long; port names have at most 15`;
  }
  if (!/^[a-z0-9-]+$/.test(name)) {
    return `port name "${name}" may only contain lower-case letters, digits and '-'`;
  }
  if (!/[a-z]/.test(name)) {
    return `port name "${name}" must contain at least one letter (a number is a port number)`;
  }
  if (name.startsWith('-') || name.endsWith('-') || name.includes('--')) {
    return `port name "${name}" cannot start or end with '-' or contain '--'`;
  }
  return undefined;
}

/** Why `name` is not a valid Calico tier name, or undefined. */
// Calico: validator.go validateTier (tierNameRegex, DNS1123LabelMaxLength)
export function tierNameProblem(name: any): string | undefined {
  if (isDns1123Label(name)) {
    return undefined;
  }
  return `${JSON.stringify(name)} is not a valid tier name: ${dnsLabelRules()} (no dots); for example "${suggestDnsLabel(name)}"`;
}

/**
 * Why `name` is not a valid name for a Calico policy of `kind` (`NetworkPolicy`,
 * `GlobalNetworkPolicy` or their staged kinds), or undefined.
 */
// Calico: validator.go validateNetworkPolicy / validateGlobalNetworkPolicy (name regexes and length)
export function calicoPolicyNameProblem(name: any, kind: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) {
    return 'the policy name is empty';
  }
  if (name.length > DNS1123_SUBDOMAIN_MAX_LENGTH) {
    return `the policy name "${name}" is ${name.length} characters long; use at most ${DNS1123_SUBDOMAIN_MAX_LENGTH}`;
  }
  const global = kind.includes('Global');
  const regex = global ? GLOBAL_NETWORK_POLICY_NAME : NETWORK_POLICY_NAME;
  if (!regex.test(name)) {
    return `"${name}" is not a valid policy name: Calico expects "<name>" or "<tier>.<name>", where each part is a ` +
      `DNS-1123 label (${dnsLabelRules()}); for example "${suggestDnsLabel(name)}"`;
  }
  return undefined;
}
