/**
 * One policy object of a team namespace, written as a Kubernetes NetworkPolicy (through
 * cdk8s-plus) or as a Calico NetworkPolicy in the `default` tier, with allow rules built from
 * `Peer`s and `Port`s. Ports without a protocol are TCP here, as in Kubernetes.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { NetworkPolicy } from '../policy/network-policy';
import { IPeer } from '../policy/peer';
import { toKubernetesLabelSelector } from '../policy/peer-selectors';
import { checkPeer, checkPortList } from '../policy/policy-common';
import { Port } from '../policy/port';
import { Protocol } from '../policy/protocol';
import { dropEmptyRulePorts } from '../policy/rendering';
import { RuleAction } from '../policy/rule';
import { Selector } from '../selector';
import { TeamPolicyKind } from './team-options';

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
      dropEmptyRulePorts(ApiObject.of(this.kubernetesPolicy));
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
  public allowIngress(peer: IPeer, ports: Port[] | undefined, field: string): void {
    this.allow('ingress', peer, ports, field);
  }

  /**
   * Allows connections from the policy's pods to `peer`, on `ports` (all ports if none).
   * `field` names the call in errors.
   */
  public allowEgress(peer: IPeer, ports: Port[] | undefined, field: string): void {
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

  private allow(direction: 'ingress' | 'egress', peer: IPeer, ports: Port[] | undefined, field: string): void {
    checkPeer(this.owner, field, peer);
    const list = withTcpDefault(checkPortList(this.owner, field, ports));
    if (this.kubernetesPolicy !== undefined) {
      const policy = this.kubernetesPolicy;
      const kubePorts = list.map((port, i) => kubernetesPort(this.owner, `${field}.ports[${i}]`, port));
      let peers: kplus.INetworkPolicyPeer[];
      try {
        peers = peer.toKubernetesPeers(this, `Peer${this.peerCount++}`);
      } catch (e) {
        return fail(this.owner, field, (e as Error).message);
      }
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
    if (direction === 'egress') {
      this.allowEgressWithinNamespace();
      this.calicoPolicy!.allowTo(peer, ...list);
    } else {
      this.calicoPolicy!.allowFrom(peer, ...list);
    }
  }
}

/** The ports with TCP for those without a protocol, as in Kubernetes. */
export function withTcpDefault(ports: Port[]): Port[] {
  return ports.map((port) => {
    if (port.protocol !== undefined) {
      return port;
    }
    if (port.portName !== undefined) {
      return Port.namedOf(Protocol.TCP, port.portName);
    }
    return port.minPort === port.maxPort ? Port.of(Protocol.TCP, port.minPort!) : Port.rangeOf(Protocol.TCP, port.minPort!, port.maxPort!);
  });
}

/** The cdk8s-plus form of a port with a protocol (TCP, UDP or SCTP). */
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
