// Intervals for quantities that cannot be negative. A Student-t interval on a few replications of a
// count or a rate is symmetric and may reach below zero ("6.5 ± 28.9 failed requests"), which no
// replication could ever show.
import { confidenceInterval } from './student-t.ts';

const Z975 = 1.959963984540054;

export interface NonNegativeInterval {
  mean: number;
  lo: number;
  hi: number;
  /** hi - mean: the interval is not symmetric once clipped. */
  half: number;
  n: number;
}

/**
 * Exact (Garwood) 95 % interval of a Poisson mean given an observed total `x`, by Byar's approximation
 * to the chi-square quantiles (Rothman and Boice 1979; relative error below 1 % for x >= 1). x = 0 gives
 * [0, 3.689] (the exact upper limit is -ln(0.025) = 3.689).
 */
export function poissonInterval(x: number): [number, number] {
  if (!(x >= 0)) throw new RangeError(`poissonInterval: x must be >= 0, got ${x}`);
  const hi = (x + 1) * (1 - 1 / (9 * (x + 1)) + Z975 / (3 * Math.sqrt(x + 1))) ** 3;
  if (x === 0) return [0, -Math.log(0.025)];
  const lo = x * (1 - 1 / (9 * x) - Z975 / (3 * Math.sqrt(x))) ** 3;
  return [Math.max(0, lo), hi];
}

/**
 * 95 % interval of the mean of per-replication counts: the union of the Student-t interval over
 * replications (which sees over-dispersion between replications) and the Poisson interval of the total
 * divided by the replications (which keeps a width when every replication counted the same), with its
 * lower bound clipped at zero. Never negative.
 */
export function countInterval(samples: ReadonlyArray<number>): NonNegativeInterval {
  const t = confidenceInterval(samples);
  const n = samples.length;
  let total = 0;
  for (const x of samples) total += x;
  const [plo, phi] = poissonInterval(Math.max(0, total));
  const lo = Math.max(0, Math.min(n > 1 ? t.lo : t.mean, plo / n));
  const hi = Math.max(t.hi, phi / n);
  return { mean: t.mean, lo, hi, half: hi - t.mean, n };
}

/**
 * 95 % interval of the mean of a non-negative rate (bytes per second, cores): the Student-t interval
 * with its lower bound clipped at zero (the true mean of a non-negative quantity is >= 0, so clipping
 * keeps the coverage and removes only impossible values).
 */
export function nonNegativeInterval(samples: ReadonlyArray<number>): NonNegativeInterval {
  const t = confidenceInterval(samples);
  return { mean: t.mean, lo: Math.max(0, t.lo), hi: t.hi, half: t.half, n: t.n };
}
