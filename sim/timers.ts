import { grow } from './grow.ts';

/**
 * The calendar's re-schedulable events: each timer is at most one pending event that its owner moves
 * often (a node processor's next completion moves with every start and completion on the node). They
 * live in their own indexed binary min-heap on (time, sequence), moved in place, so a move costs one
 * sift in a heap of timers instead of a cancelled entry left in the calendar's heap and a new one.
 * The calendar runs whichever of the two heaps' tops comes first; see Calendar.timer.
 */
export class Timers {
  /** Timers set (in the heap). */
  n = 0;
  private made = 0;
  time = new Float64Array(16);
  seq = new Float64Array(16);
  handler = new Int32Array(16);
  payload = new Float64Array(16);
  /** Heap position of each timer, -1 when not set. */
  private pos = new Int32Array(16).fill(-1);
  /** Timer ids by heap position. */
  private heap = new Int32Array(16);

  get count(): number {
    return this.made;
  }

  make(handler: number): number {
    if (this.made === this.pos.length) {
      const cap = this.made * 2;
      this.time = grow(this.time, cap);
      this.seq = grow(this.seq, cap);
      this.handler = grow(this.handler, cap);
      this.payload = grow(this.payload, cap);
      this.pos = grow(this.pos, cap);
      this.pos.fill(-1, this.made);
      this.heap = grow(this.heap, cap);
    }
    this.handler[this.made] = handler;
    return this.made++;
  }

  isSet(id: number): boolean {
    return this.pos[id]! >= 0;
  }

  /** The earliest set timer (n > 0). */
  top(): number {
    return this.heap[0]!;
  }

  /** Sets (or moves) timer `id` to (time, seq) with `payload`. */
  set(id: number, time: number, seq: number, payload: number): void {
    this.payload[id] = payload;
    let i = this.pos[id]!;
    const wasSet = i >= 0;
    const later = wasSet && (time > this.time[id]! || (time === this.time[id]! && seq > this.seq[id]!));
    this.time[id] = time;
    this.seq[id] = seq;
    if (!wasSet) i = this.n++;
    if (later) this.down(i, id);
    else this.up(i, id);
  }

  /** Unsets timer `id` (no-op when it is not set). */
  clear(id: number): void {
    const i = this.pos[id]!;
    if (i < 0) return;
    this.pos[id] = -1;
    const last = --this.n;
    if (i === last) return;
    const moved = this.heap[last]!;
    if (i > 0 && this.before(moved, this.heap[(i - 1) >> 1]!)) this.up(i, moved);
    else this.down(i, moved);
  }

  private before(a: number, b: number): boolean {
    const ta = this.time[a]!;
    const tb = this.time[b]!;
    // A tie (rare) is tested first, so that the common case is the comparison's value, not a branch.
    return ta === tb ? this.seq[a]! < this.seq[b]! : ta < tb;
  }

  private up(i: number, id: number): void {
    const H = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pid = H[p]!;
      if (!this.before(id, pid)) break;
      H[i] = pid;
      this.pos[pid] = i;
      i = p;
    }
    H[i] = id;
    this.pos[id] = i;
  }

  private down(i: number, id: number): void {
    const H = this.heap;
    const n = this.n;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      // The smaller child without a branch on which it is: on event times which child is smaller is a
      // coin toss, so a branch there mispredicts every other level.
      const right = c + 1 < n ? this.before(H[c + 1]!, H[c]!) : false;
      c += +right;
      const cid = H[c]!;
      if (!this.before(cid, id)) break;
      H[i] = cid;
      this.pos[cid] = i;
      i = c;
    }
    H[i] = id;
    this.pos[id] = i;
  }
}
