export { interarrival } from './arrivals.ts';
export { makeDistribution } from './distribution.ts';
