// Latency by percentile on a log tail axis (1 - p on a log scale, as Fortio and HdrHistogram plot it):
// the body and the tail get equal room, so p99.9 is as readable as p50, with each entry point's SLO as
// a line. Error bars are the 95 % CI over replications where there are several.
import type { Results } from '../../simulate/index.ts';
import { caption } from './caption.ts';
import { eachResults } from './each.ts';
import { entryLabel, facetColumns } from './entry.ts';
import { type Row, tableRows, topLevel, values } from './spec.ts';
import { architectureScale } from './style.ts';
import type { ChartSpec } from './types.ts';
import { worstEntries } from './worst.ts';

export const QUANTILES = [
  ['p50', 'p50', 0.5],
  ['p90', 'p90', 0.9],
  ['p99', 'p99', 0.99],
  ['p999', 'p99.9', 0.999],
] as const;

/** Position on the tail axis: 0 at p0, 1 at p90, 2 at p99, 3 at p99.9. */
export const nines = (p: number) => -Math.log10(1 - p);

const TICKS = [nines(0.5), 1, 2, 3];
const TICK_LABELS =
  "datum.value < 0.5 ? '50 %' : datum.value < 1.5 ? '90 %' : datum.value < 2.5 ? '99 %' : '99.9 %'";

/** The layer when some row is of its kind: an empty layer leaves vega an infinite extent to warn about. */
const layersWith = (rows: Row[], kind: string, layer: object) =>
  rows.some((x) => x.kind === kind) ? [layer] : [];

function latencyChart(r: Results): ChartSpec[] {
  const A = r.architectures;
  if ((A[0]?.entryPoints.length ?? 0) === 0) return [];
  const archs = A.map((a) => a.architecture);
  const { shown, rest } = worstEntries(A);
  const entries = shown.map((i) => entryLabel(A[0]!.entryPoints[i]!));
  const rows: Row[] = [];
  const table: Array<Array<string | number>> = [];
  for (const a of A)
    for (const [i, e] of a.entryPoints.entries()) {
      const entry = entryLabel(e);
      const charted = shown.includes(i);
      for (const [key, label] of QUANTILES) {
        const q = e.latency[key];
        table.push([entry, a.architecture, label, q.mean * 1e3, q.lo * 1e3, q.hi * 1e3]);
      }
      if (!charted) continue;
      const base = { entry, architecture: a.architecture };
      // The measured distribution up to its last step below 1, then p99.9 (beyond the CDF's resolution).
      for (const [s, f] of e.latency.cdf)
        if (f < 0.999 - 1e-9) rows.push({ ...base, kind: 'line', x: nines(f), ms: s * 1e3, at: f * 100 });
      rows.push({ ...base, kind: 'line', x: 3, ms: e.latency.p999.mean * 1e3, at: 99.9 });
      // Side by side around their percentile, so the architectures' bars do not hide one another.
      const nudge = (archs.indexOf(a.architecture) - (archs.length - 1) / 2) * 0.045;
      for (const [key, , p] of QUANTILES) {
        const q = e.latency[key];
        if (q.half > 0)
          rows.push({ ...base, kind: 'ci', x: nines(p) + nudge, lo: q.lo * 1e3, hi: q.hi * 1e3 });
      }
    }
  for (const i of shown) {
    const e = A[0]!.entryPoints[i]!;
    for (const s of e.slo) {
      const label = QUANTILES.find(([k]) => k === s.quantile)?.[1] ?? s.quantile;
      rows.push({
        entry: entryLabel(e),
        kind: 'slo',
        ms: s.target * 1e3,
        label: `${label} SLO ${s.target * 1e3} ms`,
      });
    }
  }
  const x = {
    field: 'x',
    type: 'quantitative',
    title: 'percentile (log tail axis)',
    scale: { domain: [0, 3.15], nice: false },
    axis: { values: TICKS, labelExpr: TICK_LABELS, grid: true },
  };
  const y = { field: 'ms', type: 'quantitative', title: 'latency (ms)' };
  const color = { field: 'architecture', type: 'nominal', sort: archs, scale: architectureScale(archs) };
  const only = (kind: string) => [{ filter: { field: 'kind', equal: kind } }];
  const title = 'Latency by percentile per entry point (log tail axis), SLO as a dashed line';
  const sub = [caption(r)];
  if (rest.length > 0)
    sub.push(
      `the ${shown.length} entry points nearest their objective; the other ${rest.length} are in the table`,
    );
  const spec = topLevel(title, sub.length === 1 ? sub[0]! : sub, {
    data: { values: values(rows) },
    facet: { field: 'entry', type: 'nominal', sort: entries, title: 'entry point' },
    columns: facetColumns(entries.length),
    // One latency scale for every entry point: comparable at a glance, and a layer with no rows in some
    // panel (an entry point without an SLO) does not leave that panel's scale without a domain.
    spec: {
      width: 280,
      height: 200,
      layer: [
        {
          transform: only('line'),
          mark: { type: 'line', strokeWidth: 1.8 },
          encoding: {
            x,
            y,
            color,
            order: { field: 'x', type: 'quantitative' },
            tooltip: [
              { field: 'architecture', type: 'nominal' },
              { field: 'at', type: 'quantitative', title: 'percentile', format: '.1f' },
              { field: 'ms', type: 'quantitative', title: 'ms', format: ',.4~r' },
            ],
          },
        },
        ...layersWith(rows, 'ci', {
          transform: only('ci'),
          mark: { type: 'rule', strokeWidth: 1.2 },
          encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color },
        }),
        ...layersWith(rows, 'slo', {
          transform: only('slo'),
          mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4], strokeWidth: 1.5 },
          encoding: { y },
        }),
        ...layersWith(rows, 'slo', {
          transform: only('slo'),
          mark: {
            type: 'text',
            color: '#d62728',
            align: 'left',
            baseline: 'bottom',
            dx: 3,
            dy: -2,
            x: 0,
            fontSize: 10,
          },
          encoding: { y, text: { field: 'label' } },
        }),
      ],
    },
  });
  return [
    {
      name: 'latency',
      title,
      spec,
      table: {
        columns: [
          'entry point',
          'architecture',
          'quantile',
          'latency (ms)',
          '95% CI low (ms)',
          '95% CI high (ms)',
        ],
        rows: tableRows(table),
      },
    },
  ];
}

export const latencyCharts = (results: Results[]): ChartSpec[] => eachResults(results, latencyChart);
