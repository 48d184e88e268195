// t_{0.975, df} for df = 1..30 (scipy.stats.t.ppf); beyond, a Cornish-Fisher expansion (error < 1e-7).
const T975 = [
  12.706204736174694, 4.302652729749462, 3.1824463052837078, 2.7764451051977934, 2.5705818356363146,
  2.4469118511449786, 2.364624251592784, 2.306004135204166, 2.262157162798205, 2.228138851986274,
  2.200985160091639, 2.1788128296672284, 2.1603686564627913, 2.144786687917804, 2.131449545559776,
  2.1199052992212546, 2.1098155778333156, 2.1009220402410382, 2.0930240544083087, 2.085963447265864,
  2.0796138447276795, 2.0738730679040254, 2.0686576104190486, 2.0638985616280245, 2.0595385527532972,
  2.0555294386428735, 2.0518305164802846, 2.0484071417952454, 2.045229642132703, 2.0422724563012378,
];
const Z975 = 1.959963984540054;

/**
 * Two-sided 95 % critical value of Student's t for a sample of n values: t_{0.975, n-1}, so that
 * mean +- t * sd / sqrt(n) is a 95 % confidence interval. n must be an integer >= 2.
 */
export function studentT95(n: number): number {
  if (!(Number.isInteger(n) && n >= 2))
    throw new RangeError(`studentT95: n must be an integer >= 2, got ${n}`);
  const df = n - 1;
  if (df <= T975.length) return T975[df - 1]!;
  const z = Z975;
  const z2 = z * z;
  const g1 = (z2 * z + z) / 4;
  const g2 = ((5 * z2 + 16) * z2 * z + 3 * z) / 96;
  const g3 = (((3 * z2 + 19) * z2 + 17) * z2 * z - 15 * z) / 384;
  const g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 * z - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

export interface ConfidenceInterval {
  mean: number;
  /** Half-width; 0 when n = 1 (no spread can be estimated: read it as "unknown", not "exact"). */
  half: number;
  lo: number;
  hi: number;
  n: number;
}

/** Student-t 95 % confidence interval of the mean of independent samples (e.g. one per replication). */
export function confidenceInterval(samples: ReadonlyArray<number>): ConfidenceInterval {
  const n = samples.length;
  if (n === 0) throw new RangeError('confidenceInterval: samples must not be empty');
  let mean = 0;
  for (let i = 0; i < n; i++) mean += (samples[i]! - mean) / (i + 1);
  let ss = 0;
  for (const x of samples) ss += (x - mean) * (x - mean);
  const half = n > 1 ? (studentT95(n) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n) : 0;
  return { mean, half, lo: mean - half, hi: mean + half, n };
}
