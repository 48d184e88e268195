// What happened second by second: one panel per measure, one line per architecture, the warm-up shaded
// (it is simulated but not measured), the scenario's events marked, and each architecture's rollout
// window drawn where results carry disruption records. The mesh's components share one CPU panel, so
// their costs compare on one scale; a disruption measure that never moved is named, not drawn flat.
import { max, min } from 'd3-array';
import type { Results } from '../../simulate/index.ts';
import { caption } from './caption.ts';
import { type DisruptionEvent, disruptionEvents } from './disruption.ts';
import { eachResults } from './each.ts';
import { rolloutRows } from './rollout.ts';
import { type Row, tableRows, topLevel, values } from './spec.ts';
import { architectureScale, componentOrder } from './style.ts';
import type { ChartSpec } from './types.ts';

interface Panel {
  key: string;
  title: string;
}

/** Components that are not the mesh: they keep their own panels. */
const NOT_MESH = new Set(['application', 'client']);

function overlays(warmup: number, events: DisruptionEvent[]) {
  const layers: object[] = [];
  if (warmup > 0)
    layers.push({
      data: { values: [{ from: 0, to: warmup, label: 'warm-up' }] },
      mark: { type: 'rect', color: '#000000', opacity: 0.06 },
      encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } },
    });
  if (events.length > 0)
    layers.push(
      {
        data: { values: events },
        mark: { type: 'rule', color: '#444444', strokeDash: [4, 3] },
        encoding: {
          x: { field: 'at', type: 'quantitative' },
          tooltip: [
            { field: 'label', type: 'nominal', title: 'event' },
            { field: 'at', type: 'quantitative', title: 'time (s)' },
          ],
        },
      },
      {
        data: { values: events },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, y: 2, fontSize: 10, color: '#444444' },
        encoding: { x: { field: 'at', type: 'quantitative' }, text: { field: 'label' } },
      },
    );
  return layers;
}

function timelineChart(r: Results): ChartSpec[] {
  const A = r.architectures;
  if (A.every((a) => a.timeseries.t.length === 0)) return [];
  const archs = A.map((a) => a.architecture);
  const comps = componentOrder(A.flatMap((a) => Object.keys(a.timeseries.cpu)));
  const mesh = comps.filter((c) => !NOT_MESH.has(c));
  // Disruption panels only when an event could move them.
  const disrupted = A.some((a) => (a.disruption?.events.length ?? 0) > 0);
  const candidates: Panel[] = [
    { key: 'requests', title: 'requests (req/s)' },
    { key: 'errors', title: 'errors (/s)' },
    { key: 'p99', title: 'p99 latency (ms)' },
    ...(disrupted
      ? [
          { key: 'ready', title: 'ready application pods' },
          { key: 'resets', title: 'connections reset (/s)' },
          { key: 'retries', title: 'requests retried (/s)' },
          { key: 'open', title: 'caller connections open' },
        ]
      : []),
    ...comps.filter((c) => NOT_MESH.has(c)).map((c) => ({ key: `cpu:${c}`, title: `${c} CPU (cores)` })),
    ...(mesh.length > 0 ? [{ key: 'mesh', title: 'mesh CPU (cores)' }] : []),
  ];
  const rows: Row[] = [];
  for (const a of A) {
    const ts = a.timeseries;
    ts.t.forEach((t, i) => {
      const point = (panel: string, value: number | null | undefined, component = '') => {
        if (value !== null && value !== undefined && Number.isFinite(value))
          rows.push({ panel, architecture: a.architecture, component, t, value });
      };
      point('requests', ts.requests[i]);
      point('errors', ts.errors[i]);
      const p99 = ts.p99[i];
      point('p99', p99 === null || p99 === undefined ? null : p99 * 1e3);
      if (disrupted) {
        point('ready', ts.ready?.[i]);
        point('resets', ts.resets?.[i]);
        point('retries', ts.retries?.[i]);
        point('open', ts.connectionsOpen?.[i]);
      }
      for (const c of comps) {
        const v = ts.cpu[c as keyof typeof ts.cpu]?.[i];
        if (NOT_MESH.has(c)) point(`cpu:${c}`, v);
        else point('mesh', v, c);
      }
    });
  }
  const valuesOf = (k: string) => rows.filter((x) => x.panel === k).map((x) => x.value as number);
  // A disruption measure that stayed at one value in every architecture says so in the subtitle.
  const DISRUPTION = new Set(['ready', 'resets', 'retries', 'open']);
  const constant = candidates.filter((p) => {
    if (!DISRUPTION.has(p.key)) return false;
    const v = valuesOf(p.key);
    return v.length > 0 && v.every((x) => x === v[0]);
  });
  const panels = candidates.filter((p) => !constant.includes(p));
  const flat = new Set(panels.map((p) => p.key).filter((k) => valuesOf(k).every((x) => x === 0)));
  const events = disruptionEvents(A);
  const last = max(A, (a) => (a.timeseries.t.at(-1) ?? 0) + a.timeseries.step) ?? 0;
  const x = {
    field: 't',
    type: 'quantitative',
    title: 'time (s)',
    scale: { domain: [0, last], nice: false },
  };
  const color = { field: 'architecture', type: 'nominal', sort: archs, scale: architectureScale(archs) };
  const rollout = rolloutRows(A, last);
  const title = disrupted
    ? 'Rollout, requests, errors, p99, connections and CPU over time, by architecture'
    : 'Requests, errors, p99 latency and CPU over time, by architecture';
  const sub = [caption(r)];
  for (const p of constant)
    sub.push(`${p.title}: ${valuesOf(p.key)[0]} throughout, in every architecture (not drawn)`);
  const rolloutPanel = rollout.length
    ? [
        {
          width: 640,
          height: { step: 18 },
          data: { values: values(rollout) },
          layer: [
            {
              mark: { type: 'bar', height: { band: 0.7 } },
              encoding: {
                x: { ...x, field: 'from' },
                x2: { field: 'to' },
                y: { field: 'architecture', type: 'nominal', sort: archs, title: 'rollout window' },
                color,
                opacity: {
                  field: 'phase',
                  type: 'nominal',
                  sort: ['new pods rolling out', 'old pods draining'],
                  scale: { domain: ['new pods rolling out', 'old pods draining'], range: [0.9, 0.35] },
                  title: 'rollout',
                },
                tooltip: [
                  { field: 'architecture', type: 'nominal' },
                  { field: 'event', type: 'nominal' },
                  { field: 'phase', type: 'nominal' },
                  { field: 'from', type: 'quantitative', title: 'from (s)' },
                  { field: 'to', type: 'quantitative', title: 'to (s)' },
                ],
              },
            },
          ],
        },
      ]
    : [];
  const spec = topLevel(title, sub.length === 1 ? sub[0]! : sub, {
    data: { values: values(rows) },
    vconcat: [
      ...rolloutPanel,
      ...panels.map((p) => ({
        width: 640,
        height: p.key === 'mesh' ? 170 : 110,
        layer: [
          ...overlays(r.scenario.warmup, events),
          {
            transform: [{ filter: { field: 'panel', equal: p.key } }],
            mark: { type: 'line', strokeWidth: 1.5, interpolate: 'linear' },
            encoding: {
              x,
              // An all-zero series (no errors) would get the degenerate domain [0, 0] and odd tick labels.
              y: {
                field: 'value',
                type: 'quantitative',
                title: p.title,
                scale: flat.has(p.key) ? { domain: [0, 1] } : {},
              },
              color,
              ...(p.key === 'mesh'
                ? {
                    strokeDash: { field: 'component', type: 'nominal', sort: mesh, title: 'mesh component' },
                    detail: { field: 'component', type: 'nominal' },
                  }
                : {}),
            },
          },
        ],
      })),
    ],
  });
  // The table is the per-architecture mean of each panel over the measured window, plus the events:
  // the full series is in the spec file, one row per second would bury the page.
  const table: Array<Array<string | number>> = [];
  const summary = (measure: string, a: string, pick: (x: Row) => boolean) => {
    const vs = rows.filter((x) => pick(x) && x.architecture === a && (x.t as number) >= r.scenario.warmup);
    if (vs.length === 0) return;
    const v = vs.map((x) => x.value as number);
    table.push([measure, a, v.reduce((s, y) => s + y, 0) / v.length, min(v)!, max(v)!]);
  };
  for (const p of candidates)
    for (const a of archs)
      if (p.key === 'mesh')
        for (const c of mesh) summary(`${c} CPU (cores)`, a, (x) => x.panel === 'mesh' && x.component === c);
      else summary(p.title, a, (x) => x.panel === p.key);
  for (const e of events) table.push([`event at ${e.at} s`, e.label, '', '', '']);
  for (const w of rollout) table.push([`${w.phase} (${w.event})`, w.architecture, '', w.from, w.to]);
  return [
    {
      name: 'timeline',
      title,
      spec,
      table: {
        columns: ['measure', 'architecture', 'mean after warm-up', 'min (or from, s)', 'max (or to, s)'],
        rows: tableRows(table),
      },
    },
  ];
}

export const timelineCharts = (results: Results[]): ChartSpec[] => eachResults(results, timelineChart);
