/**
 * One policy object of a team namespace, written as a Kubernetes NetworkPolicy (through
 * cdk8s-plus) or as a Calico NetworkPolicy in the `default` tier, with allow rules built from
 * `Peer`s and `Port`s.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { toKubernetesLabelSelector } from './label-selector';
import { Peer } from './peer';
import { TeamPolicyKind } from './team-options';
import { NetworkPolicy } from '../policy/network-policy';
import { Port } from '../policy/port';
import { Protocol } from '../policy/protocol';
import { EntityRule, RuleAction } from '../policy/rule';
import { fail } from '../policy/validation';
import { Selector } from '../selector';

/** What the policy lets in before any rule is added. */
export enum IngressDefault {
  /** Nothing: the policy only lists the rules added. */
  NONE = 'none',
  /** Pods of the same namespace. */
  SAME_NAMESPACE = 'same-namespace',
  /** Everyone. */
  ANYONE = 'anyone',
}

/** Options of a `TeamPolicy`. */
export interface TeamPolicyOptions {
  /** How errors name the owning construct. */
  readonly owner: string;
  /** The team namespace. */
  readonly namespace: string;
  /** The object name. */
  readonly name: string;
  /** Kubernetes or Calico. */
  readonly kind: TeamPolicyKind;
  /** The pods of the namespace the policy applies to (default: all). */
  readonly pods?: Selector;
  /** What is let in from the start (also makes the policy an ingress policy). */
  readonly ingressDefault?: IngressDefault;
  /** The team's Namespace object, created before the policy. */
  readonly namespaceResource: kplus.Namespace;
}

/** A team policy: one object, allow rules only. */
export class TeamPolicy extends Construct {
  /** The object name. */
  public readonly name: string;

  /** The Kubernetes NetworkPolicy, for `TeamPolicyKind.KUBERNETES`. */
  public readonly kubernetesPolicy?: kplus.NetworkPolicy;

  /** The Calico NetworkPolicy, for `TeamPolicyKind.CALICO`. */
  public readonly calicoPolicy?: NetworkPolicy;

  private readonly owner: string;
  private peerCount = 0;
  private egressWithinNamespace = false;

  constructor(scope: Construct, id: string, options: TeamPolicyOptions) {
    super(scope, id);
    this.owner = options.owner;
    this.name = options.name;
    const metadata = { name: options.name, namespace: options.namespace };
    const ingressDefault = options.ingressDefault ?? IngressDefault.NONE;
    if (options.kind === TeamPolicyKind.KUBERNETES) {
      let selector: kplus.IPodSelector | undefined;
      if (options.pods !== undefined) {
        const pods = toKubernetesLabelSelector(options.owner, `pods "${options.pods.toString()}"`, options.pods);
        selector = kplus.Pods.select(this, 'Pods', { labels: pods.labels, expressions: pods.expressions });
      }
      const ingress = ingressDefault === IngressDefault.NONE
        ? undefined
        : { default: ingressDefault === IngressDefault.ANYONE ? kplus.NetworkPolicyTrafficDefault.ALLOW : kplus.NetworkPolicyTrafficDefault.DENY };
      this.kubernetesPolicy = new kplus.NetworkPolicy(this, 'Resource', { metadata, selector, ingress });
      this.kubernetesPolicy.node.addDependency(options.namespaceResource);
      if (ingressDefault === IngressDefault.SAME_NAMESPACE) {
        this.kubernetesPolicy.addIngressRule(kplus.Pods.all(this, 'SameNamespace'));
      }
    } else {
      this.calicoPolicy = new NetworkPolicy(this, 'Resource', { metadata, selector: options.pods });
      this.calicoPolicy.node.addDependency(options.namespaceResource);
      if (ingressDefault === IngressDefault.SAME_NAMESPACE) {
        this.calicoPolicy.addIngressRule({ action: RuleAction.ALLOW, source: { selector: Selector.all() } });
      } else if (ingressDefault === IngressDefault.ANYONE) {
        this.calicoPolicy.addIngressRule({ action: RuleAction.ALLOW });
      }
    }
  }

  /**
   * Allows connections from `peer` to the policy's pods, on `ports` (all ports if none).
   * `field` names the call in errors.
   */
  public allowIngress(peer: Peer, ports: Port[] | undefined, field: string): void {
    this.allow('ingress', peer, ports, field);
  }

  /**
   * Allows connections from the policy's pods to `peer`, on `ports` (all ports if none).
   * `field` names the call in errors.
   */
  public allowEgress(peer: Peer, ports: Port[] | undefined, field: string): void {
    this.allow('egress', peer, ports, field);
  }

  /**
   * Allows egress to the pods of the policy's own namespace, once. A team policy that restricts
   * egress always keeps the namespace's own pods reachable.
   */
  public allowEgressWithinNamespace(): void {
    if (this.egressWithinNamespace) {
      return;
    }
    this.egressWithinNamespace = true;
    if (this.kubernetesPolicy !== undefined) {
      this.kubernetesPolicy.addEgressRule(kplus.Pods.all(this, 'SameNamespaceEgress'));
    } else {
      this.calicoPolicy!.addEgressRule({ action: RuleAction.ALLOW, destination: { selector: Selector.all() } });
    }
  }

  private allow(direction: 'ingress' | 'egress', peer: Peer, ports: Port[] | undefined, field: string): void {
    if (!(peer instanceof Peer)) {
      fail(this.owner, field, `${JSON.stringify(peer)} is not a Peer; use Peer.namespaceLabels(), Peer.pods(), Peer.cidr() or another Peer factory`);
    }
    const list = checkPorts(this.owner, field, ports);
    if (this.kubernetesPolicy !== undefined) {
      const policy = this.kubernetesPolicy;
      const kubePorts = list.map((port, i) => kubernetesPort(this.owner, `${field}.ports[${i}]`, port));
      const peers = peer._toKubernetes(this, `Peer${this.peerCount++}`, this.owner, field);
      if (direction === 'egress') {
        this.allowEgressWithinNamespace();
      }
      for (const kubePeer of peers) {
        if (direction === 'ingress') {
          policy.addIngressRule(kubePeer, kubePorts);
        } else {
          policy.addEgressRule(kubePeer, kubePorts);
        }
      }
      return;
    }
    const policy = this.calicoPolicy!;
    if (direction === 'egress') {
      this.allowEgressWithinNamespace();
    }
    for (const entity of peer._toCalico()) {
      for (const group of portsByProtocol(list)) {
        const portMatch: EntityRule | undefined = group.ports.length > 0 ? { ports: group.ports } : undefined;
        if (direction === 'ingress') {
          policy.addIngressRule({ action: RuleAction.ALLOW, protocol: group.protocol, source: entity, destination: portMatch });
        } else {
          const destination = entity === undefined && portMatch === undefined ? undefined : { ...entity, ...portMatch };
          policy.addEgressRule({ action: RuleAction.ALLOW, protocol: group.protocol, destination });
        }
      }
    }
  }
}

function checkPorts(owner: string, field: string, ports: Port[] | undefined): Port[] {
  if (ports === undefined) {
    return [];
  }
  if (!Array.isArray(ports)) {
    fail(owner, `${field}.ports`, 'must be a list of Port (e.g. [Port.tcp(443)]), or left out for every port');
  }
  ports.forEach((port, i) => {
    if (!(port instanceof Port)) {
      fail(owner, `${field}.ports[${i}]`, `${JSON.stringify(port)} is not a Port; use Port.tcp(443), Port.udp(53) or Port.tcpRange(8000, 8080)`);
    }
    if (!port.isNamed) {
      const { minPort, maxPort } = port;
      for (const value of [minPort, maxPort]) {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
          fail(owner, `${field}.ports[${i}]`, `${JSON.stringify(value)} is not a port number; use 1-65535`);
        }
      }
      if (minPort! > maxPort!) {
        fail(owner, `${field}.ports[${i}]`, `the range ${minPort}:${maxPort} is empty; give the smaller port first`);
      }
    }
  });
  return [...ports];
}

/** A group of ports that share a protocol (ports without one count as TCP, as in Kubernetes). */
interface PortGroup {
  readonly protocol?: Protocol;
  readonly ports: Port[];
}

/** The ports grouped by protocol, in order of first appearance; one empty group for no ports. */
export function portsByProtocol(ports: Port[]): PortGroup[] {
  if (ports.length === 0) {
    return [{ protocol: undefined, ports: [] }];
  }
  const groups: { protocol: Protocol; ports: Port[] }[] = [];
  for (const port of ports) {
    const protocol = port.protocol ?? Protocol.TCP;
    let group = groups.find((g) => g.protocol.sameAs(protocol));
    if (group === undefined) {
      group = { protocol, ports: [] };
      groups.push(group);
    }
    group.ports.push(port);
  }
  return groups;
}

/** The cdk8s-plus form of a port (a port without protocol is TCP, as in Kubernetes). */
export function kubernetesPort(owner: string, field: string, port: Port): kplus.NetworkPolicyPort {
  if (port.isNamed) {
    return fail(
      owner,
      field,
      `named port "${port.portName}" cannot be written with cdk8s-plus NetworkPolicies; give the port number, or use Calico policies (policyKind: TeamPolicyKind.CALICO)`,
    );
  }
  const protocol = port.protocol ?? Protocol.TCP;
  const kubeProtocol = protocol.sameAs(Protocol.UDP)
    ? kplus.NetworkProtocol.UDP
    : protocol.sameAs(Protocol.SCTP) ? kplus.NetworkProtocol.SCTP : kplus.NetworkProtocol.TCP;
  return port.minPort === port.maxPort
    ? kplus.NetworkPolicyPort.of({ port: port.minPort, protocol: kubeProtocol })
    : kplus.NetworkPolicyPort.of({ port: port.minPort, endPort: port.maxPort, protocol: kubeProtocol });
}
