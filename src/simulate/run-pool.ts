// Replications on a tinypool of worker threads. Each job is a pure function of (scenario,
// architecture, replication index), and results are put back in job order, so the bytes do not depend
// on the number of workers or on which finishes first.
import { Tinypool } from 'tinypool';
import { reviveMeasure } from './rep-job.ts';
import type { BatchRunner } from './run.ts';
import type { RepMeasure } from './summarise/measure.ts';

export interface PoolRunner extends BatchRunner {
  close(): Promise<void>;
}

export function replicationPool(workers: number): PoolRunner {
  const pool = new Tinypool({
    filename: new URL('./replication-worker.mjs', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
  });
  return {
    workers,
    run: (jobs, onDone) =>
      Promise.all(
        jobs.map(async (job, i) => {
          const m = reviveMeasure((await pool.run(job)) as RepMeasure);
          onDone(i);
          return m;
        }),
      ),
    close: () => pool.destroy(),
  };
}
