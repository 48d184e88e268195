// Endpoint picks. L4 load balancing (kube-proxy, ztunnel) picks an endpoint once per connection, at
// random; an L7 proxy (Envoy) picks per request with its default LEAST_REQUEST balancer (Istio's default
// load balancer), from its own view: the requests it has active to each host itself, not those of every
// other caller. Envoy draws choice_count = 2 hosts at random with replacement and keeps the first drawn
// unless a later one has strictly fewer active requests (envoyproxy/envoy
// source/extensions/load_balancing_policies/least_request/least_request_lb.cc, unweightedHostPickNChoices,
// host->stats().rq_active_ of that Envoy's cluster).
// A DestinationRule's loadBalancer picks another balancer (istio/istio 1.28.0 pilot/pkg/networking/core/
// cluster_traffic_policy.go applyLoadBalancer):
//  - RANDOM: a uniformly random host (source/extensions/load_balancing_policies/random/random_lb.cc);
//  - ROUND_ROBIN: the hosts in turn, from where that Envoy's index stands (round_robin/round_robin_lb.h,
//    `hosts_to_use[rr_index_++ % hosts_to_use.size()]`, the index starting at a random seed).
//    ASSUMPTION: one index per Envoy and cluster; Envoy keeps one per worker thread, each seeded apart;
//  - consistentHash: a RING_HASH or MAGLEV cluster hashing the caller's IP (useSourceIp) or a value of
//    the request (a header, cookie or query parameter). ASSUMPTIONS: every value of the key is its own
//    (each request's, keyed by the call, so its retries hash alike; the caller pod's IP), and the ring is
//    even: meshsim hashes by rendezvous (highest random weight: the host with the largest hash of key
//    and host), which moves as few keys as a ring when hosts come and go but has none of a small ring's
//    unevenness. A retry's host predicate walks on to the next host, as Envoy's does along the ring.
// Each Envoy's counts live in one typed array: a block per (proxy, callee service) pair that can occur
// (caller sidecars and waypoints of every edge), one slot per pod of the service. A service whose
// versions are split by weight is a cluster per subset in each Envoy (istio/istio 1.28.0 pilot/pkg/
// networking/core/cluster_builder.go buildSubsetCluster, outbound|port|subset|host; route.go routes each
// weight to its subset's cluster), and everything Envoy keeps per cluster is kept apart for each: its
// request count (max_requests), connection pool and pending queue (circuit-breakers.ts), retries
// (retry-limits.ts), outlier detector and its max ejection percent (outliers.ts), round-robin index. So
// such a pair has a block per subset, side by side (subsetBlock).
import type { RandomStreams, Rng } from '../../../sim/index.ts';
import type { TrafficPolicy } from '../../scenario/index.ts';
import type { World } from '../world/index.ts';
import { KeyedRng, mix32 } from './keyed-random.ts';
import * as kinds from './kinds.ts';

const SIDECAR_POD = kinds.SIDECAR_POD;
// Balancers, per callee service (TrafficPolicy.balancer).
const LEAST_REQUEST = 0;
const RANDOM = 1;
const ROUND_ROBIN = 2;
const HASH_SOURCE_IP = 3;
const HASH_REQUEST = 4;
const BALANCERS = { RANDOM, ROUND_ROBIN, HASH_SOURCE_IP, HASH_REQUEST } as const;
/** Istio's HostSelectionRetryMaxAttempts (retry.go DefaultPolicy, D). */
const HOST_SELECTION_RETRY_MAX_ATTEMPTS = 5;

export class Balancing {
  /** Active requests each balancing Envoy has to each endpoint ([block + position of the pod]). */
  active: Int32Array;
  /**
   * The same summed over a block ([block]): the requests that Envoy has outstanding to the service's
   * cluster, which its max_requests circuit breaker limits. Kept only once trackRequests() is called
   * (where some service has a circuit breaker): on large clusters one more array read and written per
   * request costs a cache miss each, and its memory is that of `active`.
   */
  requests = new Int32Array(0);
  private tracking = false;
  /** Position of each pod among its service's pods (-1: not an application pod). */
  readonly position: Int32Array;
  private readonly blocks = new Map<number, number>();
  private readonly nServices: number;
  /** Per service: its pods (a block's length), and its subset clusters (1: the service's one cluster). */
  private readonly size: Int32Array;
  private readonly subsets: Int32Array;
  /**
   * The subset of the block starting at each slot (0 elsewhere, and for a service without subsets; empty
   * where no service has subsets).
   */
  readonly subsetAt: Int32Array;
  private readonly podProxy: Int32Array;
  private readonly podNode: Int32Array;
  private readonly nodeZone: Int32Array;
  /** Substreams keyed by the call (keyed-random.ts): a connection's endpoint, its waypoint, a request's pick. */
  readonly endpointPick: KeyedRng;
  readonly waypointPick: KeyedRng;
  readonly gatewayPick: KeyedRng;
  private readonly leastRequestPick: KeyedRng;
  /**
   * The traffic policy of every cluster: each service's (by service index), then the subsets of services
   * whose versions set their own (from firstSubsetCluster[svc]; clusterOf).
   */
  readonly clusterPolicies: (TrafficPolicy | null)[];
  private readonly firstSubsetCluster: Int32Array;
  /** The balancer of each cluster (clusterPolicies). */
  private readonly balancerOf: Uint8Array;
  /** ROUND_ROBIN's index of each block (kept only where a service balances so). */
  private roundRobin = new Int32Array(0);
  /** blocksOf's index: each service's blocks, built on the first ask. */
  private bySvc: Array<Array<{ block: number; proxy: number }>> | null = null;

  /** `podNode`: where each pod runs now (Pods.node). */
  constructor(w: World, streams: RandomStreams, podNode: Int32Array = w.podNode) {
    this.nServices = w.services.length;
    this.podNode = podNode;
    this.nodeZone = w.nodeZone;
    this.podProxy = w.podProxy;
    this.position = new Int32Array(w.nPods).fill(-1);
    const size = w.services.map((svc) => {
      const pods = w.placement.byOwner.get(svc.key) ?? [];
      pods.forEach((pod, i) => {
        this.position[pod] = i;
      });
      return pods.length;
    });
    this.size = Int32Array.from(size);
    this.subsets = Int32Array.from(w.versionSplit, (split) => (split ? split.cum.length : 1));
    let n = 0;
    const add = (proxy: number, svc: number) => {
      const key = proxy * this.nServices + svc;
      if (this.blocks.has(key)) return;
      this.blocks.set(key, n);
      n += size[svc]! * this.subsets[svc]!;
    };
    // One shared block per service for a balancer without a proxy of its own (a pod whose mode changed).
    for (let svc = 0; svc < this.nServices; svc++) add(-1, svc);
    for (const e of w.edges) {
      const callers = e.entry >= 0 ? w.entryClients[e.entry]! : w.services[e.from]!.pods;
      for (const pod of callers) if (w.podProxy[pod]! >= 0) add(w.podProxy[pod]!, e.to);
      for (const wp of e.waypointPods) if (w.podProxy[wp]! >= 0) add(w.podProxy[wp]!, e.to);
      for (const gw of e.gatewayPods) if (w.podProxy[gw]! >= 0) add(w.podProxy[gw]!, e.to);
    }
    this.active = new Int32Array(n);
    // Kept only where some service has subsets: on large clusters it would be as large as `active`.
    const subsetted = this.subsets.some((x) => x > 1) || w.services.some((x) => x.subsetPolicies !== null);
    this.subsetAt = new Int32Array(subsetted ? n : 0);
    if (this.subsetAt.length > 0) for (const b of this.allBlocks()) this.subsetAt[b.block] = b.subset;
    this.clusterPolicies = w.services.map((svc) => svc.trafficPolicy);
    this.firstSubsetCluster = Int32Array.from(w.services, (svc) => {
      if (svc.subsetPolicies === null) return -1;
      this.clusterPolicies.push(...svc.subsetPolicies);
      return this.clusterPolicies.length - svc.subsetPolicies.length;
    });
    this.balancerOf = Uint8Array.from(this.clusterPolicies, (p) => {
      const b = p?.balancer;
      return b === undefined ? LEAST_REQUEST : BALANCERS[b];
    });
    if (this.balancerOf.includes(ROUND_ROBIN)) {
      // Envoy seeds each index at random: here by the block, the same under every architecture.
      this.roundRobin = new Int32Array(n);
      for (const { block } of this.allBlocks()) this.roundRobin[block] = mix32(block + 0x2545f491) >>> 8;
    }
    this.endpointPick = new KeyedRng(streams, 'endpoint-pick');
    this.waypointPick = new KeyedRng(streams, 'waypoint-pick');
    this.gatewayPick = new KeyedRng(streams, 'gateway-pick');
    this.leastRequestPick = new KeyedRng(streams, 'least-request-pick');
  }

  /** Keeps `requests` from now on (before the first pick). */
  trackRequests(): void {
    if (this.tracking) return;
    this.requests = new Int32Array(this.active.length);
    this.tracking = true;
  }

  /**
   * Every block of counts for callee service `svc` (one per Envoy that may balance calls to it, and per
   * subset), with that Envoy's proxy id (-1: the block shared by callers without one).
   */
  blocksOf(svc: number): Array<{ block: number; proxy: number }> {
    // Indexed on the first ask: asked per service, a scan of every block each time is quadratic.
    if (this.bySvc === null) {
      this.bySvc = Array.from({ length: this.nServices }, () => []);
      for (const b of this.allBlocks()) this.bySvc[b.svc]!.push({ block: b.block, proxy: b.proxy });
    }
    return this.bySvc[svc] ?? [];
  }

  /** Every block (each subset's apart), with its Envoy's proxy, its service and its subset. */
  private allBlocks(): Array<{ block: number; proxy: number; svc: number; subset: number }> {
    const n = this.nServices;
    const out: Array<{ block: number; proxy: number; svc: number; subset: number }> = [];
    for (const [key, base] of this.blocks) {
      const svc = ((key % n) + n) % n;
      for (let v = 0; v < this.subsets[svc]!; v++)
        out.push({ block: base + v * this.size[svc]!, proxy: (key - svc) / n, svc, subset: v });
    }
    return out;
  }

  /**
   * The block of proxy `proxy`'s counts for callee service `svc`: of its cluster, or of its first subset's
   * (subsetBlock for another).
   */
  block(proxy: number, svc: number): number {
    return this.blocks.get(proxy * this.nServices + svc) ?? this.blocks.get(-this.nServices + svc)!;
  }

  /**
   * The cluster (an index into clusterPolicies) whose counts are block `block` of service `svc`: the
   * service's, or its subset's where the subsets have policies of their own.
   */
  clusterOf(block: number, svc: number): number {
    const first = this.firstSubsetCluster[svc]!;
    return first < 0 ? svc : first + this.subsetAt[block]!;
  }

  /** The block of subset `subset` (Mixes.subset) of service `svc`, from its Envoy's block(). */
  subsetBlock(block: number, svc: number, subset: number): number {
    return subset > 0 ? block + subset * this.size[svc]! : block;
  }

  /**
   * A uniformly random endpoint of a non-empty list (a connection's endpoint), drawn from `rng` for a
   * caller on node `from` (-1: any order). The draw's rank is taken over the endpoints ordered by how far
   * they are from the caller (same node, same zone, elsewhere; list order within), not over the list:
   * still uniform, but a connection keyed the same way picks an endpoint as near under every
   * architecture, even where the placements put the pods on other nodes (common random numbers).
   */
  perConnection(pods: number[], rng: Rng, from = -1): number {
    let i = Math.floor(rng.next() * pods.length);
    if (from < 0) return pods[i]!;
    const node = this.podNode;
    const zone = this.nodeZone;
    for (let near = 0; near < 3; near++) {
      for (const p of pods) {
        const n = node[p]!;
        const d = n === from ? 0 : zone[n] === zone[from] ? 1 : 2;
        if (d === near && i-- === 0) return p;
      }
    }
    return pods[0]!;
  }

  /** One run of balancer `balancer` (the `walk`-th for one request: 0, then its host predicate's). */
  private pickOnce(
    balancer: number,
    pods: number[],
    block: number,
    rng: Rng,
    hashed: number,
    walk: number,
  ): number {
    if (balancer === LEAST_REQUEST) return this.leastRequest(pods, block, rng);
    const n = pods.length;
    if (balancer === RANDOM) return pods[Math.floor(rng.next() * n)]!;
    if (balancer === ROUND_ROBIN) return pods[this.roundRobin[block]!++ % n]!;
    return this.rendezvous(pods, hashed, walk);
  }

  /** The host of `pods` with the (walk + 1)-th largest hash of (`hashed`, host). */
  private rendezvous(pods: number[], hashed: number, walk: number): number {
    const seed = mix32(hashed ^ 0x5bd1e995);
    let best = pods[0]!;
    let bestScore = -1;
    // The largest below the previous pick's score, walk times over: no allocation, O(walk x n).
    let ceiling = Number.POSITIVE_INFINITY;
    for (let k = 0; k <= walk && k < pods.length; k++) {
      bestScore = -1;
      for (const p of pods) {
        const score = mix32(seed + Math.imul(p + 1, 0x9e3779b9));
        if (score < ceiling && score > bestScore) {
          bestScore = score;
          best = p;
        }
      }
      ceiling = bestScore;
    }
    return best;
  }

  /** LEAST_REQUEST over the Envoy counts in block `block`: the less busy of two random endpoints. */
  leastRequest(pods: number[], block: number, rng: Rng): number {
    const n = pods.length;
    const a = pods[Math.floor(rng.next() * n)]!;
    if (n === 1) return a;
    const b = pods[Math.floor(rng.next() * n)]!;
    const active = this.active;
    const pos = this.position;
    return active[block + pos[b]!]! < active[block + pos[a]!]! ? b : a;
  }

  /**
   * The Envoy whose counts are block `block` (block(proxy, svc); a caller connection keeps it) picks an
   * endpoint for attempt `attempt` of the call with key `key` and counts it active; the slot to release
   * when the request ends is left in `picked`.
   */
  pick(
    pods: number[],
    block: number,
    key: number,
    attempt: number,
    tried = -1,
    tried2 = -1,
    svc = -1,
    src = -1,
  ): number {
    const rng = this.leastRequestPick.at(key, attempt);
    const balancer = svc >= 0 ? this.balancerOf[this.clusterOf(block, svc)]! : LEAST_REQUEST;
    const hashed = balancer === HASH_SOURCE_IP ? src : key;
    let dst = this.pickOnce(balancer, pods, block, rng, hashed, 0);
    // Istio's retry policy sets Envoy's previous_hosts predicate with HostSelectionRetryMaxAttempts 5: a
    // retry re-runs the balancer up to 5 more times while it lands on a host an earlier attempt tried
    // (istio/istio pilot/pkg/networking/core/route/retry/retry.go, 1.22.0..1.28.0; envoyproxy/envoy
    // source/extensions/retry/host/previous_hosts). The last two attempts are remembered: all of them
    // under the default 2 retries.
    for (let n = 0; n < HOST_SELECTION_RETRY_MAX_ATTEMPTS && (dst === tried || dst === tried2); n++)
      dst = this.pickOnce(balancer, pods, block, rng, hashed, n + 1);
    this.picked = block + this.position[dst]!;
    this.active[this.picked]!++;
    if (this.tracking) this.requests[block]!++;
    return dst;
  }

  /**
   * The Envoy balancing a call's requests: through an ingress gateway, the gateway (or the waypoint
   * behind it); else the caller's sidecar, else the waypoint of its connection.
   */
  balancer(srcKind: number, src: number, wp: number, gw = -1): number {
    if (gw >= 0) return wp >= 0 ? this.podProxy[wp]! : this.podProxy[gw]!;
    if (srcKind === SIDECAR_POD) return this.podProxy[src]!;
    return wp >= 0 ? this.podProxy[wp]! : -1;
  }

  /** Slot of the last pickPerRequest. */
  picked = -1;

  /** A request to endpoint `dst` counted on `slot` is done (-1: none). */
  done(slot: number, dst: number): void {
    if (slot < 0) return;
    this.active[slot]!--;
    if (this.tracking) this.requests[slot - this.position[dst]!]!--;
  }
}
