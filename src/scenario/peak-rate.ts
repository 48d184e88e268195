// An entry point's highest offered rate: a ramp's larger end (its `rate` is its start,
// normalise/traffic.ts), else its rate. What sizes a run (budget, inlining) and a service's load (check).
import type { EntryPoint } from './types.ts';

export function peakRate(e: EntryPoint): number {
  return e.arrival.kind === 'ramp' ? Math.max(e.arrival.from, e.arrival.to) : e.rate;
}
