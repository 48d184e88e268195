import { grow } from './grow.ts';

/**
 * One indexed binary min-heap of job slots per group, ordered by (tag, start order), for Processor.
 * Job data lives in typed arrays indexed by slot; each group's heap is its own Int32Array that grows by
 * doubling, so nothing is allocated per job. The caller counts each group's jobs (the heap's size). A job's heap position is kept so it can be removed from
 * anywhere (an aborted job).
 */
export class JobHeaps {
  private heaps: Int32Array[] = [];
  private jTag = new Float64Array(64);
  private jSeq = new Float64Array(64);
  private jGroup = new Int32Array(64);
  private jPos = new Int32Array(64).fill(-1);
  private seq = 0;

  addGroup(): void {
    this.heaps.push(new Int32Array(4));
  }

  growJobs(cap: number): void {
    const old = this.jPos.length;
    this.jTag = grow(this.jTag, cap);
    this.jSeq = grow(this.jSeq, cap);
    this.jGroup = grow(this.jGroup, cap);
    this.jPos = grow(this.jPos, cap);
    this.jPos.fill(-1, old);
  }

  tag(slot: number): number {
    return this.jTag[slot]!;
  }
  groupOf(slot: number): number {
    return this.jGroup[slot]!;
  }
  isQueued(slot: number): boolean {
    return this.jPos[slot]! >= 0;
  }
  /** The slot with the smallest tag in a group of two jobs or more (see push). */
  top(group: number): number {
    return this.heaps[group]![0]!;
  }

  /**
   * Adds `slot` to `group`, which holds `n` jobs (the caller counts them), `only` its one job when n is 1.
   * A group's single job is not written to its heap (the caller keeps it): most groups hold one job at a
   * time, and their heap is then never read nor written. The second job writes both.
   */
  push(group: number, slot: number, tag: number, n: number, only: number): void {
    this.jTag[slot] = tag;
    this.jSeq[slot] = this.seq++;
    this.jGroup[slot] = group;
    if (n === 0) {
      this.jPos[slot] = 0;
      return;
    }
    let h = this.heaps[group]!;
    if (n === h.length) {
      h = grow(h, n * 2);
      this.heaps[group] = h;
    }
    if (n === 1) h[0] = only;
    this.siftUp(h, n, slot);
  }

  /** Empties a group whose only job is `slot`; returns it. */
  popOnly(slot: number): number {
    this.jPos[slot] = -1;
    return slot;
  }

  /** Takes the top of a group of n >= 2 jobs. */
  pop(group: number, n: number): number {
    const slot = this.heaps[group]![0]!;
    this.remove(slot, n);
    return slot;
  }

  /** Takes `slot` out of its group of n jobs. */
  remove(slot: number, n: number): void {
    const i = this.jPos[slot]!;
    const last = n - 1;
    this.jPos[slot] = -1;
    if (i === last) return;
    const h = this.heaps[this.jGroup[slot]!]!;
    const moved = h[last]!;
    if (i > 0 && this.less(moved, h[(i - 1) >> 1]!)) this.siftUp(h, i, moved);
    else this.siftDown(h, i, moved, last);
  }

  private less(a: number, b: number): boolean {
    const ta = this.jTag[a]!;
    const tb = this.jTag[b]!;
    return ta < tb || (ta === tb && this.jSeq[a]! < this.jSeq[b]!);
  }

  /** Places slot at hole i and moves it up. */
  private siftUp(h: Int32Array, i: number, slot: number): void {
    const P = this.jPos;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ps = h[p]!;
      if (!this.less(slot, ps)) break;
      h[i] = ps;
      P[ps] = i;
      i = p;
    }
    h[i] = slot;
    P[slot] = i;
  }

  /** Places slot at hole i and moves it down within n entries. */
  private siftDown(h: Int32Array, i: number, slot: number, n: number): void {
    const P = this.jPos;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let cs = h[c]!;
      if (c + 1 < n && this.less(h[c + 1]!, cs)) {
        c++;
        cs = h[c]!;
      }
      if (!this.less(cs, slot)) break;
      h[i] = cs;
      P[cs] = i;
      i = c;
    }
    h[i] = slot;
    P[slot] = i;
  }
}
