// Whether an estimated run fits this machine, and if not, which knob would make it fit. A refusal is the
// user's to override (`--force`): the estimate is coarse, and the user may know better.
import { count, duration, size } from './describe.ts';
import type { RunEstimate } from './estimate.ts';

export interface Machine {
  /** Bytes of memory the run may use. */
  memory: number;
  cores: number;
}

/** ASSUMPTION: a run nobody would wait for; `--force` runs it anyway. */
export const MAX_WALL_SECONDS = 24 * 3600;
/** ASSUMPTION: results larger than this are not what anyone wants in one JSON file. */
export const MAX_OUTPUT_BYTES = 2 ** 30;
/** Share of the machine's memory a run may plan to use (the rest is the OS, page cache, a browser). */
export const MEMORY_SHARE = 0.75;

/** One line per limit the estimate exceeds, each naming the knob that would fix it; empty when it fits. */
export function overBudget(e: RunEstimate, m: Machine): string[] {
  const out: string[] = [];
  const what = `${e.simulations} simulation${e.simulations === 1 ? '' : 's'} of ${count(e.pods)} pods on ${count(e.nodes)} nodes`;
  const memoryLimit = m.memory * MEMORY_SHARE;
  if (e.memory > memoryLimit)
    out.push(
      `this run would need about ${size(e.memory)} of memory (${what}), more than the ${size(memoryLimit)} this machine allows; ` +
        'use fewer replicas or nodes, a larger simulation.timeStep or a shorter --duration (the per-step series), fewer --replications (or a lower simulation.precision.maxReplications) or architectures (--arch)',
    );
  if (e.wallSeconds > MAX_WALL_SECONDS)
    out.push(
      `this run would take about ${duration(e.wallSeconds)} (${count(e.events)} events for ${count(e.entryRequests)} entry requests over ${what}); ` +
        'use a shorter --duration, a lower traffic rate, fewer --replications (or a lower simulation.precision.maxReplications) or architectures (--arch)',
    );
  if (e.outputBytes > MAX_OUTPUT_BYTES)
    out.push(
      `its results would take about ${size(e.outputBytes)}; use a larger simulation.timeStep or a shorter --duration`,
    );
  return out;
}
