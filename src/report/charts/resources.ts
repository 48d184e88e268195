// CPU and memory share one chart shape: per architecture, a stacked bar of what each component uses next
// to a stacked bar of what it requests (what the scheduler reserves and the cluster pays for).

import { D3_NUMBER_FORMAT } from '../../format/index.ts';
import type { ComponentUsage, Results } from '../../simulate/index.ts';
import { caption } from './caption.ts';
import { type Row, tableRows, topLevel, values } from './spec.ts';
import { architectureX, componentOrder, componentScale } from './style.ts';
import type { ChartSpec } from './types.ts';

export interface Resource {
  name: string;
  title: string;
  /** Axis and table unit, e.g. 'cores'. */
  unit: string;
  /** What the axis measures, e.g. 'CPU'. */
  what: string;
  used: (c: ComponentUsage) => { mean: number; half: number };
  requested: (c: ComponentUsage) => number;
  scale: number;
}

const MEASURES = ['used', 'requested'];

export function resourceChart(r: Results, k: Resource): ChartSpec[] {
  const A = r.architectures;
  if (A.length === 0 || A.every((a) => a.components.length === 0)) return [];
  const archs = A.map((a) => a.architecture);
  const comps = componentOrder(A.flatMap((a) => a.components.map((c) => c.component)));
  const rows: Row[] = [];
  const table: Array<Array<string | number>> = [];
  for (const a of A) {
    let used = 0;
    let requested = 0;
    for (const c of a.components) {
      const u = k.used(c);
      const order = comps.indexOf(c.component);
      const req = k.requested(c) / k.scale;
      rows.push({
        architecture: a.architecture,
        component: c.component,
        order,
        measure: 'used',
        value: u.mean / k.scale,
      });
      rows.push({
        architecture: a.architecture,
        component: c.component,
        order,
        measure: 'requested',
        value: req,
      });
      table.push([a.architecture, c.component, c.instances, u.mean / k.scale, u.half / k.scale, req]);
      used += u.mean / k.scale;
      requested += req;
    }
    table.push([a.architecture, 'total', '', used, '', requested]);
  }
  const axis = `${k.what} (${k.unit})`;
  const x = architectureX(archs);
  const xOffset = { field: 'measure', type: 'nominal', sort: MEASURES, scale: { paddingInner: 0.08 } };
  const spec = topLevel(k.title, caption(r), {
    data: { values: values(rows) },
    width: 150 * archs.length,
    height: 300,
    layer: [
      {
        mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          x,
          xOffset,
          y: { field: 'value', type: 'quantitative', stack: 'zero', title: axis },
          color: {
            field: 'component',
            type: 'nominal',
            sort: comps,
            scale: componentScale(comps),
            title: 'component',
          },
          opacity: {
            field: 'measure',
            type: 'nominal',
            sort: MEASURES,
            scale: { domain: MEASURES, range: [1, 0.5] },
            title: 'bar (left, right)',
          },
          order: { field: 'order', type: 'quantitative' },
          tooltip: [
            { field: 'architecture', type: 'nominal' },
            { field: 'component', type: 'nominal' },
            { field: 'measure', type: 'nominal' },
            { field: 'value', type: 'quantitative', title: axis, format: D3_NUMBER_FORMAT },
          ],
        },
      },
      {
        // The total above each bar, so used and requested can be read without summing segments; four
        // significant digits with thousands separators (6,208 MiB, 3.757 cores).
        transform: [
          { aggregate: [{ op: 'sum', field: 'value', as: 'total' }], groupby: ['architecture', 'measure'] },
        ],
        mark: { type: 'text', dy: -6, fontSize: 10, baseline: 'bottom' },
        encoding: {
          x,
          xOffset,
          y: { field: 'total', type: 'quantitative' },
          text: { field: 'total', type: 'quantitative', format: D3_NUMBER_FORMAT },
        },
      },
    ],
  });
  return [
    {
      name: k.name,
      title: k.title,
      spec,
      table: {
        columns: [
          'architecture',
          'component',
          'instances',
          `used (${k.unit}, mean)`,
          `used 95% CI ± (${k.unit})`,
          `requested (${k.unit})`,
        ],
        rows: tableRows(table),
      },
    },
  ];
}
