import { grow } from './grow.ts';
import type { GroupUsage } from './processor.ts';

// The fields of a group, interleaved in one Float64Array (STRIDE numbers per group, 152 bytes): a start
// or a completion touches a dozen of them, one or two cache lines instead of a dozen arrays.
export const WEIGHT = 0;
export const LIMIT = 1;
export const JOBS = 2;
/** min(jobs, limit) */
export const ALLOWED = 3;
/** Cores the group receives now. */
export const RATE = 4;
/** Cores the last division gave it. */
export const TARGET = 5;
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
/** Smallest finish tag of its jobs (its heap's top), kept here so re-timing a group reads no heap. */
export const TOP = 17;
/** The job with that tag (its heap's top), so a group's only job completes without reading its heap. */
export const TOP_SLOT = 18;
export const STRIDE = 19;

/**
 * The per-group state of a Processor in growable typed arrays (indexed by group id), the list of busy
 * groups, and the division of the cores among them. Fields are public to the Processor that owns them.
 */
export class ProcessorGroups {
  nGroups = 0;
  /** Every field of group g at f[g * STRIDE + field] (see the field constants). */
  f = new Float64Array(8 * STRIDE);

  // busy groups, kept sorted by gKey when the cores are divided
  active = new Int32Array(8);
  nActive = 0;

  /** Makes room for one more group; returns its id. */
  add(weight: number, limit: number, now: number): number {
    const g = this.nGroups++;
    if ((g + 1) * STRIDE > this.f.length) this.grow();
    this.f[g * STRIDE + WEIGHT] = weight;
    this.f[g * STRIDE + LIMIT] = limit;
    this.f[g * STRIDE + LAST] = now;
    this.f[g * STRIDE + ACTIVE_POS] = -1;
    return g;
  }

  activate(g: number): void {
    if (this.nActive === this.active.length) this.active = grow(this.active, this.active.length * 2);
    this.f[g * STRIDE + ACTIVE_POS] = this.nActive;
    this.active[this.nActive++] = g;
  }

  deactivate(g: number): void {
    const pos = this.f[g * STRIDE + ACTIVE_POS]!;
    const last = this.active[--this.nActive]!;
    this.active[pos] = last;
    this.f[last * STRIDE + ACTIVE_POS] = pos;
    this.f[g * STRIDE + ACTIVE_POS] = -1;
    this.f[g * STRIDE + RATE] = 0;
    this.f[g * STRIDE + CLOCK] = 0;
    this.f[g * STRIDE + DIVIDED_ALLOWED] = -1; // its leaving, and any return, changes the division
  }

  /** Brings a group's virtual clock and integrals to `now` at its current rate. */
  advance(g: number, now: number): void {
    const dt = now - this.f[g * STRIDE + LAST]!;
    if (dt <= 0) return;
    const n = this.f[g * STRIDE + JOBS]!;
    if (n > 0) {
      const rate = this.f[g * STRIDE + RATE]!;
      this.f[g * STRIDE + CLOCK]! += (dt * rate) / n;
      this.f[g * STRIDE + WANTED]! += n * dt;
      this.f[g * STRIDE + ALLOWED_AREA]! += this.f[g * STRIDE + ALLOWED]! * dt;
      this.f[g * STRIDE + SERVED]! += rate * dt;
    }
    this.f[g * STRIDE + LAST] = now;
  }

  /** Every group's integrals start from zero at `now` (warm-up). */
  resetStats(now: number): void {
    const F = this.f;
    for (let g = 0; g < this.nGroups; g++) {
      this.advance(g, now);
      const at = g * STRIDE;
      F[at + WANTED] = F[at + ALLOWED_AREA] = F[at + SERVED] = F[at + COMPLETED] = 0;
    }
  }

  usage(g: number, now: number): GroupUsage {
    const dt = now - this.f[g * STRIDE + LAST]!;
    const wanted = this.f[g * STRIDE + WANTED]! + this.f[g * STRIDE + JOBS]! * dt;
    const allowed = this.f[g * STRIDE + ALLOWED_AREA]! + this.f[g * STRIDE + ALLOWED]! * dt;
    const served = this.f[g * STRIDE + SERVED]! + this.f[g * STRIDE + RATE]! * dt;
    return {
      wanted,
      served,
      throttled: wanted - allowed,
      starved: Math.max(0, allowed - served),
      completed: this.f[g * STRIDE + COMPLETED]!,
    };
  }

  /**
   * Divides `cores` among the busy groups into gTarget by water-filling: groups whose allowance is below
   * the water level get it, the rest weight x level, the level set so the cores are all used.
   */
  divide(cores: number): void {
    const A = this.active;
    const F = this.f;
    const n = this.nActive;
    // insertion sort on the water level at which each group is capped; nearly sorted between events
    for (let i = 1; i < n; i++) {
      const g = A[i]!;
      const k = F[g * STRIDE + KEY]!;
      let j = i - 1;
      while (j >= 0 && F[A[j]! * STRIDE + KEY]! > k) {
        A[j + 1] = A[j]!;
        this.f[A[j + 1]! * STRIDE + ACTIVE_POS] = j + 1;
        j--;
      }
      A[j + 1] = g;
      this.f[g * STRIDE + ACTIVE_POS] = j + 1;
    }
    let weights = 0;
    for (let i = 0; i < n; i++) {
      const g = A[i]!;
      weights += this.f[g * STRIDE + WEIGHT]!;
      this.f[g * STRIDE + DIVIDED_ALLOWED] = this.f[g * STRIDE + ALLOWED]!;
    }
    let left = cores;
    let i = 0;
    for (; i < n; i++) {
      const g = A[i]!;
      const allowed = this.f[g * STRIDE + ALLOWED]!;
      const w = this.f[g * STRIDE + WEIGHT]!;
      if (allowed * weights > left * w) break;
      this.f[g * STRIDE + TARGET] = allowed;
      left -= allowed;
      weights -= w;
    }
    const level = left / weights;
    for (; i < n; i++) {
      const g = A[i]!;
      this.f[g * STRIDE + TARGET] = this.f[g * STRIDE + WEIGHT]! * level;
    }
  }

  /** The busy group with the earliest next completion (lowest id on ties), -1 when none is busy. */
  earliest(): number {
    let best = Number.POSITIVE_INFINITY;
    let group = -1;
    for (let i = 0; i < this.nActive; i++) {
      const g = this.active[i]!;
      const t = this.f[g * STRIDE + NEXT]!;
      if (t < best || (t === best && g < group)) {
        best = t;
        group = g;
      }
    }
    return group;
  }

  private grow(): void {
    this.f = grow(this.f, this.f.length * 2);
  }
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
