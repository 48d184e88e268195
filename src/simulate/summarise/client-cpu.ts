// The load generators' CPU per entry point (replication/client-cpu.ts), and the warning when they could
// not keep up: the load the results describe is then less than the scenario planned.
import type { World } from '../world/index.ts';
import { mean } from './estimate.ts';
import type { RepMeasure } from './measure.ts';
import type { EntryResult } from './results.ts';

/** Cores the load generators of entry point `i` wanted, used and were refused, beside their limit. */
export function clientCpu(w: World, i: number, reps: RepMeasure[], window: number): EntryResult['clientCpu'] {
  const avg = (f: (x: RepMeasure['entries'][number]['client']) => number) =>
    mean(reps.map((r) => f(r.entries[i]!.client) / window));
  let limit = 0;
  for (const pod of w.entryClients[i]!) limit += w.containerLimit[w.nProxies + pod]!;
  return {
    wanted: avg((x) => x.wanted),
    used: avg((x) => x.served),
    throttled: avg((x) => x.throttled),
    starved: avg((x) => x.starved),
    limit: Number.isFinite(limit) && w.entryClients[i]!.length > 0 ? limit : null,
  };
}

/**
 * ASSUMPTION: a client that got under 99 % of the CPU it wanted fell behind (1 % leaves room for the
 * requests planned in the window whose CPU runs after it ends), and so did one using 95 % of its CPU
 * limit: a closed loop plans only what it can produce, so its wanted never runs far ahead of its used.
 */
const BEHIND = 0.99;
const AT_LIMIT = 0.95;

/**
 * How far an entry point's load generators kept up: 1 or more when they did, below 1 when they fell
 * behind (the smaller of used / (BEHIND x wanted) and, under a limit, AT_LIMIT x limit / used).
 */
export function clientPace(c: EntryResult['clientCpu']): number {
  if (!(c.wanted > 0)) return 1;
  const got = c.used / (BEHIND * c.wanted);
  const room = c.limit !== null && c.used > 0 ? (AT_LIMIT * c.limit) / c.used : Number.POSITIVE_INFINITY;
  return Math.min(got, room);
}

/** Says when an entry point's load generators fell behind, and what held them back. */
export function clientWarnings(e: EntryResult, closedLoop: boolean): string[] {
  const c = e.clientCpu;
  if (c.wanted <= 0) return [];
  const atLimit = c.limit !== null && c.used >= AT_LIMIT * c.limit;
  if (c.used >= BEHIND * c.wanted && !atLimit) return [];
  const cause =
    atLimit || c.throttled >= c.starved
      ? 'their CPU limit throttled them'
      : "their node's other containers took the cores (give them a CPU request or a node of their own)";
  const effect = closedLoop
    ? 'the throughput is what the clients could send, not what the system could serve'
    : 'fewer requests were sent than planned, and their latency counts the wait from the planned time';
  return [
    `${e.name}: its load generators fell behind: they wanted ${c.wanted.toPrecision(3)} cores and got ${c.used.toPrecision(3)} (${cause}); ${effect}`,
  ];
}
