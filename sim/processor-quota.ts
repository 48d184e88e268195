import { grow } from './grow.ts';
import { ProcessorGroups } from './processor-groups.ts';

// A quota group's bandwidth state, QSTRIDE numbers per group in their own array (only processors that
// have such a group allocate it, so the rows every other group's event reads stay as they were).
/** Core-seconds the group may run per period (0: not a quota group). */
const QUOTA = 0;
const PERIOD = 1;
/** Core-seconds run in period PIDX. */
const USED = 2;
/** The period USED counts (NaN: none yet). */
const PIDX = 3;
/** 1 from the moment it ran out until UNTIL. */
const THROTTLED = 4;
const UNTIL = 5;
/** Its next bandwidth event at its current rate: the quota running out, or the refill ending a throttle. */
const DUE = 6;
const QSTRIDE = 7;

/**
 * CFS bandwidth control for the groups that ask for it: a group with a limit and a period may run as
 * many cores as its jobs and the division give it until it has used limit x period core-seconds in the
 * current period, and is then throttled (runs nothing) until the period ends and the quota is refilled.
 * Unused quota does not carry over (no burst). This is what Linux does with cpu.cfs_quota_us and
 * cpu.cfs_period_us (Documentation/scheduler/sched-bwc.rst; kernel/sched/fair.c
 * __refill_cfs_bandwidth_runtime, throttle_cfs_rq, v6.6), seen at the level of the whole group: the
 * kernel hands the quota to each CPU's run queue in 5 ms slices, which this leaves out (ASSUMPTION). A
 * group without a period is capped at min(jobs, limit) cores at every instant (the fluid limit).
 *
 * Periods are the processor's, not the group's: they start at origin + k x period. The kernel's period
 * timer starts zeroed and is only ever moved forward by whole periods (start_cfs_bandwidth,
 * hrtimer_forward_now), so every cgroup with the same period on one machine shares its boundaries.
 */
export class ProcessorQuota extends ProcessorGroups {
  /** Where the processor's periods start (seconds); a node's offset from its boot. */
  quotaOrigin = 0;
  private q = new Float64Array(0);

  protected addQuota(g: number, quota: number, period: number): void {
    if ((g + 1) * QSTRIDE > this.q.length) {
      this.q = grow(this.q, Math.max(8, this.nGroups) * 2 * QSTRIDE);
    }
    const at = g * QSTRIDE;
    this.q[at + QUOTA] = quota;
    this.q[at + PERIOD] = period;
    this.q[at + USED] = 0;
    this.q[at + PIDX] = Number.NaN;
    this.q[at + THROTTLED] = 0;
    this.q[at + UNTIL] = Number.NEGATIVE_INFINITY;
    this.q[at + DUE] = Number.POSITIVE_INFINITY;
    this.quotaOn = true;
  }

  protected hasQuota(g: number): boolean {
    return (g + 1) * QSTRIDE <= this.q.length && this.q[g * QSTRIDE + QUOTA]! > 0;
  }

  /** Whether group g is throttled at `now` (it ran out and its period has not ended). */
  protected throttled(g: number, now: number): boolean {
    if (!this.hasQuota(g)) return false;
    const at = g * QSTRIDE;
    return this.q[at + THROTTLED] === 1 && now < this.q[at + UNTIL]!;
  }

  /** The index of the period holding `t`, on the same boundaries as boundary(). */
  private periodOf(g: number, t: number): number {
    const period = this.q[g * QSTRIDE + PERIOD]!;
    let k = Math.floor((t - this.quotaOrigin) / period);
    if (this.boundary(g, k + 1) <= t) k++;
    else if (this.boundary(g, k) > t) k--;
    return k;
  }

  private boundary(g: number, k: number): number {
    return this.quotaOrigin + k * this.q[g * QSTRIDE + PERIOD]!;
  }

  /** Counts `rate` cores over the `dt` seconds to `now` against the group's quota (advanceGroup). */
  protected override useQuota(g: number, rate: number, dt: number, now: number): void {
    if (!this.hasQuota(g)) return;
    const at = g * QSTRIDE;
    const k = this.periodOf(g, now);
    if (k === this.q[at + PIDX]) this.q[at + USED]! += rate * dt;
    else {
      // a boundary since the last count: only what ran in this period counts
      this.q[at + USED] = rate * (now - Math.max(now - dt, this.boundary(g, k)));
      this.q[at + PIDX] = k;
    }
  }

  /**
   * When group g's next bandwidth event falls at `rate` cores from `now` (its clock brought to now):
   * the refill that ends its throttle, or the moment it runs out; Infinity when it cannot run out.
   */
  protected quotaDue(g: number, rate: number, now: number): number {
    if (!this.hasQuota(g)) return Number.POSITIVE_INFINITY;
    const q = this.q;
    const at = g * QSTRIDE;
    let due = Number.POSITIVE_INFINITY;
    // a throttle whose period ended while the group was idle is over (no event ended it)
    if (q[at + THROTTLED] === 1 && now >= q[at + UNTIL]!) q[at + THROTTLED] = 0;
    if (q[at + THROTTLED] === 1) due = q[at + UNTIL]!;
    else if (rate > 0) {
      const k = this.periodOf(g, now);
      if (k !== q[at + PIDX]) {
        q[at + PIDX] = k;
        q[at + USED] = 0;
      }
      const quota = q[at + QUOTA]!;
      const left = quota - q[at + USED]!;
      const next = this.boundary(g, k + 1);
      const out = now + Math.max(0, left) / rate;
      if (out < next) due = out;
      else if (rate * q[at + PERIOD]! > quota) due = next + quota / rate;
    }
    q[at + DUE] = due;
    return due;
  }

  /** Whether the processor's timer fired for group g's bandwidth event rather than a completion. */
  protected quotaEventDue(g: number, now: number): boolean {
    return this.hasQuota(g) && this.q[g * QSTRIDE + DUE]! <= now;
  }

  /**
   * Group g's bandwidth event at `now` (its clock brought to now): the quota runs out, and it is throttled
   * to the end of the period; or its period ended, and it runs again with a full quota.
   */
  protected quotaEvent(g: number, now: number): void {
    const q = this.q;
    const at = g * QSTRIDE;
    q[at + DUE] = Number.POSITIVE_INFINITY;
    if (q[at + THROTTLED] === 1) {
      // refilled: the period that ends the throttle starts with nothing used
      q[at + THROTTLED] = 0;
      q[at + PIDX] = this.periodOf(g, q[at + UNTIL]!);
      q[at + USED] = 0;
      return;
    }
    const k = q[at + PIDX]!;
    const until = this.boundary(g, k + 1);
    if (until <= now) {
      // ran out exactly at a boundary: the new period's quota is already there
      q[at + PIDX] = k + 1;
      q[at + USED] = 0;
      return;
    }
    q[at + USED] = q[at + QUOTA]!;
    q[at + THROTTLED] = 1;
    q[at + UNTIL] = until;
  }
}
