/**
 * One policy object of a team namespace, written as a Kubernetes NetworkPolicy or as a Calico
 * NetworkPolicy in the `default` tier, with allow rules built from `Peer`s and `Port`s. Ports
 * without a protocol are TCP here, as in Kubernetes.
 *
 * This module is internal: it is not re-exported by the `teams` barrel.
 */
import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { NetworkPolicy } from '../policy/network-policy';
import { IPeer } from '../policy/peer';
import { kubernetesLabelSelectorJson, toKubernetesLabelSelector } from '../policy/peer-selectors';
import { checkPeer, checkPortList } from '../policy/policy-common';
import { Port } from '../policy/port';
import { Protocol } from '../policy/protocol';
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
  /** The team's Namespace object, which the policy depends on (written before it). */
  readonly namespaceResource?: ApiObject;
}

/** A port of a Kubernetes NetworkPolicy rule, as written in the manifest. */
export interface KubernetesPort {
  readonly port: number;
  readonly endPort?: number;
  readonly protocol: string;
}

/** A rule of a Kubernetes NetworkPolicy: peers (`from` or `to`) and ports (none: every port). */
interface KubernetesRule {
  readonly peers?: kplus.k8s.NetworkPolicyPeer[];
  readonly ports: KubernetesPort[];
}

/**
 * A team policy: one object, allow rules only. Not a construct of its own: the object is created
 * directly under the given scope and id (a `KubeNetworkPolicy`, or a Calico `NetworkPolicy`), so
 * that a thousand teams synthesize about as fast as their objects written by hand.
 */
export class TeamPolicy {
  /** The object name. */
  public readonly name: string;

  /** The Kubernetes NetworkPolicy, for `TeamPolicyKind.KUBERNETES`. */
  public readonly kubernetesPolicy?: ApiObject;

  /** The Calico NetworkPolicy, for `TeamPolicyKind.CALICO`. */
  public readonly calicoPolicy?: NetworkPolicy;

  private readonly owner: string;
  private egressWithinNamespace = false;
  private readonly ingress: KubernetesRule[] = [];
  private readonly egress: KubernetesRule[] = [];
  /** The policy types in the order they were first needed (as cdk8s-plus writes them). */
  private readonly policyTypes = new Set<'Ingress' | 'Egress'>();

  constructor(scope: Construct, id: string, options: TeamPolicyOptions) {
    this.owner = options.owner;
    this.name = options.name;
    const metadata = { name: options.name, namespace: options.namespace };
    const ingressDefault = options.ingressDefault ?? IngressDefault.NONE;
    if (options.kind === TeamPolicyKind.KUBERNETES) {
      const podSelector = options.pods === undefined
        ? {}
        : kubernetesLabelSelectorJson(toKubernetesLabelSelector(options.owner, `pods "${options.pods.toString()}"`, options.pods));
      this.kubernetesPolicy = new ApiObject(scope, id, {
        ...kplus.k8s.KubeNetworkPolicy.GVK,
        metadata,
        spec: Lazy.any({ produce: () => this.renderKubernetesSpec(podSelector) }),
      });
      if (options.namespaceResource !== undefined) {
        this.kubernetesPolicy.addDependency(options.namespaceResource);
      }
      if (ingressDefault === IngressDefault.ANYONE) {
        // An ingress rule without peers and ports: every source, every port.
        this.addKubernetesRule('ingress', { ports: [] });
      } else if (ingressDefault === IngressDefault.SAME_NAMESPACE) {
        this.addKubernetesRule('ingress', { peers: [{ podSelector: {} }], ports: [] });
      }
    } else {
      this.calicoPolicy = new NetworkPolicy(scope, id, { metadata, selector: options.pods });
      if (options.namespaceResource !== undefined) {
        this.calicoPolicy.node.addDependency(options.namespaceResource);
      }
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
      // A peer without a namespace selector: the pods of the policy's own namespace.
      this.addKubernetesRule('egress', { peers: [{ podSelector: {} }], ports: [] });
    } else {
      this.calicoPolicy!.addEgressRule({ action: RuleAction.ALLOW, destination: { selector: Selector.all() } });
    }
  }

  private allow(direction: 'ingress' | 'egress', peer: IPeer, ports: Port[] | undefined, field: string): void {
    checkPeer(this.owner, field, peer);
    const list = withTcpDefault(checkPortList(this.owner, field, ports));
    if (this.kubernetesPolicy !== undefined) {
      const kubePorts = list.map((port, i) => kubernetesPort(this.owner, `${field}.ports[${i}]`, port));
      let peers: kplus.k8s.NetworkPolicyPeer[];
      try {
        peers = peer.toKubernetesPeers();
      } catch (e) {
        return fail(this.owner, field, (e as Error).message);
      }
      if (direction === 'egress') {
        this.allowEgressWithinNamespace();
      }
      this.addKubernetesRule(direction, { peers, ports: kubePorts });
      return;
    }
    if (direction === 'egress') {
      this.allowEgressWithinNamespace();
      this.calicoPolicy!.allowTo(peer, ...list);
    } else {
      this.calicoPolicy!.allowFrom(peer, ...list);
    }
  }

  private addKubernetesRule(direction: 'ingress' | 'egress', rule: KubernetesRule): void {
    this.policyTypes.add(direction === 'ingress' ? 'Ingress' : 'Egress');
    (direction === 'ingress' ? this.ingress : this.egress).push(rule);
  }

  /** The spec: a rule per call, `ports` left out where every port is meant. */
  private renderKubernetesSpec(podSelector: kplus.k8s.LabelSelector): any {
    const rule = (r: KubernetesRule, peersKey: 'from' | 'to') => ({
      ...(r.peers === undefined ? {} : { [peersKey]: r.peers }),
      ...(r.ports.length === 0 ? {} : { ports: r.ports }),
    });
    return {
      podSelector,
      ...(this.ingress.length === 0 ? {} : { ingress: this.ingress.map((r) => rule(r, 'from')) }),
      ...(this.egress.length === 0 ? {} : { egress: this.egress.map((r) => rule(r, 'to')) }),
      ...(this.policyTypes.size === 0 ? {} : { policyTypes: [...this.policyTypes] }),
    };
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

/** The Kubernetes NetworkPolicy form of a port with a protocol (TCP, UDP or SCTP); named ports need Calico. */
export function kubernetesPort(owner: string, field: string, port: Port): KubernetesPort {
  if (port.isNamed) {
    return fail(
      owner,
      field,
      `named port "${port.portName}" is not supported in the team's Kubernetes NetworkPolicies; give the port number, or use Calico policies (policyKind: TeamPolicyKind.CALICO)`,
    );
  }
  const protocol = (port.protocol ?? Protocol.TCP).toString();
  return port.minPort === port.maxPort
    ? { port: port.minPort!, protocol }
    : { port: port.minPort!, endPort: port.maxPort, protocol };
}
