// V8's inlining budget, widened once per process before the first replication long enough to gain by it.
//
// A call V8 does not inline passes and returns its numbers boxed: every double crossing it is a heap
// allocation. A replication's hot path is many short methods on its parts (request-path.ts calling
// hop-work.ts, proxies.ts, node-cpu.ts, the distributions...), and at V8's default budget (an inlinee of
// at most 460 bytes of bytecode, 920 in all per function: v8/src/flags/flag-definitions.h, V8 11.3 in
// Node 20, `node --v8-options`) many of them stay calls. Measured on large, sidecar, 3 simulated seconds
// (5,044,435 events), AMD EPYC 2 cores: 439 MB allocated during the replication at the default budget,
// 232 MB at 1,000 and 3,000 bytes (the sampling heap profiler with collected objects included); the
// replication's wall time 16.6 s against 17.5 s, means of 7 alternating runs each on a machine whose
// speed moved by 15 % between runs; the full 30 seconds, the two run at once, one per core: 158.1 s
// against 172.2 s. Results do not depend on it: inlining changes no arithmetic (the same goldens either
// way, and test/simulate/inlining.test.ts).
// It costs compile time: quickstart's sidecar replication (174,184 events) took 1.0 s against 0.6 s, so
// short runs (the tests, quickstart) keep V8's default, and only a replication of at least
// WIDEN_FROM_REQUESTS entry requests widens it (large: 3 M; ASSUMPTION: the break-even, about a
// 10-second replication, estimated from those two measurements, not measured itself).
// V8 flags are process-wide (worker threads share them), and the inliner reads these at each
// optimisation, so setting them before the first hot function is optimised takes effect (Node's docs
// warn that flags set after start may do nothing; these demonstrably do, by the allocation figures).
import { setFlagsFromString } from 'node:v8';
import { peakRate, type Scenario } from '../../scenario/index.ts';

/** The wider budget, as V8 flags (test/simulate/inlining.test.ts runs with them from the start). */
export const INLINING_FLAGS = [
  '--max-inlined-bytecode-size=1000',
  '--max-inlined-bytecode-size-cumulative=3000',
];
const WIDEN_FROM_REQUESTS = 500_000;
let widened = false;

/** Entry requests one replication of `s` offers at most (its duration counts the warm-up in). */
function entryRequests(s: Scenario): number {
  return s.traffic.reduce((n, e) => n + peakRate(e), 0) * s.simulation.duration;
}

/** Whether a replication of `s` is long enough to gain by the wider budget. */
export function widensInlining(s: Scenario): boolean {
  return entryRequests(s) >= WIDEN_FROM_REQUESTS;
}

/** Widens the budget (once per process) for a replication of `s` long enough to gain by it. */
export function widenInlining(s: Scenario): void {
  if (widened || !widensInlining(s)) return;
  widened = true;
  for (const flag of INLINING_FLAGS) setFlagsFromString(flag);
}
