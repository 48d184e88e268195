// Early stop of a candidate's replications: once every condition the planner judges on this simulation
// is clearly met or clearly failed, more replications cannot change its verdict. Sequential stopping of
// this kind (replicate until the interval of each measure is decided) is what JMT's and OMNeT++'s
// sequential procedures do for precision; here the question is only which side of a target it falls.
import { place } from '../cluster/index.ts';
import type { Scenario } from '../scenario/index.ts';
import type { ArchResult } from '../simulate/index.ts';
import { onPool } from './candidate.ts';
import { cpuRelativeHalf } from './cpu-interval.ts';
import { nodeShares, plannedCpu } from './node-cpu.ts';

export interface StopRule {
  /** The plan's --cpu-target: the planned busiest node is judged against it at N and at N - 1. */
  cpuTarget: number;
}

/** Fewer replications than this give no interval (Student t needs two). */
export const MIN_REPLICATIONS = 2;

/** The interval [mean - half, mean + half] lies wholly on one side of `target`. */
const excludes = (mean: number, half: number, target: number) => mean + half < target || mean - half > target;

/**
 * Decided when every SLO's 95 % interval excludes its target, and the planned busiest node at N and at
 * N - 1 (its usage scaled by the interval of the total CPU used, cpu-interval.ts) excludes the CPU
 * target: the verdict at N and whether N - 1 could do are then what more replications would say, at
 * 95 % confidence each.
 */
export function decided(s: Scenario, a: ArchResult, rule: StopRule): boolean {
  for (const e of a.entryPoints) {
    for (const slo of e.slo) {
      const q = e.latency[slo.quantile];
      if (!excludes(q.mean, q.half, slo.target)) return false;
    }
  }
  const rel = cpuRelativeHalf(s, a);
  const usage = Object.fromEntries(a.components.map((c) => [c.component, c.cpu.used.mean]));
  const pool = s.cluster.nodePools[0]!;
  for (const n of [pool.count, pool.count - 1]) {
    if (n < 1) continue;
    const cpu = plannedCpu(nodeShares(place(onPool(s, pool, n), a.architecture)), usage).max;
    if (!excludes(cpu, cpu * rel, rule.cpuTarget)) return false;
  }
  return true;
}
