// One (architecture, node type, growth) chain: wires the search to placement, simulation and the
// checkpoint store.
import { minNodesLowerBound, place } from '../cluster/index.ts';
import type { Architecture, NodePool, Scenario } from '../scenario/index.ts';
import { onPool, withHeadroom } from './candidate.ts';
import type { SampleStore } from './checkpoint.ts';
import { PLAN_POOL } from './instance.ts';
import { type Job, jobKey } from './job.ts';
import type { JobQueue } from './queue.ts';
import { type Sample, summarise } from './sample.ts';
import { type ChainOutcome, searchChain } from './search.ts';

export class PlanInterrupted extends Error {
  constructor() {
    super('plan interrupted');
  }
}

export interface ChainEnv {
  queue: JobQueue;
  store: SampleStore;
  signal: AbortSignal;
  /** Called once per simulation, with whether it came from a checkpoint. */
  onSimulation(reused: boolean): void;
}

export interface ChainSpec {
  scenario: Scenario;
  arch: Architecture;
  pool: NodePool;
  headroom: number;
  cpuTarget: number;
  maxNodes: number;
  /** Scheduling priority of this chain's jobs (lower first). */
  rank: number[];
}

export function runChain(c: ChainSpec, env: ChainEnv): Promise<ChainOutcome> {
  const tight = withHeadroom(c.pool, c.headroom);
  const fits = new Map<number, boolean>();
  const schedulable = (n: number) => {
    let ok = fits.get(n);
    if (ok === undefined) {
      ok = place(onPool(c.scenario, tight, n), c.arch).unschedulable.length === 0;
      fits.set(n, ok);
    }
    return ok;
  };
  const simulate = async (n: number): Promise<Sample> => {
    if (env.signal.aborted) throw new PlanInterrupted();
    const job: Job = { scenario: onPool(c.scenario, c.pool, n), arch: c.arch };
    const key = jobKey(job);
    const saved = env.store.get(key);
    if (saved) {
      env.onSimulation(true);
      return saved;
    }
    let result: Awaited<ReturnType<JobQueue['run']>>;
    try {
      result = await env.queue.run(job, c.rank, env.signal);
    } catch (e) {
      if (env.signal.aborted) throw new PlanInterrupted();
      throw e;
    }
    const x = summarise(job.scenario, result);
    // Finished work is kept even when interrupted meanwhile: --resume will want it.
    env.store.put(key, x);
    env.onSimulation(false);
    if (env.signal.aborted) throw new PlanInterrupted();
    return x;
  };
  return searchChain({
    lowerBound: minNodesLowerBound(onPool(c.scenario, tight, 1), c.arch, PLAN_POOL),
    cap: c.maxNodes,
    cpuTarget: c.cpuTarget,
    schedulable,
    simulate,
  });
}
