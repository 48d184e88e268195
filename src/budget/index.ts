export { describeEstimate } from './describe.ts';
export { estimateRun, eventsPerSecond, type RunEstimate } from './estimate.ts';
export { MAX_OUTPUT_BYTES, MAX_WALL_SECONDS, type Machine, MEMORY_SHARE, overBudget } from './limits.ts';
export { visitsPerRequest } from './visits.ts';
