export { MODEL_ASSUMPTIONS } from './assumptions.ts';
export { Replication } from './replication/replication.ts';
export { type RunOptions, runReplication, simulate, simulateArchitecture } from './run.ts';
export { aggregate, estimate } from './summarise/aggregate.ts';
export { measure, type RepMeasure } from './summarise/measure.ts';
export type * from './summarise/results.ts';
export { RESULTS_SCHEMA } from './summarise/results.ts';
export { VERSION } from './version.ts';
export { buildWorld, type World } from './world/index.ts';
