// The whole latency distribution, where quantile bars hide its shape: a CDF on a log axis shows both the
// body (where a proxy adds a fixed cost) and the tail (where its queue builds) in one picture.
import type { Results } from '../../simulate/index.ts';
import { caption } from './caption.ts';
import { eachResults } from './each.ts';
import { entryLabel, facetColumns } from './entry.ts';
import { type Row, tableRows, topLevel, values } from './spec.ts';
import { architectureScale } from './style.ts';
import type { ChartSpec } from './types.ts';

/** The fractions listed in the table: the full CDF is in the spec, the table keeps the readable points. */
const TABLE_AT = [0.5, 0.9, 0.99, 1];

function cdfChart(r: Results): ChartSpec[] {
  const A = r.architectures;
  const entries = A[0]?.entryPoints.map(entryLabel) ?? [];
  const archs = A.map((a) => a.architecture);
  const rows: Row[] = [];
  const table: Array<Array<string | number>> = [];
  for (const a of A)
    for (const e of a.entryPoints) {
      // A log axis cannot show 0 s; such points carry no information about the shape anyway.
      const cdf = e.latency.cdf.filter(([s]) => s > 0);
      for (const [s, f] of cdf)
        rows.push({ entry: entryLabel(e), architecture: a.architecture, ms: s * 1e3, fraction: f });
      for (const at of TABLE_AT) {
        const point = cdf.find(([, f]) => f >= at - 1e-9);
        if (point) table.push([entryLabel(e), a.architecture, at, point[0] * 1e3]);
      }
    }
  if (rows.length === 0) return [];
  const title = 'Latency distribution (CDF) per entry point, architectures overlaid';
  const spec = topLevel(title, caption(r), {
    data: { values: values(rows) },
    facet: { field: 'entry', type: 'nominal', sort: entries, title: 'entry point' },
    columns: facetColumns(entries.length),
    spec: {
      width: 280,
      height: 200,
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.8 },
      encoding: {
        x: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'latency (ms, log scale)' },
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
