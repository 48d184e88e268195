// Per node: memory against pods, with the node's allocatable memory as the ceiling. Sidecars put memory
// on every pod, ztunnel on every node: the two shapes show as a steeper slope or a raised floor, and a
// node near its line is where the next pod stops fitting.
import { max, min } from 'd3-array';
import type { Results } from '../../simulate/index.ts';
import { caption } from './caption.ts';
import { eachResults } from './each.ts';
import { nodeMemoryInUse } from './node-memory.ts';
import { type Row, tableRows, topLevel, values } from './spec.ts';
import { architectureScale } from './style.ts';
import type { ChartSpec } from './types.ts';

const MiB = 2 ** 20;

function nodesChart(r: Results): ChartSpec[] {
  const A = r.architectures;
  if (A.every((a) => a.placement.perNode.length === 0)) return [];
  const archs = A.map((a) => a.architecture);
  const rows: Row[] = [];
  const table: Array<Array<string | number>> = [];
  for (const a of A) {
    const nodes = nodeMemoryInUse(a);
    for (const n of nodes) {
      rows.push({
        kind: 'node',
        architecture: a.architecture,
        node: n.node,
        pods: n.pods,
        requested: n.requested / MiB,
        inUse: n.inUse / MiB,
      });
    }
    for (const cap of [...new Set(nodes.map((n) => n.allocatable))])
      rows.push({
        kind: 'capacity',
        architecture: a.architecture,
        capacity: cap / MiB,
        label: `allocatable ${Math.round(cap / MiB).toLocaleString('en-US')} MiB`,
      });
    const pods = nodes.map((n) => n.pods);
    const fullest = nodes.reduce((m, n) => Math.max(m, n.allocatable > 0 ? n.inUse / n.allocatable : 0), 0);
    table.push([
      a.architecture,
      nodes.length,
      min(pods) ?? 0,
      max(pods) ?? 0,
      (max(nodes, (n) => n.requested) ?? 0) / MiB,
      (max(nodes, (n) => n.inUse) ?? 0) / MiB,
      fullest * 100,
    ]);
  }
  const only = (kind: string) => [{ filter: { field: 'kind', equal: kind } }];
  const color = {
    field: 'architecture',
    type: 'nominal',
    sort: archs,
    scale: architectureScale(archs),
    legend: null,
  };
  const title = 'Memory per node against pods per node, with the node’s allocatable memory';
  const spec = topLevel(title, caption(r), {
    data: { values: values(rows) },
    facet: { column: { field: 'architecture', type: 'nominal', sort: archs, title: null } },
    spec: {
      width: 200,
      height: 200,
      layer: [
        {
          transform: only('node'),
          mark: { type: 'point', filled: true, opacity: 0.6, size: 30 },
          encoding: {
            x: { field: 'pods', type: 'quantitative', title: 'pods on the node', scale: { zero: true } },
            y: { field: 'inUse', type: 'quantitative', title: 'memory requested or used (MiB)' },
            color,
            tooltip: [
              { field: 'node', type: 'nominal' },
              { field: 'pods', type: 'quantitative' },
              { field: 'requested', type: 'quantitative', title: 'requested (MiB)', format: ',.0f' },
              { field: 'inUse', type: 'quantitative', title: 'requested or used (MiB)', format: ',.0f' },
            ],
          },
        },
        {
          transform: only('capacity'),
          mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4] },
          encoding: { y: { field: 'capacity', type: 'quantitative' } },
        },
        {
          transform: only('capacity'),
          mark: { type: 'text', color: '#d62728', align: 'left', baseline: 'top', x: 2, dy: 3, fontSize: 10 },
          encoding: { y: { field: 'capacity', type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
    },
  });
  return [
    {
      name: 'nodes',
      title,
      spec,
      table: {
        columns: [
          'architecture',
          'nodes',
          'fewest pods on a node',
          'most pods on a node',
          'most memory requested on a node (MiB)',
          'most memory requested or used on a node (MiB)',
          'fullest node (% of allocatable memory)',
        ],
        rows: tableRows(table),
      },
    },
  ];
}

export const nodesCharts = (results: Results[]): ChartSpec[] => eachResults(results, nodesChart);
