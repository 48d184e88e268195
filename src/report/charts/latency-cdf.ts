// The whole latency distribution, where quantile bars hide its shape: a CDF on a log axis shows both the
// body (where a proxy adds a fixed cost) and the tail (where its queue builds) in one picture.
import type { Results } from '../../simulate/index.ts';
import { caption } from './caption.ts';
import { eachResults } from './each.ts';
import { entryLabel, facetColumns } from './entry.ts';
import { type Row, tableRows, topLevel, values } from './spec.ts';
import { architectureScale } from './style.ts';
import type { ChartSpec } from './types.ts';
import { worstEntries } from './worst.ts';

/** The fractions listed in the table: the full CDF is in the spec, the table keeps the readable points. */
const TABLE_AT = [0.5, 0.9, 0.99, 1];

/** 1-2-5 tick values covering [lo, hi]: a log axis labelled only where labels cannot collide. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let d = Math.floor(Math.log10(lo)); 10 ** d <= hi * 1.0001; d++)
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** d).toPrecision(1));
      if (v >= lo * 0.9999 && v <= hi * 1.0001) out.push(v);
    }
  return out;
}

function cdfChart(r: Results): ChartSpec[] {
  const A = r.architectures;
  const archs = A.map((a) => a.architecture);
  const { shown, rest } = worstEntries(A);
  const entries = shown.map((i) => entryLabel(A[0]!.entryPoints[i]!));
  const rows: Row[] = [];
  const table: Array<Array<string | number>> = [];
  // The axis spans the charted data up to the largest p99.9: the last step of a CDF is its maximum, a
  // single request that would stretch the axis over decades where nothing else is (it is in the table).
  let lo = Infinity;
  let hi = 0;
  for (const a of A)
    for (const [i, e] of a.entryPoints.entries()) {
      // A log axis cannot show 0 s; such points carry no information about the shape anyway.
      const cdf = e.latency.cdf.filter(([s]) => s > 0);
      for (const at of TABLE_AT) {
        const point = cdf.find(([, f]) => f >= at - 1e-9);
        if (point) table.push([entryLabel(e), a.architecture, at, point[0] * 1e3]);
      }
      if (!shown.includes(i)) continue;
      const p999 = e.latency.p999.mean * 1e3;
      hi = Math.max(hi, p999);
      for (const [s, f] of cdf) {
        if (f >= 1 - 1e-9 && s * 1e3 > p999) continue;
        lo = Math.min(lo, s * 1e3);
        rows.push({ entry: entryLabel(e), architecture: a.architecture, ms: s * 1e3, fraction: f });
      }
    }
  if (rows.length === 0) return [];
  const domain = [lo, Math.max(hi, lo * 2)];
  const title = 'Latency distribution (CDF) per entry point, architectures overlaid';
  const sub = [caption(r)];
  if (rest.length > 0)
    sub.push(
      `the ${shown.length} entry points nearest their objective; the other ${rest.length} are in the table`,
    );
  const spec = topLevel(title, sub.length === 1 ? sub[0]! : sub, {
    data: { values: values(rows) },
    facet: { field: 'entry', type: 'nominal', sort: entries, title: 'entry point' },
    columns: facetColumns(entries.length),
    spec: {
      width: 280,
      height: 200,
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.8, clip: true },
      encoding: {
        x: {
          field: 'ms',
          type: 'quantitative',
          scale: { type: 'log', domain, nice: false },
          axis: { values: logTicks(domain[0]!, domain[1]!), format: '~g', labelOverlap: 'greedy' },
          title: 'latency (ms, log scale)',
        },
        y: {
          field: 'fraction',
          type: 'quantitative',
          scale: { domain: [0, 1] },
          axis: { format: '%' },
          title: 'requests completed within (%)',
        },
        color: { field: 'architecture', type: 'nominal', sort: archs, scale: architectureScale(archs) },
        order: { field: 'fraction', type: 'quantitative' },
      },
    },
  });
  return [
    {
      name: 'latency-cdf',
      title,
      spec,
      table: { columns: ['entry point', 'architecture', 'fraction', 'latency (ms)'], rows: tableRows(table) },
    },
  ];
}

export const latencyCdfCharts = (results: Results[]): ChartSpec[] => eachResults(results, cdfChart);
