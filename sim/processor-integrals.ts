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
 * The processor-wide integrals, kept exact: capacity and busy core-seconds, and the seconds saturated and
 * contended, each brought up to date (advanceIntegrals) before the cores or the demand change. Processor
 * extends it so these fields live in the processor's own object: a start or a completion on one of
 * thousands of nodes then misses one cache line fewer.
 */
export class ProcessorIntegrals {
  private t0: number;
  private last: number;
  private capacityArea = 0;
  private busyArea = 0;
  private saturatedTime = 0;
  private contendedTime = 0;

  constructor(now: number) {
    this.t0 = this.last = now;
  }

  /** Brings the integrals to `now` under `cores` cores and an allowed demand of `demand` cores. */
  protected advanceIntegrals(now: number, cores: number, demand: number): void {
    const dt = now - this.last;
    if (dt <= 0) return;
    this.capacityArea += cores * dt;
    this.busyArea += Math.min(demand, cores) * dt;
    if (demand >= cores) this.saturatedTime += dt;
    if (demand > cores) this.contendedTime += dt;
    this.last = now;
  }

  protected integralStats(now: number, cores: number, demand: number): ProcessorStats {
    const dt = now - this.last;
    const capacity = this.capacityArea + cores * dt;
    const busy = this.busyArea + Math.min(demand, cores) * dt;
    return {
      span: now - this.t0,
      capacity,
      busy,
      utilisation: capacity > 0 ? busy / capacity : 0,
      saturated: this.saturatedTime + (demand >= cores ? dt : 0),
      contended: this.contendedTime + (demand > cores ? dt : 0),
    };
  }

  /** Starts from zero at `now` (already advanced to it). */
  protected resetIntegrals(now: number): void {
    this.t0 = now;
    this.capacityArea = this.busyArea = this.saturatedTime = this.contendedTime = 0;
  }
}
