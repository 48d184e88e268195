// One simulation of the plan: a scenario (plain data, structured-clone safe: Infinity timeouts survive)
// and the architecture to run on it.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../scenario/hash.ts';
import type { Architecture, NodePool, Scenario } from '../scenario/index.ts';
import { VERSION } from '../simulate/index.ts';
import type { StopRule } from './early-stop.ts';

export interface Job {
  scenario: Scenario;
  arch: Architecture;
  /** Stop replicating once the plan's verdict is decided (absent: every replication). */
  stop?: StopRule;
}

/**
 * Bumped when what a checkpoint holds changes shape or meaning. 4: samples keep their intervals, and early
 * stopping judges the CPU by batch means (a stopped job may hold fewer replications than format 3's).
 */
const CHECKPOINT_FORMAT = 4;

/** Names a job by everything its result depends on, so a checkpoint is reused only for the same job. */
export function jobKey(job: Job): string {
  const text = canonicalJson({
    format: CHECKPOINT_FORMAT,
    meshsim: VERSION,
    arch: job.arch,
    scenario: job.scenario,
    stop: job.stop ?? null,
  });
  return createHash('sha256').update(text).digest('hex').slice(0, 40);
}

/** A node pool as the simulation sees it: without the node type's name and price. */
export function pricelessPool(p: NodePool): NodePool {
  return { ...p, instanceType: '', pricePerHour: 0 };
}

/**
 * Names a job by what its simulation reads: the node type's name and price only price the result
 * (src/cost), so two types of the same shape simulate alike.
 */
export function physicsKey(job: Job): string {
  const scenario = {
    ...job.scenario,
    cluster: {
      ...job.scenario.cluster,
      nodePools: job.scenario.cluster.nodePools.map(pricelessPool),
    },
    cost: null,
  };
  return jobKey({ ...job, scenario: scenario as unknown as Scenario });
}
