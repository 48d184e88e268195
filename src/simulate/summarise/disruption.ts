// The disruption section of an architecture's results: what each scenario event did, averaged over
// replications.
import type { DisruptionRecord } from '../../events/index.ts';
import { mean } from './estimate.ts';

/** Averages every number of a disruption record over replications (structure from the first). */
export function averageRecords(recs: DisruptionRecord[]): DisruptionRecord {
  const avg = (f: (r: DisruptionRecord) => number | null): number | null => {
    const xs = recs.map(f).filter((x): x is number => x !== null);
    return xs.length === recs.length ? mean(xs) : null;
  };
  const avgMap = (f: (r: DisruptionRecord) => Record<string, number>): Record<string, number> => {
    const keys = [...new Set(recs.flatMap((r) => Object.keys(f(r))))].sort();
    return Object.fromEntries(keys.map((k) => [k, mean(recs.map((r) => f(r)[k] ?? 0))]));
  };
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
  };
}
