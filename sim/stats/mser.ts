// MSER-5 truncation (White 1997; White, Cobb and Spratt 2000; Hoad, Robinson and Davies 2010 found it
// the most robust automatic warm-up rule among 42): batch the output series in means of 5, and truncate
// the d batches that minimise the squared standard error of the mean of what remains,
//   MSER(d) = sum_{j > d} (Y_j - mean_{>d})^2 / (m - d)^2,
// searching d over the first half only (a minimum in the second half means the series never settled).

export const MSER_BATCH = 5;

export interface MserResult {
  /** Observations to drop from the start (a multiple of the batch size). */
  truncate: number;
  /** False when the minimum fell at the edge of the searched half: the series may not have settled. */
  settled: boolean;
}

/** MSER-5 on a series of observations (NaN entries are skipped as missing batches' members). */
export function mser5(series: ReadonlyArray<number>, batch = MSER_BATCH): MserResult {
  const batches: number[] = [];
  for (let i = 0; i + batch <= series.length; i += batch) {
    let s = 0;
    let k = 0;
    for (let j = i; j < i + batch; j++)
      if (!Number.isNaN(series[j]!)) {
        s += series[j]!;
        k++;
      }
    batches.push(k > 0 ? s / k : Number.NaN);
  }
  const ys = batches.map((y, i) => (Number.isNaN(y) ? (batches[i - 1] ?? 0) : y));
  const m = ys.length;
  if (m < 2) return { truncate: 0, settled: true };
  // Suffix sums give every MSER(d) in one pass.
  let sum = 0;
  let sq = 0;
  const stats: number[] = new Array(m).fill(0);
  for (let d = m - 1; d >= 0; d--) {
    sum += ys[d]!;
    sq += ys[d]! * ys[d]!;
    const k = m - d;
    stats[d] = Math.max(0, sq - (sum * sum) / k) / (k * k);
  }
  const last = Math.floor(m / 2);
  let best = 0;
  for (let d = 1; d <= last; d++) if (stats[d]! < stats[best]! - 1e-15 * Math.abs(stats[best]!)) best = d;
  return { truncate: best * batch, settled: best < last };
}
