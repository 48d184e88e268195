// One simulation of the plan: a scenario (plain data, structured-clone safe: Infinity timeouts survive)
// and the architecture to run on it.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../scenario/hash.ts';
import type { Architecture, Scenario } from '../scenario/index.ts';
import { VERSION } from '../simulate/index.ts';

export interface Job {
  scenario: Scenario;
  arch: Architecture;
}

/** Bumped when what a checkpoint holds changes shape or meaning. */
const CHECKPOINT_FORMAT = 1;

/** Names a job by everything its result depends on, so a checkpoint is reused only for the same job. */
export function jobKey(job: Job): string {
  const text = canonicalJson({
    format: CHECKPOINT_FORMAT,
    meshsim: VERSION,
    arch: job.arch,
    scenario: job.scenario,
  });
  return createHash('sha256').update(text).digest('hex').slice(0, 40);
}
