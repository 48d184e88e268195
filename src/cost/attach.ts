import type { Scenario } from '../scenario/index.ts';
import type { Results } from '../simulate/index.ts';
import type { CostBreakdown } from './breakdown.ts';
import { costOf } from './cost-of.ts';

/** Results with the cost of each architecture, in the order of `results.architectures`. */
export function attachCost(s: Scenario, results: Results): Results & { cost: CostBreakdown[] } {
  return { ...results, cost: results.architectures.map((a) => costOf(s, a)) };
}
