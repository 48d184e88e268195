import type { Rng } from '../random.ts';
import { check, checkP, type Distribution, fmt } from './distribution.ts';
import { normalQuantile } from './normal-quantile.ts';

/** Smallest uniform used by samplers: a draw of exactly 0 would map to -Infinity. */
export const U_MIN = 2 ** -53;

export function standardNormalSample(rng: Rng): number {
  const u = rng.next();
  return normalQuantile(u > 0 ? u : U_MIN);
}

/** Normal(mean, sd). Unbounded: samples may be negative; callers that need durations clamp. */
export function normal(mean: number, sd: number): Distribution {
  check(Number.isFinite(mean), 'normal', 'mean', mean, 'a finite number');
  check(Number.isFinite(sd) && sd >= 0, 'normal', 'sd', sd, 'a finite number >= 0');
  return {
    kind: 'normal',
    mean,
    sample: (rng) => mean + sd * standardNormalSample(rng),
    quantile: (p) => {
      checkP(p);
      return sd === 0 ? mean : mean + sd * normalQuantile(p);
    },
    describe: () => `normal(mean=${fmt(mean)}, sd=${fmt(sd)})`,
  };
}
