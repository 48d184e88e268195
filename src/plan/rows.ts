// Chain outcomes -> plan rows, with savings against sidecar and the cheapest choice marked.
import { savings } from '../cost/index.ts';
import type { Architecture, NodePool } from '../scenario/index.ts';
import type { ChainOutcome } from './search.ts';
import type { CheapestChoice, Plan, PlanRow } from './types.ts';

export interface ChainRecord {
  growth: number;
  architecture: Architecture;
  instanceType: string;
  pool: NodePool;
  outcome: ChainOutcome;
}

/** One chain's row, before it is compared with the others (no savings, not marked cheapest). */
export function chainRow(r: ChainRecord): PlanRow {
  const x = r.outcome.sample;
  const out: PlanRow = {
    growth: r.growth,
    architecture: r.architecture,
    instanceType: r.instanceType,
    pricePerHour: r.pool.pricePerHour,
    feasible: r.outcome.feasible,
    nodes: r.outcome.nodes,
    lowerBound: Number.isFinite(r.outcome.lowerBound) ? r.outcome.lowerBound : null,
    monthly: x ? x.monthly.total : null,
    monthlyNodes: x ? x.monthly.nodes : null,
    cpuUtilisation: x ? { ...x.cpu } : null,
    cpuPlanned: r.outcome.cpuPlanned ? { ...r.outcome.cpuPlanned } : null,
    entryPoints: x
      ? x.entryPoints.map((e) => ({ name: e.name, p50: e.p50, p99: e.p99, p999: e.p999 }))
      : null,
    meshShare: x ? x.meshShare : null,
    ztunnelForBusiest: x?.ztunnelForBusiest ? structuredClone(x.ztunnelForBusiest) : null,
    savingsVsSidecar: null,
    cheapest: false,
    simulated: [...r.outcome.simulated],
    replications: x ? x.replications : null,
    binding: { ...r.outcome.binding },
    undecided: r.outcome.undecided.map((u) => ({ ...u })),
  };
  if (r.outcome.reason !== undefined) out.reason = r.outcome.reason;
  if (r.outcome.closest) out.closest = r.outcome.closest;
  return out;
}

export function planRows(records: readonly ChainRecord[]): Pick<Plan, 'rows' | 'cheapest' | 'plan'> {
  return joinRows(records.map(chainRow));
}

/**
 * Rows of every chain in plan order (as `chainRow` makes them) -> the plan's rows, with the savings
 * against sidecar and the cheapest choices: the only step that compares chains.
 */
export function joinRows(rows: PlanRow[]): Pick<Plan, 'rows' | 'cheapest' | 'plan'> {
  const sidecar = (g: number, type: string) =>
    rows.find((r) => r.growth === g && r.instanceType === type && r.architecture === 'sidecar');
  for (const r of rows) {
    if (r.monthly === null || r.architecture === 'sidecar') continue;
    r.savingsVsSidecar = savings(sidecar(r.growth, r.instanceType)?.monthly ?? undefined, r.monthly);
  }
  const best = new Map<string, PlanRow>();
  for (const r of rows) {
    if (r.monthly === null) continue;
    const key = `${r.growth}/${r.architecture}`;
    const cur = best.get(key);
    if (!cur || r.monthly < cur.monthly!) best.set(key, r);
  }
  const cheapest: Plan['cheapest'] = {};
  for (const r of best.values()) {
    r.cheapest = true;
    const choice: CheapestChoice = {
      instanceType: r.instanceType,
      nodes: r.nodes!,
      monthly: r.monthly!,
      savingsVsSidecar: null,
    };
    (cheapest[String(r.growth)] ??= {})[r.architecture] = choice;
  }
  for (const byArch of Object.values(cheapest)) {
    const base = byArch.sidecar?.monthly;
    for (const [arch, c] of Object.entries(byArch)) {
      if (arch !== 'sidecar' && c) c.savingsVsSidecar = savings(base, c.monthly);
    }
  }
  const plan = rows
    .filter((r) => r.feasible)
    .map((r) => ({
      growth: r.growth,
      architecture: r.architecture,
      instanceType: r.instanceType,
      nodes: r.nodes!,
      monthly: r.monthly!,
      binding: { ...r.binding },
    }));
  return { rows, cheapest, plan };
}
