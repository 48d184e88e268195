// Paired comparison of two systems run under common random numbers: replication i of both saw the same
// random streams, so the differences d_i = b_i - a_i are independent across i and their Student-t
// interval is the interval of the difference (Law, Simulation Modeling and Analysis, 5th ed., 10.2.1:
// the paired-t confidence interval). Pairing removes the noise both systems share.
import { studentT95 } from './student-t.ts';

export interface PairedDifference {
  /** Mean of b_i - a_i. */
  mean: number;
  /** 95 % half-width, at least `floor`; null with one pair (no spread can be estimated). */
  half: number | null;
  ci: [number, number] | null;
  /** The interval excludes zero. */
  significant: boolean;
  n: number;
}

/**
 * Paired-t 95 % interval of mean(b - a). `floor` is the smallest half-width the measurement can resolve
 * (e.g. a histogram's bucket width): differences inside it are not told apart, whatever the t statistic.
 */
export function pairedDifference(
  a: ReadonlyArray<number>,
  b: ReadonlyArray<number>,
  floor = 0,
): PairedDifference {
  const n = a.length;
  if (n === 0 || b.length !== n)
    throw new RangeError(
      `pairedDifference: need two samples of equal non-zero length, got ${n} and ${b.length}`,
    );
  let mean = 0;
  for (let i = 0; i < n; i++) mean += (b[i]! - a[i]! - mean) / (i + 1);
  if (n === 1) return { mean, half: null, ci: null, significant: false, n };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (b[i]! - a[i]! - mean) ** 2;
  const half = Math.max(floor, (studentT95(n) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n));
  const ci: [number, number] = [mean - half, mean + half];
  return { mean, half, ci, significant: ci[0] > 0 || ci[1] < 0, n };
}
