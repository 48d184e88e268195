export { disruptionTable } from './disruption-table.ts';
export { cores, fmt, mib, ms, percent } from './format.ts';
export { resultsJson, round } from './json.ts';
export { comparisonTable } from './table.ts';
