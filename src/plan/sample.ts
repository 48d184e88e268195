// What the planner keeps of one simulation: enough to judge the three conditions and price the cluster.
// Plain JSON with finite numbers only, so a checkpointed sample reads back exactly as it was computed.
import { costOf, daemonSetMonthly, sizeDaemonSetForBusiest } from '../cost/index.ts';
import type { Scenario } from '../scenario/index.ts';
import type { ArchResult } from '../simulate/index.ts';

export type Quantile = 'p50' | 'p99' | 'p999';

export interface EntrySample {
  name: string;
  p50: number;
  p99: number;
  p999: number;
  slo: Array<{ quantile: Quantile; target: number; value: number; met: boolean }>;
}

export interface Sample {
  nodes: number;
  unschedulable: number;
  /** Per-node mean CPU used / allocatable CPU: the mean over nodes and the busiest node. */
  cpu: { mean: number; max: number };
  entryPoints: EntrySample[];
  /** $ per month. */
  monthly: { nodes: number; crossZone: number; proxyFee: number; total: number };
  meshShare: number;
  ztunnelForBusiest: ZtunnelSizing | null;
}

/**
 * ztunnel sized for its busiest node (sizeDaemonSetForBusiest): the requests every node would then
 * reserve, and what they cost a month over the cluster, next to the chart default's cost.
 */
export interface ZtunnelSizing {
  requests: { cpu: number; memory: number };
  monthly: number;
  defaultMonthly: number;
}

function ztunnelSizing(s: Scenario, a: ArchResult): ZtunnelSizing | null {
  if (!a.proxyMax.ztunnel) return null;
  const requests = { ...sizeDaemonSetForBusiest(s, a).mesh.ztunnel.resources.requests };
  return {
    requests,
    monthly: daemonSetMonthly(s, requests),
    defaultMonthly: daemonSetMonthly(s, s.mesh.ztunnel.resources.requests),
  };
}

export function summarise(s: Scenario, a: ArchResult): Sample {
  const util = a.placement.perNode.map((n) => (n.allocatable.cpu > 0 ? n.cpuUsed / n.allocatable.cpu : 0));
  // A node's processor never serves more than its cores: past them the overload shows in the CPU work
  // offered to it (its demand), which tells the search how far it is from the target.
  const demand = a.placement.perNode.map((n, i) =>
    n.allocatable.cpu > 0 ? Math.max(util[i]!, (n.cpuDemand ?? 0) / n.allocatable.cpu) : 0,
  );
  const cost = costOf(s, a);
  return {
    nodes: a.placement.nodes,
    unschedulable: a.placement.unschedulable.length,
    cpu: {
      mean: util.length > 0 ? util.reduce((x, y) => x + y, 0) / util.length : 0,
      max: demand.reduce((x, y) => Math.max(x, y), 0),
    },
    entryPoints: a.entryPoints.map((e) => ({
      name: e.name,
      p50: e.latency.p50.mean,
      p99: e.latency.p99.mean,
      p999: e.latency.p999.mean,
      slo: e.slo.map((x) => ({ quantile: x.quantile, target: x.target, value: x.value, met: x.met })),
    })),
    monthly: { ...cost.monthly },
    meshShare: cost.mesh.share,
    ztunnelForBusiest: ztunnelSizing(s, a),
  };
}

export interface Verdict {
  feasible: boolean;
  /**
   * How far the worst condition is from its target: the largest of busiest-node CPU / target and each
   * latency / its SLO; <= 1 when feasible. Infinity with unschedulable pods.
   */
  excess: number;
  /** Conditions not met, for the plan's `reason`. */
  failed: string[];
}

/** Float noise (0.7 * 3 / 3 > 0.7) must not fail a node that sits exactly on the target. */
const FLOAT_SLACK = 1e-12;

export function judge(x: Sample, cpuTarget: number): Verdict {
  const failed: string[] = [];
  if (x.unschedulable > 0) failed.push(`${x.unschedulable} pods unschedulable`);
  let excess = x.unschedulable > 0 ? Number.POSITIVE_INFINITY : x.cpu.max / cpuTarget;
  if (x.cpu.max > cpuTarget * (1 + FLOAT_SLACK))
    failed.push(`busiest node CPU ${(x.cpu.max * 100).toFixed(1)}% > target`);
  for (const e of x.entryPoints) {
    for (const slo of e.slo) {
      excess = Math.max(excess, slo.target > 0 ? slo.value / slo.target : Number.POSITIVE_INFINITY);
      if (!slo.met) failed.push(`${e.name} ${slo.quantile} ${(slo.value * 1e3).toFixed(2)} ms > SLO`);
    }
  }
  return { feasible: failed.length === 0, excess, failed };
}
