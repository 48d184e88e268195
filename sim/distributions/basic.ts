import type { Rng } from '../random.ts';
import { check, checkP, type Distribution, fmt } from './distribution.ts';

const finite = Number.isFinite;

export function constant(value: number): Distribution {
  check(finite(value), 'constant', 'value', value, 'a finite number');
  return {
    kind: 'constant',
    mean: value,
    sample: () => value,
    quantile: (p) => {
      checkP(p);
      return value;
    },
    describe: () => `constant(${fmt(value)})`,
  };
}

export function uniform(min: number, max: number): Distribution {
  check(finite(min), 'uniform', 'min', min, 'a finite number');
  check(finite(max) && max >= min, 'uniform', 'max', max, `a finite number >= min (${min})`);
  const width = max - min;
  return {
    kind: 'uniform',
    mean: min + width / 2,
    sample: (rng: Rng) => min + width * rng.next(),
    quantile: (p) => min + width * checkP(p),
    describe: () => `uniform(min=${fmt(min)}, max=${fmt(max)})`,
  };
}

class Exponential implements Distribution {
  readonly kind = 'exponential';
  constructor(readonly mean: number) {}
  sample(rng: Rng): number {
    // 1 - u is in (0, 1], so the log is finite.
    return -this.mean * Math.log(1 - rng.next());
  }
  quantile(p: number): number {
    checkP(p);
    return -this.mean * Math.log1p(-p);
  }
  describe(): string {
    return `exponential(mean=${fmt(this.mean)})`;
  }
}

export function exponential(mean: number): Distribution {
  check(finite(mean) && mean > 0, 'exponential', 'mean', mean, 'a finite number > 0');
  return new Exponential(mean);
}
