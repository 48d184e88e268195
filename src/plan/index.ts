// The capacity planner: the fewest nodes per architecture, node type and growth factor.
export { onPool, withHeadroom } from './candidate.ts';
export { PlanInterrupted } from './chain.ts';
export { directoryStore, memoryStore, type SampleStore } from './checkpoint.ts';
export { PlanInputError } from './errors.ts';
export { growScenario } from './grow.ts';
export { candidatePool, defaultTypes, PLAN_POOL } from './instance.ts';
export { type Job, jobKey } from './job.ts';
export { mergeShards, type NamedShard } from './merge.ts';
export { type PlanEnv, runPlan } from './plan.ts';
export { joinRows } from './rows.ts';
export { inlineRunner, poolRunner, type Runner, runner } from './runner.ts';
export { judge, type Sample, summarise, type Verdict, type ZtunnelSizing } from './sample.ts';
export { type ChainOutcome, type ChainProbe, type Closest, searchChain } from './search.ts';
export { DEFAULT_CPU_TARGET, DEFAULT_HEADROOM, DEFAULT_MAX_NODES, resolveSettings } from './settings.ts';
export {
  checkShard,
  type PlanChain,
  type PlanShard,
  planChains,
  runPlanShard,
  SHARD_SCHEMA,
  type Shard,
  shareOf,
} from './shard.ts';
export { planTable } from './table.ts';
export * from './types.ts';
