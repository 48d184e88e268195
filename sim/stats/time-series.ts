/** Sums values into fixed-width time bins [start + i*step, start + (i+1)*step); outside values are dropped. */
export class TimeSeries {
  readonly start: number;
  readonly step: number;
  readonly values: Float64Array;
  readonly counts: Float64Array;

  constructor(start: number, step: number, length: number) {
    if (!(step > 0)) throw new RangeError(`TimeSeries: step must be > 0, got ${step}`);
    if (!(Number.isInteger(length) && length >= 0)) {
      throw new RangeError(`TimeSeries: length must be an integer >= 0, got ${length}`);
    }
    this.start = start;
    this.step = step;
    this.values = new Float64Array(length);
    this.counts = new Float64Array(length);
  }

  /** Bin of time t, or -1 when outside the range. */
  bin(t: number): number {
    const i = Math.floor((t - this.start) / this.step);
    return i >= 0 && i < this.values.length ? i : -1;
  }

  add(t: number, v = 1): void {
    const i = this.bin(t);
    if (i < 0) return;
    this.values[i]! += v;
    this.counts[i]!++;
  }

  /** Time at the start of bin i. */
  time(i: number): number {
    return this.start + i * this.step;
  }

  /** Per-bin mean of the added values (NaN for empty bins). */
  means(): Float64Array {
    return this.values.map((v, i) => (this.counts[i]! > 0 ? v / this.counts[i]! : Number.NaN));
  }

  /** Per-bin rate: sum per unit time (e.g. requests/s when v = 1). */
  rates(): Float64Array {
    return this.values.map((v) => v / this.step);
  }
}
