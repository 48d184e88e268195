// Estimates over replications: a mean with its Student-t 95 % confidence interval, and latency
// summaries (quantiles estimated per replication, the distribution merged over all of them).
import { confidenceInterval, Histogram } from '../../../sim/index.ts';
import { LATENCY_RANGE } from '../replication/kinds.ts';
import type { Estimate, LatencySummary } from './results.ts';

const CDF_POINTS = 101;

export function estimate(samples: number[]): Estimate {
  if (samples.length === 1) {
    const v = samples[0]!;
    return { mean: v, half: 0, lo: v, hi: v };
  }
  const ci = confidenceInterval(samples);
  return { mean: ci.mean, half: ci.half, lo: ci.lo, hi: ci.hi };
}

/** Latency of one histogram per replication; `withCdf` adds the merged distribution. */
export function latency(hists: Histogram[], withCdf = true): LatencySummary {
  const q = (p: number) => estimate(hists.map((h) => (h.count > 0 ? h.quantile(p) : 0)));
  const merged = new Histogram(LATENCY_RANGE);
  for (const h of hists) merged.merge(h);
  return {
    mean: estimate(hists.map((h) => (h.count > 0 ? h.mean : 0))),
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    p999: q(0.999),
    cdf: withCdf && merged.count > 0 ? merged.cdf(CDF_POINTS) : [],
  };
}

export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
