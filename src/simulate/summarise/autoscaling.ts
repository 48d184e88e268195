// The autoscaling section of an architecture's results: per autoscaled workload, its replica count
// (spec.replicas) over the run and what its pods waited for, averaged over replications, and the
// replica-count series on the results' time bins.
import type { AutoscaleRecord, TimedReplicas } from '../../events/index.ts';
import { mean } from './estimate.ts';
import type { RepMeasure } from './measure.ts';

/**
 * A workload's record over the replications: what it is (as each replication's record says), its scale
 * and pending counts as means over the replications, and kube-scheduler's message for the last pod that
 * found no node (the first replication that had one).
 */
export interface AutoscaleResult
  extends Pick<
    AutoscaleRecord,
    | 'owner'
    | 'kind'
    | 'minReplicas'
    | 'maxReplicas'
    | 'targetCPUUtilization'
    | 'scaleUps'
    | 'scaleDowns'
    | 'pendingPods'
    | 'pendingSeconds'
    | 'pendingAtEnd'
    | 'pendingReason'
    | 'container'
    | 'metricFailures'
  > {
  /** spec.replicas: at the start, lowest, highest, at the end, and time-weighted over the measured window. */
  replicas: { start: number; min: number; max: number; final: number; mean: number };
  /** Ready pods at the end. */
  readyFinal: number;
  /**
   * Pods each node hosted, time-weighted over the measured window (pod-seconds / window), mean over
   * replications, by node: what cost charges the workload's requests for (nodes never used are left out).
   */
  podsByNode: Array<{ node: number; pods: number }>;
  /** Replications in which it reached maxReplicas. */
  atMax: number;
}

/** The value of a step series at time `t` (the last change at or before it). */
export function valueAt(series: readonly TimedReplicas[], t: number): number {
  let v = series[0]?.replicas ?? 0;
  for (const x of series) {
    if (x.at > t) break;
    v = x.replicas;
  }
  return v;
}

/** Time-weighted mean of a step series over [from, to). */
function timeMean(series: readonly TimedReplicas[], from: number, to: number): number {
  if (to <= from) return valueAt(series, from);
  let area = 0;
  let t = from;
  let v = valueAt(series, from);
  for (const x of series) {
    if (x.at <= from) continue;
    if (x.at >= to) break;
    area += v * (x.at - t);
    t = x.at;
    v = x.replicas;
  }
  area += v * (to - t);
  return area / (to - from);
}

export function autoscalingSection(reps: RepMeasure[], warmup: number, end: number): AutoscaleResult[] {
  return reps[0]!.autoscaling.map((first, i) => {
    const recs = reps.map((r) => r.autoscaling[i]!);
    const m = (f: (r: AutoscaleRecord) => number) => mean(recs.map(f));
    const values = (r: AutoscaleRecord) => r.desired.map((x) => x.replicas);
    return {
      owner: first.owner,
      kind: first.kind,
      minReplicas: first.minReplicas,
      maxReplicas: first.maxReplicas,
      targetCPUUtilization: first.targetCPUUtilization,
      replicas: {
        start: m((r) => r.desired[0]!.replicas),
        min: m((r) => Math.min(...values(r))),
        max: m((r) => Math.max(...values(r))),
        final: m((r) => r.desired[r.desired.length - 1]!.replicas),
        mean: m((r) => timeMean(r.desired, warmup, end)),
      },
      readyFinal: m((r) => r.ready[r.ready.length - 1]!.replicas),
      scaleUps: m((r) => r.scaleUps),
      scaleDowns: m((r) => r.scaleDowns),
      pendingPods: m((r) => r.pendingPods),
      pendingSeconds: m((r) => r.pendingSeconds),
      pendingAtEnd: m((r) => r.pendingAtEnd),
      pendingReason: recs.find((r) => r.pendingReason !== null)?.pendingReason ?? null,
      podsByNode: podsByNode(recs, end - warmup),
      atMax: recs.filter((r) => Math.max(...values(r)) >= r.maxReplicas).length,
      ...(first.container ? { container: first.container } : {}),
      ...(recs.some((r) => r.metricFailures) ? { metricFailures: m((r) => r.metricFailures ?? 0) } : {}),
    };
  });
}

function podsByNode(recs: AutoscaleRecord[], window: number): Array<{ node: number; pods: number }> {
  const sum = new Map<number, number>();
  for (const r of recs) for (const h of r.hosted) sum.set(h.node, (sum.get(h.node) ?? 0) + h.podSeconds);
  const scale = window > 0 ? 1 / (window * recs.length) : 0;
  return [...sum].sort(([a], [b]) => a - b).map(([node, podSeconds]) => ({ node, pods: podSeconds * scale }));
}

/** spec.replicas of each autoscaled workload at each bin's start, mean over replications. */
export function replicaSeries(reps: RepMeasure[], t: number[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  reps[0]!.autoscaling.forEach((first, i) => {
    out[first.owner] = t.map((at) => mean(reps.map((r) => valueAt(r.autoscaling[i]!.desired, at))));
  });
  return out;
}

/** What a reader should not miss: pods that found no room, workloads pinned at their maximum. */
export function autoscalingWarnings(results: AutoscaleResult[], replications: number): string[] {
  const out: string[] = [];
  for (const a of results) {
    // A Deployment the scenario's scale events set has no HPA: its count is what they asked for.
    const who = a.kind === 'manual' ? `scale ${a.owner}` : `autoscaling ${a.owner}`;
    if (a.pendingAtEnd > 0 && a.kind === 'fixed')
      out.push(
        `${a.owner}: ${a.pendingAtEnd} pods unschedulable at the start stayed Pending to the end (${a.pendingReason ?? 'no node fits them'})`,
      );
    else if (a.pendingAtEnd > 0)
      out.push(
        `${who}: ${a.pendingAtEnd} pods it created stayed Pending to the end (${a.pendingReason ?? 'no node fits them'})`,
      );
    if (a.metricFailures)
      out.push(
        `autoscaling ${a.owner}: its ${a.container ?? 'cpu'} metric failed at ${a.metricFailures} syncs (a pod without that container's CPU request): the HPA held its scale`,
      );
    if (a.atMax === replications && a.kind !== 'istiod' && a.kind !== 'manual' && a.kind !== 'fixed')
      out.push(`autoscaling ${a.owner}: reached maxReplicas (${a.maxReplicas}); the load may need more`);
  }
  return out;
}
