// Differences in monthly cost, each with the paired 95 % interval of the simulation's deltas. A
// month's total is nodes + proxy fees (fixed by the placement) + cross-zone traffic, and the traffic
// term is a constant times the simulated cross-zone bytes per second, so the interval of a cost
// difference is that of the bytes difference, scaled, shifted by the fixed terms.
import type { Delta, Results } from '../simulate/index.ts';
import type { CostBreakdown } from './breakdown.ts';
import { GiB, SECONDS_PER_MONTH } from './constants.ts';

export interface CostDelta {
  from: CostBreakdown['architecture'];
  to: CostBreakdown['architecture'];
  /** to's monthly total minus from's, dollars. */
  change: number;
  ci: [number, number] | null;
  significant: boolean;
}

const BYTES = 'cross-zone traffic (bytes/s)';

export function costDeltas(results: Results, cost: readonly CostBreakdown[]): CostDelta[] {
  const byArch = new Map(cost.map((c) => [c.architecture, c]));
  const out: CostDelta[] = [];
  for (const d of results.deltas) {
    if (d.metric !== BYTES) continue;
    const a = byArch.get(d.from);
    const b = byArch.get(d.to);
    if (a && b) out.push(costDelta(a, b, d));
  }
  return out;
}

function costDelta(a: CostBreakdown, b: CostBreakdown, bytes: Delta): CostDelta {
  const fixed = b.monthly.nodes + b.monthly.proxyFee - (a.monthly.nodes + a.monthly.proxyFee);
  // Dollars per month per byte per second crossing zones (both sides price traffic the same).
  const k = (SECONDS_PER_MONTH / GiB) * a.crossZone.perGiB;
  const change = b.monthly.total - a.monthly.total;
  if (!bytes.ci) return { from: a.architecture, to: b.architecture, change, ci: null, significant: false };
  const ci: [number, number] = [fixed + k * bytes.ci[0], fixed + k * bytes.ci[1]];
  return { from: a.architecture, to: b.architecture, change, ci, significant: ci[0] > 0 || ci[1] < 0 };
}

/** The judged difference between two architectures' monthly totals, in either direction. */
export function costDeltaBetween(
  ds: readonly CostDelta[],
  from: CostBreakdown['architecture'],
  to: CostBreakdown['architecture'],
): CostDelta | undefined {
  const same = ds.find((d) => d.from === from && d.to === to);
  if (same) return same;
  const r = ds.find((d) => d.from === to && d.to === from);
  if (!r) return undefined;
  return {
    from,
    to,
    change: -r.change,
    ci: r.ci ? [-r.ci[1], -r.ci[0]] : null,
    significant: r.significant,
  };
}
