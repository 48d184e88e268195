// What the planner keeps of one simulation: enough to judge the three conditions and price the cluster.
// Plain JSON with finite numbers only, so a checkpointed sample reads back exactly as it was computed.

import type { Component } from '../cluster/index.ts';
import { costOf, daemonSetMonthly, sizeDaemonSetForBusiest } from '../cost/index.ts';
import type { Scenario } from '../scenario/index.ts';
import { type ArchResult, clientPace, describeCrashLoop } from '../simulate/index.ts';
import { cpuRelativeHalf } from './cpu-interval.ts';

export type Quantile = 'p50' | 'p99' | 'p999';

export interface EntrySample {
  name: string;
  p50: number;
  p99: number;
  p999: number;
  /**
   * `half`: the 95 % half-width of `value` over the replications (0 with one; absent in checkpoints
   * written before it was kept), for the verdicts a row leaves open (undecided.ts).
   */
  slo: Array<{ quantile: Quantile; target: number; value: number; met: boolean; half?: number }>;
  /**
   * How far its load generators kept up (clientPace: below 1 when they fell behind, so less load than
   * planned reached the cluster and the count would be judged on the wrong load). Absent in
   * checkpoints written before clients had CPU: read as 1.
   */
  clientPace?: number;
}

export interface Sample {
  nodes: number;
  unschedulable: number;
  /**
   * Memory sized by max(request, modelled use): nodes whose pods need more than their allocatable memory,
   * and the worst such need / allocatable (0 when none).
   */
  memoryShortNodes: number;
  memoryExcess: number;
  /**
   * Proxies that never serve because their configuration exceeds their memory limit, one line per
   * component (simulate/summarise/memory-kills.ts); absent in checkpoints written before them.
   */
  crashLoops?: string[];
  /** Per-node mean CPU used / allocatable CPU: the mean over nodes and the busiest node. */
  cpu: { mean: number; max: number };
  entryPoints: EntrySample[];
  /** $ per month. */
  monthly: { nodes: number; crossZone: number; proxyFee: number; total: number };
  meshShare: number;
  ztunnelForBusiest: ZtunnelSizing | null;
  /** Replications behind these figures: fewer than the scenario's when stopped early. */
  replications: number;
  /** Simulated CPU used by each component over the whole cluster (cores, mean over replications). */
  usage: Usage;
  /**
   * 95 % half-width of the total CPU used, relative to it (cpu-interval.ts; absent in older
   * checkpoints): how far `usage` may be off, for the CPU verdicts a row leaves open.
   */
  cpuRel?: number;
}

export type Usage = Partial<Record<Component, number>>;

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

export function summarise(s: Scenario, a: ArchResult, replications = s.simulation.replications): Sample {
  const util = a.placement.perNode.map((n) => (n.allocatable.cpu > 0 ? n.cpuUsed / n.allocatable.cpu : 0));
  // A node's processor never serves more than its cores: past them the overload shows in the CPU work
  // offered to it (its demand), which tells the search how far it is from the target.
  const demand = a.placement.perNode.map((n, i) =>
    n.allocatable.cpu > 0 ? Math.max(util[i]!, (n.cpuDemand ?? 0) / n.allocatable.cpu) : 0,
  );
  const cost = costOf(s, a);
  const short = a.placement.memoryAtRisk.filter((r) => r.kind === 'node');
  return {
    nodes: a.placement.nodes,
    unschedulable: a.placement.unschedulable.length,
    memoryShortNodes: short.length,
    memoryExcess: short.reduce((m, r) => Math.max(m, r.needed / r.capacity), 0),
    crashLoops: a.placement.crashLoops.map(describeCrashLoop),
    cpu: {
      mean: util.length > 0 ? util.reduce((x, y) => x + y, 0) / util.length : 0,
      max: demand.reduce((x, y) => Math.max(x, y), 0),
    },
    entryPoints: a.entryPoints.map((e) => ({
      name: e.name,
      p50: e.latency.p50.mean,
      p99: e.latency.p99.mean,
      p999: e.latency.p999.mean,
      slo: e.slo.map((x) => ({
        quantile: x.quantile,
        target: x.target,
        value: x.value,
        met: x.met,
        half: finiteOr0(e.latency[x.quantile].half),
      })),
      // Capped: a checkpoint keeps finite numbers only, and any pace at or above 1 means kept up.
      clientPace: Math.min(1, clientPace(e.clientCpu)),
    })),
    monthly: { ...cost.monthly },
    meshShare: cost.mesh.share,
    ztunnelForBusiest: ztunnelSizing(s, a),
    replications,
    // What each component used plus the work that reached it but its nodes could not serve in the
    // window: on a saturated node the CPU served is capped at the cores, which would make too few nodes
    // look sufficient. Work that arrived does not depend on contention, so neither does this.
    usage: Object.fromEntries(
      a.components.map((c) => [
        c.component,
        c.cpu.used.mean + Math.max(0, (c.cpuShare?.wanted ?? 0) - (c.cpuShare?.got ?? 0)),
      ]),
    ),
    cpuRel: finiteOr0(cpuRelativeHalf(s, a)),
  };
}

// A checkpoint keeps finite numbers only; an interval that could not be formed (nothing completed) is 0.
const finiteOr0 = (x: number) => (Number.isFinite(x) ? x : 0);
