// The caller side's connections: every caller pod has `poolSize` connection slots per call edge. A slot
// remembers the endpoint, waypoint and route template its connection was opened to, the generations of
// the pod and ztunnels it is bound to, when it expires and when its client may reconnect after a reset.
import type { Distribution, RandomStreams, Rng } from '../../../sim/index.ts';
import type { Edge, World } from '../world/index.ts';
import * as kinds from './kinds.ts';

// Copied into module constants: an imported binding is re-read (with a hole check) on every access and
// cannot be folded into the hot lines below, a module constant can.
const HTTP1 = kinds.HTTP1;
const LONG_LIVED = kinds.LONG_LIVED;
const PER_REQUEST = kinds.PER_REQUEST;

export class Connections {
  /**
   * 1 where a caller connection is open; 2 where the Envoy that picks a TCP connection's endpoint (a
   * waypoint, a gateway) had none on its node and closes it: it is closed and opened again at the slot's
   * next use, as one past its lifetime (kept here, in memory the request path reads anyway).
   */
  readonly open: Uint8Array;
  readonly dst: Int32Array;
  readonly waypoint: Int32Array;
  /** Ingress gateway pod the connection reached (-1: none). */
  readonly gateway: Int32Array;
  readonly template: Int32Array;
  readonly expiry: Float64Array;
  /** Round-robin cursor of a long-lived pool (kept on its first slot). */
  readonly next: Int32Array;
  /** Requests in flight on each caller connection. */
  readonly busy: Int32Array;
  /** Generation of the destination pod, waypoint pod and two ztunnels (-1: none) when it was opened. */
  readonly dstGen: Int32Array;
  readonly waypointGen: Int32Array;
  readonly gatewayGen: Int32Array;
  readonly srcZtunnelGen: Int32Array;
  readonly dstZtunnelGen: Int32Array;
  /** After a reset, the client reconnects no earlier than this (its back-off). */
  readonly reconnectAt: Float64Array;
  /** Connections opened on each slot so far (they number a slot's connections for their random picks). */
  readonly opened: Int32Array;
  /**
   * The Envoy that last balanced a request on each slot (-2: none yet) and its block of counts
   * (Balancing.block): a hash lookup per request saved, redone when the balancer changes.
   */
  readonly lbProxy: Int32Array;
  readonly lbBlock: Int32Array;
  /** Caller connections open now. */
  count = 0;
  private readonly w: World;
  private readonly lifetimeRng: Rng;
  private readonly reconnectBackoff: Distribution;
  private readonly reconnectRng: Rng;

  constructor(w: World, streams: RandomStreams) {
    this.w = w;
    const n = w.nSlots;
    this.open = new Uint8Array(n);
    this.dst = new Int32Array(n);
    this.waypoint = new Int32Array(n);
    this.gateway = new Int32Array(n).fill(-1);
    this.template = new Int32Array(n);
    this.expiry = new Float64Array(n);
    this.next = new Int32Array(n);
    this.busy = new Int32Array(n);
    this.dstGen = new Int32Array(n);
    this.waypointGen = new Int32Array(n);
    this.gatewayGen = new Int32Array(n);
    this.srcZtunnelGen = new Int32Array(n);
    this.dstZtunnelGen = new Int32Array(n);
    this.reconnectAt = new Float64Array(n);
    this.opened = new Int32Array(n);
    this.lbProxy = new Int32Array(n).fill(-2);
    this.lbBlock = new Int32Array(n);
    this.lifetimeRng = streams.stream('connection-lifetime');
    this.reconnectBackoff = w.reconnectBackoff;
    this.reconnectRng = streams.stream('reconnect-backoff');
  }

  /**
   * The connection attempt `attempt` of a call goes out on, its last attempt's being `prev`. A sidecar
   * retries a headless Service's request to the pod its caller's connection dialled (its ORIGINAL_DST
   * cluster, mesh/route.ts headlessTemplate): the attempt stays on that connection while it is open.
   * ASSUMPTION: once it closed (or for a per-request connection), the retry goes where a new
   * connection's pick sends it.
   */
  attemptSlot(edge: Edge, src: number, attempt: number, prev: number): number {
    if (edge.headless && attempt > 0 && this.open[prev] === 1) return prev;
    return this.pick(edge, src);
  }

  /**
   * The caller pod's connection for this request. Long-lived streams are all kept open and used in turn
   * (a database or gRPC channel pool). A keep-alive pool opens connections on demand: an idle open one
   * first, else a new one while the pool has room, else the least busy (HTTP/1.1 clients wait for a free
   * connection; HTTP/2 and gRPC multiplex everything over one).
   */
  pick(edge: Edge, src: number): number {
    const base = edge.slotBase + this.w.podOrdinal[src]! * edge.poolSize;
    if (edge.poolSize === 1) return base;
    if (edge.connType === LONG_LIVED) {
      const n = this.next[base]!;
      this.next[base] = (n + 1) % edge.poolSize;
      return base + n;
    }
    if (edge.proto !== HTTP1) return base;
    let closed = -1;
    let least = base;
    for (let slot = base; slot < base + edge.poolSize; slot++) {
      if (!this.open[slot]) {
        if (closed < 0) closed = slot;
        continue;
      }
      if (this.busy[slot] === 0) return slot;
      if (this.busy[slot]! < this.busy[least]! || !this.open[least]) least = slot;
    }
    return closed >= 0 ? closed : least;
  }

  /**
   * Opens the slot's connection at `now`. A per-request connection belongs to its call (several may be
   * open from one pod at once): the slot only lends its fields, and the call closes the connection itself.
   */
  openSlot(edge: Edge, slot: number, now: number): void {
    this.open[slot] = edge.connType === PER_REQUEST ? 0 : 1;
    this.opened[slot]!++;
    this.count++;
    this.expiry[slot] = edge.lifetime
      ? now + edge.lifetime.sample(this.lifetimeRng)
      : Number.POSITIVE_INFINITY;
  }

  /** Binds the slot to its endpoint, waypoint, route template and their generations. */
  bind(slot: number, dst: number, dstGen: number, wp: number, wpGen: number, tpl: number): void {
    this.dst[slot] = dst;
    this.dstGen[slot] = dstGen;
    this.waypoint[slot] = wp;
    this.waypointGen[slot] = wpGen;
    this.template[slot] = tpl;
  }

  /** Binds the slot to the ingress gateway replica it reached (-1: none) and that replica's generation. */
  bindGateway(slot: number, gw: number, gwGen: number): void {
    this.gateway[slot] = gw;
    this.gatewayGen[slot] = gwGen;
  }

  /** Marks the slot's connection closed (what it held downstream is the request path's to release). */
  closeSlot(slot: number): void {
    this.open[slot] = 0;
    this.count--;
  }

  /** A client's reconnect back-off after a reset (lifecycle.reconnectBackoff). */
  backoff(): number {
    return this.reconnectBackoff.sample(this.reconnectRng);
  }

  /** The caller pod owning a slot of edge `e`. */
  caller(slot: number, e: Edge): number {
    const ordinal = Math.floor((slot - e.slotBase) / e.poolSize);
    const w = this.w;
    return e.entry >= 0 ? w.entryClients[e.entry]![ordinal]! : w.services[e.from]!.pods[ordinal]!;
  }

  /** Visits every open caller connection of the edges `match` accepts (rare: disruption only). */
  forOpen(match: (e: Edge) => boolean, visit: (slot: number, e: Edge) => void): void {
    const w = this.w;
    for (const e of w.edges) {
      if (!match(e)) continue;
      const callers = e.entry >= 0 ? w.entryClients[e.entry]!.length : w.services[e.from]!.pods.length;
      const end = e.slotBase + callers * e.poolSize;
      for (let slot = e.slotBase; slot < end; slot++) if (this.open[slot]) visit(slot, e);
    }
  }
}
