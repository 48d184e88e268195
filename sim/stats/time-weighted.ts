/** Time average of a step function (queue length, busy servers): the exact area under it over time. */
export class TimeWeighted {
  value: number;
  private t0: number;
  private last: number;
  private area = 0;

  constructor(t0: number, v0 = 0) {
    this.t0 = t0;
    this.last = t0;
    this.value = v0;
  }

  set(t: number, v: number): void {
    this.area += this.value * (t - this.last);
    this.last = t;
    this.value = v;
  }

  add(t: number, dv: number): void {
    this.set(t, this.value + dv);
  }

  /** Integral of the value from the last reset to t. */
  integral(t: number): number {
    return this.area + this.value * (t - this.last);
  }

  /** Mean over [reset time, t]; the current value when no time has passed. */
  mean(t: number): number {
    const span = t - this.t0;
    return span > 0 ? this.integral(t) / span : this.value;
  }

  /** Starts a new averaging window at t, keeping the current value (e.g. after warm-up). */
  reset(t: number): void {
    this.t0 = t;
    this.last = t;
    this.area = 0;
  }
}
