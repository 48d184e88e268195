// The placement each architecture's results were simulated on, carried beside the result object (cost
// allocates node prices to the pods on each node, so it needs the placement, not just the per-node
// summary). Kept out of the result's JSON: a results file stays what it was, and a placement of tens of
// thousands of pods does not bloat it. A result that crossed a thread or a file has none.
import type { Placement } from '../cluster/index.ts';
import type { ArchResult } from './summarise/results.ts';

const placements = new WeakMap<ArchResult, Placement>();

export function carryPlacement(a: ArchResult, p: Placement): ArchResult {
  placements.set(a, p);
  return a;
}

/** The placement `a` was simulated on, when it was simulated in this thread. */
export function placementOf(a: ArchResult): Placement | undefined {
  return placements.get(a);
}
