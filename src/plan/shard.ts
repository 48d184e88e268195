// `meshsim plan --shard I/N`: one share of a plan's chains, so that a plan too big for one machine runs
// on N (a Kubernetes Indexed Job, one pod per share). Each chain's steps depend only on its own
// simulations (see plan.ts), so a share is the plan restricted to its chains, and merge.ts joins the
// shares into exactly the plan one machine computes.
import type { Architecture, Scenario } from '../scenario/index.ts';
import { scenarioHash } from '../scenario/index.ts';
import { VERSION } from '../simulate/index.ts';
import { PlanInterrupted } from './chain.ts';
import { PlanInputError } from './errors.ts';
import { type PlanEnv, runPlan } from './plan.ts';
import { runner as makeRunner } from './runner.ts';
import { resolveSettings } from './settings.ts';
import { PLAN_SCHEMA, type Plan, type PlanRow, type PlanSettings, type PlanStats } from './types.ts';

export const SHARD_SCHEMA = 'meshsim/plan-shard/v1';

export interface Shard {
  /** 0-based, below `count`. */
  index: number;
  count: number;
}

/** One (growth, architecture, instance type) search: a row of the plan. */
export interface PlanChain {
  growth: number;
  architecture: Architecture;
  instanceType: string;
}

/** What one share writes: the whole plan's header and settings, and only its own rows. */
export interface PlanShard {
  schema: typeof SHARD_SCHEMA;
  shard: Shard & {
    /** Chains in the whole plan. */
    chains: number;
    /** Plan-order position of each of `plan.rows`. */
    rows: number[];
  };
  /** Rows as their chain found them: no savings against sidecar, none marked cheapest (merge does that). */
  plan: Plan;
}

/** Every chain of the plan, in the plan's row order (growth, then architecture, then instance type). */
export function planChains(settings: PlanSettings): PlanChain[] {
  const out: PlanChain[] = [];
  for (const growth of settings.growth)
    for (const architecture of settings.architectures)
      for (const instanceType of settings.instanceTypes) out.push({ growth, architecture, instanceType });
  return out;
}

/**
 * The plan-order positions of the chains of `shard`. Chains are dealt round robin, costliest (most
 * growth) first, so every share gets its part of the long simulations and the shares end close together.
 */
export function shareOf(chains: readonly PlanChain[], shard: Shard): number[] {
  const order = chains.map((_, i) => i).sort((a, b) => chains[b]!.growth - chains[a]!.growth || a - b);
  return order.filter((_, k) => k % shard.count === shard.index).sort((a, b) => a - b);
}

export function checkShard(shard: Shard): void {
  if (!(Number.isInteger(shard.count) && shard.count >= 1))
    throw new PlanInputError(`--shard: found ${shard.count} shards, expected an integer >= 1`);
  if (!(Number.isInteger(shard.index) && shard.index >= 0 && shard.index < shard.count))
    throw new PlanInputError(
      `--shard: found index ${shard.index}, expected an integer from 0 to ${shard.count - 1}`,
    );
}

/** The header every share and the merged plan carry; the same as `runPlan`'s. */
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

/** Runs the chains of `shard`, each as a one-chain plan, all on one runner. */
export async function runPlanShard(
  s: Scenario,
  options: Partial<PlanSettings>,
  shard: Shard,
  env: PlanEnv = {},
): Promise<{ shard: PlanShard; stats: PlanStats }> {
  checkShard(shard);
  const settings = resolveSettings(s, options);
  const chains = planChains(settings);
  const mine = shareOf(chains, shard);
  const stats: PlanStats = { simulations: 0, reused: 0 };
  const stop = new AbortController();
  const outer = env.signal;
  const onAbort = () => stop.abort();
  outer?.addEventListener('abort', onAbort);
  if (outer?.aborted) stop.abort();
  const runner = env.runner ?? makeRunner(env.workers ?? 1);
  let chainsDone = 0;
  env.onProgress?.({ chainsDone, chains: mine.length, simulations: 0 });
  try {
    const settled = await Promise.allSettled(
      mine.map(async (k) => {
        const c = chains[k]!;
        try {
          const one = await runPlan(
            s,
            {
              ...settings,
              growth: [c.growth],
              architectures: [c.architecture],
              instanceTypes: [c.instanceType],
            },
            {
              ...(env.workers !== undefined ? { workers: env.workers } : {}),
              ...(env.store ? { store: env.store } : {}),
              runner,
              signal: stop.signal,
            },
          );
          stats.simulations += one.stats.simulations;
          stats.reused += one.stats.reused;
          chainsDone++;
          env.onProgress?.({
            chainsDone,
            chains: mine.length,
            simulations: stats.simulations + stats.reused,
          });
          return one.plan.rows[0]!;
        } catch (e) {
          stop.abort();
          throw e;
        }
      }),
    );
    if (outer?.aborted) throw new PlanInterrupted();
    const failed = settled.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    const cause = failed.find((x) => !(x.reason instanceof PlanInterrupted)) ?? failed[0];
    if (cause) throw cause.reason;
    const rows = settled.map((x) => unjoined((x as PromiseFulfilledResult<PlanRow>).value));
    return {
      shard: {
        schema: SHARD_SCHEMA,
        shard: { ...shard, chains: chains.length, rows: mine },
        plan: { ...planHeader(s, settings, env.file ?? ''), rows, cheapest: {}, plan: [] },
      },
      stats,
    };
  } finally {
    outer?.removeEventListener('abort', onAbort);
    if (!env.runner) await runner.close();
  }
}

/** A row before it is compared with the others: what `joinRows` expects. */
export function unjoined(r: PlanRow): PlanRow {
  return { ...r, savingsVsSidecar: null, cheapest: false };
}
