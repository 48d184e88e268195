// How long a thread keeps a core once it has one: the scheduler's time slice. Linux's fair class lets a
// running task use its slice before a peer that became runnable may take the core: kernel/sched/fair.c
// (v6.6 to v6.12) `sysctl_sched_base_slice = 700000ULL` ("0.70 msec * (1 + ilog(ncpus))", scaled by
// update_sysctl() under the default SCHED_TUNABLESCALING_LOG with factor 1 + ilog2(min(online CPUs, 8)));
// before v6.6 the same figure was sysctl_sched_min_granularity, 0.75 ms x the same factor. A node's
// online CPUs are its vCPUs (capacity, not allocatable).
// ASSUMPTION: a job shorter than the slice that finds a free core runs to its end unpreempted (wake-up
// preemption by a task with an earlier deadline is ignored); `simulation.cpuSlice` overrides the slice,
// and 0 makes every job share the cores as a fluid (processor sharing).
import type { Placement } from '../../cluster/index.ts';
import type { Scenario } from '../../scenario/index.ts';

/** kernel/sched/fair.c normalized_sysctl_sched_base_slice (v6.6+), seconds. */
export const BASE_SLICE = 0.7e-3;

/** Time slice of a node with `vcpus` online CPUs, seconds. */
export function kernelSlice(vcpus: number): number {
  return BASE_SLICE * (1 + Math.floor(Math.log2(Math.min(Math.max(1, Math.floor(vcpus)), 8))));
}

export function nodeSlices(s: Scenario, placement: Placement): Float64Array {
  const o = s.simulation.cpuSlice;
  return Float64Array.from(placement.nodes, (node) => o ?? kernelSlice(node.capacity.cpu));
}
