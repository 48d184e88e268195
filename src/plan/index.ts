// The capacity planner: the fewest nodes per architecture, node type and growth factor.

export {
  type Binding,
  type Constraint,
  describeBinding,
  simulatedRatio,
  sloBinding,
  sloMet,
} from './binding.ts';
export { onPool, withHeadroom } from './candidate.ts';
export { PlanInterrupted } from './chain.ts';
export { directoryStore, memoryStore, type SampleStore } from './checkpoint.ts';
export { decided, MIN_REPLICATIONS, type StopRule } from './early-stop.ts';
export { PlanInputError } from './errors.ts';
export { growScenario } from './grow.ts';
export { candidatePool, defaultTypes, PLAN_POOL } from './instance.ts';
export { type Job, jobKey } from './job.ts';
export { mergeShards, type NamedShard } from './merge.ts';
export { type NodeCpu, type NodeShares, nodeShares, plannedCpu } from './node-cpu.ts';
export { type PlanEnv, type PlanSpec, planHeader, planSpecs, runChains, runPlan } from './plan.ts';
export { type PlanProgress, ProgressTally } from './progress.ts';
export { inlineRunner, poolRunner, type Runner, runner } from './runner.ts';
export { type Sample, summarise, type Usage, type ZtunnelSizing } from './sample.ts';
export {
  SCREEN_DURATION,
  SCREEN_WARMUP,
  screenScenario,
  screens,
  screenTolerance,
  screenWeight,
  usageDistance,
} from './screen.ts';
export { type ChainOutcome, type ChainProbe, type Closest, type Fit, searchChain } from './search.ts';
export { DEFAULT_CPU_TARGET, DEFAULT_HEADROOM, DEFAULT_MAX_NODES, resolveSettings } from './settings.ts';
export {
  assignShares,
  checkShard,
  type PlanChain,
  type PlanShard,
  parseShare,
  planChains,
  runPlanShard,
  SHARD_SCHEMA,
  type Shard,
  shareJson,
  type WorkGroup,
  workGroups,
} from './shard.ts';
export { planTable } from './table.ts';
export * from './types.ts';
export { describeUndecided, type Undecided } from './undecided.ts';
export { default as simulateJob, type Simulated } from './worker.ts';
