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

// A slot's fields, interleaved in one 64-byte record per slot (an Int32Array and a Float64Array over the
// same buffer): a request reads or writes about ten of them on a random slot among large's 229,600, and
// a separate array per field was a cache miss per field. Ints first, then two doubles at the record's end.
const OPEN = 0;
/** OPEN of a connection its balancing Envoy closes at once (see Connections.f). */
export const CLOSING = 2;
const DST = 1;
const DST_GEN = 2;
const WAYPOINT = 3;
const WAYPOINT_GEN = 4;
const GATEWAY = 5;
const GATEWAY_GEN = 6;
const TEMPLATE = 7;
const BUSY = 8;
const LB_PROXY = 9;
const LB_BLOCK = 10;
const OPENED = 11;
const STRIDE = 16;
/** The doubles, indexed in the Float64Array view (STRIDE / 2 per record). */
const EXPIRY = 6;
const RECONNECT_AT = 7;
const D_STRIDE = STRIDE / 2;

export class Connections {
  /**
   * Per slot (STRIDE int32s): OPEN is 1 where a caller connection is open; 2 where the Envoy that picks a
   * TCP connection's endpoint (a waypoint, a gateway) had none on its node and closes it: it is closed and
   * opened again at the slot's next use, as one past its lifetime (kept here, in memory the request path
   * reads anyway). DST, WAYPOINT, GATEWAY (-1: none) and TEMPLATE: where it was opened to; *_GEN: the
   * generations of those pods then. BUSY: requests in flight on it. OPENED: connections opened on it so
   * far (they number a slot's connections for their random picks). LB_PROXY, LB_BLOCK: the Envoy that last
   * balanced a request on it (-2: none yet) and its block of counts (Balancing.block): a hash lookup per
   * request saved, redone when the balancer changes.
   */
  private readonly f: Int32Array;
  /** The same records as doubles: EXPIRY, and RECONNECT_AT (after a reset its client's back-off ends). */
  private readonly d: Float64Array;
  /** Round-robin cursor of a long-lived pool (kept on its first slot). */
  private readonly next: Int32Array;
  /** Generation of the two ztunnels (-1: none) each connection was opened through. */
  private readonly srcZtunnelGen: Int32Array;
  private readonly dstZtunnelGen: Int32Array;
  /** Caller connections open now. */
  count = 0;
  private readonly w: World;
  private readonly lifetimeRng: Rng;
  private readonly reconnectBackoff: Distribution;
  private readonly reconnectRng: Rng;

  constructor(w: World, streams: RandomStreams) {
    this.w = w;
    const n = w.nSlots;
    const buffer = new ArrayBuffer(n * STRIDE * 4);
    this.f = new Int32Array(buffer);
    this.d = new Float64Array(buffer);
    for (let slot = 0; slot < n; slot++) {
      this.f[slot * STRIDE + GATEWAY] = -1;
      this.f[slot * STRIDE + LB_PROXY] = -2;
    }
    this.next = new Int32Array(n);
    this.srcZtunnelGen = new Int32Array(n);
    this.dstZtunnelGen = new Int32Array(n);
    this.lifetimeRng = streams.stream('connection-lifetime');
    this.reconnectBackoff = w.reconnectBackoff;
    this.reconnectRng = streams.stream('reconnect-backoff');
  }

  openOf(slot: number): number {
    return this.f[slot * STRIDE + OPEN]!;
  }

  /** Marks an open connection as closing (see OPEN): it is opened anew at the slot's next use. */
  setClosing(slot: number): void {
    this.f[slot * STRIDE + OPEN] = CLOSING;
  }

  dstOf(slot: number): number {
    return this.f[slot * STRIDE + DST]!;
  }

  dstGenOf(slot: number): number {
    return this.f[slot * STRIDE + DST_GEN]!;
  }

  waypointOf(slot: number): number {
    return this.f[slot * STRIDE + WAYPOINT]!;
  }

  waypointGenOf(slot: number): number {
    return this.f[slot * STRIDE + WAYPOINT_GEN]!;
  }

  gatewayOf(slot: number): number {
    return this.f[slot * STRIDE + GATEWAY]!;
  }

  gatewayGenOf(slot: number): number {
    return this.f[slot * STRIDE + GATEWAY_GEN]!;
  }

  templateOf(slot: number): number {
    return this.f[slot * STRIDE + TEMPLATE]!;
  }

  busyOf(slot: number): number {
    return this.f[slot * STRIDE + BUSY]!;
  }

  /** A request starts (+1) or ends (-1) on the slot's connection. */
  addBusy(slot: number, d: number): void {
    this.f[slot * STRIDE + BUSY]! += d;
  }

  openedOf(slot: number): number {
    return this.f[slot * STRIDE + OPENED]!;
  }

  lbProxyOf(slot: number): number {
    return this.f[slot * STRIDE + LB_PROXY]!;
  }

  lbBlockOf(slot: number): number {
    return this.f[slot * STRIDE + LB_BLOCK]!;
  }

  /** The Envoy balancing the slot's requests now and its block of counts. */
  setLb(slot: number, proxy: number, block: number): void {
    this.f[slot * STRIDE + LB_PROXY] = proxy;
    this.f[slot * STRIDE + LB_BLOCK] = block;
  }

  expiryOf(slot: number): number {
    return this.d[slot * D_STRIDE + EXPIRY]!;
  }

  reconnectAtOf(slot: number): number {
    return this.d[slot * D_STRIDE + RECONNECT_AT]!;
  }

  /** After a reset, the slot's client reconnects no earlier than `at` (its back-off). */
  setReconnectAt(slot: number, at: number): void {
    this.d[slot * D_STRIDE + RECONNECT_AT] = at;
  }

  srcZtunnelGenOf(slot: number): number {
    return this.srcZtunnelGen[slot]!;
  }

  dstZtunnelGenOf(slot: number): number {
    return this.dstZtunnelGen[slot]!;
  }

  /** The ztunnel generations (-1: none) the slot's new connection goes through. */
  bindZtunnels(slot: number, src: number, dst: number): void {
    this.srcZtunnelGen[slot] = src;
    this.dstZtunnelGen[slot] = dst;
  }

  /**
   * The connection attempt `attempt` of a call goes out on, its last attempt's being `prev`. A sidecar
   * retries a headless Service's request to the pod its caller's connection dialled (its ORIGINAL_DST
   * cluster, mesh/route.ts headlessTemplate): the attempt stays on that connection while it is open.
   * ASSUMPTION: once it closed (or for a per-request connection), the retry goes where a new
   * connection's pick sends it.
   */
  attemptSlot(edge: Edge, src: number, attempt: number, prev: number): number {
    if (edge.headless && attempt > 0 && this.f[prev * STRIDE + OPEN] === 1) return prev;
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
    const f = this.f;
    let closed = -1;
    let least = base;
    for (let slot = base; slot < base + edge.poolSize; slot++) {
      if (!f[slot * STRIDE + OPEN]) {
        if (closed < 0) closed = slot;
        continue;
      }
      const busy = f[slot * STRIDE + BUSY]!;
      if (busy === 0) return slot;
      if (busy < f[least * STRIDE + BUSY]! || !f[least * STRIDE + OPEN]) least = slot;
    }
    return closed >= 0 ? closed : least;
  }

  /**
   * Opens the slot's connection at `now`. A per-request connection belongs to its call (several may be
   * open from one pod at once): the slot only lends its fields, and the call closes the connection itself.
   */
  openSlot(edge: Edge, slot: number, now: number): void {
    const at = slot * STRIDE;
    this.f[at + OPEN] = edge.connType === PER_REQUEST ? 0 : 1;
    this.f[at + OPENED]!++;
    this.count++;
    this.d[slot * D_STRIDE + EXPIRY] = edge.lifetime
      ? now + edge.lifetime.sample(this.lifetimeRng)
      : Number.POSITIVE_INFINITY;
  }

  /** Binds the slot to its endpoint, waypoint, route template and their generations. */
  bind(slot: number, dst: number, dstGen: number, wp: number, wpGen: number, tpl: number): void {
    const at = slot * STRIDE;
    this.f[at + DST] = dst;
    this.f[at + DST_GEN] = dstGen;
    this.f[at + WAYPOINT] = wp;
    this.f[at + WAYPOINT_GEN] = wpGen;
    this.f[at + TEMPLATE] = tpl;
  }

  /** Binds the slot to the ingress gateway replica it reached (-1: none) and that replica's generation. */
  bindGateway(slot: number, gw: number, gwGen: number): void {
    this.f[slot * STRIDE + GATEWAY] = gw;
    this.f[slot * STRIDE + GATEWAY_GEN] = gwGen;
  }

  /** Marks the slot's connection closed (what it held downstream is the request path's to release). */
  closeSlot(slot: number): void {
    this.f[slot * STRIDE + OPEN] = 0;
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
      for (let slot = e.slotBase; slot < end; slot++) if (this.f[slot * STRIDE + OPEN]) visit(slot, e);
    }
  }
}
