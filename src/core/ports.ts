/**
 * Ports as Calico reads them in rules (`ports`, `notPorts`): a number, a `"min:max"` range or a
 * port name.
 *
 * Internal module: not part of the jsii API.
 */
import { portNameProblem } from './names';

/** The smallest port number Calico accepts in a rule. */
// Calico: libcalico-go/lib/validator/v3/validator.go validatePort ("port number must be between 1 and 65535")
export const MIN_PORT = 1;
/** The largest port number. */
export const MAX_PORT = 65535;

/** One entry of a rule's `ports`/`notPorts`: a numeric range (a single port is min = max) or a named port. */
export type PortMatch =
  | { readonly kind: 'range'; readonly min: number; readonly max: number; readonly text: string }
  | { readonly kind: 'name'; readonly name: string; readonly text: string };

/** A parsed port, or the problem. */
export type PortParse = { readonly port: PortMatch } | { readonly problem: string };

/** Whether `n` is a port number Calico accepts in a rule (an integer from 1 to 65535). */
export function isPortNumber(n: any): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n >= MIN_PORT && n <= MAX_PORT;
}

/** The problem with a port number, or undefined. */
export function portNumberProblem(n: any): string | undefined {
  return isPortNumber(n) ? undefined : `${n} is not a valid port number; use an integer from ${MIN_PORT} to ${MAX_PORT}`;
}

/** The problem with a port range, or undefined. */
export function portRangeProblem(min: any, max: any): string | undefined {
  if (!isPortNumber(min) || !isPortNumber(max)) {
    return `port range ${min}:${max} is not valid; use "min:max" with ${MIN_PORT} <= min <= max <= ${MAX_PORT}`;
  }
  if (min > max) {
    return `port range ${min}:${max} is not valid: the first port is greater than the last; write "${max}:${min}"`;
  }
  return undefined;
}

/**
 * Reads one Calico port as Calico does: a number, a string of digits, `"min:max"`, or a port
 * name (validated like a Kubernetes port name).
 */
// Calico: api/pkg/lib/numorstring/port.go PortFromString, validator.go validatePort and validatePortName
export function parseCalicoPort(value: any): PortParse {
  if (typeof value === 'number') {
    const problem = portNumberProblem(value);
    return problem ? { problem } : { port: { kind: 'range', min: value, max: value, text: String(value) } };
  }
  if (typeof value !== 'string' || value === '') {
    return { problem: `expected a port number, a "min:max" range or a port name, got ${JSON.stringify(value) ?? String(value)}` };
  }
  if (/^[0-9]+$/.test(value)) {
    const n = Number(value);
    const problem = portNumberProblem(n);
    return problem ? { problem } : { port: { kind: 'range', min: n, max: n, text: value } };
  }
  const range = /^([0-9]+):([0-9]+)$/.exec(value);
  if (range) {
    const min = Number(range[1]);
    const max = Number(range[2]);
    const problem = portRangeProblem(min, max);
    return problem ? { problem } : { port: { kind: 'range', min, max, text: value } };
  }
  const problem = portNameProblem(value);
  return problem ? { problem: `${JSON.stringify(value)} is neither a port number, a "min:max" range nor a valid port name: ${problem}` } : { port: { kind: 'name', name: value, text: value } };
}

/** Whether every port of the list is a named port (an empty or absent list counts as all named). */
// Calico: api/pkg/lib/numorstring/port.go AllPortsAreNamed
export function allPortsNamed(ports: readonly PortMatch[] | undefined): boolean {
  return (ports ?? []).every((p) => p.kind === 'name');
}

/** The port of a Kubernetes NetworkPolicy port entry, or its first problem (`field` is `port` or `endPort`). */
export type K8sPolicyPortRead = { readonly port?: PortMatch } | { readonly field: 'port' | 'endPort'; readonly problem: string };

/**
 * Reads the `port` and `endPort` of a Kubernetes NetworkPolicy port entry as Kubernetes validates
 * them: a port number 1-65535 (with an optional `endPort` from it to 65535) or a port name;
 * `endPort` only with a numeric port. No port (`port` absent) means every port of the protocol.
 */
// Kubernetes: pkg/apis/networking/validation ValidateNetworkPolicyPort;
// Calico: libcalico-go/lib/backend/k8s/conversion/conversion.go k8sPortToCalico ("port:endPort")
export function readK8sPolicyPort(port: any, endPort: any): K8sPolicyPortRead {
  const hasEnd = endPort !== undefined && endPort !== null;
  if (port === undefined || port === null) {
    return hasEnd ? { field: 'endPort', problem: 'endPort may not be specified without a numeric port (the start of the range)' } : {};
  }
  if (typeof port === 'number') {
    const problem = portNumberProblem(port);
    if (problem) {
      return { field: 'port', problem };
    }
    if (!hasEnd) {
      return { port: { kind: 'range', min: port, max: port, text: String(port) } };
    }
    if (!isPortNumber(endPort) || endPort < port) {
      return { field: 'endPort', problem: `endPort ${JSON.stringify(endPort) ?? String(endPort)} is not valid; use an integer from port (${port}) to ${MAX_PORT}` };
    }
    return { port: { kind: 'range', min: port, max: endPort, text: endPort === port ? String(port) : `${port}:${endPort}` } };
  }
  if (typeof port !== 'string') {
    return { field: 'port', problem: `expected a port number or a port name, got ${JSON.stringify(port) ?? String(port)}` };
  }
  const problem = portNameProblem(port);
  if (problem) {
    return { field: 'port', problem };
  }
  if (hasEnd) {
    return { field: 'endPort', problem: 'endPort may not be specified with a named port; use a numeric port' };
  }
  return { port: { kind: 'name', name: port, text: port } };
}
