/**
 * One indexed binary min-heap of job slots per group, ordered by (tag, start order), for Processor.
 * Job data lives in typed arrays indexed by slot; each group's heap is its own Int32Array that grows by
 * doubling, so nothing is allocated per job. A job's heap position is kept so it can be removed from
 * anywhere (an aborted job).
 */
export class JobHeaps {
  private heaps: Int32Array[] = [];
  private sizes: number[] = [];
  private jTag = new Float64Array(64);
  private jSeq = new Float64Array(64);
  private jGroup = new Int32Array(64);
  private jPos = new Int32Array(64).fill(-1);
  private seq = 0;

  addGroup(): void {
    this.heaps.push(new Int32Array(4));
    this.sizes.push(0);
  }

  growJobs(cap: number): void {
    const old = this.jPos.length;
    this.jTag = copy(this.jTag, new Float64Array(cap));
    this.jSeq = copy(this.jSeq, new Float64Array(cap));
    this.jGroup = copy(this.jGroup, new Int32Array(cap));
    this.jPos = copy(this.jPos, new Int32Array(cap));
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
  /** The slot with the smallest tag in a non-empty group. */
  top(group: number): number {
    return this.heaps[group]![0]!;
  }

  push(group: number, slot: number, tag: number): void {
    let h = this.heaps[group]!;
    const n = this.sizes[group]!;
    if (n === h.length) {
      h = copy(h, new Int32Array(n * 2));
      this.heaps[group] = h;
    }
    this.jTag[slot] = tag;
    this.jSeq[slot] = this.seq++;
    this.jGroup[slot] = group;
    this.sizes[group] = n + 1;
    this.siftUp(h, n, slot);
  }

  /** Empties a group whose only job is `slot` (the caller knows it); returns it. */
  popOnly(group: number, slot: number): number {
    this.sizes[group] = 0;
    this.jPos[slot] = -1;
    return slot;
  }

  pop(group: number): number {
    const slot = this.heaps[group]![0]!;
    this.remove(slot);
    return slot;
  }

  remove(slot: number): void {
    const group = this.jGroup[slot]!;
    const h = this.heaps[group]!;
    const i = this.jPos[slot]!;
    const n = this.sizes[group]! - 1;
    this.sizes[group] = n;
    this.jPos[slot] = -1;
    if (i === n) return;
    const last = h[n]!;
    if (i > 0 && this.less(last, h[(i - 1) >> 1]!)) this.siftUp(h, i, last);
    else this.siftDown(h, i, last, n);
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

function copy<A extends Float64Array | Int32Array>(from: A, to: A): A {
  to.set(from);
  return to;
}
