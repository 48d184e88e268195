export { disruptionTable } from './disruption-table.ts';
export { cores, fmt, mib, ms, percent, withInterval } from './format.ts';
export { resultsJson, round } from './json.ts';
export { type HeadlineDelta, headlineDeltas, significanceCount, significanceTable } from './significance.ts';
export { comparisonTable } from './table.ts';
