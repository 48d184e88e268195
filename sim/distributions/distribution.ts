import type { Rng } from '../random.ts';

/** A probability distribution of non-random parameters; sampling draws from the Rng it is given. */
export interface Distribution {
  readonly kind: string;
  readonly mean: number;
  /** One draw; every distribution here uses exactly one uniform per sample (inverse-CDF). */
  sample(rng: Rng): number;
  /** Inverse CDF at p in [0, 1]. */
  quantile(p: number): number;
  describe(): string;
}

/** Throws a RangeError naming the distribution, parameter, value and what was expected. */
export function check(ok: boolean, fn: string, param: string, value: unknown, expected: string): void {
  if (!ok) throw new RangeError(`${fn}: ${param} must be ${expected}, got ${String(value)}`);
}

/** Validates a probability and returns it. */
export function checkP(p: number): number {
  check(p >= 0 && p <= 1, 'quantile', 'p', p, 'in [0, 1]');
  return p;
}

/** Compact number for describe(): 4 significant digits. */
export function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x);
}
