// The worker-thread side of the plan: run one simulation. Loaded through worker.mjs.
import { place } from '../cluster/index.ts';
import type { ArchResult, RepMeasure } from '../simulate/index.ts';
import { aggregate, buildWorld, runReplication, simulateArchitecture } from '../simulate/index.ts';
import { decided, MIN_REPLICATIONS } from './early-stop.ts';
import type { Job } from './job.ts';

export interface Simulated {
  result: ArchResult;
  /** Replications run: fewer than the scenario's when stopped early. */
  replications: number;
}

/**
 * All the scenario's replications, or, with a stop rule, replications one at a time until the verdict
 * is decided (at least two). Replication r is the same whichever way it runs (runReplication), so a
 * stopped run is the first k replications of the full one.
 */
export default function simulateJob(job: Job): Simulated {
  const s = job.scenario;
  const all = s.simulation.replications;
  if (!job.stop || all <= MIN_REPLICATIONS)
    return { result: simulateArchitecture(s, job.arch), replications: all };
  const world = buildWorld(s, place(s, job.arch));
  const reps: RepMeasure[] = [];
  for (let r = 0; r < all; r++) {
    reps.push(runReplication(s, job.arch, r));
    if (reps.length >= MIN_REPLICATIONS && reps.length < all) {
      const a = aggregate(world, reps);
      if (decided(s, a, job.stop)) return { result: a, replications: reps.length };
    }
  }
  return { result: aggregate(world, reps), replications: all };
}
