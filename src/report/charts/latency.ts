// Latency quantiles per entry point: bars of the mean over replications with the 95 % CI as error bars,
// so a difference smaller than the noise between replications is visible as such.
import type { Results } from '../../simulate/index.ts';
import { caption } from './caption.ts';
import { eachResults } from './each.ts';
import { entryLabel, facetColumns } from './entry.ts';
import { type Row, tableRows, topLevel, values } from './spec.ts';
import { architectureScale } from './style.ts';
import type { ChartSpec } from './types.ts';

const QUANTILES = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p99', 'p99'],
  ['p999', 'p99.9'],
] as const;

function latencyChart(r: Results): ChartSpec[] {
  const A = r.architectures;
  const entries = A[0]?.entryPoints.map(entryLabel) ?? [];
  if (entries.length === 0) return [];
  const archs = A.map((a) => a.architecture);
  const rows: Row[] = [];
  const table: Array<Array<string | number>> = [];
  for (const a of A)
    for (const e of a.entryPoints)
      for (const [key, label] of QUANTILES) {
        const q = e.latency[key];
        const row = { entry: entryLabel(e), architecture: a.architecture, quantile: label };
        rows.push({ ...row, ms: q.mean * 1e3, lo: q.lo * 1e3, hi: q.hi * 1e3 });
        table.push([row.entry, row.architecture, label, q.mean * 1e3, q.lo * 1e3, q.hi * 1e3]);
      }
  const labels = QUANTILES.map(([, l]) => l);
  const x = { field: 'quantile', type: 'ordinal', sort: labels, title: 'quantile', axis: { labelAngle: 0 } };
  const xOffset = { field: 'architecture', type: 'nominal', sort: archs };
  const title = 'Request latency quantiles per entry point, by architecture';
  const spec = topLevel(title, caption(r), {
    data: { values: values(rows) },
    facet: { field: 'entry', type: 'nominal', sort: entries, title: 'entry point' },
    columns: facetColumns(entries.length),
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 60 + 70 * archs.length,
      height: 220,
      layer: [
        {
          mark: 'bar',
          encoding: {
            x,
            xOffset,
            y: { field: 'ms', type: 'quantitative', title: 'latency (ms, mean over replications)' },
            color: { field: 'architecture', type: 'nominal', sort: archs, scale: architectureScale(archs) },
            tooltip: [
              { field: 'architecture', type: 'nominal' },
              { field: 'quantile', type: 'ordinal' },
              { field: 'ms', type: 'quantitative', title: 'ms', format: '.3~f' },
              { field: 'lo', type: 'quantitative', title: '95% CI low (ms)', format: '.3~f' },
              { field: 'hi', type: 'quantitative', title: '95% CI high (ms)', format: '.3~f' },
            ],
          },
        },
        {
          mark: { type: 'rule', color: '#222222' },
          encoding: { x, xOffset, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
        },
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
