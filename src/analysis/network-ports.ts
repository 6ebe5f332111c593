/**
 * Container ports of pods and workloads, and named ports resolved on them. Protocols and rule
 * ports are read by core (`core/protocol.ts`, `core/ports.ts`).
 *
 * Internal module of the network model.
 */
import { fail, isObject, ObjectRef, optArray, show } from './network-objects';
import { portNameProblem } from '../core/names';
import { isPortNumber, MAX_PORT, MIN_PORT } from '../core/ports';
import { parseK8sProtocol, TCP } from '../core/protocol';

/** A container port of a pod (or pod template). */
export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: number;
}

/** A Kubernetes protocol (`TCP`, `UDP` or `SCTP`, case-sensitive), naming the field when it is not one. */
export function k8sProtocolAt(value: any, ref: ObjectRef, field: string): number {
  const read = parseK8sProtocol(value);
  if ('problem' in read) {
    fail(ref, field, read.problem);
  }
  return read.protocol;
}

/** The container ports of a pod spec (containers and init containers). */
// Calico: libcalico-go/lib/backend/k8s/conversion/workload_endpoint_default.go appendEndpointPorts (containers and
// init containers; a named port keeps its protocol, TCP by default)
export function containerPortsOf(podSpec: any, ref: ObjectRef, field: string): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const group of ['containers', 'initContainers']) {
    const containers = optArray(podSpec, group, ref, `${field}.${group}`) ?? [];
    containers.forEach((container, ci) => {
      const cf = `${field}.${group}[${ci}]`;
      if (!isObject(container)) {
        fail(ref, cf, `expected a container object, got ${show(container)}`);
      }
      const ports = optArray(container, 'ports', ref, `${cf}.ports`) ?? [];
      ports.forEach((p, pi) => {
        const pf = `${cf}.ports[${pi}]`;
        if (!isObject(p)) {
          fail(ref, pf, `expected an object with containerPort, got ${show(p)}`);
        }
        if (!isPortNumber(p.containerPort)) {
          fail(ref, `${pf}.containerPort`, `expected a port number from ${MIN_PORT} to ${MAX_PORT}, got ${show(p.containerPort)}`);
        }
        const protocol = p.protocol === undefined || p.protocol === null ? TCP : k8sProtocolAt(p.protocol, ref, `${pf}.protocol`);
        let name: string | undefined;
        if (p.name !== undefined && p.name !== null && p.name !== '') {
          if (typeof p.name !== 'string') {
            fail(ref, `${pf}.name`, `expected a port name string, got ${show(p.name)}`);
          }
          // Kubernetes: ValidateContainerPorts (IsValidPortName), the rule Calico resolves named ports by.
          const problem = portNameProblem(p.name);
          if (problem) {
            fail(ref, `${pf}.name`, problem);
          }
          name = p.name;
        }
        out.push({ name, port: p.containerPort, protocol });
      });
    });
  }
  return out;
}

/** The number of the container port with this name and protocol, if any. */
export function resolveNamedPort(ports: readonly ContainerPort[], name: string, protocol: number): number | undefined {
  for (const p of ports) {
    if (p.name === name && p.protocol === protocol) {
      return p.port;
    }
  }
  return undefined;
}
