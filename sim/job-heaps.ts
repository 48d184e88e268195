import { grow } from './grow.ts';
import { type ArenaMember, GEN, JOB_STRIDE, type ProcessorArena, SLOT_LIMIT } from './processor-arena.ts';
import { HEAD, ProcessorIntegrals } from './processor-integrals.ts';

// A job's fields, interleaved (JOB_STRIDE numbers per slot in ProcessorArena.J, 48 bytes): a start or a
// completion reads and writes most of them, one cache line instead of one per field.
const TAG = 0;
const SEQ = 1;
const GROUP = 2;
/** Heap position + 1 while the job is in its group (1 for a job the group keeps inline); 0 once it left. */
const POS = 3;
const TOKEN = 4;
/** The heap of a group that never held three jobs. */
const NO_HEAP = new Int32Array(0);

/**
 * The jobs of a Processor (one slot each, from its arena's pool: processor-arena.ts) and, per group, a binary
 * min-heap of its job slots ordered by (tag, start order), for groups of three jobs or more.
 *
 * A group of one or two jobs keeps them in its own fields (TOP_SLOT and OTHER_SLOT, ProcessorGroups.addJob): most
 * groups hold one job at a time and a few two, and a group's heap is a separate array, so a group that
 * never holds three jobs never reads nor writes it (at 5,000 nodes each such read is a cache miss).
 * The caller counts each group's jobs (the heap's size). A job's heap position is kept so it can be
 * removed from anywhere (an aborted job). Nothing is allocated per job: slots come from the arena's free
 * list, and a job is named by a handle (slot + generation * 2^24) that goes stale when it ends. Processor
 * extends it, through ProcessorGroups, so that the jobs are reached from the processor's own object.
 */
export class JobHeaps extends ProcessorIntegrals implements ArenaMember {
  protected arena!: ProcessorArena;
  /** The arena's job array (and `f`), re-read when it moves them (arenaMoved). */
  private J!: Float64Array;
  private heaps: Int32Array[] = [];
  private jobSeq = 0;

  /** Takes its storage from `arena` (once, from the constructor). */
  protected useArena(arena: ProcessorArena): void {
    this.arena = arena;
    arena.join(this);
    this.arenaMoved();
    this.hb = arena.block(HEAD);
  }

  arenaMoved(): void {
    this.f = this.arena.f;
    this.J = this.arena.J;
  }

  /**
   * A new group's heap: none until it first holds three jobs (fillHeap). Most groups never do, and on a
   * cluster's nodes an array each (hundreds of thousands, made as containers first run) filled the
   * JavaScript heap that major collections walk.
   */
  protected addHeap(): void {
    this.heaps.push(NO_HEAP);
  }

  /** A slot for a new job (then recordJob). */
  protected takeSlot(): number {
    return this.arena.takeSlot();
  }

  /** Frees the slot of a job that left its group: its generation moves on, so its handle goes stale. */
  protected releaseSlot(slot: number): void {
    this.arena.releaseSlot(slot);
  }

  protected handleOf(slot: number): number {
    return slot + this.J[slot * JOB_STRIDE + GEN]! * SLOT_LIMIT;
  }

  /** The slot of a job still in its group, -1 for a stale or unknown handle. */
  protected liveSlot(handle: number): number {
    if (!Number.isSafeInteger(handle) || handle < 0) return -1;
    const slot = handle % SLOT_LIMIT;
    if (slot >= this.arena.slotsUsed || this.J[slot * JOB_STRIDE + GEN] !== (handle - slot) / SLOT_LIMIT)
      return -1;
    return this.J[slot * JOB_STRIDE + POS]! > 0 ? slot : -1;
  }

  protected jobTag(slot: number): number {
    return this.J[slot * JOB_STRIDE + TAG]!;
  }
  protected jobGroup(slot: number): number {
    return this.J[slot * JOB_STRIDE + GROUP]!;
  }
  protected jobToken(slot: number): number {
    return this.J[slot * JOB_STRIDE + TOKEN]!;
  }

  /** Records a new job in `slot` (its place is the caller's to choose: inline, or pushHeap). */
  protected recordJob(slot: number, group: number, tag: number, token: number): void {
    const at = slot * JOB_STRIDE;
    this.J[at + TAG] = tag;
    this.J[at + SEQ] = this.jobSeq++;
    this.J[at + GROUP] = group;
    this.J[at + POS] = 1;
    this.J[at + TOKEN] = token;
  }

  /** True when job a comes before job b: smaller tag, or the same tag and started earlier. */
  private before(a: number, b: number): boolean {
    const ta = this.J[a * JOB_STRIDE + TAG]!;
    const tb = this.J[b * JOB_STRIDE + TAG]!;
    return ta < tb || (ta === tb && this.J[a * JOB_STRIDE + SEQ]! < this.J[b * JOB_STRIDE + SEQ]!);
  }

  /** Marks a job kept inline by its group as gone. */
  protected leaveInline(slot: number): void {
    this.J[slot * JOB_STRIDE + POS] = 0;
  }

  /** Starts a group's heap from its two inline jobs, `first` the earlier. */
  protected fillHeap(group: number, first: number, second: number): void {
    let h = this.heaps[group]!;
    if (h === NO_HEAP) this.heaps[group] = h = new Int32Array(4);
    h[0] = first;
    h[1] = second;
    this.J[first * JOB_STRIDE + POS] = 1;
    this.J[second * JOB_STRIDE + POS] = 2;
  }

  /** Adds `slot` (recorded by recordJob) to the heap of `group`, which holds n >= 2 jobs. */
  protected pushHeap(group: number, slot: number, n: number): void {
    let h = this.heaps[group]!;
    if (n === h.length) {
      h = grow(h, n * 2);
      this.heaps[group] = h;
    }
    this.siftUp(h, n, slot);
  }

  /** The earliest job of a heap (n >= 1). */
  protected heapTop(group: number): number {
    return this.heaps[group]![0]!;
  }
  /** The later job of a heap of two (its group takes them back inline). */
  protected heapSecond(group: number): number {
    return this.heaps[group]![1]!;
  }

  /** Takes `slot` out of its group's heap of n jobs. */
  protected removeFromHeap(slot: number, n: number): void {
    const at = slot * JOB_STRIDE;
    const i = this.J[at + POS]! - 1;
    const last = n - 1;
    this.J[at + POS] = 0;
    if (i === last) return;
    const h = this.heaps[this.J[at + GROUP]!]!;
    const moved = h[last]!;
    if (i > 0 && this.before(moved, h[(i - 1) >> 1]!)) this.siftUp(h, i, moved);
    else this.siftDown(h, i, moved, last);
  }

  /** Places slot at hole i and moves it up. */
  private siftUp(h: Int32Array, i: number, slot: number): void {
    const J = this.J;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ps = h[p]!;
      if (!this.before(slot, ps)) break;
      h[i] = ps;
      J[ps * JOB_STRIDE + POS] = i + 1;
      i = p;
    }
    h[i] = slot;
    J[slot * JOB_STRIDE + POS] = i + 1;
  }

  /** Places slot at hole i and moves it down within n entries. */
  private siftDown(h: Int32Array, i: number, slot: number, n: number): void {
    const J = this.J;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let cs = h[c]!;
      if (c + 1 < n && this.before(h[c + 1]!, cs)) {
        c++;
        cs = h[c]!;
      }
      if (!this.before(cs, slot)) break;
      h[i] = cs;
      J[cs * JOB_STRIDE + POS] = i + 1;
      i = c;
    }
    h[i] = slot;
    J[slot * JOB_STRIDE + POS] = i + 1;
  }
}
