// How far a simulation's total CPU used may be from its true mean: the interval the planner's CPU verdicts
// scale the usage by (early-stop.ts, undecided.ts). The total is work that arrived in the measured
// window, so its noise is the arrivals' and the service times' within that window, which the per-second
// bins of the window see: the 95 % interval of the grand mean is Student t over the bins (batch means,
// Law and Kelton, Simulation Modeling and Analysis, ch. 9.5.3; bins of a second are long against the
// tens of milliseconds a request stays, and wider batches give smaller, not larger, errors). What the bins
// of one replication cannot see is the part drawn once per replication (which pods its connections reach,
// how many it opens): over 40 replications of test/plan/cpu-interval.test.ts's scenario the replications'
// means spread 16 % wider than the bins' standard error (1.16 in sidecar, 1.15 without a mesh), and on
// three-tier at 10x growth two replications' means differ by 0.4 to 1.9 of it. REPLICATION_SPREAD widens
// the interval to cover that. An interval over the replications instead has one degree of freedom at two
// (t = 12.7) and so never decides at two.
import { studentT95 } from '../../sim/index.ts';
import type { Scenario } from '../scenario/index.ts';
import type { ArchResult } from '../simulate/index.ts';

/**
 * ASSUMPTION: the bins' interval times 1.5 covers the replication-level spread (measured 1.16x above)
 * with room to spare: the test requires the widened interval to be calibrated or wider.
 */
export const REPLICATION_SPREAD = 1.5;

/**
 * The 95 % half-width of the mean total CPU over the measured window, relative to that mean. The bins are
 * each second's mean over replications; a window of fewer than two whole bins has no batch interval, and
 * then the interval over replications is the one there is (0 from one replication, as every Estimate).
 */
export function cpuRelativeHalf(s: Scenario, a: ArchResult): number {
  const total = a.totals.cpuUsed;
  const overReplications = total.mean > 0 ? total.half / total.mean : 0;
  const ts = a.timeseries;
  const series = Object.values(ts.cpu);
  if (series.length === 0) return overReplications;
  const xs: number[] = [];
  for (let b = 0; b < ts.t.length; b++) {
    // Whole bins inside the measured window only.
    if (ts.t[b]! < s.simulation.warmup - 1e-9 || ts.t[b]! + ts.step > s.simulation.duration + 1e-9) continue;
    let total = 0;
    for (const c of series) total += c![b]!;
    xs.push(total);
  }
  const n = xs.length;
  if (n < 2) return overReplications;
  const mean = xs.reduce((x, y) => x + y, 0) / n;
  if (!(mean > 0)) return 0;
  const ss = xs.reduce((x, y) => x + (y - mean) ** 2, 0);
  return (REPLICATION_SPREAD * studentT95(n) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n) / mean;
}
