import { deriveSeed } from '../random.ts';

/** Runs n independent replications; replication i gets the seed deriveSeed(masterSeed, 'replication', i). */
export function replicate<T>(
  masterSeed: number | string,
  n: number,
  run: (seed: string, index: number) => T,
): T[] {
  if (!(Number.isInteger(n) && n >= 1))
    throw new RangeError(`replicate: n must be an integer >= 1, got ${n}`);
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(run(deriveSeed(masterSeed, 'replication', i), i));
  return out;
}
