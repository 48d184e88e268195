// Inter-arrival times of an entry point's requests.
import type { Rng } from '../../sim/index.ts';
import type { EntryPoint } from '../scenario/index.ts';

/**
 * Returns the gap to the next arrival after time `t`. A ramp changes the rate linearly over the run;
 * its Poisson gaps use the rate at `t` (exact enough when the rate changes little within one gap).
 */
export function interarrival(entry: EntryPoint, duration: number): (t: number, rng: Rng) => number {
  const a = entry.arrival;
  if (a.kind === 'constant') {
    // The next multiple of the period after t: summing gaps would drift by float error and could add
    // an arrival at the end of the run.
    const rate = entry.rate;
    return (t) => (Math.floor(t * rate + 1e-9) + 1) / rate - t;
  }
  if (a.kind === 'poisson') {
    const rate = entry.rate;
    return (_t, rng) => -Math.log(1 - rng.next()) / rate;
  }
  const { from, to } = a;
  return (t, rng) => {
    const rate = Math.max(1e-9, from + ((to - from) * Math.min(t, duration)) / duration);
    return -Math.log(1 - rng.next()) / rate;
  };
}
