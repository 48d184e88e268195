/**
 * Log-linear histogram (HdrHistogram's layout on float64 bits): each power of two in [lowest, highest] is
 * cut into 2^k equal sub-buckets, so a bucket is at most 2^-k of its lower edge wide. Reporting a bucket's
 * midpoint is then within 2^-(k+1) relative error of any value in it; k is the smallest giving
 * 2^-(k+1) <= precision (k = 6, error <= 0.78 %, for the default 1 %). The bucket index is read off the
 * exponent and top mantissa bits: no logarithm per record. Memory is fixed (2^k counts per octave) and two
 * histograms with the same options merge by adding counts.
 */
export interface HistogramOptions {
  lowest?: number;
  highest?: number;
  precision?: number;
}

export interface HistogramJSON {
  lowest: number;
  highest: number;
  precision: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  clamped: number;
  /** Sparse [bucket index, count] pairs. */
  counts: [number, number][];
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Index of the 32-bit word holding sign, exponent and top mantissa bits.
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

function biasedExponent(x: number): number {
  f64[0] = x;
  return (u32[HI]! >>> 20) & 0x7ff;
}

export class Histogram {
  readonly lowest: number;
  readonly highest: number;
  readonly precision: number;
  count = 0;
  /** Values outside [lowest, highest], recorded in the first or last bucket. */
  clamped = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  private sum = 0;
  private readonly k: number;
  private readonly shift: number;
  private readonly mask: number;
  private readonly e0: number;
  private readonly counts: Float64Array;

  constructor(opts: HistogramOptions = {}) {
    const lowest = opts.lowest ?? 1e-7;
    const highest = opts.highest ?? 1e4;
    const precision = opts.precision ?? 0.01;
    if (!(lowest > 0 && Number.isFinite(lowest))) {
      throw new RangeError(`Histogram: lowest must be a finite number > 0, got ${lowest}`);
    }
    if (!(highest > lowest && Number.isFinite(highest))) {
      throw new RangeError(`Histogram: highest must be finite and > lowest (${lowest}), got ${highest}`);
    }
    if (!(precision >= 1e-5 && precision < 0.5)) {
      throw new RangeError(`Histogram: precision must be in [1e-5, 0.5), got ${precision}`);
    }
    this.lowest = lowest;
    this.highest = highest;
    this.precision = precision;
    this.k = Math.max(1, Math.ceil(-Math.log2(precision)) - 1);
    this.shift = 20 - this.k;
    this.mask = (1 << this.k) - 1;
    this.e0 = biasedExponent(lowest);
    const octaves = biasedExponent(highest) - this.e0 + 1;
    this.counts = new Float64Array(octaves << this.k);
  }

  get mean(): number {
    return this.count > 0 ? this.sum / this.count : Number.NaN;
  }

  /** Number of buckets (fixed by the options). */
  get buckets(): number {
    return this.counts.length;
  }

  record(x: number): void {
    this.recordN(x, 1);
  }

  recordN(x: number, n: number): void {
    if (!(n > 0) || Number.isNaN(x)) return;
    this.counts[this.index(x)]! += n;
    this.count += n;
    this.sum += x * n;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /**
   * The sample quantile by the same definition as d3-array's quantile (R-7, linear interpolation between
   * order statistics (n-1)q), with each order statistic replaced by its bucket's midpoint clamped to
   * [min, max]. Since both neighbours are within `precision` relative error, so is the interpolation.
   */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    if (!(q >= 0 && q <= 1)) throw new RangeError(`Histogram.quantile: q must be in [0, 1], got ${q}`);
    const h = (this.count - 1) * q;
    const lo = Math.floor(h);
    const a = this.orderStatistic(lo);
    return h === lo ? a : a + (h - lo) * (this.orderStatistic(lo + 1) - a);
  }

  merge(o: Histogram): void {
    if (o.lowest !== this.lowest || o.highest !== this.highest || o.precision !== this.precision) {
      throw new RangeError('Histogram.merge: histograms must have the same lowest, highest and precision');
    }
    const c = this.counts;
    o.counts.forEach((v, i) => {
      if (v > 0) c[i]! += v;
    });
    this.count += o.count;
    this.clamped += o.clamped;
    this.sum += o.sum;
    if (o.min < this.min) this.min = o.min;
    if (o.max > this.max) this.max = o.max;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = this.clamped = this.sum = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
  }

  /** Count in bucket i (for tests and exporters). */
  bucketCount(i: number): number {
    return this.counts[i] ?? 0;
  }

  /** Width of the bucket that holds x: the resolution of any quantile reported near x. */
  bucketWidth(x: number): number {
    const [lo, hi] = this.bucketBounds(this.index(Math.min(this.highest, Math.max(this.lowest, x))));
    return hi - lo;
  }

  /** [lower, upper) edges of bucket i. */
  bucketBounds(i: number): [number, number] {
    const e = this.e0 + (i >>> this.k) - 1023;
    const sub = i & this.mask;
    const unit = 2 ** (e - this.k);
    const base = 2 ** e;
    return [base + sub * unit, base + (sub + 1) * unit];
  }

  /**
   * Points of the empirical CDF: by default one [upper edge (at most max), fraction <= it] per non-empty
   * bucket; with `points`, [quantile(f), f] at `points` evenly spaced fractions f from 0 to 1.
   */
  cdf(points?: number): Array<[value: number, cumulativeFraction: number]> {
    const out: Array<[number, number]> = [];
    if (this.count === 0) return out;
    if (points !== undefined) {
      const m = Math.max(2, Math.floor(points));
      for (let i = 0; i < m; i++) out.push([this.quantile(i / (m - 1)), i / (m - 1)]);
      return out;
    }
    let cum = 0;
    this.counts.forEach((v, i) => {
      if (v === 0) return;
      cum += v;
      out.push([Math.min(this.max, this.bucketBounds(i)[1]), cum / this.count]);
    });
    return out;
  }

  toJSON(): HistogramJSON {
    const counts: [number, number][] = [];
    this.counts.forEach((v, i) => {
      if (v > 0) counts.push([i, v]);
    });
    const { lowest, highest, precision, count, sum, min, max, clamped } = this;
    return { lowest, highest, precision, count, sum, min, max, clamped, counts };
  }

  static fromJSON(j: HistogramJSON): Histogram {
    const h = new Histogram({ lowest: j.lowest, highest: j.highest, precision: j.precision });
    for (const [i, v] of j.counts) {
      if (!(Number.isInteger(i) && i >= 0 && i < h.counts.length)) {
        throw new RangeError(`Histogram.fromJSON: bucket index ${i} outside [0, ${h.counts.length})`);
      }
      h.counts[i] = v;
    }
    h.count = j.count;
    h.sum = j.sum;
    h.min = j.min ?? Number.POSITIVE_INFINITY;
    h.max = j.max ?? Number.NEGATIVE_INFINITY;
    h.clamped = j.clamped ?? 0;
    return h;
  }

  private index(x: number): number {
    if (x < this.lowest) {
      this.clamped++;
      return 0;
    }
    if (x > this.highest) {
      this.clamped++;
      return this.index(this.highest);
    }
    f64[0] = x;
    const hi = u32[HI]!;
    return ((((hi >>> 20) & 0x7ff) - this.e0) << this.k) | ((hi >>> this.shift) & this.mask);
  }

  /** The r-th smallest value (0-based): exact at the ends, else its bucket's midpoint clamped to [min, max]. */
  private orderStatistic(r: number): number {
    // the extremes are known exactly
    if (r <= 0) return this.min;
    if (r >= this.count - 1) return this.max;
    const c = this.counts;
    let cum = 0;
    for (let i = 0; i < c.length; i++) {
      cum += c[i]!;
      if (cum > r) {
        const [lo, hi] = this.bucketBounds(i);
        return Math.min(this.max, Math.max(this.min, (lo + hi) / 2));
      }
    }
    return this.max;
  }
}
