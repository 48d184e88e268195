// The worker-thread side of the plan: run one simulation. Loaded through worker.mjs.
import type { ArchResult } from '../simulate/index.ts';
import { simulateArchitecture } from '../simulate/index.ts';
import type { Job } from './job.ts';

export default function simulateJob(job: Job): ArchResult {
  return simulateArchitecture(job.scenario, job.arch);
}
