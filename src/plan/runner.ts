// Where simulations run: inline on this thread (one worker) or on a tinypool of worker threads. Either
// way a job's result is a pure function of the job, so the plan is the same for any worker count.
import { Tinypool } from 'tinypool';
import type { Job } from './job.ts';
import simulateJob, { type Simulated } from './worker.ts';

export interface Runner {
  /** Rejects, without running the job, once `signal` is aborted. */
  run(job: Job, signal?: AbortSignal): Promise<Simulated>;
  close(): Promise<void>;
}

/** One worker: run on this thread, yielding between jobs so signals and the progress bar get a turn. */
export function inlineRunner(): Runner {
  return {
    async run(job, signal) {
      await new Promise((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
      return simulateJob(job);
    },
    async close() {},
  };
}

export function poolRunner(workers: number): Runner {
  const pool = new Tinypool({
    filename: new URL('./worker.mjs', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
  });
  return {
    // An abort drops queued jobs and stops running ones: Ctrl-C should not wait for a long simulation,
    // and every finished one is already checkpointed.
    run: (job, signal) => pool.run(job, signal ? { signal } : {}) as Promise<Simulated>,
    close: () => pool.destroy(),
  };
}

export function runner(workers: number): Runner {
  return workers <= 1 ? inlineRunner() : poolRunner(workers);
}
