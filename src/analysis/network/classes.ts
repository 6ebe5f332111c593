/**
 * Equivalence classes of endpoints: endpoints that no policy, rule or query of the model can tell
 * apart. Replicas of a workload share namespace, labels, service account and ports and differ
 * only by address; unless a rule's networks split their addresses, they are one class, and every
 * verdict is computed once for the class and fanned out to its endpoints.
 *
 * Internal module of the network model.
 */
import { addressBits, Cidr } from '../../core/cidr';
import { EndpointRecord, Inventory, labelKey } from '../network-endpoints';
import { PolicyRecord } from './records';

/** Endpoints that every evaluation treats alike. */
export interface EndpointClass {
  /** Position in `EndpointClasses.classes`. */
  readonly index: number;
  /** The member with the lowest endpoint index: evaluations use it for the whole class. */
  readonly representative: EndpointRecord;
  /** The members' endpoint indexes, ascending. */
  readonly members: readonly number[];
}

/** Every network (`nets`/`notNets`, ipBlock `cidr`/`except`) that the rules of some policies name. */
export function networksOfPolicies(policies: readonly PolicyRecord[]): Cidr[] {
  const found = new Map<string, Cidr>();
  for (const policy of policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const v of rule.variants) {
        for (const side of [v.source, v.destination]) {
          for (const cidr of [...(side.peer?.nets ?? []), ...(side.peer?.notNets ?? [])]) {
            found.set(cidr.canonical, cidr);
          }
        }
      }
    }
  }
  return [...found.values()];
}

/**
 * The equivalence classes of an inventory's endpoints. Two endpoints are in one class when they
 * agree on everything an evaluation looks at:
 * - the identity: namespace, service account and pod labels (what selectors and Kubernetes
 *   service selectors see);
 * - whether they are host-networked;
 * - their named container ports (named ports in rules and queries resolve on them);
 * - the IP families of their known addresses (they decide a flow's family), and for each network
 *   that a rule names, whether one of their addresses is inside it;
 * - the network sets containing one of their addresses.
 *
 * This is how Calico compiles policy: once per selector match (an IP set of the matching
 * endpoints), not once per endpoint pair.
 */
// Calico: felix/calc/rule_scanner.go (a rule's selectors and nets become IP sets; the rule is rendered once)
export class EndpointClasses {
  /**
   * @param inventory the endpoints
   * @param networks the networks rules name (see {@link networksOfPolicies})
   */
  public static build(inventory: Inventory, networks: readonly Cidr[]): EndpointClasses {
    const keys = new Map<string, number>();
    const members: number[][] = [];
    const classOf = new Int32Array(inventory.endpoints.length);
    const inside = networksContaining(inventory.endpoints, networks);
    for (const e of inventory.endpoints) {
      const key = classKey(e, inside[e.index]);
      let c = keys.get(key);
      if (c === undefined) {
        c = members.length;
        keys.set(key, c);
        members.push([]);
      }
      members[c].push(e.index);
      classOf[e.index] = c;
    }
    const classes = members.map((list, index) => ({ index, representative: inventory.endpoints[list[0]], members: list }));
    return new EndpointClasses(classes, classOf);
  }

  private constructor(
    /** The classes, in the order of their first member. */
    public readonly classes: readonly EndpointClass[],
    private readonly classIndex: Int32Array,
  ) {}

  /** The class of an endpoint. */
  public classOf(endpoint: EndpointRecord): EndpointClass {
    return this.classes[this.classIndex[endpoint.index]];
  }
}

/**
 * For each endpoint, which networks contain one of its addresses (`'1'`/`'0'` per network, `''`
 * for an endpoint without addresses). The networks are address intervals looked up in the sorted
 * addresses of all endpoints, so the cost grows with networks × log(addresses) plus the matches,
 * not networks × addresses; the interval of a network is what `core/cidr.ts` `cidrContains`
 * tests (the addresses whose value divided by the block size equals the network's).
 */
function networksContaining(endpoints: readonly EndpointRecord[], networks: readonly Cidr[]): string[] {
  const addresses: Array<{ readonly version: 4 | 6; readonly value: bigint; readonly endpoint: number }> = [];
  for (const e of endpoints) {
    for (const ip of e.ips) {
      addresses.push({ version: ip.version, value: ip.value, endpoint: e.index });
    }
  }
  addresses.sort((a, b) => (a.version !== b.version ? a.version - b.version : a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const bits = endpoints.map((e) => (e.ips.length === 0 ? undefined : new Uint8Array(networks.length)));
  networks.forEach((net, k) => {
    const block = 2n ** BigInt(addressBits(net.version) - net.prefix);
    const first = (net.base / block) * block;
    const last = first + block - 1n;
    // The first address of the network's family that is >= first.
    let lo = 0;
    let hi = addresses.length;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const a = addresses[mid];
      if (a.version < net.version || (a.version === net.version && a.value < first)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (let i = lo; i < addresses.length && addresses[i].version === net.version && addresses[i].value <= last; i++) {
      bits[addresses[i].endpoint]![k] = 1;
    }
  });
  return bits.map((b) => (b === undefined ? '' : b.join('')));
}

function classKey(e: EndpointRecord, inside: string): string {
  const named = e.ports
    .filter((p) => p.name !== undefined)
    .map((p) => `${p.name}/${p.protocol}/${p.port}`)
    .sort();
  const families = `${e.ips.some((ip) => ip.version === 4) ? 4 : ''}${e.ips.some((ip) => ip.version === 6) ? 6 : ''}`;
  // An identity stands for one namespace, service account and set of pod labels; host-networked pods have none.
  return JSON.stringify([
    e.identity >= 0 ? e.identity : [e.namespace, e.serviceAccount, labelKey(e.podLabels)],
    e.hostNetwork,
    named,
    families,
    inside,
    e.networkSetIdentities[4],
    e.networkSetIdentities[6],
  ]);
}
