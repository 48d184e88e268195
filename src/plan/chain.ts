// One (architecture, node type, growth) chain: wires the search to placement, simulation and the
// checkpoint store.
import { minNodesLowerBound, place } from '../cluster/index.ts';
import type { Architecture, NodePool, Scenario } from '../scenario/index.ts';
import { onPool, withHeadroom } from './candidate.ts';
import type { SampleStore } from './checkpoint.ts';
import { PLAN_POOL } from './instance.ts';
import { type Job, jobKey, physicsKey } from './job.ts';
import { type NodeShares, nodeShares } from './node-cpu.ts';
import type { JobQueue } from './queue.ts';
import { type Sample, summarise, type Usage } from './sample.ts';
import { screenScenario, screenTolerance } from './screen.ts';
import { type ChainOutcome, type Fit, searchChain } from './search.ts';
import type { Simulated } from './worker.ts';

export class PlanInterrupted extends Error {
  constructor() {
    super('plan interrupted');
  }
}

export interface ChainEnv {
  queue: JobQueue;
  store: SampleStore;
  signal: AbortSignal;
  /**
   * Simulations of this plan by physicsKey: node types of the same shape (m5.xlarge and m6i.xlarge) differ
   * only in price, which the simulation never reads, so they share one run.
   */
  shared: Map<string, Promise<Simulated>>;
  /**
   * Called once per simulation: run here, read from a checkpoint, or shared with another chain; `screen`
   * for a short screening run (screen.ts).
   */
  onSimulation(how: 'run' | 'reused' | 'shared', screen: boolean): void;
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
  /** Stop a simulation's replications once its verdict is decided (early-stop.ts). */
  earlyStop: boolean;
  /** Aim the first full simulation with a short screening run (screen.ts). */
  screen: boolean;
  /** Usage expected from another chain, to aim the first simulation. */
  guess?: () => Promise<Usage | undefined>;
  /** Told this chain's first simulated usage (for the chains that take it as their guess). */
  onFirstUsage?: (u: Usage) => void;
}

export function runChain(c: ChainSpec, env: ChainEnv): Promise<ChainOutcome> {
  const tight = withHeadroom(c.pool, c.headroom);
  const fits = new Map<number, Fit>();
  const fit = (n: number): Fit => {
    let f = fits.get(n);
    if (!f) {
      const u = place(onPool(c.scenario, tight, n), c.arch).unschedulable;
      f = { unschedulable: u.length, reason: u[0]?.reason ?? '' };
      fits.set(n, f);
    }
    return f;
  };
  const sharesMemo = new Map<number, NodeShares>();
  const shares = (n: number): NodeShares => {
    let sh = sharesMemo.get(n);
    if (!sh) {
      sh = nodeShares(place(onPool(c.scenario, c.pool, n), c.arch));
      sharesMemo.set(n, sh);
    }
    return sh;
  };
  // The first full simulation's usage is what the chains guessing from this one wait for: screens aim
  // it, so it is measured near this chain's answer, at the load the others will be sized for.
  let first = true;
  const simulate = async (n: number): Promise<Sample> => {
    const x = await simulateOnce(c, env, n, false);
    if (first) c.onFirstUsage?.(x.usage);
    first = false;
    return x;
  };
  const tolerance = screenTolerance(c.scenario);
  const screen = async (n: number) => ({ sample: await simulateOnce(c, env, n, true), tolerance });
  return searchChain({
    lowerBound: minNodesLowerBound(onPool(c.scenario, tight, 1), c.arch, PLAN_POOL),
    cap: c.maxNodes,
    cpuTarget: c.cpuTarget,
    fit,
    shares,
    simulate,
    ...(c.screen ? { screen } : {}),
    ...(c.guess ? { guess: c.guess } : {}),
  });
}

async function simulateOnce(c: ChainSpec, env: ChainEnv, n: number, screen: boolean): Promise<Sample> {
  if (env.signal.aborted) throw new PlanInterrupted();
  const at = onPool(c.scenario, c.pool, n);
  const job: Job = screen
    ? { scenario: screenScenario(at), arch: c.arch }
    : { scenario: at, arch: c.arch, ...(c.earlyStop ? { stop: { cpuTarget: c.cpuTarget } } : {}) };
  const key = jobKey(job);
  const saved = env.store.get(key);
  if (saved) {
    env.onSimulation('reused', screen);
    return saved;
  }
  const physics = physicsKey(job);
  let run = env.shared.get(physics);
  const fresh = !run;
  if (!run) {
    // Screens first: each one is short and is all its chain waits for before its next full run.
    run = env.queue.run(job, [screen ? 0 : 1, ...c.rank], env.signal);
    env.shared.set(physics, run);
  }
  let result: Simulated;
  try {
    result = await run;
  } catch (e) {
    if (env.signal.aborted) throw new PlanInterrupted();
    throw e;
  }
  const x = summarise(job.scenario, result.result, result.replications);
  // Finished work is kept even when interrupted meanwhile: --resume will want it.
  env.store.put(key, x);
  env.onSimulation(fresh ? 'run' : 'shared', screen);
  if (env.signal.aborted) throw new PlanInterrupted();
  return x;
}
