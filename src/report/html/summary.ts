// The headline numbers of a results file, per architecture, and its deltas: what a reader wants before
// any chart. Every cell is escaped, including numbers, because results files are user-supplied input.
import type { Delta, Estimate, Results } from '../../simulate/index.ts';
import { worstEntries } from '../charts/index.ts';
import { cores, fmt, mib, ms } from '../format.ts';
import { escapeHtml } from './escape.ts';

const td = (s: string, num = true) => `<td${num ? ' class="num"' : ''}>${escapeHtml(s)}</td>`;
const th = (s: string) => `<th>${escapeHtml(s)}</th>`;
const ci = (e: Estimate, show: (x: number) => string) =>
  e.half > 0 ? `${show(e.mean)} ± ${show(e.half)}` : show(e.mean);

export function summaryHtml(r: Results): string {
  const A = r.architectures;
  // Many entry points: the columns of the worst few (the rest are in the charts' tables).
  const { shown } = worstEntries(A);
  const entries = shown.map((i) => A[0]!.entryPoints[i]!);
  const head = [
    'architecture',
    'CPU used (cores)',
    'CPU requested (cores)',
    'memory used (MiB)',
    'memory requested (MiB)',
    'nodes used / nodes',
    ...entries.flatMap((e) => [`${e.name} p50 (ms)`, `${e.name} p99 (ms)`]),
  ];
  const rows = A.map((a) => {
    const cells = [
      td(a.architecture, false),
      td(ci(a.totals.cpuUsed, cores)),
      td(cores(a.totals.cpuRequested)),
      td(ci(a.totals.memoryUsed, mib)),
      td(mib(a.totals.memoryRequested)),
      td(`${a.placement.nodesUsed} / ${a.placement.nodes}`),
      ...shown
        .map((i) => a.entryPoints[i])
        .flatMap((e) => (e ? [td(ci(e.latency.p50, ms)), td(ci(e.latency.p99, ms))] : [td('-'), td('-')])),
    ];
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<table class="summary"><thead><tr>${head.map(th).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

const pct = (d: Delta) => (d.percent === null ? '' : `${d.percent > 0 ? '+' : ''}${d.percent.toFixed(1)}%`);

// Deltas carry SI units (bytes, seconds); the page shows them in the units of the summary table.
function unit(metric: string): [string, (x: number) => string] {
  if (metric.endsWith('(bytes)')) return [metric.replace(/\(bytes\)$/, '(MiB)'), mib];
  if (metric.endsWith('(s)')) return [metric.replace(/\(s\)$/, '(ms)'), ms];
  return [metric, fmt];
}

export function deltasHtml(deltas: Delta[]): string {
  if (deltas.length === 0) return '';
  const rows = deltas.map((d) => {
    const [metric, show] = unit(d.metric);
    const cells = [metric, `${d.from} → ${d.to}`, show(d.base), show(d.value), show(d.change), pct(d)];
    return `<tr>${cells.map((c, i) => td(c, i > 1)).join('')}</tr>`;
  });
  const head = ['metric', 'from → to', 'from', 'to', 'change', 'change (%)'].map(th).join('');
  return `<table class="deltas"><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

export function scenarioHtml(r: Results): string {
  const s = r.scenario;
  const meta = [
    `file ${s.file || '(none)'}`,
    `seed ${s.seed}`,
    `${s.replications} replication${s.replications === 1 ? '' : 's'}`,
    `${fmt(s.duration)} s simulated, ${fmt(s.warmup)} s warm-up`,
    `meshsim ${r.meshsimVersion}`,
    `scenario hash ${s.hash.slice(0, 12)}`,
  ];
  const list = (items: string[]) => `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('\n')}</ul>`;
  return [
    `<p class="description">${escapeHtml(s.description)}</p>`,
    `<p class="meta">${escapeHtml(meta.join(' · '))}</p>`,
    r.assumptions.length
      ? `<details class="assumptions"><summary>Assumptions (${r.assumptions.length})</summary>${list(r.assumptions)}</details>`
      : '',
  ].join('\n');
}
