import type { Rng } from '../random.ts';
import { check, checkP, type Distribution, fmt } from './distribution.ts';

/** Pareto with shape alpha truncated to [min, max]; heavy-tailed sizes and think times. */
export function boundedPareto(alpha: number, min: number, max: number): Distribution {
  const fn = 'boundedPareto';
  check(Number.isFinite(alpha) && alpha > 0, fn, 'alpha', alpha, 'a finite number > 0');
  check(Number.isFinite(min) && min > 0, fn, 'min', min, 'a finite number > 0');
  check(Number.isFinite(max) && max > min, fn, 'max', max, `a finite number > min (${min})`);
  const ratio = (min / max) ** alpha; // P(X > max) of the untruncated Pareto
  const mass = 1 - ratio;
  const mean =
    alpha === 1
      ? ((max * min) / (max - min)) * Math.log(max / min)
      : (min ** alpha / mass) * (alpha / (alpha - 1)) * (1 / min ** (alpha - 1) - 1 / max ** (alpha - 1));
  const inv = (p: number) => Math.min(max, min * (1 - p * mass) ** (-1 / alpha));
  return {
    kind: 'boundedPareto',
    mean,
    sample: (rng: Rng) => inv(rng.next()),
    quantile: (p) => inv(checkP(p)),
    describe: () => `boundedPareto(alpha=${fmt(alpha)}, min=${fmt(min)}, max=${fmt(max)}; mean=${fmt(mean)})`,
  };
}
