import { grow } from './grow.ts';

/**
 * The calendar's order of pending events: a calendar queue (R. Brown, "Calendar queues: a fast O(1)
 * priority queue implementation for the simulation event set problem", CACM 31(10), 1988). Time is cut
 * into buckets of `width` seconds; bucket number v = floor(t / width) lives in list v mod nb, and each
 * list is kept sorted on (time, sequence). Every event pending has v >= cur, the bucket of the earliest,
 * so the head of list cur mod nb is the earliest event whenever its own bucket is cur; otherwise cur
 * moves on. A pop reads a list head and an insert walks a list of a few events, where the binary heap it
 * replaced walked 13 levels of dependent reads for each at huge's 7,500 pending events.
 *
 * Events are slots (the calendar's): time and next-in-list are kept per slot here, the sequence numbers
 * in the calendar's own array (`Q`), read only when two times tie. Any order of equal (time, sequence)
 * pairs would do: two live events never share both (every other sequence number is taken once, and
 * server-bank.ts, the one user of reserved numbers, keeps a single wake-up per queue pending), so the
 * order of events is the same whatever the buckets, and results do not depend on the width or the count
 * of buckets.
 *
 * The width is re-estimated from the events themselves: when the count of buckets doubles or halves with
 * the events pending (Brown), and when the gaps between successive pops say the width is off by more
 * than twice (the pending count can stay put while the events' density moves, as when a cluster warms
 * up). The target is WIDTH_GAPS mean gaps per bucket near the front (Brown's "3 x the average separation").
 */
const EMPTY = -1;
/** Mean gaps between events near the front per bucket's width (Brown, 1988: "3 x the separation"). */
const WIDTH_GAPS = 3;
// The rest are this implementation's choices, not Brown's; none changes the order of events, only the
// speed (widths of 1.5 to 24 gaps measured alike on huge: docs/scale.md).
const MIN_BUCKETS = 16;
const MAX_BUCKETS = 2 ** 22;
/** A bucket number past which times are not told apart by their bucket (they stay ordered in the lists). */
const V_LIMIT = 2 ** 52;
/** Pops between two checks of the width against the pops' gaps, per bucket. */
const CHECK_EVERY = 4;
/** Pops' gaps enough to estimate the width from at a resize; with fewer, the front's events are sorted. */
const GAPS_ENOUGH = 32;
/** Pending events whose spread sets the width when there are too few pops (Brown sampled 25). */
const FRONT_SAMPLE = 64;
/** Buckets per second before any estimate (the inverse of the width: 1 microsecond). */
const FIRST_INV = 1e6;

export class CalendarQueue {
  /** Events in the queue. */
  size = 0;
  /** Per slot: the event's time, and the next slot in its bucket's list (EMPTY at the end). */
  time: Float64Array;
  private next: Int32Array;
  /** Per bucket: the first slot of its list. */
  private head: Int32Array;
  private mask: number;
  private inv: number;
  /** The bucket number (not reduced) of the earliest event, or lower; and it mod nb. */
  private cur = 0;
  private curB = 0;
  // The pops' gaps since the last estimate: the mean gap between successive events near the front.
  private lastPop = 0;
  private gapSum = 0;
  private gaps = 0;
  private scratch = new Int32Array(16);

  constructor(slots: number) {
    this.time = new Float64Array(slots);
    this.next = new Int32Array(slots);
    this.head = new Int32Array(MIN_BUCKETS).fill(EMPTY);
    this.mask = MIN_BUCKETS - 1;
    this.inv = FIRST_INV;
  }

  /** Room for `cap` slots. */
  growSlots(cap: number): void {
    this.time = grow(this.time, cap);
    this.next = grow(this.next, cap);
  }

  /**
   * Adds slot `slot` at time t (t >= the time of the last pop). `newest`: its sequence number is the
   * largest so far, so among equal times it goes last without reading sequence numbers.
   */
  insert(slot: number, t: number, Q: Float64Array, newest: boolean): void {
    this.time[slot] = t;
    const v = this.bucketOf(t);
    // A peek may have moved cur past buckets that were empty then (the earliest event's); keep v >= cur.
    if (v < this.cur) {
      this.cur = v;
      this.curB = v & this.mask;
    }
    this.link(slot, t, v & this.mask, Q, newest);
    if (++this.size > 2 * (this.mask + 1) && this.mask + 1 < MAX_BUCKETS) this.resize(2 * (this.mask + 1), Q);
  }

  /** The bucket number (not reduced to a list) of time t. */
  private bucketOf(t: number): number {
    return Math.min(Math.floor(t * this.inv), V_LIMIT);
  }

  private link(slot: number, t: number, b: number, Q: Float64Array, newest: boolean): void {
    const time = this.time;
    const next = this.next;
    let prev = EMPTY;
    let x = this.head[b]!;
    if (newest) {
      while (x !== EMPTY && time[x]! <= t) {
        prev = x;
        x = next[x]!;
      }
    } else {
      const q = Q[slot]!;
      while (x !== EMPTY) {
        const xt = time[x]!;
        if (xt > t || (xt === t && Q[x]! > q)) break;
        prev = x;
        x = next[x]!;
      }
    }
    next[slot] = x;
    if (prev === EMPTY) this.head[b] = slot;
    else next[prev] = slot;
  }

  /** The earliest slot (EMPTY when none); it stays in the queue. */
  top(): number {
    if (this.size === 0) return EMPTY;
    const head = this.head;
    const time = this.time;
    for (let scanned = 0; scanned <= this.mask; scanned++) {
      const h = head[this.curB]!;
      if (h !== EMPTY && this.bucketOf(time[h]!) === this.cur) return h;
      this.cur++;
      this.curB = (this.curB + 1) & this.mask;
    }
    // A whole round of buckets without the earliest: the events are sparse for the width. Find it among
    // the lists' heads (events of equal time share a list, so the heads' times differ) and go straight
    // to its bucket.
    let best = EMPTY;
    for (let b = 0; b <= this.mask; b++) {
      const h = head[b]!;
      if (h !== EMPTY && (best === EMPTY || time[h]! < time[best]!)) best = h;
    }
    this.cur = this.bucketOf(time[best]!);
    this.curB = this.cur & this.mask;
    return best;
  }

  /** Removes the earliest slot, which top() has just returned (`slot`). */
  pop(slot: number, Q: Float64Array): void {
    this.head[this.curB] = this.next[slot]!;
    this.size--;
    const t = this.time[slot]!;
    this.gapSum += t - this.lastPop;
    this.lastPop = t;
    const nb = this.mask + 1;
    if (++this.gaps >= CHECK_EVERY * nb) this.checkWidth(Q);
    else if (this.size < nb >> 1 && nb > MIN_BUCKETS) this.resize(nb >> 1, Q);
  }

  /**
   * Takes slot `slot` out of the queue wherever it stands (a timer moved or cleared): its list is its
   * time's, and lists hold a few events.
   */
  unlink(slot: number): void {
    const b = this.bucketOf(this.time[slot]!) & this.mask;
    const next = this.next;
    let x = this.head[b]!;
    if (x === slot) this.head[b] = next[slot]!;
    else {
      while (next[x] !== slot) x = next[x]!;
      next[x] = next[slot]!;
    }
    this.size--;
  }

  /** Every slot in the queue (a view of a scratch array, valid until the next drain); empties the queue. */
  drain(): Int32Array {
    if (this.scratch.length < this.size) this.scratch = new Int32Array(this.size);
    const out = this.scratch;
    let n = 0;
    const head = this.head;
    for (let b = 0; b <= this.mask; b++) {
      for (let x = head[b]!; x !== EMPTY; x = this.next[x]!) out[n++] = x;
      head[b] = EMPTY;
    }
    this.size = 0;
    return out.subarray(0, n);
  }

  /** Puts back slots drain() took (those still wanted), at their times. */
  refill(slots: Int32Array, Q: Float64Array): void {
    let lo = Number.POSITIVE_INFINITY;
    for (const s of slots) lo = Math.min(lo, this.time[s]!);
    this.cur = slots.length > 0 ? this.bucketOf(lo) : 0;
    this.curB = this.cur & this.mask;
    for (const s of slots) {
      const t = this.time[s]!;
      this.link(s, t, this.bucketOf(t) & this.mask, Q, false);
    }
    this.size = slots.length;
  }

  /** The pops' gaps say the width is off by more than twice: rebuild at the same count of buckets. */
  private checkWidth(Q: Float64Array): void {
    const gap = this.gapSum / this.gaps;
    this.gapSum = 0;
    this.gaps = 0;
    if (!(gap > 0)) return;
    const ratio = WIDTH_GAPS * gap * this.inv;
    if (ratio > 2 || ratio < 0.5) this.rebuild(this.mask + 1, 1 / (WIDTH_GAPS * gap), Q);
  }

  private resize(nb: number, Q: Float64Array): void {
    const gap = this.gaps >= GAPS_ENOUGH ? this.gapSum / this.gaps : this.frontGap();
    this.rebuild(nb, gap > 0 ? 1 / (WIDTH_GAPS * gap) : this.inv, Q);
  }

  /** The mean gap between the earliest pending events (FRONT_SAMPLE of them), from their sorted times. */
  private frontGap(): number {
    const n = this.size;
    if (n < 2) return 0;
    const times = new Float64Array(n);
    let i = 0;
    for (let b = 0; b <= this.mask; b++)
      for (let x = this.head[b]!; x !== EMPTY; x = this.next[x]!) times[i++] = this.time[x]!;
    times.sort();
    const k = Math.min(n, FRONT_SAMPLE) - 1;
    return Number.isFinite(times[k]!) ? (times[k]! - times[0]!) / k : 0;
  }

  private rebuild(nb: number, inv: number, Q: Float64Array): void {
    const slots = this.drain();
    if (this.head.length !== nb) this.head = new Int32Array(nb).fill(EMPTY);
    this.mask = nb - 1;
    this.inv = inv;
    this.refill(slots, Q);
  }
}
