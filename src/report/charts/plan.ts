// Capacity plan: how many nodes, and what they cost, as the load grows; one line per architecture and
// instance type, so the cheapest pairing at each growth step can be read off directly.
import { type Row, tableRows, topLevel, values } from './spec.ts';
import { architectureScale } from './style.ts';
import type { ChartSpec } from './types.ts';

/**
 * One point of a capacity plan (the `plan` field of a plan file; `meshsim plan` is not typed yet).
 * `growth` is the load multiplier against the scenario as written (1 = today, 2 = twice the traffic);
 * `nodes` the nodes needed, `monthly` their cost in dollars.
 */
export interface PlanInput {
  growth: number;
  architecture: string;
  instanceType: string;
  nodes: number;
  monthly: number;
}

export function planCharts(plan: PlanInput[], subtitle = 'capacity plan'): ChartSpec[] {
  if (plan.length === 0) return [];
  const archs = [...new Set(plan.map((p) => p.architecture))];
  const types = [...new Set(plan.map((p) => p.instanceType))].sort();
  const rows: Row[] = plan.map((p) => ({ ...p, series: `${p.architecture} on ${p.instanceType}` }));
  const panel = (field: string, title: string, format: string) => ({
    width: 520,
    height: 200,
    mark: { type: 'line', point: true, strokeWidth: 1.8 },
    encoding: {
      x: { field: 'growth', type: 'quantitative', title: 'load growth (× today)', scale: { zero: false } },
      y: { field, type: 'quantitative', title },
      color: { field: 'architecture', type: 'nominal', sort: archs, scale: architectureScale(archs) },
      strokeDash: {
        field: 'instanceType',
        type: 'nominal',
        sort: types,
        title: 'instance type',
        legend: { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 300 },
      },
      detail: { field: 'series', type: 'nominal' },
      tooltip: [
        { field: 'series', type: 'nominal', title: 'architecture on type' },
        { field: 'growth', type: 'quantitative' },
        { field, type: 'quantitative', title, format },
      ],
    },
  });
  const title = 'Nodes and monthly cost against load growth, per architecture and instance type';
  const spec = topLevel(title, subtitle, {
    data: { values: values(rows) },
    vconcat: [panel('nodes', 'nodes needed', 'd'), panel('monthly', 'cost (US$ per month)', ',.0f')],
  });
  const sorted = [...plan].sort(
    (a, b) =>
      a.growth - b.growth ||
      archs.indexOf(a.architecture) - archs.indexOf(b.architecture) ||
      a.instanceType.localeCompare(b.instanceType),
  );
  return [
    {
      name: 'plan',
      title,
      spec,
      table: {
        columns: ['growth (×)', 'architecture', 'instance type', 'nodes', 'monthly (US$)'],
        rows: tableRows(sorted.map((p) => [p.growth, p.architecture, p.instanceType, p.nodes, p.monthly])),
      },
    },
  ];
}
