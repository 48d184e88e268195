// A DestinationRule's circuit breakers (connectionPool), per balancing Envoy and service cluster, as
// istiod sets them (istio/istio 1.28.0 pilot/pkg/networking/core/cluster_traffic_policy.go; unset, each
// 2^32 - 1). Over a limit the Envoy answers 503 itself, and nobody retries it (the reply carries
// x-envoy-overloaded; envoyproxy/envoy source/common/router/retry_state_impl.cc), nor does outlier
// detection count it (router.cc: "Ignore upstream reset caused by a resource overflow").
//  - http.http2MaxRequests (max_requests), on every HTTP version: the requests outstanding to the
//    cluster (Balancing.requests; source/common/conn_pool/conn_pool_base.cc attachStreamToClient, "max
//    streams overflow").
//  - tcp.maxConnections and http.http1MaxPendingRequests (max_connections, max_pending_requests), for
//    HTTP/1.1, where a request holds its upstream connection until its response. Envoy keeps a pool per
//    upstream host (conn_pool_base.cc): a request takes an idle connection of its host's pool, else the
//    pool opens one while the cluster has fewer than max_connections open, idle ones included
//    (tryCreateNewConnection; upstream_cx_overflow), or anyway when the host has none ("to prevent
//    pending streams being queued to this upstream with no way to be processed"); else it waits pending
//    for one of that host's connections, unless max_pending_requests already wait on the cluster
//    (newStreamImpl, "max pending streams overflow"). A connection stays open idle after its response
//    (HTTP/1.1 keep-alive) until the upstream or the Envoy goes, or its idle timeout: Envoy's default
//    common_http_protocol_options.idle_timeout is 1 hour (api/envoy/config/core/v3/protocol.proto), which
//    no run reaches, unless a DestinationRule's idleTimeout sets it. So connections opened in a burst
//    stay counted, and a cluster whose hosts together hold max_connections makes a request wait for its
//    own host's connection though others sit idle.
// ASSUMPTIONS: a request able to open a connection is not counted pending while it connects; the request
// waits where its attempt starts (meshsim picks the endpoint there), not at the Envoy, which differs only
// by the hops between them; one that timed out while pending leaves the line when it would have been
// served; a host's connections idle out together, once none has carried a request for the idle timeout
// (as in upstream-pools.ts), and are found closed when a request comes (the cluster's at the limit).
// HTTP/2 and gRPC multiplex requests over a connection: the connection limits do not bind them here, nor
// an HTTP/1.1 call an h2UpgradePolicy sends upstream as HTTP/2.
import { grown, holding } from '../grown.ts';
import type { Edge } from '../world/index.ts';
import * as kinds from './kinds.ts';
import type { Parts } from './parts.ts';

const HTTP1 = kinds.HTTP1;
export const ADMITTED = 0;
export const PENDING = 1;
export const REFUSED = 2;

export class CircuitBreakers {
  /** Per cluster (Balancing.clusterOf): maxRequests, maxConnections and maxPendingRequests (Infinity: none). */
  private readonly maxRequests: Float64Array;
  private readonly maxConnections: Float64Array;
  private readonly maxPending: Float64Array;
  /** The queue of each balancing Envoy's block (Balancing.block) of a service with a connection limit. */
  private readonly queueOf = new Map<number, number>();
  /** Per queue: its cluster, its Envoy's proxy (-1: none), connections open and requests pending. */
  private readonly queueCluster: Int32Array;
  private readonly queueProxy: Int32Array;
  private readonly queueOpen: Int32Array;
  private readonly queuePending: Int32Array;
  /** Per queue: its cluster's idleTimeout (0: none), and its host pools (only where it has one). */
  private readonly queueIdle: Float64Array;
  private readonly queuePools: number[][];
  /** A queue's pool for one host: its index, by queue * pods + host. */
  private readonly poolOf = new Map<number, number>();
  // Per host pool: its queue and host pod, connections open and busy, and its FIFO of pending calls
  // (linked through `next` by call id).
  private poolQueue = new Int32Array(16);
  private poolHost = new Int32Array(16);
  private open = new Int32Array(16);
  private busy = new Int32Array(16);
  /** Busy connections to close when their request ends (the host or the Envoy went). */
  private closing = new Int32Array(16);
  /** When each host pool's last busy connection freed. */
  private idleSince = new Float64Array(16);
  private head = new Int32Array(16);
  private tail = new Int32Array(16);
  private pools = 0;
  private next = new Int32Array(0);
  /** By call id: the host pool it holds a connection of, -2 - the pool it waits in, -1: neither. */
  private held = new Int32Array(0);
  // Grants whose onGranted has not run yet: a release inside onGranted (a call that gave up while
  // pending ends at once) grants the next, whose onGranted runs after, so a line drains in constant stack.
  private due = new Int32Array(16);
  private dueHead = 0;
  private dueN = 0;
  private delivering = false;
  private readonly nPods: number;
  private readonly p: Parts;
  /** Runs when a pending call gets its connection (set by the request path). */
  onGranted: (id: number) => void = () => {};
  /** Whether any service sets a circuit breaker: where none does, the request path never asks. */
  readonly any: boolean;

  constructor(p: Parts) {
    this.p = p;
    this.nPods = p.w.placement.pods.length;
    // Limits per cluster (Balancing.clusterPolicies: a service's, or a subset's with a policy of its own).
    const policies = p.balancing.clusterPolicies;
    const inf = Number.POSITIVE_INFINITY;
    this.maxRequests = Float64Array.from(policies, (x) => x?.maxRequests ?? inf);
    const limitsRequests = this.maxRequests.some((x) => x < inf);
    if (limitsRequests) p.balancing.trackRequests();
    this.maxConnections = Float64Array.from(policies, (x) => x?.maxConnections ?? inf);
    this.maxPending = Float64Array.from(policies, (x) => x?.maxPendingRequests ?? inf);
    const cluster: number[] = [];
    const proxy: number[] = [];
    if (this.maxConnections.some((x) => x < inf))
      p.w.services.forEach((_, svc) => {
        for (const b of p.balancing.blocksOf(svc)) {
          const c = p.balancing.clusterOf(b.block, svc);
          if (this.maxConnections[c] === inf) continue;
          this.queueOf.set(b.block, cluster.length);
          cluster.push(c);
          proxy.push(b.proxy);
        }
      });
    this.queueCluster = Int32Array.from(cluster);
    this.queueProxy = Int32Array.from(proxy);
    this.queueOpen = new Int32Array(cluster.length);
    this.queuePending = new Int32Array(cluster.length);
    this.queueIdle = Float64Array.from(cluster, (c) => policies[c]?.idleTimeout ?? 0);
    this.queuePools = cluster.map(() => []);
    this.any = limitsRequests || cluster.length > 0;
  }

  /**
   * Call `id` over `edge` to host `dst`, counted by the balancing Envoy in `block` (Balancing.pick), asks
   * to go on: it may (ADMITTED), waits for a connection of that host (PENDING: onGranted runs when it has
   * one), or is refused by max_requests or max_pending_requests (REFUSED).
   */
  admit(id: number, edge: Edge, block: number, dst: number): number {
    const limit = this.maxRequests[this.p.balancing.clusterOf(block, edge.to)]!;
    // Counted already: over the limit, the limit was reached before it.
    if (limit < Number.POSITIVE_INFINITY && this.p.balancing.requests[block]! > limit) return REFUSED;
    if (edge.poolProto !== HTTP1) return ADMITTED;
    const q = this.queueOf.get(block);
    if (q === undefined) return ADMITTED;
    const h = this.pool(q, dst);
    const maxConnections = this.maxConnections[this.queueCluster[q]!]!;
    const idle = this.queueIdle[q]!;
    if (idle > 0) this.expire(h, idle);
    if (this.busy[h]! < this.open[h]!) {
      this.busy[h]!++;
      this.set(id, h);
      return ADMITTED;
    }
    // At the limit, connections other hosts let idle out no longer count.
    if (idle > 0 && this.queueOpen[q]! >= maxConnections)
      for (const other of this.queuePools[q]!) this.expire(other, idle);
    if (this.queueOpen[q]! < maxConnections || this.open[h] === 0) {
      this.open[h]!++;
      this.queueOpen[q]!++;
      this.busy[h]!++;
      this.set(id, h);
      return ADMITTED;
    }
    if (this.queuePending[q]! >= this.maxPending[this.queueCluster[q]!]!) return REFUSED;
    this.set(id, -2 - h);
    this.next = holding(this.next, id);
    this.next[id] = -1;
    if (this.tail[h]! >= 0) this.next[this.tail[h]!] = id;
    else this.head[h] = id;
    this.tail[h] = id;
    this.queuePending[q]!++;
    return PENDING;
  }

  /** Requests waiting for a connection of the Envoy whose counts are block `block`. */
  pending(block: number): number {
    const q = this.queueOf.get(block);
    return q === undefined ? 0 : this.queuePending[q]!;
  }

  /** Connections open from the Envoy of block `block` to its cluster, idle ones included. */
  connections(block: number): number {
    const q = this.queueOf.get(block);
    return q === undefined ? 0 : this.queueOpen[q]!;
  }

  /**
   * Call `id`'s attempt ended (answered, failed, timed out): its connection, if it holds one, frees, and
   * goes to the first call pending on its host, else stays open idle (or closes, if its host went). One
   * still pending stays in line (its grant ends it).
   */
  release(id: number): void {
    if (id >= this.held.length) return;
    const h = this.held[id]!;
    if (h < 0) return;
    this.held[id] = -1;
    const q = this.poolQueue[h]!;
    if (this.closing[h]! > 0) {
      this.closing[h]!--;
      this.open[h]!--;
      this.queueOpen[q]!--;
      if (--this.busy[h]! === 0) this.idleSince[h] = this.p.cal.now;
      // A call pending on the host opens a connection where the cluster now has room, or the host none.
      if (this.head[h]! < 0) return;
      if (this.queueOpen[q]! >= this.maxConnections[this.queueCluster[q]!]! && this.open[h]! > 0) return;
      this.open[h]!++;
      this.queueOpen[q]!++;
      this.busy[h]!++;
    } else if (this.head[h]! < 0) {
      if (--this.busy[h]! === 0) this.idleSince[h] = this.p.cal.now;
      return;
    }
    this.grant(h);
  }

  /**
   * The pooled connections that `match` (originator proxy, terminating proxy, host pod: as
   * UpstreamPools.reset) says closed: idle ones now, busy ones as their request ends.
   */
  reset(match: (originator: number, terminator: number, peer: number) => boolean): void {
    const w = this.p.w;
    for (let h = 0; h < this.pools; h++) {
      const host = this.poolHost[h]!;
      const o = this.queueProxy[this.poolQueue[h]!]!;
      const sidecar = w.podProxy[host]!;
      const ztunnel = w.ztunnelOfNode[this.p.pods.node[host]!] ?? -1;
      const hit =
        sidecar >= 0
          ? match(o, sidecar, host)
          : match(o, w.nProxies + host, host) || (ztunnel >= 0 && match(o, ztunnel, host));
      if (!hit) continue;
      const idle = this.open[h]! - this.busy[h]!;
      this.open[h]! -= idle;
      this.queueOpen[this.poolQueue[h]!]! -= idle;
      this.closing[h] = this.busy[h]!;
    }
  }

  /** Host pool `h`'s connections, idle for `idle` seconds, are closed by now. */
  private expire(h: number, idle: number): void {
    if (this.busy[h] !== 0 || this.open[h] === 0 || this.p.cal.now - this.idleSince[h]! < idle) return;
    this.queueOpen[this.poolQueue[h]!]! -= this.open[h]!;
    this.open[h] = 0;
  }

  /** The first call pending on host pool `h` takes the connection just freed (or opened) there. */
  private grant(h: number): void {
    const id = this.head[h]!;
    this.head[h] = this.next[id]!;
    if (this.head[h]! < 0) this.tail[h] = -1;
    this.queuePending[this.poolQueue[h]!]!--;
    this.held[id] = h;
    if (this.dueN === this.due.length) {
      const d = new Int32Array(this.due.length * 2);
      for (let i = 0; i < this.dueN; i++) d[i] = this.due[(this.dueHead + i) % this.due.length]!;
      this.due = d;
      this.dueHead = 0;
    }
    this.due[(this.dueHead + this.dueN++) % this.due.length] = id;
    if (this.delivering) return;
    this.delivering = true;
    while (this.dueN > 0) {
      const next = this.due[this.dueHead]!;
      this.dueHead = (this.dueHead + 1) % this.due.length;
      this.dueN--;
      this.onGranted(next);
    }
    this.delivering = false;
  }

  /** The pool of queue `q` for host `host`, made on first use. */
  private pool(q: number, host: number): number {
    const key = q * this.nPods + host;
    const known = this.poolOf.get(key);
    if (known !== undefined) return known;
    const h = this.pools++;
    if (h === this.open.length) {
      const n = h * 2;
      this.poolQueue = grown(this.poolQueue, n);
      this.poolHost = grown(this.poolHost, n);
      this.open = grown(this.open, n);
      this.busy = grown(this.busy, n);
      this.closing = grown(this.closing, n);
      this.idleSince = grown(this.idleSince, n);
      this.head = grown(this.head, n);
      this.tail = grown(this.tail, n);
    }
    this.poolQueue[h] = q;
    this.poolHost[h] = host;
    this.head[h] = -1;
    this.tail[h] = -1;
    this.poolOf.set(key, h);
    if (this.queueIdle[q]! > 0) this.queuePools[q]!.push(h);
    return h;
  }

  /** `held` of call `id`: the host pool it holds a connection of, -2 - the pool it waits in, or -1. */
  private set(id: number, h: number): void {
    this.held = holding(this.held, id);
    this.held[id] = h;
  }
}
