// The disruption table `meshsim run` prints when the scenario has events: per event, one column per
// architecture, what its mechanism cost, each figure with its 95 % interval over replications, then
// the paired differences between architectures.
import { max, min } from 'd3-array';
import type { ArchResult, DisruptionFigure, Results } from '../simulate/index.ts';
import { eventDifferences } from './disruption-deltas.ts';
import { fmt, ms, withInterval } from './format.ts';

type Rec = ArchResult['disruption']['events'][number];

/**
 * A figure with its interval; hand-made results may carry no intervals. A count that was 0 in every
 * replication shows as 0: its Poisson upper bound (3.7 / replications) is in the results JSON, and
 * repeated in every quiet cell it would hide the figures that moved.
 */
export const figure = (r: Rec, f: DisruptionFigure, value: number, show: (x: number) => string = fmt) =>
  value === 0 ? show(0) : withInterval(value, r.intervals?.[f], show);

const ROWS: Array<[string, (r: Rec) => string]> = [
  ['pods restarted', (r) => figure(r, 'podsRestarted', r.podsRestarted)],
  ['DaemonSet pods replaced', (r) => figure(r, 'daemonSetPodsReplaced', r.daemonSetPodsReplaced)],
  ['connections reset (force-closed)', (r) => figure(r, 'connectionsReset', r.connectionsReset)],
  ['connections drained (closed gracefully)', (r) => figure(r, 'connectionsDrained', r.connectionsDrained)],
  ['pooled proxy connections reset', (r) => figure(r, 'pooledConnectionsReset', r.pooledConnectionsReset)],
  ['requests failed', (r) => figure(r, 'requestsFailed', r.requestsFailed)],
  ['requests retried', (r) => figure(r, 'requestsRetried', r.requestsRetried)],
  [
    'rollout duration (s)',
    (r) => (r.rolloutDuration === null ? '-' : figure(r, 'rolloutDuration', r.rolloutDuration)),
  ],
  [
    'settled after (s)',
    (r) => (r.settledAfter === null ? 'not within run' : figure(r, 'settledAfter', r.settledAfter)),
  ],
  [
    'lowest ready capacity',
    (r) => {
      const v = Object.values(r.lowestReadyCapacity);
      return v.length === 0 ? '-' : `${Math.round(min(v)! * 100)}%`;
    },
  ],
  [
    'surge cpu / memory (cores / MiB)',
    (r) =>
      `${figure(r, 'surgeCpu', r.surge.cpu)} / ${figure(r, 'surgeMemory', r.surge.memory, (x) => fmt(x / 2 ** 20))}`,
  ],
  ['time pods waited for room (s)', (r) => figure(r, 'pendingSeconds', r.surge.pendingSeconds)],
  ['extra node-hours', (r) => figure(r, 'extraNodeHours', r.extraNodeHours)],
  [
    'blast radius (pods / services)',
    (r) => (r.blastRadius ? `${r.blastRadius.pods} / ${r.blastRadius.services.length}` : '-'),
  ],
  ['p99 during event (ms)', (r) => (r.p99Window === null ? '-' : figure(r, 'p99Window', r.p99Window, ms))],
  ['p99 before event (ms)', (r) => (r.p99Before === null ? '-' : figure(r, 'p99Before', r.p99Before, ms))],
];

/** ± is the 95 % interval over replications; [lo, hi] where it is clipped at zero. */
export function disruptionTable(r: Results): string {
  const A = r.architectures;
  const events = A[0]?.disruption.events ?? [];
  if (events.length === 0) return '';
  const n = r.scenario.replications;
  const out: string[] = [
    `Disruption (${n} replication${n === 1 ? '' : 's'}; ± is the 95 % interval over them, [lo, hi] where it is clipped at zero)`,
    '',
  ];
  events.forEach((ev, i) => {
    const lines: string[][] = [[`Event at ${fmt(ev.at)} s: ${ev.label}`, ...A.map((a) => a.architecture)]];
    for (const [label, f] of ROWS) lines.push([`  ${label}`, ...A.map((a) => f(a.disruption.events[i]!))]);
    const widths = lines[0]!.map((_, c) => max(lines, (l) => l[c]!.length) ?? 0);
    out.push(
      ...lines.map((l) =>
        l
          .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
          .join('  ')
          .trimEnd(),
      ),
    );
    for (const a of A) out.push(`  ${a.architecture}: ${a.disruption.events[i]!.mechanism}`);
    const diffs = eventDifferences(r, i);
    if (diffs.length > 0) {
      out.push('  paired differences (95 % interval over replications; n.s. when it spans zero):');
      for (const [name, text] of diffs) out.push(`    ${name}: ${text}`);
    }
    out.push('');
  });
  return out.join('\n').trimEnd();
}
