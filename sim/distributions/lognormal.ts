import type { Rng } from '../random.ts';
import { check, checkP, type Distribution, fmt } from './distribution.ts';
import { standardNormalSample } from './normal.ts';
import { normalQuantile, Z99 } from './normal-quantile.ts';

class Lognormal implements Distribution {
  readonly kind = 'lognormal';
  readonly mean: number;
  constructor(
    readonly mu: number,
    readonly sigma: number,
  ) {
    this.mean = Math.exp(mu + (sigma * sigma) / 2);
  }
  sample(rng: Rng): number {
    return lognormalSample(this.mu, this.sigma, rng);
  }
  quantile(p: number): number {
    checkP(p);
    return this.sigma === 0 ? Math.exp(this.mu) : Math.exp(this.mu + this.sigma * normalQuantile(p));
  }
  describe(): string {
    const median = Math.exp(this.mu);
    return (
      `lognormal(mu=${fmt(this.mu)}, sigma=${fmt(this.sigma)}; ` +
      `median=${fmt(median)}, mean=${fmt(this.mean)}, p99=${fmt(this.quantile(0.99))})`
    );
  }
}

/** One draw of the lognormal (mu, sigma) from `rng`: what Lognormal.sample returns. */
export function lognormalSample(mu: number, sigma: number, rng: Rng): number {
  return Math.exp(mu + sigma * standardNormalSample(rng));
}

/**
 * (mu, sigma) when `d` is a lognormal, else null: a model drawing millions of samples from thousands of
 * distributions keeps these in a typed array and draws with lognormalSample, the same number as
 * d.sample(rng), without reaching d's object first.
 */
export function lognormalParams(d: Distribution): { mu: number; sigma: number } | null {
  return d instanceof Lognormal ? { mu: d.mu, sigma: d.sigma } : null;
}

/** Lognormal: exp(mu + sigma * Z) with Z standard normal. */
export function lognormal(mu: number, sigma: number): Distribution {
  check(Number.isFinite(mu), 'lognormal', 'mu', mu, 'a finite number');
  check(Number.isFinite(sigma) && sigma >= 0, 'lognormal', 'sigma', sigma, 'a finite number >= 0');
  return new Lognormal(mu, sigma);
}

/**
 * The lognormal with this mean and 99th percentile. With d = ln(p99 / mean), sigma solves
 * sigma^2 / 2 - z99 * sigma + d = 0; of the two roots the smaller (less skewed) one is taken. There is no
 * root when d > z99^2 / 2, i.e. p99 > mean * e^2.706 (about 14.97 x mean).
 */
export function lognormalFromMeanP99(mean: number, p99: number): Distribution {
  const fn = 'lognormalFromMeanP99';
  check(Number.isFinite(mean) && mean > 0, fn, 'mean', mean, 'a finite number > 0');
  check(Number.isFinite(p99) && p99 > mean, fn, 'p99', p99, `a finite number > mean (${mean})`);
  const d = Math.log(p99 / mean);
  const disc = Z99 * Z99 - 2 * d;
  const limit = mean * Math.exp((Z99 * Z99) / 2);
  check(
    disc >= 0,
    fn,
    'p99',
    p99,
    `<= ${fmt(limit)} (about 14.97 x mean): no lognormal has this mean and p99`,
  );
  const sigma = Z99 - Math.sqrt(disc);
  return new Lognormal(Math.log(mean) - (sigma * sigma) / 2, sigma);
}

/** The lognormal with this median and 99th percentile: mu = ln(median), sigma = ln(p99/median) / z99. */
export function lognormalFromMedianP99(median: number, p99: number): Distribution {
  const fn = 'lognormalFromMedianP99';
  check(Number.isFinite(median) && median > 0, fn, 'median', median, 'a finite number > 0');
  check(Number.isFinite(p99) && p99 > median, fn, 'p99', p99, `a finite number > median (${median})`);
  return new Lognormal(Math.log(median), Math.log(p99 / median) / Z99);
}
