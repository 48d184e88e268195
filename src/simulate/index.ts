export { aggregate, estimate } from './aggregate.ts';
export { MODEL_ASSUMPTIONS } from './assumptions.ts';
export { Engine } from './engine.ts';
export { measure, type RepMeasure } from './measure.ts';
export type * from './results.ts';
export { RESULTS_SCHEMA } from './results.ts';
export { type RunOptions, runReplication, simulate, simulateArchitecture } from './run.ts';
export { VERSION } from './version.ts';
export { buildWorld, type World } from './world.ts';
