// `meshsim plan`: for every architecture, node type and growth factor, the fewest nodes that schedule
// every pod with headroom, keep every node under the CPU target and meet every latency SLO. Chains run
// concurrently; each one's decisions depend only on its own results and on one fixed simulation of its
// architecture (its first guess), so the plan is the same whatever the worker count or timing.
import { setMaxListeners } from 'node:events';
import { type Scenario, scenarioHash } from '../scenario/index.ts';
import { VERSION } from '../simulate/index.ts';
import { type ChainEnv, PlanInterrupted, runChain } from './chain.ts';
import { memoryStore, type SampleStore } from './checkpoint.ts';
import { growScenario } from './grow.ts';
import { usageGuesses } from './guess.ts';
import { candidatePool } from './instance.ts';
import { type PlanProgress, ProgressTally } from './progress.ts';
import { JobQueue } from './queue.ts';
import { type ChainRecord, planRows } from './rows.ts';
import { runner as makeRunner, type Runner } from './runner.ts';
import { screens, screenWeight } from './screen.ts';
import type { ChainOutcome } from './search.ts';
import { resolveSettings } from './settings.ts';
import { PLAN_SCHEMA, type Plan, type PlanSettings, type PlanStats } from './types.ts';
import type { Simulated } from './worker.ts';

export interface PlanEnv {
  /** Worker threads (1 = run on this thread). Ignored when `runner` is given. */
  workers?: number;
  runner?: Runner;
  store?: SampleStore;
  signal?: AbortSignal;
  /** Scenario file recorded in the plan. */
  file?: string;
  onProgress?(p: PlanProgress): void;
}

/** What one simulation of `s` costs, roughly: requests simulated (entry rate x duration x replications). */
function simulationWeight(s: Scenario): number {
  const rate = s.traffic.reduce((a, e) => a + e.rate, 0);
  return Math.max(1e-9, rate) * s.simulation.duration * s.simulation.replications;
}

/** One (growth, architecture, instance type) search of the plan, in plan order. */
export type PlanSpec = Omit<ChainRecord, 'outcome'> & { scenario: Scenario };

/** Every chain of the plan in row order: growth, then architecture, then instance type. */
export function planSpecs(s: Scenario, settings: PlanSettings): PlanSpec[] {
  const specs: PlanSpec[] = [];
  for (const growth of settings.growth) {
    const grown = growScenario(s, growth);
    for (const architecture of settings.architectures)
      for (const instanceType of settings.instanceTypes)
        specs.push({
          growth,
          architecture,
          instanceType,
          pool: candidatePool(s, instanceType),
          scenario: grown,
        });
  }
  return specs;
}

/** What every plan (and every share of one) says about itself: the scenario and the settings. */
export function planHeader(
  s: Scenario,
  settings: PlanSettings,
  file: string,
): Omit<Plan, 'rows' | 'cheapest' | 'plan'> {
  return {
    schema: PLAN_SCHEMA,
    meshsimVersion: VERSION,
    scenario: {
      name: s.metadata.name,
      file,
      hash: scenarioHash(s),
      seed: s.simulation.seed,
      replications: s.simulation.replications,
      duration: s.simulation.duration,
      warmup: s.simulation.warmup,
    },
    settings,
  };
}

export async function runPlan(
  s: Scenario,
  options: Partial<PlanSettings> = {},
  env: PlanEnv = {},
): Promise<{ plan: Plan; stats: PlanStats }> {
  const settings = resolveSettings(s, options);
  const specs = planSpecs(s, settings);
  const { records, stats } = await runChains(
    specs,
    settings,
    specs.map((_, i) => i),
    env,
  );
  return { plan: { ...planHeader(s, settings, env.file ?? ''), ...planRows(records) }, stats };
}

/** Thrown by a reference probe once it has its first simulation: the rest of its search is not needed. */
class ReferenceTaken extends Error {}

/**
 * Runs the chains `chosen` (plan-order indices into `specs`) and returns their records in that order.
 * A chosen chain that takes its guess from a chain not chosen gets it from that chain's first
 * simulation, run here (a probe): that simulation is a pure function of its job, so each chain's
 * record is the same whichever other chains run with it (shard.ts relies on this).
 */
export async function runChains(
  specs: readonly PlanSpec[],
  settings: PlanSettings,
  chosen: readonly number[],
  env: PlanEnv = {},
): Promise<{ records: ChainRecord[]; stats: PlanStats }> {
  const stats: PlanStats = { simulations: 0, reused: 0, shared: 0, screens: 0 };
  const guesses = usageGuesses(specs, settings.growth);
  const wanted = new Set(chosen);
  const probes = new Set([...wanted].map((i) => guesses.reference(i)).filter((r) => !wanted.has(r)));
  const active = [...new Set([...wanted, ...probes])].sort((a, b) => a - b);
  // Set up only once the chains are known good: a bad instance type must leave nothing running.
  const stop = new AbortController();
  // Every queued simulation listens on it (tinypool adds one listener per task).
  setMaxListeners(0, stop.signal);
  const outer = env.signal;
  const onAbort = () => stop.abort();
  outer?.addEventListener('abort', onAbort);
  if (outer?.aborted) stop.abort();
  const runner = env.runner ?? makeRunner(env.workers ?? 1);
  const queue = new JobQueue(runner, Math.max(1, env.workers ?? 1));
  const store = env.store ?? memoryStore();
  const shared = new Map<string, Promise<Simulated>>();
  const tally = new ProgressTally(active.map((i) => simulationWeight(specs[i]!.scenario)));
  const report = () => env.onProgress?.(tally.snapshot());
  const chainEnv = (k: number): ChainEnv => ({
    queue,
    store,
    signal: stop.signal,
    shared,
    onSimulation(how, screen) {
      if (screen) stats.screens++;
      else if (how === 'reused') stats.reused++;
      else if (how === 'shared') stats.shared++;
      else stats.simulations++;
      tally.simulated(k, how, screen ? screenWeight(specs[active[k]!]!.scenario) : 1);
      report();
    },
  });
  report();
  try {
    const settled = await Promise.allSettled(
      active.map(async (i, k): Promise<ChainOutcome | null> => {
        const c = specs[i]!;
        const links = guesses.forChain(i);
        const probe = probes.has(i);
        const onFirstUsage = links.onFirstUsage;
        try {
          const outcome = await runChain(
            {
              ...c,
              arch: c.architecture,
              headroom: settings.headroom,
              cpuTarget: settings.cpuTarget,
              maxNodes: settings.maxNodes,
              // Most load first: those chains run the longest simulations.
              rank: [-c.growth, i],
              earlyStop: settings.earlyStop,
              screen: screens(c.scenario),
              ...links,
              ...(probe && onFirstUsage
                ? {
                    onFirstUsage: (u) => {
                      onFirstUsage(u);
                      throw new ReferenceTaken();
                    },
                  }
                : {}),
            },
            chainEnv(k),
          );
          tally.chainDone(k);
          report();
          return probe ? null : outcome;
        } catch (e) {
          if (e instanceof ReferenceTaken) {
            tally.chainDone(k);
            report();
            return null;
          }
          // One chain failing (a bug, or Ctrl-C) stops the others at their next simulation.
          stop.abort();
          throw e;
        } finally {
          guesses.settle(i);
        }
      }),
    );
    const failed = settled.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (outer?.aborted) throw new PlanInterrupted();
    // The chains stopped by the first failure report PlanInterrupted; the failure itself matters.
    const cause = failed.find((x) => !(x.reason instanceof PlanInterrupted)) ?? failed[0];
    if (cause) throw cause.reason;
    const outcomes = new Map(
      active.map((i, k) => [i, (settled[k] as PromiseFulfilledResult<ChainOutcome | null>).value]),
    );
    const records: ChainRecord[] = chosen.map((i) => {
      const c = specs[i]!;
      return {
        growth: c.growth,
        architecture: c.architecture,
        instanceType: c.instanceType,
        pool: c.pool,
        outcome: outcomes.get(i)!,
      };
    });
    return { records, stats };
  } finally {
    outer?.removeEventListener('abort', onAbort);
    if (!env.runner) await runner.close();
  }
}
