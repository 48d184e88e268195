// Estimates over replications: a mean with its Student-t 95 % confidence interval, intervals that stay
// non-negative for counts and rates, and latency summaries (quantiles estimated per replication, the
// distribution merged over all of them).
import { confidenceInterval, countInterval, Histogram, nonNegativeInterval } from '../../../sim/index.ts';
import { LATENCY_RANGE } from '../replication/kinds.ts';
import type { Estimate, LatencySummary } from './results.ts';

const CDF_POINTS = 101;

/** No value at all (no replication measured one): NaN in memory, null in the results JSON. */
export const NO_ESTIMATE: Estimate = { mean: Number.NaN, half: Number.NaN, lo: Number.NaN, hi: Number.NaN };

export function estimate(samples: number[]): Estimate {
  if (samples.length === 1) {
    const v = samples[0]!;
    return { mean: v, half: 0, lo: v, hi: v };
  }
  const ci = confidenceInterval(samples);
  return { mean: ci.mean, half: ci.half, lo: ci.lo, hi: ci.hi };
}

/** A count per replication (requests failed, resets): an interval that cannot go below zero. */
export function countEstimate(samples: number[]): Estimate {
  const c = countInterval(samples);
  return { mean: c.mean, half: c.half, lo: c.lo, hi: c.hi };
}

/** A non-negative rate per replication (bytes per second): the t interval clipped at zero. */
export function rateEstimate(samples: number[]): Estimate {
  if (samples.length === 1) return estimate(samples);
  const c = nonNegativeInterval(samples);
  return { mean: c.mean, half: c.half, lo: c.lo, hi: c.hi };
}

/**
 * The half-width a quantile estimate can resolve: the histogram bucket holding it. Replications that
 * all land in one bucket agree exactly on paper, but the truth is anywhere in that bucket.
 */
export function bucketFloor(value: number): number {
  return Number.isFinite(value) && value > 0 ? FLOOR_HIST.bucketWidth(value) / 2 : 0;
}
const FLOOR_HIST = new Histogram(LATENCY_RANGE);

/**
 * Quantile q of each replication with completions; NO_ESTIMATE when none completed anything (an entry
 * point that answered nothing has no latency, not 0 ms). The half-width is at least half the bucket
 * width at the estimate.
 */
function quantileEstimate(hists: Histogram[], value: (h: Histogram) => number, bucketed = true): Estimate {
  const xs = hists.filter((h) => h.count > 0).map(value);
  if (xs.length === 0) return NO_ESTIMATE;
  const e = estimate(xs);
  const floor = bucketed ? bucketFloor(e.mean) : 0;
  if (e.half >= floor) return e;
  return { mean: e.mean, half: floor, lo: e.mean - floor, hi: e.mean + floor };
}

/** Latency of one histogram per replication; `withCdf` adds the merged distribution. */
export function latency(hists: Histogram[], withCdf = true): LatencySummary {
  const q = (p: number) => quantileEstimate(hists, (h) => h.quantile(p));
  const merged = new Histogram(LATENCY_RANGE);
  for (const h of hists) merged.merge(h);
  return {
    // The mean is summed exactly, not read off buckets.
    mean: quantileEstimate(hists, (h) => h.mean, false),
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    p999: q(0.999),
    cdf: withCdf && merged.count > 0 ? merged.cdf(CDF_POINTS) : [],
  };
}

export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
