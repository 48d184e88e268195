// Endpoint picks. L4 load balancing (kube-proxy, ztunnel) picks an endpoint once per connection, at
// random; an L7 proxy (Envoy) picks per request with its default LEAST_REQUEST balancer (Istio's default
// load balancer), from its own view: the requests it has active to each host itself, not those of every
// other caller. Envoy draws choice_count = 2 hosts at random with replacement and keeps the first drawn
// unless a later one has strictly fewer active requests (envoyproxy/envoy
// source/extensions/load_balancing_policies/least_request/least_request_lb.cc, unweightedHostPickNChoices,
// host->stats().rq_active_ of that Envoy's cluster).
// Each Envoy's counts live in one typed array: a block per (proxy, callee service) pair that can occur
// (caller sidecars and waypoints of every edge), one slot per pod of the service.
import type { RandomStreams, Rng } from '../../../sim/index.ts';
import type { World } from '../world/index.ts';

export class Balancing {
  /** Active requests each balancing Envoy has to each endpoint ([block + position of the pod]). */
  active: Int32Array;
  /** Position of each pod among its service's pods (-1: not an application pod). */
  readonly position: Int32Array;
  private readonly blocks = new Map<number, number>();
  private readonly nServices: number;
  private readonly rng: Rng;

  constructor(w: World, streams: RandomStreams) {
    this.nServices = w.services.length;
    this.position = new Int32Array(w.nPods).fill(-1);
    const size = w.services.map((svc) => {
      const pods = w.placement.byOwner.get(svc.key) ?? [];
      pods.forEach((pod, i) => {
        this.position[pod] = i;
      });
      return pods.length;
    });
    let n = 0;
    const add = (proxy: number, svc: number) => {
      const key = proxy * this.nServices + svc;
      if (this.blocks.has(key)) return;
      this.blocks.set(key, n);
      n += size[svc]!;
    };
    // One shared block per service for a balancer without a proxy of its own (a pod whose mode changed).
    for (let svc = 0; svc < this.nServices; svc++) add(-1, svc);
    for (const e of w.edges) {
      const callers = e.entry >= 0 ? w.entryClients[e.entry]! : w.services[e.from]!.pods;
      for (const pod of callers) if (w.podProxy[pod]! >= 0) add(w.podProxy[pod]!, e.to);
      for (const wp of e.waypointPods) if (w.podProxy[wp]! >= 0) add(w.podProxy[wp]!, e.to);
    }
    this.active = new Int32Array(n);
    this.rng = streams.stream('load-balancing');
  }

  /** The block of proxy `proxy`'s counts for callee service `svc`. */
  block(proxy: number, svc: number): number {
    return this.blocks.get(proxy * this.nServices + svc) ?? this.blocks.get(-this.nServices + svc)!;
  }

  /** A uniformly random endpoint of a non-empty list (a connection's endpoint). */
  perConnection(pods: number[]): number {
    return pods[Math.floor(this.rng.next() * pods.length)]!;
  }

  /** LEAST_REQUEST over the Envoy counts in block `block`: the less busy of two random endpoints. */
  leastRequest(pods: number[], block: number): number {
    const n = pods.length;
    const a = pods[Math.floor(this.rng.next() * n)]!;
    if (n === 1) return a;
    const b = pods[Math.floor(this.rng.next() * n)]!;
    const active = this.active;
    const pos = this.position;
    return active[block + pos[b]!]! < active[block + pos[a]!]! ? b : a;
  }

  /**
   * Envoy `proxy` (-1: none of its own) picks an endpoint of service `svc` for one request and counts it
   * active; the slot to release when the request ends is left in `picked`.
   */
  pickPerRequest(pods: number[], proxy: number, svc: number): number {
    const block = this.block(proxy, svc);
    const dst = this.leastRequest(pods, block);
    this.picked = block + this.position[dst]!;
    this.active[this.picked]!++;
    return dst;
  }

  /** Slot of the last pickPerRequest. */
  picked = -1;

  /** A request counted on `slot` is done (-1: none). */
  done(slot: number): void {
    if (slot >= 0) this.active[slot]!--;
  }
}
