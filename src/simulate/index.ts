export { MODEL_ASSUMPTIONS } from './assumptions.ts';
export { placementOf } from './placement-of.ts';
export { Replication } from './replication/replication.ts';
export {
  type BatchRunner,
  type RunOptions,
  runReplication,
  simulate,
  simulateArchitecture,
  simulateWith,
} from './run.ts';
export { type PoolRunner, replicationPool } from './run-pool.ts';
export { MAX_SERIES_BINS, seriesBins, seriesStep } from './series-step.ts';
export { aggregate } from './summarise/aggregate.ts';
export { clientPace } from './summarise/client-cpu.ts';
export { estimate } from './summarise/estimate.ts';
export { measure, type RepMeasure } from './summarise/measure.ts';
export { type CrashLoop, crashLoopsOf, describeCrashLoop } from './summarise/memory-kills.ts';
export type * from './summarise/results.ts';
export { RESULTS_SCHEMA } from './summarise/results.ts';
export { VERSION } from './version.ts';
export { buildWorld, type World } from './world/index.ts';
