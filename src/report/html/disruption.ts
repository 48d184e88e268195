// What each scenario event did, per architecture: the table `meshsim run` prints, as HTML, with the
// rollout window on the simulation clock, ready capacity per service and resets by service spelled out.
import type { ArchResult, Results } from '../../simulate/index.ts';
import { eventDifferences } from '../disruption-deltas.ts';
import { figure } from '../disruption-table.ts';
import { fmt, ms } from '../format.ts';
import { escapeHtml } from './escape.ts';
import { archName } from './headline.ts';

type Rec = ArchResult['disruption']['events'][number];

const pct = (f: number) => `${Math.round(f * 100)} %`;
const seconds = (x: number) => `${fmt(x)} s`;

/** "t = 60-164 s (104 s)", on the clock of the timeline, or what stopped it. */
export function rolloutWindow(r: Rec): string {
  if (r.rolloutDuration === null) return r.completed ? '-' : 'not finished within the run';
  if (r.rolloutDuration === 0) return 'nothing to roll out';
  const spread = withHalf(r, 'rolloutDuration');
  return `t = ${fmt(r.at)}–${fmt(r.at + r.rolloutDuration)} s (${seconds(r.rolloutDuration)}${spread})`;
}

export function settled(r: Rec): string {
  if (r.settledAfter === null) return 'not within the run';
  if (r.settledAfter === 0) return '-';
  return `t = ${fmt(r.at + r.settledAfter)} s (${seconds(r.settledAfter)}${withHalf(r, 'settledAfter')} after the start)`;
}

/** " ±4.2 s" when the replications disagree on a duration. */
function withHalf(r: Rec, f: 'rolloutDuration' | 'settledAfter'): string {
  const e = r.intervals?.[f];
  return e && e.half > 0 ? ` ±${seconds(e.half)}` : '';
}

/** The lowest ready capacity of each service touched, lowest first; services that never dipped summed up. */
export function readyCapacity(r: Rec): string {
  const e = Object.entries(r.lowestReadyCapacity).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  if (e.length === 0) return '-';
  const dipped = e.filter(([, f]) => f < 1);
  const full = e.length - dipped.length;
  const parts = dipped.map(([s, f]) => `${s} ${pct(f)}`);
  if (full > 0) parts.push(dipped.length === 0 ? `100 % (all ${full} services)` : `${full} more at 100 %`);
  return `min ${pct(e[0]![1])}: ${parts.join(', ')}`;
}

export function resetsByService(r: Rec): string {
  const e = Object.entries(r.resetsByService)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return e.length === 0 ? '0' : e.map(([s, n]) => `${s} ${fmt(n)}`).join(', ');
}

const COLUMNS: Array<[string, (r: Rec) => string]> = [
  ['what happens', (r) => r.mechanism],
  ['rollout window', rolloutWindow],
  ['settled (old pods gone)', settled],
  ['lowest ready capacity', readyCapacity],
  [
    'pods restarted / DaemonSet pods replaced',
    (r) =>
      `${figure(r, 'podsRestarted', r.podsRestarted)} / ${figure(r, 'daemonSetPodsReplaced', r.daemonSetPodsReplaced)}`,
  ],
  [
    'connections reset / drained',
    (r) =>
      `${figure(r, 'connectionsReset', r.connectionsReset)} / ${figure(r, 'connectionsDrained', r.connectionsDrained)}`,
  ],
  ['resets by service', resetsByService],
  [
    'requests failed / retried',
    (r) =>
      `${figure(r, 'requestsFailed', r.requestsFailed)} / ${figure(r, 'requestsRetried', r.requestsRetried)}`,
  ],
  [
    'p99 before → during',
    (r) =>
      r.p99Before === null || r.p99Window === null
        ? '-'
        : `${figure(r, 'p99Before', r.p99Before, ms)} → ${figure(r, 'p99Window', r.p99Window, ms)} ms`,
  ],
];

/** Figures as mean ±95 % half-width over replications ([lo, hi] where clipped at zero). */
export function disruptionHtml(r: Results): string {
  const A = r.architectures;
  // Events are the same in every architecture; hand-made results may carry them in some only.
  const events = A.find((a) => (a.disruption?.events?.length ?? 0) > 0)?.disruption.events ?? [];
  if (events.length === 0) return '';
  const head = `<tr><th>architecture</th>${COLUMNS.map(([h]) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const tables = events.map((ev, i) => {
    const rows = A.map((a) => {
      const rec = a.disruption?.events?.[i];
      if (!rec || typeof rec.mechanism !== 'string') return '';
      return `<tr><td>${escapeHtml(archName(a.architecture))}</td>${COLUMNS.map(([, f]) => `<td>${escapeHtml(f(rec))}</td>`).join('')}</tr>`;
    });
    const caption = `Event at t = ${fmt(ev.at)} s: ${ev.label}`;
    const diffs = eventDifferences(r, i);
    const paired =
      diffs.length === 0
        ? ''
        : `<p>Paired differences (95 % interval over replications; n.s. when it spans zero):</p><ul class="disruption-deltas">${diffs.map(([name, text]) => `<li>${escapeHtml(name)}: ${escapeHtml(text)}</li>`).join('')}</ul>`;
    return `<h4>${escapeHtml(caption)}</h4><div class="scroll"><table class="disruption"><thead>${head}</thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>${paired}`;
  });
  return `<div class="disruption-tables">${tables.join('\n')}</div>`;
}
