// Endpoint picks. L4 load balancing (kube-proxy, ztunnel) picks an endpoint once per connection, at
// random; an L7 proxy (Envoy) picks per request with its default LEAST_REQUEST balancer, which draws two
// endpoints at random and takes the one with fewer active requests (power of two choices).
// https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/load_balancers#weighted-least-request
import type { RandomStreams, Rng } from '../../../sim/index.ts';

export class Balancing {
  /** Active requests per pod, as the balancers see them. */
  readonly active: Int32Array;
  private readonly rng: Rng;

  constructor(nPods: number, streams: RandomStreams) {
    this.active = new Int32Array(nPods);
    this.rng = streams.stream('load-balancing');
  }

  /** A uniformly random endpoint of a non-empty list (a connection's endpoint). */
  perConnection(pods: number[]): number {
    return pods[Math.floor(this.rng.next() * pods.length)]!;
  }

  /** Envoy's default LEAST_REQUEST balancer: the less busy of two random endpoints. */
  leastRequest(pods: number[]): number {
    const n = pods.length;
    const a = pods[Math.floor(this.rng.next() * n)]!;
    if (n === 1) return a;
    const b = pods[Math.floor(this.rng.next() * n)]!;
    return this.active[b]! < this.active[a]! ? b : a;
  }
}
