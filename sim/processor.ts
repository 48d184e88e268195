import type { Calendar } from './calendar.ts';
import { JobHeaps } from './job-heaps.ts';

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

export interface ProcessorStats {
  span: number;
  /** Core-seconds available (follows setCores). */
  capacity: number;
  /** Core-seconds used. */
  busy: number;
  utilisation: number;
  /** Seconds during which every core was in use. */
  saturated: number;
  /** Seconds during which the allowed demand exceeded the cores, so some group got less than it was allowed. */
  contended: number;
}

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
 * nearly sorted between events). Nothing is allocated per job: jobs live in pooled typed arrays and are
 * named by handles (slot + generation * 2^24) that go stale when the job ends.
 *
 * Inside onDone, starts and aborts are collected and the cores re-divided once when it returns, so a
 * completion that starts the next step costs one re-division, not two; `rate` read there still shows
 * the rates just before the completion.
 */
export class Processor {
  private cal: Calendar;
  private onDone: (token: number) => void;
  private doneId: number;
  // the one calendar event: the earliest completion over all groups
  private event = -1;
  private eventTime = Number.NaN;
  private eventGroup = -1;
  private nCores: number;

  // groups
  private nGroups = 0;
  private gWeight = new Float64Array(8);
  private gLimit = new Float64Array(8);
  private gJobs = new Int32Array(8);
  private gAllowed = new Float64Array(8); // min(jobs, limit)
  private gRate = new Float64Array(8); // cores the group receives now
  private gClock = new Float64Array(8); // virtual time: work done by each of its jobs
  private gLast = new Float64Array(8);
  private gNext = new Float64Array(8); // time of its next completion at the current rates
  private gWanted = new Float64Array(8);
  private gAllowedArea = new Float64Array(8);
  private gServed = new Float64Array(8);
  private gCompleted = new Float64Array(8);
  private gActivePos = new Int32Array(8);
  private gKey = new Float64Array(8); // allowance per unit weight: the water level at which it is capped
  private gDividedAllowed = new Float64Array(8); // allowance at the last water-filling

  // busy groups, kept sorted by gKey when the cores are divided
  private active = new Int32Array(8);
  private nActive = 0;
  private allowedTotal = 0;
  private divided = false; // rates come from water-filling (allowances exceed the cores)
  // groups whose jobs changed since the last rebalance (their completion must be re-timed)
  private dirty = new Int32Array(8);
  private nDirty = 0;
  private gDirty = new Uint8Array(8);
  private allDirty = false;
  private inDone = false; // inside onDone: changes are collected and applied once it returns

  // jobs
  private heaps = new JobHeaps();
  private jToken = new Float64Array(64);
  private jGen = new Int32Array(64);
  private free = new Int32Array(64);
  private freeTop = 0;
  private slotsUsed = 0;

  // processor-wide integrals
  private t0: number;
  private last: number;
  private capacityArea = 0;
  private busyArea = 0;
  private saturatedTime = 0;
  private contendedTime = 0;

  constructor(cal: Calendar, cores: number, onDone: (token: number) => void) {
    checkCores(cores);
    this.cal = cal;
    this.nCores = cores;
    this.onDone = onDone;
    this.doneId = cal.on((group) => this.complete(group));
    this.t0 = this.last = cal.now;
  }

  get cores(): number {
    return this.nCores;
  }
  get groups(): number {
    return this.nGroups;
  }
  /** Runnable jobs of a group. */
  jobs(group: number): number {
    this.checkGroup(group);
    return this.gJobs[group]!;
  }
  /** Cores a group receives at this instant. */
  rate(group: number): number {
    this.checkGroup(group);
    return this.gRate[group]!;
  }

  /** Adds a group with a weight (> 0) and a rate limit in cores (> 0, Infinity for none); returns its id. */
  addGroup(weight: number, limit = Number.POSITIVE_INFINITY): number {
    checkGroupParams(weight, limit);
    const g = this.nGroups++;
    if (g === this.gWeight.length) this.growGroups();
    this.gWeight[g] = weight;
    this.gLimit[g] = limit;
    this.gLast[g] = this.cal.now;
    this.gActivePos[g] = -1;
    this.heaps.addGroup();
    return g;
  }

  /** Changes a group's weight and limit from now on. */
  setGroup(group: number, weight: number, limit = Number.POSITIVE_INFINITY): void {
    this.checkGroup(group);
    checkGroupParams(weight, limit);
    const now = this.cal.now;
    this.advance(now);
    this.advanceGroup(group, now);
    this.gWeight[group] = weight;
    this.gLimit[group] = limit;
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
    this.advanceGroup(group, now);
    let slot: number;
    if (this.freeTop > 0) slot = this.free[--this.freeTop]!;
    else {
      if (this.slotsUsed === this.jGen.length) this.growJobs();
      slot = this.slotsUsed++;
    }
    this.jToken[slot] = token;
    this.heaps.push(group, slot, this.gClock[group]! + work);
    if (this.gJobs[group]!++ === 0) this.activate(group);
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
    const n = this.gJobs[g]!;
    const clock = this.gClock[g]! + ((this.cal.now - this.gLast[g]!) * this.gRate[g]!) / n;
    return Math.max(0, this.heaps.tag(slot) - clock);
  }

  /** Removes a job before it completes (onDone is not called); returns its remaining work, -1 if stale. */
  abort(job: number): number {
    const slot = this.liveSlot(job);
    if (slot < 0) return -1;
    const g = this.heaps.groupOf(slot);
    const now = this.cal.now;
    this.advance(now);
    this.advanceGroup(g, now);
    const left = Math.max(0, this.heaps.tag(slot) - this.gClock[g]!);
    this.heaps.remove(slot);
    this.finishJob(g, slot);
    this.touch(g);
    this.changed();
    return left;
  }

  usage(group: number, now: number): GroupUsage {
    this.checkGroup(group);
    const dt = now - this.gLast[group]!;
    const wanted = this.gWanted[group]! + this.gJobs[group]! * dt;
    const allowed = this.gAllowedArea[group]! + this.gAllowed[group]! * dt;
    const served = this.gServed[group]! + this.gRate[group]! * dt;
    return {
      wanted,
      served,
      throttled: wanted - allowed,
      starved: Math.max(0, allowed - served),
      completed: this.gCompleted[group]!,
    };
  }

  stats(now: number): ProcessorStats {
    const dt = now - this.last;
    const capacity = this.capacityArea + this.nCores * dt;
    const busy = this.busyArea + Math.min(this.allowedTotal, this.nCores) * dt;
    return {
      span: now - this.t0,
      capacity,
      busy,
      utilisation: capacity > 0 ? busy / capacity : 0,
      saturated: this.saturatedTime + (this.allowedTotal >= this.nCores ? dt : 0),
      contended: this.contendedTime + (this.allowedTotal > this.nCores ? dt : 0),
    };
  }

  /** Forgets everything measured so far (warm-up); running jobs are kept. */
  resetStats(now: number): void {
    this.advance(now);
    for (let g = 0; g < this.nGroups; g++) {
      this.advanceGroup(g, now);
      this.gWanted[g] = this.gAllowedArea[g] = this.gServed[g] = this.gCompleted[g] = 0;
    }
    this.t0 = now;
    this.capacityArea = this.busyArea = this.saturatedTime = this.contendedTime = 0;
  }

  private complete(group: number): void {
    const now = this.cal.now;
    this.event = -1;
    this.advance(now);
    this.advanceGroup(group, now);
    const slot = this.heaps.pop(group);
    // The event was timed for this job: snap the clock to its tag so rounding never leaves a sliver.
    this.gClock[group] = this.heaps.tag(slot);
    const token = this.jToken[slot]!;
    this.gCompleted[group]!++;
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
    if (this.gDirty[g] === 1) return;
    this.gDirty[g] = 1;
    this.dirty[this.nDirty++] = g;
  }

  private changed(): void {
    if (!this.inDone) this.rebalance();
  }

  private finishJob(group: number, slot: number): void {
    this.jGen[slot]!++;
    if (this.jGen[slot]! < GEN_LIMIT) this.free[this.freeTop++] = slot;
    if (--this.gJobs[group]! === 0) this.deactivate(group);
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
        for (let i = 0; i < this.nActive; i++) {
          const g = this.active[i]!;
          this.setRate(g, this.gAllowed[g]!, this.gDirty[g] === 1);
        }
      } else {
        for (let i = 0; i < this.nDirty; i++) {
          const g = this.dirty[i]!;
          if (this.gJobs[g]! > 0) this.setRate(g, this.gAllowed[g]!, true);
        }
      }
    } else if (this.divided && !this.allDirty && this.sameAllowances()) {
      // same allowances and weights as at the last division, so the same rates: only re-time the dirty
      for (let i = 0; i < this.nDirty; i++) {
        const g = this.dirty[i]!;
        if (this.gJobs[g]! > 0) this.setRate(g, this.gRate[g]!, true);
      }
    } else {
      this.divided = true;
      this.waterFill();
    }
    for (let i = 0; i < this.nDirty; i++) this.gDirty[this.dirty[i]!] = 0;
    this.nDirty = 0;
    this.allDirty = false;
    this.scheduleNext();
  }

  private sameAllowances(): boolean {
    for (let i = 0; i < this.nDirty; i++) {
      const g = this.dirty[i]!;
      if (this.gAllowed[g] !== this.gDividedAllowed[g]) return false;
    }
    return true;
  }

  /** Divides the cores: groups below the water level get their allowance, the rest weight x level. */
  private waterFill(): void {
    const A = this.active;
    const K = this.gKey;
    const n = this.nActive;
    // insertion sort on the water level at which each group is capped; nearly sorted between events
    for (let i = 1; i < n; i++) {
      const g = A[i]!;
      const k = K[g]!;
      let j = i - 1;
      while (j >= 0 && K[A[j]!]! > k) {
        A[j + 1] = A[j]!;
        this.gActivePos[A[j + 1]!] = j + 1;
        j--;
      }
      A[j + 1] = g;
      this.gActivePos[g] = j + 1;
    }
    let weights = 0;
    for (let i = 0; i < n; i++) {
      const g = A[i]!;
      weights += this.gWeight[g]!;
      this.gDividedAllowed[g] = this.gAllowed[g]!;
    }
    let left = this.nCores;
    let i = 0;
    for (; i < n; i++) {
      const g = A[i]!;
      const allowed = this.gAllowed[g]!;
      const w = this.gWeight[g]!;
      if (allowed * weights > left * w) break;
      this.setRate(g, allowed, this.gDirty[g] === 1);
      left -= allowed;
      weights -= w;
    }
    const level = left / weights;
    for (; i < n; i++) {
      const g = A[i]!;
      this.setRate(g, this.gWeight[g]! * level, this.gDirty[g] === 1);
    }
  }

  private setRate(g: number, rate: number, force: boolean): void {
    if (rate === this.gRate[g] && !force) return;
    this.advanceGroup(g, this.cal.now);
    this.gRate[g] = rate;
    const ahead = this.heaps.tag(this.heaps.top(g)) - this.gClock[g]!;
    this.gNext[g] = this.cal.now + (ahead > 0 ? (ahead * this.gJobs[g]!) / rate : 0);
  }

  /** Keeps the calendar event on the earliest completion of any group (O(g) scan, one calendar call). */
  private scheduleNext(): void {
    let best = Number.POSITIVE_INFINITY;
    let group = -1;
    for (let i = 0; i < this.nActive; i++) {
      const g = this.active[i]!;
      const t = this.gNext[g]!;
      if (t < best || (t === best && g < group)) {
        best = t;
        group = g;
      }
    }
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
    const allowed = Math.min(this.gJobs[g]!, this.gLimit[g]!);
    this.allowedTotal += allowed - this.gAllowed[g]!;
    if (this.nActive === 0) this.allowedTotal = 0; // no drift from float sums when idle
    this.gAllowed[g] = allowed;
    this.gKey[g] = allowed / this.gWeight[g]!;
  }

  private activate(g: number): void {
    if (this.nActive === this.active.length) this.active = grow(this.active, this.active.length * 2);
    this.gActivePos[g] = this.nActive;
    this.active[this.nActive++] = g;
  }

  private deactivate(g: number): void {
    const pos = this.gActivePos[g]!;
    const last = this.active[--this.nActive]!;
    this.active[pos] = last;
    this.gActivePos[last] = pos;
    this.gActivePos[g] = -1;
    this.gRate[g] = 0;
    this.gClock[g] = 0;
    this.gDividedAllowed[g] = -1; // its leaving, and any return, changes the division
  }

  private advanceGroup(g: number, now: number): void {
    const dt = now - this.gLast[g]!;
    if (dt <= 0) return;
    const n = this.gJobs[g]!;
    if (n > 0) {
      const rate = this.gRate[g]!;
      this.gClock[g]! += (dt * rate) / n;
      this.gWanted[g]! += n * dt;
      this.gAllowedArea[g]! += this.gAllowed[g]! * dt;
      this.gServed[g]! += rate * dt;
    }
    this.gLast[g] = now;
  }

  private advance(now: number): void {
    const dt = now - this.last;
    if (dt <= 0) return;
    const c = this.nCores;
    const demand = this.allowedTotal;
    this.capacityArea += c * dt;
    this.busyArea += Math.min(demand, c) * dt;
    if (demand >= c) this.saturatedTime += dt;
    if (demand > c) this.contendedTime += dt;
    this.last = now;
  }

  private liveSlot(job: number): number {
    if (!Number.isSafeInteger(job) || job < 0) return -1;
    const slot = job % SLOT_LIMIT;
    if (slot >= this.slotsUsed || this.jGen[slot] !== (job - slot) / SLOT_LIMIT) return -1;
    return this.heaps.isQueued(slot) ? slot : -1;
  }

  private checkGroup(group: number): void {
    if (!(Number.isInteger(group) && group >= 0 && group < this.nGroups)) {
      throw new RangeError(`Processor: unknown group ${group}`);
    }
  }

  private growGroups(): void {
    const cap = this.gWeight.length * 2;
    this.gWeight = grow(this.gWeight, cap);
    this.gLimit = grow(this.gLimit, cap);
    this.gJobs = grow(this.gJobs, cap);
    this.gAllowed = grow(this.gAllowed, cap);
    this.gRate = grow(this.gRate, cap);
    this.gClock = grow(this.gClock, cap);
    this.gLast = grow(this.gLast, cap);
    this.gNext = grow(this.gNext, cap);
    this.gWanted = grow(this.gWanted, cap);
    this.gAllowedArea = grow(this.gAllowedArea, cap);
    this.gServed = grow(this.gServed, cap);
    this.gCompleted = grow(this.gCompleted, cap);
    this.gActivePos = grow(this.gActivePos, cap);
    this.gKey = grow(this.gKey, cap);
    this.gDividedAllowed = grow(this.gDividedAllowed, cap);
    this.dirty = grow(this.dirty, cap);
    const flags = new Uint8Array(cap);
    flags.set(this.gDirty);
    this.gDirty = flags;
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

function grow<A extends Float64Array | Int32Array>(from: A, cap: number): A {
  const to = new (from.constructor as new (n: number) => A)(cap);
  to.set(from);
  return to;
}

function checkCores(cores: number): void {
  if (!(cores > 0 && cores < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`Processor: cores must be a finite number > 0, got ${cores}`);
  }
}

function checkGroupParams(weight: number, limit: number): void {
  if (!(weight > 0 && weight < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`Processor: a group's weight must be a finite number > 0, got ${weight}`);
  }
  if (!(limit > 0)) throw new RangeError(`Processor: a group's limit must be > 0 cores, got ${limit}`);
}
