// The headline differences of a run, judged: every architecture against no mesh and ambient against
// sidecar, for each entry point's p50 and p99, total CPU and memory used and the monthly cost. What
// scripts/significance.ts prints to check that a bundled scenario's settings resolve its differences.
import { alignTable, type CostDelta, dollars } from '../cost/index.ts';
import type { Delta, Results } from '../simulate/index.ts';
import { fmt, mib, ms } from './format.ts';

export interface HeadlineDelta {
  /** "sidecar - none". */
  pair: string;
  metric: string;
  change: number;
  /** Paired 95 % interval of `change`; null when it could not be estimated (one replication). */
  ci: [number, number] | null;
  significant: boolean;
  show: (x: number) => string;
  unit: string;
}

const SIMULATED: Array<{ test: (metric: string) => boolean; show: (x: number) => string; unit: string }> = [
  { test: (m) => / p(50|99) \(s\)$/.test(m), show: ms, unit: 'ms' },
  { test: (m) => m === 'cpu used (cores)', show: (x) => fmt(x), unit: 'cores' },
  { test: (m) => m === 'memory used (bytes)', show: mib, unit: 'MiB' },
];

const headline = (from: string, to: string) => from === 'none' || (from === 'sidecar' && to === 'ambient');

export function headlineDeltas(r: Results & { costDeltas?: readonly CostDelta[] }): HeadlineDelta[] {
  const out: HeadlineDelta[] = [];
  const judged = (d: Pick<Delta, 'from' | 'to' | 'change' | 'ci' | 'significant'>) => ({
    pair: `${d.to} - ${d.from}`,
    change: d.change,
    ci: d.ci,
    significant: d.significant,
  });
  for (const d of r.deltas) {
    const kind = SIMULATED.find((k) => k.test(d.metric));
    if (!kind || !headline(d.from, d.to)) continue;
    out.push({
      ...judged(d),
      metric: d.metric.replace(/ \((s|cores|bytes)\)$/, ''),
      show: kind.show,
      unit: kind.unit,
    });
  }
  for (const d of r.costDeltas ?? [])
    if (headline(d.from, d.to)) out.push({ ...judged(d), metric: 'monthly cost', show: dollars, unit: '$' });
  return out;
}

export function significanceCount(ds: readonly HeadlineDelta[]): { significant: number; total: number } {
  return { significant: ds.filter((d) => d.significant).length, total: ds.length };
}

/** One line per delta: the estimate, its interval and the verdict. */
export function significanceTable(ds: readonly HeadlineDelta[]): string {
  const rows = ds.map((d) => [
    d.pair,
    `${d.metric} (${d.unit})`,
    d.show(d.change),
    d.ci ? `[${d.show(d.ci[0])}, ${d.show(d.ci[1])}]` : '-',
    d.significant ? 'significant' : 'n.s.',
  ]);
  return alignTable([['difference', 'metric', 'estimate', '95 % interval', 'verdict'], ...rows]);
}
