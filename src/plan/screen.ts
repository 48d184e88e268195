// Screening runs: a short simulation of a chain's own scenario, one replication, that tells the search
// where to put its first full simulation. A screen only aims: no verdict, no row figure and no interval
// is ever taken from it, so its length trades speed against how often the first full run lands on the
// answer, never the answer itself (README, "Why the count is right").
import type { Scenario } from '../scenario/index.ts';

/**
 * Seconds measured by a screen. Usage is a mean CPU rate over thousands of requests a second: over 5 s
 * its error is a fraction of a percent, well inside the step between two node counts' planned CPU.
 */
export const SCREEN_DURATION = 5;
/**
 * Seconds of warm-up before a screen measures. Usage counts the work that reached each component, served
 * or not (sample.ts), so it needs no queue to have settled; 2 s lets connection pools open.
 */
export const SCREEN_WARMUP = 2;

/**
 * Screen only where a screen costs at most this fraction of a full simulation: a screen that costs
 * nearly as much as the full run it aims saves nothing.
 */
export const SCREEN_MAX_WEIGHT = 0.25;

/** `s` shortened to one replication of at most SCREEN_WARMUP + SCREEN_DURATION seconds. */
export function screenScenario(s: Scenario): Scenario {
  const { precision: _, warmupAuto: __, ...simulation } = s.simulation;
  return {
    ...s,
    simulation: {
      ...simulation,
      duration: Math.min(s.simulation.duration, SCREEN_DURATION),
      warmup: Math.min(s.simulation.warmup, SCREEN_WARMUP),
      replications: 1,
    },
  };
}

/** A screen's cost as a fraction of a full simulation's (simulated seconds x replications). */
export function screenWeight(s: Scenario): number {
  const full = (s.simulation.warmup + s.simulation.duration) * s.simulation.replications;
  const t = screenScenario(s).simulation;
  return full > 0 ? (t.warmup + t.duration) / full : 1;
}

/** Whether chains of `s` screen before their first full simulation. */
export function screens(s: Scenario): boolean {
  return screenWeight(s) <= SCREEN_MAX_WEIGHT;
}
