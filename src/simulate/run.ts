// The simulate stage: for each architecture, place the cluster, build the world, run every replication
// on the kernel and summarise. Pure: the same scenario and seed give the same results.
import { deriveSeed } from '../../sim/index.ts';
import { place } from '../cluster/index.ts';
import { type Architecture, type Scenario, scenarioHash } from '../scenario/index.ts';
import { MODEL_ASSUMPTIONS } from './assumptions.ts';
import { carryPlacement } from './placement-of.ts';
import { Replication } from './replication/replication.ts';
import { aggregate } from './summarise/aggregate.ts';
import { deltas } from './summarise/deltas.ts';
import { measure, type RepMeasure } from './summarise/measure.ts';
import { type ArchResult, RESULTS_SCHEMA, type Results } from './summarise/results.ts';
import { VERSION } from './version.ts';
import { buildWorld, type World } from './world/index.ts';

export interface RunOptions {
  /** Scenario file name recorded in the results. */
  file?: string;
  /** Called after each replication with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Replication r of a world. It uses the same seed under every architecture (common random numbers), so
 * differences between architectures are not sampling noise.
 */
function replicate(world: World, r: number): RepMeasure {
  const rep = new Replication(world, deriveSeed(world.scenario.simulation.seed, 'replication', r));
  rep.run();
  return measure(rep);
}

/** One replication of one architecture. */
export function runReplication(s: Scenario, arch: Architecture, r: number): RepMeasure {
  return replicate(buildWorld(s, place(s, arch)), r);
}

export function simulateArchitecture(s: Scenario, arch: Architecture, onRep?: () => void): ArchResult {
  const placement = place(s, arch);
  const world = buildWorld(s, placement);
  const reps: RepMeasure[] = [];
  for (let r = 0; r < s.simulation.replications; r++) {
    reps.push(replicate(world, r));
    onRep?.();
  }
  return carryPlacement(aggregate(world, reps), placement);
}

export function simulate(s: Scenario, opts: RunOptions = {}): Results {
  const total = s.compare.length * s.simulation.replications;
  let done = 0;
  const architectures = s.compare.map((arch) =>
    simulateArchitecture(s, arch, () => opts.onProgress?.(++done, total)),
  );
  return {
    schema: RESULTS_SCHEMA,
    meshsimVersion: VERSION,
    scenario: {
      name: s.metadata.name,
      description: s.metadata.description,
      file: opts.file ?? '',
      hash: scenarioHash(s),
      seed: s.simulation.seed,
      replications: s.simulation.replications,
      duration: s.simulation.duration,
      warmup: s.simulation.warmup,
    },
    assumptions: [...MODEL_ASSUMPTIONS],
    architectures,
    deltas: deltas(architectures),
  };
}
