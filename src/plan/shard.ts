// `meshsim plan --shard I/N`: one share of a plan, so that a plan too big for one machine runs on N (a
// Kubernetes Indexed Job, one pod per share), and merge.ts joins the shares into exactly the plan one
// machine computes. Why that holds is argued in README.md ("Beyond one machine"): a chain's row depends
// only on its own simulations and on its reference's first simulation, each a pure function of its job.
import { canonicalJson } from '../scenario/hash.ts';
import type { Architecture, Scenario } from '../scenario/index.ts';
import { PlanInputError } from './errors.ts';
import { pricelessPool } from './job.ts';
import { type PlanEnv, type PlanSpec, planHeader, planSpecs, runChains } from './plan.ts';
import { chainRow } from './rows.ts';
import { resolveSettings } from './settings.ts';
import type { Plan, PlanSettings, PlanStats } from './types.ts';

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

/** What one share writes: the whole plan's header, the whole assignment, and its own rows only. */
export interface PlanShard {
  schema: typeof SHARD_SCHEMA;
  shard: Shard & {
    /** The share of every chain of the plan, in plan order: every share carries the same. */
    assignment: number[];
  };
  /**
   * The header of the whole plan; `rows` are this share's chains in plan order, each as its chain found
   * it (no savings against sidecar, none marked cheapest: merge compares the chains). Full precision.
   */
  plan: Pick<Plan, 'schema' | 'meshsimVersion' | 'scenario' | 'settings' | 'rows'>;
}

/** Every chain of the plan, in row order (growth, then architecture, then instance type), as planSpecs. */
export function planChains(settings: PlanSettings): PlanChain[] {
  const out: PlanChain[] = [];
  for (const growth of settings.growth)
    for (const architecture of settings.architectures)
      for (const instanceType of settings.instanceTypes) out.push({ growth, architecture, instanceType });
  return out;
}

export function checkShard(shard: Shard): void {
  if (!(Number.isInteger(shard.count) && shard.count >= 1))
    throw new PlanInputError(`--shard: found ${shard.count} shares, expected an integer >= 1`);
  if (!(Number.isInteger(shard.index) && shard.index >= 0 && shard.index < shard.count))
    throw new PlanInputError(
      `--shard: found index ${shard.index}, expected an integer from 0 to ${shard.count - 1}`,
    );
}

/** A unit of work: chains that simulate alike, with the cost of one of its simulations. */
export interface WorkGroup {
  /** Plan-order indices. */
  chains: number[];
  weight: number;
}

/**
 * Chains that differ only in the node type's name and price (m5.xlarge and m6i.xlarge at the same growth
 * and architecture) run the same simulations (physicsKey), so they stay together: one share runs them
 * once. The weight is the growth: a simulation's work grows with the load.
 */
export function workGroups(specs: readonly PlanSpec[]): WorkGroup[] {
  const groups = new Map<string, WorkGroup>();
  specs.forEach((c, i) => {
    const key = canonicalJson({ g: c.growth, a: c.architecture, p: pricelessPool(c.pool) });
    const g = groups.get(key);
    if (g) g.chains.push(i);
    else groups.set(key, { chains: [i], weight: c.growth });
  });
  return [...groups.values()];
}

/**
 * The share of every chain: groups are dealt costliest first, each to the share with the least weight so
 * far (the lowest index on a tie): longest-processing-time-first, so no share ends much after the others.
 * A function of the groups alone, so every share computes the same assignment.
 */
export function assignShares(groups: readonly WorkGroup[], count: number): number[] {
  const order = groups.map((_, k) => k).sort((a, b) => groups[b]!.weight - groups[a]!.weight || a - b);
  const load = new Array<number>(count).fill(0);
  const share: number[] = [];
  for (const k of order) {
    let best = 0;
    for (let j = 1; j < count; j++) if (load[j]! < load[best]!) best = j;
    load[best]! += groups[k]!.weight;
    for (const i of groups[k]!.chains) share[i] = best;
  }
  return share;
}

/** Runs the chains of `shard` (and the first simulation of any reference they need from another share). */
export async function runPlanShard(
  s: Scenario,
  options: Partial<PlanSettings>,
  shard: Shard,
  env: PlanEnv = {},
): Promise<{ shard: PlanShard; stats: PlanStats }> {
  checkShard(shard);
  const settings = resolveSettings(s, options);
  const specs = planSpecs(s, settings);
  const assignment = assignShares(workGroups(specs), shard.count);
  const mine = specs.map((_, i) => i).filter((i) => assignment[i] === shard.index);
  const { records, stats } = await runChains(specs, settings, mine, env);
  return {
    shard: {
      schema: SHARD_SCHEMA,
      shard: { ...shard, assignment },
      plan: { ...planHeader(s, settings, env.file ?? ''), rows: records.map(chainRow) },
    },
    stats,
  };
}

/** How a share writes a number JSON cannot hold (Infinity, -Infinity, NaN, -0). */
const NUMBER_TAG = '@number';

/**
 * A share as text, every number exactly: finite doubles as JSON writes them (they read back the same), the
 * others tagged, so merge reproduces what the single-machine plan computes even then.
 */
export function shareJson(x: PlanShard): string {
  return `${JSON.stringify(x, (_k, v) =>
    typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))
      ? { [NUMBER_TAG]: Object.is(v, -0) ? '-0' : String(v) }
      : v,
  )}\n`;
}

/** Reads what `shareJson` wrote (throws SyntaxError on text that is not JSON). */
export function parseShare(text: string): unknown {
  return JSON.parse(text, (_k, v) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === NUMBER_TAG && typeof v[NUMBER_TAG] === 'string')
        return Number(v[NUMBER_TAG]);
    }
    return v;
  });
}
