// Side-by-side differences: every architecture against no mesh, and ambient against sidecar. Each is
// a paired comparison: replication r of every architecture ran on the same random numbers (run.ts), so
// the per-replication differences carry their own Student-t 95 % interval (sim/stats/paired.ts).
import { pairedDifference } from '../../../sim/index.ts';
import { MESH_COMPONENTS } from '../../mesh/index.ts';
import { bucketFloor } from './estimate.ts';
import type { RepMeasure } from './measure.ts';
import type { ArchResult, Delta } from './results.ts';

/** One metric of one architecture, one value per replication. */
export interface Sampled {
  metric: string;
  values: number[];
  /** Read off histogram buckets: the difference cannot be resolved below the buckets' half-widths. */
  bucketed: boolean;
}

export interface ArchSamples {
  architecture: ArchResult['architecture'];
  metrics: Sampled[];
}

/** The compared metrics of an architecture, per replication. */
export function archSamples(a: ArchResult, reps: RepMeasure[]): ArchSamples {
  const counted = a.components.map((c) => c.component);
  const mesh = counted.filter((c) => MESH_COMPONENTS.includes(c));
  const per = (f: (r: RepMeasure) => number) => reps.map(f);
  const fixed = (v: number) => reps.map(() => v);
  const metrics: Sampled[] = [
    {
      metric: 'cpu used (cores)',
      values: per((r) => counted.reduce((s, c) => s + r.cpu[c], 0)),
      bucketed: false,
    },
    { metric: 'cpu requested (cores)', values: fixed(a.totals.cpuRequested), bucketed: false },
    {
      metric: 'memory used (bytes)',
      values: per((r) => counted.reduce((s, c) => s + r.memory[c], 0)),
      bucketed: false,
    },
    { metric: 'memory requested (bytes)', values: fixed(a.totals.memoryRequested), bucketed: false },
    {
      metric: 'mesh cpu used (cores)',
      values: per((r) => mesh.reduce((s, c) => s + r.cpu[c], 0)),
      bucketed: false,
    },
    {
      metric: 'mesh memory used (bytes)',
      values: per((r) => mesh.reduce((s, c) => s + r.memory[c], 0)),
      bucketed: false,
    },
    { metric: 'nodes used', values: fixed(a.placement.nodesUsed), bucketed: false },
    {
      metric: 'cross-zone traffic (bytes/s)',
      values: per((r) => r.crossZoneBytes / r.window),
      bucketed: false,
    },
  ];
  a.entryPoints.forEach((e, i) => {
    for (const [q, p] of [
      ['p50', 0.5],
      ['p99', 0.99],
    ] as const) {
      const values = per((r) => (r.entryHist[i]!.count > 0 ? r.entryHist[i]!.quantile(p) : Number.NaN));
      metrics.push({ metric: `${e.name} ${q} (s)`, values, bucketed: true });
    }
  });
  return { architecture: a.architecture, metrics };
}

/** The headline latency deltas: what precision (precision.ts) must pin down. */
export const isLatencyDelta = (d: Delta): boolean => / p(50|99) \(s\)$/.test(d.metric);

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

export function compare(from: Sampled, to: Sampled): Omit<Delta, 'metric' | 'from' | 'to'> {
  // Pairs where either side measured nothing (no completions) have no difference.
  const keep = from.values.map((v, r) => Number.isFinite(v) && Number.isFinite(to.values[r]!));
  const a = from.values.filter((_, r) => keep[r]);
  const b = to.values.filter((_, r) => keep[r]);
  if (a.length === 0)
    return {
      base: Number.NaN,
      value: Number.NaN,
      change: Number.NaN,
      percent: null,
      ci: null,
      significant: false,
    };
  const base = mean(a);
  const value = mean(b);
  const floor = from.bucketed ? bucketFloor(base) + bucketFloor(value) : 0;
  const d = pairedDifference(a, b, floor);
  // Values identical in every replication (requests, node counts) differ exactly.
  const exact = !from.bucketed && a.every((x, r) => x === a[0] && b[r] === b[0]);
  const ci: [number, number] | null = exact ? [d.mean, d.mean] : d.ci;
  return {
    base,
    value,
    change: d.mean,
    percent: base === 0 ? null : (d.mean / base) * 100,
    ci,
    significant: exact ? d.mean !== 0 : d.significant,
  };
}

/** The compared pairs (from, to): every architecture against no mesh, and ambient against sidecar. */
export function comparedPairs<T extends { architecture: ArchResult['architecture'] }>(
  xs: T[],
): Array<[T, T]> {
  const by = new Map(xs.map((a) => [a.architecture, a]));
  const pairs: Array<[T, T]> = [];
  const none = by.get('none');
  for (const a of xs) if (a.architecture !== 'none' && none) pairs.push([none, a]);
  const sidecar = by.get('sidecar');
  const ambient = by.get('ambient');
  if (sidecar && ambient) pairs.push([sidecar, ambient]);
  return pairs;
}

export function deltas(samples: ArchSamples[]): Delta[] {
  const out: Delta[] = [];
  for (const [from, to] of comparedPairs(samples)) {
    const base = new Map(from.metrics.map((m) => [m.metric, m]));
    for (const m of to.metrics) {
      const b = base.get(m.metric);
      if (!b) continue;
      out.push({ metric: m.metric, from: from.architecture, to: to.architecture, ...compare(b, m) });
    }
  }
  return out;
}
