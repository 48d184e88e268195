/** A Processor's own measures over a span of time (see Processor.stats). */
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

/**
 * The processor's own numbers, a block of HEAD in its arena's `f` (processor-arena.ts) rather than fields
 * of its object: V8 keeps a double field that is not a small integer in a box of its own, one more read
 * behind the object; on huge.yaml's 5,000 nodes the block measured 3-4 % faster (docs/scale.md, 5e0bc2c).
 */
export const ALLOWED_TOTAL = 0;
export const CORES = 1;
const LAST = 2;
const CAPACITY_AREA = 3;
const BUSY_AREA = 4;
const SATURATED_TIME = 5;
const CONTENDED_TIME = 6;
export const EVENT_TIME = 7;
const T0 = 8;
/** Added to a group to make its timer's payload (Processor's `timer` option): past 2^31, a box as a field. */
export const PAYLOAD_BASE = 9;
export const HEAD = 10;

/**
 * The processor-wide integrals, kept exact: capacity and busy core-seconds, and the seconds saturated and
 * contended, each brought up to date (advanceIntegrals) before the cores or the demand change. Processor
 * extends it.
 */
export class ProcessorIntegrals {
  /** The arena's numbers (JobHeaps.useArena sets it, and again whenever the arena moves them). */
  protected f!: Float64Array;
  /** Where its own numbers (HEAD of them, the fields above) start in `f`. */
  protected hb = 0;

  /** Starts the integrals at `now` (once its head block is in place). */
  protected startIntegrals(now: number): void {
    this.f[this.hb + T0] = this.f[this.hb + LAST] = now;
  }

  /** Brings the integrals to `now` under `cores` cores and an allowed demand of `demand` cores. */
  protected advanceIntegrals(now: number, cores: number, demand: number): void {
    const dt = now - this.f[this.hb + LAST]!;
    if (dt <= 0) return;
    this.f[this.hb + CAPACITY_AREA]! += cores * dt;
    this.f[this.hb + BUSY_AREA]! += Math.min(demand, cores) * dt;
    if (demand >= cores) this.f[this.hb + SATURATED_TIME]! += dt;
    if (demand > cores) this.f[this.hb + CONTENDED_TIME]! += dt;
    this.f[this.hb + LAST] = now;
  }

  protected integralStats(now: number, cores: number, demand: number): ProcessorStats {
    const dt = now - this.f[this.hb + LAST]!;
    const capacity = this.f[this.hb + CAPACITY_AREA]! + cores * dt;
    const busy = this.f[this.hb + BUSY_AREA]! + Math.min(demand, cores) * dt;
    return {
      span: now - this.f[this.hb + T0]!,
      capacity,
      busy,
      utilisation: capacity > 0 ? busy / capacity : 0,
      saturated: this.f[this.hb + SATURATED_TIME]! + (demand >= cores ? dt : 0),
      contended: this.f[this.hb + CONTENDED_TIME]! + (demand > cores ? dt : 0),
    };
  }

  /** Starts from zero at `now` (already advanced to it). */
  protected resetIntegrals(now: number): void {
    this.f[this.hb + T0] = now;
    this.f[this.hb + CAPACITY_AREA] =
      this.f[this.hb + BUSY_AREA] =
      this.f[this.hb + SATURATED_TIME] =
      this.f[this.hb + CONTENDED_TIME] =
        0;
  }
}
