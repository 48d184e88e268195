// Capacity plan: what each architecture costs as the load grows, one line per architecture and instance
// type (a distinct point shape per type), the cheapest mesh's saving against sidecar written at each
// growth step, and what bound each point: the scheduler (requests), or the simulation (CPU or SLO).

import { SIMULATION_PREFIX } from './plan-binding.ts';
import { type Row, tableRows, topLevel, values } from './spec.ts';
import { architectureScale } from './style.ts';
import type { ChartSpec } from './types.ts';

/**
 * One point of a capacity plan (the `plan` field of a plan file). `growth` is the load multiplier
 * against the scenario as written (1 = today); `nodes` the nodes needed, `monthly` their cost in dollars.
 * `binding`, when given, is what decided the node count.
 */
export interface PlanInput {
  growth: number;
  architecture: string;
  instanceType: string;
  nodes: number;
  monthly: number;
  binding?: string;
}

const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'wedge', 'stroke'];
const DX = { left: -4, center: 0, right: 4 } as const;
const dollars = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;

/** The growth axis: log when the factors span 4x or more (1, 2, 5, 10 spread evenly), ticks at the factors. */
export function growthAxis(factors: number[]) {
  const f = [...new Set(factors)].sort((a, b) => a - b);
  const lo = f[0]!;
  const hi = f.at(-1)!;
  const log = lo > 0 && hi / lo >= 4;
  const pad = log
    ? [lo / 1.15, hi * 1.15]
    : hi > lo
      ? [lo - (hi - lo) * 0.05, hi + (hi - lo) * 0.05]
      : [lo - 0.5, hi + 0.5];
  return {
    field: 'growth',
    type: 'quantitative',
    title: 'load growth (× today)',
    scale: log ? { type: 'log', domain: pad, nice: false } : { domain: pad, nice: false, zero: false },
    axis: { values: f, format: '~g', grid: false },
  };
}

/** Per growth, the cheapest point of each architecture. */
function cheapest(plan: PlanInput[]): Map<number, Map<string, PlanInput>> {
  const out = new Map<number, Map<string, PlanInput>>();
  for (const p of plan) {
    const g = out.get(p.growth) ?? new Map<string, PlanInput>();
    const cur = g.get(p.architecture);
    if (!cur || p.monthly < cur.monthly) g.set(p.architecture, p);
    out.set(p.growth, g);
  }
  return out;
}

export function planCharts(plan: PlanInput[], subtitle = 'capacity plan'): ChartSpec[] {
  if (plan.length === 0) return [];
  const archs = [...new Set(plan.map((p) => p.architecture))];
  const types = [...new Set(plan.map((p) => p.instanceType))].sort();
  const best = cheapest(plan);
  const rows: Row[] = plan.map((p) => ({
    ...p,
    kind: 'point',
    series: `${p.architecture} on ${p.instanceType}`,
    binding: p.binding ?? 'not recorded',
    cheapest: best.get(p.growth)?.get(p.architecture) === p ? 'yes' : 'no',
  }));
  // The saving of each mesh's cheapest choice against sidecar's, written above that point.
  const savings: Array<[number, string, number]> = [];
  const growths = [...best.keys()].sort((a, b) => a - b);
  const labelled = archs.filter((a) => a !== 'sidecar' && a !== 'none');
  for (const [g, m] of best) {
    const sidecar = m.get('sidecar');
    for (const [a, p] of m) {
      if (a === 'sidecar' || a === 'none' || !sidecar || sidecar.monthly === 0) continue;
      const s = (sidecar.monthly - p.monthly) / sidecar.monthly;
      savings.push([g, a, s]);
      // Written in a strip along the top, one line per mesh, so lines and points never cover them;
      // the first and last growth steps align inwards to stay inside the plot.
      const align = g === growths[0] ? 'left' : g === growths.at(-1) ? 'right' : 'center';
      rows.push({
        kind: 'saving',
        align,
        growth: g,
        architecture: a,
        // The mesh's name only where more than one mesh is labelled (its colour says which): four
        // growth steps on a log axis leave about 260 px between labels, too little for the name too.
        label: `${labelled.length > 1 ? `${a} ` : ''}${s > 0 ? '−' : '+'}${dollars(Math.abs(sidecar.monthly - p.monthly))} (${s > 0 ? '−' : '+'}${Math.abs(s * 100).toFixed(0)} %)`,
      });
    }
  }
  const x = growthAxis(plan.map((p) => p.growth));
  // Explicit domains: the filled and hollow layers may each be empty, and vega warns on an empty extent.
  // The cost panel keeps room above its highest point for the strip of savings.
  const domainMax = (field: string) => {
    const top = Math.max(...plan.map((p) => (field === 'monthly' ? p.monthly : p.nodes)));
    return field === 'monthly' ? top * (1.08 + 0.07 * labelled.length) : top * 1.05;
  };
  const color = { field: 'architecture', type: 'nominal', sort: archs, scale: architectureScale(archs) };
  const shape = {
    field: 'instanceType',
    type: 'nominal',
    sort: types,
    scale: { domain: types, range: types.map((_, i) => SHAPES[i % SHAPES.length]!) },
    title: 'instance type',
  };
  const points = [{ filter: { field: 'kind', equal: 'point' } }];
  const panel = (field: string, title: string, format: string, height: number, labels: boolean) => ({
    width: 520,
    height,
    layer: [
      {
        transform: points,
        mark: { type: 'line', strokeWidth: 1.2, opacity: 0.7 },
        encoding: {
          x,
          y: { field, type: 'quantitative', title, scale: { domain: [0, domainMax(field)] } },
          color,
          detail: { field: 'series', type: 'nominal' },
        },
      },
      ...[true, false].map((filled) => ({
        transform: [
          ...points,
          { filter: `indexof(datum.binding, '${SIMULATION_PREFIX}') ${filled ? '!==' : '==='} 0` },
        ],
        mark: { type: 'point', size: 70, strokeWidth: 2, filled, opacity: 0.9 },
        encoding: {
          x,
          y: { field, type: 'quantitative' },
          color,
          shape,
          tooltip: [
            { field: 'series', type: 'nominal', title: 'architecture on type' },
            { field: 'growth', type: 'quantitative' },
            { field, type: 'quantitative', title, format },
            { field: 'binding', type: 'nominal', title: 'bound by' },
            { field: 'cheapest', type: 'nominal', title: 'cheapest of its architecture' },
          ],
        },
      })),
      ...(labels
        ? labelled.flatMap((a, k) =>
            (['left', 'center', 'right'] as const).map((align) => ({
              transform: [
                {
                  filter: {
                    and: [
                      { field: 'kind', equal: 'saving' },
                      { field: 'align', equal: align },
                      { field: 'architecture', equal: a },
                    ],
                  },
                },
              ],
              mark: { type: 'text', align, baseline: 'top', fontSize: 10, y: 4 + 13 * k, dx: DX[align] },
              encoding: { x, text: { field: 'label' }, color },
            })),
          )
        : []),
    ],
  });
  const title = 'Monthly cost and nodes against load growth, per architecture and instance type';
  const bound = plan.some((p) => p.binding !== undefined);
  const sub = [
    subtitle,
    "top: each mesh's cheapest choice against sidecar's cheapest, a month (− is a saving)",
    ...(bound
      ? ['filled marks: bound by requests (or nothing); hollow: by the simulation (CPU target, latency SLO)']
      : []),
  ];
  const spec = topLevel(title, sub, {
    data: { values: values(rows) },
    vconcat: [
      panel('monthly', 'cost (US$ per month)', ',.0f', 240, true),
      panel('nodes', 'nodes needed', 'd', 150, false),
    ],
  });
  const sorted = [...plan].sort(
    (a, b) =>
      a.growth - b.growth ||
      archs.indexOf(a.architecture) - archs.indexOf(b.architecture) ||
      a.instanceType.localeCompare(b.instanceType),
  );
  const savingOf = (p: PlanInput) => {
    const s = savings.find(([g, a]) => g === p.growth && a === p.architecture);
    return s && best.get(p.growth)?.get(p.architecture) === p ? s[2] * 100 : '';
  };
  return [
    {
      name: 'plan',
      title,
      spec,
      table: {
        columns: [
          'growth (×)',
          'architecture',
          'instance type',
          'nodes',
          'monthly (US$)',
          'bound by',
          'cheapest',
          'saving vs sidecar (%)',
        ],
        rows: tableRows(
          sorted.map((p) => [
            p.growth,
            p.architecture,
            p.instanceType,
            p.nodes,
            p.monthly,
            p.binding ?? 'not recorded',
            best.get(p.growth)?.get(p.architecture) === p ? 'yes' : '',
            savingOf(p),
          ]),
        ),
      },
    },
  ];
}
