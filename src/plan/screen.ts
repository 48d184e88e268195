// Screening runs: a short simulation of a chain's own scenario, one replication, that tells the search
// where to put its first full simulation. A screen only aims: no verdict, no row figure and no interval
// is ever taken from it, so its length trades speed against how often the first full run lands on the
// answer, never the answer itself (README, "Why the count is right").
import type { Scenario } from '../scenario/index.ts';
import type { Usage } from './sample.ts';

/**
 * Seconds a screen runs, warm-up included (a simulation's `duration` includes its `warmup`). Usage
 * counts the work that reached each component, served or not (sample.ts), so it needs no queue to have
 * settled; 2 s lets connection pools open, and 6 s are measured.
 */
export const SCREEN_DURATION = 8;
export const SCREEN_WARMUP = 2;
/**
 * Screen only where a screen costs at most this fraction of a full simulation: a screen that costs
 * nearly as much as the full run it aims saves nothing.
 */
export const SCREEN_MAX_WEIGHT = 0.25;
/**
 * How many standard errors a screen's usage may stray from the guess before the guess is taken to be
 * wrong. The guess is a full simulation of another chain, scaled: measured over far more requests, so
 * where the two agree within the screen's own noise, the guess is the better aim.
 */
const SCREEN_Z = 3;

/** `s` shortened to one replication of SCREEN_DURATION seconds (SCREEN_WARMUP of them warm-up). */
export function screenScenario(s: Scenario): Scenario {
  const { precision: _, warmupAuto: __, ...simulation } = s.simulation;
  const duration = Math.min(s.simulation.duration, SCREEN_DURATION);
  return {
    ...s,
    simulation: {
      ...simulation,
      duration,
      warmup: Math.min(s.simulation.warmup, SCREEN_WARMUP, duration / 2),
      replications: 1,
    },
  };
}

/** A screen's cost as a fraction of a full simulation's (simulated seconds x replications). */
export function screenWeight(s: Scenario): number {
  const full = s.simulation.duration * s.simulation.replications;
  return full > 0 ? screenScenario(s).simulation.duration / full : 1;
}

/** Whether chains of `s` screen before their first full simulation. */
export function screens(s: Scenario): boolean {
  return screenWeight(s) <= SCREEN_MAX_WEIGHT;
}

/**
 * The relative difference between a screen's usage and a guess beyond which the guess is wrong.
 * Most of a screen's noise is in how many requests arrived in its window (Poisson: relative standard
 * error 1 / sqrt(requests)); what each one costs averages over several calls each.
 */
export function screenTolerance(s: Scenario): number {
  const t = screenScenario(s).simulation;
  const requests = s.traffic.reduce((a, e) => a + e.rate, 0) * (t.duration - t.warmup);
  return requests > 0 ? SCREEN_Z / Math.sqrt(requests) : Number.POSITIVE_INFINITY;
}

/** Sum over components of |a - b|, relative to b's total: how far usage `a` is from `b`. */
export function usageDistance(a: Usage, b: Usage): number {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Usage>;
  let diff = 0;
  let total = 0;
  for (const k of keys) {
    diff += Math.abs((a[k] ?? 0) - (b[k] ?? 0));
    total += b[k] ?? 0;
  }
  return total > 0 ? diff / total : diff > 0 ? Number.POSITIVE_INFINITY : 0;
}
