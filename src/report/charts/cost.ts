// Monthly cost per architecture, stacked by what it is spent on, with the saving against sidecar mode
// written above each bar: the number a migration decision is argued over.
import { type Row, tableRows, topLevel, values } from './spec.ts';
import { architectureX, componentOrder, componentScale } from './style.ts';
import type { ChartSpec } from './types.ts';

/**
 * One architecture's monthly cost (the `cost` field of a cost file; its producer, `meshsim plan`/cost,
 * is not typed yet). `monthly` is the whole bill in dollars: `byComponent` (what each component's
 * requests cost) plus `idle` (node capacity paid for but requested by nobody).
 */
export interface CostInput {
  architecture: string;
  monthly: number;
  byComponent: Record<string, number>;
  idle: number;
}

const dollars = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;

function savingLabel(c: CostInput, sidecar: CostInput | undefined): string {
  if (!sidecar || c === sidecar || sidecar.monthly === 0) return dollars(c.monthly);
  const p = ((sidecar.monthly - c.monthly) / sidecar.monthly) * 100;
  const word = p >= 0 ? 'saves' : 'costs';
  return `${dollars(c.monthly)} (${word} ${Math.abs(p).toFixed(1)}% vs sidecar)`;
}

export function costCharts(cost: CostInput[], subtitle = 'cost'): ChartSpec[] {
  if (cost.length === 0) return [];
  const archs = cost.map((c) => c.architecture);
  const comps = componentOrder([...cost.flatMap((c) => Object.keys(c.byComponent)), 'idle']);
  const sidecar = cost.find((c) => c.architecture === 'sidecar');
  const rows: Row[] = cost.flatMap((c) =>
    comps.map((k, order) => ({
      architecture: c.architecture,
      component: k,
      order,
      dollars: k === 'idle' ? c.idle : (c.byComponent[k] ?? 0),
    })),
  );
  const labels = cost.map((c) => ({
    architecture: c.architecture,
    monthly: c.monthly,
    label: savingLabel(c, sidecar),
  }));
  const x = architectureX(archs);
  const title = sidecar
    ? 'Monthly cost per architecture, and savings vs sidecar'
    : 'Monthly cost per architecture';
  const spec = topLevel(title, subtitle, {
    width: 170 * archs.length,
    height: 300,
    layer: [
      {
        data: { values: values(rows) },
        mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          x,
          y: { field: 'dollars', type: 'quantitative', stack: 'zero', title: 'cost (US$ per month)' },
          color: {
            field: 'component',
            type: 'nominal',
            sort: comps,
            scale: componentScale(comps),
            title: 'spent on',
          },
          order: { field: 'order', type: 'quantitative' },
          tooltip: [
            { field: 'architecture', type: 'nominal' },
            { field: 'component', type: 'nominal' },
            { field: 'dollars', type: 'quantitative', title: 'US$ per month', format: ',.0f' },
          ],
        },
      },
      {
        data: { values: values(labels) },
        mark: { type: 'text', dy: -6, baseline: 'bottom', fontSize: 10 },
        encoding: { x, y: { field: 'monthly', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  });
  const saving = (c: CostInput): Array<string | number> =>
    sidecar && sidecar.monthly !== 0
      ? [sidecar.monthly - c.monthly, ((sidecar.monthly - c.monthly) / sidecar.monthly) * 100]
      : ['', ''];
  return [
    {
      name: 'cost',
      title,
      spec,
      table: {
        columns: [
          'architecture',
          'monthly (US$)',
          ...comps.map((k) => `${k} (US$)`),
          'saving vs sidecar (US$/month)',
          'saving vs sidecar (%)',
        ],
        rows: tableRows(
          cost.map((c) => [
            c.architecture,
            c.monthly,
            ...comps.map((k) => (k === 'idle' ? c.idle : (c.byComponent[k] ?? 0))),
            ...saving(c),
          ]),
        ),
      },
    },
  ];
}
