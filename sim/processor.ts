import type { Calendar } from './calendar.ts';
import { grow } from './grow.ts';
import { JobHeaps } from './job-heaps.ts';
import {
  ALLOWED,
  CLOCK,
  COMPLETED,
  checkCores,
  checkGroupParams,
  DIRTY,
  DIVIDED_ALLOWED,
  JOBS,
  KEY,
  LAST,
  LIMIT,
  NEXT,
  ProcessorGroups,
  RATE,
  STRIDE,
  TARGET,
  TOP,
  TOP_SLOT,
  WEIGHT,
} from './processor-groups.ts';
import { ProcessorIntegrals, type ProcessorStats } from './processor-integrals.ts';

/** CPU use of one group integrated over time, in core-seconds (see Processor). */
export interface GroupUsage {
  /** Runnable jobs integrated over time: the CPU the group would have used with no limit and no rivals. */
  wanted: number;
  /** CPU it received. */
  served: number;
  /** Wanted but refused by the group's own rate limit. */
  throttled: number;
  /** Allowed by its limit but taken by other groups (contention for the cores). */
  starved: number;
  /** Jobs completed (aborted jobs not counted). */
  completed: number;
}

export type { ProcessorStats };

const SLOT_LIMIT = 2 ** 24;
const GEN_LIMIT = 2 ** 29;

/**
 * A weighted processor-sharing processor: `cores` identical cores shared by groups of jobs.
 *
 * A job is a single thread: it holds at most one core. A group's runnable jobs may use at most
 * min(jobs, limit) cores together (its rate limit); when those allowances add up to more than the cores,
 * the cores are divided among the groups by water-filling in proportion to their weights (no group gets
 * more than its allowance, the surplus goes to the others). Inside a group every job runs at the same
 * speed, the group's rate over its job count. A group's CPU thus follows the fluid limit of a
 * proportional-share scheduler with per-group caps.
 *
 * Virtual time makes each event cheap: all jobs of a group progress at the same speed, so the group keeps
 * one virtual clock (work done per job since the group became busy) and each job its finish tag
 * (virtual clock at start + work). A job completes when its group's clock reaches its tag; each group keeps
 * its jobs in a heap on the tag, and the processor holds one calendar event, on the earliest completion
 * of any group. A start, completion or abort costs O(log n) in the jobs of its group, plus an O(g) scan of
 * the busy groups and at most one calendar re-schedule; when the cores are oversubscribed the scan also
 * re-divides them (water-filling over the groups sorted by the level at which each is capped, kept
 * nearly sorted between events; skipped when no allowance changed). Nothing is allocated per job: jobs
 * live in pooled typed arrays, named by handles (slot + generation * 2^24) that go stale when they end.
 * Inside onDone, starts and aborts are collected and the cores re-divided once when it returns, so a
 * completion that starts the next step costs one re-division, not two; `rate` read there still shows
 * the rates just before the completion.
 */
export class Processor extends ProcessorIntegrals {
  private cal: Calendar;
  private onDone: (token: number) => void;
  private doneId: number;
  private event = -1; // the one calendar event: the earliest completion over all groups
  private eventTime = Number.NaN;
  private eventGroup = -1;
  private nCores: number;

  private allowedTotal = 0;
  private divided = false; // rates come from water-filling (allowances exceed the cores)
  // Groups whose jobs changed since the last rebalance (their completion must be re-timed): a list
  // linked through their DIRTY fields (next + 2; 0 = clean), so marking one touches no other memory.
  private dirtyHead = -1;
  private allDirty = false;
  private inDone = false; // inside onDone: changes are collected and applied once it returns

  private G = new ProcessorGroups();

  // jobs
  private heaps = new JobHeaps();
  private jToken = new Float64Array(64);
  private jGen = new Int32Array(64);
  private free = new Int32Array(64);
  private freeTop = 0;
  private slotsUsed = 0;

  constructor(cal: Calendar, cores: number, onDone: (token: number) => void) {
    super(cal.now);
    checkCores(cores);
    this.cal = cal;
    this.nCores = cores;
    this.onDone = onDone;
    this.doneId = cal.on((group) => this.complete(group));
  }

  get cores(): number {
    return this.nCores;
  }
  /** Cores the busy groups may use now, sum of min(jobs, limit): above `cores`, they are divided. */
  get demand(): number {
    return this.allowedTotal;
  }
  get groups(): number {
    return this.G.nGroups;
  }
  /** Runnable jobs of a group. */
  jobs(group: number): number {
    this.checkGroup(group);
    return this.G.f[group * STRIDE + JOBS]!;
  }
  /** Cores a group receives at this instant. */
  rate(group: number): number {
    this.checkGroup(group);
    return this.G.f[group * STRIDE + RATE]!;
  }

  /** Adds a group with a weight (> 0) and a rate limit in cores (> 0, Infinity for none); returns its id. */
  addGroup(weight: number, limit = Number.POSITIVE_INFINITY): number {
    checkGroupParams(weight, limit);
    const g = this.G.add(weight, limit, this.cal.now);
    this.heaps.addGroup();
    return g;
  }

  /** Changes a group's weight and limit from now on. */
  setGroup(group: number, weight: number, limit = Number.POSITIVE_INFINITY): void {
    this.checkGroup(group);
    checkGroupParams(weight, limit);
    const now = this.cal.now;
    this.advance(now);
    this.G.advance(group, now);
    this.G.f[group * STRIDE + WEIGHT] = weight;
    this.G.f[group * STRIDE + LIMIT] = limit;
    this.setAllowed(group);
    this.touch(group);
    this.allDirty = true;
    this.changed();
  }

  /** Changes the number of cores from now on. */
  setCores(cores: number): void {
    checkCores(cores);
    this.advance(this.cal.now);
    this.nCores = cores;
    this.allDirty = true;
    this.changed();
  }

  /**
   * Starts a job of `work` core-seconds in a group; `token` is handed to onDone when it completes.
   * Returns the job's handle (for abort and remaining).
   */
  start(group: number, work: number, token: number): number {
    this.checkGroup(group);
    if (!(work >= 0 && work < Number.POSITIVE_INFINITY)) {
      throw new RangeError(`Processor.start: work must be a finite number of core-seconds >= 0, got ${work}`);
    }
    const now = this.cal.now;
    this.advance(now);
    this.G.advance(group, now);
    let slot: number;
    if (this.freeTop > 0) slot = this.free[--this.freeTop]!;
    else {
      if (this.slotsUsed === this.jGen.length) this.growJobs();
      slot = this.slotsUsed++;
    }
    this.jToken[slot] = token;
    const tag = this.G.f[group * STRIDE + CLOCK]! + work;
    const F = this.G.f;
    this.heaps.push(group, slot, tag, F[group * STRIDE + JOBS]!, F[group * STRIDE + TOP_SLOT]!);
    if (this.G.f[group * STRIDE + JOBS]!++ === 0) {
      this.G.activate(group);
      this.G.f[group * STRIDE + TOP] = tag;
      this.G.f[group * STRIDE + TOP_SLOT] = slot;
    } else if (tag < this.G.f[group * STRIDE + TOP]!) {
      this.G.f[group * STRIDE + TOP] = tag;
      this.G.f[group * STRIDE + TOP_SLOT] = slot;
    }
    this.setAllowed(group);
    this.touch(group);
    this.changed();
    return slot + this.jGen[slot]! * SLOT_LIMIT;
  }

  /** Work (core-seconds) a job still needs; -1 when the handle is stale. */
  remaining(job: number): number {
    const slot = this.liveSlot(job);
    if (slot < 0) return -1;
    const g = this.heaps.groupOf(slot);
    const n = this.G.f[g * STRIDE + JOBS]!;
    const clock =
      this.G.f[g * STRIDE + CLOCK]! +
      ((this.cal.now - this.G.f[g * STRIDE + LAST]!) * this.G.f[g * STRIDE + RATE]!) / n;
    return Math.max(0, this.heaps.tag(slot) - clock);
  }

  /** Removes a job before it completes (onDone is not called); returns its remaining work, -1 if stale. */
  abort(job: number): number {
    const slot = this.liveSlot(job);
    if (slot < 0) return -1;
    const g = this.heaps.groupOf(slot);
    const now = this.cal.now;
    this.advance(now);
    this.G.advance(g, now);
    const left = Math.max(0, this.heaps.tag(slot) - this.G.f[g * STRIDE + CLOCK]!);
    this.heaps.remove(slot, this.G.f[g * STRIDE + JOBS]!);
    this.finishJob(g, slot);
    this.touch(g);
    this.changed();
    return left;
  }

  usage(group: number, now: number): GroupUsage {
    this.checkGroup(group);
    return this.G.usage(group, now);
  }

  stats(now: number): ProcessorStats {
    return this.integralStats(now, this.nCores, this.allowedTotal);
  }

  /** Forgets everything measured so far (warm-up); running jobs are kept. */
  resetStats(now: number): void {
    this.advance(now);
    this.G.resetStats(now);
    this.resetIntegrals(now);
  }

  private complete(group: number): void {
    const now = this.cal.now;
    this.event = -1;
    this.advance(now);
    this.G.advance(group, now);
    // A group's only job is its heap's top: emptying the heap needs no look at it
    const slot =
      this.G.f[group * STRIDE + JOBS] === 1
        ? this.heaps.popOnly(this.G.f[group * STRIDE + TOP_SLOT]!)
        : this.heaps.pop(group, this.G.f[group * STRIDE + JOBS]!);
    // The event was timed for this job: snap the clock to its tag so rounding never leaves a sliver.
    this.G.f[group * STRIDE + CLOCK] = this.heaps.tag(slot);
    const token = this.jToken[slot]!;
    this.G.f[group * STRIDE + COMPLETED]!++;
    this.finishJob(group, slot);
    this.touch(group);
    // A completion handler usually starts the job's next step: collect its changes, re-divide once.
    this.inDone = true;
    try {
      this.onDone(token);
    } finally {
      this.inDone = false;
      this.rebalance();
    }
  }

  private touch(g: number): void {
    if (this.G.f[g * STRIDE + DIRTY] !== 0) return;
    this.G.f[g * STRIDE + DIRTY] = this.dirtyHead + 2;
    this.dirtyHead = g;
  }

  private changed(): void {
    if (!this.inDone) this.rebalance();
  }

  private finishJob(group: number, slot: number): void {
    this.jGen[slot]!++;
    if (this.jGen[slot]! < GEN_LIMIT) this.free[this.freeTop++] = slot;
    if (--this.G.f[group * STRIDE + JOBS]! === 0) this.G.deactivate(group);
    else {
      const top = this.heaps.top(group);
      this.G.f[group * STRIDE + TOP] = this.heaps.tag(top);
      this.G.f[group * STRIDE + TOP_SLOT] = top;
    }
    this.setAllowed(group);
  }

  /**
   * Sets every group's rate after changes to the dirty groups and re-times the completions that moved.
   * While the allowances fit in the cores each group simply gets its allowance, so only the dirty groups
   * change; otherwise the cores are re-divided.
   */
  private rebalance(): void {
    if (this.allowedTotal <= this.nCores) {
      if (this.divided || this.allDirty) {
        this.divided = false;
        for (let i = 0; i < this.G.nActive; i++) {
          const g = this.G.active[i]!;
          this.setRate(g, this.G.f[g * STRIDE + ALLOWED]!, this.G.f[g * STRIDE + DIRTY] !== 0);
        }
      } else {
        for (let g = this.dirtyHead; g >= 0; g = this.G.f[g * STRIDE + DIRTY]! - 2) {
          if (this.G.f[g * STRIDE + JOBS]! > 0) this.setRate(g, this.G.f[g * STRIDE + ALLOWED]!, true);
        }
      }
    } else if (this.divided && !this.allDirty && this.sameAllowances()) {
      // same allowances and weights as at the last division, so the same rates: only re-time the dirty
      for (let g = this.dirtyHead; g >= 0; g = this.G.f[g * STRIDE + DIRTY]! - 2) {
        if (this.G.f[g * STRIDE + JOBS]! > 0) this.setRate(g, this.G.f[g * STRIDE + RATE]!, true);
      }
    } else {
      this.divided = true;
      this.G.divide(this.nCores);
      for (let i = 0; i < this.G.nActive; i++) {
        const g = this.G.active[i]!;
        this.setRate(g, this.G.f[g * STRIDE + TARGET]!, this.G.f[g * STRIDE + DIRTY] !== 0);
      }
    }
    for (let g = this.dirtyHead; g >= 0; ) {
      const next = this.G.f[g * STRIDE + DIRTY]! - 2;
      this.G.f[g * STRIDE + DIRTY] = 0;
      g = next;
    }
    this.dirtyHead = -1;
    this.allDirty = false;
    this.scheduleNext();
  }

  private sameAllowances(): boolean {
    for (let g = this.dirtyHead; g >= 0; g = this.G.f[g * STRIDE + DIRTY]! - 2) {
      if (this.G.f[g * STRIDE + ALLOWED] !== this.G.f[g * STRIDE + DIVIDED_ALLOWED]) return false;
    }
    return true;
  }

  private setRate(g: number, rate: number, force: boolean): void {
    if (rate === this.G.f[g * STRIDE + RATE] && !force) return;
    this.G.advance(g, this.cal.now);
    this.G.f[g * STRIDE + RATE] = rate;
    const ahead = this.G.f[g * STRIDE + TOP]! - this.G.f[g * STRIDE + CLOCK]!;
    this.G.f[g * STRIDE + NEXT] =
      this.cal.now + (ahead > 0 ? (ahead * this.G.f[g * STRIDE + JOBS]!) / rate : 0);
  }

  /** Keeps the calendar event on the earliest completion of any group (O(g) scan, one calendar call). */
  private scheduleNext(): void {
    const group = this.G.earliest();
    const best = group < 0 ? Number.POSITIVE_INFINITY : this.G.f[group * STRIDE + NEXT]!;
    if (this.event >= 0) {
      if (best === this.eventTime && group === this.eventGroup) return;
      this.cal.cancel(this.event);
      this.event = -1;
    }
    if (group < 0) return;
    this.event = this.cal.scheduleAt(best, this.doneId, group);
    this.eventTime = best;
    this.eventGroup = group;
  }

  private setAllowed(g: number): void {
    const allowed = Math.min(this.G.f[g * STRIDE + JOBS]!, this.G.f[g * STRIDE + LIMIT]!);
    this.allowedTotal += allowed - this.G.f[g * STRIDE + ALLOWED]!;
    if (this.G.nActive === 0) this.allowedTotal = 0; // no drift from float sums when idle
    this.G.f[g * STRIDE + ALLOWED] = allowed;
    this.G.f[g * STRIDE + KEY] = allowed / this.G.f[g * STRIDE + WEIGHT]!;
  }

  private advance(now: number): void {
    this.advanceIntegrals(now, this.nCores, this.allowedTotal);
  }

  private liveSlot(job: number): number {
    if (!Number.isSafeInteger(job) || job < 0) return -1;
    const slot = job % SLOT_LIMIT;
    if (slot >= this.slotsUsed || this.jGen[slot] !== (job - slot) / SLOT_LIMIT) return -1;
    return this.heaps.isQueued(slot) ? slot : -1;
  }

  private checkGroup(group: number): void {
    if (!(Number.isInteger(group) && group >= 0 && group < this.G.nGroups)) {
      throw new RangeError(`Processor: unknown group ${group}`);
    }
  }

  private growJobs(): void {
    const old = this.jGen.length;
    if (old >= SLOT_LIMIT) throw new RangeError(`Processor: more than ${SLOT_LIMIT} jobs at once`);
    const cap = Math.min(SLOT_LIMIT, old * 2);
    this.jToken = grow(this.jToken, cap);
    this.jGen = grow(this.jGen, cap);
    this.free = grow(this.free, cap);
    this.heaps.growJobs(cap);
  }
}
