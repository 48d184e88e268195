// What happened second by second: one panel per measure, one line per architecture, the warm-up shaded
// (it is simulated but not measured) and the scenario's events marked where results carry them.
import { max, min } from 'd3-array';
import type { Results } from '../../simulate/index.ts';
import { caption } from './caption.ts';
import { type DisruptionEvent, disruptionEvents } from './disruption.ts';
import { eachResults } from './each.ts';
import { type Row, tableRows, topLevel, values } from './spec.ts';
import { architectureScale, componentOrder } from './style.ts';
import type { ChartSpec } from './types.ts';

interface Panel {
  key: string;
  title: string;
}

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
  // Disruption panels only when an event could move them: otherwise they are flat lines.
  const disrupted = A.some((a) => (a.disruption?.events.length ?? 0) > 0);
  const panels: Panel[] = [
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
    ...comps.map((c) => ({ key: `cpu:${c}`, title: `${c} CPU (cores)` })),
  ];
  const rows: Row[] = [];
  for (const a of A) {
    const ts = a.timeseries;
    ts.t.forEach((t, i) => {
      const point = (panel: string, value: number | null | undefined) => {
        if (value !== null && value !== undefined && Number.isFinite(value))
          rows.push({ panel, architecture: a.architecture, t, value });
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
      for (const c of comps) point(`cpu:${c}`, ts.cpu[c as keyof typeof ts.cpu]?.[i]);
    });
  }
  const flat = new Set(
    panels.map((p) => p.key).filter((k) => !rows.some((x) => x.panel === k && x.value !== 0)),
  );
  const events = disruptionEvents(A);
  const last = max(A, (a) => (a.timeseries.t.at(-1) ?? 0) + a.timeseries.step) ?? 0;
  const x = {
    field: 't',
    type: 'quantitative',
    title: 'time (s)',
    scale: { domain: [0, last], nice: false },
  };
  const title = disrupted
    ? 'Requests, errors, p99, ready pods, connections and CPU over time, by architecture'
    : 'Requests, errors, p99 latency and CPU over time, by architecture';
  const spec = topLevel(title, caption(r), {
    data: { values: values(rows) },
    vconcat: panels.map((p) => ({
      width: 640,
      height: 130,
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
            color: { field: 'architecture', type: 'nominal', sort: archs, scale: architectureScale(archs) },
          },
        },
      ],
    })),
  });
  // The table is the per-architecture mean of each panel over the measured window, plus the events:
  // the full series is in the spec file, one row per second would bury the page.
  const table: Array<Array<string | number>> = [];
  for (const p of panels)
    for (const a of archs) {
      const vs = rows.filter(
        (x) => x.panel === p.key && x.architecture === a && (x.t as number) >= r.scenario.warmup,
      );
      if (vs.length === 0) continue;
      const v = vs.map((x) => x.value as number);
      table.push([p.title, a, v.reduce((s, y) => s + y, 0) / v.length, min(v)!, max(v)!]);
    }
  for (const e of events) table.push([`event at ${e.at} s`, e.label, '', '', '']);
  return [
    {
      name: 'timeline',
      title,
      spec,
      table: {
        columns: ['measure', 'architecture', 'mean after warm-up', 'min', 'max'],
        rows: tableRows(table),
      },
    },
  ];
}

export const timelineCharts = (results: Results[]): ChartSpec[] => eachResults(results, timelineChart);
