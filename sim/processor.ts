import type { Calendar } from './calendar.ts';
import { ProcessorArena } from './processor-arena.ts';
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
  RATE,
  STRIDE,
  TOP,
  TOP_SLOT,
  WEIGHT,
} from './processor-groups.ts';
import {
  ALLOWED_TOTAL,
  CORES,
  EVENT_TIME,
  PAYLOAD_BASE,
  type ProcessorStats,
} from './processor-integrals.ts';
import { ProcessorQuota } from './processor-quota.ts';

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

/**
 * A weighted processor-sharing processor: `cores` identical cores shared by groups of jobs.
 *
 * A job is a single thread: it holds at most one core. A group's runnable jobs may use at most
 * min(jobs, limit) cores together (its rate limit); when those allowances add up to more than the cores,
 * the cores are divided among the groups by water-filling in proportion to their weights (no group gets
 * more than its allowance, the surplus goes to the others). Inside a group every job runs at the same
 * speed, the group's rate over its job count. A group's CPU thus follows the fluid limit of a
 * proportional-share scheduler with per-group caps. A group given a quota period instead runs uncapped
 * until it has used limit x period core-seconds in the period, then not at all until the period ends
 * (CFS bandwidth control, processor-quota.ts): its allowance is 0 while it is throttled.
 *
 * Virtual time makes each event cheap: all jobs of a group progress at the same speed, so the group keeps
 * one virtual clock (work done per job since the group became busy) and each job its finish tag
 * (virtual clock at start + work). A job completes when its group's clock reaches its tag; each group keeps
 * its jobs ordered on the tag (its first two in its own fields, a heap from the third: JobHeaps), and
 * the processor holds one calendar event, on the earliest completion of any group. A start, completion or abort costs O(log n) in the jobs of its group, plus an O(g) scan of
 * the busy groups and at most one calendar re-schedule; when the cores are oversubscribed the scan also
 * re-divides them (water-filling over the groups sorted by the level at which each is capped, kept
 * nearly sorted between events; skipped when no allowance changed). Nothing is allocated per job: jobs
 * live in pooled typed arrays (shared by the processors of one arena: processor-arena.ts), named by
 * handles (slot + generation * 2^24) that go stale when they end.
 * Inside onDone, starts and aborts are collected and the cores re-divided once when it returns, so a
 * completion that starts the next step costs one re-division, not two; `rate` read there still shows
 * the rates just before the completion.
 */
export class Processor extends ProcessorQuota {
  private cal: Calendar;
  private onDone: (token: number) => void;
  private timer: number; // the calendar timer on the earliest completion over all groups
  private eventGroup = -1; // the group it is set for, -1 when it is not set

  private demandOut: Float64Array | null = null;
  private demandAt = 0;
  private divided = false; // rates come from water-filling (allowances exceed the cores)
  // Groups whose jobs changed since the last rebalance (their completion must be re-timed): a list
  // linked through their DIRTY fields (next + 2; 0 = clean), so marking one touches no other memory.
  private dirtyHead = -1;
  private allDirty = false;
  private inDone = false; // inside onDone: changes are collected and applied once it returns

  /**
   * Options for a model with thousands of processors on one calendar (a cluster's nodes):
   * - `timer`: the processor's timer fires calendar handler `timer.handler` with payload
   *   `timer.base + group`, and that handler calls complete(group): one handler registered for all of
   *   them (the processor found from the payload in an array) instead of a closure each, which an event
   *   would reach first, then its context, then the processor;
   * - `arena`: its arrays are blocks of the arena's, shared with the other processors given it
   *   (processor-arena.ts); without one it has an arena of its own;
   * - `groups`: the groups it expects to make, a block for which it takes at once (more come as needed).
   */
  constructor(
    cal: Calendar,
    cores: number,
    onDone: (token: number) => void,
    opts: { timer?: { handler: number; base: number }; arena?: ProcessorArena; groups?: number } = {},
  ) {
    super();
    checkCores(cores);
    this.useArena(opts.arena ?? new ProcessorArena());
    if (opts.groups) this.reserveGroups(opts.groups);
    this.startIntegrals(cal.now);
    this.f[this.hb + EVENT_TIME] = Number.NaN;
    this.cal = cal;
    this.f[this.hb + CORES] = cores;
    this.onDone = onDone;
    const shared = opts.timer;
    this.f[this.hb + PAYLOAD_BASE] = shared?.base ?? 0;
    this.timer = cal.timer(shared ? shared.handler : cal.on((group) => this.complete(group)));
  }

  get cores(): number {
    return this.f[this.hb + CORES]!;
  }
  /** Cores the busy groups may use now, sum of min(jobs, limit): above `cores`, they are divided. */
  get demand(): number {
    return this.f[this.hb + ALLOWED_TOTAL]!;
  }
  /**
   * Keeps `out[at]` equal to `demand` from now on: a model with thousands of processors reads their
   * demands from one array instead of reaching each processor's object first.
   */
  shareDemand(out: Float64Array, at: number): void {
    this.demandOut = out;
    this.demandAt = at;
    out[at] = this.f[this.hb + ALLOWED_TOTAL]!;
  }
  get groups(): number {
    return this.nGroups;
  }
  /** Runnable jobs of a group. */
  jobs(group: number): number {
    this.checkGroup(group);
    return this.f[this.rb + group * STRIDE + JOBS]!;
  }
  /** Cores a group receives at this instant. */
  rate(group: number): number {
    this.checkGroup(group);
    return this.f[this.rb + group * STRIDE + RATE]!;
  }

  /**
   * Adds a group with a weight (> 0) and a rate limit in cores (> 0, Infinity for none); returns its id.
   * With a `period` (seconds, > 0) and a finite limit, the limit is a CFS quota of limit x period
   * core-seconds per period (processor-quota.ts) instead of a cap at every instant.
   */
  addGroup(weight: number, limit = Number.POSITIVE_INFINITY, period = 0): number {
    checkGroupParams(weight, limit);
    if (!(period >= 0 && period < Number.POSITIVE_INFINITY)) {
      throw new RangeError(`Processor: a group's quota period must be a finite number >= 0 s, got ${period}`);
    }
    const quota = period > 0 && limit < Number.POSITIVE_INFINITY;
    const g = this.newGroup(weight, quota ? Number.POSITIVE_INFINITY : limit, this.cal.now);
    this.addHeap();
    if (quota) this.addQuota(g, limit * period, period);
    return g;
  }

  /** Changes a group's weight and limit from now on (not for a group with a quota period). */
  setGroup(group: number, weight: number, limit = Number.POSITIVE_INFINITY): void {
    this.checkGroup(group);
    checkGroupParams(weight, limit);
    if (this.hasQuota(group)) throw new RangeError(`Processor.setGroup: group ${group} has a quota period`);
    const now = this.cal.now;
    this.advance(now);
    this.advanceGroup(group, now);
    this.f[this.rb + group * STRIDE + WEIGHT] = weight;
    this.f[this.rb + group * STRIDE + LIMIT] = limit;
    this.setAllowed(group);
    this.touch(group);
    this.allDirty = true;
    this.changed();
  }

  /** Changes the number of cores from now on. */
  setCores(cores: number): void {
    checkCores(cores);
    this.advance(this.cal.now);
    this.f[this.hb + CORES] = cores;
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
    this.advanceGroup(group, now);
    const slot = this.takeSlot();
    const tag = this.f[this.rb + group * STRIDE + CLOCK]! + work;
    this.recordJob(slot, group, tag, token);
    this.addJob(group, slot, tag);
    this.setAllowed(group);
    this.touch(group);
    this.changed();
    return this.handleOf(slot);
  }

  /** Work (core-seconds) a job still needs; -1 when the handle is stale. */
  remaining(job: number): number {
    const slot = this.liveSlot(job);
    if (slot < 0) return -1;
    const g = this.jobGroup(slot);
    const n = this.f[this.rb + g * STRIDE + JOBS]!;
    const clock =
      this.f[this.rb + g * STRIDE + CLOCK]! +
      ((this.cal.now - this.f[this.rb + g * STRIDE + LAST]!) * this.f[this.rb + g * STRIDE + RATE]!) / n;
    return Math.max(0, this.jobTag(slot) - clock);
  }

  /** Removes a job before it completes (onDone is not called); returns its remaining work, -1 if stale. */
  abort(job: number): number {
    const slot = this.liveSlot(job);
    if (slot < 0) return -1;
    const g = this.jobGroup(slot);
    const now = this.cal.now;
    this.advance(now);
    this.advanceGroup(g, now);
    const left = Math.max(0, this.jobTag(slot) - this.f[this.rb + g * STRIDE + CLOCK]!);
    this.finishJob(g, slot);
    this.touch(g);
    this.changed();
    return left;
  }

  usage(group: number, now: number): GroupUsage {
    this.checkGroup(group);
    return this.groupUsage(group, now);
  }

  stats(now: number): ProcessorStats {
    return this.integralStats(now, this.f[this.hb + CORES]!, this.f[this.hb + ALLOWED_TOTAL]!);
  }

  /** Forgets everything measured so far (warm-up); running jobs are kept. */
  resetStats(now: number): void {
    this.advance(now);
    this.resetGroupStats(now);
    this.resetIntegrals(now);
  }

  /** Its timer fired for `group` (a shared handler's call, see the constructor; else its own). */
  complete(group: number): void {
    const now = this.cal.now;
    this.eventGroup = -1; // the timer fired
    this.advance(now);
    this.advanceGroup(group, now);
    if (this.quotaOn && this.quotaEventDue(group, now)) {
      // not a completion: its quota ran out, or the period that throttled it ended
      this.quotaEvent(group, now);
      this.setAllowed(group);
      this.touch(group);
      this.rebalance();
      return;
    }
    // The event was timed for the group's earliest job: snap the clock to its tag so rounding never
    // leaves a sliver.
    const slot = this.f[this.rb + group * STRIDE + TOP_SLOT]!;
    this.f[this.rb + group * STRIDE + CLOCK] = this.f[this.rb + group * STRIDE + TOP]!;
    const token = this.jobToken(slot);
    this.f[this.rb + group * STRIDE + COMPLETED]!++;
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
    if (this.f[this.rb + g * STRIDE + DIRTY] !== 0) return;
    this.f[this.rb + g * STRIDE + DIRTY] = this.dirtyHead + 2;
    this.dirtyHead = g;
  }

  private changed(): void {
    if (!this.inDone) this.rebalance();
  }

  /** Takes a job out of its group (completed or aborted) and frees its slot. */
  private finishJob(group: number, slot: number): void {
    this.dropJob(group, slot);
    this.releaseSlot(slot);
    this.setAllowed(group);
  }

  /**
   * Sets every group's rate after changes to the dirty groups and re-times the completions that moved.
   * While the allowances fit in the cores each group simply gets its allowance, so only the dirty groups
   * change; otherwise the cores are re-divided.
   */
  private rebalance(): void {
    const F = this.f;
    if (this.f[this.hb + ALLOWED_TOTAL]! <= this.f[this.hb + CORES]!) {
      if (this.divided || this.allDirty) {
        this.divided = false;
        for (let i = 0; i < this.nActive; i++) {
          const g = this.f[this.ab + i]!;
          this.setRate(g, F[this.rb + g * STRIDE + ALLOWED]!, F[this.rb + g * STRIDE + DIRTY] !== 0);
        }
      } else {
        for (let g = this.dirtyHead; g >= 0; g = F[this.rb + g * STRIDE + DIRTY]! - 2) {
          if (F[this.rb + g * STRIDE + JOBS]! > 0) this.setRate(g, F[this.rb + g * STRIDE + ALLOWED]!, true);
        }
      }
    } else if (this.divided && !this.allDirty && this.sameAllowances()) {
      // same allowances and weights as at the last division, so the same rates: only re-time the dirty
      for (let g = this.dirtyHead; g >= 0; g = F[this.rb + g * STRIDE + DIRTY]! - 2) {
        if (F[this.rb + g * STRIDE + JOBS]! > 0) this.setRate(g, F[this.rb + g * STRIDE + RATE]!, true);
      }
    } else {
      this.divided = true;
      const level = this.divide(this.f[this.hb + CORES]!);
      for (let i = 0; i < this.nActive; i++) {
        const g = this.f[this.ab + i]!;
        const at = this.rb + g * STRIDE;
        const rate = i < this.capped ? F[at + ALLOWED]! : F[at + WEIGHT]! * level;
        this.setRate(g, rate, F[at + DIRTY] !== 0);
      }
    }
    for (let g = this.dirtyHead; g >= 0; ) {
      const next = F[this.rb + g * STRIDE + DIRTY]! - 2;
      F[this.rb + g * STRIDE + DIRTY] = 0;
      g = next;
    }
    this.dirtyHead = -1;
    this.allDirty = false;
    this.scheduleNext();
  }

  private sameAllowances(): boolean {
    for (let g = this.dirtyHead; g >= 0; g = this.f[this.rb + g * STRIDE + DIRTY]! - 2) {
      if (this.f[this.rb + g * STRIDE + ALLOWED] !== this.f[this.rb + g * STRIDE + DIVIDED_ALLOWED])
        return false;
    }
    return true;
  }

  private setRate(g: number, rate: number, force: boolean): void {
    if (rate === this.f[this.rb + g * STRIDE + RATE] && !force) return;
    this.advanceGroup(g, this.cal.now);
    this.f[this.rb + g * STRIDE + RATE] = rate;
    const ahead = this.f[this.rb + g * STRIDE + TOP]! - this.f[this.rb + g * STRIDE + CLOCK]!;
    const now = this.cal.now;
    const next = now + (ahead > 0 ? (ahead * this.f[this.rb + g * STRIDE + JOBS]!) / rate : 0);
    this.f[this.rb + g * STRIDE + NEXT] = this.quotaOn ? Math.min(next, this.quotaDue(g, rate, now)) : next;
  }

  /** Keeps the calendar timer on the earliest completion of any group (O(g) scan, one calendar call). */
  private scheduleNext(): void {
    const group = this.earliest();
    const best = group < 0 ? Number.POSITIVE_INFINITY : this.f[this.rb + group * STRIDE + NEXT]!;
    if (group === this.eventGroup && best === this.f[this.hb + EVENT_TIME]!) return;
    if (group < 0) {
      if (this.eventGroup >= 0) this.cal.clearTimer(this.timer);
      this.eventGroup = -1;
      return;
    }
    this.cal.setTimer(this.timer, best, this.f[this.hb + PAYLOAD_BASE]! + group);
    this.f[this.hb + EVENT_TIME] = best;
    this.eventGroup = group;
  }

  private setAllowed(g: number): void {
    let allowed = Math.min(this.f[this.rb + g * STRIDE + JOBS]!, this.f[this.rb + g * STRIDE + LIMIT]!);
    if (this.quotaOn && this.throttled(g, this.cal.now)) allowed = 0;
    this.f[this.hb + ALLOWED_TOTAL]! += allowed - this.f[this.rb + g * STRIDE + ALLOWED]!;
    if (this.nActive === 0) this.f[this.hb + ALLOWED_TOTAL] = 0; // no drift from float sums when idle
    if (this.demandOut !== null) this.demandOut[this.demandAt] = this.f[this.hb + ALLOWED_TOTAL]!;
    this.f[this.rb + g * STRIDE + ALLOWED] = allowed;
    this.f[this.rb + g * STRIDE + KEY] = allowed / this.f[this.rb + g * STRIDE + WEIGHT]!;
  }

  private advance(now: number): void {
    this.advanceIntegrals(now, this.f[this.hb + CORES]!, this.f[this.hb + ALLOWED_TOTAL]!);
  }

  private checkGroup(group: number): void {
    if (!(Number.isInteger(group) && group >= 0 && group < this.nGroups)) {
      throw new RangeError(`Processor: unknown group ${group}`);
    }
  }
}
