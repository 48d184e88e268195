// A DestinationRule's circuit breakers (connectionPool), per balancing Envoy and service cluster, as
// istiod sets them (istio/istio 1.28.0 pilot/pkg/networking/core/cluster_traffic_policy.go; unset, each
// 2^32 - 1). Over a limit the Envoy answers 503 itself, and nobody retries it (the reply carries
// x-envoy-overloaded; envoyproxy/envoy source/common/router/retry_state_impl.cc), nor does outlier
// detection count it (router.cc: "Ignore upstream reset caused by a resource overflow").
//  - http.http2MaxRequests (max_requests), on every HTTP version: the requests outstanding to the
//    cluster (Balancing.requests; source/common/conn_pool/conn_pool_base.cc attachStreamToClient, "max
//    streams overflow").
//  - tcp.maxConnections and http.http1MaxPendingRequests (max_connections, max_pending_requests), for
//    HTTP/1.1: a request holds its upstream connection until its response; one that finds the cluster's
//    connections all busy and none allowed more waits pending for the first to free, and one that finds
//    max_pending_requests already waiting is refused (conn_pool_base.cc newStreamImpl, "max pending
//    streams overflow"; tryCreateNewConnection, upstream_cx_overflow). So the Envoy is a queue of
//    maxConnections servers and maxPendingRequests places (M/G/c/c+P).
// ASSUMPTIONS: the connection limit counts the requests holding connections (idle kept-alive
// connections are reused at once, so a busy cluster has none; Envoy counts open idle ones too, and opens
// one anyway to a host it has none to); a request able to open a connection is not counted pending while
// it connects; the request waits where its attempt starts (meshsim picks the endpoint there), not at the
// Envoy, which differs only by the hops between them; one that timed out while pending leaves the line
// when it would have been served. HTTP/2 and gRPC multiplex requests over a connection: the connection
// limits do not bind them here, nor an HTTP/1.1 call an h2UpgradePolicy sends upstream as HTTP/2.
import { ServerBank } from '../../../sim/index.ts';
import { holding } from '../grown.ts';
import type { Edge } from '../world/index.ts';
import * as kinds from './kinds.ts';
import type { Parts } from './parts.ts';

const HTTP1 = kinds.HTTP1;
export const ADMITTED = 0;
export const PENDING = 1;
export const REFUSED = 2;

export class CircuitBreakers {
  /** Per service: maxRequests, maxConnections and maxPendingRequests (Infinity: none). */
  private readonly maxRequests: Float64Array;
  private readonly maxConnections: Float64Array;
  private readonly maxPending: Float64Array;
  /** The queue of each balancing Envoy's block (Balancing.block) of a limited service. */
  private readonly queueOf = new Map<number, number>();
  private readonly bank: ServerBank | null;
  /** By call id: the queue it holds a connection of, -2 - the queue it waits in, -1: neither. */
  private held = new Int32Array(0);
  private readonly p: Parts;
  /** Runs when a pending call gets its connection (set by the request path). */
  onGranted: (id: number) => void = () => {};
  /** Whether any service sets a circuit breaker: where none does, the request path never asks. */
  readonly any: boolean;

  constructor(p: Parts) {
    this.p = p;
    const policy = (i: number) => p.w.services[i]!.trafficPolicy;
    const inf = Number.POSITIVE_INFINITY;
    this.maxRequests = Float64Array.from(p.w.services, (_, i) => policy(i)?.maxRequests ?? inf);
    const limitsRequests = this.maxRequests.some((x) => x < inf);
    if (limitsRequests) p.balancing.trackRequests();
    this.maxConnections = Float64Array.from(p.w.services, (_, i) => policy(i)?.maxConnections ?? inf);
    this.maxPending = Float64Array.from(p.w.services, (_, i) => policy(i)?.maxPendingRequests ?? inf);
    const servers: number[] = [];
    p.w.services.forEach((_, svc) => {
      const c = this.maxConnections[svc]!;
      if (c === inf) return;
      for (const block of p.balancing.blocksOf(svc)) {
        this.queueOf.set(block, servers.length);
        servers.push(c);
      }
    });
    this.bank = servers.length > 0 ? new ServerBank(p.cal, servers, (_, id) => this.granted(id)) : null;
    this.any = limitsRequests || this.bank !== null;
  }

  /**
   * Call `id` over `edge`, counted by the balancing Envoy in `block` (Balancing.pick), asks to go on: it
   * may (ADMITTED), waits for a connection (PENDING: onGranted runs when it has one), or is refused by
   * max_requests or max_pending_requests (REFUSED).
   */
  admit(id: number, edge: Edge, block: number): number {
    const limit = this.maxRequests[edge.to]!;
    // Counted already: over the limit, the limit was reached before it.
    if (limit < Number.POSITIVE_INFINITY && this.p.balancing.requests[block]! > limit) return REFUSED;
    const bank = this.bank;
    if (
      bank === null ||
      edge.poolProto !== HTTP1 ||
      this.maxConnections[edge.to] === Number.POSITIVE_INFINITY
    )
      return ADMITTED;
    const q = this.queueOf.get(block);
    if (q === undefined) return ADMITTED;
    const full = bank.busy(q) >= bank.servers(q);
    if (full && bank.waiting(q) >= this.maxPending[edge.to]!) return REFUSED;
    if (bank.acquire(q, id)) {
      this.set(id, q);
      return ADMITTED;
    }
    this.set(id, -2 - q);
    return PENDING;
  }

  /** Requests waiting for a connection of the Envoy whose counts are block `block`. */
  pending(block: number): number {
    const q = this.bank === null ? undefined : this.queueOf.get(block);
    return q === undefined ? 0 : this.bank!.waiting(q);
  }

  private granted(id: number): void {
    this.set(id, -2 - this.held[id]!);
    this.onGranted(id);
  }

  /**
   * Call `id`'s attempt ended (answered, failed, timed out): its connection, if it holds one, frees. One
   * still pending stays in line (its grant ends it).
   */
  release(id: number): void {
    if (id >= this.held.length) return;
    const q = this.held[id]!;
    if (q < 0) return;
    this.held[id] = -1;
    this.bank!.release(q);
  }

  /** `held` of call `id`: the queue it holds a connection of, -2 - the queue it waits in, or -1. */
  private set(id: number, q: number): void {
    this.held = holding(this.held, id);
    this.held[id] = q;
  }
}
