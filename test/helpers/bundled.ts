// The bundled scenarios, shortened for tests: the overrides live here, next to the tests that use them.
import { fileURLToPath } from 'node:url';
import { loadScenario, type Scenario } from '../../src/scenario/index.ts';

export const BUNDLED = ['quickstart', 'billing', 'three-tier', 'bookinfo'] as const;
export type BundledName = (typeof BUNDLED)[number];

export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export interface Shorten {
  duration?: number;
  warmup?: number;
  replications?: number;
  seed?: number;
}

/** A bundled scenario with its simulation settings replaced (seconds); the file is not touched. */
export function loadBundled(name: string, o: Shorten = {}): Scenario {
  const s = structuredClone(loadScenario(`${SCENARIOS_DIR}${name}.yaml`));
  if (o.duration !== undefined) s.simulation.duration = o.duration;
  if (o.warmup !== undefined) s.simulation.warmup = o.warmup;
  // A fixed count replaces the file's precision rule too (three-tier replicates by precision in `run`).
  if (o.replications !== undefined) {
    s.simulation.replications = o.replications;
    s.simulation.precision = undefined;
  }
  if (o.seed !== undefined) s.simulation.seed = o.seed;
  return s;
}
