// The cost model: node prices, OpenCost-style allocation, cross-zone traffic and per-proxy fees.
export { type Allocation, allocate, type Charge } from './allocate.ts';
export { attachCost } from './attach.ts';
export { type CostBreakdown, MESH_COMPONENTS, type PoolCost } from './breakdown.ts';
export { GB, GiB, HOURS_PER_MONTH, SECONDS_PER_MONTH } from './constants.ts';
export { type CostDelta, costDeltaBetween, costDeltas } from './cost-deltas.ts';
export { costOf } from './cost-of.ts';
export {
  type DaemonSetSizing,
  daemonSetMonthly,
  sizeDaemonSetForBusiest,
  ZTUNNEL_HEADROOM,
} from './daemonset.ts';
export { nodeRates, type UnitRates } from './rates.ts';
export { savings } from './savings.ts';
export { alignTable, costTable, dollars, pct } from './table.ts';
