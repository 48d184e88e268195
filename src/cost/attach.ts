import type { Scenario } from '../scenario/index.ts';
import type { Results } from '../simulate/index.ts';
import type { CostBreakdown } from './breakdown.ts';
import { type CostDelta, costDeltas } from './cost-deltas.ts';
import { costOf } from './cost-of.ts';

/** Results with the cost of each architecture, in the order of `results.architectures`. */
export function attachCost(
  s: Scenario,
  results: Results,
): Results & { cost: CostBreakdown[]; costDeltas: CostDelta[] } {
  const cost = results.architectures.map((a) => costOf(s, a));
  return { ...results, cost, costDeltas: costDeltas(results, cost) };
}
