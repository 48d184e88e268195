import type { Results } from '../../simulate/index.ts';
import { uniqueLabels } from './names.ts';
import type { ChartSpec } from './types.ts';

/**
 * Runs a chart builder once per results file. With several files every chart name is prefixed with its
 * scenario (quickstart-cpu, billing-cpu): each scenario keeps its own charts rather than being merged
 * into one, because scenarios differ in entry points and components and a merged chart would mislead.
 */
export function eachResults(results: Results[], build: (r: Results) => ChartSpec[]): ChartSpec[] {
  if (results.length === 1) return build(results[0]!);
  const labels = uniqueLabels(results.map((r) => r.scenario.name));
  return results.flatMap((r, i) => build(r).map((c) => ({ ...c, name: `${labels[i]}-${c.name}` })));
}
