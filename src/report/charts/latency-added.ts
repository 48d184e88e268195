// What the mesh adds to each percentile, against the same scenario without a mesh: the number the Istio
// performance pages quote ("latency added"), at a scale where 0.1 ms differences show. The interval is
// the paired one when the results' deltas carry it, else an unpaired approximation from the two
// architectures' own intervals (sqrt(h1² + h2²): wider than a paired interval, never narrower).
import type { Delta, Estimate, Results } from '../../simulate/index.ts';
import { caption } from './caption.ts';
import { eachResults } from './each.ts';
import { entryLabel, facetColumns } from './entry.ts';
import { QUANTILES } from './latency.ts';
import { type Row, tableRows, topLevel, values } from './spec.ts';
import { architectureScale } from './style.ts';
import type { ChartSpec } from './types.ts';
import { worstEntries } from './worst.ts';

type Judged = Delta & { ci?: unknown };

/** A paired interval of a delta in seconds, read structurally ({lo, hi}, [lo, hi] or {half}). */
function pairedOf(d: Judged | undefined): { lo: number; hi: number } | undefined {
  const ci = d?.ci;
  const n = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (!d || ci === undefined || ci === null) return undefined;
  if (Array.isArray(ci) && n(ci[0]) && n(ci[1])) return { lo: ci[0], hi: ci[1] };
  const o = ci as unknown as Record<string, unknown>;
  if (n(o.lo) && n(o.hi)) return { lo: o.lo, hi: o.hi };
  if (n(o.half)) return { lo: d.change - o.half, hi: d.change + o.half };
  return undefined;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function addedChart(r: Results): ChartSpec[] {
  const A = r.architectures;
  const none = A.find((a) => a.architecture === 'none');
  const meshes = A.filter((a) => a.architecture !== 'none');
  if (!none || meshes.length === 0 || none.entryPoints.length === 0) return [];
  const archs = meshes.map((a) => a.architecture);
  const { shown, rest } = worstEntries(A);
  const rows: Row[] = [];
  const table: Array<Array<string | number>> = [];
  const delta = (to: string, metric: string) =>
    r.deltas.find((d) => d.from === 'none' && d.to === to && d.metric === metric) as Judged | undefined;
  for (const a of meshes)
    for (const [i, e] of a.entryPoints.entries()) {
      const base = none.entryPoints[i];
      if (!base) continue;
      const entry = entryLabel(e);
      for (const [key, label] of QUANTILES) {
        const q: Estimate = e.latency[key];
        const b: Estimate = base.latency[key];
        const added = (q.mean - b.mean) * 1e3;
        const paired = pairedOf(delta(a.architecture, `${e.name} ${key} (s)`));
        const half = Math.sqrt(q.half ** 2 + b.half ** 2) * 1e3;
        const iv = paired
          ? { lo: paired.lo * 1e3, hi: paired.hi * 1e3, how: 'paired' }
          : half > 0
            ? { lo: added - half, hi: added + half, how: 'unpaired (approx.)' }
            : undefined;
        table.push([entry, a.architecture, label, added, iv?.lo ?? '', iv?.hi ?? '', iv?.how ?? 'none']);
        if (shown.includes(i))
          rows.push({
            entry,
            architecture: a.architecture,
            quantile: label,
            ms: added,
            lo: iv?.lo ?? null,
            hi: iv?.hi ?? null,
          });
      }
    }
  const entries = shown.map((i) => entryLabel(none.entryPoints[i]!));
  if (rest.length > 0) {
    const other = `other ${rest.length} entry points (median)`;
    entries.push(other);
    for (const a of meshes)
      for (const [key, label] of QUANTILES) {
        const xs = rest.map(
          (i) => (a.entryPoints[i]!.latency[key].mean - none.entryPoints[i]!.latency[key].mean) * 1e3,
        );
        rows.push({
          entry: other,
          architecture: a.architecture,
          quantile: label,
          ms: median(xs),
          lo: null,
          hi: null,
        });
      }
  }
  // The axis fits the bars and intervals up to three times the largest bar: one replication-noisy p99.9
  // interval would otherwise flatten every bar to a line. Longer intervals are cut at the edge (their
  // ends are in the table).
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  const biggest = Math.max(0.05, ...rows.map((x) => Math.abs(num(x.ms))));
  const reach = (v: unknown) => Math.max(-3 * biggest, Math.min(3 * biggest, num(v)));
  const lows = rows.flatMap((x) => [num(x.ms), reach(x.lo)]);
  const highs = rows.flatMap((x) => [num(x.ms), reach(x.hi)]);
  const domain = [Math.min(0, ...lows) * 1.05, Math.max(0, ...highs) * 1.05];
  const labels = QUANTILES.map(([, l]) => l);
  const x = {
    field: 'quantile',
    type: 'ordinal',
    sort: labels,
    title: 'percentile',
    axis: { labelAngle: 0 },
  };
  const xOffset = { field: 'architecture', type: 'nominal', sort: archs };
  const title = 'Latency added vs no mesh, per percentile and entry point';
  const cut = rows.some((x) => x.lo !== null && (num(x.lo) < domain[0]! || num(x.hi) > domain[1]!));
  const sub = [
    caption(r),
    ...(cut ? ['intervals longer than the axis are cut at its edge (see the table)'] : []),
  ];
  const spec = topLevel(title, sub.length === 1 ? sub[0]! : sub, {
    data: { values: values(rows) },
    facet: { field: 'entry', type: 'nominal', sort: entries, title: 'entry point' },
    columns: facetColumns(entries.length),
    spec: {
      width: 60 + 60 * archs.length,
      height: 180,
      layer: [
        {
          mark: 'bar',
          encoding: {
            x,
            xOffset,
            y: {
              field: 'ms',
              type: 'quantitative',
              title: 'added latency (ms)',
              scale: { domain, nice: false },
            },
            color: { field: 'architecture', type: 'nominal', sort: archs, scale: architectureScale(archs) },
            tooltip: [
              { field: 'architecture', type: 'nominal' },
              { field: 'quantile', type: 'ordinal' },
              { field: 'ms', type: 'quantitative', title: 'added (ms)', format: '+.3~f' },
              { field: 'lo', type: 'quantitative', title: '95% interval low (ms)', format: '+.3~f' },
              { field: 'hi', type: 'quantitative', title: '95% interval high (ms)', format: '+.3~f' },
            ],
          },
        },
        // Intervals only where some exist (one replication has none): an empty layer has no extent.
        ...(rows.some((x) => x.lo !== null)
          ? [
              {
                transform: [{ filter: 'isValid(datum.lo)' }],
                mark: { type: 'rule', color: '#222222', clip: true },
                encoding: { x, xOffset, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
              },
            ]
          : []),
        { mark: { type: 'rule', color: '#222222', strokeWidth: 1 }, encoding: { y: { datum: 0 } } },
      ],
    },
  });
  return [
    {
      name: 'latency-added',
      title,
      spec,
      table: {
        columns: [
          'entry point',
          'architecture',
          'percentile',
          'added (ms)',
          '95% low (ms)',
          '95% high (ms)',
          'interval',
        ],
        rows: tableRows(table),
      },
    },
  ];
}

export const latencyAddedCharts = (results: Results[]): ChartSpec[] => eachResults(results, addedChart);
