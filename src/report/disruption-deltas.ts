// The paired differences of an event's disruption figures between architectures, in words, for the
// text and HTML disruption tables: only figures that moved in some architecture, each difference with
// its paired 95 % interval and "n.s." when that spans zero.
import type { DisruptionDelta, DisruptionFigure, Results } from '../simulate/index.ts';
import { fmt, ms } from './format.ts';

export const FIGURE_NAMES: Record<DisruptionFigure, [string, (x: number) => string]> = {
  podsRestarted: ['pods restarted', fmt],
  daemonSetPodsReplaced: ['DaemonSet pods replaced', fmt],
  podsPreempted: ['pods preempted', fmt],
  connectionsReset: ['connections reset', fmt],
  connectionsDrained: ['connections drained', fmt],
  pooledConnectionsReset: ['pooled proxy connections reset', fmt],
  requestsFailed: ['requests failed', fmt],
  requestsRetried: ['requests retried', fmt],
  rolloutDuration: ['rollout duration (s)', fmt],
  settledAfter: ['settled after (s)', fmt],
  surgeCpu: ['surge cpu (cores)', fmt],
  surgeMemory: ['surge memory (MiB)', (x) => fmt(x / 2 ** 20)],
  pendingSeconds: ['time pods waited for room (s)', fmt],
  extraNodeHours: ['extra node-hours', fmt],
  p99Window: ['p99 during event (ms)', ms],
  p99Before: ['p99 before event (ms)', ms],
};

const signed = (x: number, show: (x: number) => string) => (x > 0 ? `+${show(x)}` : show(x));

function describe(d: DisruptionDelta, show: (x: number) => string): string {
  const ci =
    d.ci === null
      ? ' (one replication: no interval)'
      : d.ci[0] === d.ci[1]
        ? ''
        : ` [${show(d.ci[0])}, ${show(d.ci[1])}]`;
  return `${d.to} - ${d.from} ${signed(d.change, show)}${ci}${d.significant ? '' : ' n.s.'}`;
}

/** Per figure that differs anywhere: its name and the judged differences, for event `event`. */
export function eventDifferences(r: Results, event: number): Array<[string, string]> {
  const ds = (r.disruptionDeltas ?? []).filter((d) => d.event === event);
  const out: Array<[string, string]> = [];
  for (const figure of Object.keys(FIGURE_NAMES) as DisruptionFigure[]) {
    const of = ds.filter((d) => d.metric === figure);
    if (!of.some((d) => d.change !== 0 || (d.ci !== null && d.ci[0] !== d.ci[1]))) continue;
    const [name, show] = FIGURE_NAMES[figure];
    out.push([name, of.map((d) => describe(d, show)).join('; ')]);
  }
  return out;
}
