// State of every call in flight, kept in growable typed arrays indexed by call id: the hot path reads and
// writes numbers instead of allocating an object per request. Ids are recycled through a free list.

import { grown } from './grown.ts';
import { ON_THE_WAY_IN } from './replication/kinds.ts';

export class CallTable {
  capacity = 0;
  edge = new Int32Array(0);
  parent = new Int32Array(0);
  src = new Int32Array(0);
  dst = new Int32Array(0);
  waypoint = new Int32Array(0);
  /** Ingress gateway pod its connection entered through (-1: none). */
  gateway = new Int32Array(0);
  template = new Int32Array(0);
  step = new Int32Array(0);
  slot = new Int32Array(0);
  /** Bit k: the segment into step k (k = steps: into the application) opens a new connection or stream. */
  fresh = new Int32Array(0);
  /** Bit k: that new connection costs an mTLS handshake. */
  handshake = new Int32Array(0);
  /** Pooled upstream pairs this attempt is counted in (at most two: caller sidecar and waypoint), -1 none. */
  pool = new Int32Array(0);
  pool2 = new Int32Array(0);
  /** Slot of Balancing.active this attempt is counted in (its Envoy's own view), -1 none. */
  lb = new Int32Array(0);
  /** Endpoints its last two attempts were sent to (-1: none), for Envoy's previous_hosts predicate. */
  tried = new Int32Array(0);
  tried2 = new Int32Array(0);
  /** Key of the call for its random decisions (replication/keyed-random.ts). */
  key = new Int32Array(0);
  /** Start of the call (first attempt). */
  start = new Float64Array(0);
  /** One-way network delay accumulated on the way in; the response pays it again. */
  net = new Float64Array(0);
  /** What the serving pod does for it (World.behaviours), drawn when it reaches the application. */
  behaviour = new Int32Array(0);
  nextEdge = new Int32Array(0);
  repeatLeft = new Int32Array(0);
  outstanding = new Int32Array(0);
  attempt = new Int32Array(0);
  timer = new Float64Array(0);
  /** 1: a child failed, so this attempt answers with an error. */
  failed = new Uint8Array(0);
  /** 1: the caller gave up on it (timeout); it still runs to completion and then vanishes. */
  abandoned = new Uint8Array(0);
  /** Where the attempt is: 0 on the way in, 1 waiting for an application worker, 2 holding one, 3 answered. */
  phase = new Uint8Array(0);
  /** 1: a proxy, pod or connection on its path died under it; it fails at its next step. */
  doomed = new Uint8Array(0);
  /** Generation of the destination pod it was sent to. */
  dstGen = new Int32Array(0);
  /** 1: started after the warm-up, so it is measured. */
  measured = new Uint8Array(0);
  /** 1: the id is allocated (so a call is in flight). */
  inUse = new Uint8Array(0);
  private free = new Int32Array(0);
  private nFree = 0;
  live = 0;

  constructor(initial = 1024) {
    this.grow(initial);
  }

  alloc(): number {
    if (this.nFree === 0) this.grow(this.capacity * 2);
    this.live++;
    const id = this.free[--this.nFree]!;
    this.inUse[id] = 1;
    return id;
  }

  /** A new call over `edge` (its first attempt follows). */
  begin(edge: number, parent: number, src: number, now: number, measured: boolean, key = 0): number {
    const id = this.alloc();
    this.key[id] = key;
    this.tried[id] = -1;
    this.tried2[id] = -1;
    this.edge[id] = edge;
    this.parent[id] = parent;
    this.src[id] = src;
    this.start[id] = now;
    this.attempt[id] = 0;
    this.failed[id] = 0;
    this.abandoned[id] = 0;
    this.measured[id] = measured ? 1 : 0;
    this.timer[id] = -1;
    return id;
  }

  /** Clears what the previous attempt of the call held: it starts on the way in, at step 0. */
  newAttempt(id: number): void {
    this.phase[id] = ON_THE_WAY_IN;
    this.doomed[id] = 0;
    this.failed[id] = 0;
    this.step[id] = 0;
    this.fresh[id] = 0;
    this.handshake[id] = 0;
    this.pool[id] = -1;
    this.pool2[id] = -1;
    this.lb[id] = -1;
    this.net[id] = 0;
    this.dst[id] = -1;
  }

  release(id: number): void {
    this.live--;
    this.inUse[id] = 0;
    this.free[this.nFree++] = id;
  }

  private grow(n: number): void {
    const old = this.capacity;
    this.edge = grown(this.edge, n);
    this.parent = grown(this.parent, n);
    this.src = grown(this.src, n);
    this.dst = grown(this.dst, n);
    this.waypoint = grown(this.waypoint, n);
    this.gateway = grown(this.gateway, n);
    this.template = grown(this.template, n);
    this.step = grown(this.step, n);
    this.slot = grown(this.slot, n);
    this.fresh = grown(this.fresh, n);
    this.handshake = grown(this.handshake, n);
    this.pool = grown(this.pool, n);
    this.pool2 = grown(this.pool2, n);
    this.lb = grown(this.lb, n);
    this.key = grown(this.key, n);
    this.tried = grown(this.tried, n);
    this.tried2 = grown(this.tried2, n);
    this.start = grown(this.start, n);
    this.net = grown(this.net, n);
    this.behaviour = grown(this.behaviour, n);
    this.nextEdge = grown(this.nextEdge, n);
    this.repeatLeft = grown(this.repeatLeft, n);
    this.outstanding = grown(this.outstanding, n);
    this.attempt = grown(this.attempt, n);
    this.timer = grown(this.timer, n);
    this.failed = grown(this.failed, n);
    this.abandoned = grown(this.abandoned, n);
    this.measured = grown(this.measured, n);
    this.phase = grown(this.phase, n);
    this.doomed = grown(this.doomed, n);
    this.dstGen = grown(this.dstGen, n);
    this.inUse = grown(this.inUse, n);
    const free = grown(this.free, n);
    // New ids are handed out lowest first, so runs reuse a compact range.
    for (let id = n - 1; id >= old; id--) free[this.nFree++] = id;
    this.free = free;
    this.capacity = n;
  }
}
