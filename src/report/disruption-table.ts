// The disruption table `meshsim run` prints when the scenario has events: per event, one column per
// architecture, what its mechanism cost.
import { max, min } from 'd3-array';
import type { ArchResult, Results } from '../simulate/index.ts';
import { fmt, ms } from './format.ts';

type Rec = ArchResult['disruption']['events'][number];

const ROWS: Array<[string, (r: Rec) => string]> = [
  ['pods restarted', (r) => fmt(r.podsRestarted)],
  ['DaemonSet pods replaced', (r) => fmt(r.daemonSetPodsReplaced)],
  ['connections reset (force-closed)', (r) => fmt(r.connectionsReset)],
  ['connections drained (closed gracefully)', (r) => fmt(r.connectionsDrained)],
  ['pooled proxy connections reset', (r) => fmt(r.pooledConnectionsReset)],
  ['requests failed', (r) => fmt(r.requestsFailed)],
  ['requests retried', (r) => fmt(r.requestsRetried)],
  ['rollout duration (s)', (r) => (r.rolloutDuration === null ? '-' : fmt(r.rolloutDuration))],
  ['settled after (s)', (r) => (r.settledAfter === null ? 'not within run' : fmt(r.settledAfter))],
  [
    'lowest ready capacity',
    (r) => {
      const v = Object.values(r.lowestReadyCapacity);
      return v.length === 0 ? '-' : `${Math.round(min(v)! * 100)}%`;
    },
  ],
  ['surge cpu / memory (cores / MiB)', (r) => `${fmt(r.surge.cpu)} / ${fmt(r.surge.memory / 2 ** 20)}`],
  ['time pods waited for room (s)', (r) => fmt(r.surge.pendingSeconds)],
  ['extra node-hours', (r) => fmt(r.extraNodeHours)],
  [
    'blast radius (pods / services)',
    (r) => (r.blastRadius ? `${r.blastRadius.pods} / ${r.blastRadius.services.length}` : '-'),
  ],
  ['p99 during event (ms)', (r) => (r.p99Window === null ? '-' : ms(r.p99Window))],
  ['p99 before event (ms)', (r) => (r.p99Before === null ? '-' : ms(r.p99Before))],
];

export function disruptionTable(r: Results): string {
  const A = r.architectures;
  const events = A[0]?.disruption.events ?? [];
  if (events.length === 0) return '';
  const out: string[] = [];
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
    out.push('');
  });
  return out.join('\n').trimEnd();
}
