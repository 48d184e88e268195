import { grow } from './grow.ts';

/** A job's fields in ProcessorArena.J (see job-heaps.ts). */
export const JOB_STRIDE = 6;
/** Handles pack slot + generation * SLOT_LIMIT; a slot is retired before its generation reaches GEN_LIMIT, so handles stay exact integers (< 2^53) and never repeat. */
export const SLOT_LIMIT = 2 ** 24;
export const GEN_LIMIT = 2 ** 29;
/** Generation of a job slot (JOB_STRIDE fields from slot x JOB_STRIDE). */
export const GEN = 5;
/**
 * Numbers an arena starts with when it is not told how many its processors need (arenaNumbers adds them
 * to it): an implementation size, room for a few small processors' blocks before the first growth.
 */
export const ARENA_START = 1024;

/** What the arena tells its processors when it moved their arrays. */
export interface ArenaMember {
  arenaMoved(): void;
}

/**
 * The arrays of many Processors on one calendar, shared: each processor's groups (their rows and its list
 * of busy groups) are a block of `f`, and every processor takes its job slots from one pool. On a cluster
 * of thousands of nodes, a processor's event reads its object and then its rows: with arrays of its own,
 * it read each array's header first (one more dependent cache miss per array), while the headers of
 * these few arrays stay in cache. A processor made without an arena has one of its own.
 *
 * Blocks are taken from the end and never given back (a processor that outgrows its block moves to a new
 * one, twice the size): the space left behind is at most what the processors hold.
 */
export class ProcessorArena {
  /** Blocks of group rows and busy lists (ProcessorGroups). */
  f: Float64Array;
  private fUsed = 0;
  /** Every job slot's fields, JOB_STRIDE numbers each (JobHeaps). */
  J = new Float64Array(64 * JOB_STRIDE);
  private free = new Int32Array(64);
  private freeTop = 0;
  /** Slots handed out so far (free or not). */
  slotsUsed = 0;
  private readonly members: ArenaMember[] = [];

  /** `numbers`: room for the blocks expected (arenaNumbers), so that the arena need not grow as they come. */
  constructor(numbers = ARENA_START) {
    this.f = new Float64Array(numbers);
  }

  join(m: ArenaMember): void {
    this.members.push(m);
  }

  /** A zeroed block of n numbers of `f`; returns where it starts. */
  block(n: number): number {
    const at = this.fUsed;
    if (at + n > this.f.length) {
      this.f = grow(this.f, Math.max(2 * this.f.length, at + n));
      this.moved();
    }
    this.fUsed = at + n;
    return at;
  }

  /** A slot for a new job. */
  takeSlot(): number {
    if (this.freeTop > 0) return this.free[--this.freeTop]!;
    if (this.slotsUsed === this.free.length) {
      const old = this.free.length;
      if (old >= SLOT_LIMIT) throw new RangeError(`Processor: more than ${SLOT_LIMIT} jobs at once`);
      const cap = Math.min(SLOT_LIMIT, old * 2);
      this.free = grow(this.free, cap);
      this.J = grow(this.J, cap * JOB_STRIDE);
      this.moved();
    }
    return this.slotsUsed++;
  }

  /** Frees the slot of a job that left its group: its generation moves on, so its handle goes stale. */
  releaseSlot(slot: number): void {
    if (++this.J[slot * JOB_STRIDE + GEN]! < GEN_LIMIT) this.free[this.freeTop++] = slot;
  }

  private moved(): void {
    for (const m of this.members) m.arenaMoved();
  }
}
