// Reports of many entry points chart the few that matter and sum up the rest: a small multiple per
// entry point stops being readable long before 50 (the `large` scenario has 50).
import type { ArchResult, EntryResult } from '../../simulate/index.ts';

/** Entry points charted one by one; the rest are aggregated. */
export const WORST_ENTRIES = 6;

/**
 * Which entry points to chart, in results order, and which to aggregate. Worst first: those nearest or
 * beyond their p99 objective (highest p99 / target over architectures), then the highest p99 in seconds.
 */
export function worstEntries(
  archs: readonly ArchResult[],
  n = WORST_ENTRIES,
): { shown: number[]; rest: number[] } {
  const entries = archs[0]?.entryPoints ?? [];
  const worst = (f: (e: EntryResult) => number) => (i: number) =>
    Math.max(...archs.map((a) => (a.entryPoints[i] ? f(a.entryPoints[i]) : 0)));
  const ofSlo = worst((e) => {
    const slo = e.slo.find((s) => s.quantile === 'p99');
    return slo && slo.target > 0 ? e.latency.p99.mean / slo.target : 0;
  });
  const p99 = worst((e) => e.latency.p99.mean);
  const order = entries.map((_, i) => i);
  if (entries.length <= n) return { shown: order, rest: [] };
  order.sort((a, b) => ofSlo(b) - ofSlo(a) || p99(b) - p99(a) || a - b);
  return { shown: order.slice(0, n).sort((a, b) => a - b), rest: order.slice(n).sort((a, b) => a - b) };
}
