// Progress within replications: a long one (huge's sidecar: minutes) reports the simulated time it has
// reached, so a progress bar moves before the first replication ends. On worker threads the times are
// written to memory shared with the main thread (rep-job.ts RepJob.progress), which reads them on a timer.
import type { RepJob } from './rep-job.ts';

/** How often the main thread reads the workers' simulated times, in milliseconds. */
export const PROGRESS_EVERY_MS = 500;

/** One simulated time per job, in memory a worker thread writes and this thread reads. */
export function sharedTimes(jobs: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * Math.max(1, jobs)));
}

/** The share of its duration a replication has simulated by time `t` (0 to 1). */
export function simulatedShare(t: number, duration: number): number {
  return duration > 0 ? Math.min(1, Math.max(0, t / duration)) : 0;
}

/**
 * Replications of a batch done: a finished job counts 1, a running one the share of its duration it has
 * simulated (at most 1), one not started 0.
 */
export function batchDone(jobs: readonly RepJob[], times: Float64Array, finished: Uint8Array): number {
  let done = 0;
  for (let i = 0; i < jobs.length; i++) {
    done += finished[i] === 1 ? 1 : simulatedShare(times[i]!, jobs[i]!.scenario.simulation.duration);
  }
  return done;
}
