// The per-second series of an architecture's results: each bin's mean over replications (rates per
// second), the p99 of each bin's merged latencies and CPU per component in cores.
import { Histogram } from '../../../sim/index.ts';
import type { Component } from '../../cluster/index.ts';
import { LATENCY_RANGE } from '../replication/kinds.ts';
import { replicaSeries } from './autoscaling.ts';
import { mean } from './estimate.ts';
import type { RepMeasure } from './measure.ts';
import type { ArchResult } from './results.ts';

export function timeseries(
  reps: RepMeasure[],
  step: number,
  components: Component[],
): ArchResult['timeseries'] {
  const bins = reps[0]!.arrivalBins.length;
  const t = Array.from({ length: bins }, (_, i) => i * step);
  const cpuSeries: ArchResult['timeseries']['cpu'] = {};
  for (const c of components) {
    if (!reps[0]!.cpuBins[c]) continue;
    cpuSeries[c] = t.map((_, b) => mean(reps.map((r) => r.cpuBins[c][b]!)));
  }
  const p99 = t.map((_, b) => {
    const h = new Histogram(LATENCY_RANGE);
    for (const r of reps) h.merge(r.latencyBins[b]!);
    return h.count > 0 ? h.quantile(0.99) : null;
  });
  return {
    step,
    t,
    requests: t.map((_, b) => mean(reps.map((r) => r.arrivalBins[b]!)) / step),
    errors: t.map((_, b) => mean(reps.map((r) => r.errorBins[b]!)) / step),
    p99,
    cpu: cpuSeries,
    ready: t.map((_, b) => mean(reps.map((r) => r.readyBins[b]!))),
    connectionsOpen: t.map((_, b) => mean(reps.map((r) => r.openBins[b]!))),
    resets: t.map((_, b) => mean(reps.map((r) => r.resetBins[b]!)) / step),
    retries: t.map((_, b) => mean(reps.map((r) => r.retryBins[b]!)) / step),
    replicas: replicaSeries(reps, t),
  };
}
