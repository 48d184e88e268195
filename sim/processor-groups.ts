import { JobHeaps } from './job-heaps.ts';
import type { GroupUsage } from './processor.ts';
import { ARENA_START } from './processor-arena.ts';
import { HEAD } from './processor-integrals.ts';

// The fields of a group, interleaved in the arena's Float64Array (STRIDE numbers per group, 152 bytes): a start
// or a completion touches a dozen of them, one or two cache lines instead of a dozen arrays.
export const WEIGHT = 0;
export const LIMIT = 1;
export const JOBS = 2;
/** min(jobs, limit) */
export const ALLOWED = 3;
/** Cores the group receives now. */
export const RATE = 4;
/** The job with the smallest tag: its only or earlier job, or its heap's top. */
export const TOP_SLOT = 5;
/** Virtual time: work done by each of its jobs. */
export const CLOCK = 6;
export const LAST = 7;
/** Time of its next completion at the current rates. */
export const NEXT = 8;
export const WANTED = 9;
export const ALLOWED_AREA = 10;
export const SERVED = 11;
export const COMPLETED = 12;
export const ACTIVE_POS = 13;
/** Allowance per unit weight: the water level at which it is capped. */
export const KEY = 14;
/** Allowance at the last division. */
export const DIVIDED_ALLOWED = 15;
/**
 * 0 while its jobs are as at the last rebalance; else it is on the processor's list of changed groups,
 * and this is the next one on it + 2 (1: the last).
 */
export const DIRTY = 16;
/** Smallest finish tag of its jobs, kept here so re-timing a group reads no job. */
export const TOP = 17;
/** Its second job while it holds exactly two (both then live here, not in its heap; see JobHeaps). */
export const OTHER_SLOT = 18;
export const STRIDE = 19;

/**
 * The per-group state of a Processor (a row per group id) and the list of busy groups, in its block of
 * the arena (processor-arena.ts), and the division of the cores among them. Processor extends it (as it
 * extends the jobs) so that these fields live in the processor's own object: on a cluster of thousands
 * of nodes, reaching a group's row then misses one cache line fewer than through an object of its own.
 */
export class ProcessorGroups extends JobHeaps {
  protected nGroups = 0;
  /**
   * Its block of the arena's `f` (ProcessorArena): the busy groups' ids from `ab` (kept sorted by KEY
   * when the cores are divided), then every field of group g at f[rb + g * STRIDE + field] (see the field
   * constants), room for `capG` groups.
   */
  protected ab = 0;
  protected rb = 0;
  private capG = 0;
  protected nActive = 0;
  /** After divide: the first `capped` busy groups get their allowance, the rest weight x level. */
  protected capped = 0;
  /** Some group has a bandwidth quota (ProcessorQuota): only then does advanceGroup count it. */
  protected quotaOn = false;

  /** Makes room for one more group; returns its id. */
  protected newGroup(weight: number, limit: number, now: number): number {
    if (this.nGroups === this.capG) this.relocate(Math.max(8, 2 * this.capG));
    const g = this.nGroups++;
    this.f[this.rb + g * STRIDE + WEIGHT] = weight;
    this.f[this.rb + g * STRIDE + LIMIT] = limit;
    this.f[this.rb + g * STRIDE + LAST] = now;
    this.f[this.rb + g * STRIDE + ACTIVE_POS] = -1;
    return g;
  }

  /** Room for `cap` groups in one block, taken now (a processor that knows how many it will make). */
  protected reserveGroups(cap: number): void {
    if (cap > this.capG) this.relocate(cap);
  }

  /** Moves its busy list and rows to a new block of the arena with room for `cap` groups. */
  private relocate(cap: number): void {
    const at = this.arena.block(cap * (STRIDE + 1));
    const F = this.f; // after block(), which may have moved the arena's arrays
    F.copyWithin(at, this.ab, this.ab + this.nActive);
    F.copyWithin(at + cap, this.rb, this.rb + this.nGroups * STRIDE);
    this.ab = at;
    this.rb = at + cap;
    this.capG = cap;
  }

  /**
   * Adds job `slot` (recorded, finish tag `tag`) to group g, keeping its jobs in order: the first two in
   * its own fields (TOP_SLOT the earlier, OTHER_SLOT), its heap only from the third, and its smallest tag
   * in TOP. A new job sorts after every job of equal tag (it started last), hence the strict <.
   */
  protected addJob(g: number, slot: number, tag: number): void {
    const F = this.f;
    const at = this.rb + g * STRIDE;
    const n = F[at + JOBS]!;
    F[at + JOBS] = n + 1;
    if (n === 0) {
      this.activate(g);
      F[at + TOP] = tag;
      F[at + TOP_SLOT] = slot;
    } else if (n === 1) {
      if (tag < F[at + TOP]!) {
        F[at + OTHER_SLOT] = F[at + TOP_SLOT]!;
        F[at + TOP] = tag;
        F[at + TOP_SLOT] = slot;
      } else F[at + OTHER_SLOT] = slot;
    } else {
      if (n === 2) this.fillHeap(g, F[at + TOP_SLOT]!, F[at + OTHER_SLOT]!);
      this.pushHeap(g, slot, n);
      if (tag < F[at + TOP]!) {
        F[at + TOP] = tag;
        F[at + TOP_SLOT] = slot;
      }
    }
  }

  /** Takes job `slot` out of group g (completed or aborted), the order of the rest kept. */
  protected dropJob(g: number, slot: number): void {
    const F = this.f;
    const at = this.rb + g * STRIDE;
    const n = F[at + JOBS]!;
    if (n <= 2) this.leaveInline(slot);
    else this.removeFromHeap(slot, n);
    F[at + JOBS] = n - 1;
    if (n === 1) this.deactivate(g);
    else if (n === 2) {
      // the other inline job is left, alone
      if (slot === F[at + TOP_SLOT]) {
        const other = F[at + OTHER_SLOT]!;
        F[at + TOP_SLOT] = other;
        F[at + TOP] = this.jobTag(other);
      }
    } else {
      const top = this.heapTop(g);
      if (n === 3) F[at + OTHER_SLOT] = this.heapSecond(g); // two left: back inline
      F[at + TOP_SLOT] = top;
      F[at + TOP] = this.jobTag(top);
    }
  }

  protected activate(g: number): void {
    this.f[this.rb + g * STRIDE + ACTIVE_POS] = this.nActive;
    this.f[this.ab + this.nActive++] = g;
  }

  protected deactivate(g: number): void {
    const pos = this.f[this.rb + g * STRIDE + ACTIVE_POS]!;
    const last = this.f[this.ab + --this.nActive]!;
    this.f[this.ab + pos] = last;
    this.f[this.rb + last * STRIDE + ACTIVE_POS] = pos;
    this.f[this.rb + g * STRIDE + ACTIVE_POS] = -1;
    this.f[this.rb + g * STRIDE + RATE] = 0;
    this.f[this.rb + g * STRIDE + CLOCK] = 0;
    this.f[this.rb + g * STRIDE + DIVIDED_ALLOWED] = -1; // its leaving, and any return, changes the division
  }

  /** Brings a group's virtual clock and integrals to `now` at its current rate. */
  protected advanceGroup(g: number, now: number): void {
    const dt = now - this.f[this.rb + g * STRIDE + LAST]!;
    if (dt <= 0) return;
    const n = this.f[this.rb + g * STRIDE + JOBS]!;
    if (n > 0) {
      const rate = this.f[this.rb + g * STRIDE + RATE]!;
      this.f[this.rb + g * STRIDE + CLOCK]! += (dt * rate) / n;
      this.f[this.rb + g * STRIDE + WANTED]! += n * dt;
      this.f[this.rb + g * STRIDE + ALLOWED_AREA]! += this.f[this.rb + g * STRIDE + ALLOWED]! * dt;
      this.f[this.rb + g * STRIDE + SERVED]! += rate * dt;
      if (this.quotaOn) this.useQuota(g, rate, dt, now);
    }
    this.f[this.rb + g * STRIDE + LAST] = now;
  }

  /** Counts a quota group's CPU against its quota (ProcessorQuota); nothing for the others. */
  protected useQuota(_g: number, _rate: number, _dt: number, _now: number): void {}

  /** Every group's integrals start from zero at `now` (warm-up). */
  protected resetGroupStats(now: number): void {
    const F = this.f;
    for (let g = 0; g < this.nGroups; g++) {
      this.advanceGroup(g, now);
      const at = this.rb + g * STRIDE;
      F[at + WANTED] = F[at + ALLOWED_AREA] = F[at + SERVED] = F[at + COMPLETED] = 0;
    }
  }

  protected groupUsage(g: number, now: number): GroupUsage {
    const dt = now - this.f[this.rb + g * STRIDE + LAST]!;
    const wanted = this.f[this.rb + g * STRIDE + WANTED]! + this.f[this.rb + g * STRIDE + JOBS]! * dt;
    const allowed =
      this.f[this.rb + g * STRIDE + ALLOWED_AREA]! + this.f[this.rb + g * STRIDE + ALLOWED]! * dt;
    const served = this.f[this.rb + g * STRIDE + SERVED]! + this.f[this.rb + g * STRIDE + RATE]! * dt;
    return {
      wanted,
      served,
      throttled: wanted - allowed,
      starved: Math.max(0, allowed - served),
      completed: this.f[this.rb + g * STRIDE + COMPLETED]!,
    };
  }

  /**
   * Divides `cores` among the busy groups by water-filling: groups whose allowance is below the water
   * level get it, the rest weight x level, the level set so the cores are all used. Sorts `active` so
   * that the first `capped` groups are those held at their allowance, and returns the level; the caller
   * sets the rates in the same pass that re-times them (one walk over the busy groups, not two).
   */
  protected divide(cores: number): number {
    const F = this.f;
    const ab = this.ab;
    const rb = this.rb;
    const n = this.nActive;
    // insertion sort on the water level at which each group is capped; nearly sorted between events
    for (let i = 1; i < n; i++) {
      const g = F[ab + i]!;
      const k = F[rb + g * STRIDE + KEY]!;
      let j = i - 1;
      while (j >= 0 && F[rb + F[ab + j]! * STRIDE + KEY]! > k) {
        F[ab + j + 1] = F[ab + j]!;
        F[rb + F[ab + j + 1]! * STRIDE + ACTIVE_POS] = j + 1;
        j--;
      }
      F[ab + j + 1] = g;
      F[rb + g * STRIDE + ACTIVE_POS] = j + 1;
    }
    let weights = 0;
    for (let i = 0; i < n; i++) {
      const at = rb + F[ab + i]! * STRIDE;
      weights += F[at + WEIGHT]!;
      F[at + DIVIDED_ALLOWED] = F[at + ALLOWED]!;
    }
    let left = cores;
    let i = 0;
    for (; i < n; i++) {
      const at = rb + F[ab + i]! * STRIDE;
      const allowed = F[at + ALLOWED]!;
      const w = F[at + WEIGHT]!;
      if (allowed * weights > left * w) break;
      left -= allowed;
      weights -= w;
    }
    this.capped = i;
    return left / weights;
  }

  /** The busy group with the earliest next completion (lowest id on ties), -1 when none is busy. */
  protected earliest(): number {
    let best = Number.POSITIVE_INFINITY;
    let group = -1;
    for (let i = 0; i < this.nActive; i++) {
      const g = this.f[this.ab + i]!;
      const t = this.f[this.rb + g * STRIDE + NEXT]!;
      if (t < best || (t === best && g < group)) {
        best = t;
        group = g;
      }
    }
    return group;
  }
}

/**
 * Numbers an arena needs for processors that will make `groups[i]` groups each (their `groups` option):
 * given to ProcessorArena, it holds them all without growing.
 */
export function arenaNumbers(groups: ArrayLike<number>): number {
  let n = ARENA_START;
  for (let i = 0; i < groups.length; i++) n += HEAD + groups[i]! * (STRIDE + 1);
  return n;
}

/** The arguments a Processor is given for its cores and its groups, checked where they come in. */
export function checkCores(cores: number): void {
  if (!(cores > 0 && cores < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`Processor: cores must be a finite number > 0, got ${cores}`);
  }
}

export function checkGroupParams(weight: number, limit: number): void {
  if (!(weight > 0 && weight < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`Processor: a group's weight must be a finite number > 0, got ${weight}`);
  }
  if (!(limit > 0)) throw new RangeError(`Processor: a group's limit must be > 0 cores, got ${limit}`);
}
