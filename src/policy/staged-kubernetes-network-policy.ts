import { ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkMetadata, generatedChildName, resolveNamespace } from './metadata';
import { checkCidr, checkDnsSubdomain, checkLabels, checkLabelValue, checkPortName, checkQualifiedName, describeChild } from './validation';
import { cidrContainsCidr } from '../core/cidr';
import { describeValue, fail } from '../core/errors';
import { isPortNumber, MAX_PORT, portNumberProblem } from '../core/ports';
import { parseK8sProtocol } from '../core/protocol';
import * as calico from '../imports';
import { TypedApiObject } from './typed-api-object';

/** Properties of a `StagedKubernetesNetworkPolicy`. */
export interface StagedKubernetesNetworkPolicyProps {
  /**
   * Metadata of the object (`name`, `namespace`, labels, annotations). When the staged policy is
   * promoted, Calico creates a Kubernetes NetworkPolicy with this name.
   *
   * @default - a name generated from the construct path, the chart's namespace
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * The policy, written exactly like the `spec` of a Kubernetes `networking.k8s.io/v1`
   * NetworkPolicy (`k8s.NetworkPolicySpec` of cdk8s-plus). `policyTypes` defaults as in
   * Kubernetes (Ingress, plus Egress when there are egress rules) and is always written out.
   */
  readonly spec: k8s.NetworkPolicySpec;
}

const POLICY_TYPES = ['Ingress', 'Egress'];
const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * A staged Kubernetes network policy (`projectcalico.org/v3` `StagedKubernetesNetworkPolicy`
 * with `stagedAction: Set`): a Kubernetes NetworkPolicy whose verdicts Calico previews without
 * enforcing it.
 *
 * The spec is checked the way Kubernetes validates a NetworkPolicy (ports, protocols, peers,
 * ipBlocks, label selectors). The construct is itself the Calico object it synthesizes.
 */
export class StagedKubernetesNetworkPolicy extends TypedApiObject {
  /** The namespace of the policy. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: StagedKubernetesNetworkPolicyProps) {
    const owner = describeChild('StagedKubernetesNetworkPolicy', scope, id);
    const name = props.metadata?.name ?? generatedChildName(scope, id);
    checkDnsSubdomain(owner, 'metadata.name', name, 'object name');
    const namespace = resolveNamespace(owner, scope, props.metadata);
    checkMetadata(owner, props.metadata);
    if (props.spec === undefined || props.spec === null || typeof props.spec !== 'object') {
      fail(owner, 'spec', 'give the Kubernetes NetworkPolicy spec (at least podSelector, e.g. { podSelector: {} } for all pods)');
    }
    super(scope, id, {
      ...calico.StagedKubernetesNetworkPolicy.GVK,
      metadata: { ...props.metadata, name, namespace },
      // The generated types' conversion writes the manifest (port numbers and names as they are).
      spec: calico.toJson_StagedKubernetesNetworkPolicySpec(renderSpec(owner, props.spec)),
    });
    this.namespace = namespace;
  }

}

interface PlainSelector {
  readonly matchLabels?: { [key: string]: string };
  readonly matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

function renderSpec(owner: string, spec: k8s.NetworkPolicySpec): calico.StagedKubernetesNetworkPolicySpec {
  const podSelector = renderLabelSelector(owner, 'spec.podSelector', spec.podSelector ?? {});
  const ingress = (spec.ingress ?? []).map((rule, i) => ({
    from: renderPeers(owner, `spec.ingress[${i}].from`, rule.from),
    ports: renderPorts(owner, `spec.ingress[${i}].ports`, rule.ports)?.map((p) => ({
      ...p,
      port: p.port === undefined ? undefined : portUnion(p.port),
    })),
  }));
  const egress = (spec.egress ?? []).map((rule, i) => ({
    to: renderPeers(owner, `spec.egress[${i}].to`, rule.to),
    ports: renderPorts(owner, `spec.egress[${i}].ports`, rule.ports)?.map((p) => ({
      ...p,
      port: p.port === undefined ? undefined : portUnion(p.port),
    })),
  }));
  const policyTypes = renderPolicyTypes(owner, spec.policyTypes, egress.length > 0);
  if (!policyTypes.includes('Ingress') && ingress.length > 0) {
    fail(owner, 'spec.ingress', "policyTypes does not include 'Ingress', so these ingress rules would be ignored; add 'Ingress' or remove the rules");
  }
  if (!policyTypes.includes('Egress') && egress.length > 0) {
    fail(owner, 'spec.egress', "policyTypes does not include 'Egress', so these egress rules would be ignored; add 'Egress' or remove the rules");
  }
  return {
    stagedAction: calico.StagedKubernetesNetworkPolicySpecStagedAction.SET,
    podSelector,
    policyTypes,
    ingress: ingress.length > 0 ? ingress : undefined,
    egress: egress.length > 0 ? egress : undefined,
  };
}

function portUnion(value: string | number): calico.StagedKubernetesNetworkPolicySpecIngressPortsPort {
  return typeof value === 'number'
    ? calico.StagedKubernetesNetworkPolicySpecIngressPortsPort.fromNumber(value)
    : calico.StagedKubernetesNetworkPolicySpecIngressPortsPort.fromString(value);
}

function renderPolicyTypes(owner: string, given: string[] | undefined, hasEgress: boolean): string[] {
  if (given === undefined) {
    return hasEgress ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  if (!Array.isArray(given) || given.length === 0) {
    fail(owner, 'spec.policyTypes', "list 'Ingress' and/or 'Egress', or leave policyTypes out for the Kubernetes default");
  }
  const seen = new Set<string>();
  given.forEach((type, i) => {
    if (!POLICY_TYPES.includes(type)) {
      fail(owner, `spec.policyTypes[${i}]`, `${JSON.stringify(type)} is not a policy type; use 'Ingress' or 'Egress' (case-sensitive)`);
    }
    if (seen.has(type)) {
      fail(owner, `spec.policyTypes[${i}]`, `'${type}' is listed twice; list each type once`);
    }
    seen.add(type);
  });
  return [...given];
}

function renderLabelSelector(owner: string, field: string, selector: k8s.LabelSelector | undefined): PlainSelector | undefined {
  if (selector === undefined) {
    return undefined;
  }
  checkLabels(owner, `${field}.matchLabels`, selector.matchLabels);
  const expressions = (selector.matchExpressions ?? []).map((expr, i) => {
    const exprField = `${field}.matchExpressions[${i}]`;
    if (!SELECTOR_OPERATORS.includes(expr.operator)) {
      fail(owner, `${exprField}.operator`, `${JSON.stringify(expr.operator)} is not a selector operator; use In, NotIn, Exists or DoesNotExist`);
    }
    checkQualifiedName(owner, `${exprField}.key`, expr.key, 'label key');
    const values = expr.values ?? [];
    if ((expr.operator === 'In' || expr.operator === 'NotIn') && values.length === 0) {
      fail(owner, `${exprField}.values`, `operator ${expr.operator} needs at least one value`);
    }
    if ((expr.operator === 'Exists' || expr.operator === 'DoesNotExist') && values.length > 0) {
      fail(owner, `${exprField}.values`, `operator ${expr.operator} takes no values; remove them`);
    }
    values.forEach((value, j) => checkLabelValue(owner, `${exprField}.values[${j}]`, value));
    return { key: expr.key, operator: expr.operator, values: values.length > 0 ? [...values] : undefined };
  });
  return {
    matchLabels: selector.matchLabels ? { ...selector.matchLabels } : undefined,
    matchExpressions: expressions.length > 0 ? expressions : undefined,
  };
}

function renderPeers(owner: string, field: string, peers: k8s.NetworkPolicyPeer[] | undefined): any[] | undefined {
  if (peers === undefined) {
    return undefined;
  }
  return peers.map((peer, i) => {
    const peerField = `${field}[${i}]`;
    if (!peer.ipBlock && !peer.podSelector && !peer.namespaceSelector) {
      fail(owner, peerField, 'a peer needs podSelector, namespaceSelector or ipBlock');
    }
    if (peer.ipBlock && (peer.podSelector || peer.namespaceSelector)) {
      fail(owner, peerField, 'ipBlock cannot be combined with podSelector or namespaceSelector in one peer; use separate peers');
    }
    let ipBlock: { cidr: string; except?: string[] } | undefined;
    if (peer.ipBlock) {
      const cidr = checkCidr(owner, `${peerField}.ipBlock.cidr`, peer.ipBlock.cidr, false);
      if (cidr.bareAddress) {
        fail(owner, `${peerField}.ipBlock.cidr`, `"${peer.ipBlock.cidr}" has no prefix length; write "${cidr.canonical}"`);
      }
      (peer.ipBlock.except ?? []).forEach((text, j) => {
        const exceptField = `${peerField}.ipBlock.except[${j}]`;
        const except = checkCidr(owner, exceptField, text, false);
        // Kubernetes: pkg/apis/networking/validation ValidateIPBlock ("must be a strict subset of `cidr`")
        if (!cidrContainsCidr(cidr, except) || except.prefix === cidr.prefix) {
          fail(owner, exceptField, `"${text}" must be a strict subset of the ipBlock cidr "${peer.ipBlock!.cidr}"`);
        }
      });
      ipBlock = { cidr: peer.ipBlock.cidr, except: peer.ipBlock.except && peer.ipBlock.except.length > 0 ? [...peer.ipBlock.except] : undefined };
    }
    return {
      ipBlock,
      podSelector: renderLabelSelector(owner, `${peerField}.podSelector`, peer.podSelector),
      namespaceSelector: renderLabelSelector(owner, `${peerField}.namespaceSelector`, peer.namespaceSelector),
    };
  });
}

interface PlainPort {
  readonly protocol?: string;
  readonly port?: string | number;
  readonly endPort?: number;
}

function renderPorts(owner: string, field: string, ports: k8s.NetworkPolicyPort[] | undefined): PlainPort[] | undefined {
  if (ports === undefined) {
    return undefined;
  }
  return ports.map((port, i) => {
    const portField = `${field}[${i}]`;
    if (port.protocol !== undefined) {
      const protocol = parseK8sProtocol(port.protocol);
      if ('problem' in protocol) {
        fail(owner, `${portField}.protocol`, protocol.problem);
      }
    }
    const value = port.port?.value;
    if (typeof value === 'number') {
      const problem = portNumberProblem(value);
      if (problem !== undefined) {
        fail(owner, `${portField}.port`, problem);
      }
    } else if (typeof value === 'string') {
      checkPortName(owner, `${portField}.port`, value);
    }
    if (port.endPort !== undefined) {
      if (typeof value !== 'number') {
        fail(owner, `${portField}.endPort`, 'endPort needs a numeric port (the start of the range)');
      }
      if (!isPortNumber(port.endPort) || port.endPort < value) {
        fail(owner, `${portField}.endPort`, `endPort ${describeValue(port.endPort)} must be a whole number from port (${value}) to ${MAX_PORT}`);
      }
    }
    return { protocol: port.protocol, port: value, endPort: port.endPort };
  });
}
