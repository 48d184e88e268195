// State of every call in flight, kept in growable typed arrays indexed by call id: the hot path reads and
// writes numbers instead of allocating an object per request. Ids are recycled through a free list.

export class CallTable {
  capacity = 0;
  edge = new Int32Array(0);
  parent = new Int32Array(0);
  src = new Int32Array(0);
  dst = new Int32Array(0);
  waypoint = new Int32Array(0);
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
  /** Start of the call (first attempt). */
  start = new Float64Array(0);
  /** One-way network delay accumulated on the way in; the response pays it again. */
  net = new Float64Array(0);
  nextEdge = new Int32Array(0);
  repeatLeft = new Int32Array(0);
  outstanding = new Int32Array(0);
  attempt = new Int32Array(0);
  timer = new Float64Array(0);
  /** 1: a child failed, so this call answers with an error. */
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

  release(id: number): void {
    this.live--;
    this.inUse[id] = 0;
    this.free[this.nFree++] = id;
  }

  private grow(n: number): void {
    const old = this.capacity;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    this.edge = i32(this.edge);
    this.parent = i32(this.parent);
    this.src = i32(this.src);
    this.dst = i32(this.dst);
    this.waypoint = i32(this.waypoint);
    this.template = i32(this.template);
    this.step = i32(this.step);
    this.slot = i32(this.slot);
    this.fresh = i32(this.fresh);
    this.handshake = i32(this.handshake);
    this.pool = i32(this.pool);
    this.pool2 = i32(this.pool2);
    this.start = f64(this.start);
    this.net = f64(this.net);
    this.nextEdge = i32(this.nextEdge);
    this.repeatLeft = i32(this.repeatLeft);
    this.outstanding = i32(this.outstanding);
    this.attempt = i32(this.attempt);
    this.timer = f64(this.timer);
    this.failed = u8(this.failed);
    this.abandoned = u8(this.abandoned);
    this.measured = u8(this.measured);
    this.phase = u8(this.phase);
    this.doomed = u8(this.doomed);
    this.dstGen = i32(this.dstGen);
    this.inUse = u8(this.inUse);
    const free = new Int32Array(n);
    free.set(this.free.subarray(0, this.nFree));
    // New ids are handed out lowest first, so runs reuse a compact range.
    for (let id = n - 1; id >= old; id--) free[this.nFree++] = id;
    this.free = free;
    this.capacity = n;
  }
}
