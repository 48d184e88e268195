// The disruption section of an architecture's results: what each scenario event did, averaged over
// replications, each figure with its 95 % interval over replications; and the paired difference of
// each figure between architectures (every one against no mesh, ambient against sidecar).
import type { DisruptionRecord } from '../../events/index.ts';
import { compare, comparedPairs, type Sampled } from './deltas.ts';
import { bucketFloor, countEstimate, estimate, mean, rateEstimate } from './estimate.ts';
import type {
  ArchResult,
  DisruptionDelta,
  DisruptionFigure,
  DisruptionSummary,
  Estimate,
} from './results.ts';

/**
 * How each figure's interval is built. `plan`: set by the rollout and the scheduler (pods restarted,
 * DaemonSet pods replaced, pods preempted), Student t, exact when every replication agrees. `count`:
 * events that arrive at random (resets, failures), the count interval of issue 13 (t united with
 * Poisson, clipped at 0). `rate`: non-negative amounts (surge, node-hours, seconds waited), t clipped
 * at 0. `time`: durations, t. `quantile`: a p99 read off histogram buckets, t at least half the bucket
 * at the estimate.
 */
type Rule = 'plan' | 'count' | 'rate' | 'time' | 'quantile';

export const DISRUPTION_FIGURES: ReadonlyArray<
  [DisruptionFigure, (r: DisruptionRecord) => number | null, Rule]
> = [
  ['podsRestarted', (r) => r.podsRestarted, 'plan'],
  ['daemonSetPodsReplaced', (r) => r.daemonSetPodsReplaced, 'plan'],
  ['podsPreempted', (r) => r.podsPreempted, 'plan'],
  ['connectionsReset', (r) => r.connectionsReset, 'count'],
  ['connectionsDrained', (r) => r.connectionsDrained, 'count'],
  ['pooledConnectionsReset', (r) => r.pooledConnectionsReset, 'count'],
  ['requestsFailed', (r) => r.requestsFailed, 'count'],
  ['requestsRetried', (r) => r.requestsRetried, 'count'],
  ['rolloutDuration', (r) => r.rolloutDuration, 'time'],
  ['settledAfter', (r) => r.settledAfter, 'time'],
  ['surgeCpu', (r) => r.surge.cpu, 'rate'],
  ['surgeMemory', (r) => r.surge.memory, 'rate'],
  ['pendingSeconds', (r) => r.surge.pendingSeconds, 'rate'],
  ['extraNodeHours', (r) => r.extraNodeHours, 'rate'],
  ['p99Window', (r) => r.p99Window, 'quantile'],
  ['p99Before', (r) => r.p99Before, 'quantile'],
];

function interval(xs: number[], rule: Rule): Estimate {
  if (rule === 'count') return countEstimate(xs);
  if (rule === 'rate') return rateEstimate(xs);
  const e = estimate(xs);
  const floor = rule === 'quantile' ? bucketFloor(e.mean) : 0;
  return e.half >= floor ? e : { mean: e.mean, half: floor, lo: e.mean - floor, hi: e.mean + floor };
}

/** The values of a figure, one per replication; null when a replication has none (not finished). */
function valuesOf(recs: DisruptionRecord[], f: (r: DisruptionRecord) => number | null): number[] | null {
  const xs = recs.map(f);
  return xs.every((x): x is number => x !== null) ? xs : null;
}

/** Averages every number of a disruption record over replications (structure from the first). */
export function averageRecords(recs: DisruptionRecord[]): DisruptionSummary {
  const avg = (f: (r: DisruptionRecord) => number | null): number | null => {
    const xs = valuesOf(recs, f);
    return xs ? mean(xs) : null;
  };
  const avgMap = (f: (r: DisruptionRecord) => Record<string, number>): Record<string, number> => {
    const keys = [...new Set(recs.flatMap((r) => Object.keys(f(r))))].sort();
    return Object.fromEntries(keys.map((k) => [k, mean(recs.map((r) => f(r)[k] ?? 0))]));
  };
  const intervals: DisruptionSummary['intervals'] = {};
  for (const [figure, f, rule] of DISRUPTION_FIGURES) {
    const xs = valuesOf(recs, f);
    if (xs) intervals[figure] = interval(xs, rule);
  }
  const first = recs[0]!;
  return {
    ...first,
    completed: recs.every((r) => r.completed),
    rolloutDuration: avg((r) => r.rolloutDuration),
    settledAfter: avg((r) => r.settledAfter),
    podsRestarted: mean(recs.map((r) => r.podsRestarted)),
    daemonSetPodsReplaced: mean(recs.map((r) => r.daemonSetPodsReplaced)),
    podsPreempted: mean(recs.map((r) => r.podsPreempted)),
    connectionsReset: mean(recs.map((r) => r.connectionsReset)),
    connectionsDrained: mean(recs.map((r) => r.connectionsDrained)),
    pooledConnectionsReset: mean(recs.map((r) => r.pooledConnectionsReset)),
    resetsByService: avgMap((r) => r.resetsByService),
    requestsFailed: mean(recs.map((r) => r.requestsFailed)),
    requestsRetried: mean(recs.map((r) => r.requestsRetried)),
    lowestReadyCapacity: avgMap((r) => r.lowestReadyCapacity),
    surge: {
      cpu: mean(recs.map((r) => r.surge.cpu)),
      memory: mean(recs.map((r) => r.surge.memory)),
      pendingSeconds: mean(recs.map((r) => r.surge.pendingSeconds)),
      pendingPods: mean(recs.map((r) => r.surge.pendingPods)),
    },
    extraNodeHours: mean(recs.map((r) => r.extraNodeHours)),
    p99Window: avg((r) => r.p99Window),
    p99Before: avg((r) => r.p99Before),
    intervals,
  };
}

/** The records of one architecture: per replication, one record per event. */
export interface ArchRecords {
  architecture: ArchResult['architecture'];
  reps: DisruptionRecord[][];
}

/**
 * Paired differences of every disruption figure between the compared architectures, event by event:
 * replication r of each ran on the same random numbers, as for the other deltas (deltas.ts). A figure
 * some replication has no value for (a rollout not finished within the run) is left out.
 */
export function disruptionDeltas(archs: ArchRecords[]): DisruptionDelta[] {
  const out: DisruptionDelta[] = [];
  const events = archs[0]?.reps[0]?.length ?? 0;
  for (const [from, to] of comparedPairs(archs))
    for (let e = 0; e < events; e++)
      for (const [figure, f, rule] of DISRUPTION_FIGURES) {
        const sample = (a: ArchRecords): Sampled | null => {
          const values = valuesOf(
            a.reps.map((r) => r[e]!),
            f,
          );
          return values ? { metric: figure, values, bucketed: rule === 'quantile' } : null;
        };
        const a = sample(from);
        const b = sample(to);
        if (!a || !b) continue;
        out.push({
          event: e,
          label: from.reps[0]![e]!.label,
          metric: figure,
          from: from.architecture,
          to: to.architecture,
          ...compare(a, b),
        });
      }
  return out;
}
