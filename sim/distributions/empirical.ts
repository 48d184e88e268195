import type { Rng } from '../random.ts';
import { check, checkP, type Distribution, fmt } from './distribution.ts';

/**
 * A distribution given by percentiles, e.g. [[0, 1e-3], [50, 2e-3], [99, 9e-3], [100, 0.02]]: the inverse
 * CDF interpolates linearly between the points (so the density is uniform inside each band).
 * Percentiles must be in [0, 100], start at 0, end at 100, and increase; values must not decrease.
 */
export function empirical(table: ReadonlyArray<readonly [percentile: number, value: number]>): Distribution {
  const fn = 'empirical';
  check(Array.isArray(table) && table.length >= 2, fn, 'table', table?.length, 'an array of >= 2 points');
  const ps = new Float64Array(table.length);
  const vs = new Float64Array(table.length);
  table.forEach(([pct, v], i) => {
    check(Number.isFinite(pct) && pct >= 0 && pct <= 100, fn, `table[${i}] percentile`, pct, 'in [0, 100]');
    check(Number.isFinite(v), fn, `table[${i}] value`, v, 'a finite number');
    if (i > 0) {
      const [pp, pv] = table[i - 1]!;
      check(pct > pp, fn, `table[${i}] percentile`, pct, `greater than the previous one (${pp})`);
      check(v >= pv, fn, `table[${i}] value`, v, `>= the previous value (${pv})`);
    }
    ps[i] = pct / 100;
    vs[i] = v;
  });
  check(ps[0] === 0, fn, 'table[0] percentile', table[0]![0], '0');
  check(ps[ps.length - 1] === 1, fn, 'last percentile', table[table.length - 1]![0], '100');
  let mean = 0;
  for (let i = 1; i < ps.length; i++) mean += ((ps[i]! - ps[i - 1]!) * (vs[i]! + vs[i - 1]!)) / 2;

  const inv = (p: number): number => {
    let lo = 0;
    let hi = ps.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (ps[mid]! <= p) lo = mid;
      else hi = mid;
    }
    const p0 = ps[lo]!;
    const v0 = vs[lo]!;
    return v0 + ((p - p0) / (ps[hi]! - p0)) * (vs[hi]! - v0);
  };
  const points = table.map(([p, v]) => `p${fmt(p)}=${fmt(v)}`).join(', ');
  return {
    kind: 'empirical',
    mean,
    sample: (rng: Rng) => inv(rng.next()),
    quantile: (p) => inv(checkP(p)),
    describe: () => `empirical(${points}; mean=${fmt(mean)})`,
  };
}
