// The worker-thread side of `run --workers N`: one replication of one architecture. Loaded through
// replication-worker.mjs from the sources, or as its own bundle entry from dist/.
import type { RepJob } from './rep-job.ts';
import { runJob } from './rep-job.ts';
import type { RepMeasure } from './summarise/measure.ts';

export default function replicationJob(job: RepJob): RepMeasure {
  return runJob(job);
}
