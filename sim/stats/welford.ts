/** Running count, mean, sample variance (n - 1), min and max in one pass (Welford), mergeable (Chan). */
export class Welford {
  count = 0;
  mean = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  private m2 = 0;

  add(x: number): void {
    const n = ++this.count;
    const d = x - this.mean;
    this.mean += d / n;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** Sample variance; 0 with fewer than two values. */
  get variance(): number {
    return this.count > 1 ? this.m2 / (this.count - 1) : 0;
  }

  get sd(): number {
    return Math.sqrt(this.variance);
  }

  merge(o: Welford): void {
    if (o.count === 0) return;
    const n = this.count + o.count;
    const d = o.mean - this.mean;
    this.m2 += o.m2 + (d * d * this.count * o.count) / n;
    this.mean += (d * o.count) / n;
    this.count = n;
    if (o.min < this.min) this.min = o.min;
    if (o.max > this.max) this.max = o.max;
  }

  reset(): void {
    this.count = 0;
    this.mean = 0;
    this.m2 = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
  }
}
